/**
 * A rule's expressions back to nft's statements, as nftables' netlink_delinearize.c does it:
 * registers are followed from their loads (payload, meta, ct, exthdr, fib, rt, socket, osf,
 * ipsec, hash, numgen, immediate, map lookups) through bitwise/byteorder to what consumes them
 * (cmp, range, lookup, statements); payload loads are named by the protocol context the rule
 * has built so far (`ip saddr`, `tcp dport`, bitfields like `ip dscp`, merged loads split back
 * into their fields); and the dependency matches nft adds itself (`meta nfproto`, `meta l4proto`,
 * `ether type`, …) are dropped once a later expression implies them.
 */
import { NFT_REG32_00, NFT_REG_VERDICT } from '../constants.js';
import type { DataAttrs } from '../data.js';
import { VERDICT_NAMES } from '../data.js';
import type { ExprAttrs } from '../expr.schema.js';
import type { NftSet } from '../set.js';
import { type Datatype, type Json, INTEGER, STRING, dtype, hexInt, integer } from './datatype.js';
import { type Field, L3_BY_ETHERTYPE, L3_BY_NFPROTO, L4_BY_PROTO, PROTOS, type Proto } from './proto.js';
import { setElements, setKeyTypes } from './set-print.js';
import { type Expr, type Rendered, Unprintable, exprJson, exprText, typeOf } from './tree.js';
import { statement } from './statements.js';

/** A payload load not yet named: base, byte offset and length. */
export interface Load { readonly k: 'load'; readonly base: number; readonly offset: number; readonly len: number }
export type RegValue = Expr | Load;

export type Op = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in';
export interface Match { readonly left: Expr; readonly op: Op; readonly right: Expr; dep?: { base: number; kind: 'meta' | 'payload' } }
export type Out = { match: Match } | { stmt: Rendered; killsNet?: boolean };

const OPS: Readonly<Record<number, Op>> = { 0: '==', 1: '!=', 2: '<', 3: '<=', 4: '>', 5: '>=' };
const LL = 0, NET = 1, TH = 2;

/** nft's meta keys: name, datatype, size in bits. */
export const META: Readonly<Record<number, readonly [string, () => Datatype, number]>> = {
  0: ['length', () => integer(32, true), 32], 1: ['protocol', () => dtype('ether_type'), 16], 2: ['priority', () => dtype('classid'), 32],
  3: ['mark', () => dtype('mark'), 32], 4: ['iif', () => dtype('iface_index'), 32], 5: ['oif', () => dtype('iface_index'), 32],
  6: ['iifname', () => dtype('ifname'), 128], 7: ['oifname', () => dtype('ifname'), 128], 8: ['iiftype', () => dtype('iface_type'), 16],
  9: ['oiftype', () => dtype('iface_type'), 16], 10: ['skuid', () => dtype('uid'), 32], 11: ['skgid', () => dtype('gid'), 32],
  12: ['nftrace', () => integer(1), 8], 13: ['rtclassid', () => dtype('realm'), 32], 14: ['secmark', () => integer(32, true), 32],
  15: ['nfproto', () => dtype('nf_proto'), 8], 16: ['l4proto', () => dtype('inet_proto'), 8], 17: ['ibrname', () => dtype('ifname'), 128],
  18: ['obrname', () => dtype('ifname'), 128], 19: ['pkttype', () => dtype('pkt_type'), 8], 20: ['cpu', () => integer(32, true), 32],
  21: ['iifgroup', () => dtype('devgroup'), 32], 22: ['oifgroup', () => dtype('devgroup'), 32], 23: ['cgroup', () => integer(32, true), 32],
  24: ['random', () => integer(32), 32], 25: ['ipsec', () => dtype('boolean'), 8], 26: ['iifkind', () => STRING, 128],
  27: ['oifkind', () => STRING, 128], 28: ['ibrpvid', () => integer(16, true), 16], 29: ['ibrvproto', () => dtype('ether_type'), 16],
  30: ['time', () => dtype('time_date'), 64], 31: ['day', () => dtype('day'), 8], 32: ['hour', () => dtype('hour'), 32],
  33: ['sdif', () => dtype('iface_index'), 32], 34: ['sdifname', () => dtype('ifname'), 128],
};

