/**
 * Dumps that decode on access. A dump entry becomes its typed object (Link, Route, Address, …)
 * in two steps: the fields of the object come from a first pass that decodes only the
 * attributes those fields are made of (AttrSet.picker), and `attrs` — every attribute the
 * kernel sent, usually most of the message — is decoded the first time it is read, from the
 * entry's own bytes. The bytes are a copy of the received datagram, made once per datagram
 * and shared by its entries (never a view of the socket's reused receive buffer); an object
 * lets go of them once its `attrs` is decoded.
 *
 * When the first pass met no attribute it did not decode (a plain IPv4 route: table, dst,
 * gateway, oif), the builder's object is already complete and is returned as it is: it keeps
 * no bytes and has no accessor.
 *
 * The object is the same public type with the same values as the eager builder makes: the
 * builder itself is run (wrapped, not rewritten) on the picked attributes, and its fields are
 * copied onto an instance whose `attrs` is an own enumerable accessor. That accessor turns
 * itself into a plain data property when first read, so JSON.stringify, structuredClone,
 * spreading and Object.entries see every field (they read own enumerable properties), and
 * console.log / util.inspect print the object as a plain one (util.inspect.custom).
 *
 * A Proxy would need no copy, but structuredClone refuses Proxies (DataCloneError) and every
 * field read goes through a trap; own accessors per field cost a defineProperty each (about
 * 0.3–0.7 µs on this machine, measured), so only `attrs` is one.
 *
 * NETLINK_TS_CHECK_LAZY=1 builds every entry both ways and throws {@link LazyMismatchError} when
 * the lazy object differs from the eager one in any field (test/run.sh sets it for the suite);
 * NETLINK_TS_LAZY=0 makes the readers eager (for before/after measurements).
 */
import { isDeepStrictEqual } from 'node:util';
import { NetlinkTsError } from '../ffi/errors.js';
import { DecodeError } from './errors.js';
import { NLMSG_HDRLEN, nlmsgAlign } from './align.js';
import { type MessageSchema, attrsOf } from './message.js';
import type { AttrSet, Picker } from './schema.js';

/** Reads one dump entry out of an owned copy of its datagram: `buf[start, end)` is the whole message. Undefined drops the entry. */
export type LazyEntryReader<T> = (buf: Buffer, start: number, end: number, type: number) => T | undefined;

/** What the picker of a kind decodes: value keys, or `{ nestKey: [keys inside] }`. */
export type PickKeys = readonly (string | { readonly [key: string]: readonly string[] })[];

/** How one kind of dump entry is read (see {@link lazyKind}). `C` is the builder's context (a device-name table). */
export interface LazyKindSpec<T extends object, C> {
  /** The message type's schema (header struct and attribute set). */
  readonly schema: MessageSchema;
  /** The attributes the builder's fields are made of (everything else waits for `attrs`). */
  readonly pick: PickKeys;
  /** The eager builder: (decoded header, attributes, context) → object, undefined to drop. */
  readonly build: (header: any, attrs: any, ctx: C) => T | undefined;
  /** The builder's object always has the same keys (an object literal without conditional spreads). Default true. */
  readonly fixedKeys?: boolean;
}

/** A kind of lazily decoded dump entry: readers of its lazy and of its eager objects. */
export interface LazyKind<T extends object, C> {
  /** Reader of lazy objects (eager with NETLINK_TS_LAZY=0; both, compared, with NETLINK_TS_CHECK_LAZY=1). */
  reader(ctx: C): LazyEntryReader<T>;
  /** Reader of lazy objects, never compared (what {@link reader} hands out). */
  lazyReader(ctx: C): LazyEntryReader<T>;
  /** Reader of the eager objects the builder makes from the fully decoded message. */
  eagerReader(ctx: C): LazyEntryReader<T>;
}

