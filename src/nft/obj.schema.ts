/**
 * NFTA_OBJ_* (`enum nft_object_attributes`): named stateful objects — counters, quotas, limits,
 * ct helpers, ct timeouts, ct expectations, secmarks, synproxies (NFT_MSG_NEWOBJ / GETOBJ /
 * DELOBJ). NFTA_OBJ_DATA is laid out by NFTA_OBJ_TYPE; the counter, quota, limit, connlimit and
 * synproxy objects share their expression's table.
 */
import { be16, be32, be64, bytes, enumOf, string0, u8 } from '../netlink/kinds.js';
import { attrs, nested, union, type AttrValues } from '../netlink/schema.js';
import { NFTA_CONNLIMIT } from './expr/connlimit.js';
import { NFTA_COUNTER } from './expr/counter.js';
import { NFTA_LIMIT } from './expr/limit.js';
import { NFTA_QUOTA } from './expr/quota.js';
import { NFTA_SYNPROXY } from './expr/synproxy.js';
import { nftName } from './table.schema.js';

/** NFT_OBJECT_* by the name nft prints. */
export const OBJ_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'counter', 2: 'quota', 3: 'ct helper', 4: 'limit', 5: 'connlimit', 6: 'tunnel', 7: 'ct timeout', 8: 'secmark', 9: 'ct expectation', 10: 'synproxy',
};
export const NFT_OBJECT_COUNTER = 1;
export const NFT_OBJECT_QUOTA = 2;
export const NFT_OBJECT_CT_HELPER = 3;
export const NFT_OBJECT_LIMIT = 4;
export const NFT_OBJECT_CONNLIMIT = 5;
export const NFT_OBJECT_CT_TIMEOUT = 7;
export const NFT_OBJECT_SECMARK = 8;
export const NFT_OBJECT_CT_EXPECT = 9;
export const NFT_OBJECT_SYNPROXY = 10;

export const NFTA_CT_HELPER = attrs('NFTA_CT_HELPER', {
  NFTA_CT_HELPER_NAME: { type: 1, key: 'name', kind: string0 },
  NFTA_CT_HELPER_L3PROTO: { type: 2, key: 'l3proto', kind: be16 },
  NFTA_CT_HELPER_L4PROTO: { type: 3, key: 'l4proto', kind: u8 },
});

/** CTA_TIMEOUT_* values (seconds, be32) numbered per protocol (`enum ctattr_timeout_tcp`, …); kept as a list by attribute type. */
export const NFTA_CT_TIMEOUT = attrs('NFTA_CT_TIMEOUT', {
  NFTA_CT_TIMEOUT_L3PROTO: { type: 1, key: 'l3proto', kind: be16 },
  NFTA_CT_TIMEOUT_L4PROTO: { type: 2, key: 'l4proto', kind: u8 },
  NFTA_CT_TIMEOUT_DATA: { type: 3, key: 'data', kind: bytes },
});

export const NFTA_CT_EXPECT = attrs('NFTA_CT_EXPECT', {
  NFTA_CT_EXPECT_L3PROTO: { type: 1, key: 'l3proto', kind: be16 },
  NFTA_CT_EXPECT_L4PROTO: { type: 2, key: 'l4proto', kind: u8 },
  NFTA_CT_EXPECT_DPORT: { type: 3, key: 'dport', kind: be16 },
  NFTA_CT_EXPECT_TIMEOUT: { type: 4, key: 'timeout', kind: be32 },
  NFTA_CT_EXPECT_SIZE: { type: 5, key: 'size', kind: u8 },
});

export const NFTA_SECMARK = attrs('NFTA_SECMARK', {
  NFTA_SECMARK_CTX: { type: 1, key: 'ctx', kind: string0 },
});

const OBJ_DATA = () => ({
  1: nested(() => NFTA_COUNTER), 2: nested(() => NFTA_QUOTA), 3: nested(() => NFTA_CT_HELPER), 4: nested(() => NFTA_LIMIT),
  5: nested(() => NFTA_CONNLIMIT), 7: nested(() => NFTA_CT_TIMEOUT), 8: nested(() => NFTA_SECMARK), 9: nested(() => NFTA_CT_EXPECT),
  10: nested(() => NFTA_SYNPROXY),
});

export const NFTA_OBJ = attrs('NFTA_OBJ', {
  NFTA_OBJ_TABLE: { type: 1, key: 'table', kind: nftName },
  NFTA_OBJ_NAME: { type: 2, key: 'name', kind: nftName },
  NFTA_OBJ_TYPE: { type: 3, key: 'type', kind: enumOf(be32, OBJ_TYPE_NAMES) },
  NFTA_OBJ_DATA: { type: 4, key: 'data', kind: union('type', OBJ_DATA) },
  NFTA_OBJ_USE: { type: 5, key: 'use', kind: be32 },
  NFTA_OBJ_HANDLE: { type: 6, key: 'handle', kind: be64 },
  NFTA_OBJ_PAD: { type: 7, key: 'pad', kind: bytes },
  NFTA_OBJ_USERDATA: { type: 8, key: 'userdata', kind: bytes },
});
export type ObjAttrs = AttrValues<typeof NFTA_OBJ.spec>;
