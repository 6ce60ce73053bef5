/** `netlink-dump route`: routes, like `ip route` / `ip -j route`. */
import type { RouteFilter } from '../../route/route/route.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { LIVE_HELP, liveArgs, openHandle } from './common.js';
import { byIndexOf, filterLinks } from './link.js';
import { routeJson, routeText } from './shape.js';

export const HELP = `usage: netlink-dump route [OPTIONS] [dev NAME] [table main|local|all|ID] [proto NAME]

Routes of one table (default main), both families unless -4/-6, one ip route line each;
--json as ip -j route show.

${LIVE_HELP}`;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = liveArgs(argv, 'route', ['dev', 'table', 'proto']);
  if (args.parsed.help) { io.out(HELP); return 0; }
  const t = args.filters['table'];
  if (t !== undefined && !/^(main|local|default|all|\d+)$/.test(t)) throw new UsageError(`route: table is main, local, default, all or a number, got "${t}"`);
  const h = await openHandle(args.netns);
  try {
    const links = await h.link.list();
    const all = byIndexOf(links);
    if (args.filters['dev'] !== undefined) filterLinks(links, { dev: args.filters['dev'] });
    const filter: RouteFilter = {
      ...(args.family ? { family: args.family } : {}),
      ...(t !== undefined ? { table: /^\d+$/.test(t) ? Number(t) : t as 'main' } : {}),
      ...(args.filters['dev'] !== undefined ? { dev: args.filters['dev'] } : {}),
      ...(args.filters['proto'] !== undefined ? { protocol: /^\d+$/.test(args.filters['proto']) ? Number(args.filters['proto']) : args.filters['proto'] as 'static' } : {}),
    };
    let routes;
    try {
      routes = await h.route.list(filter);
    } catch (err) {
      if (err instanceof RangeError) throw new UsageError(`route: ${err.message}`);
      throw err;
    }
    // ip leaves out the table it was asked for (and with `table all`, only main).
    const shown = t === undefined || t === 'all' ? 'main' : t;
    if (args.json) io.out(JSON.stringify(routes.map((r) => routeJson(r, all, shown))));
    else if (routes.length) io.out(routes.map((r) => routeText(r, all, shown)).join('\n'));
    return 0;
  } finally {
    h.close();
  }
}
