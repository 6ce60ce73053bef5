/**
 * Packet header layouts as nft knows them (nftables src/proto.c): each protocol's fields with
 * bit offset, bit length and datatype, the payload base it lives at, and how a dependency
 * selects it (the ether type, the IPPROTO number). The printer finds `ip saddr` from
 * `payload load 4b @ network header + 12`.
 */
import { type Datatype, dtype, hexInt, integer } from './datatype.js';

export interface Field { readonly name: string; readonly offset: number; readonly bits: number; readonly type: Datatype }
export interface Proto {
  readonly name: string;
  /** NFT_PAYLOAD_*_HEADER. */
  readonly base: number;
  readonly fields: readonly Field[];
}

const f = (name: string, offset: number, bits: number, type: Datatype | string = integer(bits)): Field =>
  ({ name, offset, bits, type: typeof type === 'string' ? dtype(type) : type });
const LL = 0, NET = 1, TH = 2;

export const PROTOS: Readonly<Record<string, Proto>> = {
  ether: { name: 'ether', base: LL, fields: [f('daddr', 0, 48, 'ether_addr'), f('saddr', 48, 48, 'ether_addr'), f('type', 96, 16, 'ether_type')] },
  vlan: { name: 'vlan', base: LL, fields: [f('pcp', 112, 3), f('dei', 115, 1), f('id', 116, 12), f('type', 128, 16, 'ether_type')] },
  arp: {
    name: 'arp', base: NET, fields: [
      f('htype', 0, 16), f('ptype', 16, 16, 'ether_type'), f('hlen', 32, 8), f('plen', 40, 8), f('operation', 48, 16, 'arp_op'),
      f('saddr ether', 64, 48, 'ether_addr'), f('saddr ip', 112, 32, 'ipv4_addr'), f('daddr ether', 144, 48, 'ether_addr'), f('daddr ip', 192, 32, 'ipv4_addr'),
    ],
  },
  ip: {
    name: 'ip', base: NET, fields: [
      f('version', 0, 4), f('hdrlength', 4, 4), f('dscp', 8, 6, 'dscp'), f('ecn', 14, 2, 'ecn'), f('length', 16, 16), f('id', 32, 16),
      f('frag-off', 48, 16), f('ttl', 64, 8), f('protocol', 72, 8, 'inet_proto'), f('checksum', 80, 16), f('saddr', 96, 32, 'ipv4_addr'), f('daddr', 128, 32, 'ipv4_addr'),
    ],
  },
  ip6: {
    name: 'ip6', base: NET, fields: [
      f('version', 0, 4), f('dscp', 4, 6, 'dscp'), f('ecn', 10, 2, 'ecn'), f('flowlabel', 12, 20), f('length', 32, 16),
      f('nexthdr', 48, 8, 'inet_proto'), f('hoplimit', 56, 8), f('saddr', 64, 128, 'ipv6_addr'), f('daddr', 192, 128, 'ipv6_addr'),
    ],
  },
  icmp: {
    name: 'icmp', base: TH, fields: [
      f('type', 0, 8, 'icmp_type'), f('code', 8, 8, 'icmp_code'), f('checksum', 16, 16), f('id', 32, 16), f('sequence', 48, 16), f('gateway', 32, 32), f('mtu', 48, 16),
    ],
  },
  icmpv6: {
    name: 'icmpv6', base: TH, fields: [
      f('type', 0, 8, 'icmpv6_type'), f('code', 8, 8, 'icmpv6_code'), f('checksum', 16, 16), f('mtu', 32, 32), f('id', 32, 16), f('sequence', 48, 16), f('max-delay', 32, 16),
    ],
  },
  igmp: { name: 'igmp', base: TH, fields: [f('type', 0, 8, 'igmp_type'), f('mrt', 8, 8), f('checksum', 16, 16), f('group', 32, 32, 'ipv4_addr')] },
  tcp: {
    name: 'tcp', base: TH, fields: [
      f('sport', 0, 16, 'inet_service'), f('dport', 16, 16, 'inet_service'), f('sequence', 32, 32), f('ackseq', 64, 32), f('doff', 96, 4),
      f('reserved', 100, 4), f('flags', 104, 8, 'tcp_flag'), f('window', 112, 16), f('checksum', 128, 16), f('urgptr', 144, 16),
    ],
  },
  udp: { name: 'udp', base: TH, fields: [f('sport', 0, 16, 'inet_service'), f('dport', 16, 16, 'inet_service'), f('length', 32, 16), f('checksum', 48, 16)] },
  udplite: { name: 'udplite', base: TH, fields: [f('sport', 0, 16, 'inet_service'), f('dport', 16, 16, 'inet_service'), f('csumcov', 32, 16), f('checksum', 48, 16)] },
  sctp: { name: 'sctp', base: TH, fields: [f('sport', 0, 16, 'inet_service'), f('dport', 16, 16, 'inet_service'), f('vtag', 32, 32), f('checksum', 64, 32)] },
  dccp: { name: 'dccp', base: TH, fields: [f('sport', 0, 16, 'inet_service'), f('dport', 16, 16, 'inet_service'), f('type', 68, 4, 'dccp_pkttype')] },
  esp: { name: 'esp', base: TH, fields: [f('spi', 0, 32), f('sequence', 32, 32)] },
  ah: { name: 'ah', base: TH, fields: [f('nexthdr', 0, 8, 'inet_proto'), f('hdrlength', 8, 8), f('reserved', 16, 16), f('spi', 32, 32), f('sequence', 64, 32)] },
  comp: { name: 'comp', base: TH, fields: [f('nexthdr', 0, 8, 'inet_proto'), f('flags', 8, 8, hexInt(8)), f('cpi', 16, 16)] },
  th: { name: 'th', base: TH, fields: [f('sport', 0, 16, 'inet_service'), f('dport', 16, 16, 'inet_service')] },
};

/** Transport protocols by IPPROTO number. */
export const L4_BY_PROTO: Readonly<Record<number, string>> = { 1: 'icmp', 2: 'igmp', 6: 'tcp', 17: 'udp', 33: 'dccp', 50: 'esp', 51: 'ah', 58: 'icmpv6', 108: 'comp', 132: 'sctp', 136: 'udplite' };
/** Network protocols by ether type. */
export const L3_BY_ETHERTYPE: Readonly<Record<number, string>> = { 0x0800: 'ip', 0x86dd: 'ip6', 0x0806: 'arp', 0x8100: 'vlan', 0x88a8: 'vlan' };
export const L3_BY_NFPROTO: Readonly<Record<number, string>> = { 2: 'ip', 10: 'ip6' };

/** The fields of `proto` that a load of `bits` at `offset` covers exactly, or one field containing it. */
export function fieldAt(proto: Proto, offset: number, bits: number): Field | undefined {
  return proto.fields.find((x) => x.offset === offset && x.bits === bits);
}
