/**
 * Annotated decode of whole datagrams, for explaining bytes (netlink-dump decode): every
 * message's struct nlmsghdr with type and flags named, its family header field by field,
 * every attribute with offset and length (walk.ts), and NLMSG_ERROR payloads with errno name
 * and extended-ACK TLVs. Offsets are absolute in the datagram. Nothing here throws on
 * malformed bytes: what decodes is kept and the point of failure is a fault with its offset.
 */
import { errnoMessage, errnoName } from '../ffi/errors.js';
import { NLA_HDRLEN, NLMSG_HDRLEN, nlmsgAlign } from './align.js';
import {
  type FlagClass, NLMSG_DONE, NLMSG_ERROR, NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY, NLM_F_ACK_TLVS, NLM_F_CAPPED, formatFlags, readHeader,
} from './header.js';
import type { Kind } from './kinds.js';
import { type Protocol, attrsOf, requestAttrs, requestPathAt } from './message.js';
import { type AttrNode, type WalkFault, type WalkItem, walkPayload } from './walk.js';

/** One field of a fixed family header (struct ifinfomsg.ifi_index, …). */
export interface FieldNode {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
  readonly value: unknown;
  readonly text: string;
}

/** The fixed header after nlmsghdr. */
export interface FamilyHeaderNode {
  /** `struct ifinfomsg`. */
  readonly name: string;
  readonly offset: number;
  readonly length: number;
  readonly fields: readonly FieldNode[];
}

/** One extended-ACK TLV of an NLMSG_ERROR / NLMSG_DONE. */
export interface ExtAckNode {
  readonly offset: number;
  readonly type: number;
  /** `NLMSGERR_ATTR_MSG`, … */
  readonly name: string;
  readonly value: unknown;
  readonly text: string;
}

/** struct nlmsgerr. */
export interface ErrorNode {
  /** The kernel's error field: 0 for an ACK, else minus an errno. */
  readonly error: number;
  /** `EEXIST`; `ACK` for 0. */
  readonly code: string;
  readonly message: string;
  /** The request this answers (its echoed nlmsghdr). */
  readonly request: { readonly len: number; readonly type: number; readonly name: string; readonly flags: string; readonly seq: number; readonly pid: number };
  /** The echoed request payload's length (absent when NLM_F_CAPPED). */
  readonly echoed?: number;
  /** The echoed request, decoded like any message (absent when NLM_F_CAPPED or nothing was echoed). */
  readonly requestMessage?: MessageNode;
  readonly extAck: readonly ExtAckNode[];
}

/** One message of a datagram. */
export interface MessageNode {
  readonly offset: number;
  /** nlmsg_len. */
  readonly length: number;
  readonly type: number;
  readonly name: string;
  readonly flags: number;
  /** Flags by name for the message's class (`REQUEST|ACK|EXCL|CREATE`). */
  readonly flagText: string;
  readonly seq: number;
  readonly pid: number;
  header?: FamilyHeaderNode;
  attrs?: WalkItem[];
  error?: ErrorNode;
  /** NLMSG_DONE's status word (the dump's error, 0 when it ended well). */
  done?: number;
  /** Payload bytes of a type the protocol has no schema for. */
  payload?: string;
  fault?: WalkFault;
}

export interface DatagramNode {
  readonly length: number;
  readonly messages: MessageNode[];
  /** Where the datagram stops making sense (an nlmsg_len that overruns, stray bytes). */
  readonly faults: WalkFault[];
  /** Zero bytes after the last message (a sender's spare buffer), ignored by the kernel. */
  readonly padding: number;
}

export interface AnnotateOptions {
  /**
   * The bytes of the request a capped NLMSG_ERROR answers (found elsewhere in the capture by
   * seq), so an extended-ACK offset can still be named.
   */
  readonly findRequest?: (seq: number, type: number) => Buffer | undefined;
}

const ERR_ATTR_NAMES: Readonly<Record<number, string>> = {
  [NLMSGERR_ATTR_MSG]: 'NLMSGERR_ATTR_MSG', [NLMSGERR_ATTR_OFFS]: 'NLMSGERR_ATTR_OFFS', [NLMSGERR_ATTR_COOKIE]: 'NLMSGERR_ATTR_COOKIE',
  [NLMSGERR_ATTR_POLICY]: 'NLMSGERR_ATTR_POLICY', [NLMSGERR_ATTR_MISS_TYPE]: 'NLMSGERR_ATTR_MISS_TYPE', [NLMSGERR_ATTR_MISS_NEST]: 'NLMSGERR_ATTR_MISS_NEST',
};

