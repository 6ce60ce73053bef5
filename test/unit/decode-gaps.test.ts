// Regression tests for the decode gaps of issue 13 closed after the first fidelity pass: VF
// attributes (IFLA_VF_MAC, IFLA_VF_BROADCAST, port UUIDs) named instead of raw, tc options by
// kind, nft object data by type, realm and dsfield names from /etc/iproute2. Each fails on the
// code before the fix.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NLM_F_REQUEST } from '../../src/netlink/header.js';
import { decodeAll, describeMessage, encodeMessages, reencode, splitMessages } from '../../src/netlink/message.js';
import { routeJson } from '../../src/cli/live/shape.js';
import { routeOf } from '../../src/route/route/route-decode.js';
import { RTM_NEWLINK, RTM_NEWQDISC, RTM_NEWTCLASS, rtnetlink } from '../../src/route/protocol.js';
import { dsfieldName, nameTable, parseNameTable, realmName } from '../../src/route/iproute2-tables.js';
import { nfnetlink } from '../../src/nft/protocol.js';
import { annotateDatagram } from '../../src/netlink/annotate.js';
import { newObjMessage } from '../../src/nft/object.js';

const linkHeader = { family: 0, type: 1, index: 5, flags: 0, change: 0 };

t.test('IFLA_VF_MAC / IFLA_VF_BROADCAST: the address, not 32 raw bytes; re-encoded byte for byte', async (t) => {
  const vf = (mac: string, broadcast: string) => ({ vfInfo: [{ mac: { vf: 0, mac }, broadcast: { broadcast } }] });
  const buf = encodeMessages(rtnetlink, [{ type: RTM_NEWLINK, flags: NLM_F_REQUEST, header: linkHeader, attrs: { ifname: 'eth0', vfinfoList: vf('02:11:22:33:44:55', 'ff:ff:ff:ff:ff:ff') } as never }]).buf;
  const at = buf.indexOf(Buffer.from([0x02, 0x11, 0x22, 0x33, 0x44, 0x55]));
  t.ok(at > 0, 'the MAC is in the message');
  t.ok(buf.subarray(at + 6, at + 32).equals(Buffer.alloc(26)), 'padded with zeros to 32 bytes, as the kernel writes mac[32]');
  const [m] = decodeAll(rtnetlink, buf);
  const info = (m!.attrs as { vfinfoList: { vfInfo: Array<{ mac: { vf: number; mac: string }; broadcast: { broadcast: string } }> } }).vfinfoList.vfInfo[0]!;
  t.same(info.mac, { vf: 0, mac: '02:11:22:33:44:55' }, 'IFLA_VF_MAC: vf 0, the 6-byte address');
  t.equal(info.broadcast.broadcast, 'ff:ff:ff:ff:ff:ff', 'IFLA_VF_BROADCAST too');
  t.match(describeMessage(rtnetlink, m!), /IFLA_VF_MAC\b.*mac=02:11:22:33:44:55/, 'decode prints the address');
  t.ok(reencode(rtnetlink, m!).equals(buf), 're-encodes byte for byte');
  // An unset VF MAC stays a whole Ethernet address; a 20-byte InfiniBand one keeps its 20.
  const ib = '80:00:00:48:fe:80:00:00:00:00:00:00:00:02:c9:03:00:11:22:33';
  const [z] = decodeAll(rtnetlink, encodeMessages(rtnetlink, [{ type: RTM_NEWLINK, flags: 0, header: linkHeader, attrs: { vfinfoList: vf('00:00:00:00:00:00', ib) } as never }]).buf);
  const zi = (z!.attrs as { vfinfoList: { vfInfo: Array<{ mac: { mac: string }; broadcast: { broadcast: string } }> } }).vfinfoList.vfInfo[0]!;
  t.equal(zi.mac.mac, '00:00:00:00:00:00');
  t.equal(zi.broadcast.broadcast, ib);
});

t.test('IFLA_PORT_INSTANCE_UUID / HOST_UUID: a UUID string', async (t) => {
  const u = '0123abcd-4567-89ab-cdef-0123456789ab';
  const buf = encodeMessages(rtnetlink, [{ type: RTM_NEWLINK, flags: 0, header: linkHeader, attrs: { portSelf: { instanceUuid: u, hostUuid: u } } as never }]).buf;
  t.ok(buf.includes(Buffer.from(u.replace(/-/g, ''), 'hex')), '16 bytes on the wire');
  const [m] = decodeAll(rtnetlink, buf);
  t.match(m!.attrs, { portSelf: { instanceUuid: u, hostUuid: u } });
  t.ok(reencode(rtnetlink, m!).equals(buf));
});

