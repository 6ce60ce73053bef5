// Live: monitor() against changes made by iproute2, in a private netns, under both FFI backends.
// What it proves: the exact notifications for links, addresses, routes, neighbours, rules and
// namespace ids, in order; the event loop keeps running while a monitor waits; close() releases
// the socket and the pool thread at once; a receive-buffer overflow yields lost → resync → resynced.
import { promises as fsp } from 'node:fs';
import { lookup } from 'node:dns/promises';
import t, { type Test } from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { Poller } from '../../src/netlink/poller.js';
import { RouteHandle } from '../../src/route/handle.js';
import { type Monitor, type MonitorOptions, monitor } from '../../src/route/monitor/monitor.js';
import type { MonitorEvent, MonitorKind } from '../../src/route/monitor/monitor-event.js';
import { backends, enterFreshNetns, ip, openFds } from '../helpers/live.js';

enterFreshNetns();

const sleep = (ms: number): Promise<'timeout'> => new Promise((r) => setTimeout(() => r('timeout'), ms));

/** `kind action name-or-key` of an object event, `lost` / `resynced` otherwise. */
function label(ev: MonitorEvent): string {
  switch (ev.kind) {
    case 'link': return `link ${ev.action} ${ev.link.name}`;
    case 'addr': return `addr ${ev.action} ${ev.addr.address}/${ev.addr.prefixlen}`;
    case 'route': return `route ${ev.action} ${ev.route.type} ${ev.route.dst} table ${ev.route.table}`;
    case 'neigh': return `neigh ${ev.action} ${ev.neigh.dst} ${ev.neigh.state.join(',')}`;
    case 'rule': return `rule ${ev.action} ${ev.rule.priority} from ${ev.rule.from} table ${ev.rule.table}`;
    case 'nsid': return `nsid ${ev.action} ${ev.nsid.nsid}`;
    default: return ev.kind;
  }
}

/** Take `n` events (failing after 30 s), then check that no further one arrives within 150 ms. */
async function take(t: Test, m: Monitor, n: number): Promise<MonitorEvent[]> {
  const out: MonitorEvent[] = [];
  const guard = setTimeout(() => m.close(), 30_000);
  try {
    while (out.length < n) {
      const r = await m.next();
      if (r.done) break;
      out.push(r.value);
    }
  } finally {
    clearTimeout(guard);
  }
  t.equal(out.length, n, `${n} events arrived`);
  const extra = await Promise.race([m.next(), sleep(150)]);
  t.equal(extra, 'timeout', 'and nothing after them');
  return out;
}

