/** objref: use a named stateful object (counter, quota, limit, ct helper, …), by name or through a map (`enum nft_objref_attributes`). */
import { be32, string0 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NFTA_OBJREF = attrs('NFTA_OBJREF', {
  // NFT_OBJECT_* (counter 1, quota 2, ct helper 3, limit 4, …).
  NFTA_OBJREF_IMM_TYPE: { type: 1, key: 'type', kind: be32 },
  NFTA_OBJREF_IMM_NAME: { type: 2, key: 'name', kind: string0 },
  NFTA_OBJREF_SET_SREG: { type: 3, key: 'setSreg', kind: reg },
  NFTA_OBJREF_SET_NAME: { type: 4, key: 'set', kind: string0 },
  NFTA_OBJREF_SET_ID: { type: 5, key: 'setId', kind: be32 },
});
export type ObjrefData = AttrValues<typeof NFTA_OBJREF.spec>;

export const objref = exprModule('objref', NFTA_OBJREF, (d) =>
  (d.set !== undefined ? `objref sreg ${d.setSreg} set ${d.set}` : `objref type ${d.type} name ${d.name}`));
