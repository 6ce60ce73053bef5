// Bad-input table (issue 17 items 6 and 11): hundreds of wrong calls across the APIs — link,
// addr, route, neigh, rule, fdb, nsid, nft batches, handles/sockets, netns, sysctl, CLI — each
// failing with its exact error class and a message naming the field or object, and each before
// any syscall: route/nft calls go to a recording transport that must have sent nothing, and
// handle/socket options to a libc whose every function fails the test if called. (The live
// counterpart, test/live/bad-input.test.ts, compares the namespace's full state before/after.)
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Libc } from '../../src/ffi/libc.js';
import { ReplayTransport } from '../../src/netlink/replay.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import { NftHandle } from '../../src/nft/handle.js';
import { RouteHandle } from '../../src/route/handle.js';
import { rtnetlink } from '../../src/route/protocol.js';
import { monitor } from '../../src/route/monitor/monitor.js';
import { addNetns, attachNetns, deleteNetns } from '../../src/netns/registry.js';
import { getSysctl, setSysctl } from '../../src/sysctl/sysctl.js';
import { cliIn } from '../helpers/cli.js';

/** A libc that records every call and answers none: proof that nothing reached a syscall. */
function recordingLibc(): { lib: Libc; calls: string[] } {
  const calls: string[] = [];
  const lib = new Proxy({} as Libc, {
    get(_t, prop) {
      if (prop === 'backend') return 'recording';
      if (prop === 'then') return undefined;
      return (...args: unknown[]) => { calls.push(String(prop)); throw new Error(`recording libc: ${String(prop)}(${args.length} args) was called`); };
    },
  });
  return { lib, calls };
}

type Cls = new (...a: any[]) => Error;
interface Row { readonly label: string; readonly call: () => unknown; readonly cls: Cls; readonly field: string | RegExp }
const rows: Row[] = [];
const row = (label: string, call: () => unknown, cls: Cls, field: string | RegExp): void => { rows.push({ label, call, cls, field }); };

const tr = new ReplayTransport([]);
const h = RouteHandle.open({ transport: tr });
const nftTr = new ReplayTransport([]);
const nh = NftHandle.open({ transport: nftTr } as never);
const rec = recordingLibc();
/** A directory that does not exist (under a fresh temp dir): nothing may be created in it. */
const NODIR = join(mkdtempSync(join(tmpdir(), 'nlts-bad-')), 'netns');

const BAD_OBJECTS: readonly [string, unknown][] = [['null', null], ['a number', 5], ['a string', 'x'], ['an array', []], ['undefined', undefined]];

// ---- link ----------------------------------------------------------------------------------
for (const [d, v] of BAD_OBJECTS) row(`link.add(${d})`, () => h.link.add(v as never), TypeError, /^link\.add/);
for (const [d, v] of BAD_OBJECTS) if (v !== undefined) row(`link.set(1, ${d})`, () => h.link.set(1, v as never), TypeError, /^link\.set/);
for (const v of ['yes', 1, 0, 'true', null]) {
  row(`link.set up ${JSON.stringify(v)}`, () => h.link.set(1, { up: v as never }), TypeError, 'up');
  row(`link.add up ${JSON.stringify(v)}`, () => h.link.add({ name: 'x', kind: 'bridge', up: v as never }), TypeError, 'link.add.up');
}
for (const mac of ['02:00:00:00:01', '02:00:00:00:00:00:01', '02', '02:00:00:00:00:01:02:03:04']) {
  row(`link.add address ${mac}`, () => h.link.add({ name: 'x', kind: 'bridge', address: mac }), RangeError, 'link.add.address');
  row(`link.set address ${mac}`, () => h.link.set(1, { address: mac }), RangeError, 'address');
  row(`link.add veth peer address ${mac}`, () => h.link.add({ name: 'x', kind: 'veth', peer: { name: 'y', address: mac } } as never), RangeError, 'link.add.peer.address');
}
for (const mac of ['zz:00:00:00:00:01', '2:0:0:0:0:1', '02-00-00-00-00-01', '', 5, null]) {
  row(`link.add address ${JSON.stringify(mac)}`, () => h.link.add({ name: 'x', kind: 'bridge', address: mac as never }), TypeError, 'link.add.address');
  row(`link.set broadcast ${JSON.stringify(mac)}`, () => h.link.set(1, { broadcast: mac as never }), TypeError, 'broadcast');
}
for (const name of ['', 'a/b', 'a b', 'x'.repeat(16), 'a:b', 5, null, '.', '..']) {
  row(`link.add name ${JSON.stringify(name)}`, () => h.link.add({ name: name as never, kind: 'bridge' }), typeof name !== 'string' ? TypeError : RangeError, 'link.add.name');
}
for (const mtu of [-1, 0, 1.5, 2 ** 32, NaN, '1500']) {
  row(`link.add mtu ${String(mtu)}`, () => h.link.add({ name: 'x', kind: 'bridge', mtu: mtu as never }), RangeError, 'link.add.mtu');
  row(`link.set mtu ${String(mtu)}`, () => h.link.set(1, { mtu: mtu as never }), RangeError, 'mtu');
}
for (const k of ['', 5, null]) row(`link.add kind ${JSON.stringify(k)}`, () => h.link.add({ name: 'x', kind: k as never }), TypeError, 'link.add.kind');
for (const a of ['x'.repeat(300), 5]) row(`link.add alias ${String(a).slice(0, 8)}`, () => h.link.add({ name: 'x', kind: 'bridge', alias: a as never }), RangeError, 'link.add.alias');
for (const dev of [-1, 0, 1.5, 2 ** 31]) row(`link.del ${dev}`, () => h.link.del(dev), RangeError, 'link.del');
row('link.addMany(null)', () => h.link.addMany(null as never), TypeError, 'link.addMany');
row('link.addMany([ok, null])', () => h.link.addMany([{ name: 'a', kind: 'bridge' }, null as never]), TypeError, 'link.add[1]');
row('link.setMany(null)', () => h.link.setMany(null as never), TypeError, 'link.setMany');

