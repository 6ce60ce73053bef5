/** `netlink-dump link`: interfaces, like `ip -br link` / `ip -d link` / `ip -j link`. */
import type { Link } from '../../route/link/link.js';
import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import { LIVE_HELP, columns, liveArgs, openHandle } from './common.js';
import { linkFlagWords, linkJson, linkLabel, operstateName } from './shape.js';

export const HELP = `usage: netlink-dump link [OPTIONS] [dev NAME] [type KIND] [master NAME]

Network interfaces: name, state, address and flags (columns of ip -br link); with -d one
block per interface with mtu, qdisc, kind, master, peer; --json as ip -j [-d] link show.

${LIVE_HELP}`;

export const byIndexOf = (links: readonly Link[]): Map<number, Link> => new Map(links.map((l) => [l.index, l]));

/** Links matching `dev`, `type`, `master` filters (names checked: an unknown device is an error). */
export function filterLinks(links: readonly Link[], f: Readonly<Record<string, string>>): Link[] {
  const byName = new Map(links.map((l) => [l.name, l]));
  for (const k of ['dev', 'master'] as const) {
    if (f[k] !== undefined && !byName.has(f[k]!)) throw new CliError(`no such device: ${f[k]}`);
  }
  return links.filter((l) => (f['dev'] === undefined || l.name === f['dev'])
    && (f['type'] === undefined || l.kind === f['type'])
    && (f['master'] === undefined || l.masterIndex === byName.get(f['master']!)!.index));
}

export function linkTable(links: readonly Link[], all: ReadonlyMap<number, Link>): string {
  return columns(links.map((l) => [linkLabel(l, all), operstateName(l), l.address ?? '', `<${linkFlagWords(l.rawFlags).join(',')}>`]), [17, 15, 18]);
}

export function linkDetails(links: readonly Link[], all: ReadonlyMap<number, Link>): string {
  return links.map((l) => {
    const a = l.attrs;
    const head = [`${l.index}: ${linkLabel(l, all)}: <${linkFlagWords(l.rawFlags).join(',')}>`];
    if (l.mtu !== undefined) head.push(`mtu ${l.mtu}`);
    if (a.qdisc) head.push(`qdisc ${a.qdisc}`);
    if (l.masterIndex !== undefined) head.push(`master ${all.get(l.masterIndex)?.name ?? l.master}`);
    head.push(`state ${operstateName(l)}`);
    if (a.txqlen !== undefined) head.push(`qlen ${a.txqlen}`);
    const lines = [head.join(' ')];
    const j = linkJson(l, all, true);
    lines.push(`    link/${j['link_type']}${l.address ? ` ${l.address}` : ''}${a.broadcast ? ` brd ${a.broadcast}` : ''}${a.linkNetnsid !== undefined ? ` link-netnsid ${a.linkNetnsid}` : ''}`);
    const more: string[] = [];
    if (l.kind) more.push(l.kind);
    if (a.linkinfo?.slaveKind) more.push(`${a.linkinfo.slaveKind}_slave`);
    if (a.promiscuity !== undefined) more.push(`promiscuity ${a.promiscuity}`);
    if (a.minMtu !== undefined) more.push(`minmtu ${a.minMtu}`);
    if (a.maxMtu !== undefined) more.push(`maxmtu ${a.maxMtu}`);
    if (more.length) lines.push(`    ${more.join(' ')}`);
    return lines.join('\n');
  }).join('\n');
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = liveArgs(argv, 'link', ['dev', 'type', 'master']);
  if (args.parsed.help) { io.out(HELP); return 0; }
  const h = await openHandle(args.netns);
  try {
    const links = await h.link.list();
    const all = byIndexOf(links);
    const shown = filterLinks(links, args.filters);
    if (args.json) io.out(JSON.stringify(shown.map((l) => linkJson(l, all, args.details))));
    else if (shown.length) io.out(args.details ? linkDetails(shown, all) : linkTable(shown, all));
    return 0;
  } finally {
    h.close();
  }
}
