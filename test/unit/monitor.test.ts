// monitor() over recorded rtnetlink notifications (fixtures/route/monitor/events, made by
// tools/capture-monitor-fixture.ts): typed events in order, kind/family filters, a simulated
// ENOBUFS with a replayed resync dump, option checks before any syscall. No privileges.
import t from 'tap';
import { SyscallError } from '../../src/ffi/errors.js';
import { ReplayTransport } from '../../src/netlink/replay.js';
import type { Transport } from '../../src/netlink/transport.js';
import { RouteHandle } from '../../src/route/handle.js';
import { type MonitorEvent, type MonitorKind, decodeNotifications, monitorGroups, monitorKindOf } from '../../src/route/monitor/monitor-event.js';
import { type MonitorOptions, RESYNC_ATTEMPTS, monitor } from '../../src/route/monitor/monitor.js';
import { RTM_NEWLINK, RTM_DELNSID, RTM_GETLINK, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE, RTNLGRP_LINK } from '../../src/route/protocol.js';
import { loadFixture } from '../helpers/fixtures.js';

const fx = loadFixture('route/monitor/events');
const SCRIPT = fx.json.provenance.command as string;

function label(ev: MonitorEvent): string {
  switch (ev.kind) {
    case 'link': return `link ${ev.action} ${ev.link.name}`;
    case 'addr': return `addr ${ev.action} ${ev.addr.address}/${ev.addr.prefixlen}`;
    case 'route': return `route ${ev.action} ${ev.route.dst} table ${ev.route.table}`;
    case 'neigh': return `neigh ${ev.action} ${ev.neigh.dst} ${ev.neigh.state.join(',')}`;
    case 'rule': return `rule ${ev.action} ${ev.rule.priority}`;
    case 'nsid': return `nsid ${ev.action} ${ev.nsid.nsid}`;
    default: return ev.kind;
  }
}

async function all(opts: MonitorOptions): Promise<MonitorEvent[]> {
  const out: MonitorEvent[] = [];
  for await (const ev of monitor(opts)) out.push(ev);
  return out;
}

t.test('the recording is what its provenance says', async (t) => {
  t.match(SCRIPT, /ip link add mf0 type bridge/);
  t.ok(fx.frames.length > 10 && fx.frames.every((f) => f.dir === 'recv'), 'recv frames only');
});

t.test(`typed events, in order (recorded: ${SCRIPT.slice(0, 60)}…)`, async (t) => {
  const evs = await all({ transport: new ReplayTransport(fx.frames) });
  const want = [
    // ip link add mf0 type bridge
    'link new mf0',
    // ip addr add 10.8.0.1/24 (+ its local route), ip -6 addr add fd00:8::1/64 (+ local route)
    'addr new 10.8.0.1/24', 'route new 10.8.0.1/32 table local', 'addr new fd00:8::1/64', 'route new fd00:8::1/128 table local',
    'route new 10.8.1.0/24 table 100', 'neigh new 10.8.0.5 permanent', 'rule new 100', 'nsid new 7', 'nsid del 7',
    'rule del 100', 'route del 10.8.1.0/24 table 100',
    // neigh del: marked failed, then removed
    'neigh new 10.8.0.5 failed', 'neigh del 10.8.0.5 failed',
    'addr del 10.8.0.1/24', 'route del 10.8.0.1/32 table local', 'route del fd00:8::1/128 table local', 'addr del fd00:8::1/64',
    'link del mf0',
  ];
  t.same(evs.map(label), want, 'one event per change made by the script, in order');
  const link = evs[0]!;
  t.ok(link.kind === 'link' && link.link.kind === 'bridge' && link.link.mtu === 1500, 'the Link is fully decoded');
  t.ok(evs.every((e) => e.time instanceof Date), 'every event carries its time');
  const neigh = evs.find((e) => e.kind === 'neigh');
  t.equal(neigh?.kind === 'neigh' ? neigh.neigh.lladdr : undefined, '02:00:00:00:00:05');
  // The AF_BRIDGE FDB notification in the recording is not an ip-neigh event.
  const raw = fx.frames.flatMap((f) => decodeNotifications(f.bytes, new Date(0), new Set<MonitorKind>(['neigh'])));
  t.equal(raw.length, 3, 'decodeNotifications keeps the 3 IPv4 neighbour messages and drops the bridge FDB entry');
});

t.test('kinds and family pick the events', async (t) => {
  const routes = await all({ kinds: ['route'], transport: new ReplayTransport(fx.frames) });
  t.ok(routes.length === 6 && routes.every((e) => e.kind === 'route'), 'kinds: [route] → the 6 route events only');
  const links = await all({ kinds: ['link', 'nsid'], transport: new ReplayTransport(fx.frames) });
  t.same(links.map(label), ['link new mf0', 'nsid new 7', 'nsid del 7', 'link del mf0']);
  t.same(monitorGroups('route', 4), [RTNLGRP_IPV4_ROUTE]);
  t.same(monitorGroups('route'), [RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE]);
  t.same(monitorGroups('link', 6), [RTNLGRP_LINK]);
  t.equal(monitorKindOf(RTM_NEWLINK), 'link');
  t.equal(monitorKindOf(RTM_DELNSID), 'nsid');
  t.equal(monitorKindOf(RTM_GETLINK), undefined, 'requests are not events');
});

