// Live: tun/tap devices made like `ip tuntap add` (ioctls on /dev/net/tun, not RTM_NEWLINK),
// in the handle's own namespace or another one, read back through `ip -d -j link`; both backends.
import t from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { NetlinkError, RouteHandle, addNetns, deleteNetns } from '../../src/index.js';
import { tunIfreq } from '../../src/route/link/tuntap.js';
import { checkIfname } from '../../src/route/link/link-request.js';
import { backends, enterFreshNetns, ipJson, netnsInode, openFds } from '../helpers/live.js';

const home = enterFreshNetns();

t.test('the struct ifreq: name, IFF_TAP|IFF_NO_PI|IFF_MULTI_QUEUE; bad specs refused before any syscall', async (t) => {
  const ifr = tunIfreq({ name: 'tp0', mode: 'tap', multiQueue: true }, checkIfname);
  t.equal(ifr.length, 40);
  t.equal(ifr.toString('utf8', 0, 3), 'tp0');
  t.equal(ifr.readUInt16LE(16), 0x0002 | 0x1000 | 0x0100);
  t.equal(tunIfreq({ name: 'tn0', mode: 'tun', pi: true }, checkIfname).readUInt16LE(16), 0x0001, 'pi keeps the header: no IFF_NO_PI');
  t.throws(() => tunIfreq({ name: 'x'.repeat(16), mode: 'tap' }, checkIfname), RangeError);
  t.throws(() => tunIfreq({ name: 'ok', mode: 'tunnel' as never }, checkIfname), RangeError);
  t.throws(() => tunIfreq({ name: 'ok', mode: 'tap', owner: -1 }, checkIfname), RangeError);
});

for (const backend of backends) {
  const libc = loadBackend(backend);
  const b = backend[0]!;
  t.test(`${backend}: addTuntap here and in another namespace, as ip -d sees it; EEXIST; del`, async (t) => {
    const h = RouteHandle.open({ libc });
    t.teardown(() => h.close());
    const fds = openFds();
    const tap = await h.link.addTuntap({ name: `tap${b}`, mode: 'tap', multiQueue: true });
    t.equal(tap.kind, 'tun', 'kind tun (tun and tap share it)');
    t.equal(openFds(), fds, 'no fd left open');
    const seen = ipJson('-d', 'link', 'show', `tap${b}`)[0];
    t.match(seen.linkinfo, { info_kind: 'tun', info_data: { type: 'tap', pi: false, multi_queue: true, persist: true } }, 'ip -d: tap, no pi, multi_queue, persistent');
    t.equal(seen.link_type, 'ether', 'a tap is an Ethernet device');
    const tun = await h.link.addTuntap({ name: `tun${b}`, mode: 'tun', owner: 0 });
    t.match(ipJson('-d', 'link', 'show', `tun${b}`)[0].linkinfo.info_data, { type: 'tun', user: 'root' }, 'tun with an owner');
    t.equal(tun.type, 'none', 'ARPHRD_NONE (ip: link/none): a tun carries IP packets');
    const dup = await h.link.addTuntap({ name: `tap${b}`, mode: 'tap' }).catch((e: unknown) => e);
    t.type(dup, NetlinkError);
    t.equal((dup as NetlinkError).code, 'EEXIST', 'an existing name: EEXIST, not a silent attach');
    await h.link.del(`tap${b}`);
    await h.link.del(`tun${b}`);
    t.same(ipJson('link', 'show').map((l: { ifname: string }) => l.ifname).filter((n: string) => n.endsWith(b) && n.startsWith('t')), [], 'deleted with RTM_DELLINK');

    const ns = `tt${process.pid}${b}`;
    addNetns(ns, { libc });
    t.teardown(() => deleteNetns(ns, { libc }));
    const there = RouteHandle.open({ netns: ns, libc });
    t.teardown(() => there.close());
    await there.link.addTuntap({ name: 'tapx', mode: 'tap' });
    t.same(ipJson('-n', ns, 'link', 'show', 'tapx').map((l: { ifname: string }) => l.ifname), ['tapx'], 'made inside the handle\'s namespace');
    t.notOk(ipJson('link', 'show').some((l: { ifname: string }) => l.ifname === 'tapx'), 'not here');
    t.equal(netnsInode(), home, 'the thread is back home');
  });
}
