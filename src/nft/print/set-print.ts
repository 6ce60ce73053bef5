/**
 * Sets and maps as nft prints them: the key and data types (`type ipv4_addr . inet_service`,
 * or `typeof ip saddr` from the set userdata), the declaration lines (policy, size, flags,
 * timeout, gc-interval, auto-merge, expressions, comment), and the elements — intervals joined
 * back into prefixes and ranges (interval concatenations from NFTA_SET_ELEM_KEY_END), map data,
 * verdicts, object names, element timeouts, expiries, comments and counters, sorted and
 * wrapped as nft wraps them.
 */
import { NFT_SET_ELEM_INTERVAL_END, NFT_SET_INTERVAL, NFT_SET_MAP, NFT_SET_OBJECT } from '../constants.js';
import { NFT_DATA_VERDICT } from '../constants.js';
import type { NftSet } from '../set.js';
import type { SetElemAttrs } from '../set.schema.js';
import { parseUdata } from '../userdata.js';
import { type Datatype, type Json, INTEGER, STRING, dtype, dtypeById, integer } from './datatype.js';
import { PROTOS } from './proto.js';
import { type Expr, type Rendered, Unprintable, exprJson, exprText, timeMs } from './tree.js';
import { META, constant, verdictOf } from './delinearize.js';
import { nestedStmt } from './statements.js';

const round4 = (n: number): number => (n + 3) & ~3;
const num = (b: Buffer, host: boolean): bigint => (b.length ? BigInt('0x' + (host ? Buffer.from(b).reverse() : b).toString('hex')) : 0n);
const fromBig = (n: bigint, len: number): Buffer => Buffer.from(n.toString(16).padStart(len * 2, '0').slice(-len * 2), 'hex');

/** nft's `enum proto_desc_id` (src/proto.h) → protocol name, as typeof userdata records it. */
const PROTO_DESC: Readonly<Record<number, string>> = {
  1: 'ah', 2: 'esp', 3: 'comp', 4: 'icmp', 5: 'igmp', 6: 'udp', 7: 'udplite', 8: 'tcp', 9: 'dccp', 10: 'sctp', 11: 'th', 12: 'ip', 13: 'ip6',
  14: 'icmpv6', 15: 'arp', 16: 'vlan', 17: 'ether',
};

export interface KeyPart { readonly text: string; readonly json: Json; readonly type: Datatype; readonly len: number }

const u32 = (b: Buffer | undefined): number | undefined => (b && b.length >= 4 ? b.readUInt32LE(0) : undefined);

