/** notrack: skip connection tracking for this packet. It has no attributes (net/netfilter/nft_ct.c `nft_notrack_ops`). */
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { exprModule } from './module.js';

export const NFTA_NOTRACK = attrs('NFTA_NOTRACK', {});
export type NotrackData = AttrValues<typeof NFTA_NOTRACK.spec>;

export const notrack = exprModule('notrack', NFTA_NOTRACK, () => 'notrack');
