/**
 * WireWriter: messages written field by field into one growing buffer — the bulk fast path.
 *
 * The general encoder (message.ts) takes a message as an object, sizes it (validating every
 * value) and then writes it: two walks over generic tables, right for any message. A bulk add
 * of 10k routes spends most of its user time there, in code V8 has not optimised yet, although
 * its input was checked before (checkRouteSpec) and its layout is known. A writer for such a
 * message (route/route/route.ts and its siblings) asks the same declaration tables for each attribute's wire
 * type and kind once, at load, then writes straight into this buffer: one pass, no message
 * object. Tests hold every such writer byte-identical to the general encoder.
 *
 * Multi-byte integers are host order (little-endian here), like the rtnetlink payloads they
 * carry; they are stored byte by byte, which stays fast before V8 optimises the caller.
 */
import { NLA_HDRLEN, NLMSG_HDRLEN, nlaAlign } from './align.js';
import type { Kind, Parent } from './kinds.js';
import { ipaddr, u32 } from './kinds.js';
import type { AttrSet } from './schema.js';
import { writeIPv4, writeIPv6 } from './ip.js';

/** Messages encoded back to back, as encodeMessages() returns them. */
export interface EncodedMessages {
  readonly buf: Buffer;
  /** Start offset of each message. */
  readonly offsets: number[];
}

const NO_PATH: readonly string[] = [];

/** Store an attribute with a u8 payload (3 bytes of padding) at `o`; returns the offset after it. */
export function putU8(b: Buffer, o: number, raw: number, v: number): number {
  b[o] = 5; b[o + 1] = 0; b[o + 2] = raw & 255; b[o + 3] = raw >>> 8;
  b[o + 4] = v; b[o + 5] = 0; b[o + 6] = 0; b[o + 7] = 0;
  return o + 8;
}

/** Store an attribute with a u32 payload (host order) at `o`; returns the offset after it. */
export function putU32(b: Buffer, o: number, raw: number, v: number): number {
  b[o] = 8; b[o + 1] = 0; b[o + 2] = raw & 255; b[o + 3] = raw >>> 8;
  b[o + 4] = v & 255; b[o + 5] = (v >>> 8) & 255; b[o + 6] = (v >>> 16) & 255; b[o + 7] = v >>> 24;
  return o + 8;
}

/** Store an address attribute (4 or 16 bytes, by `family`; the text was checked before) at `o`. */
export function putIp(b: Buffer, o: number, raw: number, text: string, family: 4 | 6): number {
  const len = family === 4 ? 8 : 20;
  b[o] = len; b[o + 1] = 0; b[o + 2] = raw & 255; b[o + 3] = raw >>> 8;
  if (!(family === 4 ? writeIPv4(text, b, o + 4) : writeIPv6(text, b, o + 4))) {
    throw new Error(`internal: WireWriter: "${text}" is not an IPv${family} address`);
  }
  return o + len;
}

export class WireWriter {
  #buf: Buffer;
  #off = 0;
  #start = -1;

  /**
   * The buffer and the offset of the next attribute, for writers that store attributes
   * themselves (putU8/putU32/putIp) after begin() reserved room for them: `buf` is valid
   * until the next ensure() or begin(); set `off` past what was stored before end().
   */
  get buf(): Buffer {
    return this.#buf;
  }

  get off(): number {
    return this.#off;
  }

