/**
 * `netlink-dump all`: everything about one namespace on one screen — interfaces with their
 * addresses, bridges and their ports, routes of every table, neighbours, rules.
 */
import type { RouteHandle } from '../../route/handle.js';
import type { Io } from '../io.js';
import { LIVE_HELP, liveArgs, openHandle } from './common.js';
import { addrJson, addrTable } from './addr.js';
import { byIndexOf } from './link.js';
import { neighJson, routeJson, routeText, ruleJson, ruleText } from './shape.js';

export const HELP = `usage: netlink-dump all [OPTIONS]

Everything about one namespace: interfaces and addresses, bridges with their ports (and
port state), routes of every table, neighbours, policy rules. --json puts the ip -j shapes
of each under one object: { links (with addr_info), bridge_ports, routes, neigh, rules }.

${LIVE_HELP}`;

/** The whole state of the namespace behind `h`, in ip -j shapes. */
export async function snapshot(h: RouteHandle, details: boolean) {
  const links = await h.link.list();
  const all = byIndexOf(links);
  const addrs = await h.addr.list();
  const routes = await h.route.list({ table: 'all' });
  const neigh = await h.neigh.list();
  const rules = await h.rule.list();
  const ports = await h.link.bridgePorts();
  return {
    links, addrs, routes, neigh, rules, ports, all,
    json: {
      links: addrJson(links, addrs, all, details),
      bridge_ports: ports.map((p) => ({ ifname: p.name, ifindex: p.index, master: p.master === undefined ? undefined : all.get(p.master)?.name ?? p.master, state: p.state, ...(p.cost !== undefined ? { cost: p.cost } : {}) })),
      routes: routes.map((r) => routeJson(r, all)),
      neigh: neigh.map((n) => neighJson(n, all)),
      rules: rules.map((r) => ruleJson(r, details)),
    },
  };
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = liveArgs(argv, 'all', []);
  if (args.parsed.help) { io.out(HELP); return 0; }
  const h = await openHandle(args.netns);
  try {
    const s = await snapshot(h, args.details);
    if (args.json) {
      io.out(JSON.stringify({ netns: args.netns ?? null, ...s.json }));
      return 0;
    }
    const st = io.style;
    const out: string[] = [st.bold(`namespace ${args.netns ?? '(this process\'s)'}`), '', st.bold('interfaces:')];
    out.push(addrTable(s.links, s.addrs, s.all).replace(/^/gm, '  '));
    const bridges = [...new Set(s.ports.map((p) => p.master))].filter((m): m is number => m !== undefined);
    if (bridges.length) {
      out.push('', st.bold('bridges:'));
      for (const b of bridges) {
        const ports = s.ports.filter((p) => p.master === b).map((p) => `${p.name} (${p.state ?? '?'})`);
        out.push(`  ${s.all.get(b)?.name ?? b}: ${ports.join(', ')}`);
      }
    }
    out.push('', st.bold('routes (all tables):'));
    out.push(...s.routes.map((r) => `  ${routeText(r, s.all).replace(/\n/g, '\n  ')}`));
    out.push('', st.bold('neighbours:'));
    out.push(...s.json.neigh.map((j) => `  ${j['dst']} dev ${j['dev']}${j['lladdr'] ? ` lladdr ${j['lladdr']}` : ''} ${(j['state'] as string[]).join(',')}`));
    out.push('', st.bold('rules:'));
    out.push(...s.rules.map((r) => `  ${ruleText(r, args.details)}`));
    io.out(out.join('\n'));
    return 0;
  } finally {
    h.close();
  }
}
