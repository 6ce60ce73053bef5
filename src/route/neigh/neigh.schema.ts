/**
 * RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH layout (rtnetlink(7)): struct ndmsg followed by
 * NDA_* attributes, from <linux/neighbour.h> — the single source of truth for neighbour
 * (ARP / NDP, and bridge FDB with AF_BRIDGE) attribute numbers.
 */
import { be16, enumOf, flagsOf, ipaddr, lladdr, s32, u16, u32, u8 } from '../../netlink/kinds.js';
import { attrs, struct, type AttrValues, type StructValue } from '../../netlink/schema.js';
import { AF_NAMES } from '../family.js';
import { nestedBytes, RTNL_SET } from '../kinds.js';
import { RTN_NAMES, RTPROT_NAMES } from '../route/route.schema.js';

/** `NUD_*` neighbour cache entry states (<linux/neighbour.h>); NUD_NOARP and NUD_PERMANENT are pseudo-states. */
export const NUD = {
  NUD_NONE: 0x00,
  NUD_INCOMPLETE: 0x01,
  NUD_REACHABLE: 0x02,
  NUD_STALE: 0x04,
  NUD_DELAY: 0x08,
  NUD_PROBE: 0x10,
  NUD_FAILED: 0x20,
  NUD_NOARP: 0x40,
  NUD_PERMANENT: 0x80,
} as const;
/** NUD_* bits named without the prefix (`REACHABLE|NOARP`), for flagsOf(). */
export const NUD_NAMES: ReadonlyArray<readonly [number, string]> = Object.entries(NUD).filter(([, v]) => v !== 0).map(([k, v]) => [v, k.slice(4)] as const);

/** `NTF_*` neighbour cache entry flags (ndm_flags, <linux/neighbour.h>). */
export const NTF = {
  NTF_USE: 1 << 0,
  NTF_SELF: 1 << 1,
  NTF_MASTER: 1 << 2,
  NTF_PROXY: 1 << 3,
  NTF_EXT_LEARNED: 1 << 4,
  NTF_OFFLOADED: 1 << 5,
  NTF_STICKY: 1 << 6,
  NTF_ROUTER: 1 << 7,
} as const;
export const NTF_NAMES: ReadonlyArray<readonly [number, string]> = Object.entries(NTF).map(([k, v]) => [v, k.slice(4)] as const);

/**
 * Extended flags under NDA_FLAGS_EXT. NTF_EXT_LOCKED (Linux 6.2) and NTF_EXT_EXT_VALIDATED
 * (6.16) are newer than iproute2 6.1's headers.
 */
export const NTF_EXT = {
  NTF_EXT_MANAGED: 1 << 0,
  NTF_EXT_LOCKED: 1 << 1,
  NTF_EXT_EXT_VALIDATED: 1 << 2,
} as const;
export const NTF_EXT_NAMES: ReadonlyArray<readonly [number, string]> = Object.entries(NTF_EXT).map(([k, v]) => [v, k.slice(8)] as const);

/**
 * struct ndmsg (<linux/neighbour.h>):
 *
 *   struct ndmsg {
 *     __u8  ndm_family;
 *     __u8  ndm_pad1;
 *     __u16 ndm_pad2;
 *     __s32 ndm_ifindex;
 *     __u16 ndm_state;   // NUD_*
 *     __u8  ndm_flags;   // NTF_*
 *     __u8  ndm_type;    // RTN_* (RTN_UNICAST for ARP/NDP entries)
 *   };
 */
export const NDMSG = struct('ndmsg', 12, {
  family: [0, enumOf(u8, AF_NAMES)],
  ifindex: [4, s32],
  state: [8, flagsOf(u16, NUD_NAMES)],
  flags: [10, flagsOf(u8, NTF_NAMES)],
  type: [11, enumOf(u8, RTN_NAMES)],
});
/** Value of a struct ndmsg. */
export type NdMsg = StructValue<typeof NDMSG.fields>;

/** struct nda_cacheinfo (<linux/neighbour.h>): ages in clock ticks (USER_HZ), and the refcount. */
export const NDA_CACHEINFO_STRUCT = struct('nda_cacheinfo', 16, {
  ndm_confirmed: [0, u32],
  ndm_used: [4, u32],
  ndm_updated: [8, u32],
  ndm_refcnt: [12, u32],
});

/** NDA_*: attributes of a neighbour message (<linux/neighbour.h> `enum { NDA_UNSPEC, … }`). */
export const NDA = attrs('NDA', {
  NDA_DST: { type: 1, key: 'dst', kind: ipaddr },
  NDA_LLADDR: { type: 2, key: 'lladdr', kind: lladdr },
  NDA_CACHEINFO: { type: 3, key: 'cacheinfo', kind: NDA_CACHEINFO_STRUCT },
  NDA_PROBES: { type: 4, key: 'probes', kind: u32 },
  NDA_VLAN: { type: 5, key: 'vlan', kind: u16 },
  NDA_PORT: { type: 6, key: 'port', kind: be16 },
  NDA_VNI: { type: 7, key: 'vni', kind: u32 },
  NDA_IFINDEX: { type: 8, key: 'ifindex', kind: u32 },
  NDA_MASTER: { type: 9, key: 'master', kind: u32 },
  NDA_LINK_NETNSID: { type: 10, key: 'linkNetnsid', kind: s32 },
  NDA_SRC_VNI: { type: 11, key: 'srcVni', kind: u32 },
  NDA_PROTOCOL: { type: 12, key: 'protocol', kind: enumOf(u8, RTPROT_NAMES) },
  NDA_NH_ID: { type: 13, key: 'nhId', kind: u32 },
  // NFEA_* inside (bridge FDB notification options); the kernel nests it with NLA_F_NESTED.
  NDA_FDB_EXT_ATTRS: { type: 14, key: 'fdbExtAttrs', kind: nestedBytes, nestedFlag: true },
  NDA_FLAGS_EXT: { type: 15, key: 'flagsExt', kind: flagsOf(u32, NTF_EXT_NAMES) },
  NDA_NDM_STATE_MASK: { type: 16, key: 'ndmStateMask', kind: flagsOf(u16, NUD_NAMES) },
  NDA_NDM_FLAGS_MASK: { type: 17, key: 'ndmFlagsMask', kind: flagsOf(u8, NTF_NAMES) },
}, RTNL_SET);
/** Attribute values of a neighbour message. */
export type NeighAttrs = AttrValues<typeof NDA.spec>;
