/**
 * struct nlmsghdr and its flags, from <linux/netlink.h>:
 *   struct nlmsghdr { __u32 nlmsg_len; __u16 nlmsg_type; __u16 nlmsg_flags; __u32 nlmsg_seq; __u32 nlmsg_pid; };
 * Host byte order (little-endian on every platform this library targets).
 */
import { NLMSG_HDRLEN } from './align.js';

export { NLMSG_HDRLEN };

/** Netlink protocols (socket(2) protocol argument), <linux/netlink.h>. */
export const NETLINK_ROUTE = 0;
/** `NETLINK_NETFILTER` (12) of <linux/netlink.h>. */
export const NETLINK_NETFILTER = 12;
/** `NETLINK_GENERIC` (16) of <linux/netlink.h>. */
export const NETLINK_GENERIC = 16;

/** Reserved message types, < NLMSG_MIN_TYPE (0x10). */
export const NLMSG_NOOP = 0x1;
/** `NLMSG_ERROR` (0x2) of <linux/netlink.h>. */
export const NLMSG_ERROR = 0x2;
/** `NLMSG_DONE` (0x3) of <linux/netlink.h>. */
export const NLMSG_DONE = 0x3;
/** `NLMSG_OVERRUN` (0x4) of <linux/netlink.h>. */
export const NLMSG_OVERRUN = 0x4;
/** `NLMSG_MIN_TYPE` (0x10) of <linux/netlink.h>. */
export const NLMSG_MIN_TYPE = 0x10;

/** Flags valid on every message. */
export const NLM_F_REQUEST = 0x01;
/** `NLM_F_MULTI` (0x02) of <linux/netlink.h>. */
export const NLM_F_MULTI = 0x02;
/** `NLM_F_ACK` (0x04) of <linux/netlink.h>. */
export const NLM_F_ACK = 0x04;
/** `NLM_F_ECHO` (0x08) of <linux/netlink.h>. */
export const NLM_F_ECHO = 0x08;
/** `NLM_F_DUMP_INTR` (0x10) of <linux/netlink.h>. */
export const NLM_F_DUMP_INTR = 0x10;
/** `NLM_F_DUMP_FILTERED` (0x20) of <linux/netlink.h>. */
export const NLM_F_DUMP_FILTERED = 0x20;
/** Modifiers to GET requests. */
export const NLM_F_ROOT = 0x100;
/** `NLM_F_MATCH` (0x200) of <linux/netlink.h>. */
export const NLM_F_MATCH = 0x200;
/** `NLM_F_ATOMIC` (0x400) of <linux/netlink.h>. */
export const NLM_F_ATOMIC = 0x400;
/** `NLM_F_DUMP` (NLM_F_ROOT | NLM_F_MATCH) of <linux/netlink.h>. */
export const NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
/** Modifiers to NEW requests. */
export const NLM_F_REPLACE = 0x100;
/** `NLM_F_EXCL` (0x200) of <linux/netlink.h>. */
export const NLM_F_EXCL = 0x200;
/** `NLM_F_CREATE` (0x400) of <linux/netlink.h>. */
export const NLM_F_CREATE = 0x400;
/** `NLM_F_APPEND` (0x800) of <linux/netlink.h>. */
export const NLM_F_APPEND = 0x800;
/** Modifiers to DELETE requests. */
export const NLM_F_NONREC = 0x100;
/** `NLM_F_BULK` (0x200) of <linux/netlink.h>. */
export const NLM_F_BULK = 0x200;
/** Flags for ACK messages. */
export const NLM_F_CAPPED = 0x100;
/** `NLM_F_ACK_TLVS` (0x200) of <linux/netlink.h>. */
export const NLM_F_ACK_TLVS = 0x200;

/** Socket options (SOL_NETLINK = 270). */
export const SOL_NETLINK = 270;
/** `NETLINK_ADD_MEMBERSHIP` (1) of <linux/netlink.h>. */
export const NETLINK_ADD_MEMBERSHIP = 1;
/** `NETLINK_DROP_MEMBERSHIP` (2) of <linux/netlink.h>. */
export const NETLINK_DROP_MEMBERSHIP = 2;
/** `NETLINK_CAP_ACK` (10) of <linux/netlink.h>. */
export const NETLINK_CAP_ACK = 10;
/** `NETLINK_EXT_ACK` (11) of <linux/netlink.h>. */
export const NETLINK_EXT_ACK = 11;
/** `NETLINK_GET_STRICT_CHK` (12) of <linux/netlink.h>. */
export const NETLINK_GET_STRICT_CHK = 12;

