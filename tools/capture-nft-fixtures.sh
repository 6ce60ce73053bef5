#!/usr/bin/env bash
# Recapture fixtures/nft/: what `nft -f FILE` sends for each ruleset in fixtures/nft/rulesets/
# (the NAT helpers' batches, a filter ruleset, named/anonymous/interval/concatenated sets and maps), a ruleset dump (`nft list ruleset`) and a
# table delete. Each runs in its own throwaway sandbox (tools/capture.ts). Then writes each
# fixture's decoded `expected` (tools/fixture-expect.ts) — review the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json
R=fixtures/nft/rulesets
for n in masquerade snat dnat filter sets anon-sets intervals maps concat; do
  node dist/tools/capture.js --out "fixtures/nft/batch-$n" --oracle 'nft -j list ruleset' \
    --description "nft -f $R/$n.nft: one batch (BATCH_BEGIN, NEWTABLE, NEWCHAIN…, NEWSET/NEWSETELEM…, NEWRULE…, BATCH_END) after nft's cache reads" \
    -- nft -f "$R/$n.nft"
done
node dist/tools/capture.js --out fixtures/nft/list-ruleset --setup "nft -f $R/filter.nft" --setup "nft -f $R/masquerade.nft" \
  --oracle 'nft -j list ruleset' --description 'nft list ruleset: dumps of tables, chains, sets, rules (filter + masquerade rulesets)' \
  -- nft list ruleset
node dist/tools/capture.js --out fixtures/nft/list-sets --setup "nft -f $R/anon-sets.nft" --setup "nft -f $R/intervals.nft" --setup "nft -f $R/maps.nft" --setup "nft -f $R/concat.nft" \
  --oracle 'nft -j list ruleset' --description 'nft list ruleset: anonymous sets and maps, interval sets, named maps and verdict maps, concatenations (with their elements) and the rules using them' \
  -- nft list ruleset
node dist/tools/capture.js --out fixtures/nft/delete-table --setup "nft -f $R/masquerade.nft" \
  --oracle 'nft -j list ruleset' --description 'nft delete table ip nat: one batch with NFT_MSG_DELTABLE' \
  -- nft delete table ip nat
node dist/tools/fixture-expect.js nft/batch-masquerade nft/batch-snat nft/batch-dnat nft/batch-filter nft/batch-sets nft/batch-anon-sets nft/batch-intervals nft/batch-maps nft/batch-concat nft/list-ruleset nft/list-sets nft/delete-table
node dist/tools/record-nft-commit.js
node dist/tools/nft-fixture-notes.js
