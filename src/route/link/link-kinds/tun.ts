/**
 * tun/tap devices: IFLA_INFO_DATA of kind "tun", IFLA_TUN_* from <linux/if_link.h> "tun
 * section" (drivers/net/tun.c tun_fill_info()). Reported only: tun devices are created with
 * the TUNSETIFF ioctl, and RTM_NEWLINK for kind "tun" is refused.
 */
import { enumOf, u32, u8 } from '../../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../../netlink/schema.js';
import { RTNL_SET } from '../../kinds.js';

/** IFF_TUN / IFF_TAP (<linux/if_tun.h>): IFLA_TUN_TYPE values. */
const TUN_TYPE_NAMES = { 1: 'TUN', 2: 'TAP' } as const;

/** IFLA_TUN_*: IFLA_INFO_DATA of kind "tun". OWNER/GROUP are uid/gid, -1 (0xffffffff) when unset. */
export const IFLA_TUN = attrs('IFLA_TUN', {
  IFLA_TUN_OWNER: { type: 1, key: 'owner', kind: u32 },
  IFLA_TUN_GROUP: { type: 2, key: 'group', kind: u32 },
  IFLA_TUN_TYPE: { type: 3, key: 'type', kind: enumOf(u8, TUN_TYPE_NAMES) },
  IFLA_TUN_PI: { type: 4, key: 'pi', kind: u8 },
  IFLA_TUN_VNET_HDR: { type: 5, key: 'vnetHdr', kind: u8 },
  IFLA_TUN_PERSIST: { type: 6, key: 'persist', kind: u8 },
  IFLA_TUN_MULTI_QUEUE: { type: 7, key: 'multiQueue', kind: u8 },
  IFLA_TUN_NUM_QUEUES: { type: 8, key: 'numQueues', kind: u32 },
  IFLA_TUN_NUM_DISABLED_QUEUES: { type: 9, key: 'numDisabledQueues', kind: u32 },
}, RTNL_SET);

/** Values of IFLA_INFO_DATA for kind "tun". */
export type TunAttrs = AttrValues<typeof IFLA_TUN.spec>;