const tcmsg = { family: 0, pad1: 0, pad2: 0, ifindex: 2, handle: 0x10000, parent: 0xffffffff, info: 0 };

t.test('tc: TCA_OPTIONS laid out by TCA_KIND (htb, tbf, fq_codel, pfifo, prio), other kinds raw', async (t) => {
  const rate = (r: number) => ({ cell_log: 0, linklayer: 1, overhead: 0, cell_align: 0, mpu: 0, rate: r });
  const msgs = [
    { type: RTM_NEWQDISC, flags: 0, header: tcmsg, attrs: { kind: 'htb', options: { init: { version: 3, rate2quantum: 10, defcls: 16, debug: 0, direct_pkts: 0 }, directQlen: 1000 } } },
    { type: RTM_NEWTCLASS, flags: 0, header: { ...tcmsg, handle: 0x10010, parent: 0x10000 }, attrs: { kind: 'htb', options: { parms: { rate: rate(125000), ceil: rate(250000), buffer: 200000, cbuffer: 100000, quantum: 12500, level: 0, prio: 0 } } } },
    { type: RTM_NEWQDISC, flags: 0, header: tcmsg, attrs: { kind: 'tbf', options: { parms: { rate: rate(1000), peakrate: rate(0), limit: 3000, buffer: 100, mtu: 1500 }, burst: 1600 } } },
    { type: RTM_NEWQDISC, flags: 0, header: tcmsg, attrs: { kind: 'fq_codel', options: { target: 5000, limit: 10240, interval: 100000, ecn: 1, flows: 1024, quantum: 1514 } } },
    { type: RTM_NEWQDISC, flags: 0, header: tcmsg, attrs: { kind: 'pfifo', options: { limit: 50 } } },
    { type: RTM_NEWQDISC, flags: 0, header: tcmsg, attrs: { kind: 'pfifo_fast', options: { bands: 3, priomap: [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1] } } },
    { type: RTM_NEWQDISC, flags: 0, header: tcmsg, attrs: { kind: 'sfq', options: Buffer.from('0000000001000000', 'hex') } },
  ];
  const buf = encodeMessages(rtnetlink, msgs as never).buf;
  const got = decodeAll(rtnetlink, buf);
  t.equal(got.length, msgs.length);
  msgs.forEach((m, i) => t.same(got[i]!.attrs, m.attrs, `${m.attrs.kind}: options decode to the values sent`));
  const text = got.map((m) => describeMessage(rtnetlink, m)).join('\n');
  t.match(text, /TCA_HTB_INIT\b.*defcls=16/);
  t.match(text, /TCA_HTB_PARMS\b.*rate=\{ cell_log=0 linklayer=1 .*rate=125000 \}/);
  t.match(text, /TCA_TBF_BURST\b.*1600/);
  t.match(text, /TCA_FQ_CODEL_TARGET\b.*5000/);
  t.match(text, /priomap=1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1/);
  const spans = splitMessages(buf);
  got.forEach((m, i) => t.ok(reencode(rtnetlink, m).equals(buf.subarray(...spans[i]!)), `${(m.attrs as { kind: string }).kind}: re-encodes byte for byte`));
});

t.test('nft: NFTA_OBJ_DATA is decoded by NFTA_OBJ_TYPE (counter, quota, ct helper), not raw', async (t) => {
  const buf = encodeMessages(nfnetlink, [
    newObjMessage({ family: 'inet', table: 't', name: 'c1', type: 'counter', data: { bytes: 10n, packets: 5n } } as never),
    newObjMessage({ family: 'inet', table: 't', name: 'q1', type: 'quota', data: { bytes: 100n, flags: 1 } } as never),
    newObjMessage({ family: 'inet', table: 't', name: 'h1', type: 'ct helper', data: { name: 'ftp', l3proto: 1, l4proto: 6 } } as never),
  ]).buf;
  const text = decodeAll(nfnetlink, buf).map((m) => describeMessage(nfnetlink, m)).join('\n');
  t.match(text, /NFTA_COUNTER_BYTES\b.*10/);
  t.match(text, /NFTA_COUNTER_PACKETS\b.*5/);
  t.match(text, /NFTA_QUOTA_BYTES\b.*100/);
  t.match(text, /NFTA_CT_HELPER_NAME\b.*"ftp"/);
});

