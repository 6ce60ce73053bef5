/**
 * RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE layout (rtnetlink(7)): struct fib_rule_hdr followed
 * by FRA_* attributes, from <linux/fib_rules.h> — the single source of truth for policy
 * routing rule attribute numbers. FRA_DSCP and later are newer than iproute2 6.1's headers.
 */
import { type Kind, asciiz, be32, be64, bytes, enumOf, flagsOf, ipaddr, u16, u32, u8 } from '../../netlink/kinds.js';
import { attrs, struct, type AttrValues, type StructValue } from '../../netlink/schema.js';
import { AF_NAMES } from '../family.js';
import { RTNL_SET, realmsU32 } from '../kinds.js';
import { RTPROT_NAMES, RT_TABLE_NAMES } from '../route/route.schema.js';

/** `FR_ACT_*` rule actions (fib_rule_hdr.action). BLACKHOLE/UNREACHABLE/PROHIBIT equal the RTN_* numbers `ip rule` parses them as. */
export const FR_ACT = {
  FR_ACT_UNSPEC: 0,
  FR_ACT_TO_TBL: 1,
  FR_ACT_GOTO: 2,
  FR_ACT_NOP: 3,
  FR_ACT_RES3: 4,
  FR_ACT_RES4: 5,
  FR_ACT_BLACKHOLE: 6,
  FR_ACT_UNREACHABLE: 7,
  FR_ACT_PROHIBIT: 8,
} as const;
export const FR_ACT_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(FR_ACT).map(([k, v]) => [v, k.slice(7)]));

/** `FIB_RULE_*` flags (fib_rule_hdr.flags, <linux/fib_rules.h>). */
export const FIB_RULE = {
  FIB_RULE_PERMANENT: 0x00000001,
  FIB_RULE_INVERT: 0x00000002,
  FIB_RULE_UNRESOLVED: 0x00000004,
  FIB_RULE_IIF_DETACHED: 0x00000008,
  FIB_RULE_OIF_DETACHED: 0x00000010,
  FIB_RULE_FIND_SADDR: 0x00010000,
} as const;
export const FIB_RULE_NAMES: ReadonlyArray<readonly [number, string]> = Object.entries(FIB_RULE).map(([k, v]) => [v, k.slice(9)] as const);

/**
 * struct fib_rule_hdr (<linux/fib_rules.h>):
 *
 *   struct fib_rule_hdr {
 *     __u8  family;
 *     __u8  dst_len;
 *     __u8  src_len;
 *     __u8  tos;
 *     __u8  table;   // RT_TABLE_UNSPEC when FRA_TABLE holds an id > 255
 *     __u8  res1;
 *     __u8  res2;
 *     __u8  action;  // FR_ACT_*
 *     __u32 flags;   // FIB_RULE_*
 *   };
 */
export const FIB_RULE_HDR = struct('fib_rule_hdr', 12, {
  family: [0, enumOf(u8, AF_NAMES)],
  dst_len: [1, u8],
  src_len: [2, u8],
  tos: [3, u8],
  table: [4, enumOf(u8, RT_TABLE_NAMES)],
  res1: [5, u8],
  res2: [6, u8],
  action: [7, enumOf(u8, FR_ACT_NAMES)],
  flags: [8, flagsOf(u32, FIB_RULE_NAMES)],
});
/** Value of a struct fib_rule_hdr. */
export type FibRuleHdr = StructValue<typeof FIB_RULE_HDR.fields>;

/** struct fib_rule_uid_range: FRA_UID_RANGE, inclusive. */
export const FIB_RULE_UID_RANGE = struct('fib_rule_uid_range', 8, { start: [0, u32], end: [4, u32] });
/** struct fib_rule_port_range: FRA_SPORT_RANGE / FRA_DPORT_RANGE, inclusive, host order. */
export const FIB_RULE_PORT_RANGE = struct('fib_rule_port_range', 4, { start: [0, u16], end: [2, u16] });

