// The socket logic (seq matching, ACKs, multipart, DUMP_INTR, ext-ACK, bulk) run for real
// against recorded kernel replies through the replay transport — no privileges.
import t from 'tap';
import { BulkError, DumpInterruptedError, NetlinkError, NetlinkTimeoutError, SocketStateError } from '../../src/netlink/errors.js';
import { type Frame, selectFrames } from '../../src/netlink/fixture.js';
import { NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST } from '../../src/netlink/header.js';
import { decodeAll, splitMessages } from '../../src/netlink/message.js';
import { ReplayTransport } from '../../src/netlink/replay.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import { RouteHandle } from '../../src/route/handle.js';
import { RTM_GETLINK, RTM_NEWLINK, rtnetlink } from '../../src/route/protocol.js';
import { linkOf, toLink } from '../../src/route/link/link.js';
import { loadFixture } from '../helpers/fixtures.js';

const HDR = { family: 0, type: 0, index: 0, flags: 0, change: 0 };
const dumpFrames = (): Frame[] => selectFrames(loadFixture('route/link/getlink-dump').frames, { fd: 3, from: 3 });
const handle = (frames: Frame[]): { h: RouteHandle; tr: ReplayTransport } => {
  const tr = new ReplayTransport(frames);
  return { h: RouteHandle.open({ transport: tr }), tr };
};

/** Hand-built struct nlmsghdr + struct nlmsgerr (capped), per <linux/netlink.h>. */
function errMsg(seq: number, error: number, reqType = RTM_NEWLINK, pid = 0x77): Buffer {
  const b = Buffer.alloc(36);
  b.writeUInt32LE(36, 0); b.writeUInt16LE(2, 4); b.writeUInt16LE(0x100, 6); b.writeUInt32LE(seq, 8); b.writeUInt32LE(pid, 12);
  b.writeInt32LE(error, 16);
  b.writeUInt32LE(32, 20); b.writeUInt16LE(reqType, 24); b.writeUInt32LE(seq, 28);
  return b;
}

t.test('link.list() over a replayed RTM_GETLINK dump (6.18, strace of ip link show)', async (t) => {
  const { h, tr } = handle(dumpFrames());
  const links = await h.link.list();
  t.same(links.map((l) => l.name), ['lo', 'br0', 'veth1', 'veth0']);
  t.same(links.map((l) => l.kind), [undefined, 'bridge', 'veth', 'veth']);
  t.equal(links[3]?.masterIndex, 2, 'veth0 is a port of br0 (ifindex 2)');
  t.equal(links[3]?.master, 'br0', 'named from the same dump');
  t.equal(links[3]?.link, 'veth1', 'the peer, named');
  t.equal(tr.remaining, 0, 'every recorded datagram consumed, NLMSG_DONE included');
  const [req] = decodeAll(rtnetlink, tr.sent[0]!);
  t.equal(req?.type, RTM_GETLINK);
  t.equal((req!.flags & (NLM_F_REQUEST | NLM_F_DUMP)), NLM_F_REQUEST | NLM_F_DUMP, 'sent as a dump request');
});

t.test('a multipart dump split over more datagrams, with a stale reply in front', async (t) => {
  const [send, big, done] = dumpFrames();
  const msgs = splitMessages(big!.bytes);
  const cut = msgs[2]![0];
  const stale = Buffer.from(big!.bytes.subarray(msgs[0]![0], msgs[0]![1]));
  stale.writeUInt32LE(999, 8); // a reply to some other request: must be ignored
  const frames: Frame[] = [send!, { dir: 'recv', bytes: stale }, { dir: 'recv', bytes: big!.bytes.subarray(0, cut) },
    { dir: 'recv', bytes: big!.bytes.subarray(cut) }, done!];
  const { h } = handle(frames);
  t.same((await h.link.list()).map((l) => l.name), ['lo', 'br0', 'veth1', 'veth0']);
});

t.test('NLM_F_DUMP_INTR → DumpInterruptedError carrying the partial results', async (t) => {
  const frames = dumpFrames();
  const b = Buffer.from(frames[1]!.bytes);
  b.writeUInt16LE(b.readUInt16LE(6) | 0x10, 6);
  const { h } = handle([frames[0]!, { dir: 'recv', bytes: b }, frames[2]!]);
  const err = await h.link.list().then(() => undefined, (e: unknown) => e);
  t.type(err, DumpInterruptedError);
  t.equal((err as DumpInterruptedError).partial.length, 4);
});

