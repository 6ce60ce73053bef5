/**
 * NotificationStream: the part every netlink monitor shares — multicast notifications read
 * from one socket as an AsyncIterable, waiting without holding the event loop and stopping at
 * once. The rtnetlink monitor (route/monitor/monitor.ts) and the nftables one (nft/monitor.ts) extend
 * it with what differs: how a datagram becomes events, and what to do when events were lost.
 *
 * How it waits: the socket is read only with MSG_DONTWAIT on the main thread
 * (LiveTransport.tryRecv); waiting is a poll(2) on a libuv pool thread shared by every waiting
 * stream of the process (netlink/poller.ts). How it stops: `close()` cancels the wait (the
 * shared poll is woken through its eventfd and drops the fd) and closes the socket in the same
 * call; `return()` (what `for await … break` calls) also waits for the pool thread to let go.
 *
 * Lost events: when notifications arrive faster than they are read the kernel drops them and
 * the next recvmsg(2) fails with ENOBUFS (af_netlink.c netlink_overrun(); NETLINK_NO_ENOBUFS is
 * not set, so loss is reported); the subclass's `overflow()` then decides what to yield.
 */
import { SyscallError, errnoNumber } from '../ffi/errors.js';
import type { Libc } from '../ffi/libc.js';
import { NetlinkTimeoutError } from './errors.js';
import { type PollWait, Poller } from './poller.js';
import { LiveTransport, type Transport } from './transport.js';

const ENOBUFS = errnoNumber('ENOBUFS');
/** Datagrams read per wake-up before the events go out (keeps one storm from hogging the loop). */
const BATCH = 64;

/** True for a receive that failed because the kernel dropped datagrams (ENOBUFS). */
export function isOverflow(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    if (e instanceof SyscallError && e.errno === ENOBUFS) return true;
  }
  return false;
}

/**
 * A subscription to netlink notifications. Iterate it with `for await`; leaving the loop
 * (break, return, throw) closes it. Single consumer: concurrent `next()` calls are served in order.
 */
export abstract class NotificationStream<E> implements AsyncIterableIterator<E> {
  /** The socket (or, in tests, a replay of recorded datagrams). */
  protected readonly transport: Transport;
  /** Set for a live socket: what is polled. */
  protected readonly live: LiveTransport | undefined;
  protected readonly lib: Libc;
  readonly #queue: E[] = [];
  #closed = false;
  /** The wait in progress on the shared poller. */
  #wait: PollWait | undefined;
  #filling: Promise<void> | undefined;
  /** Ends the `#fill()` await on a cancelled wait (whose promise never settles). */
  #wakeUp: (() => void) | undefined;

  /**
   * `transport`: with `polled`, a LiveTransport opened with the groups joined (read with
   * MSG_DONTWAIT, waited for on the poller); otherwise any Transport whose every receive
   * answers at once (a replay; the stream ends when it has no more).
   */
  protected constructor(transport: Transport, lib: Libc, polled: boolean) {
    this.transport = transport;
    this.live = polled && transport instanceof LiveTransport ? transport : undefined;
    this.lib = lib;
  }

  /** The events of one datagram. */
  protected abstract decode(dgram: Buffer, time: Date): readonly E[];

  /** ENOBUFS: queue what to say (with `push`), and resync if the stream does that. */
  protected abstract overflow(): Promise<void>;

  /** Queue an event for the consumer. */
  protected push(ev: E): void {
    this.#queue.push(ev);
  }

  /** The netlink socket's port id (nl_pid). */
  get portId(): number {
    return this.transport.portId;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The stream is its own iterator: `for await (const ev of stream)`. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next event; `done` once closed (events already read are still handed out first). */
  async next(): Promise<IteratorResult<E, undefined>> {
    for (;;) {
      if (this.#queue.length) return { value: this.#queue.shift()!, done: false };
      if (this.#closed) return { value: undefined, done: true };
      this.#filling ??= this.#fill().finally(() => { this.#filling = undefined; });
      try {
        await this.#filling;
      } catch (err) {
        this.close();
        throw err;
      }
    }
  }

  /** Close, and resolve once the pool thread has let go (what `break` in `for await` calls). */
  async return(): Promise<IteratorResult<E, undefined>> {
    this.close();
    this.#queue.length = 0;
    if (this.live) await Poller.for(this.lib).settled();
    return { value: undefined, done: true };
  }

  /** `using m = monitor()`: closed when the scope ends. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `await using m = monitor()`: closed, and the pool thread has let go, when the scope ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  /**
   * Stop now: the wait is cancelled (the shared poll is woken and drops our fd) and the
   * netlink socket closed before this returns. Idempotent. A pending `next()` resolves `done`.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const w = this.#wait;
    this.#wait = undefined;
    w?.cancel();
    this.transport.close();
    this.#wakeUp?.();
  }

  /** Read until events are queued, the stream is closed, or (replay) the datagrams run out. */
  async #fill(): Promise<void> {
    while (!this.#closed) {
      const end = await this.#read();
      if (this.#queue.length || this.#closed) return;
      if (end) { this.close(); return; }
      await this.#waitReadable();
    }
  }

  /** Read up to BATCH queued datagrams; true when a replay transport has no more. */
  async #read(): Promise<boolean> {
    for (let i = 0; i < BATCH && !this.#closed; i++) {
      let dgram: Buffer | undefined;
      try {
        dgram = this.live ? this.live.tryRecv() : this.transport.recv();
      } catch (err) {
        if (isOverflow(err)) {
          await this.overflow();
          return false;
        }
        if (!this.live && err instanceof NetlinkTimeoutError) return true;
        throw err;
      }
      if (!dgram) return false;
      for (const ev of this.decode(dgram, new Date())) this.#queue.push(ev);
    }
    return false;
  }

  /**
   * Read and drop every queued datagram (live sockets only; a replay has nothing stale). After
   * ENOBUFS this matters: while its queue is not empty a socket stays congested (af_netlink.c
   * NETLINK_S_CONGESTED, cleared by netlink_rcv_wake() on an empty queue) and every new
   * notification is dropped too.
   */
  protected discardQueued(): void {
    if (!this.live) return;
    for (let n = 0; n < 1_000_000 && !this.#closed; n++) {
      try {
        if (this.live.tryRecv() === undefined) return;
      } catch (err) {
        if (!isOverflow(err)) throw err;
      }
    }
  }

  /** Wait (on the shared poller's pool thread) until the socket is readable or close() is called. */
  async #waitReadable(): Promise<void> {
    if (!this.live || this.#closed) return;
    const w = this.#wait = Poller.for(this.lib).wait(this.live.fd);
    try {
      await Promise.race([w.promise, new Promise<void>((r) => { this.#wakeUp = r; })]);
    } finally {
      this.#wakeUp = undefined;
      if (this.#wait === w) this.#wait = undefined;
    }
  }
}