t.test('rt_realms / rt_dsfield: read as iproute2 reads them, numbers when unnamed', async (t) => {
  const tab = parseNameTable('# comment\n0\tcosmos\n  0x28 AF11 # trailing\n7 seven\n7 later\n300 toobig\nbogus line\n', [[0, 'unknown']]);
  t.same([...tab], [[0, 'cosmos'], [0x28, 'AF11'], [7, 'later']], 'comments, hex, a later line wins, ids past 255 ignored');
  const dir = mkdtempSync(join(tmpdir(), 'nlts-iproute2-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'rt_realms'), '0 cosmos\n3 campus\n');
  writeFileSync(join(dir, 'rt_dsfield'), '0x28 AF11\n0xb8 EF\n');
  t.equal(realmName(3, dir), 'campus');
  t.equal(realmName(4, dir), '4', 'an unnamed realm is its number');
  t.equal(dsfieldName(0xb8, dir), 'EF');
  t.equal(dsfieldName(0x10, dir), '0x10', 'an unnamed DS field is 0x%02x');
  const none = join(dir, 'missing');
  t.equal(realmName(0, none), 'unknown', "no file: iproute2's built-in name for realm 0");
  t.equal(nameTable('rt_dsfield', [], none).size, 0);
});

t.test('route JSON names tos and realms from the installed /etc/iproute2 tables, as ip -j does', async (t) => {
  // ip -j route: `"tos":"AF11"` for tos 0x28 with Debian's rt_dsfield, `"to":"cosmos"` for realm 0.
  t.match(readFileSync('/etc/iproute2/rt_dsfield', 'utf8'), /^0x28\s+AF11/m, 'the installed rt_dsfield names 0x28 AF11');
  t.match(readFileSync('/etc/iproute2/rt_realms', 'utf8'), /^0\s+cosmos/m, 'the installed rt_realms names 0 cosmos');
  const r = routeOf({ family: 2, dst_len: 16, src_len: 0, tos: 0x28, table: 254, protocol: 3, scope: 253, type: 1, flags: 0 }, { dst: '10.5.0.0', oif: 2, flow: (3 << 16) | 0 } as never, () => 'br0')!;
  t.match(routeJson(r, new Map()), { tos: 'AF11', flow: { from: '3', to: 'cosmos' } });
});

t.test('decode: stats, mdb and neighbour-table messages are named, not raw', async (t) => {
  const { RTM_NEWSTATS, RTM_NEWMDB, RTM_NEWNEIGHTBL } = await import('../../src/route/protocol.js');
  const buf = encodeMessages(rtnetlink, [
    { type: RTM_NEWSTATS, flags: 0, header: { family: 0, pad1: 0, pad2: 0, ifindex: 2, filterMask: 1 }, attrs: { link64: Buffer.alloc(8) } },
    { type: RTM_NEWMDB, flags: 0, header: { family: 7, ifindex: 2 }, attrs: { mdb: Buffer.alloc(4) } },
    { type: RTM_NEWNEIGHTBL, flags: 0, header: { family: 2, pad1: 0, pad2: 0 }, attrs: { name: 'arp_cache', thresh1: 128, gcInterval: 30000n } },
  ] as never).buf;
  const d = annotateDatagram(rtnetlink, buf);
  t.same(d.messages.map((m) => m.name), ['RTM_NEWSTATS', 'RTM_NEWMDB', 'RTM_NEWNEIGHTBL']);
  t.ok(d.messages.every((m) => m.payload === undefined && m.attrs?.length), 'each decoded into its header and attributes');
  t.match(decodeAll(rtnetlink, buf)[2]!.attrs, { name: 'arp_cache', thresh1: 128 });
});

t.test('decode: nft flowtables, and NFTA_SET_TYPE / NFTA_SET_COUNT of current kernels, are named', async (t) => {
  const { nftType, NFT_MSG_NEWFLOWTABLE, NFT_MSG_NEWSET } = await import('../../src/nft/constants.js');
  const header = { family: 1, version: 0, resId: 0 };
  const buf = encodeMessages(nfnetlink, [
    { type: nftType(NFT_MSG_NEWFLOWTABLE), flags: 0, header, attrs: { table: 't', name: 'f1', hook: { num: 0, priority: 0, devs: ['lo'] }, use: 0 } },
    { type: nftType(NFT_MSG_NEWSET), flags: 0, header, attrs: { table: 't', name: 's1', keyType: 7, keyLen: 4, backend: 'nft_set_rhash_type', count: 3 } },
  ] as never).buf;
  const [ft, set] = decodeAll(nfnetlink, buf);
  t.match(ft!.attrs, { name: 'f1', hook: { devs: ['lo'] } });
  t.match(set!.attrs, { backend: 'nft_set_rhash_type', count: 3 });
  const text = describeMessage(nfnetlink, set!);
  t.match(text, /NFTA_SET_TYPE: "nft_set_rhash_type"/);
  t.match(text, /NFTA_SET_COUNT: 3/);
  t.match(describeMessage(nfnetlink, ft!), /NFTA_FLOWTABLE_HOOK_DEVS/);
});

t.test('decode: RTA_VIA, RTA_FLOW / FRA_FLOW (realms) and IFLA_INET_CONF / IFLA_INET6_CONF are decoded values', async (t) => {
  const { RTM_NEWROUTE, RTM_NEWRULE } = await import('../../src/route/protocol.js');
  const buf = encodeMessages(rtnetlink, [
    { type: RTM_NEWROUTE, flags: 0, header: { family: 2, dst_len: 16, src_len: 0, tos: 0, table: 254, protocol: 3, scope: 0, type: 1, flags: 0 }, attrs: { dst: '10.6.0.0', via: { family: 10, address: 'fe80::1' }, flow: (3 << 16) | 4 } },
    { type: RTM_NEWRULE, flags: 0, header: { family: 2, dst_len: 0, src_len: 0, tos: 0, table: 100, res1: 0, res2: 0, action: 1, flags: 0 }, attrs: { priority: 5, flow: 9 } },
    { type: RTM_NEWLINK, flags: 0, header: linkHeader, attrs: { afSpec: { inet: { conf: [1, 0, 1] }, inet6: { conf: [0, 64, -1] } } } },
  ] as never).buf;
  const [route, rule, link] = decodeAll(rtnetlink, buf).map((m) => describeMessage(rtnetlink, m));
  t.match(route, /RTA_VIA: INET6 fe80::1/, 'RTA_VIA: family and address');
  t.match(route, /RTA_FLOW: realms 3\/4/, 'RTA_FLOW as ip words realms');
  t.match(rule, /FRA_FLOW: realm 9/);
  t.match(link, /IFLA_INET_CONF: \[1 0 1\]/, 'IFLA_INET_CONF: the devconf values');
  t.match(link, /IFLA_INET6_CONF: \[0 64 -1\]/, 'IFLA_INET6_CONF: signed, as the kernel writes them');
});

t.test('text views: a via inet6 route, routes differing only in tos, conditional rules', async (t) => {
  const { routeText, ruleText } = await import('../../src/cli/live/shape.js');
  const { ruleOf } = await import('../../src/route/rule/rule.js');
  const names = () => 'br0';
  const hdr = { family: 2, dst_len: 16, src_len: 0, tos: 0, table: 254, protocol: 3, scope: 0, type: 1, flags: 0 };
  const via6 = routeOf(hdr, { dst: '10.6.0.0', oif: 2, via: { family: 10, address: 'fe80::1' } } as never, names)!;
  t.match(routeText(via6, new Map()), /^10\.6\.0\.0\/16 via inet6 fe80::1 dev br0/, 'shows its gateway (was: looked connected)');
  const a = routeText(routeOf(hdr, { dst: '10.6.0.0', oif: 2 } as never, names)!, new Map());
  const b = routeText(routeOf({ ...hdr, tos: 0x10 }, { dst: '10.6.0.0', oif: 2 } as never, names)!, new Map());
  t.not(a, b, 'two routes differing only in tos print differently');
  t.match(b, / tos 0x10 /);
  const rule = ruleOf({ family: 2, dst_len: 0, src_len: 0, tos: 0x10, table: 100, res1: 0, res2: 0, action: 1, flags: 0 }, {
    priority: 7, table: 100, uidRange: { start: 0, end: 0 }, ipProto: 17, dportRange: { start: 53, end: 53 }, fwmark: 5,
  } as never)!;
  t.equal(ruleText(rule), '7: from all tos 0x10 fwmark 0x5 uidrange 0-0 ipproto udp dport 53 lookup 100', 'every selector shown (was: looked unconditional)');
});
