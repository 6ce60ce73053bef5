// Live: dumps that decode on access (src/netlink/lazy.ts), in a private netns, under both FFI
// backends. Every list()/stream() here runs with NETLINK_TS_CHECK_LAZY=1, so each entry is also
// built eagerly from the same bytes and compared (a LazyMismatchError fails the test); and the
// lazy objects of one dump still decode right after later dumps have reused the socket's
// receive buffer (they hold their own copy).
import t from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { RouteHandle } from '../../src/route/handle.js';
import { backends, enterFreshNetns, ip } from '../helpers/live.js';

enterFreshNetns();
process.env['NETLINK_TS_CHECK_LAZY'] = '1';

// Varied objects: a bridge with a veth port (linkinfo data, slave kind, master), an ifb,
// IPv4/IPv6 addresses, a multipath route, a route with metrics, neighbours, rules.
ip('link', 'add', 'lzbr', 'type', 'bridge');
ip('link', 'add', 'lzv0', 'type', 'veth', 'peer', 'name', 'lzv1');
ip('link', 'set', 'lzv0', 'master', 'lzbr');
ip('link', 'add', 'lzifb', 'type', 'ifb');
for (const d of ['lzbr', 'lzv0', 'lzv1', 'lzifb']) ip('link', 'set', d, 'up');
ip('addr', 'add', '10.77.0.1/24', 'dev', 'lzbr');
ip('addr', 'add', '10.78.0.1/24', 'dev', 'lzv1');
ip('addr', 'add', 'fd77::1/64', 'dev', 'lzbr', 'nodad');
ip('route', 'add', '192.0.2.0/24', 'nexthop', 'via', '10.77.0.2', 'dev', 'lzbr', 'weight', '2', 'nexthop', 'via', '10.78.0.2', 'dev', 'lzv1');
ip('route', 'add', '198.51.100.0/24', 'via', '10.77.0.3', 'mtu', '1400', 'advmss', '1360', 'metric', '7');
ip('route', 'add', 'fd78::/64', 'via', 'fd77::2', 'dev', 'lzbr');
ip('neigh', 'add', '10.77.0.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'lzbr', 'nud', 'permanent');
ip('rule', 'add', 'priority', '1000', 'from', '10.77.0.0/24', 'table', '100');

/** A value without its `*Timer` keys (bridge and port timers tick between two dumps). */
const noTimers = (v: unknown): unknown =>
  v === null || typeof v !== 'object' || Buffer.isBuffer(v) ? v
    : Array.isArray(v) ? v.map(noTimers)
    : Object.fromEntries(Object.entries(v).filter(([k]) => !/Timer$/.test(k)).map(([k, x]) => [k, noTimers(x)]));

for (const backend of backends) {
  t.test(`${backend}: list() and stream() of every object: lazy == eager entry by entry`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    const all = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
      const out: T[] = [];
      for await (const x of it) out.push(x);
      return out;
    };
    const links = await h.link.list();
    t.ok(links.some((l) => l.name === 'lzbr' && l.kind === 'bridge'), 'the bridge is listed with its kind');
    t.ok(links.some((l) => l.name === 'lzv0' && l.master === 'lzbr' && l.slaveKind === 'bridge'), 'the port names its master');
    t.ok((await all(h.link.stream())).length === links.length, 'link.stream()');
    const routes = await h.route.list({ table: 'all' });
    t.ok(routes.some((r) => r.dst === '192.0.2.0/24' && r.nexthops?.length === 2), 'the multipath route');
    t.ok(routes.some((r) => r.dst === '198.51.100.0/24' && r.metrics?.mtu === 1400), 'the route with metrics');
    // IPv6 routes and addresses, and multicast neighbours, still appear while the links come up: compare the stable parts.
    t.equal((await all(h.route.stream({ table: 'all', family: 4 }))).length, routes.filter((r) => r.family === 4).length, 'route.stream() (IPv4)');
    const addrs = await h.addr.list();
    t.ok(addrs.some((a) => a.address === 'fd77::1' && a.validLft === 'forever'), 'an IPv6 address with its lifetimes');
    t.equal((await all(h.addr.stream({ family: 4 }))).length, addrs.filter((a) => a.family === 4).length, 'addr.stream() (IPv4)');
    const neigh = await h.neigh.list();
    t.ok(neigh.some((n) => n.dst === '10.77.0.9' && n.lladdr === '02:00:00:00:00:09'), 'the neighbour');
    t.ok((await all(h.neigh.stream())).some((n) => n.dst === '10.77.0.9' && n.state.includes('permanent')), 'neigh.stream()');
    const rules = await h.rule.list();
    t.ok(rules.some((r) => r.priority === 1000 && r.table === 100), 'the rule');
    t.equal((await all(h.rule.stream())).length, rules.length, 'rule.stream()');
  });

  t.test(`${backend}: a lazy object decodes right after later dumps reused the receive buffer`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    const first = await h.link.list();
    for (let i = 0; i < 5; i++) await h.route.list({ table: 'all' }); // the socket's receive buffer is overwritten
    // The eager objects of a dump of the same (unchanged) state, for comparison.
    process.env['NETLINK_TS_LAZY'] = '0';
    let eager;
    try {
      eager = await h.link.list();
    } finally {
      delete process.env['NETLINK_TS_LAZY'];
    }
    const byName = new Map(eager.map((l) => [l.name, l]));
    for (const l of first) {
      const e = byName.get(l.name)!;
      // attrs decoded only now, from the bytes the lazy object kept.
      t.same(l.attrs.ifname, e.attrs.ifname, `${l.name}: attrs.ifname`);
      t.same(noTimers(l.attrs.linkinfo), noTimers(e.attrs.linkinfo), `${l.name}: attrs.linkinfo (kind data included; the bridge's running timers left out)`);
      // IPv4's per-device configuration is stable; inet6's flags move while router solicitations go out.
      t.same(l.attrs.afSpec?.inet, e.attrs.afSpec?.inet, `${l.name}: attrs.afSpec.inet`);
      t.same(l.attrs.mtu, e.attrs.mtu, `${l.name}: attrs.mtu`);
      t.same(JSON.parse(JSON.stringify(l, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).name, l.name, `${l.name}: JSON`);
    }
  });
}
