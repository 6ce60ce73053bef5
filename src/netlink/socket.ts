/**
 * NetlinkSocket: seq numbers, request → ACK or reply, multipart dumps (NLM_F_MULTI …
 * NLMSG_DONE), NLM_F_DUMP_INTR, extended ACKs, and bulk requests — many messages per
 * sendmsg, matched against their ACKs/errors by seq. Family-agnostic: a Protocol
 * (route/, nft/) supplies the message layouts.
 *
 * Every kernel exchange is synchronous underneath (rtnetlink answers in the sendmsg
 * path); the public methods are async so callers compose them, and a namespace switch
 * (only ever in the constructor) never spans an await.
 */
import { NLMSG_HDRLEN, nlmsgAlign } from './align.js';
import type { LazyEntryReader } from './lazy.js';
import { BulkError, DecodeError, DumpInterruptedError, type ExtAck, NetlinkError, SocketStateError } from './errors.js';
import {
  NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS,
  NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_DUMP, NLM_F_DUMP_INTR,
  NLM_F_MULTI, NLM_F_REQUEST,
} from './header.js';
import {
  type ErrorPayload, type Message, type MessageSchema, type OutMessage, type Protocol, attrsOf, decodeMessage, encodeMessages, parseErrorPayload,
  requestAttrs, requestPathAt, splitMessages,
} from './message.js';
import { LiveTransport, type LiveTransportOptions, type Transport } from './transport.js';
import type { EncodedMessages } from './wire-writer.js';

/** Options of {@link NetlinkSocket.open} and the handles built on it (`RouteHandle.open`, `NftHandle.open`). */
export interface SocketOptions extends LiveTransportOptions {
  /** Use this transport instead of a live socket (replay/recording, tests). */
  readonly transport?: Transport;
}

/** Per-request options of {@link NetlinkSocket.request}. */
export interface RequestOptions {
  /** Ask for an ACK (NLM_F_ACK) and wait for it. Default true. */
  readonly ack?: boolean;
}

/** How {@link NetlinkSocket.bulk} sends many messages: per-sendmsg chunk size, which messages ask for an ACK, whether to stop at the first failure and whether to throw. */
export interface BulkOptions {
  /**
   * `'last'` (default): NLM_F_ACK only on the last message of each sendmsg chunk — the kernel
   * reports every failure regardless, so nothing is lost and ~N ACKs are saved.
   * `'all'`: every message is ACKed.
   */
  readonly ack?: 'all' | 'last';
  /** Messages per sendmsg. Default 256; chunks are also kept under 128 KiB. */
  readonly chunk?: number;
  /** Send no further chunks once a chunk had a failure. Default true (what a rollback needs). */
  readonly stopOnError?: boolean;
  /** Throw BulkError when any message failed. Default true; false returns the failures. */
  readonly throwOnError?: boolean;
}

/** The outcome of a bulk request: how many messages were sent and which failed (with their index). */
export interface BulkResult {
  /** Messages handed to the kernel. */
  readonly attempted: number;
  /** Failed messages, each NetlinkError with `index`. */
  readonly failures: readonly NetlinkError[];
}

/** Options of {@link NetlinkSocket.exchange}. */
export interface ExchangeOptions {
  /** The one message sent with NLM_F_ACK; its answer ends the exchange. Default: the last. */
  readonly ackIndex?: number;
  /** Messages whose error ends the exchange at once (nothing else will be answered). Default: none. */
  readonly abortOn?: readonly number[];
}

/** One reply of an exchange: the decoded message, or the error the kernel sent for a request. */
export interface ExchangeReply {
  /** Index of the request this reply answers (by seq). */
  readonly index: number;
  readonly message: Message;
}

/** Everything {@link NetlinkSocket.exchange} received, in order. */
export interface ExchangeResult {
  /** Seq of the first message; message i had seq + i. */
  readonly seq: number;
  /** Non-error replies (e.g. NLM_F_ECHO notifications), in arrival order. */
  readonly replies: readonly ExchangeReply[];
  /** Kernel errors, each NetlinkError with `index`. */
  readonly failures: readonly NetlinkError[];
}

