// Live: AddrApi against iproute2 on the same state, in a private netns, under both FFI backends.
import t, { type Test } from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { BulkError, NetlinkError } from '../../src/netlink/errors.js';
import { type Address, type AddressSpec, AddrApi } from '../../src/route/addr/addr.js';
import { RouteHandle } from '../../src/route/handle.js';
import { ipAddrInfo, withLifetimesNear } from '../helpers/addr-oracle.js';
import { backends, enterFreshNetns, ip, ipJson, netnsInode } from '../helpers/live.js';

const home = enterFreshNetns();

/** The same address made by `ip addr add ARGS` (DEV = the device) and by AddrApi. */
const SAME: ReadonlyArray<readonly [string, (dev: string) => AddressSpec]> = [
  ['192.168.15.1/24 brd + dev DEV', (dev) => ({ dev, address: '192.168.15.1/24', broadcast: '+' })],
  ['192.168.15.2/24 label DEV:sec dev DEV', (dev) => ({ dev, address: '192.168.15.2/24', label: `${dev}:sec` })],
  ['10.9.0.1 peer 10.9.0.2/30 brd + dev DEV', (dev) => ({ dev, address: '10.9.0.1', peer: '10.9.0.2/30', broadcast: '+' })],
  ['172.16.0.1/16 broadcast 172.16.0.255 metric 50 dev DEV scope link noprefixroute valid_lft 3000 preferred_lft 2000',
    (dev) => ({ dev, address: '172.16.0.1/16', broadcast: '172.16.0.255', metric: 50, scope: 'link', noprefixroute: true, validLft: 3000, preferredLft: 2000 })],
  ['169.254.9.9/16 dev DEV scope 100', (dev) => ({ dev, address: '169.254.9.9/16', scope: 100 })],
  ['fd00::1/64 dev DEV nodad', (dev) => ({ dev, address: 'fd00::1/64', nodad: true })],
  ['fd00:1::1/64 dev DEV noprefixroute mngtmpaddr', (dev) => ({ dev, address: 'fd00:1::1/64', noprefixroute: true, mngtmpaddr: true })],
  ['fd00:2::1/64 dev DEV optimistic home valid_lft 5000 preferred_lft 4000',
    (dev) => ({ dev, address: 'fd00:2::1/64', optimistic: true, homeaddress: true, validLft: 5000, preferredLft: 4000 })],
];

const bridge = (t: Test, name: string): string => {
  ip('link', 'add', name, 'type', 'bridge');
  t.teardown(() => { ip('link', 'del', name); });
  return name;
};
const addrInfo = (dev: string, ...opts: string[]): any[] => ipJson(...opts, 'addr', 'show', 'dev', dev)[0]?.addr_info ?? [];
const settle = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

/** Our Address objects, as ip -j would print them, equal ip's `addr_info` (lifetimes within a few seconds). */
function sameAsIp(t: Test, ours: readonly Address[], oracle: readonly any[], what: string): void {
  const mine = ours.map(ipAddrInfo);
  t.same(mine, oracle.map((o, i) => withLifetimesNear(o, mine[i] ?? {})), what);
}

/**
 * Two of our dumps of the same addresses, a moment apart: equal, except that finite remaining
 * lifetimes may have counted down by a second or two in between.
 */
function sameDump(t: Test, later: readonly Address[], first: readonly Address[], what: string): void {
  const near = (a: Address['validLft'], b: Address['validLft']): boolean =>
    a === b || (typeof a === 'number' && typeof b === 'number' && b - a >= 0 && b - a <= 3);
  t.ok(later.every((a, i) => near(a.validLft, first[i]?.validLft) && near(a.preferredLft, first[i]?.preferredLft)), `${what}: lifetimes within 3 s`);
  // IFA_CACHEINFO carries the same countdown (ifa_valid / ifa_prefered).
  const strip = (as: readonly Address[]) => as.map(({ validLft: _v, preferredLft: _p, attrs: { cacheinfo: _c, ...attrs }, ...rest }) => ({ ...rest, attrs }));
  t.same(strip(later), strip(first), what);
}

