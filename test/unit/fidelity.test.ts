// Regression tests for the rtnetlink fidelity defects of issue 13 and the result shapes of
// issue 15: each test fails on the code before the fix.
import t from 'tap';
import type { Libc } from '../../src/ffi/libc.js';
import { errnoMessage } from '../../src/ffi/errors.js';
import { annotateDatagram } from '../../src/netlink/annotate.js';
import { NLMSG_ERROR, NLM_F_ACK, NLM_F_REQUEST } from '../../src/netlink/header.js';
import { decodeAll, encodeMessages } from '../../src/netlink/message.js';
import { detectFormat } from '../../src/cli/capture.js';
import { addrInfoJson, routeJson, ruleJson } from '../../src/cli/live/shape.js';
import { addressOf } from '../../src/route/addr/addr.js';
import { IFF } from '../../src/route/link/ifinfomsg.js';
import { IFLA_VXLAN } from '../../src/route/link/link-kinds/vxlan.js';
import { linkOf } from '../../src/route/link/link.js';
import { NetnsFds, newLinkMessage, setLinkMessage } from '../../src/route/link/link-request.js';
import { RTM_NEWLINK, RTM_NEWROUTE, RTM_NEWRULE, rtnetlink } from '../../src/route/protocol.js';
import { routeOf } from '../../src/route/route/route-decode.js';
import { ruleOf } from '../../src/route/rule/rule.js';
import { tunIfreq } from '../../src/route/link/tuntap.js';
import { checkIfname } from '../../src/route/devname.js';

const ns = new NetnsFds({} as Libc);

t.test('IFLA_VXLAN_TTL_INHERIT: the u8 the kernel sends (0 = no), the flag a request sends', async (t) => {
  const set = IFLA_VXLAN;
  const k = set.spec.IFLA_VXLAN_TTL_INHERIT.kind;
  t.equal(k.read(Buffer.from([0]), 0, 1, []), false, 'u8 0 → false (was: every vxlan read as ttl inherit)');
  t.equal(k.read(Buffer.from([1]), 0, 1, []), true, 'u8 1 → true');
  t.equal(k.read(Buffer.alloc(0), 0, 0, []), true, 'no payload (a request) → true');
  t.equal(k.size(true, []), 0, 'written as a flag');
  t.throws(() => k.size(false as never, []), TypeError);
});

t.test('unknown keys are a TypeError naming the key: link.add, link.set, veth peer, addTuntap', async (t) => {
  t.throws(() => newLinkMessage({ name: 'b0', kind: 'bridge', mtuu: 1400 } as never, {}, ns, 0), { name: 'TypeError', message: /^link\.add\.mtuu: unknown key/ });
  t.throws(() => newLinkMessage({ name: 'v0', kind: 'veth', peer: { name: 'v1', mtuu: 1 } } as never, {}, ns, 0), { message: /^link\.add\.peer\.mtuu: unknown key/ });
  t.throws(() => setLinkMessage('b0', { mtuu: 1400 } as never, undefined, ns), { name: 'TypeError', message: /^link\.set\.mtuu: unknown key/ });
  t.throws(() => tunIfreq({ name: 't0', mode: 'tap', persist: true } as never, checkIfname), { name: 'TypeError', message: /^link\.addTuntap\.persist: unknown key/ });
});

t.test('link.set: promisc / arp / multicast / allmulticast as ifi_flags + ifi_change; kind data as IFLA_LINKINFO', async (t) => {
  const m = setLinkMessage('b0', { promisc: true, arp: false, multicast: false, allmulticast: true }, undefined, ns);
  const h = m.header as { flags: number; change: number };
  t.equal(h.change, IFF.IFF_PROMISC | IFF.IFF_NOARP | IFF.IFF_MULTICAST | IFF.IFF_ALLMULTI);
  t.equal(h.flags, IFF.IFF_PROMISC | IFF.IFF_NOARP | IFF.IFF_ALLMULTI, 'arp off = IFF_NOARP set; multicast off = bit clear');
  const k = setLinkMessage('br0', { kind: 'bridge', data: { stpState: 1 } }, undefined, ns);
  t.same((k.attrs as { linkinfo: unknown }).linkinfo, { kind: 'bridge', data: { stpState: 1 } }, 'ip link set br0 type bridge stp_state 1');
  t.throws(() => setLinkMessage('br0', { data: { stpState: 1 } } as never, undefined, ns), { message: /kind/ });
});

t.test('vxlan external implies learning off, as iproute2 sends it', async (t) => {
  const m = newLinkMessage({ name: 'vx0', kind: 'vxlan', data: { collectMetadata: 1 } }, {}, ns, 0);
  t.match((m.attrs as any).linkinfo.data, { collectMetadata: 1, learning: 0 });
  const kept = newLinkMessage({ name: 'vx0', kind: 'vxlan', data: { collectMetadata: 1, learning: 1 } }, {}, ns, 0);
  t.match((kept.attrs as any).linkinfo.data, { learning: 1 }, 'an explicit learning wins');
});