const MAX_CHUNK_BYTES = 128 * 1024;

/**
 * A dump stream gives the event loop a turn (setImmediate) between datagrams once this many ms
 * have passed since its last turn: `for await` over a generator alone runs on microtasks and
 * would hold timers and I/O back for the whole dump (seconds for a full Internet table).
 */
export const STREAM_TURN_MS = 5;

const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One dump in flight. */
interface DumpState {
  readonly seq: number;
  /** Our request's bytes, to name the attribute an error points at. */
  readonly request: Buffer;
  done: boolean;
  /** A message carried NLM_F_DUMP_INTR. */
  intr: boolean;
}

/**
 * Makes a typed object of one dump entry from its decoded family header and attributes (as a
 * Message would carry them), or undefined to drop it. See {@link NetlinkSocket.dumpEntries}.
 */
export type EntryReader<T> = (header: any, attrs: any, type: number) => T | undefined;

/** One entry of a dump datagram: `buf[start, end)` is the whole message, `type` its nlmsg_type. */
type EntrySink = (buf: Buffer, start: number, end: number, type: number) => void;

/** A netlink socket of one protocol in one network namespace: numbered requests with ACK / NLMSG_ERROR handling, dumps (whole or streamed), bulk requests, raw exchanges. Open with {@link NetlinkSocket.open}. */
export class NetlinkSocket {
  readonly protocol: Protocol;
  readonly transport: Transport;
  #seq: number;
  #streaming = false;

  constructor(protocol: Protocol, transport: Transport) {
    this.protocol = protocol;
    this.transport = transport;
    // Like iproute2 (seq = time(NULL)): distinct across runs, so stale replies never match.
    this.#seq = (Math.floor(Date.now() / 1000) & 0x3fffffff) || 1;
  }

  /** Open a socket for `protocol` (in `opts.netns` if given). */
  static open(protocol: Protocol, opts: SocketOptions = {}): NetlinkSocket {
    return new NetlinkSocket(protocol, opts.transport ?? new LiveTransport(protocol.id, opts));
  }

  get portId(): number {
    return this.transport.portId;
  }

  get closed(): boolean {
    return this.transport.closed;
  }

  /** `using s = NetlinkSocket.open(…)`: closed when the scope ends. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Close the socket (its fd). Idempotent; later requests fail with SocketStateError. */
  close(): void {
    this.transport.close();
  }

  /** Allocate `n` consecutive sequence numbers; returns the first. */
  nextSeq(n = 1): number {
    const s = this.#seq;
    this.#seq = (this.#seq + n) >>> 0 || 1;
    return s;
  }

  #ready(): void {
    if (this.transport.closed) throw new SocketStateError('netlink socket is closed');
    if (this.#streaming) throw new SocketStateError('netlink socket is reserved by an open dump stream: finish or break out of it first, or use a second socket');
  }

