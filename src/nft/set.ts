/**
 * Sets and maps: the typed object read back from NFT_MSG_NEWSET dumps, and the NFT_MSG_NEWSET /
 * DELSET / NEWSETELEM / DELSETELEM messages — named sets (`nft add set`), `flags interval`,
 * maps and verdict maps (`type ipv4_addr : ipv4_addr`, `type inet_service : verdict`), and the
 * anonymous sets and maps nft creates for `{ 80, 443 }` in a rule (anonymous.ts). Keys of one
 * datatype (set-types.ts); concatenations are not built here yet (they decode, raw).
 */
import { NLM_F_CREATE } from '../netlink/header.js';
import type { Message, OutMessage } from '../netlink/message.js';
import { NFNETLINK_V0, NFT_MSG_DELSET, NFT_MSG_DELSETELEM, NFT_MSG_NEWSET, NFT_MSG_NEWSETELEM, NFT_SET_INTERVAL, NFT_SET_MAP, nftType } from './constants.js';
import { type FamilyName, familyName, familyNumber } from './family.js';
import type { SetAttrs, SetElemAttrs, SetElemListAttrs } from './set.schema.js';
import { type ElementJson, type KeyValue, type MapEntry, buildElements, checkSetShape } from './set-elements.js';
import { type SetDataType, type SetKeyType, type SetKeyTypes, dataTypeInfo, dataTypeName, keyInfo, keyParts } from './set-types.js';
import { concatTypeof, setUdata } from './set-udata.js';
import { checkName } from './table.js';

/** A named set or map as listed: key type, flags, data type, elements. */
export interface NftSet {
  readonly family: FamilyName;
  readonly table: string;
  readonly name: string;
  readonly handle: bigint;
  /** NFT_SET_* flags (ANONYMOUS 1, CONSTANT 2, INTERVAL 4, MAP 8, …). */
  readonly flags: number;
  /** nft datatype id of the key and its length in bytes. */
  readonly keyType: number;
  readonly keyLen: number;
  /** The datatype by nft's name (a list for a concatenation), when this library knows it. */
  readonly type?: SetKeyType | readonly SetKeyType[];
  /** Maps only: the data datatype id (NFT_DATA_VERDICT for verdict maps) and length. */
  readonly dataType?: number;
  readonly dataLen?: number;
  /** Maps only: the data type by name, when known. */
  readonly map?: SetDataType;
  /** The elements as nft -j prints them, when the listing fetched them (NftHandle.list does). */
  readonly elements?: readonly ElementJson[];
  /** The elements as the kernel dumped them (NftHandle.list): what printing and re-creating read. */
  readonly rawElements?: readonly SetElemAttrs[];
  /** Every attribute of the NFT_MSG_NEWSET dump (policy, size, timeout, gc-interval, userdata, expressions, …). */
  readonly attrs?: SetAttrs;
}

/** A set by family, table and name. */
export interface SetRef {
  readonly family: FamilyName;
  readonly table: string;
  readonly name: string;
}

/** A set or map to add: key type(s), flags (interval, constant, …), map data type, elements. */
export interface SetSpec extends SetRef {
  /** The key type, or a list of types for a concatenation (`type ipv4_addr . inet_service`). */
  readonly type: SetKeyTypes;
  /** `flags interval`: elements may be prefixes (`'10.0.0.0/8'`) and ranges (`{ range: [1000, 2000] }`). */
  readonly interval?: boolean;
  /** A map (`type KEY : DATA`) with this data type; its elements are `[key, data]` entries. */
  readonly map?: SetDataType;
  /** Elements to add in the same batch: keys, or for a map `[key, data]` entries. */
  readonly elements?: readonly (KeyValue | MapEntry)[];
}

const header = (family: number) => ({ family, version: NFNETLINK_V0, resId: 0 });