/** enum nlmsgerr_attrs */
export const NLMSGERR_ATTR_MSG = 1;
/** `NLMSGERR_ATTR_OFFS` (2) of <linux/netlink.h>. */
export const NLMSGERR_ATTR_OFFS = 2;
/** `NLMSGERR_ATTR_COOKIE` (3) of <linux/netlink.h>. */
export const NLMSGERR_ATTR_COOKIE = 3;
/** `NLMSGERR_ATTR_POLICY` (4) of <linux/netlink.h>. */
export const NLMSGERR_ATTR_POLICY = 4;
/** `NLMSGERR_ATTR_MISS_TYPE` (5) of <linux/netlink.h>. */
export const NLMSGERR_ATTR_MISS_TYPE = 5;
/** `NLMSGERR_ATTR_MISS_NEST` (6) of <linux/netlink.h>. */
export const NLMSGERR_ATTR_MISS_NEST = 6;

/** struct nlmsghdr (<linux/netlink.h>): length, type, flags, sequence number, port id. */
export interface NlMsgHeader {
  /** nlmsg_len: the whole message, header included. */
  len: number;
  type: number;
  flags: number;
  seq: number;
  pid: number;
}

/** Read a struct nlmsghdr at `off`. */
export function readHeader(buf: Buffer, off: number): NlMsgHeader {
  return {
    len: buf.readUInt32LE(off),
    type: buf.readUInt16LE(off + 4),
    flags: buf.readUInt16LE(off + 6),
    seq: buf.readUInt32LE(off + 8),
    pid: buf.readUInt32LE(off + 12),
  };
}

/** Write a struct nlmsghdr at `off`. */
export function writeHeader(buf: Buffer, off: number, h: NlMsgHeader): void {
  buf.writeUInt32LE(h.len, off);
  buf.writeUInt16LE(h.type, off + 4);
  buf.writeUInt16LE(h.flags, off + 6);
  buf.writeUInt32LE(h.seq >>> 0, off + 8);
  buf.writeUInt32LE(h.pid >>> 0, off + 12);
}

/** Which request class a message type belongs to: selects the meaning of flag bits 0x100–0x800. */
export type FlagClass = 'get' | 'new' | 'del' | 'ack' | 'other';

const BASE_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [NLM_F_REQUEST, 'REQUEST'], [NLM_F_MULTI, 'MULTI'], [NLM_F_ACK, 'ACK'], [NLM_F_ECHO, 'ECHO'],
  [NLM_F_DUMP_INTR, 'DUMP_INTR'], [NLM_F_DUMP_FILTERED, 'DUMP_FILTERED'],
];
const CLASS_FLAGS: Record<FlagClass, ReadonlyArray<readonly [number, string]>> = {
  get: [[NLM_F_DUMP, 'DUMP'], [NLM_F_ROOT, 'ROOT'], [NLM_F_MATCH, 'MATCH'], [NLM_F_ATOMIC, 'ATOMIC']],
  new: [[NLM_F_REPLACE, 'REPLACE'], [NLM_F_EXCL, 'EXCL'], [NLM_F_CREATE, 'CREATE'], [NLM_F_APPEND, 'APPEND']],
  del: [[NLM_F_NONREC, 'NONREC'], [NLM_F_BULK, 'BULK']],
  ack: [[NLM_F_CAPPED, 'CAPPED'], [NLM_F_ACK_TLVS, 'ACK_TLVS']],
  other: [],
};

/**
 * Print a flag set by name, unknown bits in hex: `REQUEST|ACK|EXCL|CREATE|0x10000`
 * (mdlayher/netlink HeaderFlags.String()). 0 prints as `0`.
 */
export function formatFlags(flags: number, cls: FlagClass = 'other'): string {
  return formatBits(flags, [...BASE_FLAGS, ...CLASS_FLAGS[cls]]);
}

/** Name the set bits of `value` from `names` (multi-bit masks first), rest as hex. */
export function formatBits(value: number, names: ReadonlyArray<readonly [number, string]>): string {
  const parts: string[] = [];
  let rest = value >>> 0;
  for (const [bit, name] of names) {
    if (bit !== 0 && ((rest & bit) >>> 0) === bit >>> 0) {
      parts.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest) parts.push(`0x${rest.toString(16)}`);
  return parts.length ? parts.join('|') : '0';
}

/** Names of the control message types (NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN). */
export const NLMSG_TYPE_NAMES: Readonly<Record<number, string>> = {
  [NLMSG_NOOP]: 'NLMSG_NOOP', [NLMSG_ERROR]: 'NLMSG_ERROR', [NLMSG_DONE]: 'NLMSG_DONE', [NLMSG_OVERRUN]: 'NLMSG_OVERRUN',
};
