/**
 * macvlan and macvtap links: IFLA_INFO_DATA of kinds "macvlan" and "macvtap", IFLA_MACVLAN_*
 * from <linux/if_link.h> "MACVLAN section" (drivers/net/macvlan.c macvlan_fill_info()).
 */
import { enumOf, flagsOf, lladdr, s32, u16, u32 } from '../../../netlink/kinds.js';
import { attrs, nested, type AttrValues } from '../../../netlink/schema.js';
import { RTNL_SET } from '../../kinds.js';

/** `enum macvlan_mode`: bit values, although a device has exactly one. */
export const MACVLAN_MODE = {
  MACVLAN_MODE_PRIVATE: 1,
  MACVLAN_MODE_VEPA: 2,
  MACVLAN_MODE_BRIDGE: 4,
  MACVLAN_MODE_PASSTHRU: 8,
  MACVLAN_MODE_SOURCE: 16,
} as const;
const MACVLAN_MODE_NAMES = Object.fromEntries(Object.entries(MACVLAN_MODE).map(([k, v]) => [v, k.slice(13)]));

/** `enum macvlan_macaddr_mode`: IFLA_MACVLAN_MACADDR_MODE values (source mode's MAC list). */
const MACVLAN_MACADDR_NAMES = { 0: 'ADD', 1: 'DEL', 2: 'FLUSH', 3: 'SET' } as const;

/** MACVLAN_FLAG_* bits of IFLA_MACVLAN_FLAGS. */
const MACVLAN_FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [[1, 'NOPROMISC'], [2, 'NODST']];

/**
 * The IFLA_MACVLAN_MACADDR_DATA nest: the source-mode MAC list, as repeated
 * IFLA_MACVLAN_MACADDR attributes (the kernel reuses the IFLA_MACVLAN_* number inside it).
 */
export const IFLA_MACVLAN_MACADDR_LIST = attrs('IFLA_MACVLAN_MACADDR_LIST', {
  IFLA_MACVLAN_MACADDR: { type: 4, key: 'macaddr', kind: lladdr, multi: true },
}, RTNL_SET);

/** IFLA_MACVLAN_*: IFLA_INFO_DATA of kinds "macvlan" and "macvtap". */
export const IFLA_MACVLAN = attrs('IFLA_MACVLAN', {
  IFLA_MACVLAN_MODE: { type: 1, key: 'mode', kind: enumOf(u32, MACVLAN_MODE_NAMES) },
  IFLA_MACVLAN_FLAGS: { type: 2, key: 'flags', kind: flagsOf(u16, MACVLAN_FLAG_NAMES) },
  IFLA_MACVLAN_MACADDR_MODE: { type: 3, key: 'macaddrMode', kind: enumOf(u32, MACVLAN_MACADDR_NAMES) },
  // Request only: one address for MACADDR_MODE ADD/DEL. In the list nest it repeats (above).
  IFLA_MACVLAN_MACADDR: { type: 4, key: 'macaddr', kind: lladdr },
  IFLA_MACVLAN_MACADDR_DATA: { type: 5, key: 'macaddrData', kind: nested(() => IFLA_MACVLAN_MACADDR_LIST) },
  IFLA_MACVLAN_MACADDR_COUNT: { type: 6, key: 'macaddrCount', kind: u32 },
  IFLA_MACVLAN_BC_QUEUE_LEN: { type: 7, key: 'bcQueueLen', kind: u32 },
  IFLA_MACVLAN_BC_QUEUE_LEN_USED: { type: 8, key: 'bcQueueLenUsed', kind: u32 },
  // Broadcast cutoff: a signed count, -1 = never queue.
  IFLA_MACVLAN_BC_CUTOFF: { type: 9, key: 'bcCutoff', kind: s32 },
}, RTNL_SET);

/** Values of IFLA_INFO_DATA for kinds "macvlan" and "macvtap". */
export type MacvlanAttrs = AttrValues<typeof IFLA_MACVLAN.spec>;
