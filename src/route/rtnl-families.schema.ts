/**
 * Decode tables for the rtnetlink families the library has no API for, so `netlink-dump
 * decode` names their headers, flags and attributes instead of printing raw hex: nexthop
 * objects (<linux/nexthop.h>), netconf (<linux/netconf.h>), address labels
 * (<linux/if_addrlabel.h>), neighbour tables (NDTA_*, <linux/neighbour.h>), traffic control
 * (struct tcmsg and TCA_* of <linux/rtnetlink.h>; TCA_OPTIONS laid out by TCA_KIND for the
 * htb, tbf, fq_codel, pfifo/bfifo and prio/pfifo_fast qdiscs of <linux/pkt_sched.h>, other
 * kinds' options and the statistics raw),
 * bridge MDB (struct br_port_msg, <linux/if_bridge.h>) and link statistics (struct
 * if_stats_msg, <linux/if_link.h>). Attributes newer than the installed 6.1 headers carry
 * their kernel version in a comment (checked against the 6.18 uapi).
 */
import { type Kind, bytes, enumOf, flag, ipaddr, s16, s32, string0, u16, u32, u64, u8 } from '../netlink/kinds.js';
import { DecodeError } from '../netlink/errors.js';
import { attrs, nested, struct, union } from '../netlink/schema.js';
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

/** struct tc_ratespec (<linux/pkt_sched.h>): a rate in bytes/s with its cell layout. */
export const TC_RATESPEC = struct('tc_ratespec', 12, {
  cell_log: [0, u8], linklayer: [1, u8], overhead: [2, u16], cell_align: [4, s16], mpu: [6, u16], rate: [8, u32],
});