for (const backend of backends) {
  const lib = loadBackend(backend);
  const b = backend[0]!;
  const open = (t: Test, opts: MonitorOptions): Monitor => {
    const m = monitor({ libc: lib, ...opts });
    t.teardown(() => m.return());
    return m;
  };
  const kinds = (k: MonitorKind[]): MonitorOptions => ({ kinds: k });

  t.test(`${backend}: link events for ip link add/set/del, in order`, async (t) => {
    const m = open(t, kinds(['link']));
    const dev = `mb${b}0`;
    ip('link', 'add', dev, 'type', 'bridge');
    ip('link', 'set', dev, 'mtu', '1400');
    ip('link', 'del', dev);
    const evs = await take(t, m, 3);
    t.same(evs.map(label), [`link new ${dev}`, `link new ${dev}`, `link del ${dev}`]);
    const [added, changed] = evs as [MonitorEvent & { kind: 'link' }, MonitorEvent & { kind: 'link' }];
    t.equal(added.link.kind, 'bridge', 'the Link is decoded (kind)');
    t.equal(changed.link.mtu, 1400, 'the change carries the new mtu');
    t.ok(evs.every((e) => e.time instanceof Date && Math.abs(Date.now() - e.time.getTime()) < 10_000), 'each event has its time');
  });

  t.test(`${backend}: address, route, neighbour, rule and nsid events`, async (t) => {
    const dev = `mb${b}1`;
    ip('link', 'add', dev, 'type', 'bridge');
    t.teardown(() => { ip('link', 'del', dev); });

    const ma = open(t, kinds(['addr']));
    ip('addr', 'add', '10.7.0.1/24', 'dev', dev);
    ip('addr', 'add', 'fd00:7::1/64', 'dev', dev, 'nodad');
    ip('addr', 'del', '10.7.0.1/24', 'dev', dev);
    ip('addr', 'del', 'fd00:7::1/64', 'dev', dev);
    t.same((await take(t, ma, 4)).map(label), ['addr new 10.7.0.1/24', 'addr new fd00:7::1/64', 'addr del 10.7.0.1/24', 'addr del fd00:7::1/64'], 'addr');

    const mr = open(t, kinds(['route']));
    ip('route', 'add', 'blackhole', '10.5.0.0/24', 'table', '100');
    ip('route', 'add', 'blackhole', 'fd00:5::/64', 'table', '100');
    ip('route', 'del', 'blackhole', '10.5.0.0/24', 'table', '100');
    ip('route', 'del', 'blackhole', 'fd00:5::/64', 'table', '100');
    t.same((await take(t, mr, 4)).map(label), [
      'route new blackhole 10.5.0.0/24 table 100', 'route new blackhole fd00:5::/64 table 100',
      'route del blackhole 10.5.0.0/24 table 100', 'route del blackhole fd00:5::/64 table 100',
    ], 'route');

    const mn = open(t, kinds(['neigh']));
    ip('neigh', 'add', '10.1.0.5', 'lladdr', '02:00:00:00:00:05', 'dev', dev, 'nud', 'permanent');
    ip('neigh', 'del', '10.1.0.5', 'dev', dev);
    // The kernel marks a deleted entry FAILED (a RTM_NEWNEIGH) before it goes (neigh_update, then neigh_remove_one).
    const ne = await take(t, mn, 3);
    t.same(ne.map(label), ['neigh new 10.1.0.5 permanent', 'neigh new 10.1.0.5 failed', 'neigh del 10.1.0.5 failed'], 'neigh');
    t.equal((ne[0] as MonitorEvent & { kind: 'neigh' }).neigh.lladdr, '02:00:00:00:00:05', 'lladdr decoded');

    const mu = open(t, kinds(['rule']));
    ip('rule', 'add', 'pref', '100', 'from', '10.0.0.0/8', 'lookup', '100');
    ip('-6', 'rule', 'add', 'pref', '101', 'from', 'fd00::/8', 'lookup', '100');
    ip('rule', 'del', 'pref', '100');
    ip('-6', 'rule', 'del', 'pref', '101');
    t.same((await take(t, mu, 4)).map(label), [
      'rule new 100 from 10.0.0.0/8 table 100', 'rule new 101 from fd00::/8 table 100',
      'rule del 100 from 10.0.0.0/8 table 100', 'rule del 101 from fd00::/8 table 100',
    ], 'rule');

    const ms = open(t, kinds(['nsid']));
    const ns = `mn${b}`;
    ip('netns', 'add', ns);
    ip('netns', 'set', ns, '5');
    ip('netns', 'del', ns);
    t.same((await take(t, ms, 2)).map(label), ['nsid new 5', 'nsid del 5'], 'nsid');
  });

  t.test(`${backend}: family and kinds filter; every kind at once`, async (t) => {
    const m4 = open(t, { kinds: ['route'], family: 4 });
    const mall = open(t, {});
    ip('route', 'add', 'blackhole', 'fd00:6::/64', 'table', '101');
    ip('route', 'add', 'blackhole', '10.6.0.0/24', 'table', '101');
    ip('route', 'flush', 'table', '101');
    ip('-6', 'route', 'flush', 'table', '101');
    t.same((await take(t, m4, 2)).map(label), ['route new blackhole 10.6.0.0/24 table 101', 'route del blackhole 10.6.0.0/24 table 101'], 'family 4 sees IPv4 only');
    const all = (await take(t, mall, 4)).map(label).sort();
    t.same(all, [
      'route del blackhole 10.6.0.0/24 table 101', 'route del blackhole fd00:6::/64 table 101',
      'route new blackhole 10.6.0.0/24 table 101', 'route new blackhole fd00:6::/64 table 101',
    ], 'the default watches both families');
    t.throws(() => monitor({ libc: lib, kinds: ['links' as MonitorKind] }), RangeError, 'unknown kind → RangeError');
    t.throws(() => monitor({ libc: lib, kinds: [] }), RangeError, 'no kind → RangeError');
    t.throws(() => monitor({ libc: lib, family: 5 as 4 }), RangeError, 'bad family → RangeError');
  });

  t.test(`${backend}: a monitor of a named namespace sees its events only`, async (t) => {
    const ns = `mw${b}`;
    ip('netns', 'add', ns);
    t.teardown(() => { ip('netns', 'del', ns); });
    const m = open(t, { kinds: ['link'], netns: ns });
    ip('link', 'add', `here${b}`, 'type', 'bridge');
    ip('link', 'del', `here${b}`);
    ip('-n', ns, 'link', 'add', `there${b}`, 'type', 'bridge');
    t.same((await take(t, m, 1)).map(label), [`link new there${b}`]);
  });

  t.test(`${backend}: the event loop runs while a monitor waits`, async (t) => {
    const m = open(t, kinds(['link']));
    let ticks = 0;
    const iv = setInterval(() => { ticks++; }, 10);
    const pending = m.next();
    // Event-based, not timed (the machine may be busy): a blocked event loop would never get
    // here, as no event is coming; the 30 s guard only turns a hang into a failure.
    const timer = await Promise.race([pending, sleep(300)]);
    t.equal(timer, 'timeout', 'a 300 ms timer fires while next() waits');
    const ticked = await Promise.race([pending.then(() => 'event' as const), (async () => { while (ticks < 10) await sleep(10); return 'ticked' as const; })(), sleep(30_000)]);
    clearInterval(iv);
    t.equal(ticked, 'ticked', `a 10 ms interval kept ticking meanwhile (${ticks} ticks)`);
    // File I/O and DNS (pool threads) go on too.
    const io0 = Date.now();
    const ioDone = await Promise.race([Promise.all([fsp.readFile('/proc/self/status'), fsp.stat('/'), lookup('localhost')]).then(() => 'done'), sleep(30_000)]);
    t.equal(ioDone, 'done', `fs and dns.lookup complete while it waits (${Date.now() - io0} ms)`);
    ip('link', 'add', `ml${b}`, 'type', 'bridge');
    t.teardown(() => { ip('link', 'del', `ml${b}`); });
    const r = await Promise.race([pending, sleep(30_000)]);
    t.not(r, 'timeout', 'the waiting next() resolves with the event');
    t.equal(r !== 'timeout' && !r.done ? label(r.value) : undefined, `link new ml${b}`);
  });

  t.test(`${backend}: close releases the socket and the pool thread at once`, async (t) => {
    const poller = Poller.for(lib);
    const base = openFds();
    const m = monitor({ libc: lib, kinds: ['link'] });
    t.equal(openFds(), base + 1, 'one netlink socket while open');
    const pending = m.next();
    await sleep(50); // the poll now runs on a pool thread
    t.ok(poller.active, 'a poll runs on a pool thread while next() waits');
    t.equal(openFds(), base + 2, 'plus the shared poller\'s eventfd');
    const t0 = process.hrtime.bigint();
    m.close();
    const r = await pending;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    t.same(r, { value: undefined, done: true }, 'the waiting next() resolves done');
    // Margin for a busy machine; a close that only noticed at the next poll timeout would hang.
    t.ok(ms < 10_000, `promptly (${ms.toFixed(2)} ms)`);
    await m.return();
    t.notOk(poller.active, 'no poll left on the pool');
    t.equal(openFds(), base, 'socket and eventfd closed');
    t.same(await m.next(), { value: undefined, done: true }, 'stays done');

    // Eight waiting monitors, twice the pool (UV_THREADPOOL_SIZE 4): one poll per monitor would
    // starve fs and dns; sharing one pool thread leaves them free.
    const ms8 = Array.from({ length: 8 }, () => monitor({ libc: lib, kinds: ['link'] }));
    const waits = ms8.map((x) => x.next());
    await sleep(50);
    const io = (): Promise<string> => Promise.race([
      Promise.all([fsp.readFile('/proc/self/status'), fsp.readFile('/proc/self/stat'), fsp.stat('/'), fsp.readdir('/proc/self/fd'), lookup('localhost')]).then(() => 'done'),
      sleep(30_000),
    ]);
    const w0 = Date.now();
    t.equal(await io(), 'done', `4 fs ops and a dns.lookup complete while 8 monitors wait (${Date.now() - w0} ms)`);
    ip('link', 'add', `mc${b}`, 'type', 'bridge');
    const got = await Promise.race([Promise.all(waits), sleep(30_000)]);
    t.ok(got !== 'timeout' && got.every((x) => !x.done && label(x.value) === `link new mc${b}`), 'each of the 8 gets the event');
    ms8[3]!.close();
    ms8[5]!.close();
    const more = ms8.filter((_, i) => i !== 3 && i !== 5).map((x) => x.next());
    ip('link', 'del', `mc${b}`);
    const got2 = await Promise.race([Promise.all(more), sleep(30_000)]);
    t.ok(got2 !== 'timeout' && got2.every((x) => !x.done && label(x.value) === `link del mc${b}`), 'closing two leaves the other 6 waiting and served');
    const waits2 = ms8.map((x) => x.next());
    await sleep(20);
    const c0 = Date.now();
    await Promise.all(ms8.map((x) => x.return()));
    t.ok((await Promise.all(waits2)).every((x) => x.done), 'closing ends every pending next()');
    t.ok(Date.now() - c0 < 10_000, `closing 8 waiting monitors took ${Date.now() - c0} ms`);
    t.notOk(poller.active, 'and leaves no poll on the pool');
    t.equal(await io(), 'done', 'fs and dns still complete afterwards');
    t.equal(openFds(), base, 'no fd left behind');

    // for await … break closes it too.
    const m2 = monitor({ libc: lib, kinds: ['link'] });
    setTimeout(() => { ip('link', 'add', `md${b}`, 'type', 'bridge'); }, 20);
    for await (const ev of m2) {
      t.equal(label(ev), `link new md${b}`);
      break;
    }
    ip('link', 'del', `md${b}`);
    t.ok(m2.closed, 'break closed the monitor');
    t.equal(openFds(), base, 'and its fd');
  });

  t.test(`${backend}: a receive-buffer overflow yields lost, a resync of the tables, resynced`, async (t) => {
    const m = open(t, { kinds: ['route'], rcvbuf: 4096 });
    const h = RouteHandle.open({ libc: lib });
    t.teardown(() => h.close());
    const N = 3000;
    // The adds run on this thread, so the monitor cannot read meanwhile: the kernel queues until the buffer is full.
    await h.route.addMany(Array.from({ length: N }, (_, i) => ({ dst: `10.${100 + (i >> 8)}.${i & 255}.0/24`, type: 'blackhole' as const, table: 200 })));
    t.teardown(() => { ip('route', 'flush', 'table', '200'); });
    const seen: MonitorEvent[] = [];
    const guard = setTimeout(() => m.close(), 60_000);
    let before = 0;
    // next() by hand: `for await … break` would close the monitor.
    for (;;) {
      const r = await m.next();
      if (r.done) break;
      if (r.value.kind === 'lost') before = seen.length;
      seen.push(r.value);
      if (r.value.kind === 'resynced') break;
    }
    clearTimeout(guard);
    const lost = seen.findIndex((e) => e.kind === 'lost');
    t.ok(lost >= 0, `a lost event (after ${before} notifications that fit)`);
    t.ok(before < N, 'not every notification fitted in the small buffer');
    const snap = seen.slice(lost + 1, -1);
    t.ok(snap.every((e) => e.kind === 'route' && e.action === 'resync'), 'then only resync route events');
    const t200 = snap.filter((e) => e.kind === 'route' && e.route.table === 200);
    t.equal(t200.length, N, `the resync holds all ${N} routes of table 200`);
    t.same(seen.at(-1)?.kind === 'resynced' ? seen.at(-1) : undefined, { kind: 'resynced', time: seen.at(-1)?.time, kinds: ['route'] }, 'and ends with resynced');
    // Queued notifications follow; the monitor keeps working: a new route is reported.
    ip('route', 'add', 'blackhole', '10.99.0.0/24', 'table', '201');
    t.teardown(() => { ip('route', 'flush', 'table', '201'); });
    const guard2 = setTimeout(() => m.close(), 30_000);
    let found = false;
    for (;;) {
      const r = await m.next();
      if (r.done) break;
      if (label(r.value) === 'route new blackhole 10.99.0.0/24 table 201') { found = true; break; }
    }
    clearTimeout(guard2);
    t.ok(found, 'events after the resync still arrive');
  });
}
