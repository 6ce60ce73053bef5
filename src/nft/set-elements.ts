/**
 * Set and map element lists: what a caller writes (`'10.0.0.1'`, `'10.0.0.0/8'`,
 * `{ range: [1000, 2000] }`, map entries `[22, 'accept']`) → the NFTA_SET_ELEM nests nft 1.0
 * sends, and the kernel's elements → the shape `nft -j` prints (`{ prefix: { addr, len } }`,
 * `{ range: [a, b] }`, `[key, data]`, verdicts as `{ accept: null }` / `{ jump: { target } }`).
 *
 * Interval sets (NFT_SET_INTERVAL) hold each interval as two elements: its first value, and
 * one past its last value flagged NFT_SET_ELEM_INTERVAL_END. As nft does, the intervals are
 * sent sorted; a set created in the same batch starts with an INTERVAL_END element at 0 when
 * the first interval does not start at 0; an interval that reaches the top of the key range
 * has no end element and its start carries the "open" element userdata instead.
 */
import { DecodeLimitError } from '../netlink/errors.js';
import { NFT_SET_ELEM_INTERVAL_END, NFT_SET_INTERVAL, NFT_SET_MAP } from './constants.js';
import type { DataAttrs } from './data.js';
import { VERDICT_NAMES } from './data.js';
import { type Verdict, verdict } from './expr/immediate.js';
import type { SetElemAttrs } from './set.schema.js';
import { isOpenInterval, openIntervalUdata } from './set-udata.js';
import {
  type SetDataType, type SetElement, type SetKeyType, type SetKeyTypes, SET_KEY_TYPES, dataTypeName, decodeElement, decodeKey, encodeElement, encodeKey, keyInfo, keyTypeName,
} from './set-types.js';

/**
 * A key: one value, a prefix (`'10.0.0.0/8'` or `{ prefix }`, addresses only), an inclusive
 * range, or for a concatenated key `{ concat: [v1, v2, …] }`.
 */
export type KeyValue = SetElement | { readonly range: readonly [SetElement, SetElement] } | { readonly prefix: { readonly addr: string; readonly len: number } }
  | { readonly concat: readonly SetElement[] };
/** Map data: a value of the map's data type, or a verdict (verdict maps). */
export type MapData = SetElement | Verdict;
/** A map entry: key → data. */
export type MapEntry = readonly [KeyValue, MapData];
/** A verdict as nft -j prints it. */
export type VerdictJson = { readonly [code: string]: null | { readonly target: string } };
/** An element as nft -j prints it. */
export type ElementJson = KeyValue | readonly [KeyValue, SetElement | VerdictJson];

interface Span { readonly lo: bigint; readonly hi: bigint; readonly single: boolean }

const ADDR_TYPES: ReadonlySet<SetKeyType> = new Set(['ipv4_addr', 'ipv6_addr']);
const toBig = (b: Buffer): bigint => (b.length ? BigInt('0x' + b.toString('hex')) : 0n);
const fromBig = (n: bigint, len: number): Buffer => Buffer.from(n.toString(16).padStart(len * 2, '0'), 'hex');
const maxOf = (len: number): bigint => (1n << BigInt(len * 8)) - 1n;

/** The inclusive span of values a key covers (big-endian key bytes read as one number). */
export function keySpan(keyType: SetKeyTypes, v: unknown, field: string): Span {
  if (Array.isArray(keyType)) {
    const n = toBig(encodeKey(keyType, v, field));
    return { lo: n, hi: n, single: true };
  }
  const type = keyType as SetKeyType;
  const info = SET_KEY_TYPES[type];
  const value = (x: unknown, f: string): bigint => {
    const b = encodeElement(type, x, f);
    return info.byteorder === 1 ? toBig(Buffer.from(b).reverse()) : toBig(b);
  };
  let prefix: { addr: unknown; len: unknown } | undefined;
  if (typeof v === 'string' && v.includes('/')) {
    const [addr, len, extra] = v.split('/');
    if (extra !== undefined || !/^\d+$/.test(len ?? '')) throw new RangeError(`${field}: ${JSON.stringify(v)} is not a prefix`);
    prefix = { addr, len: Number(len) };
  } else if (v && typeof v === 'object' && 'prefix' in v) prefix = (v as { prefix: { addr: unknown; len: unknown } }).prefix;
  if (prefix) {
    if (!ADDR_TYPES.has(type)) throw new RangeError(`${field}: a prefix needs an address type, not ${type}`);
    const bits = info.len * 8;
    const len = prefix.len;
    if (typeof len !== 'number' || !Number.isInteger(len) || len < 0 || len > bits) throw new RangeError(`${field}: prefix length must be 0..${bits}`);
    const lo = value(prefix.addr, field);
    const host = (1n << BigInt(bits - len)) - 1n;
    if (lo & host) throw new RangeError(`${field}: ${JSON.stringify(v)} has host bits set`);
    return { lo, hi: lo | host, single: len === bits };
  }
  if (v && typeof v === 'object' && 'range' in v) {
    const r = (v as { range: unknown }).range;
    if (!Array.isArray(r) || r.length !== 2) throw new TypeError(`${field}.range: expected [first, last]`);
    const lo = value(r[0], `${field}.range[0]`), hi = value(r[1], `${field}.range[1]`);
    if (lo > hi) throw new RangeError(`${field}: range ${JSON.stringify(r)} is empty`);
    if (info.byteorder === 1 && lo !== hi) throw new RangeError(`${field}: ranges of ${type} (host byte order) are not supported`);
    return { lo, hi, single: lo === hi };
  }
  const n = value(v, field);
  return { lo: n, hi: n, single: true };
}

