/** NFTA_RULE_* (`enum nft_rule_attributes`): NFT_MSG_NEWRULE / GETRULE / DELRULE. */
import { be32, be64, bytes, flagsOf } from '../netlink/kinds.js';
import { attrs, nested, type AttrValues } from '../netlink/schema.js';
import { exprList } from './expr.schema.js';
import { nftName } from './table.schema.js';

/** NFTA_RULE_COMPAT_* (`enum nft_rule_compat_attributes`): xtables-compat rules. */
export const NFTA_RULE_COMPAT = attrs('NFTA_RULE_COMPAT', {
  NFTA_RULE_COMPAT_PROTO: { type: 1, key: 'proto', kind: be32 },
  NFTA_RULE_COMPAT_FLAGS: { type: 2, key: 'flags', kind: flagsOf(be32, [[1 << 1, 'INV']]) },
});

/** NFTA_RULE_* attributes. */
export const NFTA_RULE = attrs('NFTA_RULE', {
  NFTA_RULE_TABLE: { type: 1, key: 'table', kind: nftName },
  NFTA_RULE_CHAIN: { type: 2, key: 'chain', kind: nftName },
  NFTA_RULE_HANDLE: { type: 3, key: 'handle', kind: be64 },
  NFTA_RULE_EXPRESSIONS: { type: 4, key: 'expressions', kind: exprList },
  NFTA_RULE_COMPAT: { type: 5, key: 'compat', kind: nested(() => NFTA_RULE_COMPAT) },
  // Insert after (NLM_F_APPEND) / before this rule handle.
  NFTA_RULE_POSITION: { type: 6, key: 'position', kind: be64 },
  // libnftnl TLVs: NFTNL_UDATA_RULE_COMMENT = 0, … (see userdata.ts).
  NFTA_RULE_USERDATA: { type: 7, key: 'userdata', kind: bytes },
  NFTA_RULE_PAD: { type: 8, key: 'pad', kind: bytes },
  NFTA_RULE_ID: { type: 9, key: 'id', kind: be32 },
  NFTA_RULE_POSITION_ID: { type: 10, key: 'positionId', kind: be32 },
  NFTA_RULE_CHAIN_ID: { type: 11, key: 'chainId', kind: be32 },
});
export type RuleAttrs = AttrValues<typeof NFTA_RULE.spec>;
