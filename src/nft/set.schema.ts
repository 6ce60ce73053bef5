/**
 * NFTA_SET_* (`enum nft_set_attributes`), NFTA_SET_DESC_*, NFTA_SET_FIELD_*, NFTA_SET_ELEM_*
 * and NFTA_SET_ELEM_LIST_*: NFT_MSG_NEWSET / GETSET / DELSET and NFT_MSG_NEWSETELEM / … .
 */
import { be32, be64, bytes, enumOf, flagsOf, string0 } from '../netlink/kinds.js';
import { array, attrs, nested, type AttrValues } from '../netlink/schema.js';
import {
  NFT_SET_ANONYMOUS, NFT_SET_CONCAT, NFT_SET_CONSTANT, NFT_SET_ELEM_CATCHALL, NFT_SET_ELEM_INTERVAL_END, NFT_SET_EVAL,
  NFT_SET_EXPR, NFT_SET_INTERVAL, NFT_SET_MAP, NFT_SET_OBJECT, NFT_SET_TIMEOUT,
} from './constants.js';
import { NFTA_DATA } from './data.js';
import { NFTA_EXPR, exprList } from './expr.schema.js';
import { nftName } from './table.schema.js';

export const NFTA_SET_FIELD = attrs('NFTA_SET_FIELD', {
  NFTA_SET_FIELD_LEN: { type: 1, key: 'len', kind: be32 },
});

export const NFTA_SET_DESC = attrs('NFTA_SET_DESC', {
  NFTA_SET_DESC_SIZE: { type: 1, key: 'size', kind: be32 },
  // Concatenation fields: NFTA_LIST_ELEM nests of NFTA_SET_FIELD.
  NFTA_SET_DESC_CONCAT: { type: 2, key: 'concat', kind: array(nested(() => NFTA_SET_FIELD), { elemType: 1, name: 'NFTA_LIST_ELEM' }) },
});

export const SET_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [NFT_SET_ANONYMOUS, 'ANONYMOUS'], [NFT_SET_CONSTANT, 'CONSTANT'], [NFT_SET_INTERVAL, 'INTERVAL'], [NFT_SET_MAP, 'MAP'],
  [NFT_SET_TIMEOUT, 'TIMEOUT'], [NFT_SET_EVAL, 'EVAL'], [NFT_SET_OBJECT, 'OBJECT'], [NFT_SET_CONCAT, 'CONCAT'], [NFT_SET_EXPR, 'EXPR'],
];

/** NFTA_SET_* attributes. */
export const NFTA_SET = attrs('NFTA_SET', {
  NFTA_SET_TABLE: { type: 1, key: 'table', kind: nftName },
  NFTA_SET_NAME: { type: 2, key: 'name', kind: nftName },
  NFTA_SET_FLAGS: { type: 3, key: 'flags', kind: flagsOf(be32, SET_FLAGS) },
  // nft's datatype id (TYPE_IPADDR = 7, TYPE_INET_SERVICE = 13, …; concatenations pack 6 bits each).
  NFTA_SET_KEY_TYPE: { type: 4, key: 'keyType', kind: be32 },
  NFTA_SET_KEY_LEN: { type: 5, key: 'keyLen', kind: be32 },
  NFTA_SET_DATA_TYPE: { type: 6, key: 'dataType', kind: be32 },
  NFTA_SET_DATA_LEN: { type: 7, key: 'dataLen', kind: be32 },
  NFTA_SET_POLICY: { type: 8, key: 'policy', kind: enumOf(be32, { 0: 'performance', 1: 'memory' }) },
  NFTA_SET_DESC: { type: 9, key: 'desc', kind: nested(() => NFTA_SET_DESC) },
  NFTA_SET_ID: { type: 10, key: 'id', kind: be32 },
  NFTA_SET_TIMEOUT: { type: 11, key: 'timeout', kind: be64 },
  NFTA_SET_GC_INTERVAL: { type: 12, key: 'gcInterval', kind: be32 },
  NFTA_SET_USERDATA: { type: 13, key: 'userdata', kind: bytes },
  NFTA_SET_PAD: { type: 14, key: 'pad', kind: bytes },
  NFTA_SET_OBJ_TYPE: { type: 15, key: 'objType', kind: be32 },
  NFTA_SET_HANDLE: { type: 16, key: 'handle', kind: be64 },
  NFTA_SET_EXPR: { type: 17, key: 'expr', kind: nested(() => NFTA_EXPR) },
  NFTA_SET_EXPRESSIONS: { type: 18, key: 'expressions', kind: exprList },
  // Linux 6.16+, dump-only (the policy rejects them in requests): the set backend the kernel
  // chose (its ops symbol, e.g. "nft_set_rhash_type") and the element count.
  NFTA_SET_TYPE: { type: 19, key: 'backend', kind: string0 },
  NFTA_SET_COUNT: { type: 20, key: 'count', kind: be32 },
});
/** Decoded NFTA_SET_* attributes. */
export type SetAttrs = AttrValues<typeof NFTA_SET.spec>;