  /**
   * Send one request and wait for its answer: the ACK (when `ack`), or the reply
   * message(s) — all parts of a multipart reply. Kernel errors throw NetlinkError.
   */
  requestSync(msg: OutMessage, opts: RequestOptions = {}): Message[] {
    this.#ready();
    const ack = opts.ack ?? true;
    const seq = this.nextSeq();
    const { buf } = encodeMessages(this.protocol, [{ ...msg, seq, flags: msg.flags | NLM_F_REQUEST | (ack ? NLM_F_ACK : 0) }]);
    this.transport.send(buf);
    const replies: Message[] = [];
    for (;;) {
      const dgram = this.transport.recv();
      for (const [s, e] of splitMessages(dgram)) {
        if (!this.#mine(dgram, s, seq)) continue;
        const type = dgram.readUInt16LE(s + 4);
        const flags = dgram.readUInt16LE(s + 6);
        if (type === NLMSG_ERROR) {
          const err = parseErrorPayload(dgram, s + NLMSG_HDRLEN, e, flags);
          if (err.error !== 0) throw this.#error(err, buf);
          return replies;
        }
        if (type === NLMSG_DONE) {
          // The end of a multipart reply. (The kernel sends no ACK after a dump, even if asked.)
          this.#checkDone(dgram, s, e, flags, buf);
          return replies;
        }
        if (type === NLMSG_NOOP || type === NLMSG_OVERRUN) continue;
        replies.push(decodeMessage(this.protocol, dgram, s, e));
        if (!ack && !(flags & NLM_F_MULTI)) return replies;
      }
    }
  }

  /** Send one request and collect its reply messages; resolves on the ACK (or the single reply with `ack: false`), rejects with NetlinkError on NLMSG_ERROR. */
  request(msg: OutMessage, opts?: RequestOptions): Promise<Message[]> {
    return settle(() => this.requestSync(msg, opts));
  }

  /**
   * Dump (NLM_F_DUMP) into an array. NLM_F_DUMP_INTR → DumpInterruptedError with the partial
   * results. With `map`, each message is converted as it is decoded (undefined drops it), so
   * the decoded messages die young instead of all living until the end of the dump.
   */
  dumpSync(msg: OutMessage): Message[];
  dumpSync<T>(msg: OutMessage, map: (m: Message) => T | undefined): T[];
  dumpSync<T>(msg: OutMessage, map?: (m: Message) => T | undefined): (T | Message)[] {
    const proto = this.protocol;
    const out: (T | Message)[] = [];
    this.#dumpAll(msg, out, map
      ? (buf, s, e) => { const v = map(decodeMessage(proto, buf, s, e)); if (v !== undefined) out.push(v); }
      : (buf, s, e) => { out.push(decodeMessage(proto, buf, s, e)); });
    return out;
  }

  /** Send a dump request (NLM_F_DUMP) and collect every entry until NLMSG_DONE; DumpInterruptedError on NLM_F_DUMP_INTR. */
  dump(msg: OutMessage): Promise<Message[]>;
  /** The same, mapping each message (undefined drops it). */
  dump<T>(msg: OutMessage, map: (m: Message) => T | undefined): Promise<T[]>;
  dump<T>(msg: OutMessage, map?: (m: Message) => T | undefined): Promise<(T | Message)[]> {
    return settle(() => (map ? this.dumpSync(msg, map) : this.dumpSync(msg)));
  }

