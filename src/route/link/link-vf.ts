/**
 * SR-IOV virtual functions and 802.1Qbg/bh port profiles (<linux/if_link.h>, "SR-IOV virtual
 * function management section" and "VF ports management section"): the contents of
 * IFLA_VFINFO_LIST, IFLA_VF_PORTS and IFLA_PORT_SELF. Every nest here predates Linux 5.2, so
 * the kernel writes them without NLA_F_NESTED (RTNL_SET's default).
 */
import { be16, bytes, enumOf, fixedBytes, string0, u16, u32, u64, u8 } from '../../netlink/kinds.js';
import { attrs, nested, struct, type AttrValues } from '../../netlink/schema.js';
import { RTNL_SET, paddedLladdr, uuid } from '../kinds.js';

const vfAnd = <const F extends Record<string, readonly [number, typeof u32]>>(name: string, size: number, more: F) =>
  struct(name, size, { vf: [0, u32], ...more });

/** IFLA_VF_LINK_STATE_* values of struct ifla_vf_link_state.link_state. */
const VF_LINK_STATE_NAMES = { 0: 'AUTO', 1: 'ENABLE', 2: 'DISABLE' } as const;

/** IFLA_VF_STATS_* (<linux/if_link.h>): u64 counters; note RX_PACKETS is type 0. */
export const IFLA_VF_STATS = attrs('IFLA_VF_STATS', {
  IFLA_VF_STATS_RX_PACKETS: { type: 0, key: 'rxPackets', kind: u64 },
  IFLA_VF_STATS_TX_PACKETS: { type: 1, key: 'txPackets', kind: u64 },
  IFLA_VF_STATS_RX_BYTES: { type: 2, key: 'rxBytes', kind: u64 },
  IFLA_VF_STATS_TX_BYTES: { type: 3, key: 'txBytes', kind: u64 },
  IFLA_VF_STATS_BROADCAST: { type: 4, key: 'broadcast', kind: u64 },
  IFLA_VF_STATS_MULTICAST: { type: 5, key: 'multicast', kind: u64 },
  // Alignment filler for the u64s on strict-alignment architectures; may repeat.
  IFLA_VF_STATS_PAD: { type: 6, key: 'pad', kind: bytes, multi: true },
  IFLA_VF_STATS_RX_DROPPED: { type: 7, key: 'rxDropped', kind: u64 },
  IFLA_VF_STATS_TX_DROPPED: { type: 8, key: 'txDropped', kind: u64 },
}, RTNL_SET);

/** struct ifla_vf_vlan_info: one entry of IFLA_VF_VLAN_LIST (16 bytes with tail padding). */
export const IFLA_VF_VLAN_INFO_STRUCT = struct('ifla_vf_vlan_info', 16, {
  vf: [0, u32], vlan: [4, u32], qos: [8, u32], vlan_proto: [12, be16],
});

/** The IFLA_VF_VLAN_LIST nest: IFLA_VF_VLAN_INFO entries (QinQ). */
export const IFLA_VF_VLAN_LIST = attrs('IFLA_VF_VLAN_LIST', {
  IFLA_VF_VLAN_INFO: { type: 1, key: 'vlanInfo', kind: IFLA_VF_VLAN_INFO_STRUCT, multi: true },
}, RTNL_SET);