/** Annotate every message of one datagram. `proto` undefined: headers only, payloads as hex. */
export function annotateDatagram(proto: Protocol | undefined, buf: Buffer, opts: AnnotateOptions = {}): DatagramNode {
  const messages: MessageNode[] = [];
  const faults: WalkFault[] = [];
  let off = 0;
  while (off + NLMSG_HDRLEN <= buf.length) {
    const len = buf.readUInt32LE(off);
    if (len < NLMSG_HDRLEN) {
      // The kernel (netlink_rcv_skb) stops here too: all zeros is a sender's spare buffer.
      if (buf.subarray(off).every((b) => b === 0)) return { length: buf.length, messages, faults, padding: buf.length - off };
      faults.push({ fault: `nlmsg_len ${len} is shorter than struct nlmsghdr (16)`, offset: off });
      return { length: buf.length, messages, faults, padding: 0 };
    }
    if (off + len > buf.length) {
      faults.push({ fault: `nlmsg_len ${len} overruns the datagram (${buf.length - off} bytes left): truncated`, offset: off });
      // Still show what the header says, and what of the body is there.
      messages.push(annotateMessage(proto, buf, off, buf.length, opts, len));
      return { length: buf.length, messages, faults, padding: 0 };
    }
    messages.push(annotateMessage(proto, buf, off, off + len, opts, len));
    off += nlmsgAlign(len);
  }
  if (off < buf.length) {
    if (buf.subarray(off).every((b) => b === 0)) return { length: buf.length, messages, faults, padding: buf.length - off };
    faults.push({ fault: `${buf.length - off} trailing bytes, shorter than struct nlmsghdr`, offset: off });
  }
  return { length: buf.length, messages, faults, padding: 0 };
}

function annotateMessage(proto: Protocol | undefined, buf: Buffer, start: number, end: number, opts: AnnotateOptions, len: number): MessageNode {
  const h = readHeader(buf, start);
  const s = proto?.schema(h.type);
  const cls: FlagClass = h.type === NLMSG_ERROR ? 'ack' : s?.flagClass ?? 'other';
  const name = proto ? proto.typeName(h.type) : h.type === NLMSG_ERROR ? 'NLMSG_ERROR' : h.type === NLMSG_DONE ? 'NLMSG_DONE' : `type ${h.type}`;
  const m: MessageNode = { offset: start, length: len, type: h.type, name, flags: h.flags, flagText: formatFlags(h.flags, cls), seq: h.seq, pid: h.pid };
  const body = start + NLMSG_HDRLEN;
  if (h.type === NLMSG_ERROR) {
    annotateError(m, proto, buf, body, end, h.flags, opts);
    return m;
  }
  if (h.type === NLMSG_DONE) {
    if (end - body >= 4) m.done = buf.readInt32LE(body);
    const ext = extAcks(buf, body + 4, end, h.flags);
    if (ext.length) m.error = { error: m.done ?? 0, code: m.done ? errnoName(-m.done) : 'OK', message: m.done ? errnoMessage(-m.done) : 'dump complete', request: { len: 0, type: 0, name: '', flags: '', seq: 0, pid: 0 }, extAck: ext };
    return m;
  }
  if (!s) {
    if (end > body) m.payload = buf.toString('hex', body, end);
    return m;
  }
  const hs = s.header.structSize;
  if (end - body < hs) {
    m.fault = { fault: `${s.name} shorter than its ${s.header.kindName} (${end - body} of ${hs} bytes)`, offset: body };
    if (end > body) m.payload = buf.toString('hex', body, end);
    return m;
  }
  let header: unknown;
  try {
    header = s.header.read(buf, body, body + hs, [s.name, 'header']);
  } catch { /* fields below show what there is */ }
  m.header = familyHeader(s.header, buf, body);
  const set = attrsOf(s, header);
  const a = body + nlmsgAlign(hs);
  if (set) m.attrs = set.walk(buf, Math.min(a, end), end);
  else if (end > a) m.payload = buf.toString('hex', a, end);
  return m;
}

function familyHeader(kind: Kind<any> & { readonly structSize: number; readonly fields?: Readonly<Record<string, readonly [number, Kind<any>]>> }, buf: Buffer, at: number): FamilyHeaderNode {
  const fields: FieldNode[] = [];
  for (const [name, [o, k]] of Object.entries(kind.fields ?? {})) {
    const n = k.fixedSize ?? 0;
    const node: AttrNode = { offset: at + o, length: n, type: -1, flags: [], name, known: true };
    walkPayload(node, k, buf, at + o, at + o + n, undefined);
    fields.push({ name, offset: at + o, length: n, value: node.value, text: node.text ?? node.hex ?? '' });
  }
  return { name: kind.kindName, offset: at, length: kind.structSize, fields };
}