/** A typeof (NFTNL_UDATA_SET_KEY_TYPEOF / DATA_TYPEOF) as the expressions it names. */
export function parseTypeof(buf: Buffer): KeyPart[] | undefined {
  try {
    const tlv = parseUdata(buf);
    const kind = u32(tlv.find((t) => t.type === 0)?.value);
    const data = tlv.find((t) => t.type === 1)?.value;
    if (kind === undefined || !data) return undefined;
    const inner = parseUdata(data);
    if (kind === 13) {
      const parts = inner.map((t) => parseTypeof(t.value));
      return parts.every((p) => p && p.length === 1) ? parts.map((p) => p![0]!) : undefined;
    }
    if (kind === 7) {
      const proto = PROTOS[PROTO_DESC[u32(inner.find((t) => t.type === 0)?.value) ?? -1] ?? ''];
      const f = proto?.fields[(u32(inner.find((t) => t.type === 1)?.value) ?? 0) - 1];
      if (!proto || !f) return undefined;
      return [{ text: `${proto.name} ${f.name}`, json: { payload: { protocol: proto.name, field: f.name } }, type: f.type, len: Math.ceil(f.bits / 8) }];
    }
    if (kind === 9) {
      const m = META[u32(inner.find((t) => t.type === 0)?.value) ?? -1];
      if (!m) return undefined;
      const unq = ['iif', 'oif', 'iifname', 'oifname', 'iifgroup', 'oifgroup'].includes(m[0]);
      return [{ text: unq ? m[0] : `meta ${m[0]}`, json: { meta: { key: m[0] } }, type: m[1](), len: m[2] / 8 }];
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** `enum nftnl_udata_set_types`. */
const UD_KEYBYTEORDER = 0, UD_MERGE = 2, UD_KEY_TYPEOF = 3, UD_DATA_TYPEOF = 4, UD_COMMENT = 7;

function udata(s: NftSet): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  const u = s.attrs?.userdata;
  if (!u) return out;
  try { for (const t of parseUdata(u)) out.set(t.type, t.value); } catch { /* not libnftnl userdata */ }
  return out;
}

/** The component datatypes of a key or data type id (6 bits each for a concatenation). */
export function typesOfId(id: number, len: number): Datatype[] | undefined {
  const one = dtypeById(id);
  if (one && (one.bits === 0 || Math.ceil(one.bits / 8) === len || id === 5)) return [one];
  const parts: Datatype[] = [];
  for (let rest = id; rest > 0; rest = Math.floor(rest / 64)) {
    const t = dtypeById(rest % 64);
    if (!t) return undefined;
    parts.unshift(t);
  }
  return parts.length ? parts : undefined;
}

/** The key of a named set: from its typeof when nft recorded one, else from the type id. */
export function setKeyTypes(s: NftSet): { parts: KeyPart[]; typeof: boolean } {
  const ud = udata(s);
  const tof = ud.get(UD_KEY_TYPEOF);
  const parsed = tof ? parseTypeof(tof) : undefined;
  if (parsed && parsed.length) return { parts: parsed, typeof: true };
  const types = typesOfId(s.keyType, s.keyLen);
  if (!types) throw new Unprintable(`set ${s.name}: key type ${s.keyType}`);
  if (types.length === 1) return { parts: [{ text: types[0]!.name, json: types[0]!.name, type: types[0]!, len: s.keyLen }], typeof: false };
  return { parts: types.map((t) => ({ text: t.name, json: t.name, type: t, len: Math.ceil(t.bits / 8) })), typeof: false };
}

function dataTypes(s: NftSet): { parts: KeyPart[]; typeof: boolean; verdict?: boolean } | undefined {
  if (s.dataType === undefined) return undefined;
  if (s.dataType === NFT_DATA_VERDICT) return { parts: [{ text: 'verdict', json: 'verdict', type: INTEGER, len: 4 }], typeof: false, verdict: true };
  const tof = udata(s).get(UD_DATA_TYPEOF);
  const parsed = tof ? parseTypeof(tof) : undefined;
  if (parsed && parsed.length) return { parts: parsed, typeof: true };
  const types = typesOfId(s.dataType, s.dataLen ?? 0);
  if (!types) throw new Unprintable(`map ${s.name}: data type ${s.dataType}`);
  if (types.length === 1) return { parts: [{ text: types[0]!.name, json: types[0]!.name, type: types[0]!, len: s.dataLen ?? 4 }], typeof: false };
  return { parts: types.map((t) => ({ text: t.name, json: t.name, type: t, len: Math.ceil(t.bits / 8) })), typeof: false };
}

/** A datatype whose values are stored shifted left by `n` bits. */
function shiftedType(t: Datatype, n: number): Datatype {
  return { ...t, text: (v, b) => t.text(v >> BigInt(n), b), json: (v, b) => t.json(v >> BigInt(n), b) };
}

const ADDR = new Set(['ipv4_addr', 'ipv6_addr', 'ether_addr']);

/** A key component span lo..hi of type t: a value, a prefix (addresses), or a range. */
function spanExpr(t: Datatype, lo: Buffer, hi: Buffer): Expr {
  const a = num(lo, !!t.host), b = num(hi, !!t.host);
  if (a === b) return constant(t, lo);
  const size = b - a + 1n;
  if (ADDR.has(t.name) && (size & (size - 1n)) === 0n && (a & (size - 1n)) === 0n) {
    return { k: 'prefix', e: constant(t, lo), len: lo.length * 8 - (size.toString(2).length - 1) };
  }
  return { k: 'range', lo: constant(t, lo), hi: constant(t, hi) };
}

function splitKey(types: readonly Datatype[], lens: readonly number[], b: Buffer): Buffer[] {
  if (types.length === 1) return [b];
  const out: Buffer[] = [];
  let off = 0;
  for (const l of lens) { out.push(b.subarray(off, off + l)); off += round4(l); }
  return out;
}

function keyExpr(types: readonly Datatype[], lens: readonly number[], lo: Buffer, hi?: Buffer): Expr {
  const los = splitKey(types, lens, lo), his = hi ? splitKey(types, lens, hi) : los;
  const parts = types.map((t, i) => spanExpr(t, los[i]!, his[i]!));
  return parts.length === 1 ? parts[0]! : { k: 'concat', parts };
}

/** Element extras: timeout, expiry, nested statements, comment. */
function decorate(e: Expr, el: SetElemAttrs, s: NftSet): Expr {
  let comment: string | undefined;
  if (el.userdata) {
    try {
      const c = parseUdata(el.userdata).find((t) => t.type === 0);
      if (c) { const n = c.value.indexOf(0); comment = c.value.toString('utf8', 0, n < 0 ? c.value.length : n); }
    } catch { /* no comment */ }
  }
  const stmts = [...(el.expressions ?? []), ...(el.expr ? [el.expr] : [])].map((x) => nestedStmt(undefined, x as { name?: string; data?: unknown }));
  const timeout = el.timeout !== undefined && el.timeout !== s.attrs?.timeout ? el.timeout : undefined;
  if (timeout === undefined && el.expiration === undefined && comment === undefined && !stmts.length) return e;
  return {
    k: 'elem', e, ...(timeout !== undefined ? { timeout } : {}), ...(el.expiration !== undefined ? { expires: el.expiration } : {}),
    ...(comment !== undefined ? { comment } : {}), ...(stmts.length ? { stmts } : {}),
  };
}

/**
 * The elements of a set as expressions, sorted as nft prints them. `types`/`lens`: the key
 * components' datatypes and byte lengths (from the rule's key for an anonymous set, from the
 * set for a named one).
 */
export function setElements(s: NftSet, types: readonly Datatype[], lens: readonly number[], o: { anonymous: boolean; shifts?: readonly number[] }): Expr[] {
  const raw = s.rawElements ?? [];
  if (o.shifts?.some((x) => x)) {
    // A bitfield key (`ip dscp { cs1, ef }`): the elements hold the field where it sits in its byte.
    const sh = o.shifts;
    types = types.map((t, i) => (sh[i] ? shiftedType(t, sh[i]!) : t));
  }
  const isMap = (s.flags & NFT_SET_MAP) !== 0, isObj = (s.flags & NFT_SET_OBJECT) !== 0;
  const dt = dataTypes(s);
  const data = (el: SetElemAttrs): Expr | undefined => {
    if (isObj) return el.objref !== undefined ? { k: 'value', type: STRING, v: 0n, b: Buffer.from(el.objref) } : undefined;
    if (!isMap) return undefined;
    if (el.data?.verdict) return verdictOf(el.data.verdict);
    const v = el.data?.value;
    if (!v || !dt) throw new Unprintable(`map ${s.name}: element data`);
    const ts = dt.parts.map((p) => p.type);
    const ls = dt.parts.map((p) => p.len);
    const parts = splitKey(ts, ls, v).map((b, i) => constant(ts[i]!, b));
    return parts.length === 1 ? parts[0]! : { k: 'concat', parts };
  };
  const withData = (k: Expr, el: SetElemAttrs): Expr => {
    const d = data(el);
    const e = d ? { k: 'mapping' as const, key: decorate(k, el, s), data: d } : decorate(k, el, s);
    return e;
  };
  const host = types.length === 1 && !!types[0]!.host;
  const sortKey = (b: Buffer | undefined): bigint => (b ? num(b, host) : 0n);
  const items = raw.filter((e) => !((e.flags ?? 0) & 4)).map((e) => ({ e, n: sortKey(e.key?.value), end: ((e.flags ?? 0) & NFT_SET_ELEM_INTERVAL_END) !== 0 }));
  // Interval concatenations (pipapo) print in the kernel's order; the rest sorted by key.
  const concatInterval = (s.flags & NFT_SET_INTERVAL) !== 0 && (types.length > 1 || items.some((x) => x.e.keyEnd));
  if (!concatInterval) items.sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : Number(b.end) - Number(a.end)));
  if ((s.flags & NFT_SET_INTERVAL) === 0) return items.map(({ e }) => withData(keyExpr(types, lens, e.key?.value ?? Buffer.alloc(0)), e));
  if (types.length > 1 || items.some((x) => x.e.keyEnd)) {
    return items.filter((x) => !x.end).map(({ e }) => withData(keyExpr(types, lens, e.key!.value!, e.keyEnd?.value ?? e.key!.value!), e));
  }
  // One interval per start element; its end is the next INTERVAL_END element minus one.
  const out: Expr[] = [];
  const t = types[0]!;
  const len = s.keyLen;
  const max = (1n << BigInt(len * 8)) - 1n;
  const bytes = (n: bigint): Buffer => { const b = fromBig(n, len); return t.host ? b.reverse() : b; };
  let start: (typeof items)[number] | undefined;
  const close = (hi: bigint): void => { out.push(withData(spanExpr(t, bytes(start!.n), bytes(hi)), start!.e)); start = undefined; };
  for (const it of items) {
    if (it.end) { if (start) close(it.n - 1n); continue; }
    if (start) close(max);
    start = it;
  }
  if (start) close(max);
  return out;
}

