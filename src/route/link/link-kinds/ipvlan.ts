/**
 * ipvlan and ipvtap links: IFLA_INFO_DATA of kinds "ipvlan" and "ipvtap", IFLA_IPVLAN_* from
 * <linux/if_link.h> "IPVLAN section" (drivers/net/ipvlan/ipvlan_main.c ipvlan_nl_fillinfo()).
 */
import { enumOf, flagsOf, u16 } from '../../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../../netlink/schema.js';
import { RTNL_SET } from '../../kinds.js';

/** `enum ipvlan_mode`. */
const IPVLAN_MODE_NAMES = { 0: 'L2', 1: 'L3', 2: 'L3S' } as const;
/** IPVLAN_F_* bits. */
const IPVLAN_F_NAMES: ReadonlyArray<readonly [number, string]> = [[0x01, 'PRIVATE'], [0x02, 'VEPA']];

/** IFLA_IPVLAN_*: IFLA_INFO_DATA of kinds "ipvlan" and "ipvtap". */
export const IFLA_IPVLAN = attrs('IFLA_IPVLAN', {
  IFLA_IPVLAN_MODE: { type: 1, key: 'mode', kind: enumOf(u16, IPVLAN_MODE_NAMES) },
  IFLA_IPVLAN_FLAGS: { type: 2, key: 'flags', kind: flagsOf(u16, IPVLAN_F_NAMES) },
}, RTNL_SET);

/** Values of IFLA_INFO_DATA for kinds "ipvlan" and "ipvtap". */
export type IpvlanAttrs = AttrValues<typeof IFLA_IPVLAN.spec>;
