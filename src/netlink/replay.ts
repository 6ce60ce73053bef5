/**
 * Transports that replay and record exchanges (see fixture.ts for the file format).
 *
 * ReplayTransport serves a fixture's recorded kernel datagrams to the real socket logic,
 * rewriting the volatile fields — nlmsg_seq (fixture seq → the seq our request used, matched
 * message by message in send order) and nlmsg_pid (→ our port id) — so the seq/ACK/multipart
 * code runs for real with no privileges. RecordingTransport wraps a live transport and keeps
 * every datagram as a frame, to be written out as a new fixture.
 */
import { NLMSG_HDRLEN } from './align.js';
import { NetlinkTimeoutError, ProtocolError } from './errors.js';
import type { Frame } from './fixture.js';
import { splitMessages } from './message.js';
import type { Transport } from './transport.js';

/** Options of {@link ReplayTransport}. */
export interface ReplayOptions {
  /** Port id to present (default 0x1234). */
  readonly portId?: number;
  /**
   * Check every datagram we send against the fixture's `send` frame at the same position,
   * ignoring seq and pid. Default false (the fixture may come from another tool).
   */
  readonly strictSend?: boolean;
}

/** A transport that answers from recorded datagrams (fixtures) instead of the kernel, so socket logic runs for real in unit tests. */
export class ReplayTransport implements Transport {
  readonly portId: number;
  readonly #frames: readonly Frame[];
  readonly #strict: boolean;
  #pos = 0;
  #closed = false;
  /** fixture seq → our seq */
  readonly #seqMap = new Map<number, number>();
  /** Datagrams the socket sent, for assertions. */
  readonly sent: Buffer[] = [];

  constructor(frames: readonly Frame[], opts: ReplayOptions = {}) {
    this.#frames = frames;
    this.portId = opts.portId ?? 0x1234;
    this.#strict = opts.strictSend ?? false;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Frames not yet consumed (a test can assert the exchange was used up). */
  get remaining(): number {
    return this.#frames.length - this.#pos;
  }

  send(buf: Buffer, len = buf.length): void {
    const ours = Buffer.from(buf.subarray(0, len));
    this.sent.push(ours);
    const f = this.#frames[this.#pos];
    if (!f || f.dir !== 'send') {
      // A fixture without our request (captured from another client): accept, map nothing.
      if (this.#strict) throw new ProtocolError(`replay: unexpected send #${this.sent.length}; fixture expects ${f ? 'a recv' : 'nothing more'}`);
      return;
    }
    this.#pos++;
    const theirs = splitMessages(f.bytes);
    const mine = splitMessages(ours);
    theirs.forEach(([s], i) => {
      const m = mine[i];
      if (m) this.#seqMap.set(f.bytes.readUInt32LE(s + 8), ours.readUInt32LE(m[0] + 8));
    });
    if (this.#strict && !sameIgnoringVolatile(f.bytes, ours)) {
      throw new ProtocolError(`replay: sent bytes differ from fixture frame "${f.label ?? ''}":\n  ours   ${ours.toString('hex')}\n  theirs ${f.bytes.toString('hex')}`);
    }
  }

  recv(): Buffer {
    // Skip send frames we were not asked to reproduce (e.g. a peek-sized or extra request).
    while (this.#frames[this.#pos]?.dir === 'send' && !this.#strict) this.#pos++;
    const f = this.#frames[this.#pos];
    if (!f || f.dir !== 'recv') throw new NetlinkTimeoutError('replay: no more recorded replies');
    this.#pos++;
    const out = Buffer.from(f.bytes);
    for (const [s] of splitMessages(out)) {
      const seq = out.readUInt32LE(s + 8);
      const mapped = this.#seqMap.get(seq);
      if (mapped !== undefined) out.writeUInt32LE(mapped, s + 8);
      if (out.readUInt32LE(s + 12) !== 0) out.writeUInt32LE(this.portId, s + 12);
      // The header echoed inside an NLMSG_ERROR carries the request's seq/pid too.
      if (out.readUInt16LE(s + 4) === 2 && out.length >= s + NLMSG_HDRLEN + 4 + NLMSG_HDRLEN) {
        const inner = s + NLMSG_HDRLEN + 4;
        const m2 = this.#seqMap.get(out.readUInt32LE(inner + 8));
        if (m2 !== undefined) out.writeUInt32LE(m2, inner + 8);
        out.writeUInt32LE(this.portId, inner + 12);
      }
    }
    return out;
  }

  /** Mark the replay closed. Idempotent. */
  close(): void {
    this.#closed = true;
  }
}

function sameIgnoringVolatile(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  const x = Buffer.from(a), y = Buffer.from(b);
  for (const [s] of splitMessages(x)) { x.fill(0, s + 8, s + 16); }
  for (const [s] of splitMessages(y)) { y.fill(0, s + 8, s + 16); }
  return x.equals(y);
}

/** Wraps a transport and records every datagram as a frame. */
export class RecordingTransport implements Transport {
  readonly frames: Frame[] = [];
  #n = { send: 0, recv: 0 };
  constructor(readonly inner: Transport) {}
  get portId(): number {
    return this.inner.portId;
  }
  get closed(): boolean {
    return this.inner.closed;
  }
  send(buf: Buffer, len = buf.length): void {
    this.inner.send(buf, len);
    this.frames.push({ dir: 'send', bytes: Buffer.from(buf.subarray(0, len)), label: `send ${++this.#n.send}: ${len} bytes` });
  }
  recv(): Buffer {
    const b = this.inner.recv();
    this.frames.push({ dir: 'recv', bytes: Buffer.from(b), label: `recv ${++this.#n.recv}: ${b.length} bytes` });
    return b;
  }
  /** Close the wrapped transport. */
  close(): void {
    this.inner.close();
  }
}