// ---- addr ----------------------------------------------------------------------------------
for (const [d, v] of BAD_OBJECTS) row(`addr.add(${d})`, () => h.addr.add(v as never), TypeError, /addr/);
for (const a of ['x', '10.0.0.1/33', '::1/129', '10.0.0.256/24', '', 5, null, '10.0.0.1/-1', '10.0.0.1/ 24']) {
  row(`addr.add address ${JSON.stringify(a)}`, () => h.addr.add({ dev: 1, address: a as never }), typeof a === 'string' ? RangeError : TypeError, 'address');
}
for (const dev of ['', 'a/b', 'x'.repeat(16), -1, 1.5, null]) row(`addr.add dev ${JSON.stringify(dev)}`, () => h.addr.add({ dev: dev as never, address: '10.0.0.1/24' }), dev === null ? TypeError : RangeError, 'dev');
for (const p of ['x', '10.0.0.1/33', 5]) row(`addr.add peer ${JSON.stringify(p)}`, () => h.addr.add({ dev: 1, address: '10.0.0.1/24', peer: p as never }), typeof p === 'string' ? RangeError : TypeError, 'peer');

// ---- route ---------------------------------------------------------------------------------
for (const [d, v] of BAD_OBJECTS) row(`route.add(${d})`, () => h.route.add(v as never), TypeError, /route/);
for (const dst of ['x', '10.0.0.0/33', '::/129', '10.0.0.0/-1', '', 5, null, '10.0.0.0/8/9']) {
  row(`route.add dst ${JSON.stringify(dst)}`, () => h.route.add({ dst: dst as never, dev: 1 }), typeof dst === 'string' ? RangeError : TypeError, 'dst');
}
for (const via of ['x', '10.0.0.1/24', 5, '']) row(`route.add via ${JSON.stringify(via)}`, () => h.route.add({ dst: '10.0.0.0/8', via: via as never }), typeof via === 'string' ? RangeError : TypeError, 'via');
for (const table of [-1, 2 ** 32, 1.5, 'nosuch', null]) row(`route.add table ${JSON.stringify(table)}`, () => h.route.add({ dst: '10.0.0.0/8', dev: 1, table: table as never }), RangeError, 'table');
for (const metric of [-1, 2 ** 32, 1.5, '5']) row(`route.add metric ${JSON.stringify(metric)}`, () => h.route.add({ dst: '10.0.0.0/8', dev: 1, metric: metric as never }), RangeError, 'metric');
for (const type of ['nope', -1, 256, null]) row(`route.add type ${JSON.stringify(type)}`, () => h.route.add({ dst: '10.0.0.0/8', dev: 1, type: type as never }), RangeError, 'type');
for (const dev of ['', 'a/b', 'x'.repeat(16), -1]) row(`route.add dev ${JSON.stringify(dev)}`, () => h.route.add({ dst: '10.0.0.0/8', dev: dev as never }), RangeError, 'dev');
for (const src of ['x', 5]) row(`route.add src ${JSON.stringify(src)}`, () => h.route.add({ dst: '10.0.0.0/8', dev: 1, src: src as never }), typeof src === 'string' ? RangeError : TypeError, 'src');
row('route.add family 5', () => h.route.add({ dst: '10.0.0.0/8', dev: 1, family: 5 as never }), RangeError, 'family');
row('route.add family 6 with an IPv4 dst', () => h.route.add({ dst: '10.0.0.0/8', dev: 1, family: 6 }), RangeError, 'family');
row('route.addMany(null)', () => h.route.addMany(null as never), TypeError, /route/);
for (const d of ['x', '', 5]) row(`route.get ${JSON.stringify(d)}`, () => h.route.get(d as never), typeof d === 'string' ? RangeError : TypeError, /route\.get|dst/);
for (const f of [{ table: -1 }, { table: 'nosuch' }, { family: 5 }]) row(`route.list ${JSON.stringify(f)}`, () => h.route.list(f as never), RangeError, Object.keys(f)[0]!);

