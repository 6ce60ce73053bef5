/**
 * `netlink-dump monitor`: rtnetlink notifications as they happen, like `ip monitor`, one
 * timestamped line each (or one JSON object per line with --json), and with the kind `nft`
 * nftables changes like `nft monitor`. The library's monitor() and monitorNft() do the work;
 * this file only parses the command line and prints with the shapes of shape.ts and
 * nft-events.ts. Ctrl-C / SIGTERM close the monitors and exit 0.
 */
import type { Link } from '../../route/link/link.js';
import type { MonitorEvent, MonitorKind } from '../../route/monitor/monitor-event.js';
import type { Monitor } from '../../route/monitor/monitor.js';
import type { NftMonitor } from '../../nft/monitor.js';
import { bool, parse, str } from '../args.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { LIVE_OPTIONS, namespaceError, openHandle } from './common.js';
import { type Json, addrInfoJson, linkFlagWords, linkJson, linkLabel, neighJson, operstateName, routeJson, routeText, ruleJson, ruleText } from './shape.js';

const KINDS: readonly MonitorKind[] = ['link', 'addr', 'route', 'neigh', 'rule', 'nsid'];
/** What the command line can name: the rtnetlink kinds, and nft (not part of `all`, as in ip monitor all). */
export type CliMonitorKind = MonitorKind | 'nft';
const CLI_KINDS: readonly CliMonitorKind[] = [...KINDS, 'nft'];

export const HELP = `usage: netlink-dump monitor [OPTIONS] [all|KIND[,KIND…]…]

Print changes as they happen, one line each with its time, like ip monitor. KIND is one of
${CLI_KINDS.join(', ')}; all (the default) is every kind but nft. nft prints nftables
changes like nft monitor (tables, chains, named sets and maps, elements, rules, and the
generation each commit ends with) and needs CAP_NET_ADMIN in the namespace. When the kernel
drops events (the receive buffer overflowed) it says so, re-dumps the watched rtnetlink
tables (lines marked resync) and goes on; nftables events are not re-dumped. Once it is
subscribed it says so on stderr ("netlink-dump: monitoring KINDS in …"): changes made after
that line are all printed. Ctrl-C or SIGTERM stops it (exit 0).

Namespace (default: this process's):
  -n, --netns NAME|PATH  a namespace made by ip netns add (/run/netns/NAME), or a path
      --pid PID          the namespace of process PID (/proc/PID/ns/net)
Output:
  -j, --json             one JSON object per line: time, kind, action and the object as ip -j shapes it
  -4, -6                 addresses, routes and rules of one family only
  -h, --help             this text`;

/** The kinds named on the command line: `link,addr`, `link addr`, `all`. */
export function parseKinds(words: readonly string[]): CliMonitorKind[] {
  const out = new Set<CliMonitorKind>();
  for (const w of words.flatMap((x) => x.split(',')).filter((x) => x !== '')) {
    if (w === 'all') { for (const k of KINDS) out.add(k); continue; }
    if (!CLI_KINDS.includes(w as CliMonitorKind)) throw new UsageError(`monitor: unknown kind "${w}" (one of ${CLI_KINDS.join(', ')}, all)`);
    out.add(w as CliMonitorKind);
  }
  return out.size ? CLI_KINDS.filter((k) => out.has(k)) : [...KINDS];
}

/** One event as a line of text (without the timestamp). */
export function eventText(ev: MonitorEvent, links: ReadonlyMap<number, Link>): string {
  const dev = (i: number | undefined): string => (i === undefined ? '' : links.get(i)?.name ?? `if${i}`);
  switch (ev.kind) {
    case 'lost': return 'lost: the kernel dropped events (receive buffer overflow); resyncing';
    case 'resynced': return `resynced: the resync lines above are the whole state of ${ev.kinds.join(', ')}`;
    case 'link': {
      const l = ev.link;
      const master = l.masterIndex !== undefined ? ` master ${links.get(l.masterIndex)?.name ?? `if${l.masterIndex}`}` : '';
      return `link ${ev.action} ${l.index}: ${linkLabel(l, links)}: <${linkFlagWords(l.rawFlags).join(',')}>${l.mtu !== undefined ? ` mtu ${l.mtu}` : ''}${master} state ${operstateName(l)}${l.kind ? ` ${l.kind}` : ''}${l.address ? ` ${l.address}` : ''}`;
    }
    case 'addr': {
      const a = addrInfoJson(ev.addr);
      return `addr ${ev.action} ${ev.addr.address}/${ev.addr.prefixlen}${ev.addr.peer ? ` peer ${ev.addr.peer}` : ''} dev ${dev(ev.addr.devIndex)} ${a['family']} scope ${a['scope']}`;
    }
    case 'route': return `route ${ev.action} ${routeText(ev.route, links).replace(/\n/g, ' ')}`;
    case 'neigh': {
      const j = neighJson(ev.neigh, links);
      return `neigh ${ev.action} ${[j['dst'], 'dev', j['dev'], ...(j['lladdr'] ? ['lladdr', j['lladdr']] : []),
        ...Object.keys(j).filter((k) => j[k] === null), ...(j['state'] as string[])].join(' ')}`;
    }
    case 'rule': return `rule ${ev.action} ${ruleText(ev.rule, true)}`;
    case 'nsid': return `nsid ${ev.action} ${ev.nsid.nsid}`;
  }
}

