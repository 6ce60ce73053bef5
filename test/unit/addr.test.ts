// AddrApi against iproute2: for each `ip addr add|replace|del` captured with strace
// (fixtures/route/addr/, iproute2 6.1 on 6.18), AddrApi builds the same request byte for
// byte (seq and pid aside) — replayed through the real socket logic — or the fixture's
// `apiExceptions` says how and why it differs, and the difference is exactly that.
import t from 'tap';
import { BulkError, NetlinkError } from '../../src/netlink/errors.js';
import { type Frame, selectFrames } from '../../src/netlink/fixture.js';
import { NLM_F_DUMP, NLM_F_REQUEST } from '../../src/netlink/header.js';
import { fromJson, toJson } from '../../src/netlink/jsonable.js';
import { type Message, decodeAll, describeMessage, reencode, splitMessages } from '../../src/netlink/message.js';
import { ReplayTransport } from '../../src/netlink/replay.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import { type AddressSpec, AddrApi, addrFlagNames, toAddress } from '../../src/route/addr/addr.js';
import { LinkApi } from '../../src/route/link/link.js';
import { RTM_DELADDR, RTM_GETADDR, RTM_GETLINK, RTM_NEWADDR, rtnetlink } from '../../src/route/protocol.js';
import { ipAddrInfo } from '../helpers/addr-oracle.js';
import { loadFixture } from '../helpers/fixtures.js';

type Op = 'add' | 'replace' | 'del';
interface Case { readonly fixture: string; readonly op: Op; readonly spec: AddressSpec }

/** Each captured command, as an AddrApi call. */
const CASES: readonly Case[] = [
  { fixture: 'newaddr-v4', op: 'add', spec: { dev: 'br0', address: '192.168.15.1/24' } },
  { fixture: 'newaddr-v4-brd', op: 'add', spec: { dev: 'br0', address: '192.168.15.1/24', broadcast: '+' } },
  { fixture: 'newaddr-v6-nodad', op: 'add', spec: { dev: 'br0', address: 'fd00::1/64', nodad: true } },
  { fixture: 'deladdr-v4', op: 'del', spec: { dev: 'br0', address: '192.168.15.1/24' } },
  { fixture: 'newaddr-label', op: 'add', spec: { dev: 'br0', address: '192.168.15.1/24', label: 'br0:1' } },
  {
    fixture: 'newaddr-full', op: 'add', spec: {
      dev: 'br0', address: '192.168.16.1/24', broadcast: '192.168.16.254', label: 'br0:full', metric: 100, scope: 'link',
      noprefixroute: true, validLft: 300, preferredLft: 200,
    },
  },
  { fixture: 'newaddr-peer', op: 'add', spec: { dev: 'br0', address: '10.9.0.1', peer: '10.9.0.2/30', broadcast: '+' } },
  { fixture: 'newaddr-v6-replace', op: 'replace', spec: { dev: 'br0', address: 'fd00::2/64', mngtmpaddr: true, noprefixroute: true } },
  { fixture: 'newaddr-lo', op: 'add', spec: { dev: 'lo', address: '127.0.0.2/8' } },
  { fixture: 'newaddr-exists', op: 'add', spec: { dev: 'br0', address: '192.168.15.1/24' } },
  { fixture: 'deladdr-v4-bare', op: 'del', spec: { dev: 'br0', address: '192.168.15.1' } },
];

interface ApiException { frame: number; message: number; why: string; patch: { header?: Record<string, unknown>; attrs?: Record<string, unknown> } }

const api = (tr: ReplayTransport): AddrApi => {
  const sock = NetlinkSocket.open(rtnetlink, { transport: tr });
  return new AddrApi(sock, new LinkApi(sock));
};
const run = (a: AddrApi, op: Op, spec: AddressSpec): Promise<void> =>
  op === 'del' ? a.del(spec) : a.add(spec, { replace: op === 'replace' });
const settle = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

