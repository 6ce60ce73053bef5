/**
 * How RuleBuilder compiles set and map matches as nft 1.0 does: `KEY @SET` / `KEY { … }`
 * (a one-element list becomes the plain match; more become an anonymous set, an interval set
 * if any element is a prefix or range), `KEY vmap { … }`, `dnat to KEY map { … }`; a list of
 * keys is a concatenation. The builder hands in a sink to its expressions and dependencies.
 */
import { ANON_MAP_NAME, ANON_SET_NAME, type AnonymousSet, anonymousSet } from './anonymous.js';
import { NFPROTO_IPV4, NFPROTO_IPV6, NFT_REG_1, NFT_REG32_00, NFT_REG32_15, NFT_REG_VERDICT } from './constants.js';
import type { ExprAttrs } from './expr.schema.js';
import { NFT_CMP_EQ, NFT_CMP_GTE, NFT_CMP_LTE, NFT_CMP_NEQ } from './expr/cmp.js';
import type { Verdict } from './expr/immediate.js';
import { NFT_LOOKUP_F_INV } from './expr/lookup.js';
import type { FamilyName } from './family.js';
import { cmp } from './rule-exprs.js';
import { type KeyValue, type MapEntry, keySpan, needsInterval } from './set-elements.js';
import { type LookupKey, type SetKeyName, lookupKey } from './set-keys.js';
import { encodeElement } from './set-types.js';

export interface SetMatchOptions {
  /** `!=`. */
  readonly neq?: boolean;
}

/** The parts of a RuleBuilder the set compilers use. */
export interface SetRuleSink {
  readonly family: FamilyName;
  push(...e: ExprAttrs[]): void;
  /** Match `meta nfproto` first where the table family needs it (once per rule). */
  nfproto(v6: boolean, field: string): void;
  /** `meta l4proto` (once per rule). */
  l4proto(proto: 'tcp' | 'udp'): void;
  /** `ip saddr|daddr PREFIX` as the builder compiles it. */
  addr(cidr: string, which: 'saddr' | 'daddr', opts: SetMatchOptions, v6: boolean): void;
  addSet(s: AnonymousSet): void;
}

/** The lookup expression, attributes in nft's order (NftBatch adds NFTA_LOOKUP_SET_ID after the name). */
function lookupExpr(set: string, opts: SetMatchOptions, dreg?: number): ExprAttrs {
  if (typeof set !== 'string' || !set) throw new TypeError('lookup: expected a set name');
  const name = set.startsWith('@') ? set.slice(1) : set;
  return { name: 'lookup', data: { sreg: NFT_REG_1, ...(dreg !== undefined ? { dreg } : {}), set: name, ...(opts.neq ? { flags: NFT_LOOKUP_F_INV } : {}) } };
}

/**
 * Load a lookup key into registers, after its fields' dependency matches: the first field
 * into register 1, each further field of a concatenation into the next 32-bit registers
 * (NFT_REG32_00 + the 4-byte-rounded length before it), as nft does.
 */
function loadKey(sink: SetRuleSink, k: LookupKey): void {
  for (const f of k.fields) {
    if (f.l3) sink.nfproto(f.l3 === 6, f.name);
    if (f.l4) sink.l4proto(f.l4);
  }
  let words = 0;
  for (const f of k.fields) {
    const dreg = words === 0 ? NFT_REG_1 : NFT_REG32_00 + words;
    if (dreg > NFT_REG32_15) throw new RangeError(`${k.name}: the concatenation does not fit the registers`);
    const len = f.payload ? f.payload.len : 4;
    sink.push(f.payload ? { name: 'payload', data: { dreg, base: f.payload.base, offset: f.payload.offset, len } } : { name: 'meta', data: { key: f.meta!, dreg } });
    words += (len + 3) >> 2;
  }
}

