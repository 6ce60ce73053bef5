/**
 * Whole netlink messages: a protocol registers, per message type, its name, the fixed
 * family header (a struct kind) and the attribute set that follows. From that come
 * encodeMessages() (two-pass: size, then one Buffer), decodeMessage() and describe().
 * The core knows no family: route/ and nft/ register their own messages.
 */
import { NLMSG_HDRLEN, nlmsgAlign, zeroPad } from './align.js';
import { DecodeError } from './errors.js';
import {
  type FlagClass, NLMSG_DONE, NLMSG_ERROR, NLMSG_TYPE_NAMES, NLM_F_ACK_TLVS, NLM_F_CAPPED, formatFlags, readHeader,
} from './header.js';
import type { Kind, Path } from './kinds.js';
import { type AttrSet, type AttrValues, NLA_TYPE_MASK, type Spec } from './schema.js';
import { NLA_HDRLEN } from './align.js';

/** Layout of one message type. */
export interface MessageSchema<H = any, S extends Spec = Spec> {
  /** Kernel name, e.g. `RTM_NEWLINK`. */
  readonly name: string;
  readonly type: number;
  /** Fixed family header after nlmsghdr (struct ifinfomsg, struct nfgenmsg, …). */
  readonly header: Kind<H> & { readonly structSize: number };
  /** Attributes after the header; omit for messages without attributes. */
  readonly attrs?: AttrSet<S>;
  /** Meaning of flag bits 0x100–0x800 on this type. */
  readonly flagClass: FlagClass;
  /**
   * Pick the attribute set from the fixed header, for messages whose attribute layout depends
   * on a header field rather than on a sibling attribute (rtnetlink link messages with
   * ifi_family AF_BRIDGE put IFLA_BRIDGE_* straight in IFLA_AF_SPEC). Return undefined to fall
   * back to `attrs`. Used alike by decodeMessage (the decoded header), messageSize /
   * encodeMessages (the OutMessage's header), requestPathAt (the request's decoded header)
   * and describeMessage. Must be pure: decoding and encoding the same header must agree.
   */
  readonly attrsFor?: (header: H) => AttrSet | undefined;
}

/** The attribute set of a message with this fixed header: `attrsFor(header)`, else `attrs`. */
export function attrsOf(s: MessageSchema, header: unknown): AttrSet | undefined {
  return (s.attrsFor && header !== undefined ? s.attrsFor(header) : undefined) ?? s.attrs;
}

/** A protocol's message table (e.g. rtnetlink, nfnetlink). */
export class Protocol {
  readonly #types = new Map<number, MessageSchema>();
  constructor(readonly name: string, readonly id: number) {}

