/** xfrm: IPsec state of the packet (`ipsec in|out`; `enum nft_xfrm_attributes`, `enum nft_xfrm_keys`). */
import { be32, enumOf, u8 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const XFRM_KEY_NAMES: Readonly<Record<number, string>> = { 1: 'daddr_ip4', 2: 'daddr_ip6', 3: 'saddr_ip4', 4: 'saddr_ip6', 5: 'reqid', 6: 'spi' };

export const NFTA_XFRM = attrs('NFTA_XFRM', {
  NFTA_XFRM_DREG: { type: 1, key: 'dreg', kind: reg },
  NFTA_XFRM_KEY: { type: 2, key: 'key', kind: enumOf(be32, XFRM_KEY_NAMES) },
  // XFRM_POLICY_IN 0, XFRM_POLICY_OUT 1.
  NFTA_XFRM_DIR: { type: 3, key: 'dir', kind: u8 },
  NFTA_XFRM_SPNUM: { type: 4, key: 'spnum', kind: be32 },
});
export type XfrmData = AttrValues<typeof NFTA_XFRM.spec>;

export const xfrm = exprModule('xfrm', NFTA_XFRM, (d) => `xfrm load ${d.dir ? 'out' : 'in'} ${d.spnum ?? 0} ${XFRM_KEY_NAMES[d.key ?? 0] ?? d.key} => reg ${d.dreg}`);
