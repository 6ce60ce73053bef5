#!/usr/bin/env bash
# Record the oracles of the nft corpus (fixtures/nft/corpus/NAME.nft): each ruleset is loaded
# with `nft -f` in a fresh network namespace, then nft's own listings are written beside it —
#   NAME.txt    nft list ruleset
#   NAME.a.txt  nft -a list ruleset
#   NAME.json   nft -j list ruleset
#   NAME.dump   the kernel's netlink replies to `nft list ruleset` (strace; replayed by
#               test/unit/nft-corpus.test.ts)
# A ruleset nft or this kernel refuses is reported and left without oracles.
#
#   tools/sandbox.sh tools/capture-nft-corpus.sh [NAME...]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${NETLINK_TS_SANDBOX:-}" = 1 ] || { echo "run me inside tools/sandbox.sh" >&2; exit 2; }
npx tsc -p tsconfig.json
C=fixtures/nft/corpus
names=("$@")
if [ ${#names[@]} -eq 0 ]; then for f in "$C"/*.nft; do names+=("$(basename "$f" .nft)"); done; fi
failed=()
for n in "${names[@]}"; do
  tmp=$(mktemp)
  if unshare --net -- bash -c '
      set -e; ip link set lo up
      nft -f "$1"
      nft list ruleset >"$2.txt"; nft -a list ruleset >"$2.a.txt"; nft -j list ruleset >"$2.json"
      strace -f -yy -e trace=sendto,sendmsg,recvmsg,recvfrom -e read=all -s 0 -o "$3" -- nft list ruleset >/dev/null' _ "$C/$n.nft" "$C/$n" "$tmp" 2>"$tmp.err"; then
    node dist/tools/nft-corpus-dump.js "$tmp" "$n" >"$C/$n.dump"
    echo "captured $n"
  else
    echo "FAILED $n: $(head -c 600 "$tmp.err")" >&2
    rm -f "$C/$n.txt" "$C/$n.a.txt" "$C/$n.json" "$C/$n.dump"
    failed+=("$n")
  fi
  rm -f "$tmp" "$tmp.err"
done
[ ${#failed[@]} -eq 0 ] || { echo "not loadable: ${failed[*]}" >&2; exit 1; }
