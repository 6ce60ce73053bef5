/**
 * IFLA_AF_SPEC: per-address-family link attributes (<linux/if_link.h>, <linux/if_bridge.h>).
 *
 * In an AF_UNSPEC link message the nest holds one nest per family, its attribute type being
 * the family number (`[IFLA_AF_SPEC] = { [AF_INET] = {…}, [AF_INET6] = {…} }`, as the header's
 * comment shows). The kernel opens all of these with nla_nest_start_noflag().
 *
 * Messages whose ifi_family is AF_BRIDGE (`bridge link`, `bridge vlan`) put IFLA_BRIDGE_*
 * directly in IFLA_AF_SPEC, without the per-family level. The choice depends on the ifinfomsg
 * header, which an attribute kind cannot see: this table describes the AF_UNSPEC layout, and
 * IFLA_BR_MSG (./link.schema.ts), picked from the header by MessageSchema.attrsFor, the
 * AF_BRIDGE one.
 */
import { enumOf, flagsOf, s32, u16, u32, u64, u8, ipaddr } from '../../netlink/kinds.js';
import { attrs, nested, struct, type AttrValues } from '../../netlink/schema.js';
import { RTNL_SET, nestedBytes, vectorOf } from '../kinds.js';

/**
 * Bits of IFLA_INET6_FLAGS (`idev->if_flags`). They come from the kernel-internal
 * <net/if_inet6.h>, not from a uapi header, which is why they are spelled out here.
 */
export const IF_INET6_FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [0x10, 'RS_SENT'], [0x20, 'RA_RCVD'], [0x40, 'RA_MANAGED'], [0x80, 'RA_OTHERCONF'], [0x80000000, 'READY'],
];

/** `enum in6_addr_gen_mode` (<linux/if_link.h>): IFLA_INET6_ADDR_GEN_MODE values. */
export const IN6_ADDR_GEN_MODE = {
  IN6_ADDR_GEN_MODE_EUI64: 0,
  IN6_ADDR_GEN_MODE_NONE: 1,
  IN6_ADDR_GEN_MODE_STABLE_PRIVACY: 2,
  IN6_ADDR_GEN_MODE_RANDOM: 3,
} as const;
const IN6_ADDR_GEN_MODE_NAMES = Object.fromEntries(Object.entries(IN6_ADDR_GEN_MODE).map(([k, v]) => [v, k.slice(18)]));

/** struct ifla_cacheinfo (<linux/if_link.h>): IFLA_INET6_CACHEINFO. */
export const IFLA_CACHEINFO = struct('ifla_cacheinfo', 16, {
  max_reasm_len: [0, u32],
  tstamp: [4, u32],
  reachable_time: [8, u32],
  retrans_time: [12, u32],
});

/**
 * IFLA_INET_* inside IFLA_AF_SPEC[AF_INET]. IFLA_INET_CONF is the whole devconf array,
 * `__u32[IPV4_DEVCONF_MAX]`, indexed by IPV4_DEVCONF_* - 1.
 */
export const IFLA_INET = attrs('IFLA_INET', {
  IFLA_INET_CONF: { type: 1, key: 'conf', kind: vectorOf(u32) },
}, RTNL_SET);

/**
 * IFLA_INET6_* inside IFLA_AF_SPEC[AF_INET6] (and inside IFLA_PROTINFO of AF_INET6 link
 * messages). CONF is `__s32[DEVCONF_MAX]` indexed by DEVCONF_*; STATS and ICMP6STATS are
 * `__u64` MIB arrays whose first element is their own length.
 */
export const IFLA_INET6 = attrs('IFLA_INET6', {
  IFLA_INET6_FLAGS: { type: 1, key: 'flags', kind: flagsOf(u32, IF_INET6_FLAG_NAMES) },
  IFLA_INET6_CONF: { type: 2, key: 'conf', kind: vectorOf(s32) },
  IFLA_INET6_STATS: { type: 3, key: 'stats', kind: vectorOf(u64) },
  // Declared in the uapi enum but never filled by the kernel.
  IFLA_INET6_MCAST: { type: 4, key: 'mcast', kind: vectorOf(u8) },
  IFLA_INET6_CACHEINFO: { type: 5, key: 'cacheinfo', kind: IFLA_CACHEINFO },
  IFLA_INET6_ICMP6STATS: { type: 6, key: 'icmp6stats', kind: vectorOf(u64) },
  IFLA_INET6_TOKEN: { type: 7, key: 'token', kind: ipaddr },
  IFLA_INET6_ADDR_GEN_MODE: { type: 8, key: 'addrGenMode', kind: enumOf(u8, IN6_ADDR_GEN_MODE_NAMES) },
  IFLA_INET6_RA_MTU: { type: 9, key: 'raMtu', kind: u32 },
}, RTNL_SET);

