/**
 * RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK / RTM_SETLINK layout (rtnetlink(7)): struct
 * ifinfomsg followed by IFLA_* attributes, from <linux/if_link.h> (Linux 7.2 net-next headers,
 * a superset of the 6.18 kernel this was written against). The single source of truth for
 * link attribute numbers; test/unit/uapi-constants.test.ts checks them against the installed
 * headers.
 *
 * Which nests carry NLA_F_NESTED follows what the kernel writes: nests older than Linux 5.2
 * are opened with nla_nest_start_noflag(), the default of every set here (RTNL_SET in
 * ./kinds.ts); the newer ones are declared `nestedFlag: true`.
 */
import {
  bytes, enumOf, flagsOf, lladdr, asciiz, s32, string0, u16, u32, u64, u8, type KindValue,
} from '../../netlink/kinds.js';
import { attrs, nested, struct, union, type AttrValues } from '../../netlink/schema.js';
import { IFLA_AF_SPEC, IFLA_BRIDGE, IFLA_INET6 } from './link-af.js';
import { IFLA_PORT, IFLA_VFINFO_LIST, IFLA_VF_PORTS } from './link-vf.js';
import { RTNL_SET, nestedBytes, uint } from '../kinds.js';
import { IFLA_BR, IFLA_BRPORT } from './link-kinds/bridge.js';
import { VETH_INFO } from './link-kinds/veth.js';
import { IFLA_VXLAN } from './link-kinds/vxlan.js';
import { IFLA_TUN } from './link-kinds/tun.js';
import { IFLA_VLAN } from './link-kinds/vlan.js';
import { IFLA_MACVLAN } from './link-kinds/macvlan.js';
import { IFLA_IPVLAN } from './link-kinds/ipvlan.js';
import { IFLA_BOND, IFLA_BOND_SLAVE } from './link-kinds/bond.js';

/** struct ifinfomsg and its value tables, defined in ./ifinfomsg.ts to break a module cycle. */
export { IFINFOMSG, IFF, IFF_NAMES, ARPHRD, ARPHRD_NAMES, type IfInfoMsg } from './ifinfomsg.js';

/** RFC 2863 operational states, `IF_OPER_*` of <linux/if.h>: IFLA_OPERSTATE values. */
export const IF_OPER = {
  IF_OPER_UNKNOWN: 0,
  IF_OPER_NOTPRESENT: 1,
  IF_OPER_DOWN: 2,
  IF_OPER_LOWERLAYERDOWN: 3,
  IF_OPER_TESTING: 4,
  IF_OPER_DORMANT: 5,
  IF_OPER_UP: 6,
} as const;
/** IF_OPER_* value → name as iproute2 prints it (`UP`, `LOWERLAYERDOWN`). */
export const IF_OPER_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(IF_OPER).map(([k, v]) => [v, k.slice('IF_OPER_'.length)]),
);

/** `IF_LINK_MODE_*` of <linux/if.h>: IFLA_LINKMODE values. */
export const IF_LINK_MODE = { IF_LINK_MODE_DEFAULT: 0, IF_LINK_MODE_DORMANT: 1, IF_LINK_MODE_TESTING: 2 } as const;
const IF_LINK_MODE_NAMES = Object.fromEntries(Object.entries(IF_LINK_MODE).map(([k, v]) => [v, k.slice(13)]));

/** `RTEXT_FILTER_*` of <linux/rtnetlink.h>: bits of IFLA_EXT_MASK (what a dump includes). */
export const RTEXT_FILTER = {
  RTEXT_FILTER_VF: 1 << 0,
  RTEXT_FILTER_BRVLAN: 1 << 1,
  RTEXT_FILTER_BRVLAN_COMPRESSED: 1 << 2,
  RTEXT_FILTER_SKIP_STATS: 1 << 3,
  RTEXT_FILTER_MRP: 1 << 4,
  RTEXT_FILTER_CFM_CONFIG: 1 << 5,
  RTEXT_FILTER_CFM_STATUS: 1 << 6,
  RTEXT_FILTER_MST: 1 << 7,
  RTEXT_FILTER_NAME_ONLY: 1 << 8,
} as const;
const RTEXT_FILTER_NAMES: ReadonlyArray<readonly [number, string]> = Object.entries(RTEXT_FILTER).map(([k, v]) => [v, k.slice(13)] as const);