t.test('dumpEntries() makes the same objects as dump(msg, map), without Messages, and drops what the reader drops', async (t) => {
  const req = { type: RTM_GETLINK, flags: 0, header: HDR };
  const viaMessages = await new NetlinkSocket(rtnetlink, new ReplayTransport(dumpFrames())).dump(req, toLink);
  const seen: number[] = [];
  const direct = await new NetlinkSocket(rtnetlink, new ReplayTransport(dumpFrames())).dumpEntries(req, (h, a, type) => {
    seen.push(type);
    return linkOf(h, a);
  });
  t.same(direct, viaMessages, 'field for field, attrs included');
  t.same(seen, [RTM_NEWLINK, RTM_NEWLINK, RTM_NEWLINK, RTM_NEWLINK], 'the reader gets each entry\'s nlmsg_type');
  const some = await new NetlinkSocket(rtnetlink, new ReplayTransport(dumpFrames())).dumpEntries(req, (h, a) => (h.index === 1 ? undefined : linkOf(h, a)));
  t.same(some.map((l) => l.name), ['br0', 'veth1', 'veth0'], 'undefined drops an entry');
  // A truncated entry is a DecodeError naming the message, as decodeMessage() reports it.
  const frames = dumpFrames();
  const b = Buffer.from(frames[1]!.bytes);
  const first = splitMessages(b)[0]!;
  b.writeUInt32LE(20, first[0]); // nlmsg_len 20: shorter than nlmsghdr + struct ifinfomsg
  const bad = await new NetlinkSocket(rtnetlink, new ReplayTransport([frames[0]!, { dir: 'recv', bytes: b.subarray(0, first[0] + 20) }, frames[2]!]))
    .dumpEntries(req, (h, a) => linkOf(h, a)).then(() => undefined, (e: unknown) => e);
  t.match(bad, { name: 'DecodeError', message: /RTM_NEWLINK shorter than its struct ifinfomsg/ });
});

t.test('link.stream() yields link by link and reserves the socket meanwhile', async (t) => {
  const { h } = handle([...dumpFrames(), ...dumpFrames()]); // the names, then the stream
  const names: string[] = [];
  for await (const l of h.link.stream()) {
    names.push(l.name);
    if (names.length === 1) {
      const busy = await h.link.get('lo').then(() => undefined, (e: unknown) => e);
      t.type(busy, SocketStateError, 'a request during an open stream is refused, not interleaved');
    }
  }
  t.same(names, ['lo', 'br0', 'veth1', 'veth0']);
});

t.test('link.get(name) asks the kernel directly (6.18, strace of ip link show dev lo)', async (t) => {
  const { h, tr } = handle(selectFrames(loadFixture('route/link/getlink-ifname').frames, { fd: 3, from: 5 }));
  const lo = await h.link.get('lo');
  t.equal(lo.index, 1);
  t.equal(lo.mtu, 65536);
  const [req] = decodeAll(rtnetlink, tr.sent[0]!);
  t.equal(req?.attrs.ifname, 'lo', 'IFLA_IFNAME in the request');
  t.equal(req!.flags & NLM_F_DUMP, 0, 'not a dump');
});

t.test('RTM_NEWLINK answered by an ACK (6.18, strace of ip link add br1 type bridge)', async (t) => {
  const { h, tr } = handle(selectFrames(loadFixture('route/link/newlink-bridge-ack').frames, { fd: 3, from: 3 }));
  const out = await h.socket.request({ type: RTM_NEWLINK, flags: NLM_F_CREATE | NLM_F_EXCL, header: HDR, attrs: { ifname: 'br1', linkinfo: { kind: 'bridge' } } });
  t.same(out, []);
  t.equal(tr.remaining, 0);
});

t.test('NLMSG_ERROR with ext-ACK → NetlinkError naming IFLA_GSO_MAX_SIZE (6.18, ip link set dev lo gso_max_size 1)', async (t) => {
  const { h } = handle(selectFrames(loadFixture('route/link/newlink-error-extack').frames, { fd: 3, from: 5 }));
  const err = await h.socket.request({ type: RTM_NEWLINK, flags: 0, header: { ...HDR, index: 1 }, attrs: { gsoMaxSize: 1 } })
    .then(() => undefined, (e: unknown) => e);
  t.type(err, NetlinkError);
  const e = err as NetlinkError;
  t.equal(e.name, 'NetlinkError');
  t.equal(e.errno, 34);
  t.equal(e.code, 'ERANGE');
  t.equal(e.operation, 'RTM_NEWLINK');
  t.equal(e.extAck.message, 'integer out of range');
  t.equal(e.extAck.offset, 32);
  t.same(e.attrPath, ['IFLA_GSO_MAX_SIZE']);
  t.equal(e.message, 'RTM_NEWLINK: ERANGE: Numerical result out of range (kernel: "integer out of range" at IFLA_GSO_MAX_SIZE)');
});

