/**
 * struct ifinfomsg, the fixed header of every RTM_*LINK message (rtnetlink(7)), with the
 * values of its fields: IFF_* device flags (<linux/if.h> `enum net_device_flags`) and the
 * ARPHRD_* device types (<linux/if_arp.h>).
 *
 * It lives apart from link.schema.ts because link-kinds/veth.ts needs it while the module
 * graph is still being evaluated (VETH_INFO_PEER embeds a whole ifinfomsg): a module of its
 * own, with no imports from route/, breaks that cycle.
 */
import { enumOf, flagsOf, u16, u32, u8, s32 } from '../../netlink/kinds.js';
import { struct, type StructValue } from '../../netlink/schema.js';
import { AF_NAMES } from '../family.js';

/** `enum net_device_flags` from <linux/if.h>: bits of ifi_flags / ifi_change. */
export const IFF = {
  IFF_UP: 1 << 0,
  IFF_BROADCAST: 1 << 1,
  IFF_DEBUG: 1 << 2,
  IFF_LOOPBACK: 1 << 3,
  IFF_POINTOPOINT: 1 << 4,
  IFF_NOTRAILERS: 1 << 5,
  IFF_RUNNING: 1 << 6,
  IFF_NOARP: 1 << 7,
  IFF_PROMISC: 1 << 8,
  IFF_ALLMULTI: 1 << 9,
  IFF_MASTER: 1 << 10,
  IFF_SLAVE: 1 << 11,
  IFF_MULTICAST: 1 << 12,
  IFF_PORTSEL: 1 << 13,
  IFF_AUTOMEDIA: 1 << 14,
  IFF_DYNAMIC: 1 << 15,
  IFF_LOWER_UP: 1 << 16,
  IFF_DORMANT: 1 << 17,
  IFF_ECHO: 1 << 18,
} as const;

/** IFF_* bits with names as iproute2 prints them (`UP|BROADCAST|LOWER_UP`), for flagsOf(). */
export const IFF_NAMES: ReadonlyArray<readonly [number, string]> = Object.entries(IFF).map(([k, v]) => [v, k.slice('IFF_'.length)] as const);

/**
 * ARPHRD_* device types from <linux/if_arp.h> that virtual and common links report in
 * ifi_type. Partial on purpose: any other value still decodes, and prints as a number.
 */
export const ARPHRD = {
  ARPHRD_ETHER: 1,
  ARPHRD_INFINIBAND: 32,
  ARPHRD_CAN: 280,
  ARPHRD_PPP: 512,
  ARPHRD_RAWIP: 519,
  ARPHRD_TUNNEL: 768,
  ARPHRD_TUNNEL6: 769,
  ARPHRD_LOOPBACK: 772,
  ARPHRD_SIT: 776,
  ARPHRD_IPGRE: 778,
  ARPHRD_IEEE80211: 801,
  ARPHRD_IP6GRE: 823,
  ARPHRD_NETLINK: 824,
  ARPHRD_NONE: 0xfffe,
  ARPHRD_VOID: 0xffff,
} as const;

/** ARPHRD_* value → name without the prefix, for enumOf() (`ETHER (1)`). */
export const ARPHRD_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(ARPHRD).map(([k, v]) => [v, k.slice('ARPHRD_'.length)]),
);

const iffFlags = flagsOf(u32, IFF_NAMES);

/**
 * struct ifinfomsg from <linux/rtnetlink.h>:
 *
 *   struct ifinfomsg {
 *     unsigned char  ifi_family;   // AF_UNSPEC; AF_BRIDGE for bridge-port views
 *     unsigned char  __ifi_pad;
 *     unsigned short ifi_type;     // ARPHRD_*
 *     int            ifi_index;    // 0 = let the kernel choose / match by name
 *     unsigned       ifi_flags;    // IFF_*
 *     unsigned       ifi_change;   // IFF_* bits of ifi_flags to apply
 *   };
 */
export const IFINFOMSG = struct('ifinfomsg', 16, {
  family: [0, enumOf(u8, AF_NAMES)],
  type: [2, enumOf(u16, ARPHRD_NAMES)],
  index: [4, s32],
  flags: [8, iffFlags],
  change: [12, iffFlags],
});

/** Value of a struct ifinfomsg. */
export type IfInfoMsg = StructValue<typeof IFINFOMSG.fields>;