/** `IFLA_EVENT_*` of <linux/if_link.h>: why an RTM_NEWLINK notification was sent. */
const IFLA_EVENT_NAMES = {
  0: 'NONE', 1: 'REBOOT', 2: 'FEATURES', 3: 'BONDING_FAILOVER', 4: 'NOTIFY_PEERS', 5: 'IGMP_RESEND', 6: 'BONDING_OPTIONS',
} as const;

/**
 * struct rtnl_link_stats (<linux/if_link.h>): IFLA_STATS, 32-bit counters that wrap; prefer
 * IFLA_STATS64. rx_nohandler arrived in Linux 4.6; older kernels send the first 92 bytes.
 */
export const RTNL_LINK_STATS = struct('rtnl_link_stats', 96, {
  rx_packets: [0, u32], tx_packets: [4, u32], rx_bytes: [8, u32], tx_bytes: [12, u32],
  rx_errors: [16, u32], tx_errors: [20, u32], rx_dropped: [24, u32], tx_dropped: [28, u32],
  multicast: [32, u32], collisions: [36, u32],
  rx_length_errors: [40, u32], rx_over_errors: [44, u32], rx_crc_errors: [48, u32], rx_frame_errors: [52, u32],
  rx_fifo_errors: [56, u32], rx_missed_errors: [60, u32],
  tx_aborted_errors: [64, u32], tx_carrier_errors: [68, u32], tx_fifo_errors: [72, u32],
  tx_heartbeat_errors: [76, u32], tx_window_errors: [80, u32],
  rx_compressed: [84, u32], tx_compressed: [88, u32],
  rx_nohandler: [92, u32],
}, { minSize: 92 });

/**
 * struct rtnl_link_stats64 (<linux/if_link.h>): IFLA_STATS64, the same counters as u64 plus
 * rx_otherhost_dropped (Linux 5.19). Kernels before 4.6 stop before rx_nohandler (184 bytes);
 * a later kernel's longer struct is kept as `$tail`.
 */
export const RTNL_LINK_STATS64 = struct('rtnl_link_stats64', 200, {
  rx_packets: [0, u64], tx_packets: [8, u64], rx_bytes: [16, u64], tx_bytes: [24, u64],
  rx_errors: [32, u64], tx_errors: [40, u64], rx_dropped: [48, u64], tx_dropped: [56, u64],
  multicast: [64, u64], collisions: [72, u64],
  rx_length_errors: [80, u64], rx_over_errors: [88, u64], rx_crc_errors: [96, u64], rx_frame_errors: [104, u64],
  rx_fifo_errors: [112, u64], rx_missed_errors: [120, u64],
  tx_aborted_errors: [128, u64], tx_carrier_errors: [136, u64], tx_fifo_errors: [144, u64],
  tx_heartbeat_errors: [152, u64], tx_window_errors: [160, u64],
  rx_compressed: [168, u64], tx_compressed: [176, u64],
  rx_nohandler: [184, u64],
  rx_otherhost_dropped: [192, u64],
}, { minSize: 184 });

/**
 * struct rtnl_link_ifmap (<linux/if_link.h>, mirrors struct ifmap): IFLA_MAP. Three u64 then
 * 4 bytes, padded to 32 by the u64 alignment.
 */
export const RTNL_LINK_IFMAP = struct('rtnl_link_ifmap', 32, {
  mem_start: [0, u64],
  mem_end: [8, u64],
  base_addr: [16, u64],
  irq: [24, u16],
  dma: [26, u8],
  port: [27, u8],
});

