// Live corpus (issue 13): a rich state built with ip/bridge (tools/corpus-rtnl.sh) read three
// ways — ip -j / bridge -j, the library's typed objects, netlink-dump --json — and compared
// field by field, under both FFI backends. State that moves on its own (DAD, STP timers,
// lifetimes, expires) is read with ip before and after ours: each field must equal ip's
// before or after value, counters lie between them, *_timer values are numbers.
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { loadBackend } from '../../src/ffi/libc.js';
import { RouteHandle } from '../../src/route/handle.js';
import { dsfieldName } from '../../src/route/iproute2-tables.js';
import type { Link } from '../../src/route/link/link.js';
import { cli } from '../helpers/cli.js';
import { backends, enterFreshNetns, ip } from '../helpers/live.js';

enterFreshNetns();
t.setTimeout(600_000);
const tag = `k${process.pid % 100000}`;
execFileSync('bash', [new URL('../../tools/corpus-rtnl.sh', import.meta.url).pathname, tag], { stdio: ['ignore', 'ignore', 'pipe'] });
t.teardown(() => { for (const n of [`${tag}a`, `${tag}b`]) { try { ip('netns', 'del', n); } catch { /* gone */ } } });

const json = (cmd: string, args: readonly string[]): unknown => JSON.parse(execFileSync(cmd, ['-j', ...args], { encoding: 'utf8' }) || '[]');

/** Keys whose values move by themselves between two reads. */
const COUNTER = new Set(['expires', 'valid_life_time', 'preferred_life_time', 'ageing']);
const isTimer = (k: string): boolean => k.endsWith('_timer');

/**
 * Field-by-field comparison of `ours` with ip's `before` and `after`: every difference from
 * both is listed with its path (an empty list is a pass).
 */
function diff(ours: unknown, before: unknown, after: unknown, path = '$', key = ''): string[] {
  if (isDeepStrictEqual(ours, before) || isDeepStrictEqual(ours, after)) return [];
  if (typeof ours === 'number' && typeof before === 'number' && typeof after === 'number') {
    if (isTimer(key)) return [];
    if (COUNTER.has(key) && ours >= Math.min(before, after) - 1 && ours <= Math.max(before, after) + 1) return [];
  }
  if (Array.isArray(ours) && Array.isArray(before) && Array.isArray(after) && ours.length === before.length && ours.length === after.length) {
    return ours.flatMap((x, i) => diff(x, before[i], after[i], `${path}[${i}]`, key));
  }
  const obj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (obj(ours) && obj(before) && obj(after)) {
    const keys = new Set([...Object.keys(ours), ...Object.keys(before)]);
    return [...keys].flatMap((k) => diff(ours[k], before[k], after[k], `${path}.${k}`, k));
  }
  return [`${path}: ours ${JSON.stringify(ours)}, ip ${JSON.stringify(before)}${isDeepStrictEqual(before, after) ? '' : ` then ${JSON.stringify(after)}`}`];
}

function same(t: Test, ours: () => unknown, theirs: () => unknown, what: string): void {
  const before = theirs();
  const mine = ours();
  const after = theirs();
  t.same(diff(mine, before, after), [], `${what} (${Array.isArray(before) ? before.length : 1} objects)`);
}