const SET_ANON = 1, SET_CONSTANT = 2, SET_INTERVAL = 4, SET_TIMEOUT = 0x10, SET_EVAL = 0x20;

export const isAnonymous = (s: NftSet): boolean => (s.flags & SET_ANON) !== 0;

/** A named set or map block as `nft list ruleset` prints it (lines without the trailing newline). */
export function setBlockText(s: NftSet, handles: boolean): string[] {
  const kw = (s.flags & (NFT_SET_MAP | NFT_SET_OBJECT)) !== 0 ? 'map' : 'set';
  const key = setKeyTypes(s);
  const dt = dataTypes(s);
  const a = s.attrs ?? {};
  const lines = [`\t${kw} ${s.name} {${handles ? ` # handle ${s.handle}` : ''}`];
  const keyText = key.parts.map((p) => p.text).join(' . ');
  let dataText = '';
  if (s.flags & NFT_SET_OBJECT) dataText = ` : ${OBJ_NAMES[a.objType ?? 0] ?? a.objType}`;
  else if (dt) dataText = ` : ${dt.parts.map((p) => p.text).join(' . ')}`;
  lines.push(`\t\t${key.typeof ? 'typeof' : 'type'} ${keyText}${dataText}`);
  if (a.policy === 1) lines.push('\t\tpolicy memory');
  if (a.desc?.size && !(s.flags & SET_CONSTANT)) lines.push(`\t\tsize ${a.desc.size}`);
  const f = s.flags;
  if ((f & (SET_CONSTANT | SET_INTERVAL | SET_EVAL)) || ((f & SET_TIMEOUT) && !a.timeout)) {
    const names = [[SET_CONSTANT, 'constant'], [SET_INTERVAL, 'interval'], [SET_EVAL, 'dynamic'], [SET_TIMEOUT, 'timeout']].filter(([b]) => f & (b as number)).map(([, n]) => n);
    if (names.length) lines.push(`\t\tflags ${names.join(',')}`);
  }
  if (a.timeout) lines.push(`\t\ttimeout ${timeMs(a.timeout)}`);
  if (a.gcInterval) lines.push(`\t\tgc-interval ${timeMs(BigInt(a.gcInterval))}`);
  const ud = udata(s);
  if (ud.has(UD_MERGE)) lines.push('\t\tauto-merge');
  for (const e of [...(a.expressions ?? []), ...(a.expr ? [a.expr] : [])]) lines.push(`\t\t${(e as { name?: string }).name}`);
  const c = ud.get(UD_COMMENT);
  if (c) { const n = c.indexOf(0); lines.push(`\t\tcomment "${c.toString('utf8', 0, n < 0 ? c.length : n)}"`); }
  const elems = setElements(s, key.parts.map((p) => p.type), key.parts.map((p) => p.len), { anonymous: false });
  if (elems.length) {
    const per = key.parts.length === 1 ? key.parts[0]!.type.perLine ?? 1 : 1;
    let out = '';
    let count = 0;
    elems.forEach((e, i) => {
      if (i > 0) out += count < per ? ', ' : ',\n\t\t\t     ';
      if (i > 0 && count >= per) count = 0;
      out += exprText(e);
      count++;
    });
    lines.push(`\t\telements = { ${out} }`);
  }
  lines.push('\t}');
  return lines;
}

const OBJ_NAMES: Readonly<Record<number, string>> = { 1: 'counter', 2: 'quota', 3: 'ct helper', 4: 'limit', 7: 'ct timeout', 8: 'secmark', 9: 'ct expectation', 10: 'synproxy' };

/** A named set or map as an `nft -j` object. */
export function setBlockJson(s: NftSet): Json {
  const kw = (s.flags & (NFT_SET_MAP | NFT_SET_OBJECT)) !== 0 ? 'map' : 'set';
  const key = setKeyTypes(s);
  const dt = dataTypes(s);
  const a = s.attrs ?? {};
  const o: Record<string, Json> = { family: s.family, name: s.name, table: s.table };
  o['type'] = key.parts.length === 1 ? (key.typeof ? key.parts[0]!.type.name : key.parts[0]!.json) : key.parts.map((p) => (key.typeof ? p.type.name : p.json));
  o['handle'] = Number(s.handle);
  if (s.flags & NFT_SET_OBJECT) o['map'] = OBJ_NAMES[a.objType ?? 0] ?? a.objType ?? 0;
  else if (dt) o['map'] = dt.parts.length === 1 ? (dt.typeof ? dt.parts[0]!.type.name : dt.parts[0]!.json) : dt.parts.map((p) => p.type.name).join(' . ');
  if (a.policy === 1) o['policy'] = 'memory';
  const ud = udata(s);
  const c = ud.get(UD_COMMENT);
  if (c) { const n = c.indexOf(0); o['comment'] = c.toString('utf8', 0, n < 0 ? c.length : n); }
  if (a.desc?.size && !(s.flags & SET_CONSTANT)) o['size'] = a.desc.size;
  const flags = [[SET_CONSTANT, 'constant'], [SET_INTERVAL, 'interval'], [SET_TIMEOUT, 'timeout']].filter(([b]) => s.flags & (b as number)).map(([, n]) => n as string);
  if (flags.length) o['flags'] = flags;
  if (a.timeout) o['timeout'] = Number(a.timeout / 1000n);
  if (a.gcInterval) o['gc-interval'] = Math.floor(a.gcInterval / 1000);
  const elems = setElements(s, key.parts.map((p) => p.type), key.parts.map((p) => p.len), { anonymous: false });
  if (elems.length) o['elem'] = elems.map(exprJson);
  const exprs = [...(a.expressions ?? []), ...(a.expr ? [a.expr] : [])];
  if (exprs.length) o['stmt'] = exprs.map((e) => ({ [(e as { name?: string }).name ?? '?']: null }));
  return { [kw]: o };
}

export { UD_KEYBYTEORDER, integer, dtype };
export type { Rendered };