/** `XDP_ATTACHED_*`: IFLA_XDP_ATTACHED values. */
const XDP_ATTACHED_NAMES = { 0: 'NONE', 1: 'DRV', 2: 'SKB', 3: 'HW', 4: 'MULTI' } as const;
/** `XDP_FLAGS_*` bits of IFLA_XDP_FLAGS. */
const XDP_FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [1 << 0, 'UPDATE_IF_NOEXIST'], [1 << 1, 'SKB_MODE'], [1 << 2, 'DRV_MODE'], [1 << 3, 'HW_MODE'], [1 << 4, 'REPLACE'],
];

/** IFLA_XDP_*: the IFLA_XDP nest (attach a BPF program by fd; report attached program ids). */
export const IFLA_XDP = attrs('IFLA_XDP', {
  IFLA_XDP_FD: { type: 1, key: 'fd', kind: s32 },
  IFLA_XDP_ATTACHED: { type: 2, key: 'attached', kind: enumOf(u8, XDP_ATTACHED_NAMES) },
  IFLA_XDP_FLAGS: { type: 3, key: 'flags', kind: flagsOf(u32, XDP_FLAG_NAMES) },
  IFLA_XDP_PROG_ID: { type: 4, key: 'progId', kind: u32 },
  IFLA_XDP_DRV_PROG_ID: { type: 5, key: 'drvProgId', kind: u32 },
  IFLA_XDP_SKB_PROG_ID: { type: 6, key: 'skbProgId', kind: u32 },
  IFLA_XDP_HW_PROG_ID: { type: 7, key: 'hwProgId', kind: u32 },
  IFLA_XDP_EXPECTED_FD: { type: 8, key: 'expectedFd', kind: s32 },
}, RTNL_SET);

/** IFLA_PROTO_DOWN_REASON_*: who holds a link proto-down (a bit per reason). */
export const IFLA_PROTO_DOWN_REASON = attrs('IFLA_PROTO_DOWN_REASON', {
  IFLA_PROTO_DOWN_REASON_MASK: { type: 1, key: 'mask', kind: u32 },
  IFLA_PROTO_DOWN_REASON_VALUE: { type: 2, key: 'value', kind: u32 },
}, RTNL_SET);

/**
 * The IFLA_PROP_LIST nest (RTM_NEWLINKPROP / RTM_DELLINKPROP and dumps): alternative names.
 * The kernel reuses the IFLA_ALT_IFNAME number inside it, once per name.
 */
export const IFLA_PROP_LIST = attrs('IFLA_PROP_LIST', {
  IFLA_ALT_IFNAME: { type: 53, key: 'altIfname', kind: asciiz(127), multi: true },
}, RTNL_SET);

/**
 * IFLA_INFO_*: the IFLA_LINKINFO nest. IFLA_INFO_DATA is laid out by IFLA_INFO_KIND and
 * IFLA_INFO_SLAVE_DATA by IFLA_INFO_SLAVE_KIND; kinds without a table keep the payload as
 * a Buffer.
 */
export const IFLA_INFO = attrs('IFLA_INFO', {
  IFLA_INFO_KIND: { type: 1, key: 'kind', kind: string0 },
  IFLA_INFO_DATA: {
    type: 2, key: 'data',
    kind: union('kind', () => ({
      bridge: nested(() => IFLA_BR),
      veth: nested(() => VETH_INFO),
      vxlan: nested(() => IFLA_VXLAN),
      tun: nested(() => IFLA_TUN),
      vlan: nested(() => IFLA_VLAN),
      macvlan: nested(() => IFLA_MACVLAN),
      macvtap: nested(() => IFLA_MACVLAN),
      ipvlan: nested(() => IFLA_IPVLAN),
      ipvtap: nested(() => IFLA_IPVLAN),
      bond: nested(() => IFLA_BOND),
    })),
  },
  // Driver-specific statistics in a driver-specific layout.
  IFLA_INFO_XSTATS: { type: 3, key: 'xstats', kind: bytes },
  IFLA_INFO_SLAVE_KIND: { type: 4, key: 'slaveKind', kind: string0 },
  IFLA_INFO_SLAVE_DATA: {
    type: 5, key: 'slaveData',
    kind: union('slaveKind', () => ({
      bridge: nested(() => IFLA_BRPORT),
      bond: nested(() => IFLA_BOND_SLAVE),
    })),
  },
}, RTNL_SET);

