// Live: RouteApi against iproute2 on the same kernel state, in a private netns, under both
// FFI backends — routes made with `ip` decode like `ip -j -d route show`, routes made with
// RouteApi read back through `ip` exactly as the same `ip route add` commands leave them.
import t, { type Test } from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { BulkError, NetlinkError } from '../../src/netlink/errors.js';
import { RouteHandle } from '../../src/route/handle.js';
import { RouteApi } from '../../src/route/route/route.js';
import type { Route } from '../../src/route/route/route-decode.js';
import type { RouteSpec } from '../../src/route/route/route-spec.js';
import { backends, enterFreshNetns, ip, ipJson, netnsInode } from '../helpers/live.js';

const home = enterFreshNetns();
ip('link', 'add', 'br0', 'type', 'bridge');
// No IPv6 link-local: its local route would appear (after DAD) in the middle of a comparison.
ip('link', 'set', 'br0', 'addrgenmode', 'none');
ip('addr', 'add', '10.1.0.1/24', 'dev', 'br0');
ip('-6', 'addr', 'add', 'fd00:1::1/64', 'dev', 'br0', 'nodad');
ip('link', 'set', 'br0', 'up');

/** `ip` with a command line written as one string (no argument contains a space). */
const sh = (cmd: string): string => ip(...cmd.split(' '));
const ipRoutes = (...filter: string[]): Array<Record<string, unknown>> => ipJson('-d', 'route', 'show', ...filter);

const RTNH_FLAGS: ReadonlyArray<readonly [number, string]> = [[1, 'dead'], [2, 'pervasive'], [4, 'onlink'], [8, 'offload'], [16, 'linkdown'], [32, 'unresolved'], [64, 'trap']];
const flagWords = (f: number): string[] => RTNH_FLAGS.filter(([b]) => f & b).map(([, n]) => n);
const TABLES: Record<number, string> = { 253: 'default', 254: 'main', 255: 'local' };

/** A Route in the words `ip -j -d route show` prints it. */
function ipView(r: Route, names: ReadonlyMap<number, string>): Record<string, unknown> {
  const [addr, len] = r.dst.split('/');
  // Keys in ip's order, so a failing comparison diffs field by field.
  const o: Record<string, unknown> = { type: String(r.type), dst: r.dst === 'default' ? 'default' : Number(len) === (r.family === 4 ? 32 : 128) ? addr : r.dst };
  if (r.gateway !== undefined) o['gateway'] = r.gateway;
  // The name the Route carries, and the name of the index beside it, must both be ip's.
  if (r.devIndex !== undefined) o['dev'] = names.get(r.devIndex) === r.dev ? r.dev : `${r.dev} != ${names.get(r.devIndex)}`;
  o['table'] = String(r.table);
  o['protocol'] = String(r.protocol);
  o['scope'] = String(r.scope);
  if (r.prefsrc !== undefined) o['prefsrc'] = r.prefsrc;
  if (r.metric !== undefined) o['metric'] = r.metric;
  o['flags'] = [...r.flags];
  if (r.metrics) {
    // ip -j prints no lock bits, and the congestion control as `congestion`.
    const { lock: _lock, ccAlgo, ...m } = r.metrics;
    o['metrics'] = [{ ...m, ...(ccAlgo !== undefined ? { congestion: ccAlgo } : {}) }];
  }
  if (r.pref !== undefined) o['pref'] = String(r.pref);
  if (r.nexthops) {
    o['nexthops'] = r.nexthops.map((h) => ({
      ...(h.gateway !== undefined ? { gateway: h.gateway } : {}),
      ...(h.devIndex !== undefined ? { dev: names.get(h.devIndex) === h.dev ? h.dev : `${h.dev} != ${names.get(h.devIndex)}` } : {}),
      weight: h.weight, flags: [...h.flags],
    }));
  }
  return o;
}

const linkNames = (): Map<number, string> => new Map(ipJson('link', 'show').map((l: any) => [l.ifindex, l.ifname]));
const errorOf = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