/** IFLA_VF_* (<linux/if_link.h>): one virtual function; most values are `struct ifla_vf_*`. */
export const IFLA_VF = attrs('IFLA_VF', {
  // `__u8 mac[32]`: the VF's address, zero-padded (read without the padding, as ip prints it).
  IFLA_VF_MAC: { type: 1, key: 'mac', kind: struct('ifla_vf_mac', 36, { vf: [0, u32], mac: [4, paddedLladdr(32)] }) },
  IFLA_VF_VLAN: { type: 2, key: 'vlan', kind: vfAnd('ifla_vf_vlan', 12, { vlan: [4, u32], qos: [8, u32] }) },
  IFLA_VF_TX_RATE: { type: 3, key: 'txRate', kind: vfAnd('ifla_vf_tx_rate', 8, { rate: [4, u32] }) },
  IFLA_VF_SPOOFCHK: { type: 4, key: 'spoofchk', kind: vfAnd('ifla_vf_spoofchk', 8, { setting: [4, u32] }) },
  IFLA_VF_LINK_STATE: {
    type: 5, key: 'linkState',
    kind: struct('ifla_vf_link_state', 8, { vf: [0, u32], link_state: [4, enumOf(u32, VF_LINK_STATE_NAMES)] }),
  },
  IFLA_VF_RATE: { type: 6, key: 'rate', kind: vfAnd('ifla_vf_rate', 12, { min_tx_rate: [4, u32], max_tx_rate: [8, u32] }) },
  IFLA_VF_RSS_QUERY_EN: { type: 7, key: 'rssQueryEn', kind: vfAnd('ifla_vf_rss_query_en', 8, { setting: [4, u32] }) },
  IFLA_VF_STATS: { type: 8, key: 'stats', kind: nested(() => IFLA_VF_STATS) },
  IFLA_VF_TRUST: { type: 9, key: 'trust', kind: vfAnd('ifla_vf_trust', 8, { setting: [4, u32] }) },
  // struct ifla_vf_guid { __u32 vf; __u64 guid; }: the u64 is 8-aligned, so 4 bytes of padding.
  IFLA_VF_IB_NODE_GUID: { type: 10, key: 'ibNodeGuid', kind: struct('ifla_vf_guid', 16, { vf: [0, u32], guid: [8, u64] }) },
  IFLA_VF_IB_PORT_GUID: { type: 11, key: 'ibPortGuid', kind: struct('ifla_vf_guid', 16, { vf: [0, u32], guid: [8, u64] }) },
  IFLA_VF_VLAN_LIST: { type: 12, key: 'vlanList', kind: nested(() => IFLA_VF_VLAN_LIST) },
  IFLA_VF_BROADCAST: { type: 13, key: 'broadcast', kind: struct('ifla_vf_broadcast', 32, { broadcast: [0, paddedLladdr(32)] }) },
}, RTNL_SET);

/** The IFLA_VFINFO_LIST nest: one IFLA_VF_INFO per virtual function. */
export const IFLA_VFINFO_LIST = attrs('IFLA_VFINFO_LIST', {
  IFLA_VF_INFO: { type: 1, key: 'vfInfo', kind: nested(() => IFLA_VF), multi: true },
}, RTNL_SET);

/** PORT_REQUEST_* values of IFLA_PORT_REQUEST. */
const PORT_REQUEST_NAMES = { 0: 'PREASSOCIATE', 1: 'PREASSOCIATE_RR', 2: 'ASSOCIATE', 3: 'DISASSOCIATE' } as const;

/** struct ifla_port_vsi (802.1Qbg VDP VSI type). */
export const IFLA_PORT_VSI = struct('ifla_port_vsi', 8, {
  vsi_mgr_id: [0, u8], vsi_type_id: [1, fixedBytes(3)], vsi_type_version: [4, u8],
});

/** IFLA_PORT_* (<linux/if_link.h>): one port profile (IFLA_VF_PORT entry or IFLA_PORT_SELF). */
export const IFLA_PORT = attrs('IFLA_PORT', {
  IFLA_PORT_VF: { type: 1, key: 'vf', kind: u32 },
  IFLA_PORT_PROFILE: { type: 2, key: 'profile', kind: string0 },
  IFLA_PORT_VSI_TYPE: { type: 3, key: 'vsiType', kind: IFLA_PORT_VSI },
  IFLA_PORT_INSTANCE_UUID: { type: 4, key: 'instanceUuid', kind: uuid },
  IFLA_PORT_HOST_UUID: { type: 5, key: 'hostUuid', kind: uuid },
  IFLA_PORT_REQUEST: { type: 6, key: 'request', kind: enumOf(u8, PORT_REQUEST_NAMES) },
  IFLA_PORT_RESPONSE: { type: 7, key: 'response', kind: u16 },
}, RTNL_SET);

/** The IFLA_VF_PORTS nest: one IFLA_VF_PORT per virtual function. */
export const IFLA_VF_PORTS = attrs('IFLA_VF_PORTS', {
  IFLA_VF_PORT: { type: 1, key: 'vfPort', kind: nested(() => IFLA_PORT), multi: true },
}, RTNL_SET);

/** Values of one IFLA_VF_INFO nest. */
export type VfAttrs = AttrValues<typeof IFLA_VF.spec>;
/** Values of one port profile (IFLA_PORT_*). */
export type PortAttrs = AttrValues<typeof IFLA_PORT.spec>;
