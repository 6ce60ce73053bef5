/**
 * The printer's expression tree — what a rule's register-level expressions mean, as nft's
 * netlink_delinearize rebuilds it (`ip saddr`, `10.0.0.0/8`, `tcp dport map { … }`) — and its
 * two renderings: nft syntax and nft -j JSON.
 */
import { type Datatype, type Json, hex } from './datatype.js';

export type Expr =
  | { readonly k: 'payload'; readonly proto: string; readonly field: string; readonly type: Datatype; readonly bits: number; readonly base: number }
  | { readonly k: 'raw'; readonly base: number; readonly offset: number; readonly bits: number; readonly type: Datatype }
  | { readonly k: 'meta'; readonly key: string; readonly type: Datatype; readonly bits: number }
  | { readonly k: 'ct'; readonly key: string; readonly dir?: string; readonly type: Datatype; readonly bits: number; readonly family?: string; readonly jkey?: string }
  /** Any other selector (fib, rt, socket, osf, ipsec, exthdr, hash, numgen, …): its text and JSON are fixed. */
  | { readonly k: 'sel'; readonly text: string; readonly json: Json; readonly type: Datatype; readonly bits: number; readonly base?: number }
  | { readonly k: 'value'; readonly type: Datatype; readonly v: bigint; readonly b: Buffer }
  | { readonly k: 'prefix'; readonly e: Expr; readonly len: number }
  | { readonly k: 'range'; readonly lo: Expr; readonly hi: Expr }
  | { readonly k: 'concat'; readonly parts: readonly Expr[] }
  | { readonly k: 'set'; readonly elems: readonly Expr[] }
  | { readonly k: 'setref'; readonly name: string }
  | { readonly k: 'mapping'; readonly key: Expr; readonly data: Expr }
  | { readonly k: 'elem'; readonly e: Expr; readonly timeout?: bigint; readonly expires?: bigint; readonly comment?: string; readonly stmts?: readonly Rendered[] }
  | { readonly k: 'binop'; readonly op: '&' | '|' | '^' | '<<' | '>>'; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'map'; readonly key: Expr; readonly map: Expr }
  | { readonly k: 'verdict'; readonly code: string; readonly chain?: string }
  /** A constant whose type is known only from where it is used (immediate loads). */
  | { readonly k: 'imm'; readonly b: Buffer };

/** A statement already rendered both ways. */
export interface Rendered { readonly text: string; readonly json: Json }

export class Unprintable extends Error {}

const BASES: Readonly<Record<number, string>> = { 0: 'll', 1: 'nh', 2: 'th', 3: 'ih' };
const UNQUALIFIED_META = new Set(['iif', 'oif', 'iifname', 'oifname', 'iifgroup', 'oifgroup']);

/** The datatype an expression's values have. */
export function typeOf(e: Expr): Datatype | undefined {
  switch (e.k) {
    case 'payload': case 'raw': case 'meta': case 'ct': case 'sel': case 'value': return e.type;
    case 'prefix': return typeOf(e.e);
    case 'range': return typeOf(e.lo);
    case 'binop': return typeOf(e.l);
    default: return undefined;
  }
}

function valueText(e: Extract<Expr, { k: 'value' }>, inBinop: boolean): string {
  const t = e.type.text(e.v, e.b);
  return inBinop && e.type.bitmask && t.includes(',') ? `(${t.split(',').join(' | ')})` : t;
}

export function exprText(e: Expr, inBinop = false): string {
  switch (e.k) {
    case 'payload': return `${e.proto} ${e.field}`;
    case 'raw': return `@${BASES[e.base] ?? e.base},${e.offset},${e.bits}`;
    case 'meta': return UNQUALIFIED_META.has(e.key) ? e.key : `meta ${e.key}`;
    case 'ct': return `ct ${e.dir ? `${e.dir} ` : ''}${e.key}`;
    case 'sel': return e.text;
    case 'value': return valueText(e, inBinop);
    case 'imm': return hex(BigInt('0x' + (e.b.toString('hex') || '0')));
    case 'prefix': return `${exprText(e.e)}/${e.len}`;
    case 'range': return `${exprText(e.lo)}-${exprText(e.hi)}`;
    case 'concat': return e.parts.map((p) => exprText(p)).join(' . ');
    case 'set': return `{ ${e.elems.map((x) => exprText(x)).join(', ')} }`;
    case 'setref': return `@${e.name}`;
    case 'mapping': return `${exprText(e.key)} : ${exprText(e.data)}`;
    case 'elem': {
      let s = exprText(e.e);
      if (e.timeout !== undefined) s += ` timeout ${timeMs(e.timeout)}`;
      if (e.expires !== undefined) s += ` expires ${timeMs(e.expires)}`;
      for (const st of e.stmts ?? []) s += ` ${st.text}`;
      if (e.comment !== undefined) s += ` comment "${e.comment}"`;
      return s;
    }
    case 'binop': {
      const l = e.l.k === 'binop' ? exprText(e.l, true) : exprText(e.l, true);
      return `${l} ${e.op} ${exprText(e.r, true)}`;
    }
    case 'map': return `${exprText(e.key)} map ${exprText(e.map)}`;
    case 'verdict': return e.chain !== undefined ? `${e.code} ${e.chain}` : e.code;
  }
}

export function exprJson(e: Expr): Json {
  switch (e.k) {
    case 'payload': return { payload: { protocol: e.proto, field: e.field } };
    case 'raw': return { payload: { base: BASES[e.base] ?? e.base, offset: e.offset, len: e.bits } };
    case 'meta': return { meta: { key: e.key } };
    case 'ct': return { ct: { key: e.jkey ?? e.key, ...(e.family ? { family: e.family } : {}), ...(e.dir ? { dir: e.dir } : {}) } };
    case 'sel': return e.json;
    case 'value': return e.type.json(e.v, e.b);
    case 'imm': return Number(BigInt('0x' + (e.b.toString('hex') || '0')));
    case 'prefix': return { prefix: { addr: exprJson(e.e), len: e.len } };
    case 'range': return { range: [exprJson(e.lo), exprJson(e.hi)] };
    case 'concat': return { concat: e.parts.map(exprJson) };
    case 'set': return { set: e.elems.map(exprJson) };
    case 'setref': return `@${e.name}`;
    case 'mapping': return [exprJson(e.key), exprJson(e.data)];
    case 'elem': {
      const o: Record<string, Json> = { val: exprJson(e.e) };
      if (e.timeout !== undefined) o['timeout'] = Number(e.timeout / 1000n);
      if (e.expires !== undefined) o['expires'] = Number(e.expires / 1000n);
      if (e.comment !== undefined) o['comment'] = e.comment;
      for (const st of e.stmts ?? []) Object.assign(o, st.json as Record<string, Json>);
      return { elem: o };
    }
    case 'binop': return { [e.op]: [exprJson(e.l), exprJson(e.r)] };
    case 'map': return { map: { key: exprJson(e.key), data: exprJson(e.map) } };
    case 'verdict': return e.chain !== undefined ? { [e.code]: { target: e.chain } } : { [e.code]: null };
  }
}

/** A duration in ms as nft prints timeouts and expiries (`1h`, `59m59s992ms`). */
export function timeMs(ms: bigint): string {
  if (ms === 0n) return '0s';
  let out = '';
  let rest = ms;
  for (const [unit, n] of [['d', 86400000n], ['h', 3600000n], ['m', 60000n], ['s', 1000n], ['ms', 1n]] as const) {
    if (rest >= n) { out += `${rest / n}${unit}`; rest %= n; }
  }
  return out;
}
