/** cmp: compare a register with a constant (`enum nft_cmp_attributes`, `enum nft_cmp_ops`). */
import { be32, enumOf } from '../../netlink/kinds.js';
import { attrs, nested, type AttrValues } from '../../netlink/schema.js';
import { NFTA_DATA, dataText } from '../data.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NFT_CMP_EQ = 0;
export const NFT_CMP_NEQ = 1;
export const NFT_CMP_LT = 2;
export const NFT_CMP_LTE = 3;
export const NFT_CMP_GT = 4;
export const NFT_CMP_GTE = 5;
export const CMP_OP_NAMES: Readonly<Record<number, string>> = { 0: 'eq', 1: 'neq', 2: 'lt', 3: 'lte', 4: 'gt', 5: 'gte' };

export const NFTA_CMP = attrs('NFTA_CMP', {
  NFTA_CMP_SREG: { type: 1, key: 'sreg', kind: reg },
  NFTA_CMP_OP: { type: 2, key: 'op', kind: enumOf(be32, CMP_OP_NAMES) },
  NFTA_CMP_DATA: { type: 3, key: 'data', kind: nested(() => NFTA_DATA) },
});
export type CmpData = AttrValues<typeof NFTA_CMP.spec>;

export const cmp = exprModule('cmp', NFTA_CMP, (d) => `cmp ${CMP_OP_NAMES[d.op ?? -1] ?? d.op} reg ${d.sreg} ${dataText(d.data)}`);

/** `cmp OP reg SREG VALUE`. */
export function cmpValue(op: number, value: Buffer, sreg = 1): { name: 'cmp'; data: CmpData } {
  return { name: 'cmp', data: { sreg, op, data: { value } } };
}
