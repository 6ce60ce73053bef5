/**
 * The attribute-schema engine. Each attribute set is declared once, as a table:
 *
 *   export const IFLA = attrs('IFLA', {
 *     IFLA_IFNAME: { type: 3, key: 'ifname', kind: asciiz(15) },
 *     IFLA_LINKINFO: { type: 18, key: 'linkinfo', kind: nested(() => IFLA_INFO) },
 *   });
 *   export type LinkAttrs = AttrValues<typeof IFLA.spec>;
 *
 * and that one table drives the encoder, the decoder, the TypeScript value types and
 * describe(). Decoded objects keep attributes in wire order; an attribute the table does
 * not know is kept under the key `$<nla_type>` (raw type, flag bits included) as its
 * payload bytes, so decode → encode reproduces the input byte for byte.
 */
import { NLA_HDRLEN, nlaAlign, zeroPad } from './align.js';
import { DecodeError, DecodeLimitError, rethrowWithin } from './errors.js';
import { type Walkable, type WalkItem, walkAttrs, walkElements, walkPayload } from './walk.js';

const NO_PATH: Path = [];
import { type IntWire, type Kind, type KindValue, type Parent, type Path, readIntWire } from './kinds.js';

/** struct nlattr { __u16 nla_len; __u16 nla_type; } flag bits. */
export const NLA_F_NESTED = 1 << 15;
/** `NLA_F_NET_BYTEORDER` (1 << 14) of <linux/netlink.h>: the attribute payload is in network byte order. */
export const NLA_F_NET_BYTEORDER = 1 << 14;
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

/** One attribute of a table: its type number, key in decoded values, kind (how its payload is encoded), and flags. */
export interface AttrDef {
  /** nla_type (without flag bits). */
  readonly type: number;
  /** Property name in decoded/encoded values. */
  readonly key: string;
  readonly kind: Kind<any>;
  /** The attribute may repeat at this level: its value is an array, one element per occurrence. */
  readonly multi?: boolean;
  /** Set NLA_F_NET_BYTEORDER on encode (nftables uses it on nothing; some genl families do). */
  readonly netByteOrder?: boolean;
  /**
   * Set NLA_F_NESTED when encoding this nested attribute. Default: the set's `nestedFlag`.
   * (The kernel fills most rtnetlink nests with nla_nest_start_noflag() and iproute2 sends
   * them without the flag; newer nests such as IFLA_PROP_LIST carry it.)
   */
  readonly nestedFlag?: boolean;
}

/** Options of {@link attrs}: how nests of this set are flagged on the wire. */
export interface AttrSetOptions {
  /** Default NLA_F_NESTED on nested attributes. Default true (libmnl/libnftnl); rtnetlink tables say false. */
  readonly nestedFlag?: boolean;
}

/** An attribute table: kernel name (`IFLA_MTU`) → {@link AttrDef}. */
export type Spec = Readonly<Record<string, AttrDef>>;

/** Unknown attributes, kept raw under `$<nla_type>`. */
export type UnknownAttrs = { [raw: `$${number}`]: Buffer };

/** The decoded value type of one attribute definition (an array for `multi` attributes). */
export type ValueOfDef<D> = D extends { kind: infer K; multi: true } ? KindValue<K>[] : D extends { kind: infer K } ? KindValue<K> : never;

/** The values object type of an attribute set: every attribute optional. */
export type AttrValues<S extends Spec> = {
  -readonly [N in keyof S as S[N]['key']]?: ValueOfDef<S[N]>;
} & UnknownAttrs;

/** A declared attribute with its kernel name (what {@link AttrSet.entries} lists). */
export interface Entry extends AttrDef {
  readonly name: string;
  /** nla_type with the flag bits this attribute is encoded with. */
  readonly raw: number;
  /**
   * One store site per attribute (`o.mtu = v`), so each sees only the few object shapes its
   * attribute meets, where a shared `o[key] = v` goes megamorphic on every dump. Made on the
   * attribute's first decode: most declared attributes never occur, and import stays cheap.
   */
  store: ((o: Record<string, unknown>, v: unknown) => void) | undefined;
  /** Largest payload the kind reads (fixed-size kinds); longer ones are kept raw. */
  readonly maxExact: number;
  readonly deferred: boolean;
  /** The kind's integer layout, when it has one (read inline). */
  readonly wire: IntWire | undefined;
  /** What #resolve() answers for this key (allocated once). */
  resolved: { readonly e: Entry; readonly raw: number };
}

