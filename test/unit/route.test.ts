// RouteApi against iproute2: each call must send the bytes `ip route …` sent for the same
// command (captured with strace: fixtures/route/route/, tools/capture-route-fixtures.sh),
// ignoring seq and pid; differences are the ones the fixture's `netlinkTs` explains. The
// kernel's recorded replies are replayed through the real socket code and decoded.
import t from 'tap';
import { BulkError } from '../../src/netlink/errors.js';
import { type Frame, frameInfo } from '../../src/netlink/fixture.js';
import { decodeAll, describeMessage, splitMessages } from '../../src/netlink/message.js';
import { ReplayTransport } from '../../src/netlink/replay.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import { LinkApi } from '../../src/route/link/link.js';
import { RTM_GETLINK, rtnetlink } from '../../src/route/protocol.js';
import { RouteApi } from '../../src/route/route/route.js';
import type { Route } from '../../src/route/route/route-decode.js';
import { fixtureNames, loadFixture } from '../helpers/fixtures.js';

const api = (frames: readonly Frame[]): { r: RouteApi; tr: ReplayTransport } => {
  const tr = new ReplayTransport(frames);
  const sock = new NetlinkSocket(rtnetlink, tr);
  return { r: new RouteApi(sock, fixtureNames(new LinkApi(sock), frames)), tr };
};

/** Zero nlmsg_seq and nlmsg_pid of every message (the volatile fields). */
const stable = (b: Buffer): Buffer => {
  const c = Buffer.from(b);
  for (const [s] of splitMessages(c)) c.fill(0, s + 8, s + 16);
  return c;
};

/**
 * The frames to replay: the route socket's (fd 3), preceded by iproute2's own device look-up
 * on fd 4 when our call resolves a name (LinkApi.get on the same socket gets that answer).
 */
function replayFrames(frames: readonly Frame[], lookup: boolean): Frame[] {
  const on = (fd: number): Frame[] => frames.filter((f) => frameInfo(f).fd === fd);
  const link = on(4);
  const i = link.findIndex((f) => f.dir === 'send' && f.bytes.readUInt16LE(4) === RTM_GETLINK);
  return [...(lookup && i >= 0 ? link.slice(i, i + 2) : []), ...on(3)];
}

/** Our route requests (not the RTM_GETLINK look-ups). */
const routeRequests = (tr: ReplayTransport): Buffer[] => tr.sent.filter((b) => b.readUInt16LE(4) !== RTM_GETLINK);
/** iproute2's route request: the first fd-3 send frame. */
const theirRequest = (frames: readonly Frame[]): Buffer => frames.find((f) => f.dir === 'send' && frameInfo(f).fd === 3)!.bytes;