const num = (b: Buffer, host: boolean): bigint => {
  if (!b.length) return 0n;
  return BigInt('0x' + (host ? Buffer.from(b).reverse() : b).toString('hex'));
};
const bytesOf = (v: bigint, len: number): Buffer => Buffer.from(v.toString(16).padStart(len * 2, '0').slice(-len * 2), 'hex');

/** A constant of type `t` from the register bytes `b`. */
export function constant(t: Datatype, b: Buffer): Expr {
  return { k: 'value', type: t, v: num(b, !!t.host), b };
}

const dataValue = (d: unknown, what: string): Buffer => {
  const v = (d as DataAttrs | undefined)?.value;
  if (!v) throw new Unprintable(`${what}: no value`);
  return v;
};

const bitsOf = (e: Expr): number => (e.k === 'payload' || e.k === 'raw' || e.k === 'meta' || e.k === 'ct' || e.k === 'sel' ? e.bits : 0);

export class Delinearizer {
  readonly regs = new Map<number, RegValue>();
  readonly written = new Map<number, number>();
  clock = 0;
  readonly out: Out[] = [];
  /** Protocol context: the header at each payload base. */
  readonly proto: (string | undefined)[] = [];
  /** The pending dependency match for each base (index into out). */
  readonly deps: (Out | undefined)[] = [];

  constructor(readonly family: string, readonly sets: readonly NftSet[], readonly exprs: readonly ExprAttrs[]) {
    if (family === 'ip') this.proto[NET] = 'ip';
    if (family === 'ip6') this.proto[NET] = 'ip6';
    if (family === 'arp') this.proto[NET] = 'arp';
    if (family === 'bridge' || family === 'netdev') this.proto[LL] = 'ether';
  }

  load(r: number, v: RegValue): void { const k = regIndex(r); this.regs.set(k, v); this.written.set(k, ++this.clock); }
  reg(r: unknown): RegValue {
    const v = this.regs.get(regIndex(r as number));
    if (!v) throw new Unprintable(`register ${String(r)} not loaded`);
    return v;
  }
  emit(s: Rendered, killsNet = false): void { if (killsNet) this.killNet(); this.out.push({ stmt: s, ...(killsNet ? { killsNet } : {}) }); }

  /** The family nft names addresses by (ip or ip6), from the table or the protocol context. */
  l3(): string | undefined { return this.proto[NET]; }

  // -------------------------------------------------------------------------------------
  // Payload naming

  /** Drop the pending `meta nfproto` dependency (an expression that implies the network protocol). */
  killNet(): void {
    const d = this.deps[NET];
    if (d && 'match' in d && d.match.left.k === 'meta' && d.match.left.key === 'nfproto') this.#kill(NET);
  }

