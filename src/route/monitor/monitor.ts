/**
 * `monitor()`: rtnetlink notifications as an AsyncIterable of typed events (`ip monitor`).
 *
 * The socket joins the multicast groups of the asked kinds (NETLINK_ADD_MEMBERSHIP); reading,
 * waiting without holding the event loop (one shared poll thread) and stopping at once are
 * netlink/notifications.ts's NotificationStream, shared with the nftables monitor.
 *
 * Lost events: when notifications arrive faster than they are read, the kernel drops them
 * and the next recvmsg(2) fails with ENOBUFS (af_netlink.c netlink_overrun(); we do not set
 * NETLINK_NO_ENOBUFS, so loss is reported). The monitor then yields `{ kind: 'lost' }`,
 * re-dumps the subscribed tables over a second socket as `resync` events and ends the
 * snapshot with `{ kind: 'resynced' }`. Notifications still queued at the overflow are dropped
 * first (the snapshot supersedes them); those that arrive during the re-dump follow it.
 * A re-dump the kernel flags NLM_F_DUMP_INTR (the table changed under it, as it does in the
 * very storm that overflowed the socket) is repeated, up to RESYNC_ATTEMPTS times per table;
 * if every try was interrupted, the last try's entries are the resync events and `resynced`
 * names those tables in `interrupted` (the snapshot may miss or repeat entries; the
 * notifications that follow still bring changed objects up to date). The iterator never ends
 * because of it.
 */
import { type Libc, libc as defaultLibc } from '../../ffi/libc.js';
import { NotificationStream } from '../../netlink/notifications.js';
import type { NetnsRef } from '../../netlink/nsenter.js';
import { LiveTransport, type Transport } from '../../netlink/transport.js';
import { RouteHandle } from '../handle.js';
import {
  MONITOR_KINDS, type MonitorEvent, type MonitorKind, type ObjectEvent, decodeNotifications, monitorGroups,
} from './monitor-event.js';
import { NETLINK_ROUTE } from '../../netlink/header.js';
import { DumpInterruptedError } from '../../netlink/errors.js';

/** Tries of one table's resync dump while the kernel keeps flagging it NLM_F_DUMP_INTR. */
export const RESYNC_ATTEMPTS = 20;
/** Longest pause between two tries (they grow 2, 4, 8 … ms). */
const RESYNC_PAUSE_MAX_MS = 500;

/** Options of {@link monitor}: kinds, family, namespace, backend, receive buffer. */
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
export class Monitor extends NotificationStream<MonitorEvent> {
  /** The kinds watched, in {@link MONITOR_KINDS} order. */
  readonly kinds: readonly MonitorKind[];
  readonly #kindSet: ReadonlySet<MonitorKind>;
  readonly #opts: MonitorOptions;
  readonly #family: 4 | 6 | undefined;
  #retries = 0;

  /** Resync dumps repeated because the kernel flagged them NLM_F_DUMP_INTR (observability, tests). */
  get resyncRetries(): number {
    return this.#retries;
  }

  private constructor(opts: MonitorOptions, kinds: MonitorKind[], family: 4 | 6 | undefined) {
    const lib = opts.libc ?? defaultLibc();
    const groups = [...new Set(kinds.flatMap((k) => monitorGroups(k, family)))];
    const tr = opts.transport ?? new LiveTransport(NETLINK_ROUTE, {
      groups, libc: lib, rcvbuf: opts.rcvbuf ?? 4 << 20, timeoutMs: 0,
      ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
    });
    super(tr, lib, !opts.transport);
    this.#opts = opts;
    this.kinds = kinds;
    this.#kindSet = new Set(kinds);
    this.#family = family;
  }

  /** Subscribe. Options are checked before any syscall (TypeError / RangeError). */
  static open(opts: MonitorOptions = {}): Monitor {
    const { kinds, family } = checkOptions(opts);
    return new Monitor(opts, kinds, family);
  }

  protected decode(dgram: Buffer, time: Date): readonly MonitorEvent[] {
    return decodeNotifications(dgram, time, this.#kindSet);
  }

  /**
   * ENOBUFS: say so, then (unless resync is off) discard what is still queued (the snapshot
   * supersedes it) and re-dump the subscribed tables.
   */
  protected async overflow(): Promise<void> {
    this.push({ kind: 'lost', time: new Date() });
    if (this.#opts.resync === false) return;
    this.discardQueued();
    const { events, interrupted } = await this.#resync();
    if (this.closed) return;
    for (const ev of events) this.push(ev);
    this.push({ kind: 'resynced', time: new Date(), kinds: this.kinds, ...(interrupted.length ? { interrupted } : {}) });
  }

  async #resync(): Promise<{ events: ObjectEvent[]; interrupted: MonitorKind[] }> {
    const o = this.#opts;
    const h = RouteHandle.open({
      libc: this.lib,
      ...(o.resyncTransport ? { transport: o.resyncTransport() } : {}),
      ...(o.netns !== undefined && !o.resyncTransport ? { netns: o.netns } : {}),
    });
    const fam = this.#family !== undefined ? { family: this.#family } : {};
    const out: ObjectEvent[] = [];
    const interrupted: MonitorKind[] = [];
    try {
      for (const k of this.kinds) {
        const time = new Date();
        const list = async (): Promise<readonly unknown[]> => {
          switch (k) {
            case 'link': return h.link.list();
            case 'addr': return h.addr.list(fam);
            case 'route': return h.route.list({ table: 'all', ...fam });
            case 'neigh': return h.neigh.list(fam);
            case 'rule': return h.rule.list(fam);
            case 'nsid': return h.nsid.list();
          }
        };
        const r = await this.#retrying(list);
        if (this.closed) break;
        if (r.interrupted) interrupted.push(k);
        for (const x of r.objects) out.push({ kind: k, action: 'resync', [k]: x, time } as unknown as ObjectEvent);
      }
    } finally {
      h.close();
    }
    return { events: out, interrupted };
  }

  /**
   * One table's dump, again when the kernel flags it NLM_F_DUMP_INTR (the table changed under
   * it — under the very storm that made us resync): up to RESYNC_ATTEMPTS tries with a growing
   * pause (yielding the event loop, so the storm can drain), then the last try's partial result,
   * flagged. Never throws DumpInterruptedError (issue 17: it ended the iterator).
   */
  async #retrying(list: () => Promise<readonly unknown[]>): Promise<{ objects: readonly unknown[]; interrupted: boolean }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { objects: await list(), interrupted: false };
      } catch (err) {
        if (!(err instanceof DumpInterruptedError)) throw err;
        this.#retries++;
        // The last try's entries (typed objects, the list() element type), possibly inconsistent.
        if (attempt >= RESYNC_ATTEMPTS || this.closed) return { objects: err.partial, interrupted: true };
        await new Promise((r) => setTimeout(r, Math.min(RESYNC_PAUSE_MAX_MS, 2 ** attempt)));
      }
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