/** Bytes with every message's nlmsg_seq and nlmsg_pid zeroed (the fixture's `volatile`). */
function stable(b: Buffer): Buffer {
  const c = Buffer.from(b);
  for (const [s] of splitMessages(c)) c.fill(0, s + 8, s + 16);
  return c;
}
const show = (b: Buffer): string => decodeAll(rtnetlink, b).map((m) => describeMessage(rtnetlink, m)).join('\n');

/** The request frame of ip's own socket (fd 3) — the one after its name lookup on fd 4. */
const requestFrame = (frames: readonly Frame[]): Frame => selectFrames(frames, { fd: 3 }).find((f) => f.dir === 'send')!;

for (const c of CASES) {
  const fx = loadFixture(`route/addr/${c.fixture}`);
  const label = `${fx.json.provenance.command} (6.18, iproute2 6.1, strace)`;
  const exceptions: ApiException[] = fx.json.apiExceptions ?? [];
  const ipReq = requestFrame(fx.frames);
  const ipIndex = decodeAll(rtnetlink, ipReq.bytes)[0]!.header.index as number;

  t.test(`${c.op} by ifindex: same bytes as ${label}`, async (t) => {
    // strictSend: the transport itself refuses a datagram that differs from ip's.
    const tr = new ReplayTransport(selectFrames(fx.frames, { fd: 3 }), { strictSend: exceptions.length === 0 });
    const err = await settle(run(api(tr), c.op, { ...c.spec, dev: ipIndex }));
    if (fx.json.exitCode === 0) t.equal(err, undefined, 'ACKed');
    t.equal(tr.sent.length, 1, 'one request, no look-up');
    t.equal(tr.remaining, 0, 'the whole exchange replayed');
    if (exceptions.length === 0) t.ok(stable(tr.sent[0]!).equals(stable(ipReq.bytes)), `${ipReq.bytes.length} bytes equal`);
  });

  t.test(`${c.op} by name: look-up, then the same request as ${label}`, async (t) => {
    const tr = new ReplayTransport(fx.frames);
    const err = await settle(run(api(tr), c.op, c.spec));
    const [lookup, ours] = tr.sent;
    const l = decodeAll(rtnetlink, lookup!)[0]!;
    t.equal(l.type, RTM_GETLINK, 'the device name is resolved first (RTM_GETLINK, no dump)');
    t.equal(l.attrs.ifname, c.spec.dev);
    t.equal(l.flags & NLM_F_DUMP, 0);
    t.equal(tr.remaining, 0);
    const m = decodeAll(rtnetlink, ours!)[0]!;
    t.equal(m.type, c.op === 'del' ? RTM_DELADDR : RTM_NEWADDR);
    t.equal(m.header.index, ipIndex, 'ifindex from the look-up');

    if (exceptions.length === 0) {
      if (!stable(ours!).equals(stable(ipReq.bytes))) t.fail('request differs from iproute2', { found: show(ours!), wanted: show(ipReq.bytes) });
      else t.pass(`request equals iproute2's (${ours!.length} bytes)`);
    } else {
      for (const x of exceptions) {
        t.equal(fx.frames[x.frame], ipReq, `the exception is about ip's request frame (${x.frame})`);
        t.not(stable(ours!).toString('hex'), stable(ipReq.bytes).toString('hex'), `differs from ip, as the fixture says: ${x.why}`);
        // Exactly the documented difference: ip's request with `patch` applied is our request.
        const theirs = fromJson(toJson(decodeAll(rtnetlink, ipReq.bytes)[x.message]!)) as Message;
        const patched: Message = { ...theirs, header: { ...theirs.header, ...x.patch.header }, attrs: { ...theirs.attrs, ...x.patch.attrs } };
        const want = reencode(rtnetlink, patched);
        if (!stable(ours!).equals(stable(want))) t.fail('differs from ip by more than the patch', { found: show(ours!), wanted: show(want) });
        else t.pass(`ours = ip's + ${JSON.stringify(x.patch)}`);
      }
    }

    if (fx.json.exitCode === 0) t.equal(err, undefined, 'ACKed');
    else {
      t.type(err, NetlinkError, `ip exited ${fx.json.exitCode}: the same refusal reaches us`);
      const e = err as NetlinkError;
      t.equal(e.code, 'EEXIST');
      t.equal(e.operation, 'RTM_NEWADDR');
      t.equal(e.extAck.message, 'ipv4: Address already assigned', 'ext-ACK text, as ip printed it');
      t.match(fx.json.stderr, e.extAck.message!);
    }
  });
}

