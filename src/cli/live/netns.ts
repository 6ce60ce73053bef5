/**
 * `netlink-dump netns`: every named network namespace (/run/netns) on one screen — its
 * interfaces with addresses, which bridge each port is on, where each veth's peer is, and
 * its main routes. A veth's peer in another namespace is known to the kernel only as
 * (IFLA_LINK ifindex, IFLA_LINK_NETNSID); it is found by matching the pair of ifindexes
 * both ends report (this end's IFLA_LINK is the peer's index and the other way round)
 * across the named namespaces and this process's own.
 */
import { existsSync, readdirSync } from 'node:fs';
import type { Address } from '../../route/addr/addr.js';
import type { Link } from '../../route/link/link.js';
import type { Route } from '../../route/route/route-decode.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { parse, bool } from '../args.js';
import { namespaceError, openHandle } from './common.js';
import { byIndexOf } from './link.js';
import { linkLabel, operstateName, routeJson, routeText } from './shape.js';
import type { Style } from '../style.js';

export const HELP = `usage: netlink-dump netns [--json] [--dir DIR]

Every named network namespace (ip netns add NAME → /run/netns/NAME): its interfaces with
state and addresses, the bridge each port is on, the namespace and name of each veth's
peer, and its main routing table. Namespaces that cannot be entered are reported and
skipped (exit 1).

Options:
  -j, --json    { namespaces: [{ name, links: [{ ifname, ifindex, kind, operstate, addresses,
                master, peer: { netns, ifname } }], routes }], errors }
      --dir DIR where the names live (default /run/netns)
  -h, --help    this text`;

export interface NsState { readonly name: string; readonly links: Link[]; readonly addrs: Address[]; readonly routes: Route[] }

const HERE = 'the current namespace';

/** Where the peer of veth `l` (in `ns`) is: the one link elsewhere whose index and IFLA_LINK mirror it. */
function findPeer(l: Link, ns: NsState, spaces: readonly NsState[]): { netns: string; ifname: string } | { unknown: string } | undefined {
  const up = l.attrs.link;
  if (l.kind !== 'veth' || up === undefined) return undefined;
  if (l.attrs.linkNetnsid === undefined) {
    const p = ns.links.find((x) => x.index === up);
    return p ? { netns: ns.name, ifname: p.name } : { unknown: `if${up}` };
  }
  const found = spaces.filter((s) => s !== ns).flatMap((s) => s.links
    .filter((x) => x.index === up && x.kind === 'veth' && x.attrs.link === l.index && x.attrs.linkNetnsid !== undefined)
    .map((x) => ({ netns: s.name, ifname: x.name })));
  if (found.length === 1) return found[0];
  if (found.length > 1) return { unknown: `if${up}, ambiguous: ${found.map((f) => `${f.netns}:${f.ifname}`).join(' or ')}` };
  return { unknown: `if${up} in an unnamed namespace (link-netnsid ${l.attrs.linkNetnsid})` };
}

async function load(name: string, path: string | undefined): Promise<NsState> {
  const h = await openHandle(path);
  try {
    return { name, links: await h.link.list(), addrs: await h.addr.list(), routes: await h.route.list() };
  } finally {
    h.close();
  }
}

/** One namespace's view: its links (with addresses, bridge, peer) and routes. */
export type NsView = ReturnType<typeof nsView>[number];

/**
 * The view of `spaces`; `all` (a superset) is where veth peers are looked for. Shared with
 * `netlink-lab status`, which passes a lab's nodes.
 */