/** The same routes twice: as RouteSpecs and as the `ip route add` arguments that make them. */
const PAIRS: ReadonlyArray<readonly [RouteSpec, string]> = [
  [{ dst: '10.2.0.0/16', via: '10.1.0.2' }, 'route add 10.2.0.0/16 via 10.1.0.2'],
  [{ dst: 'default', via: '10.1.0.2', metric: 100, dev: 'br0' }, 'route add default via 10.1.0.2 metric 100 dev br0'],
  [{ dst: '10.3.0.0/16', table: 1000, dev: 'br0' }, 'route add 10.3.0.0/16 table 1000 dev br0'],
  [{ dst: '10.3.1.0/24', table: 4000000000, dev: 'br0', metric: 7 }, 'route add 10.3.1.0/24 metric 7 table 4000000000 dev br0'],
  [{ type: 'blackhole', dst: '10.4.0.0/16' }, 'route add blackhole 10.4.0.0/16'],
  [{ type: 'unreachable', dst: '10.4.1.0/24' }, 'route add unreachable 10.4.1.0/24'],
  [{ type: 'prohibit', dst: '10.4.2.0/24', table: 200 }, 'route add prohibit 10.4.2.0/24 table 200'],
  [{ type: 'throw', dst: '10.4.3.0/24', table: 200 }, 'route add throw 10.4.3.0/24 table 200'],
  [{ dst: '10.5.0.0/16', nexthops: [{ via: '10.1.0.2', weight: 1 }, { via: '10.1.0.3', weight: 3 }] },
    'route add 10.5.0.0/16 nexthop via 10.1.0.2 weight 1 nexthop via 10.1.0.3 weight 3'],
  [{ dst: '10.5.1.0/24', nexthops: [{ via: '10.9.9.9', dev: 'br0', onlink: true, weight: 256 }, { dev: 'br0', weight: 2 }] },
    'route add 10.5.1.0/24 nexthop via 10.9.9.9 dev br0 onlink weight 256 nexthop dev br0 weight 2'],
  [{ dst: '10.6.0.0/16', via: '10.1.0.2', src: '10.1.0.1', metric: 50, table: 100, dev: 'br0', onlink: true, mtu: 1400, lock: ['mtu'], advmss: 1360, hoplimit: 64, initcwnd: 10, congctl: 'reno' },
    'route add 10.6.0.0/16 via 10.1.0.2 src 10.1.0.1 metric 50 table 100 dev br0 onlink mtu lock 1400 advmss 1360 hoplimit 64 initcwnd 10 congctl reno'],
  [{ dst: '10.7.0.0/16', dev: 'br0', scope: 'host', protocol: 'static' }, 'route add 10.7.0.0/16 dev br0 scope host proto static'],
  [{ type: 'local', dst: '10.8.0.1', dev: 'br0' }, 'route add local 10.8.0.1 dev br0'],
  [{ dst: 'fd00:2::/64', via: 'fd00:1::2', metric: 256, pref: 'high' }, 'route add fd00:2::/64 via fd00:1::2 metric 256 pref high'],
  [{ dst: 'fd00:3::/64', nexthops: [{ via: 'fd00:1::2', weight: 2 }, { via: 'fd00:1::3' }] }, 'route add fd00:3::/64 nexthop via fd00:1::2 weight 2 nexthop via fd00:1::3'],
  [{ family: 6, type: 'unreachable', dst: 'default' }, '-6 route add unreachable default'],
  [{ type: 'blackhole', dst: 'fd00:4::/64', table: 5000 }, 'route add blackhole fd00:4::/64 table 5000'],
  [{ dst: 'fd00:5::1', dev: 'br0', protocol: 'static', mtu: 1300 }, 'route add fd00:5::1 proto static dev br0 mtu 1300'],
];

