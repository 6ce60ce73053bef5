/**
 * bitwise: `dreg = (sreg & mask) ^ xor` (NFT_BITWISE_MASK_XOR, nft's prefix and flag tests) or
 * a shift by NFTA_BITWISE_DATA (`enum nft_bitwise_attributes`, `enum nft_bitwise_ops`).
 */
import { be32, enumOf } from '../../netlink/kinds.js';
import { attrs, nested, type AttrValues } from '../../netlink/schema.js';
import { NFTA_DATA, dataText } from '../data.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NFT_BITWISE_MASK_XOR = 0;
export const NFT_BITWISE_LSHIFT = 1;
export const NFT_BITWISE_RSHIFT = 2;
const OP_NAMES: Readonly<Record<number, string>> = { 0: 'mask_xor', 1: 'lshift', 2: 'rshift' };

export const NFTA_BITWISE = attrs('NFTA_BITWISE', {
  NFTA_BITWISE_SREG: { type: 1, key: 'sreg', kind: reg },
  NFTA_BITWISE_DREG: { type: 2, key: 'dreg', kind: reg },
  NFTA_BITWISE_LEN: { type: 3, key: 'len', kind: be32 },
  NFTA_BITWISE_MASK: { type: 4, key: 'mask', kind: nested(() => NFTA_DATA) },
  NFTA_BITWISE_XOR: { type: 5, key: 'xor', kind: nested(() => NFTA_DATA) },
  NFTA_BITWISE_OP: { type: 6, key: 'op', kind: enumOf(be32, OP_NAMES) },
  NFTA_BITWISE_DATA: { type: 7, key: 'data', kind: nested(() => NFTA_DATA) },
});
export type BitwiseData = AttrValues<typeof NFTA_BITWISE.spec>;

export const bitwise = exprModule('bitwise', NFTA_BITWISE, (d) => {
  if (d.op === NFT_BITWISE_LSHIFT || d.op === NFT_BITWISE_RSHIFT) {
    return `bitwise reg ${d.dreg} = ( reg ${d.sreg} ${d.op === NFT_BITWISE_LSHIFT ? '<<' : '>>'} ${dataText(d.data)} )`;
  }
  return `bitwise reg ${d.dreg} = ( reg ${d.sreg} & ${dataText(d.mask)} ) ^ ${dataText(d.xor)}`;
});

/** `bitwise reg DREG = ( reg SREG & MASK ) ^ XOR` (xor defaults to zeros). */
export function bitwiseMask(mask: Buffer, reg1 = 1, xor = Buffer.alloc(mask.length)): { name: 'bitwise'; data: BitwiseData } {
  if (xor.length !== mask.length) throw new RangeError('bitwise: mask and xor must be the same length');
  return { name: 'bitwise', data: { sreg: reg1, dreg: reg1, len: mask.length, mask: { value: mask }, xor: { value: xor } } };
}
