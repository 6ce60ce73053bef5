/** meta: load packet metadata into a register, or set it (`enum nft_meta_attributes`, `enum nft_meta_keys`). */
import { be32, enumOf } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

/** NFT_META_* by the name nft prints. */
export const META_KEY_NAMES: Readonly<Record<number, string>> = {
  0: 'len', 1: 'protocol', 2: 'priority', 3: 'mark', 4: 'iif', 5: 'oif', 6: 'iifname', 7: 'oifname', 8: 'iiftype',
  9: 'oiftype', 10: 'skuid', 11: 'skgid', 12: 'nftrace', 13: 'rtclassid', 14: 'secmark', 15: 'nfproto', 16: 'l4proto',
  17: 'ibrname', 18: 'obrname', 19: 'pkttype', 20: 'cpu', 21: 'iifgroup', 22: 'oifgroup', 23: 'cgroup', 24: 'random',
  25: 'secpath', 26: 'iifkind', 27: 'oifkind', 28: 'ibrpvid', 29: 'ibrvproto', 30: 'time', 31: 'day', 32: 'hour',
  33: 'sdif', 34: 'sdifname',
};
export const NFT_META_MARK = 3;
export const NFT_META_IIF = 4;
export const NFT_META_OIF = 5;
export const NFT_META_IIFNAME = 6;
export const NFT_META_OIFNAME = 7;
export const NFT_META_NFPROTO = 15;
export const NFT_META_L4PROTO = 16;

export const NFTA_META = attrs('NFTA_META', {
  NFTA_META_DREG: { type: 1, key: 'dreg', kind: reg },
  NFTA_META_KEY: { type: 2, key: 'key', kind: enumOf(be32, META_KEY_NAMES) },
  NFTA_META_SREG: { type: 3, key: 'sreg', kind: reg },
});
export type MetaData = AttrValues<typeof NFTA_META.spec>;

export const meta = exprModule('meta', NFTA_META, (d) => {
  const key = META_KEY_NAMES[d.key ?? -1] ?? String(d.key);
  return d.sreg !== undefined ? `meta set ${key} with reg ${d.sreg}` : `meta load ${key} => reg ${d.dreg}`;
});

/** `meta load KEY => reg DREG`. */
export function metaLoad(key: number, dreg = 1): { name: 'meta'; data: MetaData } {
  return { name: 'meta', data: { dreg, key } };
}