// ---- neigh ---------------------------------------------------------------------------------
for (const [d, v] of BAD_OBJECTS) row(`neigh.add(${d})`, () => h.neigh.add(v as never), TypeError, /neigh/);
for (const dst of ['x', '10.0.0.0/24', '', 5]) row(`neigh.add dst ${JSON.stringify(dst)}`, () => h.neigh.add({ dst: dst as never, dev: 1 }), typeof dst === 'string' ? RangeError : TypeError, 'dst');
for (const ll of ['02:00:00:00:01', 'zz', 5]) row(`neigh.add lladdr ${JSON.stringify(ll)}`, () => h.neigh.add({ dst: '10.0.0.1', dev: 1, lladdr: ll as never }), typeof ll === 'string' ? RangeError : TypeError, 'lladdr');
for (const st of ['nope', -1, 2 ** 16, null]) row(`neigh.add state ${JSON.stringify(st)}`, () => h.neigh.add({ dst: '10.0.0.1', dev: 1, state: st as never }), RangeError, 'state');
for (const b of ['yes', 1]) row(`neigh.add router ${JSON.stringify(b)}`, () => h.neigh.add({ dst: '10.0.0.1', dev: 1, router: b as never }), TypeError, 'router');
for (const dev of ['', 'a/b', -1]) row(`neigh.add dev ${JSON.stringify(dev)}`, () => h.neigh.add({ dst: '10.0.0.1', dev: dev as never }), RangeError, 'dev');

// ---- rule ----------------------------------------------------------------------------------
for (const [d, v] of BAD_OBJECTS) row(`rule.add(${d})`, () => h.rule.add(v as never), TypeError, /rule/);
for (const p of [-1, 2 ** 32, 1.5, '5']) row(`rule.add priority ${JSON.stringify(p)}`, () => h.rule.add({ priority: p as never, table: 100 }), RangeError, 'priority');
for (const f of ['x', '10.0.0.0/33', 5]) row(`rule.add from ${JSON.stringify(f)}`, () => h.rule.add({ from: f as never, table: 100 }), typeof f === 'string' ? RangeError : TypeError, 'from');
for (const f of ['x', '::/200']) row(`rule.add to ${JSON.stringify(f)}`, () => h.rule.add({ to: f as never, table: 100 }), RangeError, 'to');
for (const m of [-1, 2 ** 32, 1.5]) row(`rule.add fwmark ${m}`, () => h.rule.add({ fwmark: m, table: 100 }), RangeError, 'fwmark');
for (const u of [[5, 1], [-1, 5], [1], 'x']) row(`rule.add uidrange ${JSON.stringify(u)}`, () => h.rule.add({ uidrange: u as never, table: 100 }), Array.isArray(u) && u.length === 2 ? RangeError : TypeError, 'uidrange');
for (const tos of [-1, 256]) row(`rule.add tos ${tos}`, () => h.rule.add({ tos, table: 100 }), RangeError, 'tos');
for (const table of [-1, 'nosuch', 2 ** 32]) row(`rule.add table ${JSON.stringify(table)}`, () => h.rule.add({ table: table as never }), RangeError, 'table');
row('rule.add family 5', () => h.rule.add({ family: 5 as never, table: 100 }), RangeError, 'family');