/** FRA_*: attributes of a rule message (<linux/fib_rules.h> `enum { FRA_UNSPEC, … }`). */
/**
 * FRA_SRC / FRA_DST: an address, or no payload at all — what `ip rule add from all …` sends
 * (iproute2 copies the 0-byte prefix of "all"), which the kernel takes as "any". Read as ''.
 */
export const ruleAddr: Kind<string> = {
  ...ipaddr,
  kindName: 'ipaddr (or empty)',
  size: (v, path) => (v === '' ? 0 : ipaddr.size(v, path)),
  write: (v, buf, off) => (v === '' ? off : ipaddr.write(v, buf, off)),
  read: (buf, start, end, path) => (end === start ? '' : ipaddr.read(buf, start, end, path)),
  describe: (v) => (v === '' ? '(empty: all)' : v),
};

export const FRA = attrs('FRA', {
  FRA_DST: { type: 1, key: 'dst', kind: ruleAddr },
  FRA_SRC: { type: 2, key: 'src', kind: ruleAddr },
  FRA_IIFNAME: { type: 3, key: 'iifname', kind: asciiz(15) },
  FRA_GOTO: { type: 4, key: 'goto', kind: u32 },
  FRA_UNUSED2: { type: 5, key: 'unused2', kind: bytes },
  FRA_PRIORITY: { type: 6, key: 'priority', kind: u32 },
  FRA_UNUSED3: { type: 7, key: 'unused3', kind: bytes },
  FRA_UNUSED4: { type: 8, key: 'unused4', kind: bytes },
  FRA_UNUSED5: { type: 9, key: 'unused5', kind: bytes },
  FRA_FWMARK: { type: 10, key: 'fwmark', kind: u32 },
  FRA_FLOW: { type: 11, key: 'flow', kind: realmsU32 },
  FRA_TUN_ID: { type: 12, key: 'tunId', kind: be64 },
  FRA_SUPPRESS_IFGROUP: { type: 13, key: 'suppressIfgroup', kind: u32 },
  FRA_SUPPRESS_PREFIXLEN: { type: 14, key: 'suppressPrefixlen', kind: u32 },
  FRA_TABLE: { type: 15, key: 'table', kind: enumOf(u32, RT_TABLE_NAMES) },
  FRA_FWMASK: { type: 16, key: 'fwmask', kind: u32 },
  FRA_OIFNAME: { type: 17, key: 'oifname', kind: asciiz(15) },
  FRA_PAD: { type: 18, key: 'pad', kind: bytes },
  FRA_L3MDEV: { type: 19, key: 'l3mdev', kind: u8 },
  FRA_UID_RANGE: { type: 20, key: 'uidRange', kind: FIB_RULE_UID_RANGE },
  FRA_PROTOCOL: { type: 21, key: 'protocol', kind: enumOf(u8, RTPROT_NAMES) },
  FRA_IP_PROTO: { type: 22, key: 'ipProto', kind: u8 },
  FRA_SPORT_RANGE: { type: 23, key: 'sportRange', kind: FIB_RULE_PORT_RANGE },
  FRA_DPORT_RANGE: { type: 24, key: 'dportRange', kind: FIB_RULE_PORT_RANGE },
  FRA_DSCP: { type: 25, key: 'dscp', kind: u8 },
  FRA_FLOWLABEL: { type: 26, key: 'flowlabel', kind: be32 },
  FRA_FLOWLABEL_MASK: { type: 27, key: 'flowlabelMask', kind: be32 },
  FRA_SPORT_MASK: { type: 28, key: 'sportMask', kind: u16 },
  FRA_DPORT_MASK: { type: 29, key: 'dportMask', kind: u16 },
  FRA_DSCP_MASK: { type: 30, key: 'dscpMask', kind: u8 },
}, RTNL_SET);
/** Attribute values of a rule message. */
export type RuleAttrs = AttrValues<typeof FRA.spec>;