/** A one-element set: nft compiles it as the plain match (`==`/`!=`, a prefix, or `>=`/`<=` for a range). */
function single(sink: SetRuleSink, key: LookupKey, e: KeyValue, opts: SetMatchOptions): void {
  const k = key.fields[0]!;
  const field = `${k.name}[0]`;
  const span = keySpan(k.type, e, field);
  const prefix = typeof e === 'string' && e.includes('/') ? e : e && typeof e === 'object' && 'prefix' in e ? `${e.prefix.addr}/${e.prefix.len}` : undefined;
  if (prefix !== undefined && k.l3) {
    sink.addr(prefix, k.payload!.offset === (k.l3 === 4 ? 12 : 8) ? 'saddr' : 'daddr', opts, k.l3 === 6);
    return;
  }
  if (span.single) {
    const bytes = encodeElement(k.type, typeof e === 'object' && 'range' in e ? e.range[0] : e, field);
    loadKey(sink, key);
    sink.push(cmp(opts.neq ? NFT_CMP_NEQ : NFT_CMP_EQ, bytes));
    return;
  }
  if (opts.neq) throw new RangeError(`${k.name}: != with a range is not supported here`);
  const r = (e as { range: readonly [string | number, string | number] }).range;
  const lo = encodeElement(k.type, r[0], field), hi = encodeElement(k.type, r[1], field);
  loadKey(sink, key);
  sink.push(cmp(NFT_CMP_GTE, lo), cmp(NFT_CMP_LTE, hi));
}

/** `KEY @SET` or `KEY { E1, E2, … }`. */
export function compileIn(sink: SetRuleSink, key: SetKeyName | readonly SetKeyName[], set: string | readonly KeyValue[], opts: SetMatchOptions): void {
  const k = lookupKey(key, 'in.key');
  if (typeof set === 'string') {
    const e = lookupExpr(set, opts);
    loadKey(sink, k);
    sink.push(e);
    return;
  }
  if (!Array.isArray(set) || set.length === 0) throw new TypeError(`${k.name}: expected a set name or a non-empty array of elements`);
  const interval = needsInterval(k.type, set, k.name);
  if (set.length === 1 && !k.concat) { single(sink, k, set[0]!, opts); return; }
  const anon = anonymousSet(k, set, interval, k.name);
  loadKey(sink, k);
  sink.addSet(anon);
  sink.push(lookupExpr(ANON_SET_NAME, opts));
}

/** `KEY vmap @MAP` or `KEY vmap { K1 : VERDICT, … }`. */
export function compileVmap(sink: SetRuleSink, key: SetKeyName | readonly SetKeyName[], map: string | readonly (readonly [KeyValue, Verdict])[]): void {
  const k = lookupKey(key, 'vmap.key');
  const anon = typeof map === 'string' ? undefined : anonymousSet(k, map, false, `${k.name} vmap`, 'verdict');
  const e = lookupExpr(anon ? ANON_MAP_NAME : map as string, {}, NFT_REG_VERDICT);
  loadKey(sink, k);
  if (anon) sink.addSet(anon);
  sink.push(e);
}

/** `dnat|snat to KEY map @MAP` or `… map { K1 : ADDR, … }` (ip and ip6 tables: the address family is the table's). */
export function compileNatMap(sink: SetRuleSink, type: number, key: SetKeyName | readonly SetKeyName[], map: string | readonly MapEntry[], field: string): void {
  const k = lookupKey(key, `${field}.key`);
  if (sink.family !== 'ip' && sink.family !== 'ip6') throw new RangeError(`${field}: address maps are built for ip and ip6 tables only`);
  const v6 = sink.family === 'ip6';
  const anon = typeof map === 'string' ? undefined : anonymousSet(k, map, false, `${field} map`, v6 ? 'ipv6_addr' : 'ipv4_addr');
  const e = lookupExpr(anon ? ANON_MAP_NAME : map as string, {}, NFT_REG_1);
  loadKey(sink, k);
  if (anon) sink.addSet(anon);
  sink.push(e, { name: 'nat', data: { type, family: v6 ? NFPROTO_IPV6 : NFPROTO_IPV4, regAddrMin: NFT_REG_1 } } as ExprAttrs);
}
