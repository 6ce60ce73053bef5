/**
 * RTM_NEWNSID / RTM_DELNSID / RTM_GETNSID layout (rtnetlink(7), <linux/net_namespace.h>):
 * struct rtgenmsg (one byte, NLMSG_ALIGNed to 4 — how both iproute2 and the kernel's
 * rtnl_net_fill() lay it out) followed by NETNSA_* attributes.
 */
import { enumOf, s32, u32, u8 } from '../../netlink/kinds.js';
import { attrs, struct, type AttrValues, type StructValue } from '../../netlink/schema.js';
import { AF_NAMES } from '../family.js';
import { RTNL_SET } from '../kinds.js';

/** NETNSA_NSID_NOT_ASSIGNED: the namespace has no id in the asking namespace. */
export const NETNSA_NSID_NOT_ASSIGNED = -1;

/** struct rtgenmsg { unsigned char rtgen_family; } — padded to NLMSG_ALIGNTO. */
export const RTGENMSG = struct('rtgenmsg', 4, {
  rtgen_family: [0, enumOf(u8, AF_NAMES)],
});
export type RtGenMsg = StructValue<typeof RTGENMSG.fields>;

/** NETNSA_* (enum in <linux/net_namespace.h>). */
export const NETNSA = attrs('NETNSA', {
  /** The id (s32; -1 = NETNSA_NSID_NOT_ASSIGNED). In RTM_NEWNSID, < 0 asks the kernel to pick one. */
  NETNSA_NSID: { type: 1, key: 'nsid', kind: s32 },
  /** Name the namespace by a process in it. */
  NETNSA_PID: { type: 2, key: 'pid', kind: u32 },
  /** Name the namespace by an fd open on it (/run/netns/NAME, /proc/PID/ns/net). */
  NETNSA_FD: { type: 3, key: 'fd', kind: u32 },
  /** Ask for the id as seen from the namespace that has this id (GETNSID), or filter a dump by it. */
  NETNSA_TARGET_NSID: { type: 4, key: 'targetNsid', kind: s32 },
  /** In replies to requests with NETNSA_TARGET_NSID: the asking namespace's id there. */
  NETNSA_CURRENT_NSID: { type: 5, key: 'currentNsid', kind: s32 },
}, RTNL_SET);
export type NsidAttrs = AttrValues<typeof NETNSA.spec>;
