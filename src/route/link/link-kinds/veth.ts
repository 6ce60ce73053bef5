/**
 * veth pairs (`ip link add veth0 type veth peer name veth1`): IFLA_INFO_DATA of kind "veth",
 * VETH_INFO_* from <linux/veth.h>.
 *
 * The kernel never reports this data (veth has no fill_info); it only matters in the
 * RTM_NEWLINK request, where VETH_INFO_PEER describes the peer as a complete link message
 * body: a struct ifinfomsg followed by IFLA_* attributes (drivers/net/veth.c veth_newlink()).
 */
import type { Kind } from '../../../netlink/kinds.js';
import { attrs, prefixed, type AttrValues, type Container } from '../../../netlink/schema.js';
import { IFINFOMSG, type IfInfoMsg } from '../ifinfomsg.js';
// A cycle (link.schema.ts → here → link.schema.ts) that is safe at run time: IFLA is only
// read inside the thunk, after both modules have finished evaluating.
import { IFLA, type LinkAttrs } from '../link.schema.js';
import { RTNL_SET } from '../../kinds.js';

/** The peer of a new veth pair: its ifinfomsg and its IFLA_* attributes (name, netns, …). */
export interface VethPeer {
  header: IfInfoMsg;
  attrs: LinkAttrs;
}

// Annotated rather than inferred: IFLA's type includes this table's (through IFLA_INFO_DATA),
// so inferring both would be circular for the type checker.
const vethPeer: Kind<VethPeer> & Container = prefixed(IFINFOMSG, () => IFLA);

/** VETH_INFO_*: the peer, as `{ header: ifinfomsg, attrs: IFLA_* }`. */
export const VETH_INFO = attrs('VETH_INFO', {
  // iproute2 opens this nest without NLA_F_NESTED, and prefixed() writes none either.
  VETH_INFO_PEER: { type: 1, key: 'peer', kind: vethPeer },
}, RTNL_SET);

/** Values of IFLA_INFO_DATA for kind "veth". */
export type VethAttrs = AttrValues<typeof VETH_INFO.spec>;
