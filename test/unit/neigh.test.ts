// NeighApi against iproute2: each call must send the bytes `ip neigh …` sent for the same
// command (captured with strace: fixtures/route/neigh/, tools/capture-neigh-rule-fixtures.sh),
// ignoring seq and pid. iproute2 resolves `dev br0` by dumping every link first (ll_init_map,
// frames 0–2); the test's LinkApi answers from that same dump, and the kernel's replies to the
// neighbour request itself are replayed through the real socket code and decoded.
import t from 'tap';
import { NetlinkError } from '../../src/netlink/errors.js';
import type { Frame } from '../../src/netlink/fixture.js';
import { decodeAll, describeMessage, splitMessages } from '../../src/netlink/message.js';
import { ReplayTransport } from '../../src/netlink/replay.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import type { LinkApi } from '../../src/route/link/link.js';
import { type Neighbour, NeighApi, neighStateNames } from '../../src/route/neigh/neigh.js';
import { RTM_GETLINK, RTM_GETNEIGH, rtnetlink } from '../../src/route/protocol.js';
import { loadFixture } from '../helpers/fixtures.js';

/** A LinkApi that knows the links of iproute2's own RTM_GETLINK dump in the capture. */
function linksOf(frames: readonly Frame[]): { link: LinkApi; asked: string[] } {
  const byName = new Map<string, number>();
  for (const f of frames) {
    if (f.dir !== 'recv') continue;
    for (const m of decodeAll(rtnetlink, f.bytes)) if (m.name === 'RTM_NEWLINK') byName.set((m.attrs as { ifname: string }).ifname, (m.header as { index: number }).index);
  }
  const asked: string[] = [];
  const get = async (name: string): Promise<{ index: number }> => {
    asked.push(name);
    const index = byName.get(name);
    if (index === undefined) throw new NetlinkError({ errno: 19, operation: 'RTM_GETLINK', seq: 0 });
    return { index };
  };
  const byIndex = new Map([...byName].map(([n, i]) => [i, n]));
  const link = {
    get,
    index: async (d: string | number) => (typeof d === 'number' ? d : (await get(d)).index),
    names: async () => (i: number) => byIndex.get(i) ?? `if${i}`,
  } as unknown as LinkApi;
  return { link, asked };
}

/** The frames after iproute2's link dump: the neighbour request and the kernel's answer. */
const afterLinkDump = (frames: readonly Frame[]): Frame[] => {
  const i = frames.findIndex((f) => f.dir === 'send' && f.bytes.readUInt16LE(4) !== RTM_GETLINK);
  return frames.slice(i);
};

const api = (frames: readonly Frame[]): { n: NeighApi; tr: ReplayTransport; asked: string[] } => {
  const tr = new ReplayTransport(afterLinkDump(frames));
  const { link, asked } = linksOf(frames);
  return { n: new NeighApi(new NetlinkSocket(rtnetlink, tr), link), tr, asked };
};

const stable = (b: Buffer): Buffer => {
  const c = Buffer.from(b);
  for (const [s] of splitMessages(c)) c.fill(0, s + 8, s + 16);
  return c;
};

interface Case { readonly fx: string; readonly call: string; readonly run: (n: NeighApi) => Promise<unknown> }
const CASES: Case[] = [
  { fx: 'newneigh-permanent', call: "add({ dst: '10.1.0.5', lladdr: '02:00:00:00:00:05', dev: 'br0', state: 'permanent' })", run: (n) => n.add({ dst: '10.1.0.5', lladdr: '02:00:00:00:00:05', dev: 'br0', state: 'permanent' }) },
  { fx: 'newneigh-v6-router', call: "add({ dst: 'fd00:1::5', lladdr: '02:00:00:00:00:06', dev: 'br0', state: 'stale', router: true })", run: (n) => n.add({ dst: 'fd00:1::5', lladdr: '02:00:00:00:00:06', dev: 'br0', state: 'stale', router: true }) },
  { fx: 'newneigh-noarp-proto', call: "add({ dst: '10.1.0.7', lladdr: '02:00:00:00:00:07', dev: 'br0', state: 'noarp', protocol: 'static' })", run: (n) => n.add({ dst: '10.1.0.7', lladdr: '02:00:00:00:00:07', dev: 'br0', state: 'noarp', protocol: 'static' }) },
  { fx: 'newneigh-managed', call: "add({ dst: '10.1.0.8', dev: 'br0', state: 'none', managed: true })", run: (n) => n.add({ dst: '10.1.0.8', dev: 'br0', state: 'none', managed: true }) },
  { fx: 'newneigh-replace', call: "replace({ dst: '10.1.0.5', lladdr: '02:00:00:00:00:55', dev: 'br0', state: 'reachable' })", run: (n) => n.replace({ dst: '10.1.0.5', lladdr: '02:00:00:00:00:55', dev: 'br0', state: 'reachable' }) },
  { fx: 'newneigh-exists', call: "add({ dst: '10.1.0.5', lladdr: '02:00:00:00:00:05', dev: 'br0' })", run: (n) => n.add({ dst: '10.1.0.5', lladdr: '02:00:00:00:00:05', dev: 'br0' }).then(() => undefined, (e: unknown) => e) },
  { fx: 'delneigh', call: "del({ dst: '10.1.0.5', dev: 'br0' })", run: (n) => n.del({ dst: '10.1.0.5', dev: 'br0' }) },
  { fx: 'getneigh-dump', call: 'list()', run: (n) => n.list() },
  { fx: 'getneigh-dump-dev', call: "list({ family: 4, dev: 'br0' })", run: (n) => n.list({ family: 4, dev: 'br0' }) },
];

