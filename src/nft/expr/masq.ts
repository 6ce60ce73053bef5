/** masq: source NAT to the outgoing interface's address (`enum nft_masq_attributes`). */
import { be32 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule, flagsText } from './module.js';

export const NFTA_MASQ = attrs('NFTA_MASQ', {
  // NF_NAT_RANGE_* flags (<linux/netfilter/nf_nat.h>): PERSISTENT 0x8, PROTO_RANDOM 0x4, PROTO_RANDOM_FULLY 0x10.
  NFTA_MASQ_FLAGS: { type: 1, key: 'flags', kind: be32 },
  NFTA_MASQ_REG_PROTO_MIN: { type: 2, key: 'regProtoMin', kind: reg },
  NFTA_MASQ_REG_PROTO_MAX: { type: 3, key: 'regProtoMax', kind: reg },
});
export type MasqData = AttrValues<typeof NFTA_MASQ.spec>;

export const masq = exprModule('masq', NFTA_MASQ, (d) =>
  `masq${d.regProtoMin !== undefined ? ` proto_min reg ${d.regProtoMin}` : ''}${d.regProtoMax !== undefined ? ` proto_max reg ${d.regProtoMax}` : ''}${flagsText(d.flags)}`);
