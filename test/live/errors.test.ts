// Live: errors say what was being done to which object, in iproute2's words where it has
// them, share one base class (NetlinkTsError) with a `code`, and keep their class and fields.
import { spawnSync } from 'node:child_process';
import t from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { NetlinkError, NetlinkTsError } from '../../src/netlink/errors.js';
import { NetnsNotFoundError } from '../../src/netns/errors.js';
import { RouteHandle } from '../../src/route/handle.js';
import { BIN } from '../helpers/cli.js';
import { backends, enterFreshNetns } from '../helpers/live.js';

enterFreshNetns();

async function caught(p: Promise<unknown> | (() => unknown)): Promise<Error> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

for (const backend of backends) {
  const lib = loadBackend(backend);

  t.test(`${backend}: a missing namespace is named with its path (handle, veth peer)`, async (t) => {
    const e1 = await caught(() => RouteHandle.open({ netns: 'nope', libc: lib }));
    t.type(e1, NetnsNotFoundError);
    t.type(e1, NetlinkTsError);
    t.equal(e1.message, 'network namespace "nope" not found (/run/netns/nope)');
    t.equal((e1 as NetnsNotFoundError).code, 'ENOENT');
    t.equal((e1 as NetnsNotFoundError).netns, '"nope"');
    const h = RouteHandle.open({ libc: lib });
    t.teardown(() => h.close());
    const e2 = await caught(h.link.add({ name: 'vx0', kind: 'veth', peer: { name: 'vx1', netns: 'nope' } }));
    t.type(e2, NetnsNotFoundError);
    t.equal(e2.message, 'network namespace "nope" not found (/run/netns/nope)');
    const e3 = await caught(h.link.add({ name: 'vx0', kind: 'veth', peer: { name: 'vx1', netns: '/tmp/no/such/ns' } }));
    t.equal(e3.message, 'network namespace /tmp/no/such/ns not found (/tmp/no/such/ns)');
  });

  t.test(`${backend}: a missing device is "Cannot find device" (set, del, get, addr, route)`, async (t) => {
    const h = RouteHandle.open({ libc: lib });
    t.teardown(() => h.close());
    for (const [what, p] of [
      ['link.set', h.link.set('nope', { up: true })],
      ['link.del', h.link.del('nope')],
      ['link.get', h.link.get('nope')],
      ['addr.add', h.addr.add({ dev: 'nope', address: '10.9.0.1/24' })],
      ['route.add', h.route.add({ dst: '10.9.0.0/24', dev: 'nope' })],
    ] as const) {
      const e = await caught(p);
      t.type(e, NetlinkError, `${what}: NetlinkError`);
      t.type(e, NetlinkTsError, `${what}: a NetlinkTsError`);
      t.equal((e as NetlinkError).code, 'ENODEV', `${what}: code`);
      t.match(e.message, /^Cannot find device "nope": RTM_\w+: ENODEV: No such device/, `${what}: ${e.message}`);
      t.equal((e as NetlinkError).subject, 'Cannot find device "nope"');
    }
    const byIndex = await caught(h.link.get(9999));
    t.match(byIndex.message, /^Cannot find device with index 9999: /);
  });

  t.test(`${backend}: EEXIST names the object`, async (t) => {
    const h = RouteHandle.open({ libc: lib });
    t.teardown(() => h.close());
    await h.link.add({ name: 'brx', kind: 'bridge', up: true });
    t.teardown(() => h.link.del('brx'));
    const e1 = await caught(h.link.add({ name: 'brx', kind: 'bridge' }));
    t.equal(e1.message, 'cannot add link "brx": RTM_NEWLINK: EEXIST: File exists');
    t.equal((e1 as NetlinkError).code, 'EEXIST');
    await h.addr.add({ dev: 'brx', address: '10.8.0.1/24' });
    const e2 = await caught(h.addr.add({ dev: 'brx', address: '10.8.0.1/24' }));
    t.match(e2.message, /^cannot add address 10\.8\.0\.1\/24 to "brx": RTM_NEWADDR: EEXIST: File exists/);
    await h.route.add({ dst: '10.7.0.0/16', dev: 'brx' });
    const e3 = await caught(h.route.add({ dst: '10.7.0.0/16', dev: 'brx' }));
    t.match(e3.message, /^cannot add route 10\.7\.0\.0\/16: RTM_NEWROUTE: EEXIST: File exists/);
  });
}

t.test('netlink-dump nft without CAP_NET_ADMIN: EPERM with a hint, exit 1', async (t) => {
  // Same uid 0, but an empty capability bounding set: exec gives the process no capabilities.
  const r = spawnSync('setpriv', ['--bounding-set=-all', '--inh-caps=-all', process.execPath, BIN, 'nft'], { encoding: 'utf8' });
  t.equal(r.status, 1, r.stderr);
  t.match(r.stderr, /^netlink-dump: nft: NFT_MSG_GETGEN: EPERM: Operation not permitted — reading the nftables ruleset needs CAP_NET_ADMIN/);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack');
});
