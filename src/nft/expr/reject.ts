/** reject: answer with an ICMP error or a TCP reset (`enum nft_reject_attributes`, `enum nft_reject_types`). */
import { be32, enumOf, u8 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { exprModule } from './module.js';

export const NFT_REJECT_ICMP_UNREACH = 0;
export const NFT_REJECT_TCP_RST = 1;
export const NFT_REJECT_ICMPX_UNREACH = 2;

export const NFTA_REJECT = attrs('NFTA_REJECT', {
  NFTA_REJECT_TYPE: { type: 1, key: 'type', kind: enumOf(be32, { 0: 'icmp unreach', 1: 'tcp reset', 2: 'icmpx unreach' }) },
  NFTA_REJECT_ICMP_CODE: { type: 2, key: 'icmpCode', kind: u8 },
});
export type RejectData = AttrValues<typeof NFTA_REJECT.spec>;

export const reject = exprModule('reject', NFTA_REJECT, (d) => `reject type ${d.type ?? 0} code ${d.icmpCode ?? 0}`);