for (const backend of backends) {
  const open = (t: Test): RouteApi => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    return h.route;
  };

  t.test(`${backend}: routes made with ip decode field by field like ip -j -d route show`, async (t) => {
    const route = open(t);
    for (const [, cmd] of PAIRS) sh(cmd);
    t.teardown(() => { for (const [, cmd] of PAIRS) sh(cmd.replace(' add ', ' del ')); });
    const names = linkNames();
    const view = (rs: readonly Route[]): unknown[] => rs.map((r) => ipView(r, names));

    const all = await route.list({ table: 'all' });
    t.ok(all.length > PAIRS.length, `${all.length} routes in all tables`);
    t.same(view(all), ipRoutes('table', 'all'), 'table all: every route, every field, same order');
    // ip leaves out what it filtered on: the table (unless `all`), the protocol, the dev.
    const without = (key: string, rs: readonly Route[]): unknown[] => view(rs).map((r: any) => { delete r[key]; return r; });
    t.same(without('table', await route.list({ family: 4 })), ipRoutes(), 'default: table main (IPv4 = ip route show)');
    t.same(without('table', await route.list({ family: 6 })), ipJson('-6', '-d', 'route', 'show'), 'IPv6 main (ip -6 route show)');
    t.same(without('table', await route.list()), [...ipRoutes(), ...ipJson('-6', '-d', 'route', 'show')], 'no family: IPv4 then IPv6');
    t.same(without('table', await route.list({ table: 1000 })), ipRoutes('table', '1000'), 'table 1000 (RTA_TABLE)');
    t.same(without('table', await route.list({ table: 4000000000 })), ipRoutes('table', '4000000000'), 'table 4000000000');
    t.same(without('table', await route.list({ table: 'local', family: 4 })), ipRoutes('table', 'local'), 'table local');
    t.same(without('protocol', await route.list({ table: 'all', protocol: 'kernel' })), ipRoutes('table', 'all', 'proto', 'kernel'), 'protocol filter');
    t.same(view(await route.list({ table: 'all', type: 'blackhole' })), ipRoutes('table', 'all', 'type', 'blackhole'), 'type filter');
    // The kernel's dev filter also keeps multipath routes with a hop on the device; ip's own
    // filter (on RTA_OIF) drops them. Otherwise the same routes.
    const byDev = await route.list({ family: 4, dev: 'br0' });
    const multi = byDev.filter((r) => r.nexthops);
    t.ok(multi.length > 0 && multi.every((r) => r.nexthops!.some((h) => h.dev === 'br0' && names.get(h.devIndex!) === 'br0')), 'multipath routes with a hop on br0');
    t.same(without('table', byDev.filter((r) => !r.nexthops)).map((r: any) => { delete r.dev; return r; }), ipRoutes('dev', 'br0'), 'dev filter');
    t.same(await route.list({ table: 4242 }), [], 'a table that does not exist lists as empty');

    const streamed: Route[] = [];
    for await (const r of route.stream({ table: 'all' })) streamed.push(r);
    t.same(view(streamed), view(all), 'stream() yields what list() returns');

    const [ecmp] = await route.list({ family: 4 }).then((rs) => rs.filter((r) => r.dst === '10.5.0.0/16'));
    t.same(ecmp?.nexthops?.map((h) => [h.gateway, h.weight]), [['10.1.0.2', 1], ['10.1.0.3', 3]], 'multipath weights');
    const [full] = await route.list({ table: 100 });
    t.match(full, { dst: '10.6.0.0/16', table: 100, metric: 50, prefsrc: '10.1.0.1', metrics: { mtu: 1400, advmss: 1360, lock: 4, ccAlgo: 'reno' } });
  });

  t.test(`${backend}: routes made with RouteApi read back through ip exactly as ip's own`, async (t) => {
    const route = open(t);
    const before = ipRoutes('table', 'all');
    for (const [spec] of PAIRS) await route.add(spec);
    const ours = ipRoutes('table', 'all');
    for (const [spec] of PAIRS) await route.del(spec);
    t.same(ipRoutes('table', 'all'), before, 'route.del removed every one of them');
    for (const [, cmd] of PAIRS) sh(cmd);
    const theirs = ipRoutes('table', 'all');
    for (const [, cmd] of PAIRS) sh(cmd.replace(' add ', ' del '));
    t.equal(ours.length, before.length + PAIRS.length, `${PAIRS.length} routes added`);
    t.same(ours, theirs, 'ip -j -d route show table all: identical to the same `ip route add` commands');
    const get = (dst: string, table = 'main'): any => ours.find((r) => r['dst'] === dst && r['table'] === table);
    t.match(get('10.3.1.0/24', '4000000000'), { dev: 'br0', metric: 7 }, 'table above 255');
    t.same(get('10.5.1.0/24').nexthops, [{ gateway: '10.9.9.9', dev: 'br0', weight: 256, flags: ['onlink'] }, { dev: 'br0', weight: 2, flags: [] }], 'multipath: weight 256, onlink hop, dev-only hop');
    t.match(get('10.4.2.0/24', '200'), { type: 'prohibit' });
    t.match(get('fd00:4::/64', '5000'), { type: 'blackhole' });
    t.match(get('fd00:2::/64'), { gateway: 'fd00:1::2', pref: 'high', metric: 256 });
    t.match(get('10.6.0.0/16', '100'), { flags: ['onlink'], metrics: [{ mtu: 1400, advmss: 1360, hoplimit: 64, initcwnd: 10, congestion: 'reno' }] });
  });

  t.test(`${backend}: add fails on an existing route; replace and append do what ip route replace|append do`, async (t) => {
    const route = open(t);
    t.teardown(() => { sh('route flush 10.2.0.0/16'); sh('-6 route flush fd00:2::/64'); });
    await route.add({ dst: '10.2.0.0/16', via: '10.1.0.2' });
    const dup = await errorOf(route.add({ dst: '10.2.0.0/16', via: '10.1.0.2' }));
    t.type(dup, NetlinkError);
    t.equal((dup as NetlinkError).code, 'EEXIST');
    t.equal((dup as NetlinkError).operation, 'RTM_NEWROUTE');
    await route.add({ dst: '10.2.0.0/16', via: '10.1.0.3' }, { replace: true });
    t.same(ipJson('route', 'show', '10.2.0.0/16').map((r: any) => r.gateway), ['10.1.0.3'], 'replace: the gateway changed in place');
    await route.add({ dst: '10.2.0.0/16', via: '10.1.0.4' }, { append: true });
    t.same(ipJson('route', 'show', '10.2.0.0/16').map((r: any) => r.gateway), ['10.1.0.3', '10.1.0.4'], 'append (IPv4): a second route behind the first');
    await route.add({ dst: 'fd00:2::/64', via: 'fd00:1::2' });
    await route.add({ dst: 'fd00:2::/64', via: 'fd00:1::3' }, { append: true });
    t.same(ipJson('-6', 'route', 'show', 'fd00:2::/64')[0].nexthops.map((h: any) => h.gateway), ['fd00:1::2', 'fd00:1::3'], 'append (IPv6): a nexthop added to the route');
    const v6 = (await route.list({ family: 6 })).find((r) => r.dst === 'fd00:2::/64');
    t.same(v6?.nexthops?.map((h) => h.gateway), ['fd00:1::2', 'fd00:1::3'], 'and list() decodes it as multipath');
  });

  t.test(`${backend}: del`, async (t) => {
    const route = open(t);
    sh('route add 10.2.0.0/16 via 10.1.0.2');
    sh('route add 10.3.0.0/16 dev br0 table 1000');
    await route.del({ dst: '10.2.0.0/16' });
    t.same(ipJson('route', 'show', '10.2.0.0/16'), [], 'del by prefix alone (protocol, type, scope match any)');
    await route.del({ dst: '10.3.0.0/16', table: 1000 });
    t.same(ipJson('route', 'show', 'table', '1000'), [], 'del in table 1000');
    const gone = await errorOf(route.del({ dst: '10.2.0.0/16' }));
    t.type(gone, NetlinkError);
    t.equal((gone as NetlinkError).code, 'ESRCH', 'deleting a missing route: ESRCH, as ip reports it');
  });

  t.test(`${backend}: get() agrees with ip -j route get`, async (t) => {
    const route = open(t);
    sh('route add 10.2.0.0/16 via 10.1.0.2');
    sh('route add fd00:2::/64 via fd00:1::2');
    t.teardown(() => { sh('route del 10.2.0.0/16'); sh('route del fd00:2::/64'); });
    const br0 = linkNames();
    const pick = (o: any): unknown => ({ dst: o.dst, gateway: o.gateway, dev: o.dev, prefsrc: o.prefsrc });
    const asIp = (r: Route): unknown => ({ dst: r.dst.split('/')[0], gateway: r.gateway, dev: br0.get(r.devIndex!), prefsrc: r.prefsrc });
    t.same(asIp(await route.get('10.2.3.4')), pick(ipJson('route', 'get', '10.2.3.4')[0]), '10.2.3.4');
    t.same(asIp(await route.get('10.1.0.9')), pick(ipJson('route', 'get', '10.1.0.9')[0]), 'a connected address');
    t.same(asIp(await route.get('fd00:2::5')), pick(ipJson('route', 'get', 'fd00:2::5')[0]), 'IPv6');
    const withOpts = await route.get('10.2.3.4', { from: '10.1.0.1', oif: 'br0', mark: 7 });
    const o = ipJson('route', 'get', '10.2.3.4', 'from', '10.1.0.1', 'oif', 'br0', 'mark', '7')[0];
    t.same([withOpts.gateway, br0.get(withOpts.devIndex!), withOpts.attrs.mark, withOpts.attrs.src], [o.gateway, o.dev, o.mark, o.from], 'from, oif, mark');
    const fib = await route.get('10.2.3.4', { fibmatch: true });
    t.match(fib, { dst: ipJson('route', 'get', 'fibmatch', '10.2.3.4')[0].dst, gateway: '10.1.0.2' }, 'fibmatch: the matching FIB entry (10.2.0.0/16)');
    const unreach = await errorOf(route.get('10.99.0.1'));
    t.equal((unreach as NetlinkError).code, 'ENETUNREACH', 'no route: ENETUNREACH, as ip route get says');
  });

  t.test(`${backend}: addMany of 2,000 routes with one bad entry in the middle`, async (t) => {
    const route = open(t);
    const specs: RouteSpec[] = Array.from({ length: 2000 }, (_, i) => ({ dst: `10.${100 + (i >> 8)}.${i & 255}.0/24`, dev: 'br0', table: 300 }));
    specs[1000] = { dst: '10.100.10.0/24', dev: 'br0', table: 300 }; // a duplicate of #10: EEXIST
    t.teardown(() => { sh('route flush table 300'); });
    const err = await errorOf(route.addMany(specs, { stopOnError: false }));
    t.type(err, BulkError);
    const be = err as BulkError;
    t.same(be.failures.map((f) => [f.index, f.code]), [[1000, 'EEXIST']], 'exactly one failure, and it is entry 1000');
    t.equal(be.attempted, 2000);
    t.equal(ipJson('route', 'show', 'table', '300').length, 1999, 'the other 1,999 are in table 300');
    // By ifindex (no name to resolve: specs are checked and written in one pass).
    const index = (ipJson('link', 'show', 'br0')[0] as { ifindex: number }).ifindex;
    const good = specs.filter((_, i) => i !== 1000).map((s) => ({ ...s, dev: index }));
    t.same(await route.delMany(good), { attempted: 1999, failures: [] }, 'delMany removes them');
    t.equal(ipJson('route', 'show', 'table', '300').length, 0);
    const stopped = await errorOf(route.addMany(specs.map((s) => ({ ...s, dev: index })))) as BulkError;
    t.equal(stopped.failures[0]?.index, 1000, 'stopOnError (default): same failure index');
    t.equal(stopped.attempted, 1024, 'no chunk sent after the failing one (256 per sendmsg)');
    t.equal(ipJson('route', 'show', 'table', '300').length, 1023, 'the 1,024 of the chunks sent are in, but the duplicate');
    const bad = await errorOf(route.addMany([...good.slice(0, 10), { dst: '10.250.0.1/8', dev: index, table: 300 }]));
    t.match(bad, { name: 'RangeError', message: /^routes\[10\]\.dst: Invalid prefix/ }, 'a bad spec after good ones: named by index');
    t.equal(ipJson('route', 'show', 'table', '300').length, 1023, 'and nothing of that call was sent');
  });

  t.test(`${backend}: typed errors`, async (t) => {
    const route = open(t);
    const noDev = await errorOf(route.add({ dst: '10.2.0.0/16', dev: 'nope0' }));
    t.type(noDev, NetlinkError);
    t.equal((noDev as NetlinkError).code, 'ENODEV');
    t.match((noDev as Error).message, /device "nope0"/, 'names the missing device');
    const badGw = await errorOf(route.add({ dst: '10.2.0.0/16', via: '10.99.0.1' }));
    t.type(badGw, NetlinkError);
    t.equal((badGw as NetlinkError).code, 'ENETUNREACH');
    t.equal((badGw as NetlinkError).extAck.message, 'Nexthop has invalid gateway', "the kernel's ext-ACK text");
    t.type(await errorOf(route.add({ dst: '10.2.0.1/16' })), RangeError, 'host bits: refused before any syscall');
    t.type(await errorOf(route.add({ dst: '10.2.0.0/16', nexthops: [{ via: '10.1.0.2', weight: 300 }] })), RangeError, 'weight 300');
    t.equal(netnsInode(), home, 'still in the test netns');
  });
}