const results = new Map<string, unknown>();
for (const c of CASES) {
  t.test(`neigh.${c.call} sends what iproute2 sent (6.18, strace of ${c.fx})`, async (t) => {
    const fx = loadFixture(`route/neigh/${c.fx}`);
    t.equal(fx.json.netlinkTs?.call, c.call, 'the fixture names this call');
    t.equal(fx.json.netlinkTs?.sameBytes, true, 'and expects the same bytes');
    const { n, tr, asked } = api(fx.frames);
    results.set(c.fx, await c.run(n));
    t.same(asked, ['br0'].slice(0, c.call.includes("'br0'") ? 1 : 0), 'the device name was resolved once');
    const [ours, ...more] = tr.sent;
    t.equal(more.length, 0, 'one request');
    const theirs = afterLinkDump(fx.frames)[0]!.bytes;
    if (!ours || !stable(ours).equals(stable(theirs))) {
      t.fail('request bytes differ from iproute2', {
        found: ours && describeMessage(rtnetlink, decodeAll(rtnetlink, ours)[0]!),
        wanted: describeMessage(rtnetlink, decodeAll(rtnetlink, theirs)[0]!),
      });
    } else t.pass(`${ours.length} bytes identical to \`${fx.json.provenance.command}\` (seq/pid aside)`);
    t.equal(tr.remaining, 0, 'the whole recorded exchange was used');
  });
}

/** Our Neighbour in the words `ip -j neigh` prints (br0 is ifindex 2 in every capture). */
const asIp = (n: Neighbour): Record<string, unknown> => ({
  dst: n.dst, dev: n.devIndex === 2 ? 'br0' : n.dev,
  ...(n.lladdr !== undefined ? { lladdr: n.lladdr } : {}),
  ...Object.fromEntries(n.flags.map((f) => [f, null])),
  ...(n.protocol !== undefined ? { protocol: n.protocol } : {}),
  ...(n.state[0] !== 'none' ? { state: n.state.map((s) => s.toUpperCase()) } : {}),
});

t.test('list() decodes the dumps like `ip -j neigh show …` (6.18)', async (t) => {
  const all = results.get('getneigh-dump') as Neighbour[];
  t.same(all.map(asIp), loadFixture('route/neigh/getneigh-dump').json.oracle, `${all.length} entries = ip -j neigh show nud all`);
  const dev = results.get('getneigh-dump-dev') as Neighbour[];
  // `ip neigh show dev br0` omits the dev it filtered on; plain show hides NOARP entries.
  const oracle = loadFixture('route/neigh/getneigh-dump-dev').json.oracle as Array<Record<string, unknown>>;
  t.same(dev.filter((n) => !n.state.includes('noarp')).map(asIp).map(({ dev: _d, ...o }) => o), oracle, 'family 4, dev br0 = ip -j -4 neigh show dev br0');
  t.match(all.find((n) => n.dst === 'fd00:1::5'), { family: 6, state: ['stale'], flags: ['router'], lladdr: '02:00:00:00:00:06', type: 'unicast' });
  t.match(all.find((n) => n.dst === '10.1.0.5'), { family: 4, state: ['permanent'], flags: [], dev: 'br0', devIndex: 2 });
});