t.test('strace output without netlink calls, or without -e write/read, is read as strace', async (t) => {
  const plain = 'execve("/usr/bin/ip", ["ip", "link"], 0x7ffd /* 20 vars */) = 0\nsocket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3\n+++ exited with 0 +++\n';
  t.equal(detectFormat(Buffer.from(plain)), 'strace');
  t.equal(detectFormat(Buffer.from('exit_group(0)                           = ?\n+++ exited with 0 +++\n')), 'strace');
  t.equal(detectFormat(Buffer.from('00112233 44556677\n')), 'hex', 'hex stays hex');
});

t.test('the empty FRA_SRC of `ip rule add from all …` decodes (not corrupt)', async (t) => {
  const buf = encodeMessages(rtnetlink, [{ type: RTM_NEWRULE, flags: NLM_F_REQUEST, header: { family: 2, dst_len: 0, src_len: 0, tos: 0, table: 100, res1: 0, res2: 0, action: 1, flags: 0 }, attrs: { src: '', table: 100 } }]).buf;
  t.equal(buf.readUInt16LE(16 + 12), 4, 'FRA_SRC with no payload (nla_len 4)');
  const [m] = decodeAll(rtnetlink, buf);
  t.equal((m!.attrs as { src: string }).src, '');
  const d = annotateDatagram(rtnetlink, buf);
  t.same(d.faults, [], 'no fault');
});

t.test("NLMSG_ERROR: the echoed request is decoded; errno texts are strerror's", async (t) => {
  const req = encodeMessages(rtnetlink, [{ type: RTM_NEWLINK, flags: NLM_F_REQUEST | NLM_F_ACK, header: { family: 0, type: 0, index: 1, flags: 0, change: 0 }, attrs: { mtu: 1 } }]).buf;
  const err = Buffer.alloc(16 + 4 + req.length);
  err.writeUInt32LE(err.length, 0); err.writeUInt16LE(NLMSG_ERROR, 4);
  err.writeInt32LE(-95, 16);
  req.copy(err, 20);
  const d = annotateDatagram(rtnetlink, err);
  const rm = d.messages[0]!.error!.requestMessage!;
  t.equal(rm.name, 'RTM_NEWLINK');
  t.ok(rm.attrs?.some((a) => 'name' in a && a.name === 'IFLA_MTU'), 'its IFLA_MTU decoded');
  t.equal(errnoMessage(95), 'Operation not supported', 'EOPNOTSUPP as strerror words it (ip prints this)');
  t.equal(errnoMessage(11), 'Resource temporarily unavailable');
});