function annotateError(m: MessageNode, proto: Protocol | undefined, buf: Buffer, body: number, end: number, flags: number, opts: AnnotateOptions): void {
  if (end - body < 4 + NLMSG_HDRLEN) {
    m.fault = { fault: `NLMSG_ERROR payload of ${end - body} bytes is shorter than struct nlmsgerr (20)`, offset: body };
    return;
  }
  const error = buf.readInt32LE(body);
  const rq = readHeader(buf, body + 4);
  let off = body + 4 + NLMSG_HDRLEN;
  let request: Buffer | undefined;
  let echoed: number | undefined;
  if (!(flags & NLM_F_CAPPED)) {
    echoed = Math.max(0, Math.min(rq.len - NLMSG_HDRLEN, end - off));
    request = buf.subarray(body + 4, off + echoed);
    off += nlmsgAlign(echoed);
  } else request = opts.findRequest?.(rq.seq, rq.type);
  const ext = extAcks(buf, off, end, flags);
  // Name what an offset points at, in the request: the echoed one, or the one found by seq.
  const named = ext.map((x) => {
    if (!proto || !request) return x;
    if (x.type === NLMSGERR_ATTR_OFFS && typeof x.value === 'number') {
      const path = requestPathAt(proto, request, x.value);
      return path.length ? { ...x, text: `${x.text} (${path.join('.')})` } : x;
    }
    if (x.type === NLMSGERR_ATTR_MISS_TYPE && typeof x.value === 'number') {
      const s = proto.schema(rq.type);
      const set = s ? requestAttrs(s, request) : undefined;
      const e = set?.entry(x.value);
      return e ? { ...x, text: `${x.text} (${e.name})` } : x;
    }
    return x;
  });
  m.error = {
    error,
    code: error === 0 ? 'ACK' : errnoName(-error),
    message: error === 0 ? 'success' : errnoMessage(-error),
    request: { len: rq.len, type: rq.type, name: proto ? proto.typeName(rq.type) : `type ${rq.type}`, flags: formatFlags(rq.flags, proto?.schema(rq.type)?.flagClass ?? 'other'), seq: rq.seq, pid: rq.pid },
    ...(echoed !== undefined ? { echoed } : {}),
    ...(echoed ? { requestMessage: annotateMessage(proto, buf, body + 4, body + 4 + NLMSG_HDRLEN + echoed, opts, rq.len) } : {}),
    extAck: named,
  };
}

function extAcks(buf: Buffer, start: number, end: number, flags: number): ExtAckNode[] {
  const out: ExtAckNode[] = [];
  if (!(flags & NLM_F_ACK_TLVS)) return out;
  let off = start;
  while (off + NLA_HDRLEN <= end) {
    const len = buf.readUInt16LE(off);
    if (len < NLA_HDRLEN || off + len > end) break;
    const type = buf.readUInt16LE(off + 2) & 0x3fff;
    const s = off + NLA_HDRLEN, t = off + len;
    let value: unknown, text: string;
    if (type === NLMSGERR_ATTR_MSG) {
      value = buf.toString('utf8', s, t).replace(/\0+$/, '');
      text = JSON.stringify(value);
    } else if ((type === NLMSGERR_ATTR_OFFS || type === NLMSGERR_ATTR_MISS_TYPE || type === NLMSGERR_ATTR_MISS_NEST) && t - s === 4) {
      value = buf.readUInt32LE(s);
      text = String(value);
    } else {
      value = buf.toString('hex', s, t);
      text = value as string;
    }
    out.push({ offset: off, type, name: ERR_ATTR_NAMES[type] ?? `NLMSGERR_ATTR_${type}`, value, text });
    off += (len + 3) & ~3;
  }
  return out;
}

/** Every fault in a datagram's tree, outermost first (message, attribute and nested ones). */
export function faultsOf(d: DatagramNode): WalkFault[] {
  const out: WalkFault[] = [];
  const items = (xs: readonly WalkItem[]): void => {
    for (const x of xs) {
      if (!('name' in x)) { out.push(x); continue; }
      if (x.fault) out.push(x.fault);
      if (x.children) items(x.children);
    }
  };
  for (const m of d.messages) {
    if (m.fault) out.push(m.fault);
    if (m.attrs) items(m.attrs);
  }
  for (const f of d.faults) out.push(f);
  return out;
}