/** BRIDGE_VLAN_INFO_* bits of struct bridge_vlan_info.flags (<linux/if_bridge.h>). */
export const BRIDGE_VLAN_INFO_FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [1 << 0, 'MASTER'], [1 << 1, 'PVID'], [1 << 2, 'UNTAGGED'], [1 << 3, 'RANGE_BEGIN'],
  [1 << 4, 'RANGE_END'], [1 << 5, 'BRENTRY'], [1 << 6, 'ONLY_OPTS'],
];

/** struct bridge_vlan_info { __u16 flags; __u16 vid; } (<linux/if_bridge.h>). */
export const BRIDGE_VLAN_INFO = struct('bridge_vlan_info', 4, {
  flags: [0, flagsOf(u16, BRIDGE_VLAN_INFO_FLAG_NAMES)],
  vid: [2, u16],
});

/** IFLA_BRIDGE_VLAN_TUNNEL_* (<linux/if_bridge.h>): one VLAN → tunnel-id mapping. */
export const IFLA_BRIDGE_VLAN_TUNNEL = attrs('IFLA_BRIDGE_VLAN_TUNNEL', {
  IFLA_BRIDGE_VLAN_TUNNEL_ID: { type: 1, key: 'id', kind: u32 },
  IFLA_BRIDGE_VLAN_TUNNEL_VID: { type: 2, key: 'vid', kind: u16 },
  IFLA_BRIDGE_VLAN_TUNNEL_FLAGS: { type: 3, key: 'flags', kind: flagsOf(u16, BRIDGE_VLAN_INFO_FLAG_NAMES) },
}, RTNL_SET);

/**
 * IFLA_BRIDGE_* (<linux/if_bridge.h>): bridge attributes under AF_BRIDGE. Note
 * IFLA_BRIDGE_FLAGS is 0 — this enum has no UNSPEC. MRP, CFM and MST are newer
 * (nla_nest_start) nests kept as bytes.
 */
export const IFLA_BRIDGE = attrs('IFLA_BRIDGE', {
  IFLA_BRIDGE_FLAGS: { type: 0, key: 'flags', kind: flagsOf(u16, [[1, 'MASTER'], [2, 'SELF']]) },
  IFLA_BRIDGE_MODE: { type: 1, key: 'mode', kind: enumOf(u16, { 0: 'VEB', 1: 'VEPA' }) },
  IFLA_BRIDGE_VLAN_INFO: { type: 2, key: 'vlanInfo', kind: BRIDGE_VLAN_INFO, multi: true },
  IFLA_BRIDGE_VLAN_TUNNEL_INFO: { type: 3, key: 'vlanTunnelInfo', kind: nested(() => IFLA_BRIDGE_VLAN_TUNNEL), multi: true },
  IFLA_BRIDGE_MRP: { type: 4, key: 'mrp', kind: nestedBytes, nestedFlag: true },
  IFLA_BRIDGE_CFM: { type: 5, key: 'cfm', kind: nestedBytes, nestedFlag: true },
  IFLA_BRIDGE_MST: { type: 6, key: 'mst', kind: nestedBytes, nestedFlag: true },
}, RTNL_SET);

/**
 * The outer level of IFLA_AF_SPEC: attribute type = address family (AF_* of <bits/socket.h>).
 * Families the kernel may add (AF_MPLS, …) stay raw bytes and still round-trip.
 */
export const IFLA_AF_SPEC = attrs('IFLA_AF_SPEC', {
  AF_INET: { type: 2, key: 'inet', kind: nested(() => IFLA_INET) },
  AF_BRIDGE: { type: 7, key: 'bridge', kind: nested(() => IFLA_BRIDGE) },
  AF_INET6: { type: 10, key: 'inet6', kind: nested(() => IFLA_INET6) },
}, RTNL_SET);

/** Values of the IFLA_AF_SPEC nest (AF_UNSPEC layout). */
export type LinkAfSpec = AttrValues<typeof IFLA_AF_SPEC.spec>;
/** Values of IFLA_AF_SPEC[AF_INET6]. */
export type Inet6LinkAttrs = AttrValues<typeof IFLA_INET6.spec>;
/** Values of IFLA_AF_SPEC[AF_BRIDGE] (IFLA_BRIDGE_*). */
export type BridgeAfAttrs = AttrValues<typeof IFLA_BRIDGE.spec>;
