/**
 * Named sets: the typed object read back from NFT_MSG_NEWSET dumps, and the NFT_MSG_NEWSET /
 * DELSET / NEWSETELEM / DELSETELEM messages (`nft add set`, `nft add element`, …). Keys of one
 * datatype (set-types.ts); interval sets, maps and concatenations are not built here yet
 * (they decode, with their raw attributes).
 */
import { NLM_F_CREATE } from '../netlink/header.js';
import type { Message, OutMessage } from '../netlink/message.js';
import { NFNETLINK_V0, NFT_MSG_DELSET, NFT_MSG_DELSETELEM, NFT_MSG_NEWSET, NFT_MSG_NEWSETELEM, nftType } from './constants.js';
import { type FamilyName, familyName, familyNumber } from './family.js';
import type { SetAttrs, SetElemListAttrs } from './set.schema.js';
import { type SetElement, type SetKeyType, encodeElement, keyTypeInfo, keyTypeName, setUdata } from './set-types.js';
import { checkName } from './table.js';

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
  /** The datatype by nft's name, when this library knows it. */
  readonly type?: SetKeyType;
  /** Maps only. */
  readonly dataType?: number;
  readonly dataLen?: number;
}

export interface SetRef {
  readonly family: FamilyName;
  readonly table: string;
  readonly name: string;
}

export interface SetSpec extends SetRef {
  readonly type: SetKeyType;
  /** Elements to add in the same batch. */
  readonly elements?: readonly SetElement[];
}

const header = (family: number) => ({ family, version: NFNETLINK_V0, resId: 0 });

export function toSet(m: Message): NftSet {
  const a = m.attrs as SetAttrs;
  const out: { -readonly [K in keyof NftSet]: NftSet[K] } = {
    family: familyName(m.header.family), table: a.table ?? '', name: a.name ?? '', handle: a.handle ?? 0n,
    flags: a.flags ?? 0, keyType: a.keyType ?? 0, keyLen: a.keyLen ?? 0,
  };
  const type = keyTypeName(out.keyType);
  if (type) out.type = type;
  if (a.dataType !== undefined) out.dataType = a.dataType;
  if (a.dataLen !== undefined) out.dataLen = a.dataLen;
  return out;
}

/** NFT_MSG_NEWSET as nft writes it; `id` is the batch-local NFTA_SET_ID rules and elements refer to. */
export function newSetMessage(s: SetSpec, id: number): OutMessage {
  const info = keyTypeInfo(s.type, 'set.type');
  const attrs: SetAttrs = {
    table: checkName(s.table, 'set.table'), name: checkName(s.name, 'set.name'), flags: 0, keyType: info.id, keyLen: info.len, id, userdata: setUdata(info),
  };
  return { type: nftType(NFT_MSG_NEWSET), flags: NLM_F_CREATE, header: header(familyNumber(s.family, 'set.family')), attrs };
}

/** NFT_MSG_NEWSETELEM (or DELSETELEM); `setId` when the set is created in the same batch. */
export function setElemMessage(op: 'add' | 'delete', s: SetRef, type: SetKeyType, elements: readonly SetElement[], setId?: number): OutMessage {
  if (!Array.isArray(elements) || elements.length === 0) throw new TypeError('set.elements: expected a non-empty array');
  const attrs: SetElemListAttrs = { table: checkName(s.table, 'set.table'), set: checkName(s.name, 'set.name') };
  if (setId !== undefined) attrs.setId = setId;
  attrs.elements = elements.map((e, i) => ({ key: { value: encodeElement(type, e, `set.elements[${i}]`) } }));
  return {
    type: nftType(op === 'add' ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM), flags: op === 'add' ? NLM_F_CREATE : 0,
    header: header(familyNumber(s.family, 'set.family')), attrs,
  };
}

export function delSetMessage(s: SetRef): OutMessage {
  return {
    type: nftType(NFT_MSG_DELSET), flags: 0, header: header(familyNumber(s.family, 'set.family')),
    attrs: { table: checkName(s.table, 'set.table'), name: checkName(s.name, 'set.name') },
  };
}