/** Whether a list of keys needs an interval set (any prefix or range). */
export function needsInterval(type: SetKeyTypes, keys: readonly unknown[], field: string): boolean {
  return keys.some((k, i) => !keySpan(type, k, `${field}[${i}]`).single);
}

function spanBytes(type: SetKeyTypes, n: bigint): Buffer {
  const info = keyInfo(type, 'key');
  const b = fromBig(n, info.len);
  return info.byteorder === 1 ? b.reverse() : b;
}

function encodeData(data: SetDataType, v: unknown, field: string): DataAttrs {
  if (data === 'verdict') {
    try {
      return verdict(v as Verdict).data.data!;
    } catch (err) {
      throw new RangeError(`${field}: ${(err as Error).message}`);
    }
  }
  return { value: encodeElement(data, v, field) };
}

export interface ElementListOptions {
  readonly type: SetKeyTypes;
  /** Maps: the data type. Entries are then `[key, data]`. */
  readonly data?: SetDataType;
  readonly interval: boolean;
  /** A set being created in this batch: lead with an INTERVAL_END element at 0 (nft does). */
  readonly leadingEnd?: boolean;
}

/**
 * The NFTA_SET_ELEM nests for `entries`, and the size nft declares for an anonymous set
 * (elements sent, plus the end element an open interval leaves out).
 */
export function buildElements(o: ElementListOptions, entries: readonly unknown[], field: string): { elems: SetElemAttrs[]; size: number } {
  if (!Array.isArray(entries) || entries.length === 0) throw new TypeError(`${field}: expected a non-empty array`);
  const items = entries.map((e, i) => {
    const f = `${field}[${i}]`;
    if (o.data === undefined) return { span: keySpan(o.type, e, f), key: e, data: undefined };
    if (!Array.isArray(e) || e.length !== 2) throw new TypeError(`${f}: expected a map entry [key, data]`);
    return { span: keySpan(o.type, e[0], f), key: e[0], data: encodeData(o.data, e[1], `${f}[1]`) };
  });
  const elems: SetElemAttrs[] = [];
  if (!o.interval) {
    items.forEach((it, i) => {
      if (!it.span.single) throw new RangeError(`${field}[${i}]: a prefix or range needs an interval set`);
      elems.push({ key: { value: spanBytes(o.type, it.span.lo) }, ...(it.data ? { data: it.data } : {}) });
    });
    return { elems, size: elems.length };
  }
  if (o.data !== undefined) throw new RangeError(`${field}: interval maps are not supported`);
  if (Array.isArray(o.type)) throw new RangeError(`${field}: interval concatenations are not supported`);
  const sorted = [...items].sort((a, b) => (a.span.lo < b.span.lo ? -1 : a.span.lo > b.span.lo ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.span.lo <= sorted[i - 1]!.span.hi + 1n) {
      throw new RangeError(`${field}: ${JSON.stringify(sorted[i - 1]!.key)} and ${JSON.stringify(sorted[i]!.key)} overlap or touch; merge them into one interval`);
    }
  }
  const max = maxOf(keyInfo(o.type, field).len);
  const endElem = (n: bigint): SetElemAttrs => ({ flags: NFT_SET_ELEM_INTERVAL_END, key: { value: spanBytes(o.type, n) } });
  if (o.leadingEnd && sorted[0]!.span.lo > 0n) elems.push(endElem(0n));
  let size = 0;
  for (const it of sorted) {
    if (it.span.hi === max) {
      elems.push({ key: { value: spanBytes(o.type, it.span.lo) }, userdata: openIntervalUdata() });
      size++;
    } else elems.push({ key: { value: spanBytes(o.type, it.span.lo) } }, endElem(it.span.hi + 1n));
  }
  return { elems, size: size + elems.length };
}