interface Case {
  readonly fx: string;
  readonly call: string;
  readonly run: (r: RouteApi) => Promise<unknown>;
}
const CASES: Case[] = [
  { fx: 'newroute-via', call: "add({ dst: '10.2.0.0/16', via: '10.1.0.2' })", run: (r) => r.add({ dst: '10.2.0.0/16', via: '10.1.0.2' }) },
  { fx: 'newroute-default-metric', call: "add({ dst: 'default', via: '10.1.0.2', metric: 100, dev: 'br0' })", run: (r) => r.add({ dst: 'default', via: '10.1.0.2', metric: 100, dev: 'br0' }) },
  { fx: 'newroute-table1000', call: "add({ dst: '10.3.0.0/16', table: 1000, dev: 'br0' })", run: (r) => r.add({ dst: '10.3.0.0/16', table: 1000, dev: 'br0' }) },
  { fx: 'newroute-blackhole', call: "add({ type: 'blackhole', dst: '10.4.0.0/16' })", run: (r) => r.add({ type: 'blackhole', dst: '10.4.0.0/16' }) },
  { fx: 'newroute-ipv6', call: "add({ dst: 'fd00:2::/64', via: 'fd00:1::2', metric: 256, pref: 'high' })", run: (r) => r.add({ dst: 'fd00:2::/64', via: 'fd00:1::2', metric: 256, pref: 'high' }) },
  { fx: 'newroute-unreachable6-default', call: "add({ family: 6, type: 'unreachable', dst: 'default' })", run: (r) => r.add({ family: 6, type: 'unreachable', dst: 'default' }) },
  {
    fx: 'newroute-ecmp', call: "add({ dst: '10.5.0.0/16', nexthops: [{ via: '10.1.0.2', weight: 1 }, { via: '10.1.0.3', weight: 3 }] })",
    run: (r) => r.add({ dst: '10.5.0.0/16', nexthops: [{ via: '10.1.0.2', weight: 1 }, { via: '10.1.0.3', weight: 3 }] }),
  },
  {
    fx: 'newroute-full', call: "add({ dst: '10.6.0.0/16', via: '10.1.0.2', src: '10.1.0.1', metric: 50, table: 100, dev: 'br0', onlink: true, mtu: 1400, lock: ['mtu'], advmss: 1360 })",
    run: (r) => r.add({ dst: '10.6.0.0/16', via: '10.1.0.2', src: '10.1.0.1', metric: 50, table: 100, dev: 'br0', onlink: true, mtu: 1400, lock: ['mtu'], advmss: 1360 }),
  },
  { fx: 'newroute-replace', call: "add({ dst: '10.2.0.0/16', via: '10.1.0.3' }, { replace: true })", run: (r) => r.add({ dst: '10.2.0.0/16', via: '10.1.0.3' }, { replace: true }) },
  { fx: 'newroute-append', call: "add({ dst: '10.2.0.0/16', via: '10.1.0.3' }, { append: true })", run: (r) => r.add({ dst: '10.2.0.0/16', via: '10.1.0.3' }, { append: true }) },
  { fx: 'delroute', call: "del({ dst: '10.2.0.0/16', via: '10.1.0.2' })", run: (r) => r.del({ dst: '10.2.0.0/16', via: '10.1.0.2' }) },
  { fx: 'delroute-ipv6', call: "del({ dst: 'fd00:2::/64' })", run: (r) => r.del({ dst: 'fd00:2::/64' }) },
  { fx: 'getroute', call: "get('10.2.3.4')", run: (r) => r.get('10.2.3.4') },
  { fx: 'getroute-from-oif-mark', call: "get('10.2.3.4', { from: '10.1.0.1', oif: 'br0', mark: 7 })", run: (r) => r.get('10.2.3.4', { from: '10.1.0.1', oif: 'br0', mark: 7 }) },
  { fx: 'getroute-ipv6', call: "get('fd00:2::5')", run: (r) => r.get('fd00:2::5') },
  { fx: 'getroute-dump-main', call: 'list({ family: 4 })', run: (r) => r.list({ family: 4 }) },
  { fx: 'getroute-dump-table-dev', call: "list({ family: 4, table: 1000, dev: 'br0' })", run: (r) => r.list({ family: 4, table: 1000, dev: 'br0' }) },
];

const results = new Map<string, unknown>();

for (const c of CASES) {
  t.test(`route.${c.call} sends what iproute2 sent (6.18, strace of ${c.fx})`, async (t) => {
    const fx = loadFixture(`route/route/${c.fx}`);
    t.equal(fx.json.netlinkTs?.call, c.call, 'the fixture names this call');
    t.equal(fx.json.netlinkTs?.sameBytes, true, 'and expects the same bytes');
    const { r, tr } = api(replayFrames(fx.frames, fx.json.netlinkTs.lookup !== undefined));
    results.set(c.fx, await c.run(r));
    const [ours, ...more] = routeRequests(tr);
    t.equal(more.length, 0, 'one route request');
    const theirs = theirRequest(fx.frames);
    if (!ours || !stable(ours).equals(stable(theirs))) {
      t.fail('request bytes differ from iproute2', {
        found: ours && describeMessage(rtnetlink, decodeAll(rtnetlink, ours)[0]!),
        wanted: describeMessage(rtnetlink, decodeAll(rtnetlink, theirs)[0]!),
      });
    } else t.pass(`${ours.length} bytes identical to \`${fx.json.provenance.command}\` (seq/pid aside)`);
    if (fx.json.netlinkTs.lookup) t.equal(tr.sent.filter((b) => b.readUInt16LE(4) === RTM_GETLINK).length, 1, 'the device name was looked up once');
  });
}

// ---- decoded replies, against what `ip -j` printed for the same kernel answer

