/**
 * nft's datatypes (nftables src/datatype.c and the protocol files): how a constant of each
 * type prints as nft syntax and as nft -j JSON — symbol tables (protocols, ICMP types, ct
 * states, pkttypes, DSCP classes, …), bitmasks (`established,related`), marks as 0x%08x,
 * priorities `1:2`, interface names quoted, addresses. Ids are nft's TYPE_* (they are also
 * what NFTA_SET_KEY_TYPE carries, 6 bits per component of a concatenation).
 */
import { formatIPv4, formatIPv6 } from '../../netlink/ip.js';

/** A JSON value as `nft -j` prints it. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface Datatype {
  readonly id: number;
  readonly name: string;
  /** Size in bits (0: variable, as strings). */
  readonly bits: number;
  /** Host byte order (marks, meta values) rather than network order. */
  readonly host?: boolean;
  /** Text of a value (`bytes` as the kernel holds it). */
  text(v: bigint, bytes: Buffer): string;
  json(v: bigint, bytes: Buffer): Json;
  /** A bitmask type: `a,b` in text, `["a", "b"]` in JSON. */
  readonly bitmask?: boolean;
  /** Element count per line in a named set's `elements = { … }` (nft calculate_delim: 1 when unset). */
  readonly perLine?: number;
}

const sym = (table: Readonly<Record<number, string>>, fallback: (v: bigint) => string | number = (v) => Number(v)) => ({
  text: (v: bigint): string => table[Number(v)] ?? String(fallback(v)),
  json: (v: bigint): Json => table[Number(v)] ?? fallback(v),
});
const hex = (v: bigint, digits = 0): string => `0x${v.toString(16).padStart(digits, '0')}`;
const str = (b: Buffer): string => { const n = b.indexOf(0); return b.toString('utf8', 0, n < 0 ? b.length : n); };
const quote = (s: string): string => `"${s}"`;
/** An interface name; a compare shorter than the name without its NUL is a wildcard (`"eth*"`). */
const wild = (b: Buffer): string => (b.indexOf(0) < 0 && b.length < 16 ? `${str(b)}*` : str(b));
/** Nanoseconds since the epoch as nft prints a date (UTC here). */
function dateText(v: bigint): string {
  const d = new Date(Number(v / 1000000n));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

function dt(id: number, name: string, bits: number, p: Omit<Datatype, 'id' | 'name' | 'bits'>): Datatype {
  return { id, name, bits, ...p };
}

function bitmask(id: number, name: string, bits: number, flags: readonly (readonly [number, string])[], host = false): Datatype {
  const names = (v: bigint): string[] | undefined => {
    const out: string[] = [];
    let rest = v;
    for (const [b, n] of flags) if (v & BigInt(b)) { out.push(n); rest &= ~BigInt(b); }
    return rest ? undefined : out;
  };
  return dt(id, name, bits, {
    host, bitmask: true,
    text: (v) => { const n = names(v); return n && n.length ? n.join(',') : hex(v); },
    json: (v) => { const n = names(v); return n && n.length ? (n.length === 1 ? n[0]! : n) : Number(v); },
  });
}

const INTEGER = dt(4, 'integer', 0, { text: (v) => v.toString(), json: (v) => Number(v) });

/** IPPROTO_* names as /etc/protocols (Debian netbase) spells them, which nft prints. */
export const PROTO_NAMES: Readonly<Record<number, string>> = {
  0: 'ip', 1: 'icmp', 2: 'igmp', 3: 'ggp', 4: 'ipencap', 5: 'st', 6: 'tcp', 8: 'egp', 9: 'igp', 12: 'pup', 17: 'udp', 20: 'hmp', 22: 'xns-idp',
  27: 'rdp', 29: 'iso-tp4', 33: 'dccp', 36: 'xtp', 37: 'ddp', 38: 'idpr-cmtp', 41: 'ipv6', 43: 'ipv6-route', 44: 'ipv6-frag', 45: 'idrp',
  46: 'rsvp', 47: 'gre', 50: 'esp', 51: 'ah', 57: 'skip', 58: 'ipv6-icmp', 59: 'ipv6-nonxt', 60: 'ipv6-opts', 73: 'rspf', 81: 'vmtp',
  88: 'eigrp', 89: 'ospf', 93: 'ax.25', 94: 'ipip', 97: 'etherip', 98: 'encap', 103: 'pim', 108: 'ipcomp', 112: 'vrrp', 115: 'l2tp',
  124: 'isis', 132: 'sctp', 133: 'fc', 135: 'mobility-header', 136: 'udplite', 137: 'mpls-in-ip', 138: 'manet', 139: 'hip', 140: 'shim6',
  141: 'wesp', 142: 'rohc', 143: 'ethernet',
};
export const ICMP_TYPES: Readonly<Record<number, string>> = {
  0: 'echo-reply', 3: 'destination-unreachable', 4: 'source-quench', 5: 'redirect', 8: 'echo-request', 9: 'router-advertisement',
  10: 'router-solicitation', 11: 'time-exceeded', 12: 'parameter-problem', 13: 'timestamp-request', 14: 'timestamp-reply',
  15: 'info-request', 16: 'info-reply', 17: 'address-mask-request', 18: 'address-mask-reply',
};
export const ICMP6_TYPES: Readonly<Record<number, string>> = {
  1: 'destination-unreachable', 2: 'packet-too-big', 3: 'time-exceeded', 4: 'parameter-problem', 128: 'echo-request', 129: 'echo-reply',
  130: 'mld-listener-query', 131: 'mld-listener-report', 132: 'mld-listener-done', 133: 'nd-router-solicit', 134: 'nd-router-advert',
  135: 'nd-neighbor-solicit', 136: 'nd-neighbor-advert', 137: 'nd-redirect', 138: 'router-renumbering', 141: 'ind-neighbor-solicit',
  142: 'ind-neighbor-advert', 143: 'mld2-listener-report',
};
export const ICMP_CODES: Readonly<Record<number, string>> = {
  0: 'net-unreachable', 1: 'host-unreachable', 2: 'prot-unreachable', 3: 'port-unreachable', 4: 'frag-needed', 9: 'net-prohibited',
  10: 'host-prohibited', 13: 'admin-prohibited',
};
export const ICMP6_CODES: Readonly<Record<number, string>> = { 0: 'no-route', 1: 'admin-prohibited', 3: 'addr-unreachable', 4: 'port-unreachable', 5: 'policy-fail', 6: 'reject-route' };
export const ICMPX_CODES: Readonly<Record<number, string>> = { 0: 'no-route', 1: 'port-unreachable', 2: 'host-unreachable', 3: 'admin-prohibited' };
const ETHERTYPES: Readonly<Record<number, string>> = { 0x0800: 'ip', 0x0806: 'arp', 0x86dd: 'ip6', 0x8100: 'vlan', 0x88a8: '8021ad' };
const DSCP: Record<number, string> = {
  0: 'cs0', 8: 'cs1', 16: 'cs2', 24: 'cs3', 32: 'cs4', 40: 'cs5', 48: 'cs6', 56: 'cs7', 10: 'af11', 12: 'af12', 14: 'af13', 18: 'af21',
  20: 'af22', 22: 'af23', 26: 'af31', 28: 'af32', 30: 'af33', 34: 'af41', 36: 'af42', 38: 'af43', 46: 'ef', 1: 'lephb', 44: 'va',
};
const ARPHRD: Readonly<Record<number, string>> = {
  1: 'ether', 0: 'netrom', 3: 'ax25', 4: 'pronet', 5: 'chaos', 6: 'ieee802', 7: 'arcnet', 8: 'appletlk', 15: 'dlci', 19: 'atm', 23: 'metricom',
  24: 'ieee1394', 27: 'eui64', 32: 'infiniband', 512: 'ppp', 513: 'cisco', 768: 'ipip', 769: 'tunnel6', 772: 'loopback', 776: 'sit', 778: 'ipgre',
  65534: 'none', 65535: 'void',
};
const FIB_ADDRTYPES: Readonly<Record<number, string>> = {
  0: 'unspec', 1: 'unicast', 2: 'local', 3: 'broadcast', 4: 'anycast', 5: 'multicast', 6: 'blackhole', 7: 'unreachable', 8: 'prohibit', 9: 'throw', 10: 'nat', 11: 'xresolve',
};
const DAYS: readonly string[] = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const IGMP_TYPES: Readonly<Record<number, string>> = { 0x11: 'membership-query', 0x12: 'membership-report-v1', 0x16: 'membership-report-v2', 0x22: 'membership-report-v3', 0x17: 'leave-group' };

/** A duration in seconds as nft prints it: `1d2h3m4s`, `500ms`. */
export function timeText(ms: bigint): string {
  if (ms === 0n) return '0s';
  let out = '';
  let rest = ms;
  for (const [unit, n] of [['d', 86400000n], ['h', 3600000n], ['m', 60000n], ['s', 1000n], ['ms', 1n]] as const) {
    if (rest >= n) { out += `${rest / n}${unit}`; rest %= n; }
  }
  return out;
}

const addr4 = (b: Buffer): string => formatIPv4(b, 0);
const addr6 = (b: Buffer): string => formatIPv6(b, 0);
const ether = (b: Buffer): string => [...b.subarray(0, 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');

/** Interface names by index, as far as a listing can know them without the namespace (lo is always 1). */
export const IFINDEX_NAMES: Map<number, string> = new Map([[1, 'lo']]);

const priority = (v: bigint): string => {
  const n = Number(v);
  if (n === 0) return 'none';
  if (n === 0xffffffff) return 'root';
  return `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
};

export const TYPES: readonly Datatype[] = [
  dt(1, 'verdict', 32, { text: (v) => String(v), json: (v) => Number(v) }),
  dt(2, 'nf_proto', 8, { ...sym({ 1: 'inet', 2: 'ipv4', 3: 'arp', 5: 'netdev', 7: 'bridge', 10: 'ipv6' }) }),
  dt(3, 'bitmask', 0, { text: (v) => hex(v), json: (v) => Number(v) }),
  INTEGER,
  dt(5, 'string', 0, { host: true, text: (_v, b) => quote(str(b)), json: (_v, b) => str(b) }),
  dt(6, 'll_addr', 0, { text: (_v, b) => ether(b), json: (_v, b) => ether(b) }),
  dt(7, 'ipv4_addr', 32, { text: (_v, b) => addr4(b), json: (_v, b) => addr4(b) }),
  dt(8, 'ipv6_addr', 128, { text: (_v, b) => addr6(b), json: (_v, b) => addr6(b) }),
  dt(9, 'ether_addr', 48, { text: (_v, b) => ether(b), json: (_v, b) => ether(b) }),
  dt(10, 'ether_type', 16, { text: (v) => ETHERTYPES[Number(v)] ?? hex(v, 4), json: (v) => ETHERTYPES[Number(v)] ?? hex(v, 4) }),
  dt(11, 'arp_op', 16, { ...sym({ 1: 'request', 2: 'reply', 3: 'rrequest', 4: 'rreply', 8: 'inrequest', 9: 'inreply', 10: 'nak' }) }),
  dt(12, 'inet_proto', 8, { ...sym(PROTO_NAMES) }),
  dt(13, 'inet_service', 16, { text: (v) => v.toString(), json: (v) => Number(v) }),
  dt(14, 'icmp_type', 8, { ...sym(ICMP_TYPES) }),
  bitmask(15, 'tcp_flag', 8, [[1, 'fin'], [2, 'syn'], [4, 'rst'], [8, 'psh'], [16, 'ack'], [32, 'urg'], [64, 'ecn'], [128, 'cwr']]),
  dt(16, 'dccp_pkttype', 4, { ...sym({ 0: 'request', 1: 'response', 2: 'data', 3: 'ack', 4: 'dataack', 5: 'closereq', 6: 'close', 7: 'reset', 8: 'sync', 9: 'syncack' }) }),
  dt(17, 'mh_type', 8, { text: (v) => v.toString(), json: (v) => Number(v) }),
  dt(18, 'time', 64, { host: true, text: (v) => timeText(v), json: (v) => Number(v / 1000n) }),
  dt(19, 'mark', 32, { host: true, text: (v) => hex(v, 8), json: (v) => Number(v) }),
  dt(20, 'iface_index', 32, { host: true, text: (v) => quote(IFINDEX_NAMES.get(Number(v)) ?? String(v)), json: (v) => IFINDEX_NAMES.get(Number(v)) ?? Number(v) }),
  dt(21, 'iface_type', 16, { host: true, ...sym(ARPHRD) }),
  dt(22, 'realm', 32, { host: true, text: (v) => v.toString(), json: (v) => v.toString() }),
  dt(23, 'classid', 32, { host: true, text: priority, json: priority }),
  dt(24, 'uid', 32, { host: true, text: (v) => v.toString(), json: (v) => Number(v) }),
  dt(25, 'gid', 32, { host: true, text: (v) => v.toString(), json: (v) => Number(v) }),
  bitmask(26, 'ct_state', 32, [[1, 'invalid'], [2, 'established'], [4, 'related'], [8, 'new'], [64, 'untracked']], true),
  dt(27, 'ct_dir', 8, { ...sym({ 0: 'original', 1: 'reply' }) }),
  bitmask(28, 'ct_status', 32, [[1, 'expected'], [2, 'seen-reply'], [4, 'assured'], [8, 'confirmed'], [16, 'snat'], [32, 'dnat'], [512, 'dying']], true),
  dt(29, 'icmpv6_type', 8, { ...sym(ICMP6_TYPES) }),
  dt(30, 'ct_label', 128, { host: true, text: (v) => v.toString(), json: (v) => Number(v) }),
  dt(31, 'pkt_type', 8, { ...sym({ 0: 'host', 1: 'broadcast', 2: 'multicast', 3: 'other' }) }),
  dt(32, 'icmp_code', 8, { ...sym(ICMP_CODES) }),
  dt(33, 'icmpv6_code', 8, { ...sym(ICMP6_CODES) }),
  dt(34, 'icmpx_code', 8, { ...sym(ICMPX_CODES) }),
  dt(35, 'devgroup', 32, { host: true, text: (v) => (v === 0n ? '"default"' : v.toString()), json: (v) => (v === 0n ? 'default' : Number(v)) }),
  dt(36, 'dscp', 6, { ...sym(DSCP, (v) => hex(v, 2)) }),
  dt(37, 'ecn', 2, { ...sym({ 0: 'not-ect', 1: 'ect1', 2: 'ect0', 3: 'ce' }) }),
  dt(38, 'fib_addrtype', 32, { host: true, ...sym(FIB_ADDRTYPES) }),
  dt(39, 'boolean', 1, { text: (v) => (v ? 'exists' : 'missing'), json: (v) => v !== 0n }),
  bitmask(40, 'ct_event', 32, [[1, 'new'], [2, 'related'], [4, 'destroy'], [8, 'reply'], [16, 'assured'], [32, 'protoinfo'], [64, 'helper'], [128, 'mark'], [256, 'seqadj'], [512, 'secmark'], [1024, 'label']], true),
  dt(41, 'ifname', 128, { host: true, text: (_v, b) => quote(wild(b)), json: (_v, b) => wild(b) }),
  dt(42, 'igmp_type', 8, { ...sym(IGMP_TYPES) }),
  dt(43, 'time_date', 64, { host: true, text: (v) => quote(dateText(v)), json: (v) => dateText(v) }),
  dt(44, 'hour', 32, { host: true, text: (v) => `"${String(Number(v) / 3600 | 0).padStart(2, '0')}:${String((Number(v) % 3600) / 60 | 0).padStart(2, '0')}"`, json: (v) => `${String(Number(v) / 3600 | 0).padStart(2, '0')}:${String((Number(v) % 3600) / 60 | 0).padStart(2, '0')}` }),
  dt(45, 'day', 8, { text: (v) => quote(DAYS[Number(v)] ?? String(v)), json: (v) => DAYS[Number(v)] ?? Number(v) }),
  dt(46, 'cgroupsv2', 64, { host: true, text: (v) => v.toString(), json: (v) => Number(v) }),
];

/** nft calculate_delim: how many elements of a named set of this key type go on one line. */
const PER_LINE: Readonly<Record<string, number>> = {
  nf_proto: 5, integer: 5, arp_op: 5, inet_proto: 5, inet_service: 5, tcp_flag: 5, dccp_pkttype: 5, mark: 5, iface_index: 5, classid: 5, uid: 5, gid: 5, ct_dir: 5,
  ipv4_addr: 2, ct_state: 2, ct_status: 2, pkt_type: 2,
};
for (const t of TYPES) (t as { perLine?: number }).perLine = PER_LINE[t.name] ?? 1;

const BY_NAME = new Map(TYPES.map((t) => [t.name, t]));
const BY_ID = new Map(TYPES.map((t) => [t.id, t]));
BY_NAME.set('time', TYPES.find((t) => t.id === 18)!);

export function dtype(name: string): Datatype {
  const t = BY_NAME.get(name);
  if (!t) throw new Error(`internal: no datatype ${name}`);
  return t;
}
export const dtypeById = (id: number): Datatype | undefined => BY_ID.get(id);
export { INTEGER };

/** An integer type of a given width in network (or host) byte order — for fields without a symbol table. */
export const integer = (bits: number, host = false): Datatype => ({ ...INTEGER, bits, host });
/** A hex-printed integer (`ct label`, raw payloads, masks). */
export const hexInt = (bits: number): Datatype => ({ ...INTEGER, bits, text: (v) => hex(v), json: (v) => Number(v) });
/** A string type (meta iifkind, osf name, ct helper). */
export const STRING = BY_ID.get(5)!;

/** Text and JSON of a constant. */
export const valueText = (t: Datatype, v: bigint, b: Buffer): string => t.text(v, b);
export const valueJson = (t: Datatype, v: bigint, b: Buffer): Json => t.json(v, b);
export { hex, quote, str };
