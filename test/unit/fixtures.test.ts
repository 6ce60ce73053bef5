// Replay of every captured fixture: decode == expected, encode(expected) == bytes, and the
// decode agrees with the capturing tool's own JSON view (`oracle`) where it has one.
import t from 'tap';
import { fromJson, type Json, toJson } from '../../src/netlink/jsonable.js';
import { type Message, decodeAll, describeMessage, reencode, splitMessages } from '../../src/netlink/message.js';
import { protocolFor } from '../../src/protocols.js';
import { allFixtures, loadFixture } from '../helpers/fixtures.js';

const names = allFixtures();
t.ok(names.length >= 6, `the corpus has fixtures (${names.length})`);

for (const name of names) {
  const fx = loadFixture(name);
  const { json } = fx;
  const proto = protocolFor(json.protocol);
  const prov = json.provenance;
  const label = `${name} (${prov.kernel}, ${prov.tool.split(',')[0]}: ${prov.command})`;

  t.test(`fixture provenance: ${name}`, async (t) => {
    for (const k of ['kernel', 'tool', 'command', 'captured', 'date']) t.ok(prov[k], `provenance.${k}`);
    t.ok(Array.isArray(json.expected) && json.expected.length === fx.frames.length, 'expected has one entry per frame');
  });

  t.test(`decode == expected: ${label}`, async (t) => {
    fx.frames.forEach((f, i) => {
      const got = decodeAll(proto, f.bytes).map(toJson);
      const want = json.expected[i].messages as Json[];
      t.same(got, want, `frame ${i} (${f.label})`);
    });
  });

  const exceptions: Array<{ frame: number; message: number; why: string }> = json.roundTripExceptions ?? [];
  t.test(`encode(expected) == bytes: ${label}`, async (t) => {
    fx.frames.forEach((f, i) => {
      const bounds = splitMessages(f.bytes);
      (json.expected[i].messages as Json[]).forEach((mj, k) => {
        const m = fromJson(mj) as Message;
        if (m.error || m.payload || m.type === 3) return; // control messages are not schema-encoded
        const [s, e] = bounds[k]!;
        const bytes = f.bytes.subarray(s, e);
        const out = reencode(proto, m);
        const exc = exceptions.find((x) => x.frame === i && x.message === k);
        if (exc) {
          t.not(out.toString('hex'), bytes.toString('hex'), `frame ${i} message ${k} differs, as the fixture says: ${exc.why}`);
          return;
        }
        if (!out.equals(bytes)) {
          // Show describe() of both sides, not two byte strings.
          t.fail(`frame ${i} message ${k} re-encodes differently`, {
            found: describeMessage(proto, decodeAll(proto, out)[0]!), wanted: describeMessage(proto, m),
          });
        } else t.pass(`frame ${i} message ${k}: ${m.name} round-trips (${bytes.length} bytes)`);
      });
    });
  });
}

// The oracle: what the capturing tool itself printed as JSON for the same state.
const kernelMessages = (name: string, type: number): Message[] =>
  loadFixture(name).frames.filter((f) => f.dir === 'recv').flatMap((f) => decodeAll(protocolFor('NETLINK_ROUTE'), f.bytes)).filter((m) => m.type === type);

t.test('RTM_NEWLINK dump decodes like `ip -j -d link show` (6.18, strace of ip link show)', async (t) => {
  const { json } = loadFixture('route/link/getlink-dump');
  const links = kernelMessages('route/link/getlink-dump', 16);
  t.equal(links.length, json.oracle.length, 'one message per link');
  for (const o of json.oracle) {
    const m = links.find((l) => l.header.index === o.ifindex);
    t.ok(m, `ifindex ${o.ifindex}`);
    if (!m) continue;
    t.equal(m.attrs.ifname, o.ifname, `${o.ifname}: name`);
    t.equal(m.attrs.mtu, o.mtu, `${o.ifname}: mtu`);
    t.equal(m.attrs.address, o.address, `${o.ifname}: address`);
    t.equal(m.attrs.txqlen, o.txqlen, `${o.ifname}: txqlen`);
    t.equal(m.attrs.linkinfo?.kind, o.linkinfo?.info_kind, `${o.ifname}: kind`);
    if (o.master) t.equal(links.find((l) => l.header.index === m.attrs.master)?.attrs.ifname, o.master, `${o.ifname}: master`);
    if (o.linkinfo?.info_slave_kind) t.equal(m.attrs.linkinfo?.slaveKind, o.linkinfo.info_slave_kind, `${o.ifname}: slave kind`);
    if (o.link_index) t.equal(m.attrs.link, o.link_index, `${o.ifname}: peer ifindex`);
  }
});

t.test('RTM_NEWADDR dump decodes like `ip -j addr show` (6.18, strace of ip addr show)', async (t) => {
  const { json } = loadFixture('route/addr/getaddr-dump');
  const addrs = kernelMessages('route/addr/getaddr-dump', 20);
  const want = json.oracle.flatMap((l: any) => l.addr_info.map((a: any) => `${l.ifindex} ${a.local}/${a.prefixlen}`)).sort();
  const got = addrs.map((m) => `${m.header.index} ${m.attrs.local ?? m.attrs.address}/${m.header.prefixlen}`).sort();
  t.same(got, want);
});

t.test('RTM_NEWROUTE dump decodes like `ip -j route show table all` (6.18, strace of ip route show table all)', async (t) => {
  const { json } = loadFixture('route/route/getroute-dump');
  const routes = kernelMessages('route/route/getroute-dump', 24);
  t.equal(routes.length, json.oracle.length, 'one message per route');
  const gw = routes.filter((m) => m.attrs.gateway).map((m) => `${m.attrs.dst}/${m.header.dst_len ?? m.header.dstLen} via ${m.attrs.gateway}`);
  const want = json.oracle.filter((r: any) => r.gateway).map((r: any) => `${r.dst} via ${r.gateway}`);
  t.same(gw, want, 'gatewayed routes');
});

t.test('NLMSG_ERROR with extended ACK decodes (6.18, ip link set dev lo gso_max_size 1)', async (t) => {
  const fx = loadFixture('route/link/newlink-error-extack');
  const err = decodeAll(protocolFor('NETLINK_ROUTE'), fx.frames[5]!.bytes)[0]!.error!;
  t.equal(err.error, -34, 'ERANGE');
  t.equal(err.tlvs.get(1)?.toString().replace(/\0+$/, ''), 'integer out of range');
  t.equal(err.tlvs.get(2)?.readUInt32LE(0), 32);
});
