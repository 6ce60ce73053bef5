/** hash: jhash of a register, or symhash of the flow, modulo N plus an offset (`enum nft_hash_attributes`, `enum nft_hash_types`). */
import { be32, enumOf, string0 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const HASH_TYPE_NAMES: Readonly<Record<number, string>> = { 0: 'jhash', 1: 'symhash' };

export const NFTA_HASH = attrs('NFTA_HASH', {
  NFTA_HASH_SREG: { type: 1, key: 'sreg', kind: reg },
  NFTA_HASH_DREG: { type: 2, key: 'dreg', kind: reg },
  NFTA_HASH_LEN: { type: 3, key: 'len', kind: be32 },
  NFTA_HASH_MODULUS: { type: 4, key: 'modulus', kind: be32 },
  NFTA_HASH_SEED: { type: 5, key: 'seed', kind: be32 },
  NFTA_HASH_OFFSET: { type: 6, key: 'offset', kind: be32 },
  NFTA_HASH_TYPE: { type: 7, key: 'type', kind: enumOf(be32, HASH_TYPE_NAMES) },
  NFTA_HASH_SET_NAME: { type: 8, key: 'set', kind: string0 },
  NFTA_HASH_SET_ID: { type: 9, key: 'setId', kind: be32 },
});
export type HashData = AttrValues<typeof NFTA_HASH.spec>;

export const hash = exprModule('hash', NFTA_HASH, (d) => (d.type === 1
  ? `hash reg ${d.dreg} = symhash() % mod ${d.modulus}${d.offset ? ` offset ${d.offset}` : ''}`
  : `hash reg ${d.dreg} = jhash(reg ${d.sreg}, ${d.len}, 0x${(d.seed ?? 0).toString(16)}) % mod ${d.modulus}${d.offset ? ` offset ${d.offset}` : ''}`));