t.test('list({ dev, family }) sends the dump request `ip -4 addr show dev br0` sends (6.18, iproute2 6.1)', async (t) => {
  const fx = loadFixture('route/addr/getaddr-dev-v4');
  // ip's frames: look-up on fd 4 (1, 2), its RTM_GETLINK by index for the name on fd 3 (3, 4), then the dump (5–7).
  // Given a name, we know it already: no second look-up.
  const frames = fx.frames.filter((_, i) => i !== 2 && i !== 3);
  const tr = new ReplayTransport(frames, { strictSend: false });
  const got = await api(tr).list({ dev: 'br0', family: 4 });
  t.equal(tr.remaining, 0);
  const dumpReq = fx.frames[4]!;
  t.equal(decodeAll(rtnetlink, dumpReq.bytes)[0]!.type, RTM_GETADDR);
  t.ok(stable(tr.sent[1]!).equals(stable(dumpReq.bytes)), `RTM_GETADDR request equals ip's: ${show(tr.sent[1]!)}`);
  const m = decodeAll(rtnetlink, tr.sent[1]!)[0]!;
  t.equal(m.flags, NLM_F_REQUEST | NLM_F_DUMP);
  t.same(m.header, { family: 2, prefixlen: 0, flags: 0, scope: 0, index: 2 }, 'filtered in the kernel: family and index');
  t.same(got.map(ipAddrInfo), fx.json.oracle[0].addr_info, 'decodes as ip -j -4 addr show dev br0');

  // By index: the name is asked by index, as ip asks (ip's look-up says ifi_family AF_INET for -4; ours AF_UNSPEC).
  const tr2 = new ReplayTransport(selectFrames(fx.frames, { fd: 3 }), { strictSend: false });
  const byIndex = await api(tr2).list({ dev: 2, family: 4 });
  t.same(byIndex, got, 'by ifindex: the same addresses, named');
  t.same(decodeAll(rtnetlink, tr2.sent[0]!)[0]!.header, { ...decodeAll(rtnetlink, fx.frames[2]!.bytes)[0]!.header, family: 0 }, 'RTM_GETLINK by index 2');
  t.ok(stable(tr2.sent[1]!).equals(stable(dumpReq.bytes)), 'then the same dump request');
});

t.test('Address objects from the RTM_NEWADDR dump equal `ip -j addr show`, field by field (6.18, iproute2 6.1)', async (t) => {
  const fx = loadFixture('route/addr/getaddr-dump');
  const msgs = fx.frames.filter((f) => f.dir === 'recv').flatMap((f) => decodeAll(rtnetlink, f.bytes)).filter((m) => m.type === RTM_NEWADDR);
  const addrs = msgs.map((m) => toAddress(m));
  for (const link of fx.json.oracle) {
    const mine = addrs.filter((a) => a?.devIndex === link.ifindex);
    t.same(mine.map((a) => ipAddrInfo(a!)), link.addr_info, `${link.ifname}: ${link.addr_info.length} addresses`);
  }
  const v6 = addrs.find((a) => a?.address === 'fd00::1')!;
  t.same(addrFlagNames(v6.rawFlags), ['NODAD', 'PERMANENT']);
  t.same(v6.flags, ['nodad'], 'flags: ip\'s words (PERMANENT: no `dynamic`)');
  t.equal(v6.validLft, 'forever', '0xffffffff → forever');
  t.equal(v6.peer, undefined, 'IPv6 sends IFA_ADDRESS only: address, no peer');
  const v4 = addrs.find((a) => a?.address === '192.168.15.1')!;
  t.equal(v4.label, 'br0');
  t.equal(v4.attrs.local, '192.168.15.1', 'attrs keep everything decoded');
});