/** Replays `frames`, failing receive number `at` (from 0) with ENOBUFS once; 2 = right after the link frame. */
class Overflowing implements Transport {
  readonly inner: ReplayTransport;
  #n = 0;
  constructor(frames: ConstructorParameters<typeof ReplayTransport>[0], readonly at: number) { this.inner = new ReplayTransport(frames); }
  get portId(): number { return this.inner.portId; }
  get closed(): boolean { return this.inner.closed; }
  send(buf: Buffer, len?: number): void { this.inner.send(buf, len); }
  recv(): Buffer {
    if (this.#n++ === this.at) throw new SyscallError('recvfrom', 105);
    return this.inner.recv();
  }
  close(): void { this.inner.close(); }
}

t.test('ENOBUFS → lost, the re-dumped table as resync events, resynced, then the rest', async (t) => {
  // ip link show: frames 1-2 are iproute2's probe (an RTM_NEWLINK refused with ENODEV); the dump follows.
  const dump = { frames: loadFixture('route/link/getlink-dump').frames.slice(2) };
  const h = RouteHandle.open({ transport: new ReplayTransport(dump.frames) });
  const expected = (await h.link.list()).map((l) => l.name);
  h.close();
  t.ok(expected.length >= 2, `the recorded dump has links (${expected.join(', ')})`);
  const evs = await all({ kinds: ['link'], transport: new Overflowing(fx.frames, 2), resyncTransport: () => new ReplayTransport(dump.frames) });
  const labels = evs.map(label);
  t.same(labels, ['link new mf0', 'lost', ...expected.map((n) => `link resync ${n}`), 'resynced', 'link del mf0']);
  const done = evs.find((e) => e.kind === 'resynced');
  t.same(done?.kind === 'resynced' ? done.kinds : undefined, ['link']);

  const quiet = await all({ kinds: ['link'], transport: new Overflowing(fx.frames, 2), resync: false });
  t.same(quiet.map(label), ['link new mf0', 'lost', 'link del mf0'], 'resync: false reports the loss only');
});

/** The dump's recv frames with NLM_F_DUMP_INTR (0x10) set on every message, as the kernel flags a dump whose table changed. */
function interrupted(frames: readonly { dir: 'send' | 'recv'; bytes: Buffer }[]): { dir: 'send' | 'recv'; bytes: Buffer }[] {
  return frames.map((f) => {
    if (f.dir !== 'recv') return f;
    const b = Buffer.from(f.bytes);
    for (let off = 0; off + 16 <= b.length; off += (b.readUInt32LE(off) + 3) & ~3) {
      b.writeUInt16LE(b.readUInt16LE(off + 6) | 0x10, off + 6);
      if (b.readUInt32LE(off) < 16) break;
    }
    return { ...f, bytes: b };
  });
}

t.test('a resync dump flagged NLM_F_DUMP_INTR is retried; the iterator goes on (issue 17)', async (t) => {
  const dump = { frames: loadFixture('route/link/getlink-dump').frames.slice(2) };
  const h = RouteHandle.open({ transport: new ReplayTransport(dump.frames) });
  const expected = (await h.link.list()).map((l) => l.name);
  h.close();
  // Three interrupted dumps, then a whole one: the same events as without the storm.
  const three = [...interrupted(dump.frames), ...interrupted(dump.frames), ...interrupted(dump.frames), ...dump.frames];
  const m = monitor({ kinds: ['link'], transport: new Overflowing(fx.frames, 2), resyncTransport: () => new ReplayTransport(three) });
  const evs: MonitorEvent[] = [];
  for await (const ev of m) evs.push(ev);
  t.same(evs.map(label), ['link new mf0', 'lost', ...expected.map((n) => `link resync ${n}`), 'resynced', 'link del mf0'], 'lost, the whole snapshot, resynced, then the rest');
  t.equal(m.resyncRetries, 3, 'three retries');
  const done = evs.find((e) => e.kind === 'resynced');
  t.notOk(done && 'interrupted' in done, 'the snapshot is whole: no interrupted field');

  // Interrupted on every try: bounded, the last try's entries, flagged; the stream continues.
  const always = Array.from({ length: RESYNC_ATTEMPTS }, () => interrupted(dump.frames)).flat();
  const m2 = monitor({ kinds: ['link'], transport: new Overflowing(fx.frames, 2), resyncTransport: () => new ReplayTransport(always) });
  const evs2: MonitorEvent[] = [];
  for await (const ev of m2) evs2.push(ev);
  t.equal(m2.resyncRetries, RESYNC_ATTEMPTS, `gave up after ${RESYNC_ATTEMPTS} tries`);
  t.same(evs2.map(label), ['link new mf0', 'lost', ...expected.map((n) => `link resync ${n}`), 'resynced', 'link del mf0'], 'the partial snapshot, resynced, and the iterator did not end');
  const r2 = evs2.find((e) => e.kind === 'resynced');
  t.same(r2?.kind === 'resynced' ? r2.interrupted : undefined, ['link'], 'resynced names the interrupted table');
});

t.test('a replayed monitor ends when the recording does; return() and close() are idempotent', async (t) => {
  const m = monitor({ transport: new ReplayTransport(fx.frames) });
  const first = await m.next();
  t.equal(first.done, false);
  t.same(await m.return(), { value: undefined, done: true });
  t.ok(m.closed);
  m.close();
  t.same(await m.next(), { value: undefined, done: true });
});

t.test('bad options are refused before any syscall', async (t) => {
  t.throws(() => monitor({ kinds: ['lnk' as MonitorKind] }), RangeError);
  t.throws(() => monitor({ kinds: [] }), RangeError);
  t.throws(() => monitor({ kinds: 'link' as unknown as MonitorKind[] }), TypeError);
  t.throws(() => monitor({ family: 5 as 4 }), RangeError);
  t.throws(() => monitor({ rcvbuf: -1 }), RangeError);
  t.throws(() => monitor({ resync: 'yes' as unknown as boolean }), TypeError);
  t.throws(() => monitor(null as unknown as MonitorOptions), TypeError);
});
