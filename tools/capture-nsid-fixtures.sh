#!/usr/bin/env bash
# Recapture fixtures/route/nsid/: iproute2's namespace-id requests (ip netns set / list /
# list-id), each in a fresh sandbox via tools/capture.ts, then decode them into `expected` and
# record the NsidApi call that must send the same bytes (tools/nsid-fixture-notes.json;
# test/unit/nsid.test.ts runs it). Build first: npx tsc -p tsconfig.json
set -euo pipefail
cd "$(dirname "$0")/.."
C=(node dist/tools/capture.js)
D=fixtures/route/nsid
mkdir -p $D
"${C[@]}" --out $D/req-netns-set --setup 'ip netns add lab1' --oracle 'ip -j netns list-id' \
  --description 'ip netns set lab1 5: RTM_NEWNSID with NETNSA_FD + NETNSA_NSID' -- ip netns set lab1 5
"${C[@]}" --out $D/getnsid-list --setup 'ip netns add lab1' --setup 'ip netns add lab2' --setup 'ip netns set lab1 5' --oracle 'ip -j netns list-id' \
  --description 'ip netns list: RTM_GETNSID by NETNSA_FD per name' -- ip netns list
"${C[@]}" --out $D/getnsid-dump --setup 'ip netns add lab1' --setup 'ip netns add lab2' --setup 'ip netns set lab1 5' --setup 'ip netns set lab2 9' \
  --oracle 'ip -j netns list-id' --description 'ip netns list-id: RTM_GETNSID dump' -- ip netns list-id
node dist/tools/fixture-expect.js $(ls $D/*.hex | sed 's|^fixtures/||; s|\.hex$||')
node dist/tools/apply-fixture-notes.js tools/nsid-fixture-notes.json