// ---- fdb -----------------------------------------------------------------------------------
for (const [d, v] of BAD_OBJECTS) row(`fdb.add(${d})`, () => h.fdb.add(v as never), Array.isArray(v) ? RangeError : TypeError, /fdb/);
for (const mac of ['02:00:00:00:01', 'zz', 5, '']) row(`fdb.add mac ${JSON.stringify(mac)}`, () => h.fdb.add({ mac: mac as never, dev: 1 }), RangeError, 'mac');
for (const st of ['nope', 5]) row(`fdb.add state ${JSON.stringify(st)}`, () => h.fdb.add({ mac: '02:00:00:00:00:01', dev: 1, state: st as never }), RangeError, 'state');
for (const dst of ['x', 5]) row(`fdb.add dst ${JSON.stringify(dst)}`, () => h.fdb.add({ mac: '02:00:00:00:00:01', dev: 1, dst: dst as never }), RangeError, 'dst');
for (const dev of ['', 'a/b', -1]) row(`fdb.add dev ${JSON.stringify(dev)}`, () => h.fdb.add({ mac: '02:00:00:00:00:01', dev: dev as never }), RangeError, 'dev');

// ---- nsid ----------------------------------------------------------------------------------
for (const n of [-2, 2 ** 31, 1.5, 'x']) row(`nsid.set ${JSON.stringify(n)}`, () => h.nsid.set(1 as never, n as never), typeof n === 'number' ? RangeError : RangeError, /nsid/);

// ---- nft batch -----------------------------------------------------------------------------
const b = () => nh.batch();
for (const m of ['addTable', 'deleteTable', 'flushTable', 'addChain', 'deleteChain', 'flushChain', 'addRule', 'deleteRule', 'addSet', 'deleteSet', 'addElements', 'deleteElements', 'raw'] as const) {
  for (const [d, v] of BAD_OBJECTS) row(`batch.${m}(${d})`, () => (b() as any)[m](v), TypeError, `batch.${m}`);
}
for (const fam of ['ipv4', 5, null, 'IP']) {
  row(`batch.addTable family ${JSON.stringify(fam)}`, () => b().addTable({ family: fam as never, name: 't' }), RangeError, 'family');
  row(`batch.addChain family ${JSON.stringify(fam)}`, () => b().addChain({ family: fam as never, table: 't', name: 'c' }), RangeError, 'family');
}
for (const name of ['', 'x'.repeat(300), 5, null]) {
  row(`batch.addTable name ${JSON.stringify(name).slice(0, 12)}`, () => b().addTable({ family: 'ip', name: name as never }), typeof name === 'string' && name !== '' ? RangeError : TypeError, 'name');
  row(`batch.addChain name ${JSON.stringify(name).slice(0, 12)}`, () => b().addChain({ family: 'ip', table: 't', name: name as never }), typeof name === 'string' && name !== '' ? RangeError : TypeError, 'name');
}
for (const hook of ['nope', 5]) row(`batch.addChain hook ${JSON.stringify(hook)}`, () => b().addChain({ family: 'ip', table: 't', name: 'c', type: 'filter', hook: hook as never, priority: 0 } as never), RangeError, 'hook');
for (const g of [-1, 1.5, 2 ** 32]) row(`commit genid ${g}`, () => b().addTable({ family: 'ip', name: 't' }).commit({ genid: g }), RangeError, 'commit.genid');
for (const ty of ['nope', 5]) row(`batch.addSet type ${JSON.stringify(ty)}`, () => b().addSet({ family: 'ip', table: 't', name: 's', type: ty as never }), RangeError, 'type');
row('batch.addRule exprs not an array', () => b().addRule({ family: 'ip', table: 't', chain: 'c', exprs: 5 as never }).commit(), TypeError, /exprs/);
row('batch.addRule sets not an array', () => b().addRule({ family: 'ip', table: 't', chain: 'c', exprs: [], sets: 5 as never }), TypeError, 'rule.sets');

// ---- handles, sockets, monitor: options checked before socket(2) -----------------------------
for (const v of [-1, NaN, Infinity, '10', 2 ** 31]) {
  row(`RouteHandle.open timeoutMs ${String(v)}`, () => RouteHandle.open({ libc: rec.lib, timeoutMs: v as never }), RangeError, 'timeoutMs');
  row(`NftHandle.open timeoutMs ${String(v)}`, () => NftHandle.open({ libc: rec.lib, timeoutMs: v as never } as never), RangeError, 'timeoutMs');
}
for (const v of [NaN, 0, -1, 1.5, '4096', 2 ** 31]) {
  row(`RouteHandle.open rcvbuf ${String(v)}`, () => RouteHandle.open({ libc: rec.lib, rcvbuf: v as never }), RangeError, 'rcvbuf');
  row(`NetlinkSocket.open sndbuf ${String(v)}`, () => NetlinkSocket.open(rtnetlink, { libc: rec.lib, sndbuf: v as never }), RangeError, 'sndbuf');
  row(`monitor rcvbuf ${String(v)}`, () => monitor({ libc: rec.lib, rcvbuf: v as never }), RangeError, 'monitor.rcvbuf');
}
for (const k of [['links'], [], 'link']) row(`monitor kinds ${JSON.stringify(k)}`, () => monitor({ libc: rec.lib, kinds: k as never }), Array.isArray(k) ? RangeError : TypeError, 'monitor.kinds');
row('monitor family 5', () => monitor({ libc: rec.lib, family: 5 as never }), RangeError, 'monitor.family');

