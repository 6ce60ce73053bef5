/**
 * Attribute value kinds: how one attribute payload is sized, written, read and printed.
 * A kind is `{ size, write, read, describe }`; byte order belongs to the kind
 * (rtnetlink payloads are host order, nftables payloads big-endian).
 *
 * `size` runs first on every encode (two-pass encoding), so it is also where a bad value
 * is rejected — with a TypeError/RangeError naming the attribute path — before any syscall.
 */
import { DecodeError } from './errors.js';
import { formatIPv4, formatIPv6, writeIPv4, writeIPv6 } from './ip.js';
import { formatBits } from './header.js';

/** An attribute path by kernel names, as in DecodeError.path. */
export type Path = readonly string[];

/** A sibling-aware context: the values object the attribute sits in. */
export type Parent = Readonly<Record<string, unknown>>;

/** How one attribute payload or struct field is encoded and decoded: size, write, read, describe. */
export interface Kind<T> {
  readonly kindName: string;
  /** Encode as a nested attribute (NLA_F_NESTED set on the header). */
  readonly nested?: boolean;
  /** Decode after all siblings (union kinds need their selector). */
  readonly deferred?: boolean;
  /** Fixed payload size, for kinds usable as struct fields. */
  readonly fixedSize?: number;
  /** As an attribute, the payload must be exactly `fixedSize` bytes (else it is kept raw). */
  readonly exact?: boolean;
  /** Payload byte length of `v` (validates `v`). */
  size(v: T, path: Path, parent?: Parent): number;
  /** Write the payload at `off`; returns the offset just past it. */
  write(v: T, buf: Buffer, off: number, parent?: Parent): number;
  /** Read a payload occupying `buf[start, end)`. */
  read(buf: Buffer, start: number, end: number, path: Path, parent?: Parent): T;
  /** Human-readable text; multi-line kinds indent continuation lines with `indent`. */
  describe(v: T, indent: string, parent?: Parent): string;
  /**
   * For plain integer kinds (and enumOf/flagsOf of them, which decode the same number): the
   * wire layout, so struct and attribute decoders can read the value inline, byte by byte,
   * instead of calling read() (three calls deep) for every field of every message.
   */
  readonly wire?: IntWire;
}

/** Layouts of the integer kinds, for inline decoding (see {@link intWireExpr}, {@link readIntWire}). */
export type IntWire = 'u8' | 's8' | 'u16' | 's16' | 'u32' | 's32' | 'be16' | 'be32';

/**
 * A JavaScript expression reading integer layout `w` from `buf` at offset expression `p`
 * (bounds already checked by the caller) — for generated decoders (struct.ts).
 */
export function intWireExpr(w: IntWire, p: string): string {
  const b = (k: number): string => `buf[${p} + ${k}]`;
  switch (w) {
    case 'u8': return b(0);
    case 's8': return `(${b(0)} << 24 >> 24)`;
    case 'u16': return `(${b(0)} | ${b(1)} << 8)`;
    case 's16': return `((${b(0)} | ${b(1)} << 8) << 16 >> 16)`;
    case 'u32': return `((${b(0)} | ${b(1)} << 8 | ${b(2)} << 16 | ${b(3)} << 24) >>> 0)`;
    case 's32': return `(${b(0)} | ${b(1)} << 8 | ${b(2)} << 16 | ${b(3)} << 24)`;
    case 'be16': return `(${b(0)} << 8 | ${b(1)})`;
    case 'be32': return `((${b(0)} << 24 | ${b(1)} << 16 | ${b(2)} << 8 | ${b(3)}) >>> 0)`;
  }
}

/** Read integer layout `w` at `o` (bounds already checked by the caller). */
export function readIntWire(w: IntWire, buf: Buffer, o: number): number {
  switch (w) {
    case 'u8': return buf[o]!;
    case 's8': return (buf[o]! << 24) >> 24;
    case 'u16': return buf[o]! | (buf[o + 1]! << 8);
    case 's16': return ((buf[o]! | (buf[o + 1]! << 8)) << 16) >> 16;
    case 'u32': return (buf[o]! | (buf[o + 1]! << 8) | (buf[o + 2]! << 16) | (buf[o + 3]! << 24)) >>> 0;
    case 's32': return buf[o]! | (buf[o + 1]! << 8) | (buf[o + 2]! << 16) | (buf[o + 3]! << 24);
    case 'be16': return (buf[o]! << 8) | buf[o + 1]!;
    case 'be32': return ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
  }
}

/** The value type a Kind encodes. */
export type KindValue<K> = K extends Kind<infer T> ? T : never;

const where = (path: Path): string => (path.length ? path.join('.') : 'value');

