/**
 * Build a rule's expressions the way nft 1.0 compiles the same nft syntax — same expressions,
 * same registers, same attribute order, same dependencies (`meta nfproto` before an ip match in
 * an inet table, `meta l4proto` before a port match) — so a batch built here is byte-for-byte
 * what `nft -f` sends (fixtures/nft/ holds the proof).
 *
 *   new RuleBuilder('ip').ipSaddr('192.168.15.0/24').oifname('v-net-0', { neq: true }).masquerade().exprs
 */
import type { AnonymousSet } from './anonymous.js';
import { NFPROTO_IPV4, NFPROTO_IPV6, NFT_REG_1, NFT_REG_2 } from './constants.js';
import type { ExprAttrs } from './expr.schema.js';
import { NFT_CMP_EQ, NFT_CMP_GTE, NFT_CMP_LTE, NFT_CMP_NEQ } from './expr/cmp.js';
import { NFT_CT_STATE } from './expr/ct.js';
import { type Verdict, verdict } from './expr/immediate.js';
import { NFT_LIMIT_PKTS } from './expr/limit.js';
import { NF_NAT_RANGE_PROTO_SPECIFIED, NFT_NAT_DNAT, NFT_NAT_SNAT } from './expr/nat.js';
import { NFT_PAYLOAD_NETWORK_HEADER, NFT_PAYLOAD_TRANSPORT_HEADER } from './expr/payload.js';
import { NFT_REJECT_ICMPX_UNREACH, NFT_REJECT_TCP_RST } from './expr/reject.js';
import type { FamilyName } from './family.js';
import { ICMP6_CODES, ICMP6_TYPES, ICMPX_CODES, ICMP_CODES, ICMP_TYPES } from './print/datatype.js';
import { CT_STATES, L4PROTOS, LIMIT_UNITS, META, be16, checkPort, cmp, le32, metaLoad, parsePrefix, payloadLoad } from './rule-exprs.js';
import { type SetRuleSink, compileIn, compileNatMap, compileVmap } from './rule-sets.js';
import type { KeyValue, MapEntry } from './set-elements.js';
import type { SetKeyName } from './set-keys.js';

export { CT_STATES, L4PROTOS, parsePrefix } from './rule-exprs.js';