/** One event as a JSON object: time, kind, action, and the object in ip -j's shape. */
export function eventJson(ev: MonitorEvent, links: ReadonlyMap<number, Link>): Json {
  const head: Json = { time: ev.time.toISOString(), kind: ev.kind };
  switch (ev.kind) {
    case 'lost': return head;
    case 'resynced': return { ...head, kinds: ev.kinds };
    case 'link': return { ...head, action: ev.action, link: linkJson(ev.link, links, false) };
    case 'addr': return { ...head, action: ev.action, addr: { ifindex: ev.addr.devIndex, dev: links.get(ev.addr.devIndex)?.name ?? ev.addr.dev, ...addrInfoJson(ev.addr) } };
    case 'route': return { ...head, action: ev.action, route: routeJson(ev.route, links) };
    case 'neigh': return { ...head, action: ev.action, neigh: neighJson(ev.neigh, links) };
    case 'rule': return { ...head, action: ev.action, rule: ruleJson(ev.rule, true) };
    case 'nsid': return { ...head, action: ev.action, nsid: ev.nsid.nsid };
  }
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const p = parse(argv, { netns: LIVE_OPTIONS['netns']!, pid: LIVE_OPTIONS['pid']!, json: LIVE_OPTIONS['json']!, '4': LIVE_OPTIONS['4']!, '6': LIVE_OPTIONS['6']! }, 'monitor');
  if (p.help) { io.out(HELP); return 0; }
  const ns = str(p, 'netns');
  const pid = str(p, 'pid');
  if (ns !== undefined && pid !== undefined) throw new UsageError('monitor: --netns and --pid exclude each other');
  if (pid !== undefined && !/^[1-9]\d*$/.test(pid)) throw new UsageError(`monitor: --pid takes a process id, got "${pid}"`);
  if (ns === '') throw new UsageError('monitor: --netns needs a name or path');
  if (bool(p, '4') && bool(p, '6')) throw new UsageError('monitor: -4 and -6 exclude each other');
  const kinds = parseKinds(p.positionals);
  const netns = pid !== undefined ? `/proc/${pid}/ns/net` : ns;
  const family = bool(p, '4') ? 4 : bool(p, '6') ? 6 : undefined;
  const json = bool(p, 'json');

  const routeKinds = kinds.filter((k): k is MonitorKind => k !== 'nft');
  let mon: Monitor | undefined;
  let nftMon: NftMonitor | undefined;
  try {
    if (kinds.includes('nft')) {
      const { monitorNft } = await import('../../nft/monitor.js');
      nftMon = monitorNft(netns !== undefined ? { netns } : {});
    }
    if (routeKinds.length) {
      const { monitor } = await import('../../route/monitor/monitor.js');
      mon = monitor({ kinds: routeKinds, ...(family ? { family } : {}), ...(netns !== undefined ? { netns } : {}) });
    }
  } catch (err) {
    nftMon?.close();
    throw namespaceError(err, netns);
  }
  const stop = (): void => { mon?.close(); nftMon?.close(); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Subscribed: from here on no change is missed (events queue in the sockets). Scripts wait
  // for this line before they make changes; stdout stays events only.
  io.err(`monitoring ${kinds.join(',')} in ${netns === undefined ? 'this namespace' : pid !== undefined ? `the namespace of pid ${pid}` : `namespace ${netns}`} (Ctrl-C stops)`);
  try {
    await Promise.all([mon && printRoute(mon, netns, json, io), nftMon && printNft(nftMon, json, io)].map((p) => p?.catch((err: unknown) => { stop(); throw err; })));
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await Promise.all([mon?.return(), nftMon?.return()]);
  }
}

async function printRoute(mon: Monitor, netns: string | undefined, json: boolean, io: Io): Promise<void> {
  // Names for ifindexes (routes, addresses, neighbours): a link dump, then kept up to date by link events.
  const links = new Map<number, Link>();
  const h = await openHandle(netns);
  try {
    for (const l of await h.link.list()) links.set(l.index, l);
  } finally {
    h.close();
  }
  for await (const ev of mon) {
    if (ev.kind === 'link' && ev.action !== 'del') links.set(ev.link.index, ev.link);
    io.out(json ? JSON.stringify(eventJson(ev, links)) : `[${ev.time.toISOString()}] ${eventText(ev, links)}`);
    if (ev.kind === 'link' && ev.action === 'del') links.delete(ev.link.index);
  }
}

async function printNft(mon: NftMonitor, json: boolean, io: Io): Promise<void> {
  const { nftEventJson, nftEventShown, nftEventText } = await import('./nft-events.js');
  for await (const ev of mon) {
    if (!nftEventShown(ev)) continue;
    io.out(json ? JSON.stringify(nftEventJson(ev)) : `[${ev.time.toISOString()}] ${nftEventText(ev)}`);
  }
}
