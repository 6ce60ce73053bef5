/**
 * Decode tables for the rtnetlink families the library has no API for, so `netlink-dump
 * decode` names their headers, flags and attributes instead of printing raw hex: nexthop
 * objects (<linux/nexthop.h>), netconf (<linux/netconf.h>), address labels
 * (<linux/if_addrlabel.h>), neighbour tables (NDTA_*, <linux/neighbour.h>), traffic control
 * (struct tcmsg and TCA_* of <linux/rtnetlink.h>; the qdisc/class/filter options stay raw),
 * bridge MDB (struct br_port_msg, <linux/if_bridge.h>) and link statistics (struct
 * if_stats_msg, <linux/if_link.h>). Attributes newer than the installed 6.1 headers carry
 * their kernel version in a comment (checked against the 6.18 uapi).
 */
import { bytes, enumOf, flag, ipaddr, s32, string0, u16, u32, u64, u8 } from '../netlink/kinds.js';
import { attrs, nested, struct } from '../netlink/schema.js';
import { AF_NAMES } from './family.js';
import { RTNL_SET } from './kinds.js';
import { RT_SCOPE_NAMES, RTPROT_NAMES } from './route/route.schema.js';

/** struct nhmsg { u8 nh_family; u8 nh_scope; u8 nh_protocol; u8 resvd; u32 nh_flags; } */
export const NHMSG = struct('nhmsg', 8, {
  family: [0, enumOf(u8, AF_NAMES)],
  scope: [1, enumOf(u8, RT_SCOPE_NAMES)],
  protocol: [2, enumOf(u8, RTPROT_NAMES)],
  resvd: [3, u8],
  flags: [4, u32],
});

/** NHA_RES_GROUP_* (resilient groups). */
export const NHA_RES_GROUP = attrs('NHA_RES_GROUP', {
  NHA_RES_GROUP_PAD: { type: 0, key: 'pad', kind: bytes },
  NHA_RES_GROUP_BUCKETS: { type: 1, key: 'buckets', kind: u16 },
  NHA_RES_GROUP_IDLE_TIMER: { type: 2, key: 'idleTimer', kind: u32 },
  NHA_RES_GROUP_UNBALANCED_TIMER: { type: 3, key: 'unbalancedTimer', kind: u32 },
  NHA_RES_GROUP_UNBALANCED_TIME: { type: 4, key: 'unbalancedTime', kind: u64 },
}, RTNL_SET);

/** NHA_*: nexthop objects (`ip nexthop`). */
export const NHA = attrs('NHA', {
  NHA_ID: { type: 1, key: 'id', kind: u32 },
  // An array of struct nexthop_grp { u32 id; u8 weight; u8 weight_high; u16 resvd2; }, kept raw.
  NHA_GROUP: { type: 2, key: 'group', kind: bytes },
  NHA_GROUP_TYPE: { type: 3, key: 'groupType', kind: enumOf(u16, { 0: 'MPATH', 1: 'RES' }) },
  NHA_BLACKHOLE: { type: 4, key: 'blackhole', kind: flag },
  NHA_OIF: { type: 5, key: 'oif', kind: u32 },
  NHA_GATEWAY: { type: 6, key: 'gateway', kind: ipaddr },
  NHA_ENCAP_TYPE: { type: 7, key: 'encapType', kind: u16 },
  NHA_ENCAP: { type: 8, key: 'encap', kind: bytes },
  NHA_GROUPS: { type: 9, key: 'groups', kind: flag },
  NHA_MASTER: { type: 10, key: 'master', kind: u32 },
  NHA_FDB: { type: 11, key: 'fdb', kind: flag },
  NHA_RES_GROUP: { type: 12, key: 'resGroup', kind: nested(() => NHA_RES_GROUP) },
  NHA_RES_BUCKET: { type: 13, key: 'resBucket', kind: bytes },
  // Linux 6.10:
  NHA_OP_FLAGS: { type: 14, key: 'opFlags', kind: u32 },
  NHA_GROUP_STATS: { type: 15, key: 'groupStats', kind: bytes },
  NHA_HW_STATS_ENABLE: { type: 16, key: 'hwStatsEnable', kind: u32 },
  NHA_HW_STATS_USED: { type: 17, key: 'hwStatsUsed', kind: u32 },
}, RTNL_SET);

/** struct netconfmsg { u8 ncm_family; } — padded to NLMSG_ALIGNTO. */
export const NETCONFMSG = struct('netconfmsg', 4, { family: [0, enumOf(u8, AF_NAMES)] });

