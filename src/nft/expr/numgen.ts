/** numgen: an incrementing or random number modulo N plus an offset (`enum nft_ng_attributes`, `enum nft_ng_types`). */
import { be32, enumOf, string0 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NG_TYPE_NAMES: Readonly<Record<number, string>> = { 0: 'inc', 1: 'random' };

export const NFTA_NG = attrs('NFTA_NG', {
  NFTA_NG_DREG: { type: 1, key: 'dreg', kind: reg },
  NFTA_NG_MODULUS: { type: 2, key: 'modulus', kind: be32 },
  NFTA_NG_TYPE: { type: 3, key: 'type', kind: enumOf(be32, NG_TYPE_NAMES) },
  NFTA_NG_OFFSET: { type: 4, key: 'offset', kind: be32 },
  NFTA_NG_SET_NAME: { type: 5, key: 'set', kind: string0 },
  NFTA_NG_SET_ID: { type: 6, key: 'setId', kind: be32 },
});
export type NumgenData = AttrValues<typeof NFTA_NG.spec>;

export const numgen = exprModule('numgen', NFTA_NG, (d) => `numgen reg ${d.dreg} = ${NG_TYPE_NAMES[d.type ?? 0]} mod ${d.modulus}${d.offset ? ` offset ${d.offset}` : ''}`);
