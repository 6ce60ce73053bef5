/**
 * Bridge links (`ip link add … type bridge`): IFLA_INFO_DATA for kind "bridge" (IFLA_BR_*)
 * and IFLA_INFO_SLAVE_DATA of bridge ports (IFLA_BRPORT_*), from <linux/if_link.h> "Bridge
 * section"; enum values from <linux/if_bridge.h>. Types as net/bridge/br_netlink.c writes them.
 *
 * Timers (IFLA_BR_*_TIMER, IFLA_BRPORT_*_TIMER) and multicast intervals are u64 in clock_t
 * (centiseconds), put with nla_put_u64_64bit(): on 64-bit-aligned architectures that can emit a
 * zero-length IFLA_BR_PAD / IFLA_BRPORT_PAD first, hence those pads are declared `multi`.
 */
import { be16, bytes, enumOf, flag, flagsOf, ipaddr, lladdr, u16, u32, u64, u8 } from '../../../netlink/kinds.js';
import { attrs, nested, struct, type AttrValues } from '../../../netlink/schema.js';
import { RTNL_SET, etherAddr } from '../../kinds.js';

/**
 * struct ifla_bridge_id { __u8 prio[2]; __u8 addr[6]; } — the bridge identifier, priority
 * first in network order, exactly as `ip -d link` prints it (`8000.b6:13:a3:2f:40:9a`).
 */
export const IFLA_BRIDGE_ID = struct('ifla_bridge_id', 8, {
  prio: [0, be16],
  addr: [2, etherAddr],
});

/** `enum br_boolopt_id` (<linux/if_bridge.h>): bit numbers of struct br_boolopt_multi. */
export const BR_BOOLOPT = {
  BR_BOOLOPT_NO_LL_LEARN: 0,
  BR_BOOLOPT_MCAST_VLAN_SNOOPING: 1,
  BR_BOOLOPT_MST_ENABLE: 2,
  BR_BOOLOPT_MDB_OFFLOAD_FAIL_NOTIFICATION: 3,
  BR_BOOLOPT_FDB_LOCAL_VLAN_0: 4,
} as const;
const BR_BOOLOPT_BITS: ReadonlyArray<readonly [number, string]> = Object.entries(BR_BOOLOPT).map(([k, v]) => [1 << v, k.slice(11)] as const);

/** struct br_boolopt_multi { __u32 optval; __u32 optmask; } — IFLA_BR_MULTI_BOOLOPT. */
export const BR_BOOLOPT_MULTI = struct('br_boolopt_multi', 8, {
  optval: [0, flagsOf(u32, BR_BOOLOPT_BITS)],
  optmask: [4, flagsOf(u32, BR_BOOLOPT_BITS)],
});

/** `enum br_stp_mode` (<linux/if_link.h>, Linux 7.1+): IFLA_BR_STP_MODE values. */
const BR_STP_MODE_NAMES = { 0: 'AUTO', 1: 'USER', 2: 'KERNEL' } as const;
/** BR_STATE_* (<linux/if_bridge.h>): spanning-tree port states. */
const BR_STATE_NAMES = { 0: 'DISABLED', 1: 'LISTENING', 2: 'LEARNING', 3: 'FORWARDING', 4: 'BLOCKING' } as const;
/** `enum multicast_router` / MDB_RTR_TYPE_* (<linux/if_bridge.h>). */
const MCAST_ROUTER_NAMES = { 0: 'DISABLED', 1: 'TEMP_QUERY', 2: 'PERM', 3: 'TEMP' } as const;

/**
 * BRIDGE_QUERIER_* (<linux/if_bridge.h>): the IFLA_BR_MCAST_QUERIER_STATE nest (Linux 5.15+,
 * written with nla_nest_start(), so NLA_F_NESTED is set).
 */
export const BRIDGE_QUERIER = attrs('BRIDGE_QUERIER', {
  BRIDGE_QUERIER_IP_ADDRESS: { type: 1, key: 'ipAddress', kind: ipaddr },
  BRIDGE_QUERIER_IP_PORT: { type: 2, key: 'ipPort', kind: u32 },
  BRIDGE_QUERIER_IP_OTHER_TIMER: { type: 3, key: 'ipOtherTimer', kind: u64 },
  BRIDGE_QUERIER_PAD: { type: 4, key: 'pad', kind: bytes, multi: true },
  BRIDGE_QUERIER_IPV6_ADDRESS: { type: 5, key: 'ipv6Address', kind: ipaddr },
  BRIDGE_QUERIER_IPV6_PORT: { type: 6, key: 'ipv6Port', kind: u32 },
  BRIDGE_QUERIER_IPV6_OTHER_TIMER: { type: 7, key: 'ipv6OtherTimer', kind: u64 },
}, RTNL_SET);

