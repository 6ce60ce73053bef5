/**
 * struct nfgenmsg, the fixed header of every nfnetlink message (<linux/netfilter/nfnetlink.h>):
 *
 *   struct nfgenmsg { __u8 nfgen_family; __u8 version; __be16 res_id; };
 *
 * `version` is NFNETLINK_V0; `res_id` is big-endian: the subsystem id (NFNL_SUBSYS_NFTABLES)
 * on batch begin/end, and in nftables replies the low 16 bits of the ruleset generation.
 */
import { be16, be32, enumOf, u8 } from '../netlink/kinds.js';
import { attrs, struct, type AttrValues, type StructValue } from '../netlink/schema.js';
import {
  NFPROTO_ARP, NFPROTO_BRIDGE, NFPROTO_INET, NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_NETDEV, NFPROTO_UNSPEC,
} from './constants.js';

/** NFPROTO_* by nft's family keyword. */
export const NFPROTO_NAMES: Readonly<Record<number, string>> = {
  [NFPROTO_UNSPEC]: 'unspec', [NFPROTO_INET]: 'inet', [NFPROTO_IPV4]: 'ip', [NFPROTO_ARP]: 'arp',
  [NFPROTO_NETDEV]: 'netdev', [NFPROTO_BRIDGE]: 'bridge', [NFPROTO_IPV6]: 'ip6',
};

/** struct nfgenmsg (<linux/netfilter/nfnetlink.h>): family, version, resource id. */
export const NFGENMSG = struct('nfgenmsg', 4, {
  family: [0, enumOf(u8, NFPROTO_NAMES)],
  version: [1, u8],
  resId: [2, be16],
});
export type NfGenMsg = StructValue<typeof NFGENMSG.fields>;

/** `enum nfnl_batch_attributes`: attributes of NFNL_MSG_BATCH_BEGIN. */
export const NFNL_BATCH = attrs('NFNL_BATCH', {
  // The generation the batch was built against; the kernel refuses it with ERESTART if the
  // ruleset changed since (nfnetlink_rcv_batch → valid_genid).
  NFNL_BATCH_GENID: { type: 1, key: 'genid', kind: be32 },
});
export type BatchAttrs = AttrValues<typeof NFNL_BATCH.spec>;