/** NFTA_SET_ELEM_* attributes (one element). */
export const NFTA_SET_ELEM = attrs('NFTA_SET_ELEM', {
  NFTA_SET_ELEM_KEY: { type: 1, key: 'key', kind: nested(() => NFTA_DATA) },
  NFTA_SET_ELEM_DATA: { type: 2, key: 'data', kind: nested(() => NFTA_DATA) },
  NFTA_SET_ELEM_FLAGS: { type: 3, key: 'flags', kind: flagsOf(be32, [[NFT_SET_ELEM_INTERVAL_END, 'INTERVAL_END'], [NFT_SET_ELEM_CATCHALL, 'CATCHALL']]) },
  NFTA_SET_ELEM_TIMEOUT: { type: 4, key: 'timeout', kind: be64 },
  NFTA_SET_ELEM_EXPIRATION: { type: 5, key: 'expiration', kind: be64 },
  NFTA_SET_ELEM_USERDATA: { type: 6, key: 'userdata', kind: bytes },
  NFTA_SET_ELEM_EXPR: { type: 7, key: 'expr', kind: nested(() => NFTA_EXPR) },
  NFTA_SET_ELEM_PAD: { type: 8, key: 'pad', kind: bytes },
  NFTA_SET_ELEM_OBJREF: { type: 9, key: 'objref', kind: string0 },
  NFTA_SET_ELEM_KEY_END: { type: 10, key: 'keyEnd', kind: nested(() => NFTA_DATA) },
  NFTA_SET_ELEM_EXPRESSIONS: { type: 11, key: 'expressions', kind: exprList },
});
/** Decoded NFTA_SET_ELEM_* attributes. */
export type SetElemAttrs = AttrValues<typeof NFTA_SET_ELEM.spec>;

/** NFTA_SET_ELEM_LIST_* attributes (a batch of elements of one set). */
export const NFTA_SET_ELEM_LIST = attrs('NFTA_SET_ELEM_LIST', {
  NFTA_SET_ELEM_LIST_TABLE: { type: 1, key: 'table', kind: nftName },
  NFTA_SET_ELEM_LIST_SET: { type: 2, key: 'set', kind: nftName },
  // libnftnl numbers the element nests 1, 2, 3, … (the kernel reads any type, and itself
  // writes NFTA_LIST_ELEM = 1 for each); encoded the libnftnl way so batches equal nft's.
  NFTA_SET_ELEM_LIST_ELEMENTS: { type: 3, key: 'elements', kind: array(nested(() => NFTA_SET_ELEM), { name: 'NFTA_LIST_ELEM' }) },
  NFTA_SET_ELEM_LIST_SET_ID: { type: 4, key: 'setId', kind: be32 },
});
export type SetElemListAttrs = AttrValues<typeof NFTA_SET_ELEM_LIST.spec>;