/** A lazily decoded object differs from the eagerly decoded one (NETLINK_TS_CHECK_LAZY=1). */
export class LazyMismatchError extends NetlinkTsError {
  override readonly name = 'LazyMismatchError';
  /** The first top-level field that differs. */
  readonly field: string;
  constructor(what: string, field: string, lazy: unknown, eager: unknown) {
    super(`lazy decode of ${what} differs from the eager decode in ${field}: lazy ${show(lazy)}, eager ${show(eager)}`, 'ERR_LAZY_MISMATCH');
    this.field = field;
  }
}

const show = (v: unknown): string => {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : Buffer.isBuffer(x) ? `<${x.toString('hex')}>` : x)) ?? String(v);
  } catch {
    return String(v);
  }
};

/** True when NETLINK_TS_CHECK_LAZY=1 (read at each dump, so a test may switch it). */
export const checkingLazy = (): boolean => process.env['NETLINK_TS_CHECK_LAZY'] === '1';
const eagerOnly = (): boolean => process.env['NETLINK_TS_LAZY'] === '0';

/**
 * Compare a lazy object with the eager one field by field (own enumerable keys in order, values
 * deep-equal); throws LazyMismatchError naming the first field that differs. Reads — so
 * decodes — every field of `lazy`.
 */
export function assertLazyEqual(what: string, lazy: object | undefined, eager: object | undefined): void {
  if (lazy === undefined || eager === undefined) {
    if (lazy !== eager) throw new LazyMismatchError(what, '(the entry)', lazy === undefined ? 'dropped' : 'kept', eager === undefined ? 'dropped' : 'kept');
    return;
  }
  const l = { ...lazy } as Record<string, unknown>, e = { ...eager } as Record<string, unknown>;
  const lk = Object.keys(l), ek = Object.keys(e);
  for (let i = 0; i < Math.max(lk.length, ek.length); i++) {
    if (lk[i] !== ek[i]) throw new LazyMismatchError(what, `key #${i}`, lk[i], ek[i]);
    const k = lk[i]!;
    if (!isDeepStrictEqual(l[k], e[k])) throw new LazyMismatchError(what, k, l[k], e[k]);
  }
  // What a user's copies see: the JSON text and a structured clone.
  if (JSON.stringify(lazy, big) !== JSON.stringify(eager, big)) throw new LazyMismatchError(what, '(JSON text)', JSON.stringify(lazy, big), JSON.stringify(eager, big));
  if (!isDeepStrictEqual(structuredClone(lazy), structuredClone(eager))) throw new LazyMismatchError(what, '(structuredClone)', lazy, eager);
}

const big = (_k: string, x: unknown): unknown => (typeof x === 'bigint' ? `${x}n` : x);

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The object the builder made, minus `attrs`, onto the lazy instance `o` (one generated copier per kind: monomorphic stores). */
type Copier = (o: object, v: object) => void;

const copyAny: Copier = (o, v) => {
  const t = o as Record<string, unknown>;
  for (const k in v) if (k !== 'attrs') t[k] = (v as Record<string, unknown>)[k];
};

/**
 * A kind of lazily decoded dump entry: wraps `spec.build` (the eager builder, unchanged) so
 * that dumps make objects whose `attrs` decodes on first access. The spec is a thunk, read at
 * the first dump, so a builder's module may import its lazy kind without an import cycle
 * biting at load time.
 */