  set off(v: number) {
    if (v < this.#off || v > this.#buf.length) throw new Error(`internal: WireWriter.off ${v} outside [${this.#off}, ${this.#buf.length}]`);
    this.#off = v;
  }
  readonly #offsets: number[] = [];

  constructor(sizeHint = 4096) {
    this.#buf = Buffer.allocUnsafe(Math.max(64, sizeHint));
  }

  /** Make room for `n` more bytes. */
  ensure(n: number): void {
    if (this.#off + n <= this.#buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#off + n));
    this.#buf.copy(bigger, 0, 0, this.#off);
    this.#buf = bigger;
  }

  /**
   * Start a message: nlmsghdr with `type` and `flags` (seq and pid 0; the socket stamps seqs),
   * then `fixed` bytes of family header, zeroed, at the returned offset. Room for
   * `reserve` bytes is made (more may be asked with ensure()).
   */
  begin(type: number, flags: number, fixed: number, reserve: number): number {
    if (this.#start !== -1) throw new Error('internal: WireWriter.begin() inside a message');
    this.ensure(NLMSG_HDRLEN + fixed + reserve);
    const b = this.#buf, o = this.#off;
    this.#start = o;
    this.#offsets.push(o);
    b[o + 4] = type & 255; b[o + 5] = type >>> 8;
    b[o + 6] = flags & 255; b[o + 7] = (flags >>> 8) & 255;
    const body = NLMSG_HDRLEN + ((fixed + 3) & ~3); // the family header, NLMSG_ALIGNed, zeroed with its padding
    for (let i = 8; i < body; i++) b[o + i] = 0;
    this.#off = o + body;
    return o + NLMSG_HDRLEN;
  }

  /** End the current message: its nlmsg_len. */
  end(): void {
    const o = this.#start;
    if (o === -1) throw new Error('internal: WireWriter.end() outside a message');
    this.u32At(o, this.#off - o);
    this.#start = -1;
  }

  u8At(at: number, v: number): void {
    this.#buf[at] = v;
  }

  u32At(at: number, v: number): void {
    const b = this.#buf;
    b[at] = v & 255; b[at + 1] = (v >>> 8) & 255; b[at + 2] = (v >>> 16) & 255; b[at + 3] = v >>> 24;
  }

  /** An attribute with a u8 payload (3 bytes of padding). */
  attrU8(raw: number, v: number): void {
    this.#off = putU8(this.#buf, this.#off, raw, v);
  }

  /** An attribute with a u32 payload (host order). */
  attrU32(raw: number, v: number): void {
    this.#off = putU32(this.#buf, this.#off, raw, v);
  }

  /** An attribute holding an address (4 or 16 bytes, by `family`); the text was checked before. */
  attrIp(raw: number, text: string, family: 4 | 6): void {
    this.#off = putIp(this.#buf, this.#off, raw, text, family);
  }

  /** Any attribute, through its declared kind (sized, so validated, first). */
  attrKind(raw: number, kind: Kind<any>, v: unknown, parent?: Parent): void {
    const len = kind.size(v, NO_PATH, parent);
    this.ensure(nlaAlign(NLA_HDRLEN + len));
    const b = this.#buf, o = this.#off;
    const end = kind.write(v, b, o + NLA_HDRLEN, parent);
    if (end - o - NLA_HDRLEN !== len) throw new Error(`internal: ${kind.kindName} wrote ${end - o - NLA_HDRLEN} bytes, sized ${len}`);
    b[o] = (NLA_HDRLEN + len) & 255; b[o + 1] = (NLA_HDRLEN + len) >>> 8; b[o + 2] = raw & 255; b[o + 3] = raw >>> 8;
    const aligned = o + nlaAlign(NLA_HDRLEN + len);
    for (let i = end; i < aligned; i++) b[i] = 0;
    this.#off = aligned;
  }

  /**
   * The attributes `values` of `set`, in their key order, as AttrSet.write() writes them —
   * for values a builder has validated already: addresses and u32s are written directly,
   * anything else through its kind (which sizes, so checks, it).
   */
  attrs(set: AttrSet<any>, values: Readonly<Record<string, unknown>>): void {
    for (const key in values) {
      const v = values[key];
      if (v === undefined) continue;
      const e = set.entryByKey(key);
      if (!e || e.multi) throw new Error(`internal: WireWriter.attrs: ${set.name} ${key} is not a single declared attribute`);
      this.ensure(NLA_HDRLEN + 16);
      if (e.kind === ipaddr) this.attrIp(e.raw, v as string, (v as string).includes(':') ? 6 : 4);
      else if (e.kind === u32) this.attrU32(e.raw, v as number);
      else this.attrKind(e.raw, e.kind, v, values);
    }
  }

  /** The messages written so far. The writer must not be used afterwards. */
  finish(): EncodedMessages {
    if (this.#start !== -1) throw new Error('internal: WireWriter.finish() inside a message');
    return { buf: this.#buf.subarray(0, this.#off), offsets: this.#offsets };
  }
}

/**
 * The wire type (with flag bits) of attribute `name` of `set`, checking that its declared kind
 * is `expect` (or, for a number, has that fixed size) — a writer's fast path for it is only
 * valid for that kind, so a changed declaration fails at load instead of encoding wrongly.
 */
export function rawOf(set: AttrSet<any>, name: string, expect: Kind<any> | 1 | 4): number {
  const e = set.entry(name);
  if (!e) throw new Error(`${set.name}: no attribute ${name}`);
  const ok = typeof expect === 'number' ? e.kind.fixedSize === expect && e.kind.exact === true && !e.multi : e.kind === expect;
  if (!ok) throw new Error(`${set.name}.${name}: declared as ${e.kind.kindName}, not what its fast writer expects`);
  return e.raw;
}

/** rawOf() for an address attribute. */
export const ipRawOf = (set: AttrSet<any>, name: string): number => rawOf(set, name, ipaddr);
