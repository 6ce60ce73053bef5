/** dup: send a copy of the packet to an address / device (`enum nft_dup_attributes`). */
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NFTA_DUP = attrs('NFTA_DUP', {
  NFTA_DUP_SREG_ADDR: { type: 1, key: 'sregAddr', kind: reg },
  NFTA_DUP_SREG_DEV: { type: 2, key: 'sregDev', kind: reg },
});
export type DupData = AttrValues<typeof NFTA_DUP.spec>;

export const dup = exprModule('dup', NFTA_DUP, (d) => `dup sreg_addr ${d.sregAddr ?? ''}${d.sregDev !== undefined ? ` sreg_dev ${d.sregDev}` : ''}`);
