// writeRouteMessage() (the bulk fast path: routes written straight into a WireWriter) must
// produce exactly the bytes of the table-driven encoder for routeMessage() — which the
// fixtures hold equal to iproute2's requests. Every field and combination a RouteSpec allows
// is covered, each spec both as RTM_NEWROUTE and RTM_DELROUTE, one message alone and all of
// them back to back in one writer (offsets too).
import t from 'tap';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../src/netlink/header.js';
import { encodeMessages } from '../../src/netlink/message.js';
import { rawOf } from '../../src/netlink/wire-writer.js';
import { type WriterCase, checkWriter } from '../helpers/writer.js';
import { u32 } from '../../src/netlink/kinds.js';
import { RTM_DELROUTE, RTM_NEWROUTE, rtnetlink } from '../../src/route/protocol.js';
import { RTA } from '../../src/route/route/route.schema.js';
import { type RouteSpec, checkRouteSpec, routeMessage, writeRouteMessage } from '../../src/route/route/route-spec.js';

const ifindex = (dev: string | number): number => (typeof dev === 'number' ? dev : dev === 'eth0' ? 2 : 7);

const SPECS: RouteSpec[] = [
  { dst: '10.2.0.0/16', via: '10.1.0.2' },
  { dst: '172.16.0.1', via: '10.0.0.2', dev: 4 },
  { dst: 'default', via: '192.168.15.1', dev: 'eth0' },
  { dst: 'default', family: 4, dev: 'eth0' },
  { dst: 'default', family: 6, dev: 'eth0' },
  { dst: 'default', dev: 'eth0' },
  { dst: '10.9.0.0/24', dev: 'br0', src: '10.9.0.1', metric: 100, table: 1000, protocol: 'static', scope: 'link' },
  { dst: '10.9.0.0/24', dev: 'br0', table: 'local' },
  { dst: '10.9.0.0/24', dev: 'br0', table: 255 },
  { dst: '10.9.0.0/24', dev: 'br0', table: 256 },
  { dst: '10.9.0.0/24', dev: 'br0', table: 0 },
  { dst: '10.9.0.0/24', dev: 'br0', table: 0xffffffff, metric: 0 },
  { dst: '10.3.0.0/16', via: '10.1.0.2', onlink: true, dev: 'eth0' },
  { dst: '10.4.0.0/16', type: 'blackhole' },
  { dst: '10.4.0.0/16', type: 'unreachable', metric: 5 },
  { dst: '10.4.0.0/16', type: 'prohibit', table: 99 },
  { dst: '10.5.0.1', type: 'local', dev: 'eth0' },
  { dst: '10.5.0.255', type: 'broadcast', dev: 'eth0' },
  { dst: '10.6.0.0/16', via: '10.1.0.2', mtu: 1400, advmss: 1360, hoplimit: 64, lock: ['mtu'] },
  { dst: '10.6.0.0/16', dev: 'eth0', congctl: 'reno', initcwnd: 10, quickack: 1, fastopenNoCookie: 0 },
  { dst: '10.7.0.0/16', nexthops: [{ via: '10.1.0.2', dev: 'eth0', weight: 3 }, { via: '10.1.0.3', dev: 5, onlink: true }] },
  { dst: '10.7.0.0/16', nexthops: [{ dev: 'eth0' }], metric: 7, table: 300 },
  { dst: 'fd00:2::/64', via: 'fd00:1::2', dev: 'eth0', pref: 'high', metric: 1024 },
  { dst: 'fd00:3::1', dev: 'eth0', src: 'fd00:3::2', pref: 'low', mtu: 1280 },
  { dst: '2001:db8::/32', type: 'unreachable' },
  { dst: '::/0', via: 'fe80::1', dev: 'eth0', protocol: 'ra', scope: 'universe' },
  { dst: 'fd00:7::/48', nexthops: [{ via: 'fd00:1::2', dev: 'eth0' }, { via: 'fd00:1::3', dev: 'br0', weight: 256 }] },
  { dst: '0.0.0.0/0', via: '10.0.0.1', type: 'unicast', protocol: 99, scope: 0 },
  // issue 13 write side: tos, realms, via inet6 (RTA_VIA), IPv6 from, expires.
  { dst: '10.110.0.0/16', via: '10.1.0.254', tos: 0x10, realms: 5, metric: 7, dev: 'eth0' },
  { dst: '10.113.0.0/16', dev: 'br0', realms: { from: 3, to: 4 }, table: 300, scope: 'link' },
  { dst: '10.111.0.0/16', via: { family: 6, address: 'fe80::1' }, dev: 'br0' },
  { dst: '10.125.0.0/16', nexthops: [{ via: '10.1.0.253', dev: 'br0', weight: 3 }, { via: { family: 6, address: 'fe80::2' }, dev: 'eth0', weight: 2 }] },
  { dst: 'fd20::/64', from: 'fd21::/64', dev: 'br0' },
  { dst: 'fd22::/64', dev: 'br0', expires: 600 },
];

