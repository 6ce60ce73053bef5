#!/usr/bin/env bash
# Run the benchmarks (after `npm run build`). Device-creating benches run in the sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
node dist/bench/ffi-overhead.js "${FFI_N:-200000}"
tools/sandbox.sh node dist/bench/link-dump.js "${LINKS:-1000}" "${REPS:-30}" ifb
tools/sandbox.sh node dist/bench/link-dump.js "${LINKS:-1000}" "${REPS:-30}" bridge
tools/sandbox.sh node dist/bench/decode.js "${LINKS:-1000}"
tools/sandbox.sh node dist/bench/netns.js "${NETNS_N:-100}" "${REPS_NETNS:-7}"
tools/sandbox.sh node dist/bench/nat.js "${NAT_K:-200}" "${NAT_RULES:-10000}"
