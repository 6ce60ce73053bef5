/**
 * Build a rule's expressions the way nft 1.0 compiles the same nft syntax — same expressions,
 * same registers, same attribute order, same dependencies (`meta nfproto` before an ip match in
 * an inet table, `meta l4proto` before a port match) — so a batch built here is byte-for-byte
 * what `nft -f` sends (fixtures/nft/ holds the proof).
 *
 *   new RuleBuilder('ip').ipSaddr('192.168.15.0/24').oifname('v-net-0', { neq: true }).masquerade().exprs
 */
import { writeIPv4, writeIPv6 } from '../netlink/ip.js';
import { NFPROTO_IPV4, NFPROTO_IPV6, NFT_REG_1, NFT_REG_2 } from './constants.js';
import type { ExprAttrs } from './expr.schema.js';
import { NFT_CMP_EQ, NFT_CMP_GTE, NFT_CMP_LTE, NFT_CMP_NEQ } from './expr/cmp.js';
import { NFT_CT_STATE } from './expr/ct.js';
import { type Verdict, verdict } from './expr/immediate.js';
import { NFT_LIMIT_PKTS } from './expr/limit.js';
import { NFT_LOOKUP_F_INV } from './expr/lookup.js';
import { META_KEY_NAMES } from './expr/meta.js';
import { NF_NAT_RANGE_PROTO_SPECIFIED, NFT_NAT_DNAT, NFT_NAT_SNAT } from './expr/nat.js';
import { NFT_PAYLOAD_NETWORK_HEADER, NFT_PAYLOAD_TRANSPORT_HEADER } from './expr/payload.js';
import { NFT_REJECT_ICMPX_UNREACH, NFT_REJECT_TCP_RST } from './expr/reject.js';
import type { FamilyName } from './family.js';

/** IPPROTO_* by name. */
export const L4PROTOS: Readonly<Record<string, number>> = { icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, icmpv6: 58, sctp: 132, udplite: 136 };
/** NF_CT_STATE_* bits. */
export const CT_STATES: Readonly<Record<string, number>> = { invalid: 1, established: 2, related: 4, new: 8, untracked: 64 };
const LIMIT_UNITS: Readonly<Record<string, bigint>> = { second: 1n, minute: 60n, hour: 3600n, day: 86400n, week: 604800n };

export interface MatchOptions {
  /** `!=` instead of `==`. Default false. */
  readonly neq?: boolean;
}

/** Parse `a.b.c.d/len` or `x::/len` (a bare address is /32 or /128). Host bits must be zero, as nft requires. */
export function parsePrefix(cidr: unknown, field: string): { v6: boolean; addr: Buffer; len: number } {
  if (typeof cidr !== 'string') throw new TypeError(`${field}: expected an address or prefix string`);
  const [a, l, extra] = cidr.split('/');
  const buf = Buffer.alloc(16);
  let v6 = false;
  if (writeIPv4(a ?? '', buf, 0)) v6 = false;
  else if (writeIPv6(a ?? '', buf, 0)) v6 = true;
  else throw new RangeError(`${field}: ${JSON.stringify(cidr)} is not an IP address or prefix`);
  const max = v6 ? 128 : 32;
  const len = l === undefined ? max : Number(l);
  if (extra !== undefined || !Number.isInteger(len) || len < 0 || len > max || (l !== undefined && !/^\d+$/.test(l))) {
    throw new RangeError(`${field}: ${JSON.stringify(cidr)}: prefix length must be 0..${max}`);
  }
  const addr = buf.subarray(0, max / 8);
  for (let bit = len; bit < max; bit++) {
    if (addr[bit >> 3]! & (0x80 >> (bit & 7))) throw new RangeError(`${field}: ${JSON.stringify(cidr)} has host bits set`);
  }
  return { v6, addr: Buffer.from(addr), len };
}

function checkPort(p: unknown, field: string): number {
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 65535) throw new RangeError(`${field}: ${JSON.stringify(p)} is not a port (0..65535)`);
  return p;
}
const be16 = (n: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
const le32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; };

const cmp = (op: number, value: Buffer): ExprAttrs => ({ name: 'cmp', data: { sreg: NFT_REG_1, op, data: { value } } });
const metaLoad = (key: number): ExprAttrs => ({ name: 'meta', data: { key, dreg: NFT_REG_1 } });
const payloadLoad = (base: number, offset: number, len: number): ExprAttrs => ({ name: 'payload', data: { dreg: NFT_REG_1, base, offset, len } });
const META = Object.fromEntries(Object.entries(META_KEY_NAMES).map(([k, v]) => [v, Number(k)])) as Record<string, number>;

