/**
 * Attribute walk: the attributes of a byte range as a tree of positioned nodes — offset and
 * nla_len of every nlattr, its kernel name from the schema, its decoded value and describe()
 * text, nested sets as children — for tools that explain bytes (netlink-dump decode) rather
 * than turn them into values. Unlike AttrSet.read(), a walk does not stop at the first bad
 * attribute: a payload that does not decode becomes a node with a `fault` and the walk goes
 * on; a length that overruns its enclosing range ends the walk with a fault at that offset.
 */
import { NLA_HDRLEN, nlaAlign } from './align.js';
import { DecodeError } from './errors.js';
import type { Kind, Parent } from './kinds.js';
import type { AttrSet } from './schema.js';

/** struct nlattr flag bits (as schema.ts; repeated here to keep this module free of a runtime import cycle). */
const F_NESTED = 1 << 15;
const F_NET_BYTEORDER = 1 << 14;
const TYPE_MASK = ~(F_NESTED | F_NET_BYTEORDER) & 0xffff;

/** Where decoding failed, and why. `offset` is absolute in the walked buffer. */
export interface WalkFault {
  readonly fault: string;
  readonly offset: number;
}

/** One attribute (or array element, or the fixed header of a prefixed payload). */
export interface AttrNode {
  /** Offset of the struct nlattr header in the walked buffer (of the payload, for `header` nodes). */
  readonly offset: number;
  /** nla_len: header and payload, without alignment padding. */
  readonly length: number;
  /** nla_type without the flag bits (-1 for a prefixed payload's header). */
  readonly type: number;
  /** NLA_F_NESTED / NLA_F_NET_BYTEORDER as sent. */
  readonly flags: readonly ('nested' | 'net-byteorder')[];
  /** Kernel name (`IFLA_MTU`), `[i]` for array elements, or `<SET>_UNKNOWN(n)`. */
  readonly name: string;
  /** The schema declares this attribute. */
  readonly known: boolean;
  /** Decoded value of a leaf. */
  value?: unknown;
  /** describe() text of `value`. */
  text?: string;
  /** Payload as hex: unknown attributes, and payloads kept raw. */
  hex?: string;
  /** Why the payload is shown raw although the attribute is known. */
  note?: string;
  /** Nested attributes (nests, arrays, unions of nests). */
  children?: WalkItem[];
  /** The payload did not decode. */
  fault?: WalkFault;
}

/** One item of {@link AttrSet.walk}: an attribute node, or the point where the bytes stopped making sense. */
export type WalkItem = AttrNode | WalkFault;

export const isFault = (x: WalkItem): x is WalkFault => 'fault' in x && !('name' in x);

/** Kinds that contain attributes implement this to be walked into (nested, array, union, prefixed). */
export interface Walkable {
  /** Children of a payload at `buf[start, end)`; undefined: treat the payload as a leaf. */
  walkInto(buf: Buffer, start: number, end: number, parent: Parent | undefined): WalkItem[] | undefined;
}

const faultOf = (err: unknown, fallback: number): WalkFault =>
  err instanceof DecodeError
    ? { fault: err.path.length ? `${err.path.join('.')}: ${err.reason}` : err.reason, offset: err.offset }
    : { fault: err instanceof Error ? err.message : String(err), offset: fallback };

/**
 * Fill `node` from a payload `buf[s, t)` of `kind`: children when the kind is walkable,
 * else the decoded value and its text; a failure becomes `fault` plus the raw bytes.
 */
export function walkPayload(node: AttrNode, kind: Kind<any>, buf: Buffer, s: number, t: number, parent: Parent | undefined): unknown {
  try {
    const w = (kind as Partial<Walkable>).walkInto?.(buf, s, t, parent);
    if (w) {
      node.children = w;
      return undefined;
    }
    const v = kind.read(buf, s, t, [], parent);
    node.value = v;
    node.text = kind.describe(v, '', parent);
    return v;
  } catch (err) {
    node.fault = faultOf(err, s);
    node.hex = buf.toString('hex', s, t);
    return undefined;
  }
}

/** Walk the attributes of `set` in `buf[start, end)`. */
export function walkAttrs(set: AttrSet, buf: Buffer, start: number, end: number): WalkItem[] {
  const items: WalkItem[] = [];
  // Decoded leaf values by key: union kinds choose their layout from a sibling, so they are
  // walked after every sibling, as AttrSet.read() decodes them.
  const values: Record<string, unknown> = {};
  const deferred: Array<() => void> = [];
  let off = start;
  while (off + NLA_HDRLEN <= end) {
    const len = buf.readUInt16LE(off);
    const raw = buf.readUInt16LE(off + 2);
    if (len < NLA_HDRLEN || off + len > end) {
      items.push({ fault: `attribute length ${len} overruns ${set.name} (${end - off} bytes left)`, offset: off });
      return items;
    }
    const type = raw & TYPE_MASK;
    const e = set.entry(type);
    const flags: ('nested' | 'net-byteorder')[] = [];
    if (raw & F_NESTED) flags.push('nested');
    if (raw & F_NET_BYTEORDER) flags.push('net-byteorder');
    const node: AttrNode = { offset: off, length: len, type, flags, name: e ? e.name : `${set.name}_UNKNOWN(${type})`, known: !!e };
    items.push(node);
    const s = off + NLA_HDRLEN, t = off + len;
    if (!e) node.hex = buf.toString('hex', s, t);
    else if (e.kind.exact && e.kind.fixedSize !== undefined && t - s > e.kind.fixedSize) {
      node.hex = buf.toString('hex', s, t);
      node.note = `${t - s} bytes where ${e.kind.kindName} takes ${e.kind.fixedSize}: kept raw`;
    } else if (e.kind.deferred) deferred.push(() => { walkPayload(node, e.kind, buf, s, t, values); });
    else {
      const v = walkPayload(node, e.kind, buf, s, t, values);
      if (v !== undefined && !e.multi) values[e.key] = v;
    }
    off += nlaAlign(len);
  }
  for (const d of deferred) d();
  if (off < end && buf.subarray(off, end).some((b) => b !== 0)) {
    items.push({ fault: `${end - off} trailing bytes, shorter than an attribute header`, offset: off });
  }
  return items;
}

/**
 * Walk a sequence of array elements (each an nlattr whose type is an index or a fixed
 * element type), each element's payload of kind `elem`.
 */
export function walkElements(elem: Kind<any>, label: (i: number) => string, buf: Buffer, start: number, end: number): WalkItem[] {
  const items: WalkItem[] = [];
  let off = start, i = 0;
  while (off + NLA_HDRLEN <= end) {
    const len = buf.readUInt16LE(off);
    const raw = buf.readUInt16LE(off + 2);
    if (len < NLA_HDRLEN || off + len > end) {
      items.push({ fault: `array element length ${len} overruns its nest (${end - off} bytes left)`, offset: off });
      return items;
    }
    const flags: ('nested' | 'net-byteorder')[] = raw & F_NESTED ? ['nested'] : [];
    const node: AttrNode = { offset: off, length: len, type: raw & TYPE_MASK, flags, name: label(i), known: true };
    items.push(node);
    walkPayload(node, elem, buf, off + NLA_HDRLEN, off + len, undefined);
    off += nlaAlign(len);
    i++;
  }
  return items;
}