/**
 * IFLA_*: the attributes of a link message (<linux/if_link.h> `enum { IFLA_UNSPEC, … }`).
 * IFLA_IF_NETNSID is the older name of IFLA_TARGET_NETNSID (same number).
 */
export const IFLA = attrs('IFLA', {
  IFLA_ADDRESS: { type: 1, key: 'address', kind: lladdr },
  IFLA_BROADCAST: { type: 2, key: 'broadcast', kind: lladdr },
  // IFNAMSIZ (16) including the NUL.
  IFLA_IFNAME: { type: 3, key: 'ifname', kind: asciiz(15) },
  IFLA_MTU: { type: 4, key: 'mtu', kind: u32 },
  // ifindex of the lower device (in the netns of IFLA_LINK_NETNSID when present).
  IFLA_LINK: { type: 5, key: 'link', kind: u32 },
  IFLA_QDISC: { type: 6, key: 'qdisc', kind: string0 },
  IFLA_STATS: { type: 7, key: 'stats', kind: RTNL_LINK_STATS },
  // COST, PRIORITY and WEIGHT are in the uapi enum but unused by the kernel.
  IFLA_COST: { type: 8, key: 'cost', kind: bytes },
  IFLA_PRIORITY: { type: 9, key: 'priority', kind: bytes },
  // ifindex of the master (bridge, bond, VRF); 0 to release.
  IFLA_MASTER: { type: 10, key: 'master', kind: u32 },
  // Wireless-extensions event payload (struct iw_event), only in notifications.
  IFLA_WIRELESS: { type: 11, key: 'wireless', kind: bytes },
  // Family-specific: IFLA_BRPORT_* in AF_BRIDGE messages (br_fill_ifinfo() opens it with
  // nla_nest_start(), so flagged; those messages decode with IFLA_BR_MSG below, chosen from the
  // header), IFLA_INET6_* in AF_INET6 ones (unflagged). Kept as IFLA_BRPORT here too.
  IFLA_PROTINFO: { type: 12, key: 'protinfo', kind: nested(() => IFLA_BRPORT), nestedFlag: true },
  IFLA_TXQLEN: { type: 13, key: 'txqlen', kind: u32 },
  IFLA_MAP: { type: 14, key: 'map', kind: RTNL_LINK_IFMAP },
  IFLA_WEIGHT: { type: 15, key: 'weight', kind: bytes },
  IFLA_OPERSTATE: { type: 16, key: 'operstate', kind: enumOf(u8, IF_OPER_NAMES) },
  IFLA_LINKMODE: { type: 17, key: 'linkmode', kind: enumOf(u8, IF_LINK_MODE_NAMES) },
  IFLA_LINKINFO: { type: 18, key: 'linkinfo', kind: nested(() => IFLA_INFO) },
  // Request only: move the link to the netns of this process.
  IFLA_NET_NS_PID: { type: 19, key: 'netnsPid', kind: u32 },
  IFLA_IFALIAS: { type: 20, key: 'ifalias', kind: string0 },
  IFLA_NUM_VF: { type: 21, key: 'numVf', kind: u32 },
  IFLA_VFINFO_LIST: { type: 22, key: 'vfinfoList', kind: nested(() => IFLA_VFINFO_LIST) },
  IFLA_STATS64: { type: 23, key: 'stats64', kind: RTNL_LINK_STATS64 },
  IFLA_VF_PORTS: { type: 24, key: 'vfPorts', kind: nested(() => IFLA_VF_PORTS) },
  IFLA_PORT_SELF: { type: 25, key: 'portSelf', kind: nested(() => IFLA_PORT) },
  IFLA_AF_SPEC: { type: 26, key: 'afSpec', kind: nested(() => IFLA_AF_SPEC) },
  IFLA_GROUP: { type: 27, key: 'group', kind: u32 },
  // Request only: move the link to the netns behind this file descriptor.
  IFLA_NET_NS_FD: { type: 28, key: 'netnsFd', kind: s32 },
  // Request only (dumps): which extras to include.
  IFLA_EXT_MASK: { type: 29, key: 'extMask', kind: flagsOf(u32, RTEXT_FILTER_NAMES) },
  IFLA_PROMISCUITY: { type: 30, key: 'promiscuity', kind: u32 },
  IFLA_NUM_TX_QUEUES: { type: 31, key: 'numTxQueues', kind: u32 },
  IFLA_NUM_RX_QUEUES: { type: 32, key: 'numRxQueues', kind: u32 },
  IFLA_CARRIER: { type: 33, key: 'carrier', kind: u8 },
  IFLA_PHYS_PORT_ID: { type: 34, key: 'physPortId', kind: bytes },
  IFLA_CARRIER_CHANGES: { type: 35, key: 'carrierChanges', kind: u32 },
  IFLA_PHYS_SWITCH_ID: { type: 36, key: 'physSwitchId', kind: bytes },
  // The peer netns (of IFLA_LINK, a veth peer, …) as a netnsid of the receiving netns.
  IFLA_LINK_NETNSID: { type: 37, key: 'linkNetnsid', kind: s32 },
  IFLA_PHYS_PORT_NAME: { type: 38, key: 'physPortName', kind: string0 },
  IFLA_PROTO_DOWN: { type: 39, key: 'protoDown', kind: u8 },
  IFLA_GSO_MAX_SEGS: { type: 40, key: 'gsoMaxSegs', kind: u32 },
  IFLA_GSO_MAX_SIZE: { type: 41, key: 'gsoMaxSize', kind: u32 },
  // Alignment filler before a u64 on strict-alignment architectures; may repeat.
  IFLA_PAD: { type: 42, key: 'pad', kind: bytes, multi: true },
  IFLA_XDP: { type: 43, key: 'xdp', kind: nested(() => IFLA_XDP) },
  IFLA_EVENT: { type: 44, key: 'event', kind: enumOf(u32, IFLA_EVENT_NAMES) },
  IFLA_NEW_NETNSID: { type: 45, key: 'newNetnsid', kind: s32 },
  // Request: operate in the netns with this id. Alias IFLA_IF_NETNSID (same number).
  IFLA_TARGET_NETNSID: { type: 46, key: 'targetNetnsid', kind: s32 },
  IFLA_CARRIER_UP_COUNT: { type: 47, key: 'carrierUpCount', kind: u32 },
  IFLA_CARRIER_DOWN_COUNT: { type: 48, key: 'carrierDownCount', kind: u32 },
  IFLA_NEW_IFINDEX: { type: 49, key: 'newIfindex', kind: s32 },
  IFLA_MIN_MTU: { type: 50, key: 'minMtu', kind: u32 },
  IFLA_MAX_MTU: { type: 51, key: 'maxMtu', kind: u32 },
  IFLA_PROP_LIST: { type: 52, key: 'propList', kind: nested(() => IFLA_PROP_LIST), nestedFlag: true },
  // Request: name the link by an alternative name (ALTIFNAMSIZ 128 including the NUL).
  IFLA_ALT_IFNAME: { type: 53, key: 'altIfname', kind: asciiz(127) },
  IFLA_PERM_ADDRESS: { type: 54, key: 'permAddress', kind: lladdr },
  IFLA_PROTO_DOWN_REASON: { type: 55, key: 'protoDownReason', kind: nested(() => IFLA_PROTO_DOWN_REASON), nestedFlag: true },
  // Name of the parent device (e.g. a PCI address) and of its bus.
  IFLA_PARENT_DEV_NAME: { type: 56, key: 'parentDevName', kind: string0 },
  IFLA_PARENT_DEV_BUS_NAME: { type: 57, key: 'parentDevBusName', kind: string0 },
  IFLA_GRO_MAX_SIZE: { type: 58, key: 'groMaxSize', kind: u32 },
  IFLA_TSO_MAX_SIZE: { type: 59, key: 'tsoMaxSize', kind: u32 },
  IFLA_TSO_MAX_SEGS: { type: 60, key: 'tsoMaxSegs', kind: u32 },
  IFLA_ALLMULTI: { type: 61, key: 'allmulti', kind: u32 },
  // devlink port handle: DEVLINK_ATTR_* from <linux/devlink.h>, not modelled here.
  IFLA_DEVLINK_PORT: { type: 62, key: 'devlinkPort', kind: nestedBytes, nestedFlag: true },
  IFLA_GSO_IPV4_MAX_SIZE: { type: 63, key: 'gsoIpv4MaxSize', kind: u32 },
  IFLA_GRO_IPV4_MAX_SIZE: { type: 64, key: 'groIpv4MaxSize', kind: u32 },
  // DPLL pin handle: DPLL_A_PIN_* from <linux/dpll.h>, not modelled here.
  IFLA_DPLL_PIN: { type: 65, key: 'dpllPin', kind: nestedBytes, nestedFlag: true },
  // Nanoseconds; an NLA_UINT, 4 bytes on the wire unless it needs 8.
  IFLA_MAX_PACING_OFFLOAD_HORIZON: { type: 66, key: 'maxPacingOffloadHorizon', kind: uint },
  IFLA_NETNS_IMMUTABLE: { type: 67, key: 'netnsImmutable', kind: u8 },
  // Linux 6.18+: the device's needed_headroom / needed_tailroom.
  IFLA_HEADROOM: { type: 68, key: 'headroom', kind: u16 },
  IFLA_TAILROOM: { type: 69, key: 'tailroom', kind: u16 },
}, RTNL_SET);

