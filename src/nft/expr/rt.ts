/** rt: routing information of the packet's dst (`enum nft_rt_attributes`, `enum nft_rt_keys`). */
import { be32, enumOf } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

/** NFT_RT_* as the debug output names them. */
export const RT_KEY_NAMES: Readonly<Record<number, string>> = { 0: 'classid', 1: 'nexthop4', 2: 'nexthop6', 3: 'tcpmss', 4: 'ipsec' };

export const NFTA_RT = attrs('NFTA_RT', {
  NFTA_RT_DREG: { type: 1, key: 'dreg', kind: reg },
  NFTA_RT_KEY: { type: 2, key: 'key', kind: enumOf(be32, RT_KEY_NAMES) },
});
export type RtData = AttrValues<typeof NFTA_RT.spec>;

export const rt = exprModule('rt', NFTA_RT, (d) => `rt load ${RT_KEY_NAMES[d.key ?? 0] ?? d.key} => reg ${d.dreg}`);