  #kill(base: number): void {
    const d = this.deps[base];
    if (!d) return;
    const i = this.out.indexOf(d);
    if (i >= 0) this.out.splice(i, 1);
    this.deps[base] = undefined;
  }

  /** Whether the dependency recorded for `base` is one nft would have added itself (and so drops). */
  #implied(base: number): boolean {
    const d = this.deps[base];
    if (!d || !('match' in d)) return false;
    const left = d.match.left;
    if (base === TH) {
      if (left.k === 'meta') return true;
      // `ip protocol tcp` before `tcp dport` also says "IPv4" in inet, bridge and netdev tables.
      return this.family === 'ip' || this.family === 'ip6';
    }
    return true;
  }

  /** The header proto at `base` for a load, following vlan inside ether. */
  #protoAt(base: number, offset: number): Proto | undefined {
    let name = this.proto[base];
    if (base === TH && !name) name = 'th';
    if (base === LL && name === 'ether' && offset >= 14 && this.proto[LL + 10] === 'vlan') name = 'vlan';
    return name ? PROTOS[name] : undefined;
  }

  /** Name a load: the fields it covers. `mask`: the bitwise mask applied, if any. */
  fields(l: Load, mask?: Buffer): { fields: { f: Field; proto: Proto; shift: number }[]; raw?: boolean } {
    const p = this.#protoAt(l.base, l.offset);
    const start = l.offset * 8;
    const total = l.len * 8;
    if (p) {
      let from = 0, to = total;
      if (mask) {
        const bits: number[] = [];
        for (let i = 0; i < total; i++) if (mask[i >> 3]! & (0x80 >> (i & 7))) bits.push(i);
        if (bits.length && bits[bits.length - 1]! - bits[0]! + 1 === bits.length) { from = bits[0]!; to = bits[bits.length - 1]! + 1; }
      }
      const exact = p.fields.find((x) => x.offset === start + from && x.bits === to - from);
      if (exact) return { fields: [{ f: exact, proto: p, shift: total - to }] };
      if (!mask) {
        // Several adjacent fields merged into one load (nft merges matches on neighbouring fields).
        const out: { f: Field; proto: Proto; shift: number }[] = [];
        for (let at = start; at < start + total;) {
          const f = p.fields.find((x) => x.offset === at && x.bits % 8 === 0);
          if (!f || f.offset + f.bits > start + total) break;
          out.push({ f, proto: p, shift: 0 });
          at += f.bits;
          if (at === start + total) return { fields: out };
        }
        // A load shorter than its field: a prefix of it.
        const longer = p.fields.find((x) => x.offset === start && x.bits > total);
        if (longer) return { fields: [{ f: longer, proto: p, shift: -1 }] };
      }
    }
    return { fields: [], raw: true };
  }

  /** Record what a payload expression implies and drop the dependency nft would have added. */
  used(e: Expr): void {
    if (e.k === 'payload') {
      if (e.base === TH && this.#implied(TH)) {
        // `icmp` / `icmpv6` say which IP version too: nft drops the `meta nfproto` before them.
        const d = this.deps[TH];
        const v = d && 'match' in d && d.match.right.k === 'value' ? Number(d.match.right.v) : -1;
        this.#kill(TH);
        if ((this.family === 'inet' || this.family === 'bridge' || this.family === 'netdev') && (v === 1 || v === 58)) this.killNet();
      } else if (this.#implied(e.base)) this.#kill(e.base);
      // Fields only valid for one ICMP type (`icmpv6 mtu`) depend on the type match before them.
      if ((e.proto === 'icmp' || e.proto === 'icmpv6') && e.field === 'mtu') {
        const last = this.out[this.out.length - 1];
        if (last && 'match' in last && last.match.op === '==' && last.match.left.k === 'payload' && last.match.left.proto === e.proto && last.match.left.field === 'type') this.out.pop();
      }
    } else if (e.k === 'concat') e.parts.forEach((p) => this.used(p));
    else if (e.k === 'binop') this.used(e.l);
    else if (e.k === 'map') this.used(e.key);
  }

  /** The expression a register holds, payload loads named (one field). */
  expr(v: RegValue): Expr {
    if (v.k !== 'load') return v;
    const r = this.fields(v);
    if (r.fields.length === 1 && r.fields[0]!.shift === 0) return this.payloadExpr(r.fields[0]!.f, r.fields[0]!.proto);
    return { k: 'raw', base: v.base, offset: v.offset * 8, bits: v.len * 8, type: integer(v.len * 8) };
  }

  payloadExpr(f: Field, p: Proto): Expr {
    return { k: 'payload', proto: p.name, field: f.name, type: f.type, bits: f.bits, base: p.base };
  }

  /** Record a match as the protocol context and as a dependency, when it is one. */
  #context(m: Match, out: Out): void {
    if (m.op !== '==' || m.right.k !== 'value') return;
    const l = m.left, v = Number(m.right.v);
    if (l.k === 'meta' && l.key === 'nfproto') { this.proto[NET] = L3_BY_NFPROTO[v]; this.deps[NET] = out; }
    else if (l.k === 'meta' && l.key === 'protocol') { this.proto[NET] = L3_BY_ETHERTYPE[v]; this.deps[NET] = out; }
    else if (l.k === 'payload' && l.proto === 'ether' && l.field === 'type') {
      if (v === 0x8100 || v === 0x88a8) { this.proto[LL + 10] = 'vlan'; this.deps[LL] = out; } else { this.proto[NET] = L3_BY_ETHERTYPE[v]; this.deps[NET] = out; }
    } else if (l.k === 'payload' && l.proto === 'vlan' && l.field === 'type') { this.proto[NET] = L3_BY_ETHERTYPE[v]; this.deps[NET] = out; }
    else if (l.k === 'meta' && l.key === 'iiftype' && v === 1) { this.proto[LL] = 'ether'; this.deps[LL] = out; }
    else if (l.k === 'meta' && l.key === 'l4proto') { this.proto[TH] = L4_BY_PROTO[v]; this.deps[TH] = out; }
    else if (l.k === 'payload' && ((l.proto === 'ip' && l.field === 'protocol') || (l.proto === 'ip6' && l.field === 'nexthdr'))) { this.proto[TH] = L4_BY_PROTO[v]; this.deps[TH] = out; }
  }

  match(left: Expr, op: Op, right: Expr): void {
    this.used(left);
    const m: Match = { left, op, right };
    const out: Out = { match: m };
    this.out.push(out);
    this.#context(m, out);
  }

  // -------------------------------------------------------------------------------------
  // Relational expressions

  /** cmp (and a following cmp making a range) on a register. */
  cmp(d: Record<string, any>, i: number): number {
    const src = this.reg(d['sreg']);
    const bytes = dataValue(d['data'], 'cmp');
    let op = OPS[d['op']];
    if (!op) throw new Unprintable('cmp op');
    // `>= a` then `<= b` on the same register: a range.
    const next = this.exprs[i + 1];
    const nd = next?.data as Record<string, any> | undefined;
    let hi: Buffer | undefined;
    let used = 0;
    if (op === '>=' && next?.name === 'cmp' && nd?.['sreg'] === d['sreg'] && nd?.['op'] === 3) { hi = dataValue(nd['data'], 'cmp'); used = 1; }
    this.relational(src, op, bytes, hi);
    return used;
  }

  /** A comparison of a register value with a constant (or a range lo..hi), named as nft would print it. */
  relational(src: RegValue, op: Op, bytes: Buffer, hi?: Buffer, neqRange = false): void {
    const rangeOr = (t: Datatype, lo: Buffer, shift = 0): Expr => {
      const c = (b: Buffer): Expr => (shift ? this.shifted(t, b, shift) : constant(t, b));
      return hi ? { k: 'range', lo: c(lo), hi: c(hi) } : c(lo);
    };
    if (neqRange) op = '!=';
    else if (hi) op = '==';
    if (src.k === 'load') {
      const r = this.fields(src);
      if (r.fields.length > 1 && op === '==' && !hi) {
        let off = 0;
        for (const { f, proto } of r.fields) {
          const n = f.bits / 8;
          this.match(this.payloadExpr(f, proto), '==', constant(f.type, bytes.subarray(off, off + n)));
          off += n;
        }
        return;
      }
      if (r.fields.length === 1 && r.fields[0]!.shift === -1) {
        const { f, proto } = r.fields[0]!;
        const full = Buffer.alloc(f.bits / 8);
        bytes.copy(full);
        this.match(this.payloadExpr(f, proto), op, { k: 'prefix', e: constant(f.type, full), len: src.len * 8 });
        return;
      }
      const left = this.expr(src);
      this.match(left, op, rangeOr(typeOf(left)!, bytes));
      return;
    }
    if (src.k === 'binop' && src.op === '&' && (src as any).$load) {
      this.maskedLoad((src as any).$load as Load, (src as any).$mask as Buffer, op, bytes, hi);
      return;
    }
    if (src.k === 'binop' && src.op === '&' && src.l.k === 'sel' && (src.l as any).$fields && src.r.k === 'value') {
      const f = bitfield((src.l as any).$fields, (src.l as any).$offset, src.r.b);
      if (f) {
        const [text, json, type, shift] = f;
        this.match({ k: 'sel', text, json, type, bits: type.bits }, op, this.shifted(type, bytes, shift));
        return;
      }
    }
    if (src.k === 'binop' && src.op === '&' && src.r.k === 'value') {
      const t = typeOf(src.l)!;
      if (t.bitmask && !hi && (op === '==' || op === '!=') && num(bytes, false) === 0n) {
        // `ct state established,related`: & mask != 0 is a flag test; & mask == 0 its negation.
        this.match(src.l, op === '!=' ? 'in' : '!=', src.r);
        return;
      }
      this.match({ ...src, r: constant(t, src.r.b) }, op, rangeOr(t, bytes));
      return;
    }
    const t = typeOf(src);
    if (!t) throw new Unprintable('comparison of an untyped value');
    this.match(src, op, rangeOr(t, bytes));
  }

  /** A value of a bitfield: the register bytes shifted down to the field. */
  shifted(t: Datatype, b: Buffer, shift: number): Expr {
    const v = num(b, false) >> BigInt(shift);
    return { k: 'value', type: t, v, b: bytesOf(v, Math.max(1, Math.ceil(t.bits / 8))) };
  }

  /** A comparison of `load & mask`: a bitfield (`ip dscp`), a prefix (`ip saddr 10.0.0.0/8`) or a masked field. */
  maskedLoad(l: Load, mask: Buffer, op: Op, bytes: Buffer, hi?: Buffer): void {
    const r = this.fields(l, mask);
    if (r.fields.length === 1 && r.fields[0]!.shift >= 0 && r.fields[0]!.f.bits !== l.len * 8) {
      const { f, proto, shift } = r.fields[0]!;
      const left = this.payloadExpr(f, proto);
      const v = this.shifted(f.type, bytes, shift);
      this.match(left, op, hi ? { k: 'range', lo: v, hi: this.shifted(f.type, hi, shift) } : v);
      return;
    }
    const whole = this.fields(l);
    const field = whole.fields.length === 1 && whole.fields[0]!.shift === 0 ? whole.fields[0]! : undefined;
    const left: Expr = field ? this.payloadExpr(field.f, field.proto) : this.expr(l);
    const t = typeOf(left)!;
    // A prefix mask on an address: `ip saddr 192.168.1.0/24`.
    const ones = prefixLen(mask);
    if (field && ones !== undefined && !t.bitmask && (t.name.endsWith('_addr')) && !hi) {
      this.match(left, op, { k: 'prefix', e: constant(t, bytes), len: ones });
      return;
    }
    if (t.bitmask && !hi && (op === '==' || op === '!=') && num(bytes, false) === 0n) {
      this.match(left, op === '!=' ? 'in' : '!=', constant(t, mask));
      return;
    }
    this.match({ k: 'binop', op: '&', l: left, r: constant(t, mask) }, op, hi ? { k: 'range', lo: constant(t, bytes), hi: constant(t, hi) } : constant(t, bytes));
  }

  // -------------------------------------------------------------------------------------
  // Lookups

  /** The key a lookup/dynset reads from `sreg`: one expression, or the components of a concatenation. */
  key(sreg: number, keyLen: number | undefined): Expr[] {
    const first = this.reg(sreg);
    const comps: RegValue[] = [first];
    let words = (this.len(first) + 3) >> 2;
    const base = regIndex(sreg);
    for (let prev = base; keyLen === undefined || words * 4 < keyLen;) {
      const next = base + words;
      const v = this.regs.get(next);
      if (!v || (this.written.get(next) ?? 0) <= (this.written.get(prev) ?? 0)) break;
      comps.push(v);
      words += (this.len(v) + 3) >> 2;
      prev = next;
    }
    return comps.map((c) => this.keyExpr(c));
  }

  keyExpr(c: RegValue): Expr {
    if (c.k === 'load') return this.expr(c);
    if (c.k === 'binop' && (c as any).$load) {
      const l = (c as any).$load as Load;
      const r = this.fields(l, (c as any).$mask);
      if (r.fields.length === 1 && r.fields[0]!.shift >= 0) {
        const e = this.payloadExpr(r.fields[0]!.f, r.fields[0]!.proto);
        return r.fields[0]!.shift ? { ...e, $shift: r.fields[0]!.shift } as unknown as Expr : e;
      }
    }
    return c;
  }

  /** Bytes a register value occupies. */
  len(v: RegValue): number {
    if (v.k === 'load') return v.len;
    if (v.k === 'imm') return v.b.length;
    if (v.k === 'value') return v.b.length;
    if (v.k === 'binop') return (v as any).$len ?? this.len(v.l as RegValue);
    if (v.k === 'concat') return v.parts.reduce((n, p) => n + ((this.len(p) + 3) & ~3), 0);
    if (v.k === 'map') return (v as any).$len ?? 4;
    return Math.ceil(bitsOf(v) / 8);
  }

  set(name: string): NftSet | undefined {
    return this.sets.find((s) => s.name === name);
  }

  /** The right side of a lookup: `@name`, or an anonymous set's elements typed by the key. */
  setExpr(name: string, key: readonly Expr[], forMap = false): Expr {
    if (!name.startsWith('__')) return { k: 'setref', name };
    const s = this.set(name);
    if (!s) throw new Unprintable(`anonymous set ${name} not listed`);
    const types = key.map((k) => typeOf(k) ?? INTEGER);
    const lens = key.map((k) => ((k as any).$shift ? Math.ceil((bitsOf(k) + (k as any).$shift) / 8) : this.len(k as RegValue)));
    const shifts = key.map((k) => ((k as any).$shift as number | undefined) ?? 0);
    void forMap;
    return { k: 'set', elems: setElements(s, types, lens, { anonymous: true, shifts }) };
  }

  /** The key as one expression (a concatenation when it has several components). */
  static keyOf(parts: readonly Expr[]): Expr {
    return parts.length === 1 ? parts[0]! : { k: 'concat', parts };
  }

  // -------------------------------------------------------------------------------------

  run(): Out[] {
    for (let i = 0; i < this.exprs.length; i++) {
      const e = this.exprs[i]!;
      if (Buffer.isBuffer(e.data)) throw new Unprintable(`expression ${e.name} not laid out`);
      i += statement(this, e.name ?? '', (e.data ?? {}) as Record<string, any>, i);
    }
    return this.out;
  }
}

