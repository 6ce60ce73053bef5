/**
 * Bonding: IFLA_INFO_DATA of kind "bond" (IFLA_BOND_*) and IFLA_INFO_SLAVE_DATA of bond
 * ports (IFLA_BOND_SLAVE_*), from <linux/if_link.h> "Bonding section"; types as
 * drivers/net/bonding/bond_netlink.c writes them. Option values (BOND_MODE_*, …) come from
 * <linux/if_bonding.h>; only the mode is named here, the others print as numbers.
 */
import { bytes, enumOf, lladdr, s32, u16, u32, u8 } from '../../../netlink/kinds.js';
import { attrs, nested, type AttrValues } from '../../../netlink/schema.js';
import { RTNL_SET, nestedBytes } from '../../kinds.js';

/** BOND_MODE_* (<linux/if_bonding.h>), named as iproute2 prints them. */
const BOND_MODE_NAMES = {
  0: 'balance-rr', 1: 'active-backup', 2: 'balance-xor', 3: 'broadcast', 4: '802.3ad', 5: 'balance-tlb', 6: 'balance-alb',
} as const;
/** BOND_STATE_* : IFLA_BOND_SLAVE_STATE. */
const BOND_STATE_NAMES = { 0: 'ACTIVE', 1: 'BACKUP' } as const;
/** BOND_LINK_* : IFLA_BOND_SLAVE_MII_STATUS. */
const BOND_LINK_NAMES = { 0: 'UP', 1: 'FAIL', 2: 'DOWN', 3: 'BACK' } as const;

/** IFLA_BOND_AD_INFO_*: 802.3ad aggregator state inside IFLA_BOND_AD_INFO. */
export const IFLA_BOND_AD_INFO = attrs('IFLA_BOND_AD_INFO', {
  IFLA_BOND_AD_INFO_AGGREGATOR: { type: 1, key: 'aggregator', kind: u16 },
  IFLA_BOND_AD_INFO_NUM_PORTS: { type: 2, key: 'numPorts', kind: u16 },
  IFLA_BOND_AD_INFO_ACTOR_KEY: { type: 3, key: 'actorKey', kind: u16 },
  IFLA_BOND_AD_INFO_PARTNER_KEY: { type: 4, key: 'partnerKey', kind: u16 },
  IFLA_BOND_AD_INFO_PARTNER_MAC: { type: 5, key: 'partnerMac', kind: lladdr },
}, RTNL_SET);