const ipj = (cmd: string, ...args: string[]) => (): any[] => json(cmd, args) as any[];
/** `o` with only `keys`, in that order (undefined values dropped). */
const pick = (o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

// The netlink-dump --json views, each against the ip / bridge command it mirrors.
const VIEWS: ReadonlyArray<readonly [string[], readonly [string, ...string[]]]> = [
  [['link'], ['ip', 'link', 'show']],
  [['link', '-d'], ['ip', '-d', 'link', 'show']],
  [['addr'], ['ip', 'addr', 'show']],
  [['route', '-4', 'table', 'all'], ['ip', '-4', 'route', 'show', 'table', 'all']],
  [['route', '-6', 'table', 'all'], ['ip', '-6', 'route', 'show', 'table', 'all']],
  [['route', '-4'], ['ip', '-4', 'route', 'show']],
  [['route', '-6', 'table', '100'], ['ip', '-6', 'route', 'show', 'table', '100']],
  [['neigh'], ['ip', 'neigh', 'show', 'nud', 'all']],
  [['rule', '-4'], ['ip', '-4', 'rule', 'show']],
  [['rule', '-6'], ['ip', '-6', 'rule', 'show']],
  [['fdb'], ['bridge', 'fdb', 'show']],
];

for (const backend of backends) {
  t.test(`${backend}: every netlink-dump --json view is ip -j, key for key, value for value`, async (t) => {
    for (const [args, ipCmd] of VIEWS) {
      const [cmd, ...ipArgs] = ipCmd;
      same(t, () => {
        const r = cli([...args, '--json'], { env: { NETLINK_TS_FFI: backend } });
        if (r.code !== 0) throw new Error(`netlink-dump ${args.join(' ')}: ${r.stderr}`);
        return JSON.parse(r.stdout);
      }, ipj(cmd, ...ipArgs), `netlink-dump ${args.join(' ')} --json = ${cmd} -j ${ipArgs.join(' ')}`);
    }
  });

  t.test(`${backend}: typed objects carry what ip -j shows, in its words`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    const links = await h.link.list();
    const byIndex = new Map<number, Link>(links.map((l) => [l.index, l]));
    const LK = ['ifindex', 'link', 'link_index', 'ifname', 'flags', 'mtu', 'qdisc', 'master', 'operstate', 'group', 'txqlen', 'link_type', 'address', 'broadcast', 'link_netnsid', 'ifalias'];
    same(t, () => links.map((l) => pick({
      ifindex: l.index, link: l.link, link_index: l.link === undefined && l.linkIndex !== undefined && (l.linkIndex !== l.index || l.linkNetnsid !== undefined) ? l.linkIndex : undefined,
      ifname: l.name, flags: l.flags, mtu: l.mtu, qdisc: l.qdisc, master: l.master, operstate: l.operstate, group: l.group === undefined ? undefined : String(l.group),
      txqlen: l.txqlen, link_type: l.type, address: l.address, broadcast: l.broadcast, link_netnsid: l.linkNetnsid, ifalias: l.ifalias,
    }, LK)), () => ipj('ip', 'link', 'show')().map((o) => pick(o, LK)), 'Link objects = ip -j link show');
    t.ok(links.every((l) => l.masterIndex === undefined || byIndex.get(l.masterIndex)?.name === l.master), 'every master name is the name of masterIndex');

    const addrs = await h.addr.list();
    same(t, () => links.map((l) => ({
      ifname: l.name,
      addr_info: addrs.filter((a) => a.devIndex === l.index && a.dev === l.name).map((a) => ({
        family: a.family === 4 ? 'inet' : 'inet6', local: a.address, ...(a.peer ? { address: a.peer } : {}), prefixlen: a.prefixlen,
        ...(a.broadcast ? { broadcast: a.broadcast } : {}), scope: a.scope, ...Object.fromEntries(a.flags.map((f) => [f, true])),
        ...(a.label ? { label: a.label } : {}), valid_life_time: a.validLft === 'forever' ? 4294967295 : a.validLft,
        preferred_life_time: a.preferredLft === 'forever' ? 4294967295 : a.preferredLft, ...(a.metric !== undefined ? { metric: a.metric } : {}),
      })),
    })), () => ipj('ip', 'addr', 'show')().map((o) => ({ ifname: o.ifname, addr_info: o.addr_info.map((x: Record<string, unknown>) => x) })), 'Address objects = ip -j addr show');

    const RK = ['type', 'dst', 'from', 'tos', 'gateway', 'via', 'dev', 'table', 'protocol', 'scope', 'prefsrc', 'metric', 'flags', 'flow', 'expires', 'nexthops', 'pref'];
    const routeView = (r: Awaited<ReturnType<typeof h.route.list>>[number]): Record<string, unknown> => pick({
      type: r.type === 'unicast' ? undefined : r.type, dst: r.dst.replace(r.family === 4 ? /\/32$/ : /\/128$/, ''), from: r.from,
      tos: r.tos ? dsfieldName(r.tos) : undefined, gateway: r.gateway,
      via: r.via ? { family: r.via.family === 6 ? 'inet6' : 'inet', host: r.via.address } : undefined, dev: r.dev,
      table: r.table === 'main' ? undefined : String(r.table), protocol: r.protocol === 'boot' ? undefined : r.protocol,
      scope: r.scope === 'global' ? undefined : r.scope, prefsrc: r.prefsrc, metric: r.metric, flags: r.flags,
      flow: r.realms ? { ...(r.realms.from ? { from: String(r.realms.from) } : {}), to: String(r.realms.to) } : undefined, expires: r.expires,
      nexthops: r.nexthops?.map((n) => pick({ gateway: n.gateway, via: n.via ? { family: n.via.family === 6 ? 'inet6' : 'inet', host: n.via.address } : undefined, dev: n.dev, weight: n.weight, flags: n.flags }, ['gateway', 'via', 'dev', 'weight', 'flags'])),
      pref: r.pref,
    }, RK);
    for (const fam of [4, 6] as const) {
      const routes = await h.route.list({ family: fam, table: 'all' });
      same(t, () => routes.map(routeView), () => ipj('ip', `-${fam}`, 'route', 'show', 'table', 'all')().map((o) => pick(o, RK)), `Route objects (IPv${fam}, every table) = ip -j -${fam} route show table all`);
    }

    const NK = ['dst', 'dev', 'lladdr', 'router', 'proxy', 'state'];
    // An entry nobody answers moves between INCOMPLETE and FAILED on its own (the kernel probes
    // again when traffic for it arrives), so those two compare as one moving state.
    const unresolved = (st: string): string => (st === 'INCOMPLETE' || st === 'FAILED' ? 'INCOMPLETE|FAILED' : st);
    const neigh = await h.neigh.list();
    same(t, () => neigh.map((n) => pick({ dst: n.dst, dev: n.dev, lladdr: n.lladdr, router: n.flags.includes('router') ? null : undefined, state: n.state.map((x) => unresolved(x.toUpperCase())) }, NK)),
      () => ipj('ip', 'neigh', 'show', 'nud', 'all')().map((o) => pick({ ...o, ...(Array.isArray(o.state) ? { state: o.state.map(unresolved) } : {}) }, NK)), 'Neighbour objects = ip -j neigh show nud all');
    const proxies = await h.neigh.list({ proxy: true });
    same(t, () => proxies.map((n) => pick({ dst: n.dst, dev: n.dev, proxy: null }, NK)), () => ipj('ip', 'neigh', 'show', 'proxy')().map((o) => pick(o, NK)), 'proxy Neighbour objects = ip -j neigh show proxy');

    const fdb = await h.fdb.list();
    const FK = ['mac', 'ifname', 'dst', 'port', 'vni', 'src_vni', 'viaIf', 'flags', 'master', 'state'];
    same(t, () => fdb.map((e) => pick({ mac: e.mac, ifname: e.dev, dst: e.dst, port: e.port, vni: e.vni, src_vni: e.srcVni, viaIf: e.via, flags: e.flags, master: e.master, state: e.state }, FK)),
      () => ipj('bridge', 'fdb', 'show')().map((o) => pick(o, FK)), 'FdbEntry objects = bridge -j fdb show');
  });
}
