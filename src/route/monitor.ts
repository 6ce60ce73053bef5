/**
 * `monitor()`: rtnetlink notifications as an AsyncIterable of typed events (`ip monitor`).
 *
 * How it waits without holding the event loop: the socket joins the multicast groups of the
 * asked kinds (NETLINK_ADD_MEMBERSHIP) and is read only with MSG_DONTWAIT on the main thread;
 * waiting is a poll(2) with no timeout on a libuv pool thread, shared by every waiting monitor
 * of the process (netlink/poller.ts: one pool thread however many monitors wait, none when
 * none waits). Nothing spins and nothing blocks the loop.
 *
 * How it stops at once: `close()` cancels the wait — the shared poll is woken through its
 * eventfd and drops the fd — and closes the netlink socket in the same call. `return()` (what
 * `for await … break` calls) also waits for the pool thread to have let go of it.
 *
 * Lost events: when notifications arrive faster than they are read, the kernel drops them
 * and the next recvmsg(2) fails with ENOBUFS (af_netlink.c netlink_overrun(); we do not set
 * NETLINK_NO_ENOBUFS, so loss is reported). The monitor then yields `{ kind: 'lost' }`,
 * re-dumps the subscribed tables over a second socket as `resync` events and ends the
 * snapshot with `{ kind: 'resynced' }`. Notifications still queued at the overflow are dropped
 * first (the snapshot supersedes them); those that arrive during the re-dump follow it.
 */
import { SyscallError } from '../ffi/errors.js';
import { type Libc, libc as defaultLibc } from '../ffi/libc.js';
import { NetlinkTimeoutError } from '../netlink/errors.js';
import type { NetnsRef } from '../netlink/nsenter.js';
import { type PollWait, Poller } from '../netlink/poller.js';
import { LiveTransport, type Transport } from '../netlink/transport.js';
import { RouteHandle } from './handle.js';
import {
  MONITOR_KINDS, type MonitorEvent, type MonitorKind, type ObjectEvent, decodeNotifications, monitorGroups,
} from './monitor-event.js';
import { NETLINK_ROUTE } from '../netlink/header.js';

export interface MonitorOptions {
  /** What to watch. Default: every kind (`link`, `addr`, `route`, `neigh`, `rule`, `nsid`). */
  readonly kinds?: readonly MonitorKind[];
  /** Only IPv4 (4) or IPv6 (6) addresses, routes and rules (their groups are per family). Default: both. */
  readonly family?: 4 | 6;
  /** Watch this network namespace (fd, path, `ip netns` name, `{ pid }`, Netns handle). Default: the caller's. */
  readonly netns?: NetnsRef;
  /** FFI backend. Default: libc() (env NETLINK_TS_FFI, else koffi). */
  readonly libc?: Libc;
  /**
   * SO_RCVBUF in bytes: how much the kernel queues before dropping notifications. Default
   * 4 MiB (without CAP_NET_ADMIN the kernel caps it at net.core.rmem_max).
   */
  readonly rcvbuf?: number;
  /** Re-dump the subscribed tables after a `lost` event. Default true. */
  readonly resync?: boolean;
  /**
   * Read notifications from this transport instead of a live socket (a ReplayTransport of
   * recorded datagrams, tests). The iteration ends when it has no more. Not polled: every
   * receive is expected to answer at once.
   */
  readonly transport?: Transport;
  /** With `transport`: where resync dumps go (a ReplayTransport of recorded dumps). Default: a live socket. */
  readonly resyncTransport?: () => Transport;
}

const ENOBUFS = 105;
/** Datagrams read per wake-up before the events go out (keeps one storm from hogging the loop). */
const BATCH = 64;

/** True for a receive that failed because the kernel dropped datagrams (ENOBUFS). */
function isOverflow(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    if (e instanceof SyscallError && e.errno === ENOBUFS) return true;
  }
  return false;
}

