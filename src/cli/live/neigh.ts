/** `netlink-dump neigh`: the ARP and NDP caches, like `ip neigh show nud all` / `ip -j neigh`. */
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { LIVE_HELP, liveArgs, openHandle } from './common.js';
import { byIndexOf, filterLinks } from './link.js';
import { neighJson } from './shape.js';

export const HELP = `usage: netlink-dump neigh [OPTIONS] [dev NAME] [nud STATE]

Neighbour entries (every state, as ip neigh show nud all); --json as ip -j neigh show.
nud STATE keeps the entries in that state, as ip neigh show nud STATE does: permanent,
noarp, reachable, stale, none, incomplete, delay, probe, failed, or all (the default).

${LIVE_HELP}`;

/** ip's nud words (NUD_* without the prefix; none is NUD_NONE). */
const NUD_WORDS = ['PERMANENT', 'NOARP', 'REACHABLE', 'STALE', 'NONE', 'INCOMPLETE', 'DELAY', 'PROBE', 'FAILED'];

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = liveArgs(argv, 'neigh', ['dev', 'nud']);
  const nud = args.filters['nud']?.toUpperCase();
  if (nud !== undefined && nud !== 'ALL' && !NUD_WORDS.includes(nud)) throw new UsageError(`neigh: unknown nud state "${args.filters['nud']}" (one of ${NUD_WORDS.map((w) => w.toLowerCase()).join(', ')}, all)`);
  if (args.parsed.help) { io.out(HELP); return 0; }
  const h = await openHandle(args.netns);
  try {
    const links = await h.link.list();
    const all = byIndexOf(links);
    if (args.filters['dev'] !== undefined) filterLinks(links, { dev: args.filters['dev'] });
    const entries = await h.neigh.list({ ...(args.family ? { family: args.family } : {}), ...(args.filters['dev'] !== undefined ? { dev: args.filters['dev'] } : {}) });
    const js = entries.map((n) => neighJson(n, all)).filter((j) => nud === undefined || nud === 'ALL' || (j['state'] as string[]).includes(nud));
    if (args.json) io.out(JSON.stringify(js));
    else if (js.length) {
      io.out(js.map((j) => [j['dst'], 'dev', j['dev'], ...(j['lladdr'] ? ['lladdr', j['lladdr']] : []),
        ...Object.keys(j).filter((k) => j[k] === null), ...(j['state'] as string[])].join(' ')).join('\n'));
    }
    return 0;
  } finally {
    h.close();
  }
}