for (const backend of backends) {
  const b = backend[0]!;
  const open = (t: Test): AddrApi => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    return new AddrApi(h.socket, h.link);
  };

  t.test(`${backend}: addresses made by ip decode field by field like ip -j addr show`, async (t) => {
    const addr = open(t);
    const dev = bridge(t, `ip${b}0`);
    for (const [args] of SAME) ip('addr', 'add', ...args.replaceAll('DEV', dev).split(' '));
    const ours = await addr.list({ dev });
    t.equal(ours.length, SAME.length, 'one Address per ip addr add');
    sameAsIp(t, ours, addrInfo(dev), `list({ dev: '${dev}' }) = ip -j addr show dev ${dev}`);
    sameAsIp(t, await addr.list({ dev, family: 4 }), addrInfo(dev, '-4'), 'family 4 = ip -j -4');
    sameAsIp(t, await addr.list({ dev, family: 6 }), addrInfo(dev, '-6'), 'family 6 = ip -j -6');
    const index = ours[0]!.devIndex;
    sameDump(t, await addr.list({ dev: index }), ours, 'by ifindex, the same');
    const streamed: Address[] = [];
    for await (const a of addr.stream({ dev })) streamed.push(a);
    sameDump(t, streamed, ours, 'stream() yields what list() returns');
    const all = await addr.list();
    // The kernel dumps all IPv4 addresses, then all IPv6 ones; ip groups them per link.
    for (const link of ipJson('addr', 'show')) sameAsIp(t, all.filter((a) => a.devIndex === link.ifindex), link.addr_info, `whole-netns dump, ${link.ifname} = ip -j addr show`);
    const peer = ours.find((a) => a.address === '10.9.0.1')!;
    t.match(peer, { peer: '10.9.0.2', prefixlen: 30, broadcast: '10.9.0.3' }, 'point-to-point: local, peer, broadcast from the peer');
    t.match(ours.find((a) => a.address === '172.16.0.1'), { scope: 'link', metric: 50, label: dev, dev }, 'scope link, metric; the kernel labels with the device name');
  });

  t.test(`${backend}: addresses made by AddrApi read back through ip -j exactly as ip-made ones`, async (t) => {
    const addr = open(t);
    const byIp = bridge(t, `iq${b}0`);
    const byUs = bridge(t, `us${b}0`);
    for (const [args, spec] of SAME) {
      ip('addr', 'add', ...args.replaceAll('DEV', byIp).split(' '));
      await addr.add(spec(byUs));
    }
    const theirs = addrInfo(byIp).map((o) => ({ ...o, ...(o.label ? { label: o.label.replace(byIp, 'DEV') } : {}) }));
    const ours = addrInfo(byUs).map((o) => ({ ...o, ...(o.label ? { label: o.label.replace(byUs, 'DEV') } : {}) }));
    t.equal(ours.length, SAME.length);
    t.same(ours.map((o, i) => withLifetimesNear(o, theirs[i] ?? {})), theirs, 'ip -j addr show: identical addr_info');
    sameAsIp(t, await addr.list({ dev: byUs }), addrInfo(byUs), 'and our own read-back agrees with ip');
  });

  t.test(`${backend}: add refuses an existing address; replace updates or creates`, async (t) => {
    const addr = open(t);
    const dev = bridge(t, `rp${b}0`);
    await addr.add({ dev, address: '10.50.0.1/24' });
    const dup = await settle(addr.add({ dev, address: '10.50.0.1/24' }));
    t.type(dup, NetlinkError);
    t.equal((dup as NetlinkError).code, 'EEXIST');
    t.equal((dup as NetlinkError).extAck.message, 'ipv4: Address already assigned');
    await addr.add({ dev, address: '10.50.0.1/24', metric: 77, validLft: 600, preferredLft: 300 }, { replace: true });
    const [v4] = addrInfo(dev, '-4');
    t.match(v4, { local: '10.50.0.1', prefixlen: 24, metric: 77, dynamic: true }, 'NLM_F_REPLACE: metric and lifetimes changed');
    t.ok(Math.abs(v4.valid_life_time - 600) <= 3 && Math.abs(v4.preferred_life_time - 300) <= 3, 'lifetimes 600/300');
    t.equal(addrInfo(dev, '-4').length, 1, 'still one address');

    await addr.add({ dev, address: 'fd00:50::1/64', nodad: true }, { replace: true });
    t.match(addrInfo(dev, '-6'), [{ local: 'fd00:50::1', nodad: true }], 'replace of a missing address creates it (NLM_F_CREATE)');
    await addr.add({ dev, address: 'fd00:50::1/64', nodad: true, noprefixroute: true }, { replace: true });
    t.match(addrInfo(dev, '-6'), [{ local: 'fd00:50::1', nodad: true, noprefixroute: true }], 'IPv6 flags replaced');
  });

  t.test(`${backend}: del removes; a missing address is EADDRNOTAVAIL; a bare IPv4 address is a /32`, async (t) => {
    const addr = open(t);
    const dev = bridge(t, `dl${b}0`);
    ip('addr', 'add', '192.168.15.1/24', 'dev', dev);
    ip('addr', 'add', 'fd00::1/64', 'dev', dev, 'nodad');
    const bare = await settle(addr.del({ dev, address: '192.168.15.1' }));
    t.equal((bare as NetlinkError).code, 'EADDRNOTAVAIL', 'no wildcard delete (unlike ip): 192.168.15.1/32 does not exist');
    t.equal(addrInfo(dev, '-4').length, 1, 'the /24 is still there');
    await addr.del({ dev, address: '192.168.15.1/24' });
    await addr.del({ dev, address: 'fd00::1/64' });
    t.same(addrInfo(dev), [], 'both gone, as ip sees it');
    const again = await settle(addr.del({ dev, address: '192.168.15.1/24' }));
    t.type(again, NetlinkError);
    t.equal((again as NetlinkError).code, 'EADDRNOTAVAIL');
    t.equal((again as NetlinkError).operation, 'RTM_DELADDR');
  });

  t.test(`${backend}: addMany — 500 addresses in one call, the duplicate reported by index`, async (t) => {
    const addr = open(t);
    const dev = bridge(t, `bk${b}0`);
    // One /24 each: all primaries (deleting a primary would take its subnet's secondaries with it).
    const specs: AddressSpec[] = Array.from({ length: 500 }, (_, i) => ({ dev, address: `10.${100 + Math.floor(i / 250)}.${i % 250}.1/24` }));
    specs[250] = { ...specs[17]! }; // a duplicate in the middle
    const err = await settle(addr.addMany(specs, { stopOnError: false }));
    t.type(err, BulkError);
    const be = err as BulkError;
    t.equal(be.failures.length, 1, 'exactly one failure');
    t.equal(be.failures[0]?.index, 250, 'and it is the duplicate');
    t.equal(be.failures[0]?.code, 'EEXIST');
    t.equal(be.attempted, 500);
    const present = new Set(addrInfo(dev, '-4').map((a) => `${a.local}/${a.prefixlen}`));
    t.equal(present.size, 499, 'ip sees the 499 distinct addresses');
    t.ok(specs.every((s) => present.has(s.address)), 'every one of them');

    // By ifindex (no name to resolve: specs are checked and written in one pass).
    const index = (ipJson('link', 'show', dev)[0] as { ifindex: number }).ifindex;
    const unique = specs.filter((_, i) => i !== 250).map((s) => ({ ...s, dev: index }));
    t.same(await addr.delMany(unique, { ack: 'all' }), { attempted: 499, failures: [] }, 'delMany, an ACK per message');
    t.same(addrInfo(dev), [], 'all gone');

    const stopped = await settle(addr.addMany(specs.map((s) => ({ ...s, dev: index }))));
    t.equal((stopped as BulkError).failures[0]?.index, 250, 'default stopOnError: same failure');
    t.equal((stopped as BulkError).attempted, 256, 'and no chunk after the failing one (256 per sendmsg)');
    t.equal(addrInfo(dev, '-4').length, 255);
  });

  t.test(`${backend}: bad input is refused before any syscall; a missing device is the kernel's ENODEV`, async (t) => {
    const addr = open(t);
    const dev = bridge(t, `bd${b}0`);
    const bad: Array<[AddressSpec, ErrorConstructor, RegExp]> = [
      [{ dev, address: '10.0.0.300/24' }, RangeError, /address: "10\.0\.0\.300" is not/],
      [{ dev, address: '10.0.0.1/40' }, RangeError, /address: prefix length "40"/],
      [{ dev, address: 'fd00::1/64', broadcast: '+' }, RangeError, /broadcast: IPv6 has no broadcast/],
      [{ dev, address: '10.0.0.1/24', label: `${dev}:0123456789a` }, RangeError, /label: "\w+:0123456789a" must be 1\.\.15 bytes without NUL, is 16/],
      [{ dev, address: '10.0.0.1/24', validLft: 10, preferredLft: 20 }, RangeError, /preferredLft: 20 is greater than validLft 10/],
      [{ dev, address: '10.0.0.1/24', nodad: true }, RangeError, /nodad: can be set only for IPv6/],
      [{ dev: 'x'.repeat(16), address: '10.0.0.1/24' }, RangeError, /dev: "x{16}" must be 1\.\.15 bytes/],
    ];
    for (const [spec, cls, msg] of bad) {
      const err = await settle(addr.add(spec));
      t.ok(err instanceof cls, `${JSON.stringify(spec)} → ${cls.name} (${String(err)})`);
      t.match((err as Error | undefined)?.message, msg);
    }
    t.same(addrInfo(dev), [], 'none of them reached the kernel');
    const many = await settle(addr.addMany([...Array.from({ length: 20 }, (_, i) => ({ dev, address: `10.1.0.${i + 1}/24` })), { dev, address: '10.1.0.99/24', scope: 'nope' as never }]));
    t.type(many, RangeError);
    t.match((many as Error).message, /^addr\.addMany\[20\]\.scope: unknown scope "nope"/);
    t.same(addrInfo(dev), [], 'nothing was created — not even the 20 valid ones');

    const nodev = await settle(addr.add({ dev: 'nosuchdev0', address: '10.0.0.1/24' }));
    t.type(nodev, NetlinkError);
    t.equal((nodev as NetlinkError).code, 'ENODEV');
    const byIndex = await settle(addr.add({ dev: 999_999, address: '10.0.0.1/24' }));
    t.equal((byIndex as NetlinkError).code, 'ENODEV', 'an unknown ifindex: RTM_NEWADDR itself is refused');
    t.equal((byIndex as NetlinkError).operation, 'RTM_NEWADDR');
    t.equal(netnsInode(), home, 'still in our own netns');
  });
}