/** IFLA_BOND_*: IFLA_INFO_DATA of kind "bond". Times in milliseconds. */
export const IFLA_BOND = attrs('IFLA_BOND', {
  IFLA_BOND_MODE: { type: 1, key: 'mode', kind: enumOf(u8, BOND_MODE_NAMES) },
  // ifindex of the active port.
  IFLA_BOND_ACTIVE_SLAVE: { type: 2, key: 'activeSlave', kind: u32 },
  IFLA_BOND_MIIMON: { type: 3, key: 'miimon', kind: u32 },
  IFLA_BOND_UPDELAY: { type: 4, key: 'updelay', kind: u32 },
  IFLA_BOND_DOWNDELAY: { type: 5, key: 'downdelay', kind: u32 },
  IFLA_BOND_USE_CARRIER: { type: 6, key: 'useCarrier', kind: u8 },
  IFLA_BOND_ARP_INTERVAL: { type: 7, key: 'arpInterval', kind: u32 },
  // A legacy nest of __be32 addresses whose attribute types are their indexes from 0 —
  // a shape array() (types from 1) does not produce — so kept as bytes.
  IFLA_BOND_ARP_IP_TARGET: { type: 8, key: 'arpIpTarget', kind: bytes },
  IFLA_BOND_ARP_VALIDATE: { type: 9, key: 'arpValidate', kind: u32 },
  IFLA_BOND_ARP_ALL_TARGETS: { type: 10, key: 'arpAllTargets', kind: u32 },
  // ifindex of the primary port.
  IFLA_BOND_PRIMARY: { type: 11, key: 'primary', kind: u32 },
  IFLA_BOND_PRIMARY_RESELECT: { type: 12, key: 'primaryReselect', kind: u8 },
  IFLA_BOND_FAIL_OVER_MAC: { type: 13, key: 'failOverMac', kind: u8 },
  IFLA_BOND_XMIT_HASH_POLICY: { type: 14, key: 'xmitHashPolicy', kind: u8 },
  IFLA_BOND_RESEND_IGMP: { type: 15, key: 'resendIgmp', kind: u32 },
  IFLA_BOND_NUM_PEER_NOTIF: { type: 16, key: 'numPeerNotif', kind: u8 },
  IFLA_BOND_ALL_SLAVES_ACTIVE: { type: 17, key: 'allSlavesActive', kind: u8 },
  IFLA_BOND_MIN_LINKS: { type: 18, key: 'minLinks', kind: u32 },
  IFLA_BOND_LP_INTERVAL: { type: 19, key: 'lpInterval', kind: u32 },
  IFLA_BOND_PACKETS_PER_SLAVE: { type: 20, key: 'packetsPerSlave', kind: u32 },
  IFLA_BOND_AD_LACP_RATE: { type: 21, key: 'adLacpRate', kind: u8 },
  IFLA_BOND_AD_SELECT: { type: 22, key: 'adSelect', kind: u8 },
  IFLA_BOND_AD_INFO: { type: 23, key: 'adInfo', kind: nested(() => IFLA_BOND_AD_INFO) },
  IFLA_BOND_AD_ACTOR_SYS_PRIO: { type: 24, key: 'adActorSysPrio', kind: u16 },
  IFLA_BOND_AD_USER_PORT_KEY: { type: 25, key: 'adUserPortKey', kind: u16 },
  IFLA_BOND_AD_ACTOR_SYSTEM: { type: 26, key: 'adActorSystem', kind: lladdr },
  IFLA_BOND_TLB_DYNAMIC_LB: { type: 27, key: 'tlbDynamicLb', kind: u8 },
  IFLA_BOND_PEER_NOTIF_DELAY: { type: 28, key: 'peerNotifDelay', kind: u32 },
  IFLA_BOND_AD_LACP_ACTIVE: { type: 29, key: 'adLacpActive', kind: u8 },
  IFLA_BOND_MISSED_MAX: { type: 30, key: 'missedMax', kind: u8 },
  // Like ARP_IP_TARGET but in6_addr entries, and a post-5.2 nest (NLA_F_NESTED set).
  IFLA_BOND_NS_IP6_TARGET: { type: 31, key: 'nsIp6Target', kind: nestedBytes, nestedFlag: true },
  IFLA_BOND_COUPLED_CONTROL: { type: 32, key: 'coupledControl', kind: u8 },
  IFLA_BOND_BROADCAST_NEIGH: { type: 33, key: 'broadcastNeigh', kind: u8 },
  // Linux 7.2+ (net-next headers); assumed u8 like the other boolean options.
  IFLA_BOND_LACP_STRICT: { type: 34, key: 'lacpStrict', kind: u8 },
}, RTNL_SET);

/** IFLA_BOND_SLAVE_*: IFLA_INFO_SLAVE_DATA when the master is a bond. */
export const IFLA_BOND_SLAVE = attrs('IFLA_BOND_SLAVE', {
  IFLA_BOND_SLAVE_STATE: { type: 1, key: 'state', kind: enumOf(u8, BOND_STATE_NAMES) },
  IFLA_BOND_SLAVE_MII_STATUS: { type: 2, key: 'miiStatus', kind: enumOf(u8, BOND_LINK_NAMES) },
  IFLA_BOND_SLAVE_LINK_FAILURE_COUNT: { type: 3, key: 'linkFailureCount', kind: u32 },
  IFLA_BOND_SLAVE_PERM_HWADDR: { type: 4, key: 'permHwaddr', kind: lladdr },
  IFLA_BOND_SLAVE_QUEUE_ID: { type: 5, key: 'queueId', kind: u16 },
  IFLA_BOND_SLAVE_AD_AGGREGATOR_ID: { type: 6, key: 'adAggregatorId', kind: u16 },
  IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE: { type: 7, key: 'adActorOperPortState', kind: u8 },
  // The kernel puts the partner's state as a u16 (the actor's as a u8).
  IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE: { type: 8, key: 'adPartnerOperPortState', kind: u16 },
  IFLA_BOND_SLAVE_PRIO: { type: 9, key: 'prio', kind: s32 },
  IFLA_BOND_SLAVE_ACTOR_PORT_PRIO: { type: 10, key: 'actorPortPrio', kind: u16 },
  // Linux 7.1+.
  IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE: { type: 11, key: 'adChurnActorState', kind: u8 },
  IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE: { type: 12, key: 'adChurnPartnerState', kind: u8 },
}, RTNL_SET);

/** Values of IFLA_INFO_DATA for kind "bond". */
export type BondAttrs = AttrValues<typeof IFLA_BOND.spec>;
/** Values of IFLA_INFO_SLAVE_DATA under a bond. */
export type BondSlaveAttrs = AttrValues<typeof IFLA_BOND_SLAVE.spec>;
