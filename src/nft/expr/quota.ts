/** quota: match until (or once, with NFT_QUOTA_F_INV, over) a byte budget (`enum nft_quota_attributes`). */
import { be32, be64, bytes } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { exprModule } from './module.js';

export const NFT_QUOTA_F_INV = 1;
export const NFT_QUOTA_F_DEPLETED = 2;

export const NFTA_QUOTA = attrs('NFTA_QUOTA', {
  NFTA_QUOTA_BYTES: { type: 1, key: 'bytes', kind: be64 },
  NFTA_QUOTA_FLAGS: { type: 2, key: 'flags', kind: be32 },
  NFTA_QUOTA_PAD: { type: 3, key: 'pad', kind: bytes },
  NFTA_QUOTA_CONSUMED: { type: 4, key: 'consumed', kind: be64 },
});
export type QuotaData = AttrValues<typeof NFTA_QUOTA.spec>;

export const quota = exprModule('quota', NFTA_QUOTA, (d) => `quota bytes ${d.bytes} consumed ${d.consumed ?? 0n} flags ${d.flags ?? 0}`);