t.test('toAddress: peer, metric, finite lifetimes, IFA_FLAGS over ifa_flags; other families skipped', async (t) => {
  const base = { type: RTM_NEWADDR, flags: 0, seq: 1, pid: 1, name: 'RTM_NEWADDR' };
  const a = toAddress({
    ...base, header: { family: 2, prefixlen: 30, flags: 0x80, scope: 0, index: 3 },
    attrs: { address: '10.9.0.2', local: '10.9.0.1', flags: 0x280, rtPriority: 7, cacheinfo: { ifa_prefered: 20, ifa_valid: 30, cstamp: 1, tstamp: 2 } },
  })!;
  t.match(a, { dev: 'if3', devIndex: 3, family: 4, prefixlen: 30, address: '10.9.0.1', peer: '10.9.0.2', flags: ['noprefixroute'], rawFlags: 0x280, scope: 'global', metric: 7, validLft: 30, preferredLft: 20 });
  t.equal(toAddress({ ...base, header: { family: 35, prefixlen: 0, flags: 0, scope: 0, index: 3 }, attrs: {} }), undefined, 'AF_PHONET');
});

/** NLMSG_ERROR (struct nlmsgerr, capped) answering `seq`. */
function errMsg(seq: number, error: number, reqType: number): Buffer {
  const b = Buffer.alloc(36);
  b.writeUInt32LE(36, 0); b.writeUInt16LE(2, 4); b.writeUInt16LE(0x100, 6); b.writeUInt32LE(seq, 8); b.writeUInt32LE(0x77, 12);
  b.writeInt32LE(error, 16);
  b.writeUInt32LE(32, 20); b.writeUInt16LE(reqType, 24); b.writeUInt32LE(seq, 28);
  return b;
}
/** A send frame of `n` placeholder messages with seqs from `seq0` (maps fixture seqs onto ours). */
function sendFrame(seq0: number, n: number): Frame {
  return { dir: 'send', bytes: Buffer.concat(Array.from({ length: n }, (_, i) => { const b = Buffer.alloc(24); b.writeUInt32LE(24, 0); b.writeUInt32LE(seq0 + i, 8); return b; })) };
}

t.test('addMany: one look-up per distinct device name, one bulk request, failures by index', async (t) => {
  const lookup = loadFixture('route/addr/newaddr-v4').frames.slice(0, 2); // ip's RTM_GETLINK br0 → ifindex 2
  const specs: AddressSpec[] = [
    { dev: 'br0', address: '10.0.0.1/24' }, { dev: 2, address: '10.0.0.2/24' }, { dev: 'br0', address: '10.0.0.1/24' }, { dev: 'br0', address: 'fd00::9/64', nodad: true },
  ];
  const tr = new ReplayTransport([...lookup, sendFrame(100, 4), { dir: 'recv', bytes: Buffer.concat([errMsg(102, -17, RTM_NEWADDR), errMsg(103, 0, RTM_NEWADDR)]) }]);
  const err = await settle(api(tr).addMany(specs));
  t.equal(tr.sent.length, 2, 'one RTM_GETLINK for br0, then one sendmsg');
  const sent = decodeAll(rtnetlink, tr.sent[1]!);
  t.same(sent.map((m) => [m.type, m.header.index, m.attrs.local]), specs.map((s) => [RTM_NEWADDR, 2, s.address.split('/')[0]]));
  t.type(err, BulkError);
  t.equal((err as BulkError).failures[0]?.index, 2, 'the duplicate, by index');
  t.equal((err as BulkError).failures[0]?.code, 'EEXIST');

  const tr2 = new ReplayTransport([sendFrame(7, 2), { dir: 'recv', bytes: errMsg(8, 0, RTM_DELADDR) }]);
  const res = await api(tr2).delMany([{ dev: 2, address: '10.0.0.1/24' }, { dev: 2, address: '10.0.0.2/24' }], { ack: 'last' });
  t.same(res, { attempted: 2, failures: [] });
  t.same(decodeAll(rtnetlink, tr2.sent[0]!).map((m) => m.type), [RTM_DELADDR, RTM_DELADDR]);

  const tr3 = new ReplayTransport([sendFrame(1, 1), { dir: 'recv', bytes: errMsg(1, -19, RTM_GETLINK) }]);
  const nodev = await settle(api(tr3).addMany([{ dev: 2, address: '10.0.0.1/24' }, { dev: 'nope0', address: '10.0.0.2/24' }]));
  t.type(nodev, NetlinkError, 'a missing device: the ENODEV of its look-up');
  t.equal((nodev as NetlinkError).code, 'ENODEV');
  t.equal((nodev as NetlinkError).index, 1, 'naming the spec that asked for it');
  t.equal(tr3.sent.length, 1, 'nothing but the look-up was sent');
});