// ---- netns and sysctl: names and paths checked before any mount/unshare/open ----------------
for (const name of ['', 'a/b', '.', '..', 'x'.repeat(300), 5, null]) {
  row(`netns.add ${JSON.stringify(name).slice(0, 12)}`, () => addNetns(name as never, { libc: rec.lib, dir: NODIR }), typeof name === 'string' ? RangeError : TypeError, /netns name/);
  row(`netns.delete ${JSON.stringify(name).slice(0, 12)}`, () => deleteNetns(name as never, { libc: rec.lib, dir: NODIR }), typeof name === 'string' ? RangeError : TypeError, /netns name/);
  row(`netns.attach ${JSON.stringify(name).slice(0, 12)}`, () => attachNetns(name as never, '/proc/self/ns/net', { libc: rec.lib, dir: NODIR }), typeof name === 'string' ? RangeError : TypeError, /netns name/);
}
for (const key of ['', '../etc/passwd', 'net/../../etc', 5, null, 'net.ipv4.ip_forward/..']) {
  row(`sysctl get ${JSON.stringify(key)}`, () => getSysctl(key as never, { libc: rec.lib } as never), typeof key === 'string' && key !== '' ? RangeError : TypeError, /sysctl|key/);
  row(`sysctl set ${JSON.stringify(key)}`, () => setSysctl(key as never, 1, { libc: rec.lib } as never), typeof key === 'string' && key !== '' ? RangeError : TypeError, /sysctl|key/);
}
// Never a real key: should a bad value slip through, the write fails with ENOENT instead of changing anything.
for (const v of [null, {}, NaN, undefined]) row(`sysctl set value ${JSON.stringify(v)}`, () => setSysctl('net.ipv4.nlts_no_such_key', v as never, { libc: rec.lib } as never), v === null || v === undefined || typeof v === 'object' ? TypeError : RangeError, /sysctl net\.ipv4\.nlts_no_such_key/);

t.test(`${rows.length} bad calls: exact class, a message naming the field, nothing sent`, async (t) => {
  t.ok(rows.length >= 200, `at least 200 bad calls (${rows.length})`);
  for (const r of rows) {
    let err: unknown;
    try {
      await r.call();
    } catch (e) {
      err = e;
    }
    if (!(err instanceof Error)) { t.fail(`${r.label}: no error`); continue; }
    t.equal(err.constructor, r.cls, `${r.label}: ${r.cls.name} (got ${err.constructor.name}: ${err.message.slice(0, 140)})`);
    if (typeof r.field === 'string') t.ok(err.message.includes(r.field), `${r.label}: names ${r.field}`);
    else t.match(err.message, r.field, `${r.label}: names ${r.field}`);
    t.notMatch(err.message, /Cannot read propert|is not a function|undefined \(reading/, `${r.label}: not an internal error`);
  }
  t.equal(tr.sent.length, 0, 'the route handle sent nothing');
  t.equal(nftTr.sent.length, 0, 'the nft handle sent nothing');
  t.same(rec.calls, [], 'no libc function was called');
});

t.test('CLI: bad command lines exit 2 (usage) or 1 (job), one line, no stack', async (t) => {
  const cases: [string[], number, RegExp][] = [
    [['link', '--netns'], 2, /netns/], [['link', '--bogus'], 2, /bogus/], [['route', '--table'], 2, /table/],
    [['monitor', 'links'], 2, /unknown kind "links"/], [['monitor', '--netns', 'a', '--pid', '1'], 2, /netns|pid/],
    [['decode', '--max-bytes', '-1', 'x'], 2, /max-bytes/], [['decode', '--format'], 2, /format/], [['nosuch'], 2, /unknown command "nosuch"/],
    [['link', '--pid', 'abc'], 2, /pid/], [['decode', '/nonexistent-nlts'], 1, /no such file/],
  ];
  for (const [args, code, msg] of cases) {
    const r = await cliIn(args);
    t.equal(r.code, code, `${args.join(' ')}: exit ${code} (${r.stderr.trim()})`);
    t.match(r.stderr, msg, `${args.join(' ')}: names it`);
    t.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: one line`);
    t.notMatch(r.stderr, /^\s+at /m, 'no stack');
  }
});
