/**
 * payload: load bytes of a packet header into a register, or write a register into the
 * packet (NFTA_PAYLOAD_SREG) with checksum fix-up. `enum nft_payload_attributes`,
 * `enum nft_payload_bases`; offsets and lengths in bytes from the start of the base header.
 */
import { be32, enumOf } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NFT_PAYLOAD_LL_HEADER = 0;
export const NFT_PAYLOAD_NETWORK_HEADER = 1;
export const NFT_PAYLOAD_TRANSPORT_HEADER = 2;
export const NFT_PAYLOAD_INNER_HEADER = 3;
export const PAYLOAD_BASE_NAMES: Readonly<Record<number, string>> = { 0: 'link', 1: 'network', 2: 'transport', 3: 'inner' };

export const NFTA_PAYLOAD = attrs('NFTA_PAYLOAD', {
  NFTA_PAYLOAD_DREG: { type: 1, key: 'dreg', kind: reg },
  NFTA_PAYLOAD_BASE: { type: 2, key: 'base', kind: enumOf(be32, PAYLOAD_BASE_NAMES) },
  NFTA_PAYLOAD_OFFSET: { type: 3, key: 'offset', kind: be32 },
  NFTA_PAYLOAD_LEN: { type: 4, key: 'len', kind: be32 },
  NFTA_PAYLOAD_SREG: { type: 5, key: 'sreg', kind: reg },
  // enum nft_payload_csum_types: NONE 0, INET 1, SCTP 2.
  NFTA_PAYLOAD_CSUM_TYPE: { type: 6, key: 'csumType', kind: be32 },
  NFTA_PAYLOAD_CSUM_OFFSET: { type: 7, key: 'csumOffset', kind: be32 },
  // enum nft_payload_csum_flags: NFT_PAYLOAD_L4CSUM_PSEUDOHDR 1.
  NFTA_PAYLOAD_CSUM_FLAGS: { type: 8, key: 'csumFlags', kind: be32 },
});
export type PayloadData = AttrValues<typeof NFTA_PAYLOAD.spec>;

const where = (d: PayloadData): string => `${d.len}b @ ${PAYLOAD_BASE_NAMES[d.base ?? -1] ?? d.base} header + ${d.offset}`;

export const payload = exprModule('payload', NFTA_PAYLOAD, (d) => (d.sreg !== undefined
  ? `payload write reg ${d.sreg} => ${where(d)} csum_type ${d.csumType ?? 0} csum_off ${d.csumOffset ?? 0} csum_flags 0x${(d.csumFlags ?? 0).toString(16)}`
  : `payload load ${where(d)} => reg ${d.dreg}`));

/** `payload load LEN b @ BASE header + OFFSET => reg DREG`. */
export function payloadLoad(base: number, offset: number, len: number, dreg = 1): { name: 'payload'; data: PayloadData } {
  return { name: 'payload', data: { dreg, base, offset, len } };
}
