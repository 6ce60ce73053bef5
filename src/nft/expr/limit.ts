/** limit: token-bucket rate limit (`enum nft_limit_attributes`, `enum nft_limit_type`). */
import { be32, be64, bytes, enumOf } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { exprModule } from './module.js';

export const NFT_LIMIT_PKTS = 0;
export const NFT_LIMIT_PKT_BYTES = 1;
/** `enum nft_limit_flags`. */
export const NFT_LIMIT_F_INV = 1 << 0;

export const NFTA_LIMIT = attrs('NFTA_LIMIT', {
  NFTA_LIMIT_RATE: { type: 1, key: 'rate', kind: be64 },
  // Seconds per `rate` (1 = per second, 60 = per minute, …).
  NFTA_LIMIT_UNIT: { type: 2, key: 'unit', kind: be64 },
  NFTA_LIMIT_BURST: { type: 3, key: 'burst', kind: be32 },
  NFTA_LIMIT_TYPE: { type: 4, key: 'type', kind: enumOf(be32, { 0: 'packets', 1: 'bytes' }) },
  NFTA_LIMIT_FLAGS: { type: 5, key: 'flags', kind: be32 },
  NFTA_LIMIT_PAD: { type: 6, key: 'pad', kind: bytes },
});
export type LimitData = AttrValues<typeof NFTA_LIMIT.spec>;

export const UNIT_NAMES: Readonly<Record<string, string>> = { '1': 'second', '60': 'minute', '3600': 'hour', '86400': 'day', '604800': 'week' };

export const limit = exprModule('limit', NFTA_LIMIT, (d) =>
  `limit rate ${d.rate ?? 0n}/${UNIT_NAMES[String(d.unit ?? 0n)] ?? d.unit} burst ${d.burst ?? 0} type ${d.type === NFT_LIMIT_PKT_BYTES ? 'bytes' : 'packets'} flags 0x${(d.flags ?? 0).toString(16)}`);
