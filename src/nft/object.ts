/**
 * Named stateful objects (`nft add counter|quota|limit|ct helper|ct timeout|synproxy …`): the
 * typed object read back from NFT_MSG_NEWOBJ dumps, and the NEWOBJ / DELOBJ messages.
 */
import { NLM_F_CREATE } from '../netlink/header.js';
import type { Message, OutMessage } from '../netlink/message.js';
import { NFNETLINK_V0, NFT_MSG_DELOBJ, NFT_MSG_NEWOBJ, nftType } from './constants.js';
import { type FamilyName, familyName, familyNumber } from './family.js';
import { OBJ_TYPE_NAMES, type ObjAttrs } from './obj.schema.js';
import { checkName } from './table.js';

/** nftables stateful object types, as nft names them (`nft list counters`, `ct helper`, …). */
export type ObjectType = 'counter' | 'quota' | 'ct helper' | 'limit' | 'connlimit' | 'tunnel' | 'ct timeout' | 'secmark' | 'ct expectation' | 'synproxy';

/** A named stateful object as NFT_MSG_GETOBJ returns it. */
export interface NftObject {
  readonly family: FamilyName;
  readonly table: string;
  readonly name: string;
  readonly handle: bigint;
  /** NFT_OBJECT_* and its name. */
  readonly typeId: number;
  readonly type: ObjectType | string;
  /** NFTA_OBJ_DATA as decoded by the type's table (raw bytes for an unknown type). */
  readonly data: Record<string, unknown> | Buffer;
  /** NFTA_OBJ_USERDATA (nft keeps the comment there). */
  readonly userdata?: Buffer;
  readonly use: number;
}

/** A stateful object to create (NFT_MSG_NEWOBJ). */
export interface ObjectSpec {
  readonly family: FamilyName;
  readonly table: string;
  readonly name: string;
  /** NFT_OBJECT_* by name or number. */
  readonly type: ObjectType | number;
  /** The object's attributes (NFTA_COUNTER_*, NFTA_QUOTA_*, …, keyed as the tables key them), or raw bytes. */
  readonly data: Record<string, unknown> | Buffer;
  readonly userdata?: Buffer;
}

const header = (family: number) => ({ family, version: NFNETLINK_V0, resId: 0 });
const TYPE_IDS = Object.fromEntries(Object.entries(OBJ_TYPE_NAMES).map(([k, v]) => [v, Number(k)])) as Record<string, number>;

export function objectTypeId(t: unknown, field: string): number {
  const id = typeof t === 'number' ? t : typeof t === 'string' ? TYPE_IDS[t] : undefined;
  if (id === undefined || !Number.isInteger(id) || id <= 0) throw new RangeError(`${field}: ${JSON.stringify(t)} is not an object type (${Object.keys(TYPE_IDS).join(', ')})`);
  return id;
}

/** Decode one NFT_MSG_NEWOBJ message into an {@link NftObject}. */
export function toObject(m: Message): NftObject {
  const a = m.attrs as ObjAttrs;
  const typeId = a.type ?? 0;
  const out: { -readonly [K in keyof NftObject]: NftObject[K] } = {
    family: familyName(m.header.family), table: a.table ?? '', name: a.name ?? '', handle: a.handle ?? 0n,
    typeId, type: OBJ_TYPE_NAMES[typeId] ?? String(typeId), data: (a.data ?? {}) as Record<string, unknown> | Buffer, use: a.use ?? 0,
  };
  if (a.userdata) out.userdata = a.userdata;
  return out;
}

/** NFT_MSG_NEWOBJ (NLM_F_CREATE), attributes in nft's order. */
export function newObjMessage(o: ObjectSpec): OutMessage {
  const type = objectTypeId(o.type, 'object.type');
  if (!o.data || typeof o.data !== 'object') throw new TypeError('object.data: expected the object\'s attributes');
  const attrs: ObjAttrs = { table: checkName(o.table, 'object.table'), name: checkName(o.name, 'object.name'), type, data: o.data as ObjAttrs['data'] };
  if (o.userdata) attrs.userdata = o.userdata;
  return { type: nftType(NFT_MSG_NEWOBJ), flags: NLM_F_CREATE, header: header(familyNumber(o.family, 'object.family')), attrs };
}

/** NFT_MSG_DELOBJ by name. */
export function delObjMessage(o: Pick<ObjectSpec, 'family' | 'table' | 'name' | 'type'>): OutMessage {
  const type = objectTypeId(o.type, 'object.type');
  return {
    type: nftType(NFT_MSG_DELOBJ), flags: 0, header: header(familyNumber(o.family, 'object.family')),
    attrs: { table: checkName(o.table, 'object.table'), name: checkName(o.name, 'object.name'), type },
  };
}