  /**
   * Dump into typed objects made straight from each entry's decoded family header and
   * attributes — no Message object in between (`dump(msg, map)` builds one per entry, then
   * maps it). `read` gets (header, attrs, type) as decodeMessage() would put them in a Message
   * and returns the object, or undefined to drop the entry. Entries of a type the protocol has
   * no schema for are dropped.
   */
  dumpEntriesSync<T>(msg: OutMessage, read: EntryReader<T>): T[] {
    const proto = this.protocol;
    const out: T[] = [];
    // What depends only on the message type, looked up when it changes (a dump has one type).
    let lastType = -1, hs = 0, attrsAt = 0;
    let schema: MessageSchema | undefined;
    let headerPath: readonly string[] = [], attrsPath: readonly string[] = [];
    this.#dumpAll(msg, out, (buf, s, e, type) => {
      if (type !== lastType) {
        lastType = type;
        schema = proto.schema(type);
        if (schema) {
          hs = schema.header.structSize;
          attrsAt = NLMSG_HDRLEN + nlmsgAlign(hs);
          headerPath = proto.path(type, 'header');
          attrsPath = proto.path(type);
        }
      }
      if (!schema) return;
      const body = s + NLMSG_HDRLEN;
      if (e - body < hs) throw new DecodeError(`${schema.name} shorter than its ${schema.header.kindName}`, [schema.name], body);
      const header = schema.header.read(buf, body, body + hs, headerPath);
      const set = attrsOf(schema, header);
      const v = read(header, set ? set.read(buf, s + attrsAt, e, attrsPath) : undefined, type);
      if (v !== undefined) out.push(v);
    });
    return out;
  }

  /** A dump decoded straight into typed objects: `read` gets each entry's family header and attributes (no Message objects). */
  dumpEntries<T>(msg: OutMessage, read: EntryReader<T>): Promise<T[]> {
    return settle(() => this.dumpEntriesSync(msg, read));
  }

  /**
   * Dump into objects that keep their entry's bytes and decode on access (lazy.ts): `read`
   * gets each entry as `buf[start, end)` of a copy of its datagram, made once per datagram.
   */
  dumpLazySync<T>(msg: OutMessage, read: LazyEntryReader<T>): T[] {
    const out: T[] = [];
    this.#dumpAll(msg, out, (buf, s, e, type) => {
      const v = read(buf, s, e, type);
      if (v !== undefined) out.push(v);
    }, true);
    return out;
  }

  /** {@link dumpLazySync}, as a Promise. */
  dumpLazy<T>(msg: OutMessage, read: LazyEntryReader<T>): Promise<T[]> {
    return settle(() => this.dumpLazySync(msg, read));
  }

  /**
   * {@link stream} of objects made by `read` from an owned copy of each datagram (see
   * {@link dumpLazySync}); undefined drops an entry. Yields to the event loop between datagrams
   * whenever {@link STREAM_TURN_MS} have passed since it last did.
   */
  async *streamLazy<T>(msg: OutMessage, read: LazyEntryReader<T>): AsyncGenerator<T, void, undefined> {
    this.#ready();
    this.#streaming = true;
    let st: DumpState | undefined;
    try {
      st = this.#dumpStart(msg);
      let turn = performance.now();
      // Entries are found per datagram (offsets only) and decoded one by one as they are
      // yielded — the datagram is our own copy, so the next recv cannot overwrite it — with a
      // look at the clock every 32 entries: a turn of the event loop is never further away than
      // STREAM_TURN_MS plus 32 entries (the first datagram included, in cold code).
      const at: number[] = [];
      let dgram: Buffer | undefined, n = 0;
      while (!st.done) {
        at.length = 0;
        this.#dumpStep(st, (buf, s, e, type) => { dgram = buf; at.push(s, e, type); }, true);
        for (let k = 0; k < at.length; k += 3) {
          const v = read(dgram!, at[k]!, at[k + 1]!, at[k + 2]!);
          if (v !== undefined) yield v;
          if ((++n & 31) === 0 && performance.now() - turn >= STREAM_TURN_MS) {
            await macrotask();
            turn = performance.now();
          }
        }
        if (performance.now() - turn >= STREAM_TURN_MS) {
          await macrotask();
          turn = performance.now();
        }
      }
    } finally {
      if (st && !st.done) this.#drain(st.seq);
      this.#streaming = false;
    }
    if (st.intr) throw new DumpInterruptedError(this.protocol.typeName(msg.type), []);
  }

  #dumpAll(msg: OutMessage, out: unknown[], sink: EntrySink, copy = false): void {
    this.#ready();
    const st = this.#dumpStart(msg);
    try {
      while (!st.done) this.#dumpStep(st, sink, copy);
    } finally {
      if (!st.done) this.#drain(st.seq);
    }
    if (st.intr) throw new DumpInterruptedError(this.protocol.typeName(msg.type), out);
  }

  /**
   * Dump as a stream: one datagram is read per batch of messages yielded, so the whole
   * table is never held. While the stream is open the socket takes no other request.
   * NLM_F_DUMP_INTR is thrown (with an empty `partial`) after the last message.
   */
  async *stream(msg: OutMessage): AsyncGenerator<Message, void, undefined> {
    this.#ready();
    this.#streaming = true;
    let st: DumpState | undefined;
    try {
      st = this.#dumpStart(msg);
      const proto = this.protocol;
      let turn = performance.now();
      while (!st.done) {
        // Decode the whole datagram before yielding: the receive buffer is reused by the next recv.
        const batch: Message[] = [];
        this.#dumpStep(st, (buf, s, e) => { batch.push(decodeMessage(proto, buf, s, e)); });
        for (const m of batch) yield m;
        if (performance.now() - turn >= STREAM_TURN_MS) {
          await macrotask();
          turn = performance.now();
        }
      }
    } finally {
      // Abandoned (consumer broke out, or a decode error): the kernel still holds the dump
      // open on this socket and would refuse the next one with EBUSY. Read it to its end.
      if (st && !st.done) this.#drain(st.seq);
      this.#streaming = false;
    }
    if (st.intr) throw new DumpInterruptedError(this.protocol.typeName(msg.type), []);
  }

  #dumpStart(msg: OutMessage): DumpState {
    const seq = this.nextSeq();
    const { buf } = encodeMessages(this.protocol, [{ ...msg, seq, flags: msg.flags | NLM_F_REQUEST | NLM_F_DUMP }]);
    this.transport.send(buf);
    return { seq, request: buf, done: false, intr: false };
  }

  /** Read one datagram of a dump, passing each of its entries to `sink`; marks the end (DONE / ERROR). */
  #dumpStep(st: DumpState, sink: EntrySink, copy = false): void {
    // `copy`: the entries keep their bytes (lazy dumps), so they get a datagram of their own.
    const dgram = copy ? Buffer.from(this.transport.recv()) : this.transport.recv();
    const end = dgram.length;
    // splitMessages() inline: no [start, end] pair allocated per entry.
    for (let s = 0; s + NLMSG_HDRLEN <= end;) {
      const len = (dgram[s]! | (dgram[s + 1]! << 8) | (dgram[s + 2]! << 16) | (dgram[s + 3]! << 24)) >>> 0;
      if (len < NLMSG_HDRLEN || s + len > end) throw new DecodeError(`nlmsg_len ${len} overruns the datagram (${end - s} bytes left)`, ['nlmsghdr'], s);
      const e = s + len;
      const at = s;
      s += nlmsgAlign(len);
      if (!this.#mine(dgram, at, st.seq)) continue;
      const type = dgram[at + 4]! | (dgram[at + 5]! << 8);
      const flags = dgram[at + 6]! | (dgram[at + 7]! << 8);
      if (flags & NLM_F_DUMP_INTR) st.intr = true;
      if (type === NLMSG_DONE || type === NLMSG_ERROR) {
        st.done = true;
        if (type === NLMSG_DONE) this.#checkDone(dgram, at, e, flags, st.request);
        else {
          const err = parseErrorPayload(dgram, at + NLMSG_HDRLEN, e, flags);
          if (err.error !== 0) throw this.#error(err, st.request);
        }
        return;
      }
      if (type === NLMSG_NOOP || type === NLMSG_OVERRUN) continue;
      sink(dgram, at, e, type);
    }
  }

  /** Best effort: consume replies for `seq` until its NLMSG_DONE / NLMSG_ERROR. */
  #drain(seq: number): void {
    try {
      for (let n = 0; n < 1_000_000 && !this.transport.closed; n++) {
        const dgram = this.transport.recv();
        for (const [s] of splitMessages(dgram)) {
          const type = dgram.readUInt16LE(s + 4);
          if (this.#mine(dgram, s, seq) && (type === NLMSG_DONE || type === NLMSG_ERROR)) return;
        }
      }
    } catch {
      // Timeout or closed socket: nothing more will come for this dump.
    }
  }

  /**
   * Send many requests with few syscalls: messages are encoded (and validated) up front
   * into one buffer, then sent up to `chunk` per sendmsg; ACKs and errors are matched by seq
   * back to each message's index. This is how netlink-ts beats `ip -batch`.
   */
  bulkSync(msgs: Iterable<OutMessage>, opts: BulkOptions = {}): BulkResult {
    this.#ready();
    const ackAll = (opts.ack ?? 'last') === 'all';
    const chunk = opts.chunk ?? 256;
    if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`bulk: chunk must be a positive integer, got ${chunk}`);
    // Every message is encoded (so validated) before the first is sent; flags are stamped
    // while writing and seqs right after, so no message object is copied.
    const enc = encodeMessages(this.protocol, msgs, { flags: NLM_F_REQUEST | (ackAll ? NLM_F_ACK : 0) });
    return this.#bulkSend(enc.buf, enc.offsets, opts);
  }

  /**
   * {@link bulkSync} for messages already encoded back to back (a WireWriter's output): seqs
   * and NLM_F_REQUEST (NLM_F_ACK with `ack: 'all'`) are stamped here, in place.
   */
  bulkEncodedSync(enc: EncodedMessages, opts: BulkOptions = {}): BulkResult {
    this.#ready();
    const set = NLM_F_REQUEST | ((opts.ack ?? 'last') === 'all' ? NLM_F_ACK : 0);
    const { buf, offsets } = enc;
    // Both flags are in the low byte of nlmsg_flags (byte stores: cheap before V8 optimises).
    for (let k = 0; k < offsets.length; k++) { const o = offsets[k]! + 6; buf[o] = buf[o]! | set; }
    return this.#bulkSend(buf, offsets, opts);
  }

  /** A bulk request of messages already written into one buffer (see WireWriter); failures by index as with {@link NetlinkSocket.bulk}. */
  bulkEncoded(enc: EncodedMessages, opts?: BulkOptions): Promise<BulkResult> {
    return settle(() => this.bulkEncodedSync(enc, opts));
  }

  #bulkSend(buf: Buffer, offsets: readonly number[], opts: BulkOptions): BulkResult {
    const ackAll = (opts.ack ?? 'last') === 'all';
    const chunk = opts.chunk ?? 256;
    if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`bulk: chunk must be a positive integer, got ${chunk}`);
    const stop = opts.stopOnError ?? true;
    const n = offsets.length;
    if (n === 0) return { attempted: 0, failures: [] };
    const op = this.protocol.typeName(buf.readUInt16LE(4));
    const base = this.nextSeq(n);
    for (let k = 0; k < n; k++) {
      const v = (base + k) >>> 0, o = offsets[k]! + 8;
      buf[o] = v & 255; buf[o + 1] = (v >>> 8) & 255; buf[o + 2] = (v >>> 16) & 255; buf[o + 3] = v >>> 24;
    }
    const failures: NetlinkError[] = [];
    let i = 0;
    while (i < n) {
      // Chunk: at most `chunk` messages and MAX_CHUNK_BYTES (a single larger message goes alone).
      const endOf = (k: number): number => (k + 1 < n ? offsets[k + 1]! : buf.length);
      let j = i + 1;
      while (j < n && j - i < chunk && endOf(j) - offsets[i]! <= MAX_CHUNK_BYTES) j++;
      const start = offsets[i]!, end = j < n ? offsets[j]! : buf.length;
      const lastOff = offsets[j - 1]!;
      if (!ackAll) buf.writeUInt16LE(buf.readUInt16LE(lastOff + 6) | NLM_F_ACK, lastOff + 6);
      this.transport.send(buf.subarray(start, end));
      const pending = new Set<number>();
      if (ackAll) for (let k = i; k < j; k++) pending.add(k); else pending.add(j - 1);
      const before = failures.length;
      while (pending.size) {
        const dgram = this.transport.recv();
        for (const [s, e] of splitMessages(dgram)) {
          if (dgram.readUInt16LE(s + 4) !== NLMSG_ERROR || dgram.readUInt32LE(s + 12) !== this.portId) continue;
          const idx = (dgram.readUInt32LE(s + 8) - base) >>> 0;
          if (idx < i || idx >= j) continue;
          const err = parseErrorPayload(dgram, s + NLMSG_HDRLEN, e, dgram.readUInt16LE(s + 6));
          if (err.error !== 0) {
            const mEnd = idx + 1 < n ? offsets[idx + 1]! : buf.length;
            failures.push(this.#error(err, buf.subarray(offsets[idx]!, mEnd), idx));
          }
          pending.delete(idx);
        }
      }
      i = j;
      if (stop && failures.length > before) break;
    }
    if (failures.length && (opts.throwOnError ?? true)) throw new BulkError(op, failures, i, n);
    return { attempted: i, failures };
  }

  /** {@link bulkSync}, as a Promise. `msgs` may be any iterable (e.g. a generator building each message). */
  bulk(msgs: Iterable<OutMessage>, opts?: BulkOptions): Promise<BulkResult> {
    return settle(() => this.bulkSync(msgs, opts));
  }

  /**
   * Send `msgs` as ONE datagram and collect what the kernel answers, matched by seq to each
   * message's index — for exchanges the kernel must see whole, such as an nfnetlink batch
   * (BATCH_BEGIN … BATCH_END is applied all-or-nothing only within one sendmsg).
   *
   * NLM_F_ACK is set on the message at `ackIndex` only (default: the last), and the exchange
   * ends when that message is answered (ACK or error) or when a message listed in `abortOn`
   * gets an error (a batch header refused as a whole: the kernel then answers nothing else).
   * The kernel reports every failed message whether or not it asked for an ACK, and sends
   * its answers in message order, so nothing is missed and only one ACK is paid for.
   * Nothing is thrown for kernel errors: they are returned, each a NetlinkError with `index`.
   */
  exchangeSync(msgs: readonly OutMessage[], opts: ExchangeOptions = {}): ExchangeResult {
    this.#ready();
    if (msgs.length === 0) throw new RangeError('exchange: no messages');
    const ackIndex = opts.ackIndex ?? msgs.length - 1;
    if (!Number.isInteger(ackIndex) || ackIndex < 0 || ackIndex >= msgs.length) throw new RangeError(`exchange: ackIndex ${ackIndex} is not a message index (0..${msgs.length - 1})`);
    const abortOn = new Set(opts.abortOn ?? []);
    const base = this.nextSeq(msgs.length);
    const { buf, offsets } = encodeMessages(this.protocol, msgs.map((m, i) => ({
      ...m, seq: (base + i) >>> 0, flags: m.flags | NLM_F_REQUEST | (i === ackIndex ? NLM_F_ACK : 0),
    })));
    this.transport.send(buf);
    const replies: ExchangeReply[] = [];
    const failures: NetlinkError[] = [];
    const requestOf = (idx: number): Buffer => buf.subarray(offsets[idx]!, idx + 1 < msgs.length ? offsets[idx + 1]! : buf.length);
    for (let done = false; !done;) {
      const dgram = this.transport.recv();
      for (const [s, e] of splitMessages(dgram)) {
        const pid = dgram.readUInt32LE(s + 12);
        if (pid !== this.portId && pid !== 0) continue;
        const idx = (dgram.readUInt32LE(s + 8) - base) >>> 0;
        if (idx >= msgs.length) continue;
        const type = dgram.readUInt16LE(s + 4);
        if (type === NLMSG_ERROR) {
          const err = parseErrorPayload(dgram, s + NLMSG_HDRLEN, e, dgram.readUInt16LE(s + 6));
          if (err.error !== 0) failures.push(this.#error(err, requestOf(idx), idx));
          if (idx === ackIndex || (err.error !== 0 && abortOn.has(idx))) done = true;
          continue;
        }
        if (type === NLMSG_DONE || type === NLMSG_NOOP || type === NLMSG_OVERRUN) continue;
        replies.push({ index: idx, message: decodeMessage(this.protocol, dgram, s, e) });
      }
    }
    return { seq: base, replies, failures };
  }

  /** Send messages as they are and return every reply, errors included, without interpreting them (for tools and tests). */
  exchange(msgs: readonly OutMessage[], opts?: ExchangeOptions): Promise<ExchangeResult> {
    return settle(() => this.exchangeSync(msgs, opts));
  }

  /** A reply for us: our seq, and our port id (or 0 from some families' broadcasts). */
  #mine(dgram: Buffer, s: number, seq: number): boolean {
    if (((dgram[s + 8]! | (dgram[s + 9]! << 8) | (dgram[s + 10]! << 16) | (dgram[s + 11]! << 24)) >>> 0) !== seq) return false;
    const pid = (dgram[s + 12]! | (dgram[s + 13]! << 8) | (dgram[s + 14]! << 16) | (dgram[s + 15]! << 24)) >>> 0;
    return pid === this.portId || pid === 0;
  }

  #checkDone(dgram: Buffer, s: number, e: number, flags: number, request: Buffer): void {
    if (e - s < NLMSG_HDRLEN + 4) return;
    const code = dgram.readInt32LE(s + NLMSG_HDRLEN);
    if (code >= 0) return;
    // NLMSG_DONE carries an int error, then (with NLM_F_ACK_TLVS) extended-ACK attributes.
    const tlvs = new Map<number, Buffer>();
    if (flags & NLM_F_ACK_TLVS) {
      for (let o = s + NLMSG_HDRLEN + 4; o + 4 <= e;) {
        const len = dgram.readUInt16LE(o);
        if (len < 4 || o + len > e) break;
        tlvs.set(dgram.readUInt16LE(o + 2) & 0x3fff, Buffer.from(dgram.subarray(o + 4, o + len)));
        o += (len + 3) & ~3;
      }
    }
    throw this.#error({ error: code, request: { len: request.readUInt32LE(0), type: request.readUInt16LE(4), flags: request.readUInt16LE(6), seq: request.readUInt32LE(8), pid: 0 }, tlvs }, request);
  }

  /** NLMSG_ERROR → NetlinkError, naming the attribute the ext-ACK offset points at. */
  #error(err: ErrorPayload, request: Buffer, index?: number): NetlinkError {
    const t = err.tlvs;
    const extAck: ExtAck = {
      ...(t.has(NLMSGERR_ATTR_MSG) ? { message: t.get(NLMSGERR_ATTR_MSG)!.toString('utf8').replace(/\0+$/, '') } : {}),
      ...(t.has(NLMSGERR_ATTR_OFFS) ? { offset: t.get(NLMSGERR_ATTR_OFFS)!.readUInt32LE(0) } : {}),
      ...(t.has(NLMSGERR_ATTR_MISS_TYPE) ? { missingType: t.get(NLMSGERR_ATTR_MISS_TYPE)!.readUInt32LE(0) } : {}),
      ...(t.has(NLMSGERR_ATTR_MISS_NEST) ? { missingNest: t.get(NLMSGERR_ATTR_MISS_NEST)!.readUInt32LE(0) } : {}),
      ...(t.has(NLMSGERR_ATTR_COOKIE) ? { cookie: t.get(NLMSGERR_ATTR_COOKIE)! } : {}),
    };
    const attrPath = extAck.offset !== undefined ? requestPathAt(this.protocol, request, extAck.offset) : undefined;
    let missingAttr: string | undefined;
    if (extAck.missingType !== undefined) {
      const schema = this.protocol.schema(request.readUInt16LE(4));
      const nestPath = extAck.missingNest !== undefined ? requestPathAt(this.protocol, request, extAck.missingNest) : [];
      const name = nestPath.length || !schema ? undefined : requestAttrs(schema, request)?.entry(extAck.missingType)?.name;
      missingAttr = name ?? (nestPath.length ? `type ${extAck.missingType} in ${nestPath.join('.')}` : undefined);
    }
    return new NetlinkError({
      errno: -err.error,
      operation: this.protocol.typeName(err.request.type),
      seq: err.request.seq,
      extAck,
      ...(attrPath && attrPath.length ? { attrPath } : {}),
      ...(missingAttr ? { missingAttr } : {}),
      ...(index !== undefined ? { index } : {}),
    });
  }
}

/** Run a synchronous exchange and hand back a settled promise (errors become rejections). */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}
