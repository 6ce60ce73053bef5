/**
 * Flowtables (NFT_MSG_NEWFLOWTABLE / GETFLOWTABLE / DELFLOWTABLE, <linux/netfilter/nf_tables.h>
 * `enum nft_flowtable_attributes`, `nft_flowtable_hook_attributes`, `nft_devices_attributes`).
 * Decode tables only: this kernel build has no flowtables, the library builds none.
 */
import { be32, be64, bytes, string0 } from '../netlink/kinds.js';
import { array, attrs, nested, type AttrValues } from '../netlink/schema.js';
import { nftName } from './table.schema.js';

/** NFTA_DEVICE_*: one device of a flowtable hook. */
export const NFTA_DEVICE = attrs('NFTA_DEVICE', {
  NFTA_DEVICE_NAME: { type: 1, key: 'name', kind: string0 },
});

export const NFTA_FLOWTABLE_HOOK = attrs('NFTA_FLOWTABLE_HOOK', {
  NFTA_FLOWTABLE_HOOK_NUM: { type: 1, key: 'num', kind: be32 },
  NFTA_FLOWTABLE_HOOK_PRIORITY: { type: 2, key: 'priority', kind: be32 },
  NFTA_FLOWTABLE_HOOK_DEVS: { type: 3, key: 'devs', kind: array(string0, { elemType: 1, name: 'NFTA_DEVICE_NAME' }) },
});

export const NFTA_FLOWTABLE = attrs('NFTA_FLOWTABLE', {
  NFTA_FLOWTABLE_TABLE: { type: 1, key: 'table', kind: nftName },
  NFTA_FLOWTABLE_NAME: { type: 2, key: 'name', kind: nftName },
  NFTA_FLOWTABLE_HOOK: { type: 3, key: 'hook', kind: nested(() => NFTA_FLOWTABLE_HOOK) },
  NFTA_FLOWTABLE_USE: { type: 4, key: 'use', kind: be32 },
  NFTA_FLOWTABLE_HANDLE: { type: 5, key: 'handle', kind: be64 },
  NFTA_FLOWTABLE_PAD: { type: 6, key: 'pad', kind: bytes },
  NFTA_FLOWTABLE_FLAGS: { type: 7, key: 'flags', kind: be32 },
});
export type FlowtableAttrs = AttrValues<typeof NFTA_FLOWTABLE.spec>;
