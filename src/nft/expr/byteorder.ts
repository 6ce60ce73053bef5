/** byteorder: convert a register between host and network byte order (`enum nft_byteorder_attributes`, `enum nft_byteorder_ops`). */
import { be32, enumOf } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NFT_BYTEORDER_NTOH = 0;
export const NFT_BYTEORDER_HTON = 1;
const OPS: Readonly<Record<number, string>> = { 0: 'ntoh', 1: 'hton' };

export const NFTA_BYTEORDER = attrs('NFTA_BYTEORDER', {
  NFTA_BYTEORDER_SREG: { type: 1, key: 'sreg', kind: reg },
  NFTA_BYTEORDER_DREG: { type: 2, key: 'dreg', kind: reg },
  NFTA_BYTEORDER_OP: { type: 3, key: 'op', kind: enumOf(be32, OPS) },
  NFTA_BYTEORDER_LEN: { type: 4, key: 'len', kind: be32 },
  NFTA_BYTEORDER_SIZE: { type: 5, key: 'size', kind: be32 },
});
export type ByteorderData = AttrValues<typeof NFTA_BYTEORDER.spec>;

export const byteorder = exprModule('byteorder', NFTA_BYTEORDER, (d) => `byteorder reg ${d.dreg} = ${OPS[d.op ?? 0]}(reg ${d.sreg}, ${d.size}, ${d.len})`);
