/**
 * exthdr: load (or write) bytes of an extension header or option — IPv6 extension headers,
 * TCP options, IPv4 options, SCTP chunks — or test its presence (NFT_EXTHDR_F_PRESENT).
 * `enum nft_exthdr_attributes`, `enum nft_exthdr_op`, `enum nft_exthdr_flags`.
 */
import { be32, enumOf, u8 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NFT_EXTHDR_F_PRESENT = 1;
export const NFT_EXTHDR_OP_IPV6 = 0;
export const NFT_EXTHDR_OP_TCPOPT = 1;
export const NFT_EXTHDR_OP_IPV4 = 2;
export const NFT_EXTHDR_OP_SCTP = 3;
export const EXTHDR_OP_NAMES: Readonly<Record<number, string>> = { 0: 'ipv6', 1: 'tcpopt', 2: 'ipv4', 3: 'sctp' };

export const NFTA_EXTHDR = attrs('NFTA_EXTHDR', {
  NFTA_EXTHDR_DREG: { type: 1, key: 'dreg', kind: reg },
  // The header/option type (IPPROTO_* of an IPv6 extension header, TCPOPT_* kind, IPOPT_*).
  NFTA_EXTHDR_TYPE: { type: 2, key: 'type', kind: u8 },
  NFTA_EXTHDR_OFFSET: { type: 3, key: 'offset', kind: be32 },
  NFTA_EXTHDR_LEN: { type: 4, key: 'len', kind: be32 },
  NFTA_EXTHDR_FLAGS: { type: 5, key: 'flags', kind: be32 },
  NFTA_EXTHDR_OP: { type: 6, key: 'op', kind: enumOf(be32, EXTHDR_OP_NAMES) },
  NFTA_EXTHDR_SREG: { type: 7, key: 'sreg', kind: reg },
});
export type ExthdrData = AttrValues<typeof NFTA_EXTHDR.spec>;

export const exthdr = exprModule('exthdr', NFTA_EXTHDR, (d) => {
  const op = EXTHDR_OP_NAMES[d.op ?? 0] ?? d.op;
  return d.sreg !== undefined
    ? `exthdr write ${op} reg ${d.sreg} => ${d.len}b @ ${d.type} + ${d.offset}`
    : `exthdr load ${op} ${d.len}b @ ${d.type} + ${d.offset}${d.flags ? ` present` : ''} => reg ${d.dreg}`;
});
