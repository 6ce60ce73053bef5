/** Named sets: the typed object read back from NFT_MSG_NEWSET dumps, and deletion. */
import type { Message, OutMessage } from '../netlink/message.js';
import { NFNETLINK_V0, NFT_MSG_DELSET, nftType } from './constants.js';
import { type FamilyName, familyName, familyNumber } from './family.js';
import type { SetAttrs } from './set.schema.js';
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
  /** Maps only. */
  readonly dataType?: number;
  readonly dataLen?: number;
}

export function toSet(m: Message): NftSet {
  const a = m.attrs as SetAttrs;
  const out: { -readonly [K in keyof NftSet]: NftSet[K] } = {
    family: familyName(m.header.family), table: a.table ?? '', name: a.name ?? '', handle: a.handle ?? 0n,
    flags: a.flags ?? 0, keyType: a.keyType ?? 0, keyLen: a.keyLen ?? 0,
  };
  if (a.dataType !== undefined) out.dataType = a.dataType;
  if (a.dataLen !== undefined) out.dataLen = a.dataLen;
  return out;
}

export function delSetMessage(s: { readonly family: FamilyName; readonly table: string; readonly name: string }): OutMessage {
  return {
    type: nftType(NFT_MSG_DELSET), flags: 0, header: { family: familyNumber(s.family, 'set.family'), version: NFNETLINK_V0, resId: 0 },
    attrs: { table: checkName(s.table, 'set.table'), name: checkName(s.name, 'set.name') },
  };
}