/** Comparison operators, as nft writes them. */
export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
const CMP_OPS: Readonly<Record<string, number>> = { '==': 0, '!=': 1, '<': 2, '<=': 3, '>': 4, '>=': 5 };
const TCP_FLAGS: Readonly<Record<string, number>> = { fin: 1, syn: 2, rst: 4, psh: 8, ack: 16, urg: 32, ecn: 64, cwr: 128 };
const CT_STATUS: Readonly<Record<string, number>> = { expected: 1, 'seen-reply': 2, assured: 4, confirmed: 8, snat: 16, dnat: 32, dying: 512 };
const DSCP_CLASSES: Readonly<Record<string, number>> = {
  cs0: 0, cs1: 8, cs2: 16, cs3: 24, cs4: 32, cs5: 40, cs6: 48, cs7: 56, af11: 10, af12: 12, af13: 14, af21: 18, af22: 20, af23: 22,
  af31: 26, af32: 28, af33: 30, af41: 34, af42: 36, af43: 38, ef: 46,
};
const FIB_TYPES: readonly string[] = ['unspec', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit'];
const checkU32 = (v: unknown, field: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${field}: ${JSON.stringify(v)} is not a u32`);
  return v;
};
function parseMac(mac: unknown, field: string): Buffer {
  if (typeof mac !== 'string' || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(mac)) throw new RangeError(`${field}: ${JSON.stringify(mac)} is not a MAC address (aa:bb:cc:dd:ee:ff)`);
  return Buffer.from(mac.split(':').map((x) => parseInt(x, 16)));
}

/** Options of a match: `neq` for `!=`. */
export interface MatchOptions {
  /** `!=` instead of `==`. Default false. */
  readonly neq?: boolean;
}

/** Builds a rule's expressions as nft 1.0 compiles them (`new RuleBuilder('inet').dportIn('tcp', [80, 443]).accept()`); `exprs` and `sets` go into `addRule`. */
export class RuleBuilder {
  readonly #family: FamilyName;
  readonly #exprs: ExprAttrs[] = [];
  /** Dependencies already matched in this rule (nft matches each once). */
  #nfproto: number | undefined;
  #l4proto: number | undefined;
  /** Anonymous sets and maps the rule's lookups use, in order. */
  readonly #sets: AnonymousSet[] = [];

  /** What the set compilers (rule-sets.ts) may do to this builder. */
  readonly #sink: SetRuleSink;

  constructor(family: FamilyName) {
    this.#family = family;
    this.#sink = {
      family,
      push: (...e) => { this.#exprs.push(...e); },
      nfproto: (v6, field) => this.#needNfproto(v6, field),
      l4proto: (proto) => { this.l4proto(proto); },
      addr: (cidr, which, opts, v6) => { this.#addr(cidr, which, opts, v6); },
      addSet: (set) => { this.#sets.push(set); },
    };
  }

  /** The expressions so far (a copy). */
  get exprs(): ExprAttrs[] {
    return [...this.#exprs];
  }

  /**
   * The anonymous sets and maps this rule's lookups refer to, in the order of those lookups
   * (pass them as `RuleSpec.sets`; NftBatch.addRule sends them just before the rule).
   */
  get sets(): AnonymousSet[] {
    return [...this.#sets];
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
  /** `tcp sport PORT` (or a range). */
  tcpSport(port: number | readonly [number, number], opts: MatchOptions = {}): this { return this.#port('tcp', 'sport', port, opts); }
  /** `udp dport PORT` (or a range). */
  udpDport(port: number | readonly [number, number], opts: MatchOptions = {}): this { return this.#port('udp', 'dport', port, opts); }
  /** `udp sport PORT` (or a range). */
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

  /**
   * `KEY @SET`, or `KEY { E1, E2, … }` with an anonymous set (an interval set when any element
   * is a prefix `'10.0.0.0/8'` or a range `{ range: [1000, 2000] }`); `neq` for `!=`.
   * A one-element list compiles to the plain match, as nft does. A list of keys
   * (`['ip saddr', 'tcp dport']`) is a concatenation, its elements `{ concat: ['10.0.0.1', 22] }`.
   */
  in(key: SetKeyName | readonly SetKeyName[], set: string | readonly KeyValue[], opts: MatchOptions = {}): this {
    compileIn(this.#sink, key, set, opts);
    return this;
  }

  /** `KEY vmap @MAP` or `KEY vmap { K1 : VERDICT, … }` (an anonymous verdict map). */
  vmap(key: SetKeyName | readonly SetKeyName[], map: string | readonly (readonly [KeyValue, Verdict])[]): this {
    compileVmap(this.#sink, key, map);
    return this;
  }

  /** `dnat to KEY map @MAP` or `dnat to KEY map { K1 : ADDR, … }` (ip/ip6 tables). */
  dnatMap(key: SetKeyName | readonly SetKeyName[], map: string | readonly MapEntry[]): this {
    compileNatMap(this.#sink, NFT_NAT_DNAT, key, map, 'dnat');
    return this;
  }
  /** `snat to KEY map @MAP` or `snat to KEY map { K1 : ADDR, … }`. */
  snatMap(key: SetKeyName | readonly SetKeyName[], map: string | readonly MapEntry[]): this {
    compileNatMap(this.#sink, NFT_NAT_SNAT, key, map, 'snat');
    return this;
  }

  /** `ip saddr @SET` (an ipv4_addr set), or `ip saddr { … }` / `ip6 saddr { … }` from the elements' IP version. */
  ipSaddrIn(set: string | readonly KeyValue[], opts: MatchOptions = {}): this { return this.in(isV6List(set) ? 'ip6 saddr' : 'ip saddr', set, opts); }
  /** `ip daddr @SET` or `ip daddr { … }` / `ip6 daddr { … }`. */
  ipDaddrIn(set: string | readonly KeyValue[], opts: MatchOptions = {}): this { return this.in(isV6List(set) ? 'ip6 daddr' : 'ip daddr', set, opts); }
  /** `tcp dport @SET` / `udp dport { 53, 853 }` (an inet_service set). */
  dportIn(proto: 'tcp' | 'udp', set: string | readonly KeyValue[], opts: MatchOptions = {}): this {
    if (proto !== 'tcp' && proto !== 'udp') throw new RangeError(`dportIn: ${JSON.stringify(proto)} is not tcp or udp`);
    return this.in(`${proto} dport`, set, opts);
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

  // -------------------------------------------------------------------------------------
  // More matches and statements, named as nft names them (each compiles as nft 1.0 does; the
  // printer reads them back as the same nft syntax — test/live/nft-builder.test.ts).

  #cmpOp(op: CmpOp | undefined, field: string): number {
    const n = CMP_OPS[op ?? '=='];
    if (n === undefined) throw new RangeError(`${field}: ${JSON.stringify(op)} is not one of ${Object.keys(CMP_OPS).join(' ')}`);
    return n;
  }

  /** `icmp type TYPE` (`meta l4proto icmp` first). */
  icmpType(type: string, opts: MatchOptions = {}): this { return this.#icmp('icmp', type, opts); }
  /** `icmpv6 type TYPE` (`meta l4proto ipv6-icmp` first). */
  icmpv6Type(type: string, opts: MatchOptions = {}): this { return this.#icmp('icmpv6', type, opts); }

  #icmp(proto: 'icmp' | 'icmpv6', type: string, opts: MatchOptions): this {
    const table = proto === 'icmp' ? ICMP_TYPES : ICMP6_TYPES;
    const v = Object.entries(table).find(([, n]) => n === type)?.[0];
    if (v === undefined) throw new RangeError(`${proto}Type: ${JSON.stringify(type)} is not an ${proto} type (${Object.values(table).join(', ')})`);
    if (proto === 'icmp') this.#needNfproto(false, 'icmp type'); else this.#needNfproto(true, 'icmpv6 type');
    this.#l4(proto === 'icmp' ? 1 : 58);
    this.#exprs.push(payloadLoad(NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1), cmp(opts.neq ? NFT_CMP_NEQ : NFT_CMP_EQ, Buffer.from([Number(v)])));
    return this;
  }

  #l4(proto: number): void {
    if (this.#l4proto === undefined) {
      this.#exprs.push(metaLoad(META['l4proto']!), cmp(NFT_CMP_EQ, Buffer.from([proto])));
      this.#l4proto = proto;
    } else if (this.#l4proto !== proto) throw new RangeError('this rule already matches another transport protocol');
  }

  /**
   * `tcp flags FLAGS` (any of them set), or with `mask`, `tcp flags FLAGS / MASK` (of the
   * flags in MASK exactly FLAGS are set): `tcpFlags(['syn'], ['syn', 'ack'])`.
   */
  tcpFlags(flags: readonly string[], mask?: readonly string[]): this {
    const bits = (list: readonly string[], field: string): number => {
      if (!Array.isArray(list)) throw new TypeError(`${field}: expected an array of tcp flags`);
      return list.reduce((n, f) => {
        const b = TCP_FLAGS[f];
        if (b === undefined) throw new RangeError(`${field}: ${JSON.stringify(f)} is not a tcp flag (${Object.keys(TCP_FLAGS).join(', ')})`);
        return n | b;
      }, 0);
    };
    const v = bits(flags, 'tcpFlags.flags');
    const m = mask === undefined ? v : bits(mask, 'tcpFlags.mask');
    this.#l4(6);
    this.#exprs.push(payloadLoad(NFT_PAYLOAD_TRANSPORT_HEADER, 13, 1),
      { name: 'bitwise', data: { sreg: NFT_REG_1, dreg: NFT_REG_1, len: 1, mask: { value: Buffer.from([m]) }, xor: { value: Buffer.from([0]) } } },
      cmp(mask === undefined ? NFT_CMP_NEQ : NFT_CMP_EQ, Buffer.from([mask === undefined ? 0 : v])));
    return this;
  }

  /** `ip dscp CLASS` (`cs1`, `ef`, `af41`, …). */
  ipDscp(dscp: string, opts: MatchOptions = {}): this {
    const v = DSCP_CLASSES[dscp];
    if (v === undefined) throw new RangeError(`ipDscp: ${JSON.stringify(dscp)} is not a DSCP class (${Object.keys(DSCP_CLASSES).join(', ')})`);
    this.#needNfproto(false, 'ip dscp');
    this.#exprs.push(payloadLoad(NFT_PAYLOAD_NETWORK_HEADER, 1, 1),
      { name: 'bitwise', data: { sreg: NFT_REG_1, dreg: NFT_REG_1, len: 1, mask: { value: Buffer.from([0xfc]) }, xor: { value: Buffer.from([0]) } } },
      cmp(opts.neq ? NFT_CMP_NEQ : NFT_CMP_EQ, Buffer.from([v << 2])));
    return this;
  }

  /** `th dport PORT` (the transport header's destination port, any protocol; `op` for `<`, `>`, …). */
  thDport(port: number, opts: { readonly op?: CmpOp } = {}): this {
    this.#exprs.push(payloadLoad(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2), cmp(this.#cmpOp(opts.op, 'thDport.op'), be16(checkPort(port, 'thDport'))));
    return this;
  }

  /** `tcp dport OP PORT` / `udp …`: a comparison (`<`, `<=`, `>`, `>=`, `!=`). */
  dportCmp(proto: 'tcp' | 'udp', op: CmpOp, port: number): this {
    if (proto !== 'tcp' && proto !== 'udp') throw new RangeError(`dportCmp: ${JSON.stringify(proto)} is not tcp or udp`);
    const n = this.#cmpOp(op, 'dportCmp.op');
    this.l4proto(proto);
    this.#exprs.push(payloadLoad(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2), cmp(n, be16(checkPort(port, 'dportCmp.port'))));
    return this;
  }

  /** `ether saddr MAC` (in inet tables after `meta iiftype ether`, as nft does). */
  etherSaddr(mac: string, opts: MatchOptions = {}): this {
    const b = parseMac(mac, 'etherSaddr');
    if (this.#family === 'inet' || this.#family === 'ip' || this.#family === 'ip6') this.#exprs.push(metaLoad(META['iiftype']!), cmp(NFT_CMP_EQ, Buffer.from([1, 0])));
    this.#exprs.push(payloadLoad(0, 6, 6), cmp(opts.neq ? NFT_CMP_NEQ : NFT_CMP_EQ, b));
    return this;
  }

  /** `ct status S1,S2` (any of them: `dnat`, `snat`, `assured`, …). */
  ctStatus(status: readonly string[]): this {
    const bits = status.reduce((n, x) => {
      const b = CT_STATUS[x];
      if (b === undefined) throw new RangeError(`ctStatus: ${JSON.stringify(x)} is not a conntrack status (${Object.keys(CT_STATUS).join(', ')})`);
      return n | b;
    }, 0);
    this.#exprs.push({ name: 'ct', data: { key: 2, dreg: NFT_REG_1 } },
      { name: 'bitwise', data: { sreg: NFT_REG_1, dreg: NFT_REG_1, len: 4, mask: { value: le32(bits) }, xor: { value: le32(0) } } },
      cmp(NFT_CMP_NEQ, le32(0)));
    return this;
  }

  /** `ct direction original|reply`. */
  ctDirection(dir: 'original' | 'reply'): this {
    if (dir !== 'original' && dir !== 'reply') throw new RangeError(`ctDirection: ${JSON.stringify(dir)} is not original or reply`);
    this.#exprs.push({ name: 'ct', data: { key: 1, dreg: NFT_REG_1 } }, cmp(NFT_CMP_EQ, Buffer.from([dir === 'original' ? 0 : 1])));
    return this;
  }

  /** `ct mark [OP] VALUE`. */
  ctMark(value: number, opts: { readonly op?: CmpOp } = {}): this {
    this.#exprs.push({ name: 'ct', data: { key: 3, dreg: NFT_REG_1 } }, cmp(this.#cmpOp(opts.op, 'ctMark.op'), le32(checkU32(value, 'ctMark'))));
    return this;
  }

  /** `ct count [over] N` (connlimit). */
  ctCount(count: number, opts: { readonly over?: boolean } = {}): this {
    this.#exprs.push({ name: 'connlimit', data: { count: checkU32(count, 'ctCount'), flags: opts.over ? 1 : 0 } });
    return this;
  }

  /** `meta mark set VALUE`, or `meta mark set ct mark` with `{ from: 'ct mark' }`. */
  metaMarkSet(value: number | { readonly from: 'ct mark' }): this {
    if (typeof value === 'object' && value?.from === 'ct mark') this.#exprs.push({ name: 'ct', data: { key: 3, dreg: NFT_REG_1 } });
    else this.#exprs.push({ name: 'immediate', data: { dreg: NFT_REG_1, data: { value: le32(checkU32(value, 'metaMarkSet')) } } });
    this.#exprs.push({ name: 'meta', data: { key: META['mark']!, sreg: NFT_REG_1 } });
    return this;
  }

  /** `ct mark set VALUE`, or `ct mark set meta mark` with `{ from: 'meta mark' }`. */
  ctMarkSet(value: number | { readonly from: 'meta mark' }): this {
    if (typeof value === 'object' && value?.from === 'meta mark') this.#exprs.push(metaLoad(META['mark']!));
    else this.#exprs.push({ name: 'immediate', data: { dreg: NFT_REG_1, data: { value: le32(checkU32(value, 'ctMarkSet')) } } });
    this.#exprs.push({ name: 'ct', data: { key: 3, sreg: NFT_REG_1 } });
    return this;
  }

  /**
   * `fib FLAGS RESULT` compared: `fib({ flags: ['saddr', 'iif'], result: 'oif', missing: true })`
   * is `fib saddr . iif oif missing`; `{ flags: ['daddr'], result: 'type', type: 'local' }` is
   * `fib daddr type local` (`neq` for `!=`).
   */
  fib(o: { readonly flags: readonly ('saddr' | 'daddr' | 'mark' | 'iif' | 'oif')[]; readonly result: 'oif' | 'type'; readonly missing?: boolean; readonly exists?: boolean; readonly type?: string; readonly neq?: boolean }): this {
    const flagBits: Record<string, number> = { saddr: 1, daddr: 2, mark: 4, iif: 8, oif: 16 };
    let flags = 0;
    for (const f of o.flags ?? []) {
      if (flagBits[f] === undefined) throw new RangeError(`fib.flags: ${JSON.stringify(f)} is not saddr, daddr, mark, iif or oif`);
      flags |= flagBits[f]!;
    }
    if (o.result === 'oif') {
      if (!!o.missing === !!o.exists) throw new TypeError('fib: with result oif give exactly one of missing / exists');
      this.#exprs.push({ name: 'fib', data: { dreg: NFT_REG_1, result: 1, flags: flags | 32 } }, cmp(NFT_CMP_EQ, le32(o.exists ? 1 : 0)));
      return this;
    }
    if (o.result !== 'type') throw new RangeError(`fib.result: ${JSON.stringify(o.result)} is not oif or type`);
    const t = FIB_TYPES.indexOf(o.type ?? '');
    if (t < 0) throw new RangeError(`fib.type: ${JSON.stringify(o.type)} is not ${FIB_TYPES.join(', ')}`);
    this.#exprs.push({ name: 'fib', data: { dreg: NFT_REG_1, result: 3, flags } }, cmp(o.neq ? NFT_CMP_NEQ : NFT_CMP_EQ, le32(t)));
    return this;
  }

  /** `tcp option maxseg size set N` (or, with `'rt mtu'`, clamp to the route MTU). */
  tcpOptionMaxsegSizeSet(size: number | 'rt mtu'): this {
    if (size === 'rt mtu') this.#exprs.push({ name: 'rt', data: { dreg: NFT_REG_1, key: 3 } });
    else this.#exprs.push({ name: 'immediate', data: { dreg: NFT_REG_1, data: { value: be16(checkPort(size, 'tcpOptionMaxsegSizeSet')) } } });
    this.#exprs.push({ name: 'exthdr', data: { sreg: NFT_REG_1, type: 2, offset: 2, len: 2, op: 1 } });
    return this;
  }

  /** `quota [over] N bytes`. */
  quota(bytes: number | bigint, opts: { readonly over?: boolean } = {}): this {
    const b = BigInt(bytes);
    if (b < 0n) throw new RangeError('quota: expected a non-negative byte count');
    this.#exprs.push({ name: 'quota', data: { bytes: b, flags: opts.over ? 1 : 0 } });
    return this;
  }

  /** `counter name "NAME"`, `quota name "NAME"`, `limit name "NAME"`, `ct helper set "NAME"`, … (objref). */
  objref(type: 'counter' | 'quota' | 'limit' | 'ct helper' | 'ct timeout' | 'synproxy', name: string): this {
    const id = ({ counter: 1, quota: 2, 'ct helper': 3, limit: 4, 'ct timeout': 7, synproxy: 10 } as Record<string, number>)[type];
    if (id === undefined) throw new RangeError(`objref: ${JSON.stringify(type)} is not an object type`);
    if (typeof name !== 'string' || !name) throw new TypeError('objref: expected an object name');
    this.#exprs.push({ name: 'objref', data: { type: id, name } });
    return this;
  }

  /** `redirect [to :PORT]`. */
  redirect(o: { readonly port?: number } = {}): this {
    if (o.port === undefined) { this.#exprs.push({ name: 'redir', data: {} }); return this; }
    this.#exprs.push({ name: 'immediate', data: { dreg: NFT_REG_1, data: { value: be16(checkPort(o.port, 'redirect.port')) } } },
      { name: 'redir', data: { regProtoMin: NFT_REG_1, flags: NF_NAT_RANGE_PROTO_SPECIFIED } });
    return this;
  }

  /** `masquerade [random] [fully-random] [persistent]`. */
  masqueradeWith(o: { readonly random?: boolean; readonly fullyRandom?: boolean; readonly persistent?: boolean }): this {
    const flags = (o.random ? 0x4 : 0) | (o.fullyRandom ? 0x10 : 0) | (o.persistent ? 0x8 : 0);
    this.#exprs.push({ name: 'masq', data: flags ? { flags } : {} });
    return this;
  }

  /** `limit rate over N/UNIT` (the inverted limit: matches above the rate). */
  limitOver(o: { readonly rate: number; readonly per: 'second' | 'minute' | 'hour' | 'day' | 'week'; readonly burst?: number }): this {
    this.limit(o);
    const last = this.#exprs[this.#exprs.length - 1]!;
    (last.data as Record<string, unknown>)['flags'] = 1;
    return this;
  }

  /** `log [prefix "…"] [level L] [flags all]` with the options nft has. */
  logWith(o: { readonly prefix?: string; readonly level?: 'emerg' | 'alert' | 'crit' | 'err' | 'warn' | 'notice' | 'info' | 'debug' | 'audit'; readonly group?: number; readonly snaplen?: number; readonly flagsAll?: boolean }): this {
    const levels = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug', 'audit'];
    const d: Record<string, unknown> = {};
    if (o.prefix !== undefined) d['prefix'] = o.prefix;
    if (o.group !== undefined) d['group'] = o.group;
    if (o.snaplen !== undefined) d['snaplen'] = o.snaplen;
    if (o.level !== undefined) {
      const l = levels.indexOf(o.level);
      if (l < 0) throw new RangeError(`log.level: ${JSON.stringify(o.level)} is not ${levels.join(', ')}`);
      d['level'] = l;
    }
    if (o.flagsAll) d['flags'] = 0x2f;
    this.#exprs.push({ name: 'log', data: d } as ExprAttrs);
    return this;
  }

  /** `reject with icmpx|icmp|icmpv6 CODE` (`reject()` gives nft's defaults and `tcp reset`). */
  rejectWith(kind: 'icmpx' | 'icmp' | 'icmpv6', code: string): this {
    const table = kind === 'icmpx' ? ICMPX_CODES : kind === 'icmp' ? ICMP_CODES : ICMP6_CODES;
    const c = Object.entries(table).find(([, n]) => n === code)?.[0];
    if (c === undefined) throw new RangeError(`rejectWith: ${JSON.stringify(code)} is not an ${kind} code (${Object.values(table).join(', ')})`);
    if (kind !== 'icmpx') this.#needNfproto(kind === 'icmpv6', `reject with ${kind}`);
    this.#exprs.push({ name: 'reject', data: { type: kind === 'icmpx' ? NFT_REJECT_ICMPX_UNREACH : 0, icmpCode: Number(c) } });
    return this;
  }

  /** A verdict: `accept`, `drop`, `return`, `jump CHAIN`, `goto CHAIN`. */
  verdict(v: Verdict): this {
    this.#exprs.push(verdict(v));
    return this;
  }
  /** The verdict `accept`. */
  accept(): this { return this.verdict('accept'); }
  /** The verdict `drop`. */
  drop(): this { return this.verdict('drop'); }
}

/** Whether an element list is of IPv6 addresses. */
function isV6List(set: unknown): boolean {
  if (!Array.isArray(set) || set.length === 0) return false;
  const e = set[0] as unknown;
  const s = typeof e === 'string' ? e : e && typeof e === 'object' ? (e as { prefix?: { addr?: unknown }; range?: unknown[] }).prefix?.addr ?? (e as { range?: unknown[] }).range?.[0] : undefined;
  return typeof s === 'string' && s.includes(':');
}

/** Shorthand: `rule('ip').ipSaddr(…)…exprs`. */
export const rule = (family: FamilyName): RuleBuilder => new RuleBuilder(family);