t.test('bad input: a RangeError/TypeError naming the field, before anything is sent', async (t) => {
  const bad: Array<[Op | 'addMany' | 'list', unknown, ErrorConstructor, RegExp]> = [
    ['add', { dev: 'br0', address: '192.168.15.300/24' }, RangeError, /^addr\.add\.address: "192\.168\.15\.300" is not an IPv4 or IPv6 address$/],
    ['add', { dev: 'br0', address: '192.168.15.1/33' }, RangeError, /^addr\.add\.address: prefix length "33" must be 0\.\.32/],
    ['add', { dev: 'br0' }, TypeError, /^addr\.add\.address: expected a string/],
    ['add', { dev: 'br0', address: 'fd00::1/64', broadcast: '+' }, RangeError, /^addr\.add\.broadcast: IPv6 has no broadcast address$/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', broadcast: 'fd00::ff' }, RangeError, /^addr\.add\.broadcast: "fd00::ff" is not an IPv4 address/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', label: 'br0:0123456789ab' }, RangeError, /^addr\.add\.label: "br0:0123456789ab" must be 1\.\.15 bytes without NUL, is 16$/],
    ['add', { dev: 'br0', address: 'fd00::1/64', label: 'br0:1' }, RangeError, /^addr\.add\.label: labels exist for IPv4 addresses only$/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', validLft: 100, preferredLft: 200 }, RangeError, /^addr\.add\.preferredLft: 200 is greater than validLft 100$/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', validLft: 100 }, RangeError, /^addr\.add\.preferredLft: 'forever' \(the default\) is greater than validLft 100$/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', validLft: 0 }, RangeError, /^addr\.add\.validLft: must not be 0$/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', validLft: -1 }, RangeError, /^addr\.add\.validLft: expected an integer 0\.\.4294967295, got -1$/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', validLft: 'never' }, RangeError, /^addr\.add\.validLft: expected an integer/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', metric: 1.5 }, RangeError, /^addr\.add\.metric: expected an integer/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', scope: 'galaxy' }, RangeError, /^addr\.add\.scope: unknown scope "galaxy"/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', scope: 'toString' }, RangeError, /^addr\.add\.scope: unknown scope "toString"/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', scope: 256 }, RangeError, /^addr\.add\.scope: a scope number is 0\.\.255, got 256$/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', nodad: true }, RangeError, /^addr\.add\.nodad: can be set only for IPv6 addresses$/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', mngtmpaddr: true }, RangeError, /^addr\.add\.mngtmpaddr: can be set only for IPv6 addresses$/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', noprefixroute: 'yes' }, TypeError, /^addr\.add\.noprefixroute: expected a boolean, got string$/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', autojoin: true }, RangeError, /^addr\.add\.autojoin: needs a multicast address, got 10\.0\.0\.1$/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', peer: 'fd00::2' }, RangeError, /^addr\.add\.peer: "fd00::2" is IPv6, the address is IPv4$/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', peer: '10.0.0.2' }, RangeError, /^addr\.add\.address: with a peer the prefix length is the peer's/],
    ['add', { dev: 'br0', address: '10.0.0.1/24', nodda: true }, TypeError, /^addr\.add: unknown option "nodda"$/],
    ['add', { dev: 'a-very-long-name0', address: '10.0.0.1/24' }, RangeError, /^addr\.add\.dev: "a-very-long-name0" must be 1\.\.15 bytes \(IFNAMSIZ\), is 17$/],
    ['add', { dev: 0, address: '10.0.0.1/24' }, RangeError, /^addr\.add\.dev: an ifindex is a positive integer, got 0$/],
    ['add', { address: '10.0.0.1/24' }, TypeError, /^addr\.add\.dev: expected a device name or ifindex, got undefined$/],
    ['replace', null, TypeError, /^addr\.replace: expected an address spec object, got null$/],
    ['del', { dev: 'br0', address: 'x' }, RangeError, /^addr\.del\.address: "x" is not an IPv4 or IPv6 address$/],
    ['addMany', [{ dev: 'br0', address: '10.0.0.1/24' }, { dev: 'br0', address: '10.0.0.2/24' }, { dev: 'br0', address: '10.0.0.3/99' }], RangeError, /^addr\.addMany\[2\]\.address: prefix length "99"/],
    ['list', { family: 5 }, RangeError, /^addr\.list\.family: expected 4 or 6, got 5$/],
    ['list', { dev: '' }, RangeError, /^addr\.list\.dev: "" must be 1\.\.15 bytes/],
  ];
  for (const [op, arg, cls, msg] of bad) {
    const tr = new ReplayTransport([]);
    const a = api(tr);
    const p = op === 'addMany' ? a.addMany(arg as AddressSpec[]) : op === 'list' ? a.list(arg as never) : run(a, op, arg as AddressSpec);
    const err = await settle(p);
    t.ok(err instanceof cls, `${op} ${JSON.stringify(arg)} → ${cls.name} (got ${String(err)})`);
    t.match((err as Error)?.message, msg);
    t.equal(tr.sent.length, 0, 'nothing sent');
  }
});

