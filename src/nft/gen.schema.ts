/** NFTA_GEN_* (`enum nft_gen_attributes`): NFT_MSG_NEWGEN, the ruleset generation (reply to GETGEN, and after every commit). */
import { be32, string0 } from '../netlink/kinds.js';
import { attrs, type AttrValues } from '../netlink/schema.js';

/** NFTA_GEN_* attributes: the generation id and who committed it. */
export const NFTA_GEN = attrs('NFTA_GEN', {
  NFTA_GEN_ID: { type: 1, key: 'id', kind: be32 },
  NFTA_GEN_PROC_PID: { type: 2, key: 'procPid', kind: be32 },
  NFTA_GEN_PROC_NAME: { type: 3, key: 'procName', kind: string0 },
});
export type GenAttrs = AttrValues<typeof NFTA_GEN.spec>;
