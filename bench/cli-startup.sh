#!/usr/bin/env bash
# Start-up time of netlink-dump as a whole process, hyperfine-style: warm-up runs, then N
# timed runs of each command; prints min / median / mean in ms. Baseline: `node -e 0`.
#   bench/cli-startup.sh [RUNS]        (build first: npx tsc -p tsconfig.json)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-30}
BIN=dist/src/cli/netlink-dump.js
[ -f "$BIN" ] || { echo "build first: npx tsc -p tsconfig.json" >&2; exit 1; }
measure() {
  local label=$1; shift
  for _ in 1 2 3; do "$@" >/dev/null 2>&1 || true; done
  local times=()
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    times+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" -v n="$RUNS" '
    { t[NR] = $1; sum += $1 }
    END { printf "%-42s min %6.1f  median %6.1f  mean %6.1f ms  (%d runs)\n", label, t[1]/1000, t[int((n+1)/2)]/1000, sum/n/1000, n }'
}
measure 'node -e 0' node -e 0
measure 'netlink-dump --help' node "$BIN" --help
measure 'netlink-dump link' node "$BIN" link
measure 'netlink-dump link --json' node "$BIN" link --json
measure 'netlink-dump addr' node "$BIN" addr
measure 'netlink-dump route' node "$BIN" route
measure 'netlink-dump decode (1.1 kB fixture)' node "$BIN" decode fixtures/route/link/newlink-error-extack.hex
