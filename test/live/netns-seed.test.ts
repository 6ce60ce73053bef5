// Live: the seed lab "001 part 1" rebuilt with PIDs — two namespaces owned by unshared children
// with their own hostnames, a veth whose ends are created directly inside each (by pid),
// addresses, lo up in one and down in the other — and real TCP traffic between Node children
// spawned inside them showing what works and what the down lo breaks. Both FFI backends.
import t from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { RouteHandle, netns, runInNetns, spawnInNetns } from '../../src/index.js';
import { backends, enterFreshNetns, netnsInode } from '../helpers/live.js';

const home = enterFreshNetns();

const SERVER = `
const net = require('node:net'), os = require('node:os');
const srv = net.createServer((s) => s.end('hello from ' + os.hostname()));
srv.listen(Number(process.argv[1]), '0.0.0.0', () => console.log('listening'));
process.stdin.on('end', () => srv.close()).resume();`;
const CLIENT = `
const net = require('node:net');
const s = net.connect(Number(process.argv[2]), process.argv[1]);
s.setTimeout(6000); // inactivity: a loaded machine may stall a working connection; the blocked cases wait it out
let got = '';
s.on('data', (d) => { got += d; });
s.on('end', () => { console.log('ok ' + got); process.exit(0); });
s.on('error', (e) => { console.log('error ' + e.code); process.exit(0); });
s.on('timeout', () => { console.log('timeout'); process.exit(0); });`;

for (const backend of backends) {
  const libc = loadBackend(backend);
  t.test(`${backend}: seed 001 part 1 with PIDs — veth ends created in place, TCP across, the down lo's effect`, async (t) => {
    const ns1 = netns.unshare({ hostname: 'ns1', libc });
    const ns2 = netns.unshare({ hostname: 'ns2', libc });
    t.teardown(async () => { await ns1.stop(); await ns2.stop(); });
    t.equal(netnsInode(), home, 'the main thread stays home');
    t.not(netnsInode(`/proc/${ns1.pid}/ns/net`), netnsInode(`/proc/${ns2.pid}/ns/net`), 'two distinct namespaces');

    // ip link add veth11 netns $pid1 type veth peer name veth22 netns $pid2 — from here.
    const h = RouteHandle.open({ libc });
    t.teardown(() => h.close());
    await h.link.add({ name: 'veth11', kind: 'veth', netns: ns1.ref, peer: { name: 'veth22', netns: ns2.ref } });
    t.same((await h.link.list()).map((l) => l.name), ['lo'], 'nothing was created here');

    const h1 = RouteHandle.open({ netns: ns1.ref, libc });
    const h2 = RouteHandle.open({ netns: ns2.ref, libc });
    t.teardown(() => { h1.close(); h2.close(); });
    await h1.addr.add({ dev: 'veth11', address: '192.168.15.1/24' });
    await h1.link.set('veth11', { up: true });
    await h1.link.set('lo', { up: true });
    await h2.addr.add({ dev: 'veth22', address: '192.168.15.2/24' });
    await h2.link.set('veth22', { up: true }); // lo stays down in ns2, as in the seed
    t.same((await h1.link.list()).map((l) => l.name).sort(), ['lo', 'veth11'], 'ns1 has lo + veth11');
    t.same((await h2.link.list()).map((l) => l.name).sort(), ['lo', 'veth22'], 'ns2 has lo + veth22');
    const peer = await h1.link.get('veth11');
    t.equal(peer.attrs.link, (await h2.link.get('veth22')).index, 'veth11\'s peer index is veth22\'s');

    const host = async (ref: { pid: number }): Promise<string> => (await runInNetns(ref, 'hostname', [], { uts: true, libc })).stdout.trim();
    t.equal(await host(ns1.ref), 'ns1', 'nsenter -t PID1 -u hostname → ns1');
    t.equal(await host(ns2.ref), 'ns2', 'nsenter -t PID2 -u hostname → ns2');

    const listen = async (ref: { pid: number }, port: number) => {
      const srv = spawnInNetns(ref, process.execPath, ['-e', SERVER, String(port)], { uts: true, libc, stdio: ['pipe', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        srv.stdout!.once('data', () => resolve());
        srv.once('exit', (c) => reject(new Error(`server exited ${c}`)));
      });
      return srv;
    };
    const connect = async (ref: { pid: number }, addr: string, port: number): Promise<string> =>
      (await runInNetns(ref, process.execPath, ['-e', CLIENT, addr, String(port)], { libc })).stdout.trim();

    const s2 = await listen(ns2.ref, 8080);
    const s1 = await listen(ns1.ref, 8081);
    t.teardown(() => { s1.stdin!.end(); s2.stdin!.end(); s1.kill(); s2.kill(); });

    t.equal(await connect(ns1.ref, '192.168.15.2', 8080), 'ok hello from ns2', 'ns1 → ns2 over the veth works (lo down in ns2 does not matter for it)');
    t.equal(await connect(ns2.ref, '192.168.15.1', 8081), 'ok hello from ns1', 'ns2 → ns1 over the veth works');
    t.equal(await connect(ns1.ref, '192.168.15.1', 8081), 'ok hello from ns1', 'ns1 → its own address works: lo is up');
    t.equal(await connect(ns1.ref, '127.0.0.1', 8081), 'ok hello from ns1', 'ns1 → 127.0.0.1 works');
    const own2 = await connect(ns2.ref, '192.168.15.2', 8080);
    t.not(own2, 'ok hello from ns2', `ns2 → its own address fails with lo down (${own2})`);
    const lo2 = await connect(ns2.ref, '127.0.0.1', 8080);
    t.not(lo2, 'ok hello from ns2', `ns2 → 127.0.0.1 fails with lo down (${lo2})`);
    t.comment(`with lo down in ns2: own address → ${own2}; 127.0.0.1 → ${lo2}`);
    await h2.link.set('lo', { up: true });
    t.equal(await connect(ns2.ref, '192.168.15.2', 8080), 'ok hello from ns2', 'bring lo up in ns2: its own address works again');
    t.equal(netnsInode(), home, 'and the main thread never left home');
  });
}
