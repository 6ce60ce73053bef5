#!/usr/bin/env bash
# Two "machines" in one sandbox, one lab spread over them (examples/labs/two-hosts.yaml):
# each machine is a holder process in its own network + mount (private /run/netns) + UTS
# namespaces; an underlay veth joins them; each runs `netlink-lab up --host NAME` for its own
# part; the bridges meet over VXLAN; `check` proves TCP/UDP across (h2 serves its listeners
# while h1 probes, and the other way round); each machine's `down --host` removes its part.
#
#   tools/sandbox.sh bash examples/two-hosts.sh      (after npm run build)
set -euo pipefail
[ "${NETLINK_TS_SANDBOX:-}" = 1 ] || { echo "run it in the sandbox: tools/sandbox.sh bash $0" >&2; exit 2; }
cd "$(dirname "$0")/.."
LAB="$PWD/dist/bundle/netlink-lab.js"
FILE="$PWD/examples/labs/two-hosts.yaml"

declare -A PID
for h in h1 h2; do
  unshare --mount --net --uts --propagation private -- sh -c \
    "mount -t tmpfs -o mode=755 $h /run/netns && ip link set lo up && hostname $h && touch /tmp/.nlts-$h-$$ && exec sleep 3600" &
  PID[$h]=$!
done
trap 'kill ${PID[h1]} ${PID[h2]} 2>/dev/null; rm -f /tmp/.nlts-h?-$$' EXIT
until [ -e /tmp/.nlts-h1-$$ ] && [ -e /tmp/.nlts-h2-$$ ]; do sleep 0.1; done
on() { local h=$1; shift; nsenter -t "${PID[$h]}" -m -n -u -- "$@"; }

# The underlay (the machines' own network, not part of the lab).
ip link add u1 netns "${PID[h1]}" type veth peer name u2 netns "${PID[h2]}"
on h1 ip addr add 172.31.0.1/24 dev u1; on h1 ip link set u1 up
on h2 ip addr add 172.31.0.2/24 dev u2; on h2 ip link set u2 up

for h in h1 h2; do echo "== $h: netlink-lab up --host $h"; on $h node "$LAB" up -q "$FILE" --host $h; done

# `check --serve` keeps a machine's listeners up (until SIGTERM) while the other machine probes.
probe() {
  local server=$1 client=$2 out=/tmp/.nlts-serve-$$
  echo "== $server serves its listeners; $client probes"
  nsenter -t "${PID[$server]}" -m -n -u -- node "$LAB" check "$FILE" --host "$server" --serve >"$out" & local serve=$!
  until grep -q '^serving' "$out" 2>/dev/null; do kill -0 $serve; sleep 0.1; done
  on "$client" node "$LAB" check "$FILE" --host "$client" || status=1
  kill $serve; wait $serve || true; rm -f "$out"
}
status=0
probe h2 h1
probe h1 h2

for h in h1 h2; do echo "== $h: netlink-lab down --host $h"; on $h node "$LAB" down "$FILE" --host $h | tail -1; done
exit $status