t.test('bulk: errors and the final ACK matched to message indices by seq', async (t) => {
  const fixtureSend = (seqs: number[]): Frame => ({ dir: 'send', bytes: Buffer.concat(seqs.map((s) => { const b = Buffer.alloc(32); b.writeUInt32LE(32, 0); b.writeUInt16LE(RTM_NEWLINK, 4); b.writeUInt32LE(s, 8); return b; })) });
  const frames: Frame[] = [fixtureSend([100, 101, 102]), { dir: 'recv', bytes: Buffer.concat([errMsg(101, -17), errMsg(102, 0)]) }];
  const sock = NetlinkSocket.open(rtnetlink, { transport: new ReplayTransport(frames) });
  const msgs = ['a', 'b', 'c'].map((n) => ({ type: RTM_NEWLINK, flags: NLM_F_CREATE, header: HDR, attrs: { ifname: n } }));
  const err = await sock.bulk(msgs).then(() => undefined, (e: unknown) => e);
  t.type(err, BulkError);
  const be = err as BulkError;
  t.equal(be.failures.length, 1);
  t.equal(be.failures[0]?.index, 1, 'the second message failed');
  t.equal(be.failures[0]?.code, 'EEXIST');
  t.equal(be.attempted, 3);
  t.match(be.message, /1 of 3 messages failed.*#1: RTM_NEWLINK: EEXIST/);

  const sock2 = NetlinkSocket.open(rtnetlink, { transport: new ReplayTransport([fixtureSend([7, 8, 9]), { dir: 'recv', bytes: Buffer.concat([errMsg(8, -17), errMsg(9, 0)]) }]) });
  const res = await sock2.bulk(msgs, { throwOnError: false });
  t.equal(res.failures[0]?.index, 1, 'throwOnError: false returns the failures');
});

t.test('NLMSG_DONE carrying an error fails the dump', async (t) => {
  const [send] = dumpFrames();
  const done = Buffer.alloc(20);
  done.writeUInt32LE(20, 0); done.writeUInt16LE(3, 4); done.writeUInt16LE(2, 6);
  done.writeUInt32LE(send!.bytes.readUInt32LE(8), 8); done.writeUInt32LE(1, 12); done.writeInt32LE(-22, 16);
  const { h } = handle([send!, { dir: 'recv', bytes: done }]);
  const err = await h.link.list().then(() => undefined, (e: unknown) => e);
  t.type(err, NetlinkError);
  t.equal((err as NetlinkError).code, 'EINVAL');
  t.equal((err as NetlinkError).operation, 'RTM_GETLINK');
});

t.test('no reply → NetlinkTimeoutError; closed socket → SocketStateError', async (t) => {
  const { h } = handle([]);
  await t.rejects(h.link.list(), NetlinkTimeoutError);
  h.close();
  await t.rejects(h.link.list(), SocketStateError);
});

t.test('bad input is refused before anything is sent', async (t) => {
  const { h, tr } = handle([]);
  await t.rejects(h.socket.request({ type: RTM_NEWLINK, flags: 0, header: HDR, attrs: { ifname: 'x'.repeat(16) } }), RangeError);
  await t.rejects(h.socket.request({ type: RTM_NEWLINK, flags: 0, header: HDR, attrs: { mtu: -1 } }), RangeError);
  await t.rejects(h.socket.request({ type: RTM_NEWLINK, flags: 0, header: HDR, attrs: { nosuch: 1 } as never }), TypeError);
  await t.rejects(h.socket.bulk([{ type: RTM_NEWLINK, flags: 0, header: HDR, attrs: { ifname: 'ok' } }, { type: RTM_NEWLINK, flags: 0, header: HDR, attrs: { mtu: 'x' as never } }]), TypeError);
  await t.rejects(h.link.get(0), RangeError);
  t.equal(tr.sent.length, 0, 'no datagram was sent');
});

t.test('breaking out of a stream drains the dump, so the socket stays usable', async (t) => {
  // stream() reads the names first (one whole dump), then streams its own dump.
  const frames = [...dumpFrames(), ...dumpFrames(), ...selectFrames(loadFixture('route/link/getlink-ifname').frames, { fd: 3, from: 5 })];
  const { h, tr } = handle(frames);
  for await (const l of h.link.stream()) {
    t.equal(l.name, 'lo');
    break;
  }
  t.equal(tr.remaining, 2, 'the rest of the dump (to NLMSG_DONE) was read and dropped');
  t.equal((await h.link.get('lo')).index, 1, 'the next request gets its own reply');
});