/** The field of an extension header a masked load selects: [text, json, type, shift]. */
function bitfield(fields: { prefix: string; kw: string; name: string; list: Record<string, [number, number, Datatype?]> }, offset: number, mask: Buffer): [string, Json, Datatype, number] | undefined {
  const total = mask.length * 8;
  const bits: number[] = [];
  for (let i = 0; i < total; i++) if (mask[i >> 3]! & (0x80 >> (i & 7))) bits.push(i);
  if (!bits.length) return undefined;
  const from = offset + bits[0]!, len = bits[bits.length - 1]! - bits[0]! + 1;
  const f = Object.entries(fields.list).find(([, [o, b]]) => o === from && b === len);
  if (!f) return undefined;
  return [`${fields.prefix}${f[0]}`, { [fields.kw]: { name: fields.name, field: f[0] } }, f[1][2] ?? integer(len), total - (bits[bits.length - 1]! + 1)];
}

/** A register as its 32-bit register index (NFT_REG_1 = NFT_REG32_00..03, NFT_REG_2 = 04..07, …). */
export const regIndex = (r: number): number => (r >= NFT_REG32_00 ? r - NFT_REG32_00 : r === 0 ? -1 : (r - 1) * 4);

/** The number of leading one bits of a prefix mask, or undefined if it is not one. */
export function prefixLen(mask: Buffer): number | undefined {
  let n = 0, zero = false;
  for (const b of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      if (b & (1 << bit)) { if (zero) return undefined; n++; } else zero = true;
    }
  }
  return n;
}

