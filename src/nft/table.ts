/** Tables: the typed object, and the NFT_MSG_*TABLE messages that make and read them. */
import { NLM_F_CREATE, NLM_F_EXCL } from '../netlink/header.js';
import type { Message, OutMessage } from '../netlink/message.js';
import { NFNETLINK_V0, NFT_MSG_DELTABLE, NFT_MSG_NEWTABLE, nftType } from './constants.js';
import { type FamilyName, familyName, familyNumber } from './family.js';
import type { TableAttrs } from './table.schema.js';

/** An nftables table as read back from the kernel. */
export interface Table {
  readonly family: FamilyName;
  readonly name: string;
  /** NFTA_TABLE_HANDLE. */
  readonly handle: bigint;
  /** NFT_TABLE_F_* (DORMANT 1, OWNER 2). */
  readonly flags: number;
  /** Number of chains (NFTA_TABLE_USE). */
  readonly use: number;
  /** NFTA_TABLE_USERDATA (nft keeps the table comment there). */
  readonly userdata?: Buffer;
}

/** Which table: `{ family: 'ip', name: 'nat' }`. */
export interface TableRef {
  readonly family: FamilyName;
  readonly name: string;
}

export interface TableSpec extends TableRef {
  /** NFT_TABLE_F_*. Default 0 (nft sends NFTA_TABLE_FLAGS 0 too). */
  readonly flags?: number;
  /** Fail with EEXIST if the table exists (NLM_F_EXCL, `nft create table`). Default false: `nft add table`. */
  readonly exclusive?: boolean;
}

export function checkName(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') throw new TypeError(`${field}: expected a non-empty name`);
  if (Buffer.byteLength(v) > 255 || v.includes('\0')) throw new RangeError(`${field}: ${JSON.stringify(v)} is not a valid nftables name (at most 255 bytes, no NUL)`);
  return v;
}

const header = (family: number) => ({ family, version: NFNETLINK_V0, resId: 0 });

/** NFT_MSG_NEWTABLE, as `nft add table` sends it (flags REQUEST only; NLM_F_CREATE|EXCL when exclusive). */
export function newTableMessage(t: TableSpec): OutMessage {
  const family = familyNumber(t.family);
  const attrs: TableAttrs = { name: checkName(t.name, 'table.name'), flags: t.flags ?? 0 };
  return { type: nftType(NFT_MSG_NEWTABLE), flags: t.exclusive ? NLM_F_CREATE | NLM_F_EXCL : 0, header: header(family), attrs };
}

/** NFT_MSG_DELTABLE by name (or by handle when given): deletes the table and everything in it. */
export function delTableMessage(t: TableRef & { readonly handle?: bigint }): OutMessage {
  const family = familyNumber(t.family);
  const attrs: TableAttrs = t.handle !== undefined ? { handle: t.handle } : { name: checkName(t.name, 'table.name') };
  return { type: nftType(NFT_MSG_DELTABLE), flags: 0, header: header(family), attrs };
}

/** A decoded NFT_MSG_NEWTABLE as an NftTable. */
export function toTable(m: Message): Table {
  const a = m.attrs as TableAttrs;
  return { family: familyName(m.header.family), name: a.name ?? '', handle: a.handle ?? 0n, flags: a.flags ?? 0, use: a.use ?? 0, ...(a.userdata ? { userdata: a.userdata } : {}) };
}
