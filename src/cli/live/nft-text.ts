/**
 * The nftables ruleset as `nft list ruleset` / `nft -j list ruleset` print it — the library's
 * printers (src/nft/print/ruleset.ts), used by `netlink-dump nft` and `netlink-dump monitor nft`.
 */
export { chainJson, priorityText, ruleJson, ruleLine, rulesetJson, rulesetText, setFlagNames, setJson, tableJson } from '../../nft/print/ruleset.js';
export type { NftObject } from '../../nft/print/ruleset.js';
