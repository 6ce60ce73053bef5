/** lookup: is the register's value in a set (or map it to dreg)? `enum nft_lookup_attributes`. */
import { be32, string0 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

/** `enum nft_lookup_flags`. */
export const NFT_LOOKUP_F_INV = 1 << 0;

export const NFTA_LOOKUP = attrs('NFTA_LOOKUP', {
  NFTA_LOOKUP_SET: { type: 1, key: 'set', kind: string0 },
  NFTA_LOOKUP_SREG: { type: 2, key: 'sreg', kind: reg },
  NFTA_LOOKUP_DREG: { type: 3, key: 'dreg', kind: reg },
  // Refers to a set created earlier in the same batch (NFTA_SET_ID).
  NFTA_LOOKUP_SET_ID: { type: 4, key: 'setId', kind: be32 },
  NFTA_LOOKUP_FLAGS: { type: 5, key: 'flags', kind: be32 },
});
export type LookupData = AttrValues<typeof NFTA_LOOKUP.spec>;

export const lookup = exprModule('lookup', NFTA_LOOKUP, (d) =>
  `lookup reg ${d.sreg} set ${d.set}${d.dreg !== undefined ? ` dreg ${d.dreg}` : ''}${d.flags ? ` 0x${d.flags.toString(16)}` : ''}`);