export function nsView(spaces: readonly NsState[], all: readonly NsState[]) {
  return spaces.map((s) => {
    const byIndex = byIndexOf(s.links);
    return {
      name: s.name,
      links: s.links.map((l) => {
        const peer = findPeer(l, s, all);
        return {
          ifname: l.name, ifindex: l.index, ...(l.kind ? { kind: l.kind } : {}), operstate: operstateName(l),
          addresses: s.addrs.filter((a) => a.devIndex === l.index).map((a) => `${a.address}/${a.prefixlen}`),
          ...(l.masterIndex !== undefined ? { master: byIndex.get(l.masterIndex)?.name ?? l.master } : {}),
          ...(peer ? { peer } : {}),
          label: linkLabel(l, byIndex),
        };
      }),
      routes: s.routes.map((r) => routeJson(r, byIndex)),
      routeText: s.routes.map((r) => routeText(r, byIndex)),
    };
  });
}

/** The JSON form of a view (what `netlink-dump netns --json` prints under `namespaces`). */
export function nsJson(view: readonly NsView[]) {
  return view.map(({ routeText: _t, links, ...v }) => ({ ...v, links: links.map(({ label: _l, ...l }) => l) }));
}

/** The text form: a heading per namespace, a line per link, a line per route. `note(ns, ifname)` adds to a link's line. */
export function nsText(view: readonly NsView[], st: Style, note?: (ns: string, ifname: string) => string | undefined): string[] {
  const out: string[] = [];
  for (const v of view) {
    out.push(st.bold(`${v.name}`) + st.dim(` (${v.links.length} links, ${v.links.reduce((n, l) => n + l.addresses.length, 0)} addresses, ${v.routes.length} routes)`));
    for (const l of v.links) {
      const notes: string[] = [];
      if (l.kind) notes.push(l.kind);
      if (l.master !== undefined) notes.push(`port of ${l.master}`);
      const ports = v.links.filter((x) => x.master === l.ifname).map((x) => x.ifname);
      if (ports.length) notes.push(`ports: ${ports.join(' ')}`);
      if (l.peer) notes.push('unknown' in l.peer ? `peer ${l.peer.unknown}` : `peer ${l.peer.ifname} in ${l.peer.netns === v.name ? 'this namespace' : l.peer.netns}`);
      const extra = note?.(v.name, l.ifname);
      out.push(`  ${l.label.padEnd(16)} ${l.operstate.padEnd(8)} ${l.addresses.join(' ').padEnd(24)} ${notes.join(', ')}${extra ? `  ${extra}` : ''}`.trimEnd());
    }
    for (const r of v.routeText) out.push(`  route ${r}`);
  }
  return out;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const p = parse(argv, { json: { type: 'boolean', short: 'j' }, dir: { type: 'string' } }, 'netns');
  if (p.help) { io.out(HELP); return 0; }
  if (p.positionals.length) throw new UsageError(`netns: takes no arguments (got "${p.positionals[0]}")`);
  const dir = typeof p.values['dir'] === 'string' ? p.values['dir'] : '/run/netns';
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw namespaceError(err, dir);
    names = [];
  }
  const spaces: NsState[] = [];
  const errors: Array<{ name: string; error: string }> = [];
  for (const n of names) {
    try {
      spaces.push(await load(n, `${dir}/${n}`));
    } catch (err) {
      // Deleted between the directory read and the open (ip netns del in another process): not an error.
      if (!existsSync(`${dir}/${n}`)) continue;
      errors.push({ name: n, error: namespaceError(err, `${dir}/${n}`).message });
    }
  }
  // Our own namespace takes part in peer matching (host ends of veth pairs) but is not listed.
  const here = await load(HERE, undefined);
  const view = nsView(spaces, [...spaces, here]);
  if (bool(p, 'json')) {
    io.out(JSON.stringify({ namespaces: nsJson(view), errors }));
  } else {
    const st = io.style;
    const out: string[] = [];
    if (!names.length) out.push(`no named network namespaces (${dir} is empty)`);
    out.push(...nsText(view, st));
    for (const e of errors) out.push(st.bad(`${e.name}: ${e.error}`));
    io.out(out.join('\n'));
  }
  for (const e of errors) io.err(`netns: ${e.name}: ${e.error}`);
  return errors.length ? 1 : 0;
}
