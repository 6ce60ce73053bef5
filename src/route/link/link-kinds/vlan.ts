/**
 * 802.1Q/802.1ad VLAN links (`ip link add link eth0 name eth0.10 type vlan id 10`):
 * IFLA_INFO_DATA of kind "vlan", IFLA_VLAN_* from <linux/if_link.h> "VLAN section"; flag bits
 * from <linux/if_vlan.h> `enum vlan_flags` (net/8021q/vlan_netlink.c vlan_fill_info()).
 */
import { be16, flagsOf, u16, u32 } from '../../../netlink/kinds.js';
import { attrs, nested, struct, type AttrValues } from '../../../netlink/schema.js';
import { RTNL_SET } from '../../kinds.js';

/** `enum vlan_flags` (<linux/if_vlan.h>). */
export const VLAN_FLAG = {
  VLAN_FLAG_REORDER_HDR: 0x1,
  VLAN_FLAG_GVRP: 0x2,
  VLAN_FLAG_LOOSE_BINDING: 0x4,
  VLAN_FLAG_MVRP: 0x8,
  VLAN_FLAG_BRIDGE_BINDING: 0x10,
} as const;
const VLAN_FLAG_NAMES: ReadonlyArray<readonly [number, string]> = Object.entries(VLAN_FLAG).map(([k, v]) => [v, k.slice(10)] as const);

/** struct ifla_vlan_flags { __u32 flags; __u32 mask; } — on set, only bits in `mask` change. */
export const IFLA_VLAN_FLAGS_STRUCT = struct('ifla_vlan_flags', 8, {
  flags: [0, flagsOf(u32, VLAN_FLAG_NAMES)],
  mask: [4, flagsOf(u32, VLAN_FLAG_NAMES)],
});

/** struct ifla_vlan_qos_mapping { __u32 from; __u32 to; } — skb priority ↔ 802.1p PCP. */
export const IFLA_VLAN_QOS_MAPPING_STRUCT = struct('ifla_vlan_qos_mapping', 8, {
  from: [0, u32],
  to: [4, u32],
});

/** IFLA_VLAN_QOS_*: contents of IFLA_VLAN_EGRESS_QOS / IFLA_VLAN_INGRESS_QOS. */
export const IFLA_VLAN_QOS = attrs('IFLA_VLAN_QOS', {
  IFLA_VLAN_QOS_MAPPING: { type: 1, key: 'mapping', kind: IFLA_VLAN_QOS_MAPPING_STRUCT, multi: true },
}, RTNL_SET);

/** IFLA_VLAN_*: IFLA_INFO_DATA of kind "vlan". */
export const IFLA_VLAN = attrs('IFLA_VLAN', {
  IFLA_VLAN_ID: { type: 1, key: 'id', kind: u16 },
  IFLA_VLAN_FLAGS: { type: 2, key: 'flags', kind: IFLA_VLAN_FLAGS_STRUCT },
  IFLA_VLAN_EGRESS_QOS: { type: 3, key: 'egressQos', kind: nested(() => IFLA_VLAN_QOS) },
  IFLA_VLAN_INGRESS_QOS: { type: 4, key: 'ingressQos', kind: nested(() => IFLA_VLAN_QOS) },
  // Ethertype, network order: 0x8100 (802.1Q) or 0x88a8 (802.1ad).
  IFLA_VLAN_PROTOCOL: { type: 5, key: 'protocol', kind: be16 },
}, RTNL_SET);

/** Values of IFLA_INFO_DATA for kind "vlan". */
export type VlanAttrs = AttrValues<typeof IFLA_VLAN.spec>;