/**
 * The attributes of a link message whose ifi_family is AF_BRIDGE (`bridge link show`, the
 * bridge's RTM_NEWLINK notifications for its ports, `bridge link set`): the IFLA table with two
 * entries laid out differently — IFLA_AF_SPEC holds IFLA_BRIDGE_* directly (no per-family
 * level; br_fill_ifinfo() opens it with nla_nest_start_noflag()) and IFLA_PROTINFO holds
 * IFLA_BRPORT_* (opened with nla_nest_start(), so NLA_F_NESTED is set). Derived from IFLA's
 * spec so every other attribute stays declared once; rtnetlink's link messages pick it from
 * the header (MessageSchema.attrsFor in ./protocol.ts).
 */
export const IFLA_BR_MSG = attrs('IFLA', {
  ...IFLA.spec,
  IFLA_PROTINFO: { ...IFLA.spec.IFLA_PROTINFO, kind: nested(() => IFLA_BRPORT), nestedFlag: true },
  IFLA_AF_SPEC: { ...IFLA.spec.IFLA_AF_SPEC, kind: nested(() => IFLA_BRIDGE), nestedFlag: false },
}, RTNL_SET);

/**
 * IFLA for AF_INET6 link messages (the replies to an RTM_GETLINK dump with ifi_family AF_INET6,
 * net/ipv6/addrconf.c inet6_fill_ifinfo()): there IFLA_PROTINFO carries the IPv6 per-device
 * data, IFLA_INET6_*, opened with nla_nest_start_noflag().
 */
export const IFLA_INET6_MSG = attrs('IFLA', {
  ...IFLA.spec,
  IFLA_PROTINFO: { ...IFLA.spec.IFLA_PROTINFO, kind: nested(() => IFLA_INET6), nestedFlag: false },
}, RTNL_SET);

/** Values of a link message's attributes. */
export type LinkAttrs = AttrValues<typeof IFLA.spec>;
/** Values of an AF_BRIDGE link message's attributes (IFLA_BR_MSG). */
export type BridgeLinkAttrs = AttrValues<typeof IFLA_BR_MSG.spec>;
/** Values of the IFLA_LINKINFO nest. */
export type LinkInfoAttrs = AttrValues<typeof IFLA_INFO.spec>;
/** A decoded struct rtnl_link_stats64. */
export type LinkStats64 = KindValue<typeof RTNL_LINK_STATS64>;