/** NETCONFA_*: per-device (or all/default, ifindex -1/-2) IP configuration notifications. */
export const NETCONFA = attrs('NETCONFA', {
  NETCONFA_IFINDEX: { type: 1, key: 'ifindex', kind: s32 },
  NETCONFA_FORWARDING: { type: 2, key: 'forwarding', kind: s32 },
  NETCONFA_RP_FILTER: { type: 3, key: 'rpFilter', kind: s32 },
  NETCONFA_MC_FORWARDING: { type: 4, key: 'mcForwarding', kind: s32 },
  NETCONFA_PROXY_NEIGH: { type: 5, key: 'proxyNeigh', kind: s32 },
  NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN: { type: 6, key: 'ignoreRoutesWithLinkdown', kind: s32 },
  NETCONFA_INPUT: { type: 7, key: 'input', kind: s32 },
  NETCONFA_BC_FORWARDING: { type: 8, key: 'bcForwarding', kind: s32 },
}, RTNL_SET);

/** struct ifaddrlblmsg { u8 family; u8 reserved; u8 prefixlen; u8 flags; u32 index; u32 seq; } */
export const IFADDRLBLMSG = struct('ifaddrlblmsg', 12, {
  family: [0, enumOf(u8, AF_NAMES)],
  reserved: [1, u8],
  prefixlen: [2, u8],
  flags: [3, u8],
  index: [4, u32],
  seq: [8, u32],
});

/** IFAL_*: IPv6 address labels (`ip addrlabel`). */
export const IFAL = attrs('IFAL', {
  IFAL_ADDRESS: { type: 1, key: 'address', kind: ipaddr },
  IFAL_LABEL: { type: 2, key: 'label', kind: u32 },
}, RTNL_SET);

/** struct ndtmsg { u8 ndtm_family; u8 pad1; u16 pad2; } */
export const NDTMSG = struct('ndtmsg', 4, { family: [0, enumOf(u8, AF_NAMES)], pad1: [1, u8], pad2: [2, u16] });

/** NDTPA_*: one neighbour table's parameters (per device, or the table's defaults). */
export const NDTPA = attrs('NDTPA', {
  NDTPA_IFINDEX: { type: 1, key: 'ifindex', kind: u32 },
  NDTPA_REFCNT: { type: 2, key: 'refcnt', kind: u32 },
  NDTPA_REACHABLE_TIME: { type: 3, key: 'reachableTime', kind: u64 },
  NDTPA_BASE_REACHABLE_TIME: { type: 4, key: 'baseReachableTime', kind: u64 },
  NDTPA_RETRANS_TIME: { type: 5, key: 'retransTime', kind: u64 },
  NDTPA_GC_STALETIME: { type: 6, key: 'gcStaletime', kind: u64 },
  NDTPA_DELAY_PROBE_TIME: { type: 7, key: 'delayProbeTime', kind: u64 },
  NDTPA_QUEUE_LEN: { type: 8, key: 'queueLen', kind: u32 },
  NDTPA_APP_PROBES: { type: 9, key: 'appProbes', kind: u32 },
  NDTPA_UCAST_PROBES: { type: 10, key: 'ucastProbes', kind: u32 },
  NDTPA_MCAST_PROBES: { type: 11, key: 'mcastProbes', kind: u32 },
  NDTPA_ANYCAST_DELAY: { type: 12, key: 'anycastDelay', kind: u64 },
  NDTPA_PROXY_DELAY: { type: 13, key: 'proxyDelay', kind: u64 },
  NDTPA_PROXY_QLEN: { type: 14, key: 'proxyQlen', kind: u32 },
  NDTPA_LOCKTIME: { type: 15, key: 'locktime', kind: u64 },
  NDTPA_QUEUE_LENBYTES: { type: 16, key: 'queueLenbytes', kind: u32 },
  NDTPA_MCAST_REPROBES: { type: 17, key: 'mcastReprobes', kind: u32 },
  NDTPA_PAD: { type: 18, key: 'pad', kind: bytes },
  NDTPA_INTERVAL_PROBE_TIME_MS: { type: 19, key: 'intervalProbeTimeMs', kind: u64 },
}, RTNL_SET);