// ---------------------------------------------------------------------------------------
// Decoding

/** Verdict data as nft -j prints it. */
export function verdictJson(d: DataAttrs['verdict']): VerdictJson {
  const code = d?.code;
  const name = code === undefined ? 'continue' : VERDICT_NAMES[code] ?? String(code);
  return (name === 'jump' || name === 'goto') && d?.chain !== undefined ? { [name]: { target: d.chain } } : { [name]: null };
}

/** A span back as nft -j prints it: a value, a prefix (addresses) or a range. */
function spanJson(type: SetKeyType | undefined, keyType: number, lo: bigint, hi: bigint, len: number): KeyValue {
  const bytes = (n: bigint): Buffer => (type ? spanBytes(type, n) : fromBig(n, len));
  if (lo === hi) return decodeKey(keyType, len, bytes(lo));
  const lv = decodeElement(keyType, bytes(lo));
  const size = hi - lo + 1n;
  if (type && ADDR_TYPES.has(type) && (size & (size - 1n)) === 0n && (lo & (size - 1n)) === 0n) {
    return { prefix: { addr: lv as string, len: len * 8 - (size.toString(2).length - 1) } };
  }
  return { range: [lv, decodeElement(keyType, bytes(hi))] };
}

/** What decoding a set's elements needs to know about the set: key type and length, flags, data type. */
export interface SetShape { readonly keyType: number; readonly keyLen: number; readonly flags: number; readonly dataType?: number }

/**
 * NFT_DATA_VALUE_MAXLEN (<linux/netfilter/nf_tables.h>): the longest key or data the kernel
 * takes (nft_set_desc's klen, concatenations included: NFT_REG32_COUNT * 4). A set claiming more
 * did not come from a kernel; its elements are not decoded (the key length sizes every
 * element's numbers: a crafted 0xffffffff made 108 bytes allocate 525 MB).
 */
export const NFT_DATA_VALUE_MAXLEN = 64;

/** DecodeLimitError unless the set's key length is one a kernel can have. */
export function checkSetShape(set: SetShape): void {
  if (!Number.isInteger(set.keyLen) || set.keyLen < 0 || set.keyLen > NFT_DATA_VALUE_MAXLEN) {
    throw new DecodeLimitError(`key length ${set.keyLen} is over NFT_DATA_VALUE_MAXLEN (${NFT_DATA_VALUE_MAXLEN})`, ['NFTA_SET_KEY_LEN'], 0);
  }
}

/** A set's elements from the kernel, sorted by key as nft prints them; intervals joined back into prefixes and ranges. */
export function decodeElements(set: SetShape, raw: readonly SetElemAttrs[]): ElementJson[] {
  checkSetShape(set);
  const type = keyTypeName(set.keyType);
  const info = type ? SET_KEY_TYPES[type] : undefined;
  const num = (b: Buffer | undefined): bigint => (!b ? 0n : info?.byteorder === 1 ? toBig(Buffer.from(b).reverse()) : toBig(b));
  const dataType = set.dataType !== undefined ? dataTypeName(set.dataType) : undefined;
  const dataOf = (e: SetElemAttrs): SetElement | VerdictJson =>
    e.data?.verdict ? verdictJson(e.data.verdict) : dataType && dataType !== 'verdict' && e.data?.value ? decodeElement(SET_KEY_TYPES[dataType].id, e.data.value) : e.data?.value?.toString('hex') ?? '';
  const isMap = (set.flags & NFT_SET_MAP) !== 0;
  const items = raw.map((e) => ({ e, n: num(e.key?.value), end: ((e.flags ?? 0) & NFT_SET_ELEM_INTERVAL_END) !== 0 }));
  items.sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : Number(b.end) - Number(a.end)));
  if ((set.flags & NFT_SET_INTERVAL) === 0) {
    return items.map(({ e, n }) => {
      const k = spanJson(type, set.keyType, n, n, set.keyLen);
      return isMap ? [k, dataOf(e)] as const : k;
    });
  }
  const out: ElementJson[] = [];
  let start: (typeof items)[number] | undefined;
  const close = (hi: bigint): void => {
    const k = spanJson(type, set.keyType, start!.n, hi, set.keyLen);
    out.push(isMap ? [k, dataOf(start!.e)] : k);
    start = undefined;
  };
  for (const it of items) {
    if (it.end) { if (start) close(it.n - 1n); continue; }
    if (start) close(maxOf(set.keyLen));
    start = it;
    if (isOpenInterval(it.e.userdata)) close(maxOf(set.keyLen));
  }
  if (start) close(maxOf(set.keyLen));
  return out;
}