const UNKNOWN_KEY = /^\$(\d+)$/;

/** Decode one attribute payload into `out` (siblings visible to union kinds through `out`). */
/**
 * How deep nests may go: nested attribute sets, arrays of elements and struct-prefixed nests
 * (a veth peer inside a veth peer …). Hostile bytes nested hundreds deep would otherwise recurse
 * until "Maximum call stack size exceeded". The kernel's own policy validation stops at 10
 * (MAX_POLICY_RECURSION_DEPTH, lib/nlattr.c) and no message we know nests deeper than ~8; 32
 * leaves room. Decoding deeper is a DecodeLimitError; encoding a value nested deeper
 * is a RangeError naming the path; walks (netlink-dump decode) mark the nest as a fault.
 */
export const MAX_NEST_DEPTH = 32;

/** Nest levels currently entered (decode, walk, size, describe, pathAt are synchronous). */
let level = 0;
/** Inside an outermost AttrSet.size(); and whether it is its second pass (with paths). */
let sizing = false, pathPass = false;

/** Enter one nest level for `f`; past MAX_NEST_DEPTH call `tooDeep` instead. */
function nest<T>(f: () => T, tooDeep: () => T): T {
  if (level >= MAX_NEST_DEPTH) return tooDeep();
  level++;
  try {
    return f();
  } finally {
    level--;
  }
}

const tooDeepError = (path: Path, off: number): DecodeLimitError => new DecodeLimitError(`nested deeper than ${MAX_NEST_DEPTH} levels (the nesting limit)`, path, off);
const deepDecode = (path: Path, off: number) => (): never => { throw tooDeepError(path, off); };
const deepEncode = (path: Path) => (): never => { throw new RangeError(`${path.join('.') || 'value'}: nested deeper than ${MAX_NEST_DEPTH} levels (the nesting limit)`); };
const deepWalk = (s: number): WalkItem[] => [{ fault: `nested deeper than ${MAX_NEST_DEPTH} levels (the nesting limit): not walked further`, offset: s }];

function readInto(out: Record<string, unknown>, e: Entry, buf: Buffer, s: number, t: number): void {
  let v: unknown;
  // An integer of exactly its size is read inline (see Kind.wire); anything else — including
  // a short payload, which read() reports — goes through the kind.
  if (e.wire !== undefined && t - s === e.maxExact) v = readIntWire(e.wire, buf, s);
  else {
    try {
      v = e.kind.read(buf, s, t, NO_PATH, out);
    } catch (err) {
      rethrowWithin(err, e.name);
    }
  }
  if (!e.multi) (e.store ??= new Function('o', 'v', `o[${JSON.stringify(e.key)}] = v;`) as Entry['store'] & {})(out, v);
  else if (Array.isArray(out[e.key])) (out[e.key] as unknown[]).push(v);
  else out[e.key] = [v];
}

/**
 * A decoder of some attributes of a set ({@link AttrSet.picker}). After each call, `skipped`
 * tells whether the bytes held an attribute it did not decode (so its result is not what
 * {@link AttrSet.read} would give).
 */
export type Picker<T> = ((buf: Buffer, start: number, end: number) => T) & { skipped: boolean };

/** An attribute set: the runtime side of one declared table. */
export class AttrSet<S extends Spec = Spec> {
  readonly name: string;
  readonly spec: S;
  readonly #byType: (Entry | undefined)[] = [];
  readonly #byKey = new Map<string, Entry>();
  readonly #byName = new Map<string, Entry>();

  readonly #nestedFlag: boolean;

