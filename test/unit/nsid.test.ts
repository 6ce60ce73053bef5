// NsidApi against iproute2: each call sends the bytes `ip netns set|list|list-id` sent
// (captured with strace: fixtures/route/nsid/, tools/capture-nsid-fixtures.sh), seq and pid
// aside; the kernel's recorded replies are replayed and decoded.
import t from 'tap';
import { decodeAll, describeMessage, splitMessages } from '../../src/netlink/message.js';
import { type Frame, selectFrames } from '../../src/netlink/fixture.js';
import { ReplayTransport } from '../../src/netlink/replay.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import { NsidApi } from '../../src/route/nsid/nsid.js';
import { rtnetlink } from '../../src/route/protocol.js';
import { loadFixture } from '../helpers/fixtures.js';

const stable = (b: Buffer): Buffer => {
  const c = Buffer.from(b);
  for (const [s] of splitMessages(c)) c.fill(0, s + 8, s + 16);
  return c;
};

interface Case { readonly fx: string; readonly frames: (f: Frame[]) => Frame[]; readonly run: (n: NsidApi) => Promise<unknown>; readonly want: unknown }
const CASES: Case[] = [
  { fx: 'req-netns-set', frames: (f) => f, run: (n) => n.set({ fd: 6 }, 5), want: 5 },
  // The first exchange of `ip netns list`: lab2 (fd 6), which has no id.
  { fx: 'getnsid-list', frames: (f) => f.slice(0, 2), run: (n) => n.get({ fd: 6 }), want: undefined },
  { fx: 'getnsid-dump', frames: (f) => selectFrames(f, { fd: 3 }), run: (n) => n.list(), want: [{ nsid: 5, currentNsid: undefined }, { nsid: 9, currentNsid: undefined }] },
];

for (const c of CASES) {
  const fx = loadFixture(`route/nsid/${c.fx}`);
  t.test(`${fx.json.netlinkTs.call} sends what \`${fx.json.provenance.command}\` sent (6.18, strace)`, async (t) => {
    t.equal(fx.json.netlinkTs.sameBytes, true, 'the fixture expects the same bytes');
    const tr = new ReplayTransport(c.frames(fx.frames));
    const got = await c.run(new NsidApi(new NetlinkSocket(rtnetlink, tr)));
    t.same(got, c.want, 'decoded answer');
    const [ours, ...more] = tr.sent;
    t.equal(more.length, 0, 'one request');
    const theirs = c.frames(fx.frames).find((f) => f.dir === 'send')!.bytes;
    if (!ours || !stable(ours).equals(stable(theirs))) {
      t.fail('request bytes differ from iproute2', {
        found: ours && describeMessage(rtnetlink, decodeAll(rtnetlink, ours)[0]!),
        wanted: describeMessage(rtnetlink, decodeAll(rtnetlink, theirs)[0]!),
      });
    } else t.pass(`${ours.length} bytes identical (seq/pid aside)`);
    t.equal(tr.remaining, 0, 'the whole recorded exchange was used');
  });
}

t.test('the oracle agrees: ip -j netns list-id after the captures', async (t) => {
  t.same(loadFixture('route/nsid/getnsid-dump').json.oracle.map((e: { nsid: number }) => e.nsid), [5, 9]);
});

t.test('bad ids and refs are refused before any request', async (t) => {
  const tr = new ReplayTransport([]);
  const n = new NsidApi(new NetlinkSocket(rtnetlink, tr));
  await t.rejects(n.set({ fd: 3 }, -2), RangeError);
  await t.rejects(n.set({ fd: 3 }, 1.5), RangeError);
  await t.rejects(n.get({ pid: 0 }), RangeError);
  await t.rejects(n.get({ fd: -1 }), RangeError);
  await t.rejects(n.get(''), RangeError);
  t.equal(tr.sent.length, 0, 'nothing sent');
});
