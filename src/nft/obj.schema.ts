/**
 * Stateful objects (NFT_MSG_NEWOBJ / GETOBJ / DELOBJ, <linux/netfilter/nf_tables.h> `enum
 * nft_object_attributes`): counters, quotas, limits, ct helpers, … The type-specific
 * NFTA_OBJ_DATA nest is kept raw (decode names the object and its type).
 */
import { be32, be64, bytes, enumOf } from '../netlink/kinds.js';
import { attrs, type AttrValues } from '../netlink/schema.js';
import { nftName } from './table.schema.js';

/** NFT_OBJECT_* (object types). */
const NFT_OBJECT_NAMES = {
  1: 'counter', 2: 'quota', 3: 'ct helper', 4: 'limit', 5: 'connlimit', 6: 'tunnel', 7: 'ct timeout', 8: 'secmark',
  9: 'ct expectation', 10: 'synproxy',
} as const;

export const NFTA_OBJ = attrs('NFTA_OBJ', {
  NFTA_OBJ_TABLE: { type: 1, key: 'table', kind: nftName },
  NFTA_OBJ_NAME: { type: 2, key: 'name', kind: nftName },
  NFTA_OBJ_TYPE: { type: 3, key: 'type', kind: enumOf(be32, NFT_OBJECT_NAMES) },
  NFTA_OBJ_DATA: { type: 4, key: 'data', kind: bytes },
  NFTA_OBJ_USE: { type: 5, key: 'use', kind: be32 },
  NFTA_OBJ_HANDLE: { type: 6, key: 'handle', kind: be64 },
  NFTA_OBJ_PAD: { type: 7, key: 'pad', kind: bytes },
  NFTA_OBJ_USERDATA: { type: 8, key: 'userdata', kind: bytes },
});
export type ObjAttrs = AttrValues<typeof NFTA_OBJ.spec>;
