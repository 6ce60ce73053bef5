/** osf: passive OS fingerprint of a SYN (`enum nft_osf_attributes`; NFT_OSF_F_VERSION). */
import { be32, u8 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NFT_OSF_F_VERSION = 1;

export const NFTA_OSF = attrs('NFTA_OSF', {
  NFTA_OSF_DREG: { type: 1, key: 'dreg', kind: reg },
  // NF_OSF_TTL_TRUE 0, NF_OSF_TTL_LESS 1 (`loose`), NF_OSF_TTL_NOCHECK 2 (`skip`).
  NFTA_OSF_TTL: { type: 2, key: 'ttl', kind: u8 },
  NFTA_OSF_FLAGS: { type: 3, key: 'flags', kind: be32 },
});
export type OsfData = AttrValues<typeof NFTA_OSF.spec>;

export const osf = exprModule('osf', NFTA_OSF, (d) => `osf dreg ${d.dreg} ttl ${d.ttl ?? 0}${d.flags ? ' version' : ''}`);
