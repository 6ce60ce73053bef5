// FdbApi against iproute2's bridge(8): each call sends the bytes `bridge fdb …` sent for the same
// command (fixtures/route/fdb/, strace on Linux 6.18), seq and pid aside; the kernel's recorded
// answers are replayed and decoded, the dump compared with `bridge -j fdb show`.
import t from 'tap';
import { NetlinkError } from '../../src/netlink/errors.js';
import { decodeAll, describeMessage, splitMessages } from '../../src/netlink/message.js';
import { ReplayTransport } from '../../src/netlink/replay.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import { FdbApi, fdbRequest } from '../../src/route/fdb/fdb.js';
import { LinkApi } from '../../src/route/link/link.js';
import { rtnetlink } from '../../src/route/protocol.js';
import { fixtureNames, loadFixture } from '../helpers/fixtures.js';

const stable = (b: Buffer): Buffer => {
  const c = Buffer.from(b);
  for (const [s] of splitMessages(c)) c.fill(0, s + 8, s + 16);
  return c;
};

const CASES: [string, (f: FdbApi) => Promise<unknown>][] = [
  ['newfdb-master-static', (f) => f.add({ mac: '02:00:00:00:00:05', dev: 4, master: true, state: 'static' })],
  ['newfdb-self-permanent', (f) => f.add({ mac: '02:00:00:00:00:06', dev: 4 })],
  ['newfdb-vlan', (f) => f.add({ mac: '02:00:00:00:00:07', dev: 4, master: true, state: 'static', vlan: 10 }).then(() => undefined, (e: unknown) => e)],
  ['delfdb', (f) => f.del({ mac: '02:00:00:00:00:05', dev: 4, master: true })],
  ['getfdb-dump', (f) => f.list()],
];

const results = new Map<string, unknown>();
for (const [name, run] of CASES) {
  const fx = loadFixture(`route/fdb/${name}`);
  t.test(`${fx.json.netlinkTs.call} sends what \`${fx.json.provenance.command}\` sent (6.18, strace)`, async (t) => {
    const frames = fx.frames.slice(4); // after bridge's own link dump (ll_init_map)
    const tr = new ReplayTransport(frames);
    const sock = new NetlinkSocket(rtnetlink, tr);
    results.set(name, await run(new FdbApi(sock, fixtureNames(new LinkApi(sock), fx.frames))));
    const [ours, ...more] = tr.sent;
    t.equal(more.length, 0, 'one request');
    const theirs = frames[0]!.bytes;
    if (!ours || !stable(ours).equals(stable(theirs))) {
      t.fail('request bytes differ from bridge(8)', { found: ours && describeMessage(rtnetlink, decodeAll(rtnetlink, ours)[0]!), wanted: describeMessage(rtnetlink, decodeAll(rtnetlink, theirs)[0]!) });
    } else t.pass(`${ours.length} bytes identical (seq/pid aside)`);
    t.equal(tr.remaining, 0, 'the whole recorded exchange was used');
  });
}

t.test('the refused VLAN entry is a NetlinkError EINVAL', async (t) => {
  const e = results.get('newfdb-vlan');
  t.type(e, NetlinkError);
  t.equal((e as NetlinkError).code, 'EINVAL');
});

t.test('the dump decodes like bridge -j fdb show (mac, state, flags, master)', async (t) => {
  const fx = loadFixture('route/fdb/getfdb-dump');
  const ours = results.get('getfdb-dump') as { mac: string; state: string; flags: string[]; master: number | undefined }[];
  const oracle = fx.json.oracle as { mac: string; state?: string; flags: string[]; master?: string }[];
  t.equal(ours.length, oracle.length, `${oracle.length} entries`);
  t.same(ours.map((e) => [e.mac, e.state, e.flags, e.master !== undefined]), oracle.map((o) => [o.mac, o.state ?? '', o.flags, o.master !== undefined]));
});

t.test('bad specs are refused before any request', async (t) => {
  for (const [spec, re] of [
    [{ mac: '02:00:00:00:00', dev: 4 }, /mac/], [{ mac: '02:00:00:00:00:05', dev: 'x'.repeat(16) }, /dev/],
    [{ mac: '02:00:00:00:00:05', dev: 4, state: 'sticky' }, /state/], [{ mac: '02:00:00:00:00:05', dev: 4, vlan: 4095 }, /vlan/],
    [{ mac: '02:00:00:00:00:05', dev: 4, dst: 'nope' }, /dst/], [{ mac: '02:00:00:00:00:05', dev: 4, port: 70000 }, /port/],
  ] as const) t.throws(() => fdbRequest(spec as never, 'fdb.add'), re);
});