/** IFLA_BR_*: IFLA_INFO_DATA of kind "bridge". Times are in clock_t (1/100 s). */
export const IFLA_BR = attrs('IFLA_BR', {
  IFLA_BR_FORWARD_DELAY: { type: 1, key: 'forwardDelay', kind: u32 },
  IFLA_BR_HELLO_TIME: { type: 2, key: 'helloTime', kind: u32 },
  IFLA_BR_MAX_AGE: { type: 3, key: 'maxAge', kind: u32 },
  IFLA_BR_AGEING_TIME: { type: 4, key: 'ageingTime', kind: u32 },
  IFLA_BR_STP_STATE: { type: 5, key: 'stpState', kind: u32 },
  IFLA_BR_PRIORITY: { type: 6, key: 'priority', kind: u16 },
  IFLA_BR_VLAN_FILTERING: { type: 7, key: 'vlanFiltering', kind: u8 },
  // An ethertype: nla_put_be16(), 0x8100 (802.1Q) or 0x88a8 (802.1ad).
  IFLA_BR_VLAN_PROTOCOL: { type: 8, key: 'vlanProtocol', kind: be16 },
  IFLA_BR_GROUP_FWD_MASK: { type: 9, key: 'groupFwdMask', kind: u16 },
  IFLA_BR_ROOT_ID: { type: 10, key: 'rootId', kind: IFLA_BRIDGE_ID },
  IFLA_BR_BRIDGE_ID: { type: 11, key: 'bridgeId', kind: IFLA_BRIDGE_ID },
  IFLA_BR_ROOT_PORT: { type: 12, key: 'rootPort', kind: u16 },
  IFLA_BR_ROOT_PATH_COST: { type: 13, key: 'rootPathCost', kind: u32 },
  IFLA_BR_TOPOLOGY_CHANGE: { type: 14, key: 'topologyChange', kind: u8 },
  IFLA_BR_TOPOLOGY_CHANGE_DETECTED: { type: 15, key: 'topologyChangeDetected', kind: u8 },
  IFLA_BR_HELLO_TIMER: { type: 16, key: 'helloTimer', kind: u64 },
  IFLA_BR_TCN_TIMER: { type: 17, key: 'tcnTimer', kind: u64 },
  IFLA_BR_TOPOLOGY_CHANGE_TIMER: { type: 18, key: 'topologyChangeTimer', kind: u64 },
  IFLA_BR_GC_TIMER: { type: 19, key: 'gcTimer', kind: u64 },
  IFLA_BR_GROUP_ADDR: { type: 20, key: 'groupAddr', kind: lladdr },
  // Request only: flush the bridge's FDB.
  IFLA_BR_FDB_FLUSH: { type: 21, key: 'fdbFlush', kind: flag },
  IFLA_BR_MCAST_ROUTER: { type: 22, key: 'mcastRouter', kind: enumOf(u8, MCAST_ROUTER_NAMES) },
  IFLA_BR_MCAST_SNOOPING: { type: 23, key: 'mcastSnooping', kind: u8 },
  IFLA_BR_MCAST_QUERY_USE_IFADDR: { type: 24, key: 'mcastQueryUseIfaddr', kind: u8 },
  IFLA_BR_MCAST_QUERIER: { type: 25, key: 'mcastQuerier', kind: u8 },
  IFLA_BR_MCAST_HASH_ELASTICITY: { type: 26, key: 'mcastHashElasticity', kind: u32 },
  IFLA_BR_MCAST_HASH_MAX: { type: 27, key: 'mcastHashMax', kind: u32 },
  IFLA_BR_MCAST_LAST_MEMBER_CNT: { type: 28, key: 'mcastLastMemberCnt', kind: u32 },
  IFLA_BR_MCAST_STARTUP_QUERY_CNT: { type: 29, key: 'mcastStartupQueryCnt', kind: u32 },
  IFLA_BR_MCAST_LAST_MEMBER_INTVL: { type: 30, key: 'mcastLastMemberIntvl', kind: u64 },
  IFLA_BR_MCAST_MEMBERSHIP_INTVL: { type: 31, key: 'mcastMembershipIntvl', kind: u64 },
  IFLA_BR_MCAST_QUERIER_INTVL: { type: 32, key: 'mcastQuerierIntvl', kind: u64 },
  IFLA_BR_MCAST_QUERY_INTVL: { type: 33, key: 'mcastQueryIntvl', kind: u64 },
  IFLA_BR_MCAST_QUERY_RESPONSE_INTVL: { type: 34, key: 'mcastQueryResponseIntvl', kind: u64 },
  IFLA_BR_MCAST_STARTUP_QUERY_INTVL: { type: 35, key: 'mcastStartupQueryIntvl', kind: u64 },
  IFLA_BR_NF_CALL_IPTABLES: { type: 36, key: 'nfCallIptables', kind: u8 },
  IFLA_BR_NF_CALL_IP6TABLES: { type: 37, key: 'nfCallIp6tables', kind: u8 },
  IFLA_BR_NF_CALL_ARPTABLES: { type: 38, key: 'nfCallArptables', kind: u8 },
  IFLA_BR_VLAN_DEFAULT_PVID: { type: 39, key: 'vlanDefaultPvid', kind: u16 },
  IFLA_BR_PAD: { type: 40, key: 'pad', kind: bytes, multi: true },
  IFLA_BR_VLAN_STATS_ENABLED: { type: 41, key: 'vlanStatsEnabled', kind: u8 },
  IFLA_BR_MCAST_STATS_ENABLED: { type: 42, key: 'mcastStatsEnabled', kind: u8 },
  IFLA_BR_MCAST_IGMP_VERSION: { type: 43, key: 'mcastIgmpVersion', kind: u8 },
  IFLA_BR_MCAST_MLD_VERSION: { type: 44, key: 'mcastMldVersion', kind: u8 },
  IFLA_BR_VLAN_STATS_PER_PORT: { type: 45, key: 'vlanStatsPerPort', kind: u8 },
  IFLA_BR_MULTI_BOOLOPT: { type: 46, key: 'multiBoolopt', kind: BR_BOOLOPT_MULTI },
  IFLA_BR_MCAST_QUERIER_STATE: { type: 47, key: 'mcastQuerierState', kind: nested(() => BRIDGE_QUERIER), nestedFlag: true },
  IFLA_BR_FDB_N_LEARNED: { type: 48, key: 'fdbNLearned', kind: u32 },
  IFLA_BR_FDB_MAX_LEARNED: { type: 49, key: 'fdbMaxLearned', kind: u32 },
  // Linux 7.1+; iproute2 sends it as a u32.
  IFLA_BR_STP_MODE: { type: 50, key: 'stpMode', kind: enumOf(u32, BR_STP_MODE_NAMES) },
}, RTNL_SET);