t.test('typed objects: ip words, names beside indexes (issue 15)', async (t) => {
  const names = (i: number): string => (({ 2: 'br0', 3: 'va' } as Record<number, string>)[i] ?? `if${i}`);
  const l = linkOf({ index: 3, type: 1, flags: IFF.IFF_UP | IFF.IFF_BROADCAST | IFF.IFF_MULTICAST }, { ifname: 'va', master: 2, operstate: 6, group: 0 }, names);
  t.match(l, { type: 'ether', operstate: 'UP', master: 'br0', masterIndex: 2, group: 'default', flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP'] });
  const a = addressOf({ family: 10, prefixlen: 64, flags: 0, scope: 0, index: 2 }, { address: 'fd00::1', flags: 0x242 }, names)!;
  t.match(a, { dev: 'br0', devIndex: 2, scope: 'global', flags: ['nodad', 'tentative', 'dynamic', 'noprefixroute'] });
  t.match(addrInfoJson(a), { nodad: true, tentative: true, dynamic: true, noprefixroute: true, scope: 'global' });
});

t.test('Route: via inet6, from, tos, realms, expires, flags as ip -j prints them', async (t) => {
  const names = (i: number): string => (i === 2 ? 'br0' : `if${i}`);
  const hdr = { family: 2, dst_len: 16, src_len: 0, tos: 0x10, table: 254, protocol: 3, scope: 0, type: 1, flags: 4 };
  const buf = encodeMessages(rtnetlink, [{ type: RTM_NEWROUTE, flags: 0, header: hdr, attrs: { table: 254, dst: '10.6.0.0', oif: 2, via: { family: 10, address: 'fe80::1' }, flow: (3 << 16) | 4 } }]).buf;
  const [m] = decodeAll(rtnetlink, buf);
  const r = routeOf(m!.header as never, m!.attrs as never, names)!;
  t.match(r, { dev: 'br0', devIndex: 2, table: 'main', scope: 'global', via: { family: 6, address: 'fe80::1' }, flags: ['onlink'], tos: 16, realms: { from: 3, to: 4 } });
  t.same(routeJson(r, new Map()), { dst: '10.6.0.0/16', tos: '0x10', via: { family: 'inet6', host: 'fe80::1' }, dev: 'br0', flags: ['onlink'], flow: { from: '3', to: '4' } });
  const r6 = routeOf({ ...hdr, family: 10, src_len: 64, tos: 0, flags: 0, dst_len: 64 }, { table: 254, dst: 'fd01::', src: 'fd02::', oif: 2, cacheinfo: { rta_clntref: 0, rta_lastuse: 0, rta_expires: 29950, rta_error: 0, rta_used: 0, rta_id: 0, rta_ts: 0, rta_tsage: 0 } }, names)!;
  t.match(r6, { from: 'fd02::/64', expires: 299 });
  t.match(routeJson(r6, new Map()), { dst: 'fd01::/64', from: 'fd02::/64', expires: 299 });
});

t.test('Rule: every selector in ip -j rule keys', async (t) => {
  const r = ruleOf({ family: 2, dst_len: 0, src_len: 0, tos: 0x10, table: 254, res1: 0, res2: 0, action: 1, flags: 0 }, {
    priority: 101, table: 254, uidRange: { start: 0, end: 0 }, ipProto: 6, sportRange: { start: 1000, end: 2000 }, dportRange: { start: 80, end: 80 },
    suppressPrefixlen: 0, flow: (3 << 16) | 4, protocol: 4,
  } as never)!;
  t.same(ruleJson(r), {
    priority: 101, src: 'all', tos: '0x10', uid_start: 0, uid_end: 0, ipproto: 'tcp', sport_start: 1000, sport_end: 2000, dport: 80,
    table: 'main', suppress_prefixlen: 0, flow_from: '3', flow_to: '4', protocol: 'static',
  });
  const g = ruleOf({ family: 2, dst_len: 0, src_len: 0, tos: 0, table: 0, res1: 0, res2: 0, action: 2, flags: 0 }, { priority: 102, goto: 103, iifname: 'br0' } as never)!;
  t.same(ruleJson(g), { priority: 102, src: 'all', iif: 'br0', goto: 103 }, 'goto prints as goto (was: target)');
});

t.test('decode: nexthop, tc, netconf, address label messages are named, not raw', async (t) => {
  const { RTM_GETNEXTHOP, RTM_NEWNEXTHOP, RTM_NEWQDISC, RTM_NEWNETCONF, RTM_NEWADDRLABEL } = await import('../../src/route/protocol.js');
  const { NLM_F_DUMP } = await import('../../src/netlink/header.js');
  const get = encodeMessages(rtnetlink, [{ type: RTM_GETNEXTHOP, flags: NLM_F_REQUEST | NLM_F_DUMP, header: { family: 0, scope: 0, protocol: 0, resvd: 0, flags: 0 } }]).buf;
  const g = annotateDatagram(rtnetlink, get).messages[0]!;
  t.equal(g.name, 'RTM_GETNEXTHOP');
  t.equal(g.flagText, 'REQUEST|DUMP', 'dump flags named (was: REQUEST|0x300)');
  const msgs = encodeMessages(rtnetlink, [
    { type: RTM_NEWNEXTHOP, flags: 0, header: { family: 2, scope: 0, protocol: 0, resvd: 0, flags: 0 }, attrs: { id: 7, blackhole: true } },
    { type: RTM_NEWQDISC, flags: 0, header: { family: 0, pad1: 0, pad2: 0, ifindex: 3, handle: 0, parent: 0xffffffff, info: 2 }, attrs: { kind: 'noqueue' } },
    { type: RTM_NEWNETCONF, flags: 0, header: { family: 2 }, attrs: { ifindex: 3, forwarding: 1 } },
    { type: RTM_NEWADDRLABEL, flags: 0, header: { family: 10, reserved: 0, prefixlen: 8, flags: 0, index: 0, seq: 0 }, attrs: { address: 'fd00::', label: 99 } },
  ]).buf;
  const d = annotateDatagram(rtnetlink, msgs);
  t.same(d.messages.map((m) => m.name), ['RTM_NEWNEXTHOP', 'RTM_NEWQDISC', 'RTM_NEWNETCONF', 'RTM_NEWADDRLABEL']);
  t.ok(d.messages.every((m) => m.payload === undefined && m.attrs?.length), 'every one decoded into attributes');
  const [nh, qd] = decodeAll(rtnetlink, msgs);
  t.same(nh!.attrs, { id: 7, blackhole: true });
  t.same(qd!.attrs, { kind: 'noqueue' }, 'TCA_KIND');
});
