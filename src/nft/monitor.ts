/**
 * `monitorNft()`: nftables changes as an AsyncIterable of typed events (`nft monitor`). The
 * socket is NETLINK_NETFILTER joined to NFNLGRP_NFTABLES (7, <linux/netfilter/nfnetlink.h>);
 * reading, waiting without holding the event loop (the shared poll thread) and stopping at
 * once are netlink/notifications.ts's NotificationStream, as for the rtnetlink monitor.
 *
 * Lost events (ENOBUFS) yield `{ kind: 'lost' }` and the stream goes on; there is no resync —
 * read the ruleset again (NftHandle.list) if the gap matters. The set shapes learned so far
 * are kept, so element events still decode.
 */
import { type Libc, libc as defaultLibc } from '../ffi/libc.js';
import { NETLINK_NETFILTER } from '../netlink/header.js';
import { NotificationStream } from '../netlink/notifications.js';
import type { NetnsRef } from '../netlink/nsenter.js';
import { LiveTransport, type Transport } from '../netlink/transport.js';
import { NFNLGRP_NFTABLES } from './constants.js';
import { NFT_EVENT_KINDS, NftEventDecoder, type NftEvent, type NftEventKind } from './monitor-event.js';
import type { NftSet } from './set.js';

/** Options of {@link monitorNft}: namespace, backend, receive buffer. */
export interface NftMonitorOptions {
  /** Which events to yield. Default: all (`table`, `chain`, `set`, `element`, `rule`, `gen`). */
  readonly kinds?: readonly NftEventKind[];
  /** Watch this network namespace (fd, path, `ip netns` name, `{ pid }`, Netns handle). Default: the caller's. */
  readonly netns?: NetnsRef;
  /** FFI backend. Default: libc() (env NETLINK_TS_FFI, else koffi). */
  readonly libc?: Libc;
  /** SO_RCVBUF in bytes. Default 4 MiB (without CAP_NET_ADMIN capped at net.core.rmem_max). */
  readonly rcvbuf?: number;
  /** Sets that exist already (NftHandle.sets()), so element events on them decode. */
  readonly knownSets?: readonly NftSet[];
  /** Read from this transport instead of a live socket (recorded datagrams, tests); ends when it has no more. */
  readonly transport?: Transport;
}

function checkOptions(opts: NftMonitorOptions): NftEventKind[] {
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`monitorNft: expected an options object, got ${opts === null ? 'null' : typeof opts}`);
  const kinds = opts.kinds ?? NFT_EVENT_KINDS;
  if (!Array.isArray(kinds)) throw new TypeError('monitorNft.kinds: expected an array of kinds');
  if (kinds.length === 0) throw new RangeError('monitorNft.kinds: name at least one kind');
  for (const k of kinds) {
    if (!NFT_EVENT_KINDS.includes(k as NftEventKind)) throw new RangeError(`monitorNft.kinds: unknown kind ${JSON.stringify(k)} (one of ${NFT_EVENT_KINDS.join(', ')})`);
  }
  if (opts.rcvbuf !== undefined && (!Number.isInteger(opts.rcvbuf) || opts.rcvbuf < 1 || opts.rcvbuf > 0x7fffffff)) {
    throw new RangeError(`monitorNft.rcvbuf: expected a positive integer byte count, got ${String(opts.rcvbuf)}`);
  }
  if (opts.knownSets !== undefined && !Array.isArray(opts.knownSets)) throw new TypeError('monitorNft.knownSets: expected an array of sets');
  return NFT_EVENT_KINDS.filter((k) => kinds.includes(k));
}

/**
 * A subscription to nftables notifications. Iterate it with `for await`; leaving the loop
 * closes it; `close()` releases the socket at once.
 */
export class NftMonitor extends NotificationStream<NftEvent> {
  /** The kinds yielded, in {@link NFT_EVENT_KINDS} order. */
  readonly kinds: readonly NftEventKind[];
  readonly #decoder: NftEventDecoder;

  private constructor(opts: NftMonitorOptions, kinds: NftEventKind[]) {
    const lib = opts.libc ?? defaultLibc();
    const tr = opts.transport ?? new LiveTransport(NETLINK_NETFILTER, {
      groups: [NFNLGRP_NFTABLES], libc: lib, rcvbuf: opts.rcvbuf ?? 4 << 20, timeoutMs: 0,
      ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
    });
    super(tr, lib, !opts.transport);
    this.kinds = kinds;
    // Set and element events are decoded even when not yielded: rules and elements need them.
    this.#decoder = new NftEventDecoder(kinds, opts.knownSets ?? []);
  }

  /** Subscribe. Options are checked before any syscall (TypeError / RangeError). */
  static open(opts: NftMonitorOptions = {}): NftMonitor {
    return new NftMonitor(opts, checkOptions(opts));
  }

  protected decode(dgram: Buffer, time: Date): readonly NftEvent[] {
    return this.#decoder.decode(dgram, time);
  }

  protected async overflow(): Promise<void> {
    this.push({ kind: 'lost', time: new Date() });
  }
}

/**
 * Watch nftables changes (`nft monitor`): tables, chains, sets, elements and rules made or
 * deleted by any commit in one namespace, each commit closed by a `gen` event.
 *
 * ```ts
 * for await (const ev of monitorNft({ kinds: ['rule'] })) {
 *   if (ev.kind === 'rule') console.log(ev.action, ev.rule.table, ev.rule.chain, ruleText(ev.rule));
 * }
 * ```
 */
export function monitorNft(opts: NftMonitorOptions = {}): NftMonitor {
  return NftMonitor.open(opts);
}
