#!/usr/bin/env bash
# Start-up time of the bins as whole processes against `node -e 0`, interleaved: every round runs
# each command once (the starting command rotates per round, so no command always follows the
# same one), after WARM untimed rounds. Per command: wall time and CPU time (user + system of
# the process, from the shell's `time`), min and median in ms, and both as a ratio to the
# `node -e 0` of the same run. The machine is shared: wall medians move with the load, minima
# and CPU time are the steadier figures. Read-only: dumps of the caller's own namespace and a
# fixture decode; nothing is changed.
#
#   bench/cli-startup.sh [RUNS=30] [WARM=3]          (after npm run build)
#
# Environment:
#   AB=DIR       also time the bins of another build (DIR/dist/bundle/…, e.g. a copy of the
#                build before a change) in the same rounds: labels get "before:" / "after:".
#   ONLY=REGEX   keep only the commands whose label matches (the node -e 0 floor always runs).
#   CNI=1        add the CNI plugin's VERSION (reads stdin, no netlink; any namespace).
#   STAGES=1     also time this build's bins in two partial forms, to split the gain: "esm:" the
#                ESM bundles (dist/bundle/netlink-dump.js, …: the library's own start-up work
#                without the CommonJS bin) and "nocache:" the CommonJS bins with the code cache
#                off (NETLINK_TS_CODE_CACHE=0).
#   NETLINK_TS_CACHE_DIR is set to a fresh directory for the run (the bins' V8 code cache; see
#   tools/bin-prologue.cjs): the first, untimed round fills it, as a user's first run would.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-30}
WARM=${2:-3}
ROOT=$PWD
pick() { # the netlink-dump bin of a build root: the CommonJS prologue if built, else the ESM bin
  if [ -f "$1/dist/bundle/$2.cjs" ]; then echo "$1/dist/bundle/$2.cjs"; else echo "$1/dist/bundle/$2.js"; fi
}
[ -f "$(pick "$ROOT" netlink-dump)" ] || { echo "build first: npm run build" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nlts-cli-startup.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export NETLINK_TS_CACHE_DIR="$TMP/cache"
FIX="$ROOT/fixtures/route/link/newlink-error-extack.hex"

LABELS=() CMDS=()
add() { LABELS+=("$1"); CMDS+=("$2"); }
add 'node -e 0' 'node -e 0'
variants() { # label-prefix build-root [esm|nocache]
  local p=$1 r=$2 dump cni
  dump=$(pick "$r" netlink-dump); cni=$(pick "$r" netlink-ts-cni)
  if [ "${3:-}" = esm ]; then dump="$r/dist/bundle/netlink-dump.js"; cni="$r/dist/bundle/netlink-ts-cni.js"; fi
  if [ "${3:-}" = nocache ]; then dump="NETLINK_TS_CODE_CACHE=0 node $dump"; cni="NETLINK_TS_CODE_CACHE=0 node $cni"; else dump="$dump"; cni="node $cni"; fi
  add "${p}netlink-dump --help" "$dump --help"
  add "${p}netlink-dump link" "$dump link"
  add "${p}netlink-dump link --json" "$dump link --json"
  add "${p}netlink-dump addr" "$dump addr"
  add "${p}netlink-dump route" "$dump route"
  add "${p}netlink-dump nft" "$dump nft"
  add "${p}netlink-dump decode (1.1 kB fixture)" "$dump decode $FIX"
  if [ "${CNI:-}" = 1 ]; then add "${p}netlink-ts-cni VERSION" "CNI_COMMAND=VERSION $cni <<< '{\"cniVersion\":\"1.1.0\"}'"; fi
}
if [ -n "${AB:-}" ]; then variants 'before: ' "$(cd "$AB" && pwd)"; variants 'after:  ' "$ROOT"; else variants '' "$ROOT"; fi
if [ "${STAGES:-}" = 1 ]; then variants 'esm:    ' "$ROOT" esm; variants 'nocache:' "$ROOT" nocache; fi
if [ -n "${ONLY:-}" ]; then
  L2=() C2=()
  for i in "${!LABELS[@]}"; do
    if [ "$i" = 0 ] || [[ ${LABELS[$i]} =~ $ONLY ]]; then L2+=("${LABELS[$i]}"); C2+=("${CMDS[$i]}"); fi
  done
  LABELS=("${L2[@]}") CMDS=("${C2[@]}")
fi
N=${#CMDS[@]}

TIMEFORMAT='%3R %3U %3S'
for round in $(seq $((WARM + RUNS))); do
  for k in $(seq 0 $((N - 1))); do
    i=$(( (k + round) % N ))
    if [ "$round" -le "$WARM" ]; then eval "${CMDS[$i]}" >/dev/null 2>&1 || true; continue; fi
    { time eval "${CMDS[$i]}" >/dev/null 2>&1 || true; } 2>>"$TMP/t$i"
  done
done

echo "node $(node -v), $(uname -r), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $RUNS interleaved rounds after $WARM warm-up"
printf '%-44s %21s %21s %17s %17s\n' 'command' 'wall min / median ms' 'CPU min / median ms' 'wall ratio min/med' 'CPU ratio min/med'
stats() { # file -> "wallmin wallmed cpumin cpumed"
  local w c
  w=$(awk '{ printf "%.3f\n", $1 * 1000 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); printf "%.1f %.1f", v[1], (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }')
  c=$(awk '{ printf "%.3f\n", ($2 + $3) * 1000 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); printf "%.1f %.1f", v[1], (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }')
  echo "$w $c"
}
read -r bw bwm bc bcm < <(stats "$TMP/t0")
for i in $(seq 0 $((N - 1))); do
  read -r w wm c cm < <(stats "$TMP/t$i")
  awk -v l="${LABELS[$i]}" -v w="$w" -v wm="$wm" -v c="$c" -v cm="$cm" -v bw="$bw" -v bwm="$bwm" -v bc="$bc" -v bcm="$bcm" 'BEGIN {
    printf "%-44s %9.1f / %9.1f %9.1f / %9.1f %7.2f× / %5.2f× %7.2f× / %5.2f×\n", l, w, wm, c, cm, w / bw, wm / bwm, (bc > 0 ? c / bc : 0), (bcm > 0 ? cm / bcm : 0) }'
done