/** `__u8 x[n]` as a list of numbers (tc_prio_qopt.priomap). */
function u8Array(n: number): Kind<number[]> {
  return {
    kindName: `u8[${n}]`,
    fixedSize: n,
    exact: true,
    size(v, path) {
      if (!Array.isArray(v) || v.length !== n || v.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new TypeError(`${path.join('.')}: expected ${n} integers 0..255`);
      return n;
    },
    write(v, buf, off) { for (const x of v) buf[off++] = x; return off; },
    read(buf, start, end, path) {
      if (end - start < n) throw new DecodeError(`u8[${n}] needs ${n} bytes, got ${end - start}`, path, start);
      return [...buf.subarray(start, start + n)];
    },
    describe: (v) => v.join(' '),
  };
}

/** struct tc_fifo_qopt: TCA_OPTIONS of pfifo / bfifo (packets / bytes). */
export const TC_FIFO_QOPT = struct('tc_fifo_qopt', 4, { limit: [0, u32] });
/** struct tc_prio_qopt: TCA_OPTIONS of prio and pfifo_fast (bands and the priority → band map). */
export const TC_PRIO_QOPT = struct('tc_prio_qopt', 20, { bands: [0, s32], priomap: [4, u8Array(16)] });
/** struct tc_htb_opt: TCA_HTB_PARMS of an htb class. */
export const TC_HTB_OPT = struct('tc_htb_opt', 44, {
  rate: [0, TC_RATESPEC], ceil: [12, TC_RATESPEC], buffer: [24, u32], cbuffer: [28, u32], quantum: [32, u32], level: [36, u32], prio: [40, u32],
});
/** struct tc_htb_glob: TCA_HTB_INIT of an htb qdisc. */
export const TC_HTB_GLOB = struct('tc_htb_glob', 20, {
  version: [0, u32], rate2quantum: [4, u32], defcls: [8, u32], debug: [12, u32], direct_pkts: [16, u32],
});
/** struct tc_tbf_qopt: TCA_TBF_PARMS. */
export const TC_TBF_QOPT = struct('tc_tbf_qopt', 36, {
  rate: [0, TC_RATESPEC], peakrate: [12, TC_RATESPEC], limit: [24, u32], buffer: [28, u32], mtu: [32, u32],
});

/** TCA_HTB_*: TCA_OPTIONS of kind "htb" (qdisc and classes). The rate tables stay raw. */
export const TCA_HTB = attrs('TCA_HTB', {
  TCA_HTB_PARMS: { type: 1, key: 'parms', kind: TC_HTB_OPT },
  TCA_HTB_INIT: { type: 2, key: 'init', kind: TC_HTB_GLOB },
  TCA_HTB_CTAB: { type: 3, key: 'ctab', kind: bytes },
  TCA_HTB_RTAB: { type: 4, key: 'rtab', kind: bytes },
  TCA_HTB_DIRECT_QLEN: { type: 5, key: 'directQlen', kind: u32 },
  TCA_HTB_RATE64: { type: 6, key: 'rate64', kind: u64 },
  TCA_HTB_CEIL64: { type: 7, key: 'ceil64', kind: u64 },
  TCA_HTB_PAD: { type: 8, key: 'pad', kind: bytes },
  TCA_HTB_OFFLOAD: { type: 9, key: 'offload', kind: flag },
}, RTNL_SET);

/** TCA_TBF_*: TCA_OPTIONS of kind "tbf". */
export const TCA_TBF = attrs('TCA_TBF', {
  TCA_TBF_PARMS: { type: 1, key: 'parms', kind: TC_TBF_QOPT },
  TCA_TBF_RTAB: { type: 2, key: 'rtab', kind: bytes },
  TCA_TBF_PTAB: { type: 3, key: 'ptab', kind: bytes },
  TCA_TBF_RATE64: { type: 4, key: 'rate64', kind: u64 },
  TCA_TBF_PRATE64: { type: 5, key: 'prate64', kind: u64 },
  TCA_TBF_BURST: { type: 6, key: 'burst', kind: u32 },
  TCA_TBF_PBURST: { type: 7, key: 'pburst', kind: u32 },
  TCA_TBF_PAD: { type: 8, key: 'pad', kind: bytes },
}, RTNL_SET);

/** TCA_FQ_CODEL_*: TCA_OPTIONS of kind "fq_codel" (times in microseconds). */
export const TCA_FQ_CODEL = attrs('TCA_FQ_CODEL', {
  TCA_FQ_CODEL_TARGET: { type: 1, key: 'target', kind: u32 },
  TCA_FQ_CODEL_LIMIT: { type: 2, key: 'limit', kind: u32 },
  TCA_FQ_CODEL_INTERVAL: { type: 3, key: 'interval', kind: u32 },
  TCA_FQ_CODEL_ECN: { type: 4, key: 'ecn', kind: u32 },
  TCA_FQ_CODEL_FLOWS: { type: 5, key: 'flows', kind: u32 },
  TCA_FQ_CODEL_QUANTUM: { type: 6, key: 'quantum', kind: u32 },
  TCA_FQ_CODEL_CE_THRESHOLD: { type: 7, key: 'ceThreshold', kind: u32 },
  TCA_FQ_CODEL_DROP_BATCH_SIZE: { type: 8, key: 'dropBatchSize', kind: u32 },
  TCA_FQ_CODEL_MEMORY_LIMIT: { type: 9, key: 'memoryLimit', kind: u32 },
  TCA_FQ_CODEL_CE_THRESHOLD_SELECTOR: { type: 10, key: 'ceThresholdSelector', kind: u8 },
  TCA_FQ_CODEL_CE_THRESHOLD_MASK: { type: 11, key: 'ceThresholdMask', kind: u8 },
}, RTNL_SET);

/** TCA_OPTIONS by TCA_KIND: the qdiscs above; any other kind keeps its options raw. */
const TCA_OPTIONS_BY_KIND = () => ({
  htb: nested(() => TCA_HTB), tbf: nested(() => TCA_TBF), fq_codel: nested(() => TCA_FQ_CODEL),
  pfifo: TC_FIFO_QOPT, bfifo: TC_FIFO_QOPT, prio: TC_PRIO_QOPT, pfifo_fast: TC_PRIO_QOPT,
});

/** TCA_*: qdiscs, classes, filters, chains. TCA_OPTIONS by the kind (above); the statistics stay raw. */
export const TCA = attrs('TCA', {
  TCA_KIND: { type: 1, key: 'kind', kind: string0 },
  TCA_OPTIONS: { type: 2, key: 'options', kind: union('kind', TCA_OPTIONS_BY_KIND) },
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