/**
 * IFLA_BRPORT_*: a bridge port's settings — IFLA_INFO_SLAVE_DATA when the master is a
 * bridge, and IFLA_PROTINFO in AF_BRIDGE link messages. Booleans are u8 0/1.
 */
export const IFLA_BRPORT = attrs('IFLA_BRPORT', {
  IFLA_BRPORT_STATE: { type: 1, key: 'state', kind: enumOf(u8, BR_STATE_NAMES) },
  IFLA_BRPORT_PRIORITY: { type: 2, key: 'priority', kind: u16 },
  IFLA_BRPORT_COST: { type: 3, key: 'cost', kind: u32 },
  // Hairpin mode.
  IFLA_BRPORT_MODE: { type: 4, key: 'mode', kind: u8 },
  IFLA_BRPORT_GUARD: { type: 5, key: 'guard', kind: u8 },
  IFLA_BRPORT_PROTECT: { type: 6, key: 'protect', kind: u8 },
  IFLA_BRPORT_FAST_LEAVE: { type: 7, key: 'fastLeave', kind: u8 },
  IFLA_BRPORT_LEARNING: { type: 8, key: 'learning', kind: u8 },
  IFLA_BRPORT_UNICAST_FLOOD: { type: 9, key: 'unicastFlood', kind: u8 },
  IFLA_BRPORT_PROXYARP: { type: 10, key: 'proxyarp', kind: u8 },
  IFLA_BRPORT_LEARNING_SYNC: { type: 11, key: 'learningSync', kind: u8 },
  IFLA_BRPORT_PROXYARP_WIFI: { type: 12, key: 'proxyarpWifi', kind: u8 },
  IFLA_BRPORT_ROOT_ID: { type: 13, key: 'rootId', kind: IFLA_BRIDGE_ID },
  IFLA_BRPORT_BRIDGE_ID: { type: 14, key: 'bridgeId', kind: IFLA_BRIDGE_ID },
  IFLA_BRPORT_DESIGNATED_PORT: { type: 15, key: 'designatedPort', kind: u16 },
  IFLA_BRPORT_DESIGNATED_COST: { type: 16, key: 'designatedCost', kind: u16 },
  IFLA_BRPORT_ID: { type: 17, key: 'id', kind: u16 },
  IFLA_BRPORT_NO: { type: 18, key: 'no', kind: u16 },
  IFLA_BRPORT_TOPOLOGY_CHANGE_ACK: { type: 19, key: 'topologyChangeAck', kind: u8 },
  IFLA_BRPORT_CONFIG_PENDING: { type: 20, key: 'configPending', kind: u8 },
  IFLA_BRPORT_MESSAGE_AGE_TIMER: { type: 21, key: 'messageAgeTimer', kind: u64 },
  IFLA_BRPORT_FORWARD_DELAY_TIMER: { type: 22, key: 'forwardDelayTimer', kind: u64 },
  IFLA_BRPORT_HOLD_TIMER: { type: 23, key: 'holdTimer', kind: u64 },
  // Request only: flush the port's FDB entries.
  IFLA_BRPORT_FLUSH: { type: 24, key: 'flush', kind: flag },
  IFLA_BRPORT_MULTICAST_ROUTER: { type: 25, key: 'multicastRouter', kind: enumOf(u8, MCAST_ROUTER_NAMES) },
  IFLA_BRPORT_PAD: { type: 26, key: 'pad', kind: bytes, multi: true },
  IFLA_BRPORT_MCAST_FLOOD: { type: 27, key: 'mcastFlood', kind: u8 },
  IFLA_BRPORT_MCAST_TO_UCAST: { type: 28, key: 'mcastToUcast', kind: u8 },
  IFLA_BRPORT_VLAN_TUNNEL: { type: 29, key: 'vlanTunnel', kind: u8 },
  IFLA_BRPORT_BCAST_FLOOD: { type: 30, key: 'bcastFlood', kind: u8 },
  IFLA_BRPORT_GROUP_FWD_MASK: { type: 31, key: 'groupFwdMask', kind: u16 },
  IFLA_BRPORT_NEIGH_SUPPRESS: { type: 32, key: 'neighSuppress', kind: u8 },
  IFLA_BRPORT_ISOLATED: { type: 33, key: 'isolated', kind: u8 },
  // ifindex of the backup port.
  IFLA_BRPORT_BACKUP_PORT: { type: 34, key: 'backupPort', kind: u32 },
  IFLA_BRPORT_MRP_RING_OPEN: { type: 35, key: 'mrpRingOpen', kind: u8 },
  IFLA_BRPORT_MRP_IN_OPEN: { type: 36, key: 'mrpInOpen', kind: u8 },
  IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT: { type: 37, key: 'mcastEhtHostsLimit', kind: u32 },
  IFLA_BRPORT_MCAST_EHT_HOSTS_CNT: { type: 38, key: 'mcastEhtHostsCnt', kind: u32 },
  IFLA_BRPORT_LOCKED: { type: 39, key: 'locked', kind: u8 },
  IFLA_BRPORT_MAB: { type: 40, key: 'mab', kind: u8 },
  IFLA_BRPORT_MCAST_N_GROUPS: { type: 41, key: 'mcastNGroups', kind: u32 },
  IFLA_BRPORT_MCAST_MAX_GROUPS: { type: 42, key: 'mcastMaxGroups', kind: u32 },
  IFLA_BRPORT_NEIGH_VLAN_SUPPRESS: { type: 43, key: 'neighVlanSuppress', kind: u8 },
  IFLA_BRPORT_BACKUP_NHID: { type: 44, key: 'backupNhid', kind: u32 },
  // Linux 7.2+ (in net-next headers; newer than the 6.18 kernel this was written on).
  IFLA_BRPORT_NEIGH_FORWARD_GRAT: { type: 45, key: 'neighForwardGrat', kind: u8 },
}, RTNL_SET);

/** Values of IFLA_INFO_DATA for kind "bridge". */
export type BridgeAttrs = AttrValues<typeof IFLA_BR.spec>;
/** Values of a bridge port's IFLA_BRPORT_* attributes. */
export type BridgePortAttrs = AttrValues<typeof IFLA_BRPORT.spec>;