function intKind(name: IntWire, size: number, min: number, max: number,
  rd: (b: Buffer, o: number) => number, wr: (b: Buffer, v: number, o: number) => number): Kind<number> {
  return {
    kindName: name,
    fixedSize: size,
    exact: true,
    wire: name,
    size(v, path) {
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${where(path)}: expected an integer (${name}), got ${typeof v === 'number' ? v : typeof v}`);
      if (v < min || v > max) throw new RangeError(`${where(path)}: ${v} is out of range for ${name} (${min}..${max})`);
      return size;
    },
    write: (v, buf, off) => wr(buf, v, off),
    read(buf, start, end, path) {
      if (end - start < size) throw new DecodeError(`${name} needs ${size} bytes, got ${end - start}`, path, start);
      return rd(buf, start);
    },
    describe: (v) => String(v),
  };
}

/** Unsigned 8-bit integer. */
export const u8 = intKind('u8', 1, 0, 0xff, (b, o) => b.readUInt8(o), (b, v, o) => b.writeUInt8(v, o));
/** Signed 8-bit integer. */
export const s8 = intKind('s8', 1, -0x80, 0x7f, (b, o) => b.readInt8(o), (b, v, o) => b.writeInt8(v, o));
/** Unsigned 16-bit integer, host (little-endian) order. */
export const u16 = intKind('u16', 2, 0, 0xffff, (b, o) => b.readUInt16LE(o), (b, v, o) => b.writeUInt16LE(v, o));
/** Signed 16-bit integer, host order. */
export const s16 = intKind('s16', 2, -0x8000, 0x7fff, (b, o) => b.readInt16LE(o), (b, v, o) => b.writeInt16LE(v, o));
/** Unsigned 32-bit integer, host order. */
export const u32 = intKind('u32', 4, 0, 0xffffffff, (b, o) => b.readUInt32LE(o), (b, v, o) => b.writeUInt32LE(v, o));
/** Signed 32-bit integer, host order. */
export const s32 = intKind('s32', 4, -0x80000000, 0x7fffffff, (b, o) => b.readInt32LE(o), (b, v, o) => b.writeInt32LE(v, o));
/** Unsigned 16-bit integer, network (big-endian) order. */
export const be16 = intKind('be16', 2, 0, 0xffff, (b, o) => b.readUInt16BE(o), (b, v, o) => b.writeUInt16BE(v, o));
/** Unsigned 32-bit integer, network order. */
export const be32 = intKind('be32', 4, 0, 0xffffffff, (b, o) => b.readUInt32BE(o), (b, v, o) => b.writeUInt32BE(v, o));

function bigKind(name: string, le: boolean): Kind<bigint> {
  return {
    kindName: name,
    fixedSize: 8,
    exact: true,
    size(v, path) {
      if (typeof v !== 'bigint') throw new TypeError(`${where(path)}: expected a bigint (${name}), got ${typeof v}`);
      if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError(`${where(path)}: ${v} is out of range for ${name}`);
      return 8;
    },
    write: (v, buf, off) => (le ? buf.writeBigUInt64LE(v, off) : buf.writeBigUInt64BE(v, off)),
    read(buf, start, end, path) {
      if (end - start < 8) throw new DecodeError(`${name} needs 8 bytes, got ${end - start}`, path, start);
      // Most counters in a dump are zero: return the shared 0n instead of allocating a BigInt.
      if (buf.readUInt32LE(start) === 0 && buf.readUInt32LE(start + 4) === 0) return 0n;
      return le ? buf.readBigUInt64LE(start) : buf.readBigUInt64BE(start);
    },
    describe: (v) => String(v),
  };
}
/** u64 as bigint (counters can exceed 2^53). */
export const u64 = bigKind('u64', true);
/** Unsigned 64-bit integer (bigint), network order. */
export const be64 = bigKind('be64', false);

/** NUL-terminated string; `maxLen` counts characters without the NUL (IFNAMSIZ-1 = 15 for names). */
export function asciiz(maxLen?: number): Kind<string> {
  return {
    kindName: 'asciiz',
    size(v, path) {
      if (typeof v !== 'string') throw new TypeError(`${where(path)}: expected a string, got ${typeof v}`);
      const n = Buffer.byteLength(v);
      if (v.includes('\0')) throw new RangeError(`${where(path)}: string contains a NUL byte`);
      if (maxLen !== undefined && n > maxLen) throw new RangeError(`${where(path)}: "${v}" is ${n} bytes; at most ${maxLen} allowed`);
      return n + 1;
    },
    write(v, buf, off) {
      const n = buf.write(v, off, 'utf8');
      buf[off + n] = 0;
      return off + n + 1;
    },
    read(buf, start, end) {
      const nul = buf.indexOf(0, start);
      return buf.toString('utf8', start, nul === -1 || nul > end ? end : nul);
    },
    describe: (v) => JSON.stringify(v),
  };
}
/** NUL-terminated string with no length limit. */
export const string0 = asciiz();

/** A string without a terminating NUL (a trailing NUL, if present on decode, is dropped). */
export const string: Kind<string> = {
  kindName: 'string',
  size(v, path) {
    if (typeof v !== 'string') throw new TypeError(`${where(path)}: expected a string, got ${typeof v}`);
    return Buffer.byteLength(v);
  },
  write: (v, buf, off) => off + buf.write(v, off, 'utf8'),
  read(buf, start, end) {
    let e = end;
    while (e > start && buf[e - 1] === 0) e--;
    return buf.toString('utf8', start, e);
  },
  describe: (v) => JSON.stringify(v),
};

const EMPTY: Buffer = Object.freeze(Buffer.alloc(0)) as Buffer;

/** Opaque bytes (copied out on decode so the value outlives the receive buffer). */
export const bytes: Kind<Buffer> = {
  kindName: 'bytes',
  size(v, path) {
    if (!Buffer.isBuffer(v)) throw new TypeError(`${where(path)}: expected a Buffer, got ${typeof v}`);
    return v.length;
  },
  write: (v, buf, off) => off + v.copy(buf, off),
  read(buf, start, end) {
    // Empty payloads (IFLA_DEVLINK_PORT, … on every link) share one frozen empty Buffer.
    if (end === start) return EMPTY;
    const out = Buffer.allocUnsafe(end - start);
    buf.copy(out, 0, start, end);
    return out;
  },
  describe: (v) => (v.length ? v.toString('hex').replace(/(.{8})(?!$)/g, '$1 ') : '(empty)'),
};

/** Fixed-size opaque bytes (for struct fields). */
export function fixedBytes(n: number): Kind<Buffer> {
  return {
    ...bytes,
    kindName: `bytes[${n}]`,
    fixedSize: n,
    exact: true,
    size(v, path) {
      if (!Buffer.isBuffer(v) || v.length !== n) throw new TypeError(`${where(path)}: expected a Buffer of ${n} bytes`);
      return n;
    },
    read(buf, start, end, path) {
      if (end - start < n) throw new DecodeError(`bytes[${n}] needs ${n} bytes, got ${end - start}`, path, start);
      return Buffer.from(buf.subarray(start, start + n));
    },
  };
}

/** A flag attribute: present (true) or absent; no payload. */
export const flag: Kind<true> = {
  kindName: 'flag',
  size(v, path) {
    if (v !== true) throw new TypeError(`${where(path)}: a flag attribute is set with true (omit it to leave it unset)`);
    return 0;
  },
  write: (_v, _buf, off) => off,
  read: () => true,
  describe: () => 'true',
};

/** Where size() parses an address to validate it (write() parses it again, into place). */
const SCRATCH = Buffer.alloc(16);

/** IPv4 or IPv6 address as text; 4 or 16 bytes on the wire (network order, whatever the kind). */
export const ipaddr: Kind<string> = {
  kindName: 'ipaddr',
  size(v, path) {
    if (typeof v !== 'string') throw new TypeError(`${where(path)}: expected an IP address string, got ${typeof v}`);
    if (writeIPv4(v, SCRATCH, 0)) return 4;
    if (writeIPv6(v, SCRATCH, 0)) return 16;
    throw new RangeError(`${where(path)}: "${v}" is not an IPv4 or IPv6 address`);
  },
  write(v, buf, off) {
    if (writeIPv4(v, buf, off)) return off + 4;
    writeIPv6(v, buf, off);
    return off + 16;
  },
  read(buf, start, end, path) {
    if (end - start === 4) return formatIPv4(buf, start);
    if (end - start === 16) return formatIPv6(buf, start);
    throw new DecodeError(`an IP address is 4 or 16 bytes, got ${end - start}`, path, start);
  },
  describe: (v) => v,
};

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Link-layer address `aa:bb:cc:dd:ee:ff` (any length). */
export const lladdr: Kind<string> = {
  kindName: 'lladdr',
  size(v, path) {
    if (typeof v !== 'string' || !/^([0-9a-fA-F]{2})(:[0-9a-fA-F]{2})*$/.test(v)) {
      throw new TypeError(`${where(path)}: expected a link-layer address like "02:00:00:00:00:01", got ${JSON.stringify(v)}`);
    }
    return (v.length + 1) / 3;
  },
  write(v, buf, off) {
    for (let i = 0; i < v.length; i += 3) buf[off++] = parseInt(v.slice(i, i + 2), 16);
    return off;
  },
  read(buf, start, end) {
    if (end <= start) return '';
    let out = HEX2[buf[start]!]!;
    for (let i = start + 1; i < end; i++) out += ':' + HEX2[buf[i]!]!;
    return out;
  },
  describe: (v) => v,
};

/** An integer kind whose values print by name (unknown values stay numbers). */
export function enumOf(base: Kind<number>, names: Readonly<Record<number, string>>): Kind<number> {
  return { ...base, kindName: `${base.kindName} enum`, describe: (v) => (names[v] !== undefined ? `${names[v]} (${v})` : String(v)) };
}

/** An integer kind whose values are bit sets, printed `UP|BROADCAST|0x10000`. */
export function flagsOf(base: Kind<number>, names: ReadonlyArray<readonly [number, string]>): Kind<number> {
  return { ...base, kindName: `${base.kindName} flags`, describe: (v) => formatBits(v, names) };
}