export class RuleBuilder {
  readonly #family: FamilyName;
  readonly #exprs: ExprAttrs[] = [];
  /** Dependencies already matched in this rule (nft matches each once). */
  #nfproto: number | undefined;
  #l4proto: number | undefined;

  constructor(family: FamilyName) {
    this.#family = family;
  }

  /** The expressions so far (a copy). */
  get exprs(): ExprAttrs[] {
    return [...this.#exprs];
  }

  /** Append an expression as is. */
  expr(e: ExprAttrs): this {
    this.#exprs.push(e);
    return this;
  }

  #needNfproto(v6: boolean, field: string): void {
    const want = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
    if (this.#family === 'inet' || this.#family === 'bridge' || this.#family === 'netdev') {
      if (this.#nfproto === undefined) {
        this.#exprs.push(metaLoad(META['nfproto']!), cmp(NFT_CMP_EQ, Buffer.from([want])));
        this.#nfproto = want;
      } else if (this.#nfproto !== want) throw new RangeError(`${field}: this rule already matches the other IP version`);
    } else if ((this.#family === 'ip' && v6) || (this.#family === 'ip6' && !v6)) {
      throw new RangeError(`${field}: an ${v6 ? 'IPv6' : 'IPv4'} match in a ${this.#family} table`);
    }
  }

  #addr(cidr: string, which: 'saddr' | 'daddr', opts: MatchOptions, v6Expected?: boolean): this {
    const field = `ip${v6Expected ? '6' : ''} ${which}`;
    const p = parsePrefix(cidr, field);
    if (v6Expected !== undefined && p.v6 !== v6Expected) throw new RangeError(`${field}: ${JSON.stringify(cidr)} is not an IPv${v6Expected ? 6 : 4} address`);
    this.#needNfproto(p.v6, field);
    const size = p.v6 ? 16 : 4;
    const offset = p.v6 ? (which === 'saddr' ? 8 : 24) : which === 'saddr' ? 12 : 16;
    const op = opts.neq ? NFT_CMP_NEQ : NFT_CMP_EQ;
    if (p.len % 8 === 0) {
      // A byte-aligned prefix loads only its bytes (nft: `payload load 3b` for a /24).
      const n = p.len / 8 || size;
      this.#exprs.push(payloadLoad(NFT_PAYLOAD_NETWORK_HEADER, offset, n), cmp(op, p.addr.subarray(0, n)));
    } else {
      const mask = Buffer.alloc(size);
      for (let bit = 0; bit < p.len; bit++) mask[bit >> 3]! |= 0x80 >> (bit & 7);
      this.#exprs.push(payloadLoad(NFT_PAYLOAD_NETWORK_HEADER, offset, size),
        { name: 'bitwise', data: { sreg: NFT_REG_1, dreg: NFT_REG_1, len: size, mask: { value: mask }, xor: { value: Buffer.alloc(size) } } },
        cmp(op, p.addr));
    }
    return this;
  }

