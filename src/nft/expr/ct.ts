/** ct: load conntrack state into a register, or set it (`enum nft_ct_attributes`, `enum nft_ct_keys`). */
import { be32, enumOf, u8 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const CT_KEY_NAMES: Readonly<Record<number, string>> = {
  0: 'state', 1: 'direction', 2: 'status', 3: 'mark', 4: 'secmark', 5: 'expiration', 6: 'helper', 7: 'l3protocol',
  8: 'src', 9: 'dst', 10: 'protocol', 11: 'proto_src', 12: 'proto_dst', 13: 'label', 14: 'packets', 15: 'bytes',
  16: 'avgpkt', 17: 'zone', 18: 'event', 19: 'ip saddr', 20: 'ip daddr', 21: 'ip6 saddr', 22: 'ip6 daddr', 23: 'id',
};
export const NFT_CT_STATE = 0;
export const NFT_CT_MARK = 3;
/** IP_CT_DIR_ORIGINAL 0, IP_CT_DIR_REPLY 1. */
const DIR_NAMES: Readonly<Record<number, string>> = { 0: 'original', 1: 'reply' };
/** NF_CT_STATE_* bits (<linux/netfilter/nf_conntrack_common.h>): NF_CT_STATE_BIT(IP_CT_*) and UNTRACKED. */
export const CT_STATE_BITS: ReadonlyArray<readonly [number, string]> = [
  [1 << 0, 'invalid'], [1 << 1, 'established'], [1 << 2, 'related'], [1 << 3, 'new'], [1 << 6, 'untracked'],
];

export const NFTA_CT = attrs('NFTA_CT', {
  NFTA_CT_DREG: { type: 1, key: 'dreg', kind: reg },
  NFTA_CT_KEY: { type: 2, key: 'key', kind: enumOf(be32, CT_KEY_NAMES) },
  NFTA_CT_DIRECTION: { type: 3, key: 'direction', kind: enumOf(u8, DIR_NAMES) },
  NFTA_CT_SREG: { type: 4, key: 'sreg', kind: reg },
});
export type CtData = AttrValues<typeof NFTA_CT.spec>;

export const ct = exprModule('ct', NFTA_CT, (d) => {
  const key = CT_KEY_NAMES[d.key ?? -1] ?? String(d.key);
  const dir = d.direction !== undefined ? ` , dir ${DIR_NAMES[d.direction] ?? d.direction}` : '';
  return d.sreg !== undefined ? `ct set ${key} with reg ${d.sreg}${dir}` : `ct load ${key} => reg ${d.dreg}${dir}`;
});