/** NDTA_*: neighbour tables (`ip ntable`). NDTA_CONFIG / NDTA_STATS are structs kept raw. */
export const NDTA = attrs('NDTA', {
  NDTA_NAME: { type: 1, key: 'name', kind: string0 },
  NDTA_THRESH1: { type: 2, key: 'thresh1', kind: u32 },
  NDTA_THRESH2: { type: 3, key: 'thresh2', kind: u32 },
  NDTA_THRESH3: { type: 4, key: 'thresh3', kind: u32 },
  NDTA_CONFIG: { type: 5, key: 'config', kind: bytes },
  NDTA_PARMS: { type: 6, key: 'parms', kind: nested(() => NDTPA) },
  NDTA_STATS: { type: 7, key: 'stats', kind: bytes },
  NDTA_GC_INTERVAL: { type: 8, key: 'gcInterval', kind: u64 },
  NDTA_PAD: { type: 9, key: 'pad', kind: bytes },
}, RTNL_SET);

/** struct tcmsg { u8 family; u8 pad1; u16 pad2; s32 ifindex; u32 handle; u32 parent; u32 info; } */
export const TCMSG = struct('tcmsg', 20, {
  family: [0, enumOf(u8, AF_NAMES)],
  pad1: [1, u8],
  pad2: [2, u16],
  ifindex: [4, s32],
  handle: [8, u32],
  parent: [12, u32],
  info: [16, u32],
});

/** TCA_*: qdiscs, classes, filters, chains. The kind's TCA_OPTIONS and the statistics stay raw. */
export const TCA = attrs('TCA', {
  TCA_KIND: { type: 1, key: 'kind', kind: string0 },
  TCA_OPTIONS: { type: 2, key: 'options', kind: bytes },
  TCA_STATS: { type: 3, key: 'stats', kind: bytes },
  TCA_XSTATS: { type: 4, key: 'xstats', kind: bytes },
  TCA_RATE: { type: 5, key: 'rate', kind: bytes },
  TCA_FCNT: { type: 6, key: 'fcnt', kind: bytes },
  TCA_STATS2: { type: 7, key: 'stats2', kind: bytes },
  TCA_STAB: { type: 8, key: 'stab', kind: bytes },
  TCA_PAD: { type: 9, key: 'pad', kind: bytes },
  TCA_DUMP_INVISIBLE: { type: 10, key: 'dumpInvisible', kind: flag },
  TCA_CHAIN: { type: 11, key: 'chain', kind: u32 },
  TCA_HW_OFFLOAD: { type: 12, key: 'hwOffload', kind: u8 },
  TCA_INGRESS_BLOCK: { type: 13, key: 'ingressBlock', kind: u32 },
  TCA_EGRESS_BLOCK: { type: 14, key: 'egressBlock', kind: u32 },
  // struct nla_bitfield32 { u32 value; u32 selector; }, kept raw.
  TCA_DUMP_FLAGS: { type: 15, key: 'dumpFlags', kind: bytes },
  // Linux 6.2:
  TCA_EXT_WARN_MSG: { type: 16, key: 'extWarnMsg', kind: string0 },
}, RTNL_SET);

/** struct br_port_msg { u8 family; u32 ifindex; } (ifindex at 4: natural alignment). */
export const BR_PORT_MSG = struct('br_port_msg', 8, { family: [0, enumOf(u8, AF_NAMES)], ifindex: [4, u32] });

/** MDBA_*: the bridge multicast database; the entries inside stay raw. */
export const MDBA = attrs('MDBA', {
  MDBA_MDB: { type: 1, key: 'mdb', kind: bytes },
  MDBA_ROUTER: { type: 2, key: 'router', kind: bytes },
}, RTNL_SET);

/** struct if_stats_msg { u8 family; u8 pad1; u16 pad2; u32 ifindex; u32 filter_mask; } */
export const IF_STATS_MSG = struct('if_stats_msg', 12, {
  family: [0, enumOf(u8, AF_NAMES)], pad1: [1, u8], pad2: [2, u16], ifindex: [4, u32], filterMask: [8, u32],
});

/** IFLA_STATS_*: RTM_NEWSTATS attributes (struct rtnl_link_stats64 and nests, kept raw). */
export const IFLA_STATS = attrs('IFLA_STATS', {
  IFLA_STATS_LINK_64: { type: 1, key: 'link64', kind: bytes },
  IFLA_STATS_LINK_XSTATS: { type: 2, key: 'linkXstats', kind: bytes },
  IFLA_STATS_LINK_XSTATS_SLAVE: { type: 3, key: 'linkXstatsSlave', kind: bytes },
  IFLA_STATS_LINK_OFFLOAD_XSTATS: { type: 4, key: 'linkOffloadXstats', kind: bytes },
  IFLA_STATS_AF_SPEC: { type: 5, key: 'afSpec', kind: bytes },
}, RTNL_SET);

