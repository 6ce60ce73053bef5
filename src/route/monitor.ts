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
 */
import { type Libc, libc as defaultLibc } from '../ffi/libc.js';
import { NotificationStream } from '../netlink/notifications.js';
import type { NetnsRef } from '../netlink/nsenter.js';
import { LiveTransport, type Transport } from '../netlink/transport.js';
import { RouteHandle } from './handle.js';
import {
  MONITOR_KINDS, type MonitorEvent, type MonitorKind, type ObjectEvent, decodeNotifications, monitorGroups,
} from './monitor-event.js';
import { NETLINK_ROUTE } from '../netlink/header.js';

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
    const events = await this.#resync();
    if (this.closed) return;
    for (const ev of events) this.push(ev);
    this.push({ kind: 'resynced', time: new Date(), kinds: this.kinds });
  }

  async #resync(): Promise<ObjectEvent[]> {
    const o = this.#opts;
    const h = RouteHandle.open({
      libc: this.lib,
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
