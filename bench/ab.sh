#!/usr/bin/env bash
# Interleaved before/after of bench/peer.js for the harness's W2–W5 in one sandbox:
#   tools/sandbox.sh bench/ab.sh OLD_DIST NEW_DIST PAIRS [workloads]
# Each run gets the harness's pre-state (lib/setup.sh semantics: ifb devices, 10k routes by ip -batch),
# built fresh in a new netns per run (unshare -n inside the sandbox), old and new alternating.
# Prints one line per run: workload impl ms, and the median/min per (workload, impl) at the end.
set -euo pipefail
[ "${NETLINK_TS_SANDBOX:-}" = 1 ] || { echo "run inside tools/sandbox.sh" >&2; exit 2; }
OLD=$1 NEW=$2 PAIRS=${3:-7} WLS=${4:-route-add,addr-add,route-dump,link-dump}
declare -A N=([route-add]=10000 [addr-add]=2000 [route-dump]=10000 [link-dump]=1000)
pre() { # $1 workload
  case $1 in
    route-add) ip link add bench0 type ifb; ip link set bench0 up; ip addr add 10.0.0.1/8 dev bench0 ;;
    addr-add) ip link add bench0 type ifb; ip link set bench0 up ;;
    route-dump) ip link add bench0 type ifb; ip link set bench0 up; ip addr add 10.0.0.1/8 dev bench0
      awk -v n="${N[route-dump]}" 'BEGIN{for(i=1;i<=n;i++){v=2886729728+i; printf "route add %d.%d.%d.%d/32 via 10.0.0.2 dev bench0\n", int(v/16777216)%256, int(v/65536)%256, int(v/256)%256, v%256}}' | ip -batch - ;;
    link-dump) awk -v n="${N[link-dump]}" 'BEGIN{for(i=0;i<n;i++) printf "link add bd%d type ifb\n", i}' | ip -batch - ;;
  esac
}
out=$(mktemp)
for ((p = 0; p < PAIRS; p++)); do
  for wl in ${WLS//,/ }; do
    order="old new"; ((p % 2)) && order="new old"
    for which in $order; do
      d=$OLD; [ $which = new ] && d=$NEW
      ms=$(unshare -n bash -c "ip link set lo up; $(declare -f pre); $(declare -p N); pre $wl; BENCH_WORKLOAD=$wl BENCH_N=${N[$wl]} node $d/bench/peer.js" | tail -1 | sed -E 's/.*"ms":([0-9.]+).*/\1/')
      echo "$wl $which $ms" | tee -a "$out"
    done
  done
done
echo "--- median (min) ms over $PAIRS runs"
for wl in ${WLS//,/ }; do for which in old new; do
  awk -v w=$wl -v x=$which '$1==w && $2==x {print $3}' "$out" | sort -n | awk -v w=$wl -v x=$which '{a[NR]=$1} END{printf "%-11s %-4s median %7.1f  min %7.1f\n", w, x, (NR%2?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2), a[1]}'
done; done
rm -f "$out"