t.test('defaults that mirror ip: scope host for 127/8 only on add; brd + adds nothing beyond /30; nothing on delete', async (t) => {
  const sent = async (op: Op, spec: AddressSpec): Promise<Message> => {
    const tr = new ReplayTransport([]);
    await settle(run(api(tr), op, spec));
    return decodeAll(rtnetlink, tr.sent[0]!)[0]!;
  };
  t.equal((await sent('add', { dev: 1, address: '127.0.0.2/8' })).header.scope, 254);
  t.equal((await sent('add', { dev: 1, address: '127.0.0.2/8', scope: 'global' })).header.scope, 0, 'explicit scope wins');
  t.equal((await sent('del', { dev: 1, address: '127.0.0.2/8' })).header.scope, 0, 'no default scope on delete');
  t.equal((await sent('add', { dev: 1, address: '10.0.0.1/31', broadcast: '+' })).attrs.broadcast, undefined, '/31: no broadcast');
  t.equal((await sent('add', { dev: 1, address: '10.0.0.1/24', broadcast: '-' })).attrs.broadcast, '10.0.0.0', "brd -: host bits cleared");
  t.equal((await sent('del', { dev: 1, address: '10.0.0.1/24', broadcast: '+' })).attrs.broadcast, undefined, 'brd + ignored on delete');
  const j = await sent('add', { dev: 1, address: '239.1.2.3/32', autojoin: true });
  t.same([j.header.flags, j.attrs.flags], [0, 0x400], 'flags above 8 bits go in IFA_FLAGS, ifa_flags 0');
  const v6 = await sent('add', { dev: 1, address: 'fd00::1/64', nodad: true, optimistic: true, homeaddress: true });
  t.same([v6.header.flags, v6.attrs.flags], [0x16, undefined], 'flags within 8 bits go in ifa_flags only');
  const lft = await sent('add', { dev: 1, address: '10.0.0.1/24', preferredLft: 60 });
  t.same(lft.attrs.cacheinfo, { ifa_prefered: 60, ifa_valid: 0xffffffff, cstamp: 0, tstamp: 0 }, 'valid defaults to forever');
  t.same(Object.keys(lft.attrs), ['local', 'address', 'cacheinfo']);
});