export const verdictOf = (d: DataAttrs['verdict']): Expr => {
  const code = d?.code;
  const name = code === undefined ? 'continue' : VERDICT_NAMES[code] ?? String(code);
  return d?.chain !== undefined ? { k: 'verdict', code: name, chain: d.chain } : { k: 'verdict', code: name };
};

/** Render the delinearized statements (matches and statements) both ways. */
export function renderOut(out: readonly Out[]): Rendered[] {
  return out.map((o) => ('stmt' in o ? o.stmt : renderMatch(o.match)));
}

function renderMatch(m: Match): Rendered {
  const json: Json = { match: { op: m.op, left: exprJson(m.left), right: exprJson(m.right) } };
  const l = m.left;
  // `tcp flags syn / fin,syn,rst,ack`: a masked flag match on a payload field.
  if (l.k === 'binop' && l.op === '&' && l.l.k === 'payload' && l.l.type.bitmask && m.op === '==' && m.right.k === 'value') {
    return { text: `${exprText(l.l)} ${exprText(m.right)} / ${exprText(l.r)}`, json };
  }
  const rt = typeOf(m.right);
  let op: string;
  if (m.op === 'in') op = '';
  else if (m.op === '==') op = (rt?.bitmask && m.right.k === 'value') || l.k === 'binop' ? '== ' : '';
  else op = `${m.op} `;
  return { text: `${exprText(l)} ${op}${exprText(m.right)}`, json };
}

export { NFT_REG_VERDICT, LL, NET, TH };