export function lazyKind<T extends object, C>(name: string, specOf: () => LazyKindSpec<T, C>): LazyKind<T, C> {
  let spec: LazyKindSpec<T, C> | undefined;
  let Lazy: new (v: T, buf: Buffer, start: number, end: number, set: AttrSet) => T;
  let copy: Copier | undefined;
  const pickers = new Map<AttrSet, Picker<object>>();
  const init = (): LazyKindSpec<T, C> => {
    if (spec) return spec;
    spec = specOf();
    let attrsDesc: PropertyDescriptor;
    class LazyEntry {
      #buf: Buffer | undefined;
      #start: number;
      #end: number;
      #set: AttrSet;
      constructor(v: T, buf: Buffer, start: number, end: number, set: AttrSet) {
        this.#buf = buf;
        this.#start = start;
        this.#end = end;
        this.#set = set;
        (copy ??= makeCopier(v, spec!.fixedKeys ?? true))(this, v);
        Object.defineProperty(this, 'attrs', attrsDesc);
      }

      #attrs(): unknown {
        const a = this.#set.read(this.#buf!, this.#start, this.#end, [spec!.schema.name]);
        this.#buf = undefined;
        Object.defineProperty(this, 'attrs', { value: a, writable: true, enumerable: true, configurable: true });
        return a;
      }

      static {
        attrsDesc = {
          enumerable: true,
          configurable: true,
          get(this: LazyEntry) {
            return this.#attrs();
          },
          set(this: LazyEntry, v: unknown) {
            this.#buf = undefined;
            Object.defineProperty(this, 'attrs', { value: v, writable: true, enumerable: true, configurable: true });
          },
        };
      }

      [INSPECT](_depth: number, opts: object, inspect: (v: unknown, o: object) => string): string {
        return inspect({ ...this }, opts);
      }
    }
    Object.defineProperty(LazyEntry, 'name', { value: name });
    Lazy = LazyEntry as unknown as typeof Lazy;
    return spec;
  };

  const headerAndSet = (sp: LazyKindSpec<T, C>, buf: Buffer, start: number, end: number) => {
    const s = sp.schema, hs = s.header.structSize, body = start + NLMSG_HDRLEN;
    if (end - body < hs) throw new DecodeError(`${s.name} shorter than its ${s.header.kindName}`, [s.name], body);
    const header = s.header.read(buf, body, body + hs, [s.name, 'header']);
    return { header, set: attrsOf(s, header), at: body + nlmsgAlign(hs) };
  };

  const lazyReader = (ctx: C): LazyEntryReader<T> => {
    const sp = init();
    const type = sp.schema.type;
    return (buf, start, end, t) => {
      if (t !== type) return undefined;
      const { header, set, at } = headerAndSet(sp, buf, start, end);
      if (!set) return sp.build(header, undefined, ctx);
      let pick = pickers.get(set);
      if (!pick) pickers.set(set, (pick = set.picker(sp.pick)));
      const v = sp.build(header, pick(buf, at, end), ctx);
      // Every attribute was one the fields needed (a plain IPv4 route): the object is complete,
      // nothing is left to decode, and it is the builder's own plain object.
      if (v === undefined || !pick.skipped) return v;
      return new Lazy(v, buf, at, end, set);
    };
  };

  const eagerReader = (ctx: C): LazyEntryReader<T> => {
    const sp = init();
    const type = sp.schema.type;
    return (buf, start, end, t) => {
      if (t !== type) return undefined;
      const { header, set, at } = headerAndSet(sp, buf, start, end);
      return sp.build(header, set ? set.read(buf, at, end, [sp.schema.name]) : undefined, ctx);
    };
  };

  return {
    lazyReader,
    eagerReader,
    reader(ctx) {
      if (eagerOnly()) return eagerReader(ctx);
      const lazy = lazyReader(ctx);
      if (!checkingLazy()) return lazy;
      const eager = eagerReader(ctx);
      return (buf, start, end, type) => {
        const v = lazy(buf, start, end, type);
        assertLazyEqual(`${name} at byte ${start}`, lazy(buf, start, end, type), eager(buf, start, end, type));
        return v;
      };
    },
  };
}

function makeCopier(sample: object, fixed: boolean): Copier {
  if (!fixed) return copyAny;
  const keys = Object.keys(sample).filter((k) => k !== 'attrs');
  return new Function('o', 'v', keys.map((k) => `o[${JSON.stringify(k)}] = v[${JSON.stringify(k)}];`).join('\n')) as Copier;
}
