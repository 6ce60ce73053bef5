/** `netlink-dump addr`: addresses per interface, like `ip -br addr` / `ip -j addr`. */
import type { Address } from '../../route/addr/addr.js';
import type { Link } from '../../route/link/link.js';
import type { Io } from '../io.js';
import { LIVE_HELP, columns, liveArgs, openHandle } from './common.js';
import { byIndexOf, filterLinks } from './link.js';
import { addrInfoJson, linkJson, linkLabel, operstateName, scopeName } from './shape.js';

export const HELP = `usage: netlink-dump addr [OPTIONS] [dev NAME]

Addresses by interface (columns of ip -br addr); with -d one line per address with scope,
label, lifetimes; --json as ip -j addr show (links with addr_info).

${LIVE_HELP}`;

export function addrTable(links: readonly Link[], addrs: readonly Address[], all: ReadonlyMap<number, Link>): string {
  return columns(links.map((l) => [linkLabel(l, all), operstateName(l), addrs.filter((a) => a.devIndex === l.index).map((a) => `${a.address}/${a.prefixlen}`).join(' ')]), [17, 15]);
}

export function addrJson(links: readonly Link[], addrs: readonly Address[], all: ReadonlyMap<number, Link>, details: boolean): unknown[] {
  return links.map((l) => ({ ...linkJson(l, all, details, true), addr_info: addrs.filter((a) => a.devIndex === l.index).map(addrInfoJson) }));
}

function addrDetails(links: readonly Link[], addrs: readonly Address[], all: ReadonlyMap<number, Link>): string {
  return links.map((l) => [`${l.index}: ${linkLabel(l, all)}: state ${operstateName(l)}`, ...addrs.filter((a) => a.devIndex === l.index).map((a) => {
    const j = addrInfoJson(a);
    const life = (v: unknown): string => (v === 4294967295 ? 'forever' : `${v}sec`);
    return `    ${j['family']} ${a.address}/${a.prefixlen}${a.peer ? ` peer ${a.peer}` : ''}${a.broadcast ? ` brd ${a.broadcast}` : ''} scope ${scopeName(a.scope)}${a.flags.map((f) => ` ${f}`).join('')}${a.label && a.label !== l.name ? ` label ${a.label}` : ''}` +
      (j['valid_life_time'] !== undefined ? `\n       valid_lft ${life(j['valid_life_time'])} preferred_lft ${life(j['preferred_life_time'])}` : '');
  })].join('\n')).join('\n');
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = liveArgs(argv, 'addr', ['dev']);
  if (args.parsed.help) { io.out(HELP); return 0; }
  const h = await openHandle(args.netns);
  try {
    const links = await h.link.list();
    const all = byIndexOf(links);
    const shown = filterLinks(links, args.filters);
    const addrs = await h.addr.list(args.family ? { family: args.family } : {});
    if (args.json) io.out(JSON.stringify(addrJson(shown, addrs, all, args.details)));
    else if (shown.length) io.out(args.details ? addrDetails(shown, addrs, all) : addrTable(shown, addrs, all));
    return 0;
  } finally {
    h.close();
  }
}