  /** Add message schemas (type number → header and attribute set) to this protocol. */
  register(...schemas: MessageSchema[]): this {
    for (const s of schemas) {
      if (this.#types.has(s.type)) throw new Error(`${this.name}: message type ${s.type} registered twice`);
      this.#types.set(s.type, s);
    }
    return this;
  }

  /** The schema of a message type, if registered. */
  schema(type: number): MessageSchema | undefined {
    return this.#types.get(type);
  }

  readonly #paths = new Map<number, readonly string[]>();
  readonly #headerPaths = new Map<number, readonly string[]>();
  /** `[name]` or `[name, 'header']` of a message type, made once (error paths; never mutated). */
  path(type: number, sub?: 'header'): readonly string[] {
    const cache = sub ? this.#headerPaths : this.#paths;
    let p = cache.get(type);
    if (!p) cache.set(type, p = sub ? [this.typeName(type), sub] : [this.typeName(type)]);
    return p;
  }

  /** The name of a message type (`RTM_NEWLINK`), or `0x…` for unknown types. */
  typeName(type: number): string {
    return this.#types.get(type)?.name ?? NLMSG_TYPE_NAMES[type] ?? `type ${type}`;
  }
}

/** A message to encode: header fields, family header and attributes. */
export interface OutMessage<H = Record<string, unknown>, A = Record<string, unknown>> {
  readonly type: number;
  readonly flags: number;
  /** Filled in by the socket when omitted. */
  seq?: number;
  readonly pid?: number;
  readonly header: H;
  readonly attrs?: A;
}

/** A decoded message. For NLMSG_ERROR, `error` is set; for unknown types, `payload` holds the bytes. */
export interface Message<H = any, A = any> {
  type: number;
  flags: number;
  seq: number;
  pid: number;
  /** The schema's name for `type`. */
  name: string;
  header?: H;
  attrs?: A;
  error?: ErrorPayload;
  payload?: Buffer;
}

/** NLMSG_ERROR payload: struct nlmsgerr (+ TLVs when NLM_F_ACK_TLVS). */
export interface ErrorPayload {
  /** The kernel's `error` field (0 = ACK, else a negative errno). */
  readonly error: number;
  /** The header of the request this answers. */
  readonly request: { len: number; type: number; flags: number; seq: number; pid: number };
  /** The echoed request payload (absent when NLM_F_CAPPED). */
  readonly requestPayload?: Buffer;
  readonly tlvs: ReadonlyMap<number, Buffer>;
}

/** Encoded size of one message (nlmsghdr + header + attrs), validating it. */
export function messageSize(proto: Protocol, m: OutMessage, path: Path = []): number {
  const s = proto.schema(m.type);
  if (!s) throw new RangeError(`${proto.name}: unknown message type ${m.type}`);
  // Paths only name the field in an error: size without them, and on failure size again with
  // them (sizing is pure, so the same error comes back, worded in full).
  try {
    return sizeWith(s, m, NO_PATH, NO_PATH);
  } catch {
    return sizeWith(s, m, path.length ? path : proto.path(m.type), path.length ? [...path, 'header'] : proto.path(m.type, 'header'));
  }
}

const NO_PATH: Path = [];

function sizeWith(s: MessageSchema, m: OutMessage, p: Path, hp: Path): number {
  let n = NLMSG_HDRLEN + s.header.size(m.header as never, hp);
  if (m.attrs) {
    const set = attrsOf(s, m.header);
    if (!set) throw new TypeError(`${s.name} carries no attributes`);
    // Attributes start at NLMSG_ALIGN(header) (<net/netlink.h> nlmsg_attrdata), as decodeMessage reads them.
    const as = set.size(m.attrs as Record<string, unknown>, p);
    if (as) n = nlmsgAlign(n) + as;
  }
  return nlmsgAlign(n);
}

/**
 * Encode messages back to back into one Buffer: each is sized (and validated), then written,
 * in one pass over `msgs` — an iterable is consumed once, so a caller can build messages on
 * the fly and keep none of them alive. Returns the buffer and each message's start offset.
 */
export function encodeMessages(proto: Protocol, msgs: Iterable<OutMessage>, stamp?: EncodeStamp): { buf: Buffer; offsets: number[] } {
  const count = Array.isArray(msgs) ? msgs.length : 0;
  let buf = Buffer.allocUnsafe(count ? count * 64 : 4096);
  const offsets: number[] = [];
  const orFlags = stamp?.flags ?? 0;
  let off = 0, i = 0;
  for (const m of msgs) {
    const size = messageSize(proto, m);
    if (off + size > buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, off + size));
      buf.copy(bigger, 0, 0, off);
      buf = bigger;
    }
    offsets.push(off);
    const seq = stamp?.seq === undefined ? m.seq ?? 0 : stamp.seq + i;
    const end = writeMessage(proto, m, buf, off, m.flags | orFlags, seq);
    if (end - off > size) throw new Error(`internal: ${proto.typeName(m.type)} wrote ${end - off} bytes, sized ${size}`);
    zeroPad(buf, end, off + size);
    off += size;
    i++;
  }
  return { buf: off === buf.length ? buf : buf.subarray(0, off), offsets };
}

/** What encodeMessages() stamps on every message without copying it: seq = `seq` + index, flags |= `flags`. */
export interface EncodeStamp {
  readonly seq?: number;
  readonly flags?: number;
}