  /** `ip saddr ADDR[/LEN]` (or `ip6 saddr` for an IPv6 address). */
  ipSaddr(cidr: string, opts: MatchOptions = {}): this { return this.#addr(cidr, 'saddr', opts); }
  /** `ip daddr ADDR[/LEN]` (or `ip6 daddr`). */
  ipDaddr(cidr: string, opts: MatchOptions = {}): this { return this.#addr(cidr, 'daddr', opts); }

  #ifname(key: 'iifname' | 'oifname', name: unknown, opts: MatchOptions): this {
    if (typeof name !== 'string' || name === '') throw new TypeError(`${key}: expected an interface name`);
    if (Buffer.byteLength(name) > 15) throw new RangeError(`${key}: ${JSON.stringify(name)} is longer than IFNAMSIZ-1 (15)`);
    const v = Buffer.alloc(16);
    v.write(name);
    this.#exprs.push(metaLoad(META[key]!), cmp(opts.neq ? NFT_CMP_NEQ : NFT_CMP_EQ, v));
    return this;
  }

  /** `iifname "NAME"`. */
  iifname(name: string, opts: MatchOptions = {}): this { return this.#ifname('iifname', name, opts); }
  /** `oifname "NAME"`. */
  oifname(name: string, opts: MatchOptions = {}): this { return this.#ifname('oifname', name, opts); }

  /** `meta l4proto PROTO`. */
  l4proto(proto: string | number): this {
    const n = typeof proto === 'number' ? proto : L4PROTOS[proto];
    if (n === undefined || !Number.isInteger(n) || n < 0 || n > 255) throw new RangeError(`l4proto: ${JSON.stringify(proto)} is not a protocol (${Object.keys(L4PROTOS).join(', ')} or 0..255)`);
    if (this.#l4proto === n) return this;
    if (this.#l4proto !== undefined) throw new RangeError('l4proto: this rule already matches another protocol');
    this.#exprs.push(metaLoad(META['l4proto']!), cmp(NFT_CMP_EQ, Buffer.from([n])));
    this.#l4proto = n;
    return this;
  }

  #port(proto: 'tcp' | 'udp', which: 'sport' | 'dport', port: number | readonly [number, number], opts: MatchOptions): this {
    const field = `${proto} ${which}`;
    this.l4proto(proto);
    const offset = which === 'sport' ? 0 : 2;
    if (Array.isArray(port)) {
      const lo = checkPort(port[0], field), hi = checkPort(port[1], field);
      if (lo > hi) throw new RangeError(`${field}: range ${lo}-${hi} is empty`);
      if (opts.neq) throw new RangeError(`${field}: != with a range is not supported here`);
      // nft compiles `dport 1000-2000` to two comparisons.
      this.#exprs.push(payloadLoad(NFT_PAYLOAD_TRANSPORT_HEADER, offset, 2), cmp(NFT_CMP_GTE, be16(lo)), cmp(NFT_CMP_LTE, be16(hi)));
    } else {
      this.#exprs.push(payloadLoad(NFT_PAYLOAD_TRANSPORT_HEADER, offset, 2), cmp(opts.neq ? NFT_CMP_NEQ : NFT_CMP_EQ, be16(checkPort(port, field))));
    }
    return this;
  }

  /** `tcp dport PORT` or `tcp dport LO-HI`. */
  tcpDport(port: number | readonly [number, number], opts: MatchOptions = {}): this { return this.#port('tcp', 'dport', port, opts); }
  tcpSport(port: number | readonly [number, number], opts: MatchOptions = {}): this { return this.#port('tcp', 'sport', port, opts); }
  udpDport(port: number | readonly [number, number], opts: MatchOptions = {}): this { return this.#port('udp', 'dport', port, opts); }
  udpSport(port: number | readonly [number, number], opts: MatchOptions = {}): this { return this.#port('udp', 'sport', port, opts); }

  /** `ct state S1,S2` (any of them). */
  ctState(states: readonly string[]): this {
    if (!Array.isArray(states) || states.length === 0) throw new TypeError('ctState: expected a non-empty array of states');
    let bits = 0;
    for (const s of states) {
      const b = CT_STATES[s];
      if (b === undefined) throw new RangeError(`ctState: ${JSON.stringify(s)} is not a conntrack state (${Object.keys(CT_STATES).join(', ')})`);
      bits |= b;
    }
    this.#exprs.push({ name: 'ct', data: { key: NFT_CT_STATE, dreg: NFT_REG_1 } },
      { name: 'bitwise', data: { sreg: NFT_REG_1, dreg: NFT_REG_1, len: 4, mask: { value: le32(bits) }, xor: { value: le32(0) } } },
      cmp(NFT_CMP_NEQ, le32(0)));
    return this;
  }

  /** `meta mark VALUE`. */
  mark(value: number, opts: MatchOptions = {}): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`mark: ${value} is not a u32`);
    this.#exprs.push(metaLoad(META['mark']!), cmp(opts.neq ? NFT_CMP_NEQ : NFT_CMP_EQ, le32(value)));
    return this;
  }

  #lookup(set: string, opts: MatchOptions): this {
    if (typeof set !== 'string' || !set) throw new TypeError('lookup: expected a set name');
    const name = set.startsWith('@') ? set.slice(1) : set;
    this.#exprs.push({ name: 'lookup', data: { sreg: NFT_REG_1, set: name, ...(opts.neq ? { flags: NFT_LOOKUP_F_INV } : {}) } });
    return this;
  }

  /** `ip saddr @SET` (an ipv4_addr set). */
  ipSaddrIn(set: string, opts: MatchOptions = {}): this {
    this.#needNfproto(false, 'ip saddr');
    this.#exprs.push(payloadLoad(NFT_PAYLOAD_NETWORK_HEADER, 12, 4));
    return this.#lookup(set, opts);
  }

  /** `ip daddr @SET`. */
  ipDaddrIn(set: string, opts: MatchOptions = {}): this {
    this.#needNfproto(false, 'ip daddr');
    this.#exprs.push(payloadLoad(NFT_PAYLOAD_NETWORK_HEADER, 16, 4));
    return this.#lookup(set, opts);
  }

  /** `tcp dport @SET` / `udp dport @SET` (an inet_service set). */
  dportIn(proto: 'tcp' | 'udp', set: string, opts: MatchOptions = {}): this {
    this.l4proto(proto);
    this.#exprs.push(payloadLoad(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2));
    return this.#lookup(set, opts);
  }

  /** `counter` (nft sends it with no attributes; the kernel starts it at zero). */
  counter(): this {
    this.#exprs.push({ name: 'counter', data: {} });
    return this;
  }

  /** `limit rate N/UNIT [burst B packets]` (nft's default burst is 5). */
  limit(o: { readonly rate: number; readonly per: 'second' | 'minute' | 'hour' | 'day' | 'week'; readonly burst?: number }): this {
    if (!Number.isInteger(o.rate) || o.rate < 1) throw new RangeError(`limit.rate: ${o.rate} is not a positive integer`);
    const unit = LIMIT_UNITS[o.per];
    if (unit === undefined) throw new RangeError(`limit.per: ${JSON.stringify(o.per)} is not second, minute, hour, day or week`);
    this.#exprs.push({ name: 'limit', data: { rate: BigInt(o.rate), unit, burst: o.burst ?? 5, type: NFT_LIMIT_PKTS, flags: 0 } });
    return this;
  }

  /** `log [prefix "…"]`. */
  log(o: { readonly prefix?: string } = {}): this {
    this.#exprs.push({ name: 'log', data: o.prefix !== undefined ? { prefix: o.prefix } : {} });
    return this;
  }

  /** `reject with tcp reset` or `reject` (ICMPX port unreachable in inet, ICMP port unreachable in ip). */
  reject(o: { readonly with?: 'tcp reset' } = {}): this {
    if (o.with === 'tcp reset') this.l4proto('tcp');
    const type = o.with === 'tcp reset' ? NFT_REJECT_TCP_RST : this.#family === 'inet' ? NFT_REJECT_ICMPX_UNREACH : 0;
    this.#exprs.push({ name: 'reject', data: { type, icmpCode: o.with === 'tcp reset' ? 0 : type === NFT_REJECT_ICMPX_UNREACH ? 1 : 3 } });
    return this;
  }

  /** `notrack` (no attributes, not even an empty data nest). */
  notrack(): this {
    this.#exprs.push({ name: 'notrack' });
    return this;
  }

  /** `masquerade`. */
  masquerade(): this {
    this.#exprs.push({ name: 'masq', data: {} });
    return this;
  }

  #nat(type: number, addr: string, port: number | undefined, field: string): this {
    const p = parsePrefix(addr, `${field}.addr`);
    if (p.len !== (p.v6 ? 128 : 32)) throw new RangeError(`${field}.addr: expected one address, got a prefix`);
    const natFamily = p.v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
    if ((this.#family === 'ip' && p.v6) || (this.#family === 'ip6' && !p.v6)) throw new RangeError(`${field}.addr: wrong IP version for a ${this.#family} table`);
    this.#exprs.push({ name: 'immediate', data: { dreg: NFT_REG_1, data: { value: p.addr } } });
    const data: Record<string, unknown> = { type, family: natFamily, regAddrMin: NFT_REG_1 };
    if (port !== undefined) {
      this.#exprs.push({ name: 'immediate', data: { dreg: NFT_REG_2, data: { value: be16(checkPort(port, `${field}.port`)) } } });
      data['regProtoMin'] = NFT_REG_2;
      data['flags'] = NF_NAT_RANGE_PROTO_SPECIFIED;
    }
    this.#exprs.push({ name: 'nat', data } as ExprAttrs);
    return this;
  }

  /** `snat to ADDR[:PORT]`. */
  snat(addr: string, port?: number): this { return this.#nat(NFT_NAT_SNAT, addr, port, 'snat'); }
  /** `dnat to ADDR[:PORT]`. */
  dnat(addr: string, port?: number): this { return this.#nat(NFT_NAT_DNAT, addr, port, 'dnat'); }

  /** A verdict: `accept`, `drop`, `return`, `jump CHAIN`, `goto CHAIN`. */
  verdict(v: Verdict): this {
    this.#exprs.push(verdict(v));
    return this;
  }
  accept(): this { return this.verdict('accept'); }
  drop(): this { return this.verdict('drop'); }
}

/** Shorthand: `rule('ip').ipSaddr(…)…exprs`. */
export const rule = (family: FamilyName): RuleBuilder => new RuleBuilder(family);

