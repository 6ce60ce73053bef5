/**
 * VXLAN links (`ip link add … type vxlan id N …`): IFLA_INFO_DATA of kind "vxlan",
 * IFLA_VXLAN_* from <linux/if_link.h> "VXLAN section", typed as drivers/net/vxlan
 * vxlan_fill_info() writes them. Ports, the flow label and the port range are network order.
 */
import { type Kind, be16, be32, bytes, enumOf, flag, ipaddr, u32, u8 } from '../../../netlink/kinds.js';
import { attrs, struct, type AttrValues } from '../../../netlink/schema.js';
import { RTNL_SET } from '../../kinds.js';

/** struct ifla_vxlan_port_range { __be16 low; __be16 high; } — the UDP source-port range. */
export const IFLA_VXLAN_PORT_RANGE_STRUCT = struct('ifla_vxlan_port_range', 4, {
  low: [0, be16],
  high: [2, be16],
});

/** `enum ifla_vxlan_df`: IFLA_VXLAN_DF values. */
const VXLAN_DF_NAMES = { 0: 'UNSET', 1: 'SET', 2: 'INHERIT' } as const;
/** `enum ifla_vxlan_label_policy`: IFLA_VXLAN_LABEL_POLICY values. */
const VXLAN_LABEL_NAMES = { 0: 'FIXED', 1: 'INHERIT' } as const;

/**
 * IFLA_VXLAN_TTL_INHERIT: the kernel's policy is NLA_FLAG (a request sends it with no payload,
 * `ip link add … ttl inherit`), but vxlan_fill_info() answers with nla_put_u8(0 or 1) on every
 * device. Read: no payload or a non-zero byte → true, a zero byte → false. Written: `true` as
 * the flag (a payload would fail the kernel's NLA_FLAG validation); `false` is refused (an
 * absent key is how a request says "no").
 */
export const flagOrU8: Kind<boolean> = {
  kindName: 'flag (u8 in replies)',
  size(v, path) {
    if (v !== true) throw new TypeError(`${path.join('.')}: set with true (the kernel takes a flag); omit it to leave it unset`);
    return 0;
  },
  write: (_v, _buf, off) => off,
  read: (buf, start, end) => (end === start ? true : buf[start] !== 0),
  describe: (v) => String(v),
};

/** IFLA_VXLAN_*: IFLA_INFO_DATA of kind "vxlan". */
export const IFLA_VXLAN = attrs('IFLA_VXLAN', {
  IFLA_VXLAN_ID: { type: 1, key: 'id', kind: u32 },
  // IPv4 group or remote (4 bytes); IPv6 ones go in IFLA_VXLAN_GROUP6.
  IFLA_VXLAN_GROUP: { type: 2, key: 'group', kind: ipaddr },
  IFLA_VXLAN_LINK: { type: 3, key: 'link', kind: u32 },
  IFLA_VXLAN_LOCAL: { type: 4, key: 'local', kind: ipaddr },
  IFLA_VXLAN_TTL: { type: 5, key: 'ttl', kind: u8 },
  IFLA_VXLAN_TOS: { type: 6, key: 'tos', kind: u8 },
  IFLA_VXLAN_LEARNING: { type: 7, key: 'learning', kind: u8 },
  IFLA_VXLAN_AGEING: { type: 8, key: 'ageing', kind: u32 },
  IFLA_VXLAN_LIMIT: { type: 9, key: 'limit', kind: u32 },
  IFLA_VXLAN_PORT_RANGE: { type: 10, key: 'portRange', kind: IFLA_VXLAN_PORT_RANGE_STRUCT },
  IFLA_VXLAN_PROXY: { type: 11, key: 'proxy', kind: u8 },
  IFLA_VXLAN_RSC: { type: 12, key: 'rsc', kind: u8 },
  IFLA_VXLAN_L2MISS: { type: 13, key: 'l2miss', kind: u8 },
  IFLA_VXLAN_L3MISS: { type: 14, key: 'l3miss', kind: u8 },
  // Destination UDP port (4789 for IANA VXLAN), nla_put_be16().
  IFLA_VXLAN_PORT: { type: 15, key: 'port', kind: be16 },
  IFLA_VXLAN_GROUP6: { type: 16, key: 'group6', kind: ipaddr },
  IFLA_VXLAN_LOCAL6: { type: 17, key: 'local6', kind: ipaddr },
  IFLA_VXLAN_UDP_CSUM: { type: 18, key: 'udpCsum', kind: u8 },
  IFLA_VXLAN_UDP_ZERO_CSUM6_TX: { type: 19, key: 'udpZeroCsum6Tx', kind: u8 },
  IFLA_VXLAN_UDP_ZERO_CSUM6_RX: { type: 20, key: 'udpZeroCsum6Rx', kind: u8 },
  IFLA_VXLAN_REMCSUM_TX: { type: 21, key: 'remcsumTx', kind: u8 },
  IFLA_VXLAN_REMCSUM_RX: { type: 22, key: 'remcsumRx', kind: u8 },
  IFLA_VXLAN_GBP: { type: 23, key: 'gbp', kind: flag },
  IFLA_VXLAN_REMCSUM_NOPARTIAL: { type: 24, key: 'remcsumNopartial', kind: flag },
  IFLA_VXLAN_COLLECT_METADATA: { type: 25, key: 'collectMetadata', kind: u8 },
  // IPv6 flow label, nla_put_be32().
  IFLA_VXLAN_LABEL: { type: 26, key: 'label', kind: be32 },
  IFLA_VXLAN_GPE: { type: 27, key: 'gpe', kind: flag },
  IFLA_VXLAN_TTL_INHERIT: { type: 28, key: 'ttlInherit', kind: flagOrU8 },
  IFLA_VXLAN_DF: { type: 29, key: 'df', kind: enumOf(u8, VXLAN_DF_NAMES) },
  IFLA_VXLAN_VNIFILTER: { type: 30, key: 'vnifilter', kind: u8 },
  IFLA_VXLAN_LOCALBYPASS: { type: 31, key: 'localbypass', kind: u8 },
  IFLA_VXLAN_LABEL_POLICY: { type: 32, key: 'labelPolicy', kind: enumOf(u32, VXLAN_LABEL_NAMES) },
  // A struct vxlanhdr (8 bytes) whose set bits the device may accept; kept opaque.
  IFLA_VXLAN_RESERVED_BITS: { type: 33, key: 'reservedBits', kind: bytes },
  IFLA_VXLAN_MC_ROUTE: { type: 34, key: 'mcRoute', kind: u8 },
}, RTNL_SET);

/** Values of IFLA_INFO_DATA for kind "vxlan". */
export type VxlanAttrs = AttrValues<typeof IFLA_VXLAN.spec>;