function writeMessage(proto: Protocol, m: OutMessage, buf: Buffer, off: number, flags = m.flags, seq = m.seq ?? 0): number {
  const s = proto.schema(m.type)!;
  let p = s.header.write(m.header as never, buf, off + NLMSG_HDRLEN);
  const set = m.attrs ? attrsOf(s, m.header) : undefined;
  if (m.attrs && set) {
    const a = off + nlmsgAlign(p - off);
    zeroPad(buf, p, a);
    const end = set.write(m.attrs as Record<string, unknown>, buf, a);
    if (end > a) p = end;
  }
  buf.writeUInt32LE(p - off, off);
  buf.writeUInt16LE(m.type, off + 4);
  buf.writeUInt16LE(flags, off + 6);
  buf.writeUInt32LE(seq >>> 0, off + 8);
  buf.writeUInt32LE((m.pid ?? 0) >>> 0, off + 12);
  return p;
}

/** Encode one message. */
export function encodeMessage(proto: Protocol, m: OutMessage): Buffer {
  return encodeMessages(proto, [m]).buf;
}

/** Split a datagram into message bounds [start, end) (nlmsg_len), validating lengths. */
export function splitMessages(buf: Buffer, start = 0, end = buf.length): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let off = start;
  while (off + NLMSG_HDRLEN <= end) {
    const len = buf.readUInt32LE(off);
    if (len < NLMSG_HDRLEN || off + len > end) throw new DecodeError(`nlmsg_len ${len} overruns the datagram (${end - off} bytes left)`, ['nlmsghdr'], off);
    out.push([off, off + len]);
    off += nlmsgAlign(len);
  }
  return out;
}

/** Parse struct nlmsgerr at `buf[start, end)` (the payload of an NLMSG_ERROR). */
export function parseErrorPayload(buf: Buffer, start: number, end: number, flags: number): ErrorPayload {
  if (end - start < 4 + NLMSG_HDRLEN) throw new DecodeError('NLMSG_ERROR payload shorter than struct nlmsgerr', ['NLMSG_ERROR'], start);
  const error = buf.readInt32LE(start);
  const request = readHeader(buf, start + 4);
  let off = start + 4 + NLMSG_HDRLEN;
  let requestPayload: Buffer | undefined;
  if (!(flags & NLM_F_CAPPED)) {
    const plen = Math.max(0, Math.min(request.len - NLMSG_HDRLEN, end - off));
    requestPayload = Buffer.from(buf.subarray(off, off + plen));
    off += nlmsgAlign(plen);
  }
  const tlvs = new Map<number, Buffer>();
  if (flags & NLM_F_ACK_TLVS) {
    while (off + NLA_HDRLEN <= end) {
      const len = buf.readUInt16LE(off);
      if (len < NLA_HDRLEN || off + len > end) break;
      tlvs.set(buf.readUInt16LE(off + 2) & NLA_TYPE_MASK, Buffer.from(buf.subarray(off + NLA_HDRLEN, off + len)));
      off += (len + 3) & ~3;
    }
  }
  return requestPayload ? { error, request, requestPayload, tlvs } : { error, request, tlvs };
}

/** Decode one message at `buf[start, end)`. Unknown types keep their payload bytes. */
export function decodeMessage(proto: Protocol, buf: Buffer, start = 0, end = buf.length): Message {
  if (end - start < NLMSG_HDRLEN) readHeader(buf, start); // throws the bounds error
  // nlmsghdr read byte by byte: dumps decode thousands of these before V8 optimises anything.
  const type = buf[start + 4]! | (buf[start + 5]! << 8);
  const flags = buf[start + 6]! | (buf[start + 7]! << 8);
  const seq = (buf[start + 8]! | (buf[start + 9]! << 8) | (buf[start + 10]! << 16) | (buf[start + 11]! << 24)) >>> 0;
  const pid = (buf[start + 12]! | (buf[start + 13]! << 8) | (buf[start + 14]! << 16) | (buf[start + 15]! << 24)) >>> 0;
  const s = proto.schema(type);
  const msg: Message = { type, flags, seq, pid, name: s ? s.name : proto.typeName(type) };
  const body = start + NLMSG_HDRLEN;
  if (type === NLMSG_ERROR) {
    msg.error = parseErrorPayload(buf, body, end, flags);
    return msg;
  }
  if (type === NLMSG_DONE) {
    if (end - body >= 4) msg.payload = Buffer.from(buf.subarray(body, end));
    return msg;
  }
  if (!s) {
    msg.payload = Buffer.from(buf.subarray(body, end));
    return msg;
  }
  const hs = s.header.structSize;
  if (end - body < hs) throw new DecodeError(`${s.name} shorter than its ${s.header.kindName}`, [s.name], body);
  // Error paths are the protocol's cached arrays (nothing allocated per message).
  msg.header = s.header.read(buf, body, body + hs, proto.path(type, 'header'));
  const set = attrsOf(s, msg.header);
  if (set) msg.attrs = set.read(buf, body + nlmsgAlign(hs), end, proto.path(type));
  return msg;
}

