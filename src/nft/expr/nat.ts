/**
 * nat: snat/dnat to addresses and ports held in registers (`enum nft_nat_attributes`,
 * `enum nft_nat_types`). NFTA_NAT_FLAGS takes NF_NAT_RANGE_* (<linux/netfilter/nf_nat.h>).
 */
import { be32, enumOf } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { NFPROTO_NAMES } from '../nfgenmsg.js';
import { exprModule, flagsText } from './module.js';

export const NFT_NAT_SNAT = 0;
export const NFT_NAT_DNAT = 1;
/** NF_NAT_RANGE_MAP_IPS and NF_NAT_RANGE_PROTO_SPECIFIED: set by nft when it passes addresses / ports. */
export const NF_NAT_RANGE_MAP_IPS = 1 << 0;
export const NF_NAT_RANGE_PROTO_SPECIFIED = 1 << 1;

export const NFTA_NAT = attrs('NFTA_NAT', {
  NFTA_NAT_TYPE: { type: 1, key: 'type', kind: enumOf(be32, { 0: 'snat', 1: 'dnat' }) },
  NFTA_NAT_FAMILY: { type: 2, key: 'family', kind: enumOf(be32, NFPROTO_NAMES) },
  NFTA_NAT_REG_ADDR_MIN: { type: 3, key: 'regAddrMin', kind: reg },
  NFTA_NAT_REG_ADDR_MAX: { type: 4, key: 'regAddrMax', kind: reg },
  NFTA_NAT_REG_PROTO_MIN: { type: 5, key: 'regProtoMin', kind: reg },
  NFTA_NAT_REG_PROTO_MAX: { type: 6, key: 'regProtoMax', kind: reg },
  NFTA_NAT_FLAGS: { type: 7, key: 'flags', kind: be32 },
});
export type NatData = AttrValues<typeof NFTA_NAT.spec>;

export const nat = exprModule('nat', NFTA_NAT, (d) => {
  const parts = [`nat ${d.type === NFT_NAT_DNAT ? 'dnat' : 'snat'} ${NFPROTO_NAMES[d.family ?? -1] ?? d.family}`];
  if (d.regAddrMin !== undefined) parts.push(`addr_min reg ${d.regAddrMin}`);
  if (d.regAddrMax !== undefined) parts.push(`addr_max reg ${d.regAddrMax}`);
  if (d.regProtoMin !== undefined) parts.push(`proto_min reg ${d.regProtoMin}`);
  if (d.regProtoMax !== undefined) parts.push(`proto_max reg ${d.regProtoMax}`);
  return parts.join(' ') + flagsText(d.flags);
});