function checkOptions(opts: MonitorOptions): { kinds: MonitorKind[]; family: 4 | 6 | undefined } {
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`monitor: expected an options object, got ${opts === null ? 'null' : typeof opts}`);
  const kinds = opts.kinds ?? MONITOR_KINDS;
  if (!Array.isArray(kinds)) throw new TypeError('monitor.kinds: expected an array of kinds');
  if (kinds.length === 0) throw new RangeError('monitor.kinds: name at least one kind');
  for (const k of kinds) {
    if (!MONITOR_KINDS.includes(k as MonitorKind)) throw new RangeError(`monitor.kinds: unknown kind ${JSON.stringify(k)} (one of ${MONITOR_KINDS.join(', ')})`);
  }
  if (opts.family !== undefined && opts.family !== 4 && opts.family !== 6) throw new RangeError(`monitor.family: expected 4 or 6, got ${String(opts.family)}`);
  if (opts.rcvbuf !== undefined && (!Number.isInteger(opts.rcvbuf) || opts.rcvbuf < 1 || opts.rcvbuf > 0x7fffffff)) {
    throw new RangeError(`monitor.rcvbuf: expected a positive integer byte count, got ${String(opts.rcvbuf)}`);
  }
  if (opts.resync !== undefined && typeof opts.resync !== 'boolean') throw new TypeError('monitor.resync: expected a boolean');
  return { kinds: MONITOR_KINDS.filter((k) => kinds.includes(k)), family: opts.family };
}

/**
 * A subscription to rtnetlink notifications. Iterate it with `for await`; leaving the loop
 * (break, return, throw) closes it. Single consumer: concurrent `next()` calls are served in
 * order.
 */
export class Monitor implements AsyncIterableIterator<MonitorEvent> {
  /** The kinds watched, in {@link MONITOR_KINDS} order. */
  readonly kinds: readonly MonitorKind[];
  readonly #kindSet: ReadonlySet<MonitorKind>;
  readonly #opts: MonitorOptions;
  readonly #family: 4 | 6 | undefined;
  readonly #tr: Transport;
  /** Set for a live socket: what we poll. */
  readonly #live: LiveTransport | undefined;
  readonly #lib: Libc;
  readonly #queue: MonitorEvent[] = [];
  #closed = false;
  /** The wait in progress on the shared poller. */
  #wait: PollWait | undefined;
  #filling: Promise<void> | undefined;

