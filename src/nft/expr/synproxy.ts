/** synproxy: answer SYNs on behalf of the server (`enum nft_synproxy_attributes`; flags NF_SYNPROXY_OPT_*). */
import { be16, be32, u8 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { exprModule } from './module.js';

/** NF_SYNPROXY_OPT_MSS 1, WSCALE 2, SACK_PERM 4, TIMESTAMP 8. */
export const NF_SYNPROXY_OPT_MSS = 1;
export const NF_SYNPROXY_OPT_WSCALE = 2;
export const NF_SYNPROXY_OPT_SACK_PERM = 4;
export const NF_SYNPROXY_OPT_TIMESTAMP = 8;

export const NFTA_SYNPROXY = attrs('NFTA_SYNPROXY', {
  NFTA_SYNPROXY_MSS: { type: 1, key: 'mss', kind: be16 },
  NFTA_SYNPROXY_WSCALE: { type: 2, key: 'wscale', kind: u8 },
  NFTA_SYNPROXY_FLAGS: { type: 3, key: 'flags', kind: be32 },
});
export type SynproxyData = AttrValues<typeof NFTA_SYNPROXY.spec>;

export const synproxy = exprModule('synproxy', NFTA_SYNPROXY, (d) => `synproxy mss ${d.mss ?? 0} wscale ${d.wscale ?? 0} flags 0x${(d.flags ?? 0).toString(16)}`);
