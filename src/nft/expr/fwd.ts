/** fwd: forward the packet out of a device (netdev; `enum nft_fwd_attributes`). */
import { be32, enumOf } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { NFPROTO_NAMES } from '../nfgenmsg.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NFTA_FWD = attrs('NFTA_FWD', {
  NFTA_FWD_SREG_DEV: { type: 1, key: 'sregDev', kind: reg },
  NFTA_FWD_SREG_ADDR: { type: 2, key: 'sregAddr', kind: reg },
  NFTA_FWD_NFPROTO: { type: 3, key: 'nfproto', kind: enumOf(be32, NFPROTO_NAMES) },
});
export type FwdData = AttrValues<typeof NFTA_FWD.spec>;

export const fwd = exprModule('fwd', NFTA_FWD, (d) => `fwd sreg_dev ${d.sregDev}${d.sregAddr !== undefined ? ` sreg_addr ${d.sregAddr} nfproto ${d.nfproto}` : ''}`);