/** Decode every message in a datagram. */
export function decodeAll(proto: Protocol, buf: Buffer): Message[] {
  return splitMessages(buf).map(([s, e]) => decodeMessage(proto, buf, s, e));
}

/** Re-encode a decoded message (round-trip check: must equal the original bytes). */
export function reencode(proto: Protocol, m: Message): Buffer {
  if (m.payload !== undefined || m.error !== undefined) throw new TypeError(`${m.name}: only schema-decoded messages re-encode`);
  return encodeMessage(proto, { type: m.type, flags: m.flags, seq: m.seq, pid: m.pid, header: m.header, attrs: m.attrs });
}

/** Human-readable multi-line text of a decoded message (used by netlink-dump and test diffs). */
export function describeMessage(proto: Protocol, m: Message): string {
  const s = proto.schema(m.type);
  const cls: FlagClass = m.type === NLMSG_ERROR ? 'ack' : s?.flagClass ?? 'other';
  const head = `${m.name} flags=${formatFlags(m.flags, cls)} seq=${m.seq} pid=${m.pid}`;
  const lines = [head];
  if (m.error) {
    const e = m.error;
    lines.push(`  error: ${e.error}${e.error ? '' : ' (ACK)'} for ${proto.typeName(e.request.type)} seq=${e.request.seq}`);
    for (const [t, v] of e.tlvs) lines.push(`  NLMSGERR_ATTR_${ERR_ATTR_NAMES[t] ?? t}: ${t === 1 ? JSON.stringify(v.toString('utf8').replace(/\0+$/, '')) : v.toString('hex')}`);
  }
  if (s && m.header !== undefined) lines.push(`  header: ${s.header.describe(m.header, '    ')}`);
  const set = s ? attrsOf(s, m.header) : undefined;
  if (set && m.attrs) {
    const text = set.describe(m.attrs, '  ');
    if (text) lines.push(text);
  }
  if (m.payload) lines.push(`  payload: ${m.payload.toString('hex')}`);
  return lines.join('\n');
}

const ERR_ATTR_NAMES: Record<number, string> = { 1: 'MSG', 2: 'OFFS', 3: 'COOKIE', 4: 'POLICY', 5: 'MISS_TYPE', 6: 'MISS_NEST' };

/** Attribute path inside an encoded request that byte `offset` (from its nlmsghdr) falls in. */
export function requestPathAt(proto: Protocol, request: Buffer, offset: number): string[] {
  if (request.length < NLMSG_HDRLEN) return [];
  const type = request.readUInt16LE(4);
  const s = proto.schema(type);
  if (!s) return [];
  const attrStart = NLMSG_HDRLEN + nlmsgAlign(s.header.structSize);
  if (offset < NLMSG_HDRLEN) return ['nlmsghdr'];
  if (offset < attrStart) return ['header'];
  const set = requestAttrs(s, request);
  if (!set) return [];
  const len = Math.min(request.readUInt32LE(0), request.length);
  return set.pathAt(request, attrStart, len, offset);
}

/** The attribute set of an encoded request of schema `s` (its header decoded for `attrsFor`). */
export function requestAttrs(s: MessageSchema, request: Buffer): AttrSet | undefined {
  if (!s.attrsFor) return s.attrs;
  const hs = s.header.structSize;
  if (request.length < NLMSG_HDRLEN + hs) return s.attrs;
  let header: unknown;
  try {
    header = s.header.read(request, NLMSG_HDRLEN, NLMSG_HDRLEN + hs, [s.name, 'header']);
  } catch {
    return s.attrs;
  }
  return attrsOf(s, header);
}

/** Type-level helper: the values of a message schema's attributes. */
export type MessageAttrs<M> = M extends MessageSchema<any, infer S> ? AttrValues<S> : never;