t.test('a duplicate add is a NetlinkError EEXIST, as the kernel answered iproute2', async (t) => {
  const e = results.get('newneigh-exists');
  t.type(e, NetlinkError);
  t.match(e, { code: 'EEXIST', operation: 'RTM_NEWNEIGH' });
});

t.test('neighStateNames names NUD_* bits as ip does, lower-cased', async (t) => {
  t.same(neighStateNames(0), ['none']);
  t.same(neighStateNames(0x80), ['permanent']);
  t.same(neighStateNames(0x42), ['reachable', 'noarp']);
  t.same(neighStateNames(0x102), ['reachable', '0x100']);
});

t.test('bad neighbour specs throw TypeError/RangeError naming the field, with nothing sent', async (t) => {
  const bad: Array<[unknown, ErrorConstructor, RegExp]> = [
    [{ dst: '10.1.0.5/24', dev: 'br0' }, RangeError, /^neigh\.dst: "10\.1\.0\.5\/24" is not an IPv4 or IPv6 address/],
    [{ dst: '10.1.0', dev: 'br0' }, RangeError, /^neigh\.dst: /],
    [{ dst: 5, dev: 'br0' }, TypeError, /^neigh\.dst: expected an IPv4 or IPv6 address/],
    [{ dst: '10.1.0.5' }, TypeError, /^neigh\.dev: expected a device name or ifindex/],
    [{ dst: '10.1.0.5', dev: 'a-very-long-name0' }, RangeError, /^neigh\.dev: "a-very-long-name0" must be 1\.\.15 bytes/],
    [{ dst: '10.1.0.5', dev: 'br0', lladdr: '02:00:00:00:00' + ':0' }, RangeError, /^neigh\.lladdr: "02:00:00:00:00:0" is not a link-layer address/],
    [{ dst: '10.1.0.5', dev: 'br0', lladdr: 2 }, TypeError, /^neigh\.lladdr: expected a link-layer address/],
    [{ dst: '10.1.0.5', dev: 'br0', state: 'permanant' }, RangeError, /^neigh\.state: unknown neighbour state "permanant"/],
    [{ dst: '10.1.0.5', dev: 'br0', state: 0x10000 }, RangeError, /^neigh\.state: 65536 is not a NUD_\* value/],
    [{ dst: '10.1.0.5', dev: 'br0', router: 'yes' }, TypeError, /^neigh\.router: expected a boolean/],
    [{ dst: '10.1.0.5', dev: 'br0', managed: true }, RangeError, /^neigh\.managed: a managed entry cannot be permanent/],
    [{ dst: '10.1.0.5', dev: 'br0', protocol: 'stattic' }, RangeError, /^neigh\.protocol: unknown route protocol "stattic"/],
    [{ dst: '10.1.0.5', dev: 'br0', nud: 'permanent' }, TypeError, /^neigh\.nud: not a neighbour field/],
  ];
  for (const [spec, cls, re] of bad) {
    const tr = new ReplayTransport([]);
    const n = new NeighApi(new NetlinkSocket(rtnetlink, tr), linksOf([]).link);
    await t.rejects(n.add(spec as never), cls, `${JSON.stringify(spec)} → ${cls.name}`);
    await t.rejects(n.add(spec as never), re);
    t.equal(tr.sent.length, 0, 'nothing sent');
  }
  const tr = new ReplayTransport([]);
  const n = new NeighApi(new NetlinkSocket(rtnetlink, tr), linksOf([]).link);
  await t.rejects(n.addMany([{ dst: '10.1.0.5', dev: 2 }, { dst: 'x', dev: 2 }]), /^neighs\[1\]\.dst: /, 'addMany names the spec by index');
  await t.rejects(n.list({ family: 5 as 4 }), /^neigh\.list\.family: expected 4 or 6/);
  await t.rejects(n.list({ dev: '' }), /^neigh\.list\.dev: /);
  t.equal(tr.sent.length, 0, 'nothing sent');
});

t.test('a dump request carries only what strict checking accepts', async (t) => {
  const tr = new ReplayTransport([]);
  const n = new NeighApi(new NetlinkSocket(rtnetlink, tr), linksOf([]).link);
  await n.list({ proxy: true, dev: 3 }).catch(() => undefined);
  const [m] = decodeAll(rtnetlink, tr.sent[0]!);
  t.equal(m!.type, RTM_GETNEIGH);
  t.same(m!.header, { family: 0, ifindex: 0, state: 0, flags: 8, type: 0 }, 'NTF_PROXY in ndm_flags');
  t.same(m!.attrs, { ifindex: 3 }, 'NDA_IFINDEX');
});