t.test('writeRouteMessage writes the bytes the table-driven encoder writes for routeMessage', async (t) => {
  const cases: WriterCase[] = [];
  for (const [i, spec] of SPECS.entries()) {
    const r = checkRouteSpec(spec, 'routes', i);
    for (const [cmd, flags] of [[RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL], [RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE], [RTM_DELROUTE, 0]] as const) {
      cases.push({
        name: `${JSON.stringify(spec)} (type ${cmd}, flags ${flags})`,
        want: encodeMessages(rtnetlink, [routeMessage(cmd, r, ifindex, flags)]).buf,
        write: (w) => writeRouteMessage(w, cmd, r, ifindex, flags),
      });
    }
  }
  checkWriter(t, cases);
});

t.test('rawOf refuses an attribute whose declared kind is not the one its fast writer expects', async (t) => {
  t.equal(rawOf(RTA, 'RTA_OIF', 4), 4);
  t.equal(rawOf(RTA, 'RTA_PREF', 1), 20);
  t.throws(() => rawOf(RTA, 'RTA_OIF', 1), /RTA_OIF: declared as u32/);
  t.throws(() => rawOf(RTA, 'RTA_DST', u32), /RTA_DST: declared as ipaddr/);
  t.throws(() => rawOf(RTA, 'RTA_NOPE', 4), /no attribute RTA_NOPE/);
});

t.test('a bad spec in a bulk check is named with its index, and only then', async (t) => {
  t.throws(() => checkRouteSpec({ dst: '10.0.0.1/8' }, 'routes', 12), { name: 'RangeError', message: /^routes\[12\]\.dst: Invalid prefix/ });
  t.throws(() => checkRouteSpec({ dst: '10.0.0.0/8', via: 'fd00::1' }, 'routes', 3), { message: /^routes\[3\]\.via: "fd00::1" is IPv6 but the route is IPv4/ });
  t.throws(() => checkRouteSpec({ dst: '10.0.0.0/8', bogus: 1 } as never, 'route'), { name: 'TypeError', message: /^route\.bogus: not a route field/ });
});

t.test('WireWriter: a family header of odd size is zero-padded to NLMSG_ALIGN; misuse is an internal error', async (t) => {
  const { WireWriter } = await import('../../src/netlink/wire-writer.js');
  const w = new WireWriter(4);
  const at = w.begin(99, 0x1, 5, 0); // a 5-byte header: 3 bytes of padding
  t.equal(at, 16);
  t.equal(w.off, 24, 'attributes start at NLMSG_ALIGN(16 + 5)');
  w.buf.fill(0xee, at, at + 5);
  w.end();
  const w2 = new WireWriter(4);
  w2.buf.fill(0xaa); // stale bytes where the next message goes
  w2.begin(99, 0x1, 5, 0);
  w2.end();
  const { buf } = w2.finish();
  t.equal(buf.toString('hex'), '18000000' + '6300' + '0100' + '00'.repeat(8) + '00'.repeat(8), 'length 24, type, flags, seq/pid 0, header and padding 0');
  t.throws(() => w.end(), /outside a message/);
  w.begin(1, 0, 4, 0);
  t.throws(() => w.begin(1, 0, 4, 0), /inside a message/);
  t.throws(() => { w.off = 0; }, /outside/);
  t.throws(() => w.finish(), /inside a message/);
});