const BR0 = 2; // ifindex of br0 in every capture (lo is 1)
/** Our Route in the words `ip -j route` prints. */
const asIp = (r: Route): Record<string, unknown> => {
  const host = r.family === 4 ? 32 : 128;
  const [addr, len] = r.dst.split('/');
  return {
    dst: r.dst !== 'default' && Number(len) === host ? addr : r.dst,
    ...(r.gateway ? { gateway: r.gateway } : {}),
    ...(r.devIndex !== undefined ? { dev: r.devIndex === BR0 ? 'br0' : r.devIndex === 1 ? 'lo' : r.dev } : {}),
    ...(r.prefsrc ? { prefsrc: r.prefsrc } : {}),
    ...(r.metric !== undefined ? { metric: r.metric } : {}),
  };
};
const ipView = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(
  ['dst', 'gateway', 'dev', 'prefsrc', 'metric'].filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

t.test('get() decodes the RTM_NEWROUTE answer like `ip -j route get` (6.18)', async (t) => {
  for (const fx of ['getroute', 'getroute-from-oif-mark', 'getroute-ipv6']) {
    const r = results.get(fx) as Route;
    const oracle = loadFixture(`route/route/${fx}`).json.oracle[0];
    // ip route get prints no metric for IPv4 lookups and hides IPv4 prefsrc when `from` is given.
    const want = ipView(oracle);
    const got = asIp(r);
    for (const k of Object.keys(got)) if (!(k in want)) delete got[k];
    t.same(got, want, `${fx}: ${JSON.stringify(want)}`);
  }
  const v4 = results.get('getroute') as Route;
  t.match(v4, { family: 4, dst: '10.2.3.4/32', gateway: '10.1.0.2', devIndex: BR0, prefsrc: '10.1.0.1', table: 'main', type: 'unicast', scope: 'global' });
  t.equal(v4.attrs.table, 254, 'RTM_F_LOOKUP_TABLE: the answer names the FIB table that matched');
  const v6 = results.get('getroute-ipv6') as Route;
  t.match(v6, { family: 6, dst: 'fd00:2::5/128', gateway: 'fd00:1::2', metric: 1024, pref: 'medium' });
});

t.test('list() decodes a filtered dump like `ip -j route show …` (6.18)', async (t) => {
  for (const fx of ['getroute-dump-main', 'getroute-dump-table-dev']) {
    const routes = results.get(fx) as Route[];
    const oracle = loadFixture(`route/route/${fx}`).json.oracle as Array<Record<string, unknown>>;
    const got = routes.map(asIp);
    // `ip route show … dev br0` omits the dev it filtered on.
    if (fx.endsWith('dev')) got.forEach((g) => delete g['dev']);
    t.same(got, oracle.map(ipView), `${fx}: ${routes.length} routes`);
  }
  const [kernel, via] = results.get('getroute-dump-main') as Route[];
  t.match(kernel, { dst: '10.1.0.0/24', protocol: 'kernel', scope: 'link', type: 'unicast', table: 'main', devIndex: BR0 });
  t.match(via, { dst: '10.2.0.0/16', protocol: 'boot', scope: 'global', gateway: '10.1.0.2' });
  const [t1000] = results.get('getroute-dump-table-dev') as Route[];
  t.match(t1000, { dst: '10.3.0.0/16', table: 1000, scope: 'link', devIndex: BR0 });
});

t.test('list() without family differs from `ip route show` in rtm_family only, as the fixture says', async (t) => {
  const fx = loadFixture('route/route/getroute-dump-main');
  const [d] = fx.json.netlinkTs.differences;
  t.equal(d.call, 'list()');
  const { r, tr } = api(replayFrames(fx.frames, false));
  await r.list();
  const ours = stable(tr.sent[0]!), theirs = stable(theirRequest(fx.frames));
  t.equal(ours.length, theirs.length, 'same length');
  const diff = [...ours.keys()].filter((i) => ours[i] !== theirs[i]);
  t.same(diff, [d.offset], `only byte ${d.offset} (${d.field}) differs`);
  t.equal(ours[d.offset], d.ours);
  t.equal(theirs[d.offset], d.iproute2);
});

t.test('a host-bits prefix is refused before any syscall, in the words the kernel used for iproute2', async (t) => {
  const fx = loadFixture('route/route/newroute-hostbits-error');
  t.equal(fx.json.netlinkTs.differences[0].sent, 0);
  const kernelErr = decodeAll(rtnetlink, fx.frames[1]!.bytes)[0]!.error!;
  t.equal(kernelErr.error, -22, 'the kernel answered iproute2 with EINVAL');
  const text = kernelErr.tlvs.get(1)!.toString('utf8').replace(/\0+$/, '');
  t.equal(text, 'Invalid prefix for given prefix length');
  const { r, tr } = api(fx.frames);
  await t.rejects(r.add({ dst: '10.2.0.1/16', via: '10.1.0.2' }), new RangeError(`route.dst: ${text}: "10.2.0.1/16" has host bits set (the network is 10.2.0.0/16)`));
  t.equal(tr.sent.length, 0, 'nothing sent');
});

// ---- bad input: typed errors naming the field, before any syscall

t.test('bad route specs throw TypeError/RangeError naming the field, with nothing sent', async (t) => {
  const bad: Array<[unknown, ErrorConstructor, RegExp]> = [
    [{ dst: '10.2.0.0/33' }, RangeError, /^route\.dst: prefix length "33" must be 0\.\.32/],
    [{ dst: '10.2.0/16' }, RangeError, /^route\.dst: "10\.2\.0" is not an IPv4 or IPv6 address/],
    [{ dst: 'fd00:2::1/64' }, RangeError, /^route\.dst: Invalid prefix for given prefix length/],
    [{ dst: 42 }, TypeError, /^route\.dst: expected 'default' or a prefix/],
    [{ dst: '10.2.0.0/16', via: 'fd00:1::2' }, RangeError, /^route\.via: "fd00:1::2" is IPv6 but the route is IPv4/],
    [{ dst: '10.2.0.0/16', family: 6 }, RangeError, /^route\.dst: "10\.2\.0\.0\/16" is IPv4 but family is 6/],
    [{ dst: 'default', via: '10.1.0.2', src: 'fd00::1' }, RangeError, /^route\.src: "fd00::1" is IPv6 but the route is IPv4/],
    [{ dst: '10.5.0.0/16', nexthops: [{ via: '10.1.0.2', weight: 0 }] }, RangeError, /^route\.nexthops\[0\]\.weight: must be an integer 1\.\.256, got 0/],
    [{ dst: '10.5.0.0/16', nexthops: [{ via: '10.1.0.2' }, { via: '10.1.0.3', weight: 257 }] }, RangeError, /^route\.nexthops\[1\]\.weight: .*got 257/],
    [{ dst: '10.5.0.0/16', nexthops: [{ via: '10.1.0.2', weight: 1.5 }] }, RangeError, /weight: must be an integer/],
    [{ dst: '10.5.0.0/16', via: '10.1.0.2', nexthops: [{ via: '10.1.0.3' }] }, TypeError, /^route\.nexthops: cannot be combined with via\/dev/],
    [{ dst: '10.5.0.0/16', dev: 'br0', nexthops: [{ via: '10.1.0.3' }] }, TypeError, /^route\.nexthops: cannot be combined/],
    [{ dst: '10.5.0.0/16', nexthops: [] }, TypeError, /^route\.nexthops: expected a non-empty array/],
    [{ dst: '10.5.0.0/16', nexthops: [{ weight: 2 }] }, TypeError, /^route\.nexthops\[0\]: a nexthop needs via or dev/],
    [{ dst: '10.5.0.0/16', nexthops: [{ via: 'fd00::2' }] }, RangeError, /^route\.nexthops\[0\]\.via: "fd00::2" is IPv6/],
    [{ dst: '10.2.0.0/16', gw: '10.1.0.2' }, TypeError, /^route\.gw: not a route field/],
    [{ dst: '10.2.0.0/16', dev: 'a-very-long-name0' }, RangeError, /^route\.dev: "a-very-long-name0" must be 1\.\.15 bytes \(IFNAMSIZ\), is 17$/],
    [{ dst: '10.2.0.0/16', dev: 0 }, RangeError, /^route\.dev: an ifindex is a positive integer/],
    [{ dst: '10.2.0.0/16', table: 'mian' }, RangeError, /^route\.table: unknown routing table "mian"/],
    [{ dst: '10.2.0.0/16', table: -1 }, RangeError, /^route\.table: -1 is not a routing table number/],
    [{ dst: '10.2.0.0/16', type: 'blackhol' }, RangeError, /^route\.type: unknown route type "blackhol"/],
    [{ dst: '10.2.0.0/16', scope: 'galaxy' }, RangeError, /^route\.scope: unknown scope/],
    [{ dst: '10.2.0.0/16', protocol: 300 }, RangeError, /^route\.protocol: 300 is not a route protocol number/],
    [{ dst: '10.2.0.0/16', metric: -1 }, RangeError, /^route\.metric: must be an integer/],
    [{ dst: '10.2.0.0/16', pref: 'high' }, TypeError, /^route\.pref: only IPv6 routes/],
    [{ dst: 'fd00::/64', pref: 'urgent' }, RangeError, /^route\.pref: "urgent" is not a router preference/],
    [{ dst: '10.2.0.0/16', type: 'blackhole', via: '10.1.0.2' }, TypeError, /^route\.type: a blackhole route takes no gateway/],
    [{ dst: '10.2.0.0/16', type: 'unreachable', dev: 'br0' }, TypeError, /^route\.type: an IPv4 unreachable route takes no device/],
    [{ dst: '10.2.0.0/16', mtu: 1400, lock: ['advmss'] }, TypeError, /^route\.lock: "advmss" is locked but not set/],
    [{ dst: '10.2.0.0/16', quickack: 2 }, RangeError, /^route\.quickack: must be an integer 0\.\.1/],
    [{ dst: '10.2.0.0/16', hoplimit: 256 }, RangeError, /^route\.hoplimit: must be an integer 0\.\.255/],
    [{ dst: '10.2.0.0/16', onlink: 'yes' }, TypeError, /^route\.onlink: expected a boolean/],
  ];
  for (const [spec, cls, re] of bad) {
    const { r, tr } = api([]);
    const err = await r.add(spec as never).then(() => undefined, (e: unknown) => e);
    t.type(err, cls, `${JSON.stringify(spec)} → ${cls.name}`);
    t.match((err as Error).message, re);
    t.equal(tr.sent.length, 0, 'nothing sent');
  }
  const { r, tr } = api([]);
  await t.rejects(r.add({ dst: '10.2.0.0/16' }, { replace: true, append: true }), TypeError, 'replace and append together');
  await t.rejects(r.get('10.2.0.0/16'), { name: 'RangeError', message: /looks up one address; "10\.2\.0\.0\/16" is a \/16 prefix/ });
  await t.rejects(r.get('10.2.3.4', { from: 'fd00::1' }), RangeError, 'get: from of the other family');
  await t.rejects(r.list({ table: 'everything' as never }), RangeError, 'list: unknown table');
  await t.rejects(r.list({ family: 5 as never }), RangeError, 'list: bad family');
  await t.rejects(r.addMany([{ dst: '10.1.0.0/24' }, { dst: '10.3.0.1/16' }]), { name: 'RangeError', message: /^routes\[1\]\.dst: Invalid prefix/ }, 'addMany names the entry');
  t.equal(tr.sent.length, 0, 'nothing sent for any of them');
});

// ---- bulk: one device look-up for many routes, failures by index

t.test('addMany resolves each device name once and reports a kernel refusal by index', async (t) => {
  const fx = loadFixture('route/route/newroute-default-metric');
  const [lookupSend, lookupReply] = replayFrames(fx.frames, true);
  const okSeq = 1000, n = 3;
  // One sendmsg with three RTM_NEWROUTE; the kernel refuses #1 (EEXIST) and ACKs #2, the last.
  const one = theirRequest(fx.frames);
  const sent = Buffer.concat(Array.from({ length: n }, (_, i) => { const b = Buffer.from(one); b.writeUInt32LE(okSeq + i, 8); return b; }));
  const ack = (seq: number, error: number): Buffer => {
    const b = Buffer.alloc(36);
    b.writeUInt32LE(36, 0); b.writeUInt16LE(2, 4); b.writeUInt16LE(0x100, 6); b.writeUInt32LE(seq, 8); b.writeUInt32LE(1, 12);
    b.writeInt32LE(error, 16); b.writeUInt32LE(one.length, 20); b.writeUInt16LE(24, 24); b.writeUInt32LE(seq, 28);
    return b;
  };
  const { r, tr } = api([lookupSend!, lookupReply!, { dir: 'send', bytes: sent }, { dir: 'recv', bytes: Buffer.concat([ack(okSeq + 1, -17), ack(okSeq + 2, 0)]) }]);
  const spec = { dst: 'default', via: '10.1.0.2', metric: 100, dev: 'br0' } as const;
  const err = await r.addMany([spec, { ...spec, metric: 101 }, { ...spec, metric: 102 }]).then(() => undefined, (e: unknown) => e);
  t.type(err, BulkError);
  t.same((err as BulkError).failures.map((f) => [f.index, f.code]), [[1, 'EEXIST']]);
  t.equal(tr.sent.filter((b) => b.readUInt16LE(4) === RTM_GETLINK).length, 1, 'br0 looked up once for three routes');
  const msgs = decodeAll(rtnetlink, tr.sent[1]!);
  t.same(msgs.map((m) => m.attrs.priority), [100, 101, 102], 'three messages in one sendmsg');
  t.same(msgs.map((m) => m.flags), [0x601, 0x601, 0x605], 'CREATE|EXCL, ACK only on the last');
});