/** A decoded NFT_MSG_NEWSET as an NftSet. */
export function toSet(m: Message): NftSet {
  const a = m.attrs as SetAttrs;
  const out: { -readonly [K in keyof NftSet]: NftSet[K] } = {
    family: familyName(m.header.family), table: a.table ?? '', name: a.name ?? '', handle: a.handle ?? 0n,
    flags: a.flags ?? 0, keyType: a.keyType ?? 0, keyLen: a.keyLen ?? 0,
  };
  checkSetShape(out);
  const parts = keyParts(out.keyType, out.keyLen);
  if (parts) out.type = parts.length === 1 ? parts[0]! : parts;
  if (a.dataType !== undefined) {
    out.dataType = a.dataType;
    const d = dataTypeName(a.dataType);
    if (d) out.map = d;
  }
  if (a.dataLen !== undefined) out.dataLen = a.dataLen;
  out.attrs = a;
  return out;
}

/** NFT_MSG_NEWSET as nft writes it for a named set or map; `id` is the batch-local NFTA_SET_ID rules and elements refer to. */
export function newSetMessage(s: SetSpec, id: number): OutMessage {
  const info = keyInfo(s.type, 'set.type');
  if (s.interval !== undefined && typeof s.interval !== 'boolean') throw new TypeError('set.interval: expected a boolean');
  const data = s.map !== undefined ? dataTypeInfo(s.map, 'set.map') : undefined;
  if (data && s.interval) throw new RangeError('set.interval: interval maps are not supported');
  if (info.concat && s.interval) throw new RangeError('set.interval: interval concatenations are not supported');
  const attrs: SetAttrs = {
    table: checkName(s.table, 'set.table'), name: checkName(s.name, 'set.name'),
    flags: (s.interval ? NFT_SET_INTERVAL : 0) | (data ? NFT_SET_MAP : 0), keyType: info.id, keyLen: info.len,
  };
  if (data) { attrs.dataType = data.id; attrs.dataLen = data.len; }
  attrs.id = id;
  // A concatenated key's typeof names no components when the set was declared by type.
  const keyTypeof = info.concat ? { keyTypeof: concatTypeof([]) } : {};
  attrs.userdata = setUdata(data ? { keyByteorder: info.byteorder, dataByteorder: data.byteorder, ...keyTypeof, dataInterval: false } : { keyByteorder: info.byteorder, ...keyTypeof });
  return { type: nftType(NFT_MSG_NEWSET), flags: NLM_F_CREATE, header: header(familyNumber(s.family, 'set.family')), attrs };
}

/** What an element list needs to know of its set. */
export interface ElementTarget extends SetRef {
  readonly type: SetKeyTypes;
  readonly interval?: boolean;
  readonly map?: SetDataType;
}

/** The NFTA_SET_ELEM nests of an element list (`leadingEnd`: the set is created in this batch). */
export function setElems(s: ElementTarget, elements: readonly unknown[], leadingEnd: boolean): SetElemAttrs[] {
  keyInfo(s.type, 'set.type');
  if (s.map !== undefined) dataTypeInfo(s.map, 'set.map');
  return buildElements({ type: s.type, interval: s.interval === true, leadingEnd, ...(s.map !== undefined ? { data: s.map } : {}) }, elements, 'set.elements').elems;
}

/** NFT_MSG_NEWSETELEM (or DELSETELEM) carrying ready element nests; `setId` when the set is created in the same batch. */
export function elemListMessage(op: 'add' | 'delete', s: SetRef, elems: SetElemAttrs[], setId?: number): OutMessage {
  const attrs: SetElemListAttrs = { table: checkName(s.table, 'set.table'), set: checkName(s.name, 'set.name') };
  if (setId !== undefined) attrs.setId = setId;
  attrs.elements = elems;
  return {
    type: nftType(op === 'add' ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM), flags: op === 'add' ? NLM_F_CREATE : 0,
    header: header(familyNumber(s.family, 'set.family')), attrs,
  };
}

/** NFT_MSG_NEWSETELEM (or DELSETELEM) for elements of a set of this type. */
export function setElemMessage(op: 'add' | 'delete', s: ElementTarget, elements: readonly unknown[], setId?: number, leadingEnd = false): OutMessage {
  return elemListMessage(op, s, setElems(s, elements, leadingEnd), setId);
}

export function delSetMessage(s: SetRef): OutMessage {
  return {
    type: nftType(NFT_MSG_DELSET), flags: 0, header: header(familyNumber(s.family, 'set.family')),
    attrs: { table: checkName(s.table, 'set.table'), name: checkName(s.name, 'set.name') },
  };
}