  constructor(name: string, spec: S, opts: AttrSetOptions = {}) {
    this.name = name;
    this.spec = spec;
    this.#nestedFlag = opts.nestedFlag ?? true;
    for (const [kname, def] of Object.entries(spec)) {
      const nestedBit = def.kind.nested && (def.nestedFlag ?? this.#nestedFlag) ? NLA_F_NESTED : 0;
      // Every Entry has the same fields in the same order (one hidden class), and the kind's
      // properties the decode loop tests are copied out: loads there stay monomorphic.
      const e: Entry = {
        type: def.type, key: def.key, kind: def.kind, multi: def.multi ?? false, netByteOrder: def.netByteOrder ?? false,
        nestedFlag: def.nestedFlag ?? this.#nestedFlag, name: kname, raw: def.type | nestedBit | (def.netByteOrder ? NLA_F_NET_BYTEORDER : 0),
        maxExact: def.kind.exact ? def.kind.fixedSize! : Infinity, deferred: def.kind.deferred ?? false,
        wire: def.kind.exact ? def.kind.wire : undefined,
        store: undefined,
        resolved: undefined as never,
      };
      e.resolved = { e, raw: e.raw };
      if (this.#byType[def.type]) throw new Error(`${name}: attribute type ${def.type} declared twice (${this.#byType[def.type]!.name}, ${kname})`);
      if (this.#byKey.has(def.key)) throw new Error(`${name}: key ${def.key} declared twice`);
      this.#byType[def.type] = e;
      this.#byKey.set(def.key, e);
      this.#byName.set(kname, e);
    }
  }

  /** The declaration for a kernel attribute name or a numeric type. */
  entry(nameOrType: string | number): Entry | undefined {
    return typeof nameOrType === 'number' ? this.#byType[nameOrType] : this.#byName.get(nameOrType);
  }

  /** The declaration behind a value key (`dst`, `oif`, …). */
  entryByKey(key: string): Entry | undefined {
    return this.#byKey.get(key);
  }

  /** Every declared attribute of the set, in type order. */
  entries(): Entry[] {
    return [...this.#byName.values()];
  }

  #resolve(key: string, path: Path): { e: Entry | undefined; raw: number } {
    const e = this.#byKey.get(key);
    if (e) return e.resolved;
    const m = UNKNOWN_KEY.exec(key);
    if (m) return { e: undefined, raw: Number(m[1]) };
    throw new TypeError(`${[...path, key].join('.')}: not an attribute of ${this.name} (known: ${[...this.#byKey.keys()].join(', ')})`);
  }

  /**
   * Total encoded size of `values` as a sequence of attributes (each NLA_ALIGNed). Validates
   * every value; errors name the attribute path. The path is one array per set, pushed and
   * popped per attribute (kinds read it only to word an error), not a new array per value.
   */
  size(values: Readonly<Record<string, unknown>>, path: Path = NO_PATH): number {
    if (values === null || typeof values !== 'object') throw new TypeError(`${path.join('.') || this.name}: expected an object of ${this.name} attributes`);
    // First without paths (no allocation per set or attribute); if anything is wrong, again
    // with them, so that the error names the attribute path. Sizing is pure, so the second
    // pass throws the same error, worded in full.
    // Only the outermost size() retries: nested sets are sized inside its two passes (a retry
    // per level would double the work per level of a failing deep value).
    if (sizing) return this.#size(values, pathPass ? path.slice() : undefined);
    sizing = true;
    try {
      return this.#size(values, undefined);
    } catch {
      pathPass = true;
      try {
        return this.#size(values, path.slice());
      } finally {
        pathPass = false;
      }
    } finally {
      sizing = false;
    }
  }

  #size(values: Readonly<Record<string, unknown>>, p: string[] | undefined): number {
    let n = 0;
    for (const key in values) {
      const v = values[key];
      if (v === undefined) continue;
      const { e } = this.#resolve(key, p ?? NO_PATH);
      if (!e) {
        if (!Buffer.isBuffer(v)) throw new TypeError(`${[...p ?? NO_PATH, key].join('.')}: an unknown attribute's value must be a Buffer`);
        n += nlaAlign(NLA_HDRLEN + v.length);
        continue;
      }
      p?.push(e.name);
      const q = p ?? NO_PATH;
      if (e.multi) {
        if (!Array.isArray(v)) throw new TypeError(`${q.join('.')}: expected an array (the attribute may repeat)`);
        for (const item of v) n += nlaAlign(NLA_HDRLEN + this.#payloadSize(e, item, q, values));
      } else n += nlaAlign(NLA_HDRLEN + this.#payloadSize(e, v, q, values));
      p?.pop();
    }
    return n;
  }

  #payloadSize(e: Entry, v: unknown, p: Path, parent: Parent): number {
    const len = e.kind.size(v, p, parent);
    if (NLA_HDRLEN + len > 0xffff) throw new RangeError(`${p.join('.')}: ${len} bytes do not fit one attribute (max 65531)`);
    return len;
  }

  /** Write `values` at `off` (call size() first: it validates). Returns the end offset. */
  write(values: Readonly<Record<string, unknown>>, buf: Buffer, off: number): number {
    for (const key in values) {
      const v = values[key];
      if (v === undefined) continue;
      const { e, raw } = this.#resolve(key, NO_PATH);
      if (!e) off = endAttr(buf, off, raw, off + NLA_HDRLEN + (v as Buffer).copy(buf, off + NLA_HDRLEN));
      else if (e.multi) for (const item of v as unknown[]) off = endAttr(buf, off, raw, e.kind.write(item, buf, off + NLA_HDRLEN, values));
      else off = endAttr(buf, off, raw, e.kind.write(v, buf, off + NLA_HDRLEN, values));
    }
    return off;
  }

  /** Decode the attributes in `buf[start, end)`. DecodeErrors carry `path` + the attribute path. */
  read(buf: Buffer, start: number, end: number, path: Path = NO_PATH): AttrValues<S> {
    try {
      return this.#read(buf, start, end);
    } catch (err) {
      return rethrowWithin(err, ...path);
    }
  }

  #read(buf: Buffer, start: number, end: number): AttrValues<S> {
    const out: Record<string, unknown> = {};
    let deferred: { e: Entry; s: number; t: number }[] | undefined;
    let off = start;
    while (off + NLA_HDRLEN <= end) {
      // Byte arithmetic, not Buffer methods: this loop runs for every attribute of every dump
      // entry, mostly before V8 has optimised it.
      const len = buf[off]! | (buf[off + 1]! << 8);
      const raw = buf[off + 2]! | (buf[off + 3]! << 8);
      if (len < NLA_HDRLEN || off + len > end) {
        throw new DecodeError(`attribute length ${len} overruns ${this.name} (${end - off} bytes left)`, NO_PATH, off);
      }
      const e = this.#byType[raw & NLA_TYPE_MASK];
      const s = off + NLA_HDRLEN, t = off + len;
      // A payload longer than its fixed-size kind (a kernel that widened it, or a layout chosen
      // by something we do not model) is kept raw rather than misread, so it still round-trips;
      // a shorter one is malformed and the kind's read() throws DecodeError.
      if (!e || t - s > e.maxExact) {
        out[`$${raw}`] = copyOut(buf, s, t);
      } else {
        if (e.deferred) {
          (deferred ??= []).push({ e, s, t });
          if (!(e.key in out)) out[e.key] = undefined; // hold its wire position
        } else readInto(out, e, buf, s, t);
      }
      off += (len + 3) & ~3; // NLA_ALIGN
    }
    // Fewer than NLA_HDRLEN trailing bytes are ignored, as the kernel's nla_for_each_attr does.
    if (deferred) {
      for (const { e, s, t } of deferred) readInto(out, e, buf, s, t);
    }
    return out as AttrValues<S>;
  }

  /**
   * A decoder of only some attributes of this set (the lazy dumps' first pass, src/netlink/lazy.ts):
   * `keys` are value keys; a key mapped to a nested AttrSet's key list decodes only those keys
   * inside that nest (`{ linkinfo: ['kind', 'slaveKind'] }`). Every attribute's length is still
   * checked, so a malformed message fails here as with {@link read}; the others are not decoded.
   */
  picker(keys: readonly (string | { readonly [key: string]: readonly string[] })[]): Picker<Partial<AttrValues<S>>> {
    const want: (Entry | undefined)[] = [];
    const sub: (Picker<unknown> | undefined)[] = [];
    for (const k of keys) {
      for (const [key, inner] of typeof k === 'string' ? [[k, undefined] as const] : Object.entries(k)) {
        const e = this.#byKey.get(key);
        if (!e) throw new Error(`${this.name}: picker: no attribute with key ${key}`);
        want[e.type] = e;
        if (inner) {
          const set = (e.kind as { set?: () => AttrSet }).set?.();
          if (!set) throw new Error(`${this.name}: picker: ${key} is not a nested attribute set`);
          sub[e.type] = set.picker(inner);
        }
      }
    }
    const name = this.name;
    const pick = ((buf: Buffer, start: number, end: number) => {
      const out: Record<string, unknown> = {};
      let deferred: { e: Entry; s: number; t: number }[] | undefined;
      let skipped = false;
      for (let off = start; off + NLA_HDRLEN <= end;) {
        const len = buf[off]! | (buf[off + 1]! << 8);
        const type = (buf[off + 2]! | (buf[off + 3]! << 8)) & NLA_TYPE_MASK;
        if (len < NLA_HDRLEN || off + len > end) throw new DecodeError(`attribute length ${len} overruns ${name} (${end - off} bytes left)`, NO_PATH, off);
        const e = want[type];
        const s = off + NLA_HDRLEN, t = off + len;
        if (e !== undefined && t - s <= e.maxExact) {
          const inner = sub[type];
          if (inner !== undefined) {
            try {
              out[e.key] = inner(buf, s, t);
            } catch (err) {
              rethrowWithin(err, e.name);
            }
            if (inner.skipped) skipped = true;
          } else if (e.deferred) {
            (deferred ??= []).push({ e, s, t });
            if (!(e.key in out)) out[e.key] = undefined; // hold its wire position, as read() does
          } else readInto(out, e, buf, s, t);
        } else skipped = true;
        off += (len + 3) & ~3;
      }
      if (deferred) for (const { e, s, t } of deferred) readInto(out, e, buf, s, t);
      pick.skipped = skipped;
      return out as Partial<AttrValues<S>>;
    }) as Picker<Partial<AttrValues<S>>>;
    pick.skipped = false;
    return pick;
  }

  /** Multi-line text: `NAME: value` per attribute, nested sets indented. */
  describe(values: Readonly<Record<string, unknown>>, indent = ''): string {
    const lines: string[] = [];
    for (const key in values) {
      const v = values[key];
      if (v === undefined) continue;
      const e = this.#byKey.get(key);
      if (!e) {
        const raw = Number(UNKNOWN_KEY.exec(key)?.[1] ?? NaN);
        lines.push(`${indent}${this.name}_UNKNOWN(${raw & NLA_TYPE_MASK}${raw & NLA_F_NESTED ? ',nested' : ''}): ${Buffer.isBuffer(v) ? v.toString('hex') : String(v)}`);
        continue;
      }
      const items = e.multi ? (v as unknown[]) : [v];
      for (const item of items) {
        const text = e.kind.describe(item, indent + '  ', values);
        lines.push(text.startsWith('\n') ? `${indent}${e.name}:${text}` : `${indent}${e.name}: ${text}`);
      }
    }
    return lines.join('\n');
  }

  /**
   * Every attribute in `buf[start, end)` with its offset, nla_len, kernel name and decoded
   * value, nested sets as children (see walk.ts). Never throws on malformed bytes: failures
   * are items with `fault` and the byte offset, and the walk keeps what decoded.
   */
  walk(buf: Buffer, start: number, end: number): WalkItem[] {
    return walkAttrs(this, buf, start, end);
  }

  /**
   * The attribute path that contains byte `target` of a message whose attributes span
   * `buf[start, end)` — used to name the field an extended-ACK offset points at.
   */
  pathAt(buf: Buffer, start: number, end: number, target: number, path: string[] = []): string[] {
    let off = start;
    while (off + NLA_HDRLEN <= end) {
      const len = buf.readUInt16LE(off);
      if (len < NLA_HDRLEN) break;
      const raw = buf.readUInt16LE(off + 2);
      if (target >= off && target < off + Math.max(len, NLA_HDRLEN)) {
        const e = this.#byType[raw & NLA_TYPE_MASK];
        const p = [...path, e ? e.name : `${this.name}_${raw & NLA_TYPE_MASK}`];
        const inner = e && target >= off + NLA_HDRLEN ? pathInto(e.kind, buf, off + NLA_HDRLEN, off + len, target, p, buf, this, start, end) : undefined;
        return inner ?? p;
      }
      off += nlaAlign(len);
    }
    return path;
  }
}

/** Kinds that contain attribute sets expose them for pathAt(). */
export interface Container {
  /** The attribute path (kernel names) to the byte at `target`, for ext-ACK offsets; undefined if it is not inside. */
  pathInto(buf: Buffer, start: number, end: number, target: number, path: string[], parent: Parent | undefined): string[] | undefined;
}

function pathInto(kind: Kind<any>, buf: Buffer, s: number, t: number, target: number, p: string[], _b: Buffer, set: AttrSet, setStart: number, setEnd: number): string[] | undefined {
  const c = kind as Partial<Container>;
  if (!c.pathInto) return undefined;
  // Union kinds need the decoded siblings to choose their variant.
  let parent: Parent | undefined;
  try {
    parent = kind.deferred ? (set.read(buf, setStart, setEnd) as Parent) : undefined;
  } catch {
    return undefined; // malformed siblings: name the attribute, not inside it
  }
  return c.pathInto(buf, s, t, target, p, parent);
}

/** Finish an attribute whose payload was written at `off + NLA_HDRLEN` up to `end`: header and padding. */
function endAttr(buf: Buffer, off: number, rawType: number, end: number): number {
  buf.writeUInt16LE(end - off, off);
  buf.writeUInt16LE(rawType, off + 2);
  const aligned = off + nlaAlign(end - off);
  zeroPad(buf, end, aligned);
  return aligned;
}


/** Declare an attribute set. `prefix` names unknown attributes in describe() output. */
export function attrs<const S extends Spec>(prefix: string, spec: S, opts?: AttrSetOptions): AttrSet<S> {
  return new AttrSet(prefix, spec, opts);
}

/** A nested attribute set (NLA_F_NESTED). `get` is a thunk so tables may refer to each other. */
export function nested<S extends Spec>(get: () => AttrSet<S>): Kind<AttrValues<S>> & Container & Walkable {
  // `set` (not in the declared type): the nested table, for AttrSet.picker().
  const kind: Kind<AttrValues<S>> & Container & Walkable = {
    kindName: 'nested',
    nested: true,
    size: (v, path) => nest(() => get().size(v as Record<string, unknown>, path), deepEncode(path)),
    write: (v, buf, off) => get().write(v as Record<string, unknown>, buf, off),
    read: (buf, s, t, path) => {
      if (level >= MAX_NEST_DEPTH) throw tooDeepError(path, s);
      level++;
      try {
        return get().read(buf, s, t, path);
      } finally {
        level--;
      }
    },
    describe: (v, indent) => nest(() => '\n' + get().describe(v as Record<string, unknown>, indent), () => ' (nested deeper than the limit)'),
    pathInto: (buf, s, t, target, path) => nest(() => get().pathAt(buf, s, t, target, path), () => path),
    walkInto: (buf, s, t) => nest(() => get().walk(buf, s, t), () => deepWalk(s)),
  };
  return Object.assign(kind, { set: get });
}

/**
 * An array of nested elements: the payload is a sequence of attributes, each one element.
 * With `elemType` every element has that type (NFTA_LIST_ELEM); without, element i has type i+1
 * (IFLA_VF_INFO-style indexed lists; the order on the wire is kept either way).
 */
export function array<T>(elem: Kind<T>, opts: { readonly elemType?: number; readonly name?: string; readonly nestedFlag?: boolean } = {}): Kind<T[]> & Container & Walkable {
  const label = (i: number): string => opts.name ?? `[${i}]`;
  return {
    kindName: `array of ${elem.kindName}`,
    nested: true,
    size(v, path) {
      if (!Array.isArray(v)) throw new TypeError(`${path.join('.')}: expected an array`);
      return nest(() => {
        let n = 0;
        v.forEach((item, i) => { n += nlaAlign(NLA_HDRLEN + elem.size(item, [...path, label(i)])); });
        return n;
      }, deepEncode(path));
    },
    write(v, buf, off) {
      v.forEach((item, i) => {
        const raw = (opts.elemType ?? i + 1) | (elem.nested && (opts.nestedFlag ?? true) ? NLA_F_NESTED : 0);
        off = endAttr(buf, off, raw, elem.write(item, buf, off + NLA_HDRLEN));
      });
      return off;
    },
    read(buf, start, end, path) {
      if (level >= MAX_NEST_DEPTH) throw tooDeepError(path, start);
      level++;
      try {
        return readElems(buf, start, end, path);
      } finally {
        level--;
      }
    },
    describe(v, indent) {
      return nest(() => describeElems(v, indent), () => ' (nested deeper than the limit)');
    },
    pathInto(buf, start, end, target, path) {
      return nest(() => elemPath(buf, start, end, target, path), () => path);
    },
    walkInto: (buf, start, end) => nest(() => walkElements(elem, label, buf, start, end), () => deepWalk(start)),
  };
  function readElems(buf: Buffer, start: number, end: number, path: Path): T[] {
      const out: T[] = [];
      let off = start;
      while (off + NLA_HDRLEN <= end) {
        const len = buf.readUInt16LE(off);
        if (len < NLA_HDRLEN || off + len > end) throw new DecodeError(`array element length ${len} overruns its nest`, path, off);
        try {
          out.push(elem.read(buf, off + NLA_HDRLEN, off + len, NO_PATH));
        } catch (err) {
          rethrowWithin(err, ...path, label(out.length));
        }
        off += nlaAlign(len);
      }
      return out;
  }
  function describeElems(v: readonly T[], indent: string): string {
      return '\n' + v.map((item, i) => {
        const text = elem.describe(item, indent + '  ');
        return text.startsWith('\n') ? `${indent}${label(i)}:${text}` : `${indent}${label(i)}: ${text}`;
      }).join('\n');
  }
  function elemPath(buf: Buffer, start: number, end: number, target: number, path: string[]): string[] | undefined {
      let off = start, i = 0;
      while (off + NLA_HDRLEN <= end) {
        const len = buf.readUInt16LE(off);
        if (len < NLA_HDRLEN) break;
        if (target >= off && target < off + len) {
          const p = [...path, label(i)];
          const c = elem as Partial<Container>;
          return (target >= off + NLA_HDRLEN && c.pathInto?.(buf, off + NLA_HDRLEN, off + len, target, p, undefined)) || p;
        }
        off += nlaAlign(len); i++;
      }
      return undefined;
  }
}

/**
 * A payload whose layout is chosen by a sibling attribute's value — IFLA_INFO_DATA by
 * IFLA_INFO_KIND, NFTA_EXPR_DATA by NFTA_EXPR_NAME. A selector value with no variant
 * keeps the payload as raw bytes (a Buffer), so it still round-trips.
 */
export function union<V extends Readonly<Record<string, Kind<any>>>>(selectorKey: string, variants: () => V): Kind<KindValue<V[keyof V]> | Buffer> & Container & Walkable {
  const pick = (parent: Parent | undefined): Kind<any> | undefined => {
    const sel = parent?.[selectorKey];
    return typeof sel === 'string' || typeof sel === 'number' ? variants()[String(sel)] : undefined;
  };
  return {
    kindName: `union by ${selectorKey}`,
    nested: true,
    deferred: true,
    size(v, path, parent) {
      if (Buffer.isBuffer(v)) return v.length;
      const k = pick(parent);
      if (!k) throw new TypeError(`${path.join('.')}: no layout for ${selectorKey}=${JSON.stringify(parent?.[selectorKey])}; pass the payload as a Buffer`);
      return k.size(v, path, parent);
    },
    write(v, buf, off, parent) {
      if (Buffer.isBuffer(v)) return off + v.copy(buf, off);
      return pick(parent)!.write(v, buf, off, parent);
    },
    read(buf, start, end, path, parent) {
      const k = pick(parent);
      return k ? k.read(buf, start, end, path, parent) : Buffer.from(buf.subarray(start, end));
    },
    describe(v, indent, parent) {
      if (Buffer.isBuffer(v)) return bytesText(v);
      const k = pick(parent);
      return k ? k.describe(v, indent, parent) : String(v);
    },
    pathInto(buf, start, end, target, path, parent) {
      const k = pick(parent) as (Kind<any> & Partial<Container>) | undefined;
      return k?.pathInto?.(buf, start, end, target, path, parent);
    },
    walkInto(buf, start, end, parent) {
      const k = pick(parent) as (Kind<any> & Partial<Walkable>) | undefined;
      return k?.walkInto?.(buf, start, end, parent);
    },
  };
}

const bytesText = (v: Buffer): string => v.toString('hex');

/** Copy `buf[s, t)` into a Buffer of its own (pooled for small sizes; one allocation). */
export function copyOut(buf: Buffer, s: number, t: number): Buffer {
  const out = Buffer.allocUnsafe(t - s);
  buf.copy(out, 0, s, t);
  return out;
}

export { struct, type Fields, type StructValue } from './struct.js';

/**
 * A fixed struct followed by attributes, inside one attribute — e.g. VETH_INFO_PEER,
 * which carries a struct ifinfomsg and then IFLA_* attributes for the peer.
 */
export function prefixed<H, S extends Spec>(header: Kind<H> & { readonly structSize: number }, get: () => AttrSet<S>): Kind<{ header: H; attrs: AttrValues<S> }> & Container & Walkable {
  const hs = nlaAlign(header.structSize);
  return {
    kindName: `${header.kindName} + ${'attributes'}`,
    nested: false,
    size(v, path) {
      if (v === null || typeof v !== 'object') throw new TypeError(`${path.join('.')}: expected { header, attrs }`);
      const hp = [...path, 'header'];
      if (header.size(v.header, hp) !== header.structSize) throw new RangeError(`${hp.join('.')}: a ${header.kindName} here takes exactly ${header.structSize} bytes (no $tail)`);
      return hs + nest(() => get().size((v.attrs ?? {}) as Record<string, unknown>, path), deepEncode(path));
    },
    write(v, buf, off) {
      const end = header.write(v.header, buf, off);
      zeroPad(buf, end, off + hs);
      return get().write((v.attrs ?? {}) as Record<string, unknown>, buf, off + hs);
    },
    read(buf, s, t, path) {
      if (t - s < header.structSize) throw new DecodeError(`shorter than its ${header.kindName}`, path, s);
      const h = header.read(buf, s, s + header.structSize, [...path, 'header']);
      return { header: h, attrs: nest(() => get().read(buf, s + hs, t, path), deepDecode(path, s)) };
    },
    describe(v, indent) {
      const text = nest(() => get().describe(v.attrs as Record<string, unknown>, indent), () => `${indent}(nested deeper than the limit)`);
      return `\n${indent}header: ${header.describe(v.header, indent)}${text ? '\n' + text : ''}`;
    },
    pathInto(buf, s, t, target, path) {
      return target < s + hs ? [...path, 'header'] : nest(() => get().pathAt(buf, s + hs, t, target, path), () => path);
    },
    walkInto(buf, s, t) {
      const node = { offset: s, length: Math.min(header.structSize, t - s), type: -1, flags: [], name: 'header', known: true };
      if (t - s < header.structSize) return [{ fault: `shorter than its ${header.kindName}`, offset: s }];
      walkPayload(node, header, buf, s, s + header.structSize, undefined);
      const rest = nest(() => get().walk(buf, s + hs, t), () => deepWalk(s + hs));
      rest.unshift(node);
      return rest;
    },
  };
}
