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