  private constructor(opts: MonitorOptions, kinds: MonitorKind[], family: 4 | 6 | undefined) {
    this.#opts = opts;
    this.kinds = kinds;
    this.#kindSet = new Set(kinds);
    this.#family = family;
    this.#lib = opts.libc ?? defaultLibc();
    const groups = [...new Set(kinds.flatMap((k) => monitorGroups(k, family)))];
    if (opts.transport) {
      this.#tr = opts.transport;
      this.#live = undefined;
      return;
    }
    this.#tr = this.#live = new LiveTransport(NETLINK_ROUTE, {
      groups, libc: this.#lib, rcvbuf: opts.rcvbuf ?? 4 << 20, timeoutMs: 0,
      ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
    });
  }

  /** Subscribe. Options are checked before any syscall (TypeError / RangeError). */
  static open(opts: MonitorOptions = {}): Monitor {
    const { kinds, family } = checkOptions(opts);
    return new Monitor(opts, kinds, family);
  }

  /** The netlink socket's port id (nl_pid). */
  get portId(): number {
    return this.#tr.portId;
  }

  get closed(): boolean {
    return this.#closed;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next event; `done` once closed (events already read are still handed out first). */
  async next(): Promise<IteratorResult<MonitorEvent, undefined>> {
    for (;;) {
      const ev = this.#queue.shift();
      if (ev) return { value: ev, done: false };
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
  async return(): Promise<IteratorResult<MonitorEvent, undefined>> {
    this.close();
    this.#queue.length = 0;
    if (this.#live) await Poller.for(this.#lib).settled();
    return { value: undefined, done: true };
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
    this.#tr.close();
    this.#wakeUp?.();
  }

  /** Ends the `#fill()` await on a cancelled wait (whose promise never settles). */
  #wakeUp: (() => void) | undefined;

  /** Read until events are queued, the monitor is closed, or (replay) the datagrams run out. */
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
        dgram = this.#live ? this.#live.tryRecv() : this.#tr.recv();
      } catch (err) {
        if (isOverflow(err)) {
          await this.#lost();
          return false;
        }
        if (!this.#live && err instanceof NetlinkTimeoutError) return true;
        throw err;
      }
      if (!dgram) return false;
      const events = decodeNotifications(dgram, new Date(), this.#kindSet);
      for (const ev of events) this.#queue.push(ev);
    }
    return false;
  }

  /**
   * ENOBUFS: say so, then (unless resync is off) discard what is still queued and re-dump the
   * subscribed tables. The discard matters: while its queue is not empty a socket stays
   * congested (af_netlink.c NETLINK_S_CONGESTED, cleared by netlink_rcv_wake() on an empty
   * queue) and every new notification is dropped too; the snapshot supersedes the stale ones.
   */
  async #lost(): Promise<void> {
    this.#queue.push({ kind: 'lost', time: new Date() });
    if (this.#opts.resync === false) return;
    this.#discardQueued();
    const events = await this.#resync();
    if (this.#closed) return;
    for (const ev of events) this.#queue.push(ev);
    this.#queue.push({ kind: 'resynced', time: new Date(), kinds: this.kinds });
  }

  /** Read and drop every queued datagram (live sockets only; a replay has nothing stale). */
  #discardQueued(): void {
    if (!this.#live) return;
    for (let n = 0; n < 1_000_000 && !this.#closed; n++) {
      try {
        if (this.#live.tryRecv() === undefined) return;
      } catch (err) {
        if (!isOverflow(err)) throw err;
      }
    }
  }

  async #resync(): Promise<ObjectEvent[]> {
    const o = this.#opts;
    const h = RouteHandle.open({
      libc: this.#lib,
      ...(o.resyncTransport ? { transport: o.resyncTransport() } : {}),
      ...(o.netns !== undefined && !o.resyncTransport ? { netns: o.netns } : {}),
    });
    const fam = this.#family !== undefined ? { family: this.#family } : {};
    const time = new Date();
    const out: ObjectEvent[] = [];
    try {
      for (const k of this.kinds) {
        switch (k) {
          case 'link': for (const link of await h.link.list()) out.push({ kind: 'link', action: 'resync', link, time }); break;
          case 'addr': for (const addr of await h.addr.list(fam)) out.push({ kind: 'addr', action: 'resync', addr, time }); break;
          case 'route': for (const route of await h.route.list({ table: 'all', ...fam })) out.push({ kind: 'route', action: 'resync', route, time }); break;
          case 'neigh': for (const neigh of await h.neigh.list(fam)) out.push({ kind: 'neigh', action: 'resync', neigh, time }); break;
          case 'rule': for (const rule of await h.rule.list(fam)) out.push({ kind: 'rule', action: 'resync', rule, time }); break;
          case 'nsid': for (const nsid of await h.nsid.list()) out.push({ kind: 'nsid', action: 'resync', nsid, time }); break;
        }
      }
    } finally {
      h.close();
    }
    return out;
  }

  /** Wait (on the shared poller's pool thread) until the socket is readable or close() is called. */
  async #waitReadable(): Promise<void> {
    if (!this.#live || this.#closed) return;
    const w = this.#wait = Poller.for(this.#lib).wait(this.#live.fd);
    try {
      await Promise.race([w.promise, new Promise<void>((r) => { this.#wakeUp = r; })]);
    } finally {
      this.#wakeUp = undefined;
      if (this.#wait === w) this.#wait = undefined;
    }
  }
}

/**
 * Watch rtnetlink notifications (`ip monitor`): links, addresses, routes, neighbours, rules
 * and namespace ids of one namespace, as typed events.
 *
 * ```ts
 * const mon = monitor({ kinds: ['link', 'addr'] });
 * for await (const ev of mon) {
 *   if (ev.kind === 'link') console.log(ev.action, ev.link.name);
 *   if (ev.kind === 'lost') console.log('events lost; a resync follows');
 * }
 * ```
 *
 * Waiting never holds the event loop; all waiting monitors share one libuv pool thread.
 * `close()` (or leaving the loop) releases the socket at once.
 */
export function monitor(opts: MonitorOptions = {}): Monitor {
  return Monitor.open(opts);
}
