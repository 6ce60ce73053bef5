/** range: is the register between two constants (inclusive)? `enum nft_range_attributes`, `enum nft_range_ops`. */
import { be32, enumOf } from '../../netlink/kinds.js';
import { attrs, nested, type AttrValues } from '../../netlink/schema.js';
import { NFTA_DATA, dataText } from '../data.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NFT_RANGE_EQ = 0;
export const NFT_RANGE_NEQ = 1;

export const NFTA_RANGE = attrs('NFTA_RANGE', {
  NFTA_RANGE_SREG: { type: 1, key: 'sreg', kind: reg },
  NFTA_RANGE_OP: { type: 2, key: 'op', kind: enumOf(be32, { 0: 'eq', 1: 'neq' }) },
  NFTA_RANGE_FROM_DATA: { type: 3, key: 'fromData', kind: nested(() => NFTA_DATA) },
  NFTA_RANGE_TO_DATA: { type: 4, key: 'toData', kind: nested(() => NFTA_DATA) },
});
export type RangeData = AttrValues<typeof NFTA_RANGE.spec>;

export const range = exprModule('range', NFTA_RANGE, (d) =>
  `range ${d.op === NFT_RANGE_NEQ ? 'neq' : 'eq'} reg ${d.sreg} ${dataText(d.fromData)} ${dataText(d.toData)}`);
