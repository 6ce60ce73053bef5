// Live: the parts of the plugin the side-by-side tests do not reach — macspoofchk (a frame with
// another source MAC is dropped on the bridge), IPAM delegated to a plugin binary in CNI_PATH
// (the reference `static`), STATUS (code 50 when the range is full) and GC (reservations and
// rules of attachments not in cni.dev/valid-attachments go). Our plugin runs as a process.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { backends, enterFreshNetns } from '../helpers/live.js';
import { cniPath, dataDir, echoServer, netnsAdd, netnsDel, probe, runPlugin } from '../helpers/cni.js';
import { NftHandle } from '../../src/nft/handle.js';
import { loadBackend } from '../../src/ffi/libc.js';

enterFreshNetns();
const PATH = cniPath();
const P = `x${process.pid % 100000}`;

for (const backend of backends) {
  const b = backend === 'koffi' ? 'k' : 'f';
  t.test(`${backend}: macspoofchk drops frames from another MAC; GC and STATUS`, async (t) => {
    const H = `${P}h${b}`, c1 = `${P}a${b}`, c2 = `${P}b${b}`;
    for (const n of [H, c1, c2]) netnsAdd(n);
    const dir = dataDir();
    const conf = { cniVersion: '1.1.0', name: 'sp', type: 'netlink-ts-cni', bridge: 'cni-sp', isGateway: true, ipMasq: true, macspoofchk: true,
      ipam: { type: 'host-local', subnet: '10.33.0.0/29', dataDir: dir } };
    const inv = (c: string, command: 'ADD' | 'DEL' | 'GC' | 'STATUS' | 'CHECK') => ({ command, containerId: `id-${c}`, netns: `/run/netns/${c}`, ifname: 'eth0', path: PATH, inNetns: H, backend });
    const r1 = runPlugin('netlink-ts-cni', conf, inv(c1, 'ADD'));
    const r2 = runPlugin('netlink-ts-cni', conf, inv(c2, 'ADD'));
    t.equal(r1.code + r2.code, 0, `two ADDs ${r1.stdout}${r2.stdout}`);
    t.ok(r1.json?.interfaces?.every((i: { mtu?: number }) => typeof i.mtu === 'number'), '1.1.0 results carry interface mtu');
    const srv = await echoServer(c2, 80);
    t.teardown(() => { srv.kill(); for (const n of [H, c1, c2]) netnsDel(n); });
    const ip2 = r2.json.ips[0].address.split('/')[0];
    const ip1 = r1.json.ips[0].address.split('/')[0];
    t.equal(probe(c1, ip2, 80), ip1, 'c1 reaches c2 with its own MAC');
    execFileSync('ip', ['-n', c1, 'link', 'set', 'eth0', 'address', '02:00:00:00:00:99']);
    // Both neighbour caches flushed: without the rule, ARP would teach c2 the new MAC and this would connect.
    for (const n of [c1, c2]) execFileSync('ip', ['-n', n, 'neigh', 'flush', 'all']);
    t.match(probe(c1, ip2, 80), /^error/, 'with a changed MAC its frames are dropped by the bridge rule');
    execFileSync('ip', ['-n', c1, 'link', 'set', 'eth0', 'address', r1.json.interfaces[2].mac]);
    for (const n of [c1, c2]) execFileSync('ip', ['-n', n, 'neigh', 'flush', 'all']);
    t.equal(probe(c1, ip2, 80), ip1, 'its own MAC again: through');

    // The /29 holds .2–.6: three more fill it; STATUS then says 50.
    const extra = ['e1', 'e2', 'e3'].map((x) => `${P}${x}${b}`);
    for (const n of extra) netnsAdd(n);
    t.teardown(() => { for (const n of extra) netnsDel(n); });
    t.equal(runPlugin('netlink-ts-cni', conf, { command: 'STATUS', path: PATH, inNetns: H, backend }).code, 0, 'STATUS ok while addresses are free');
    for (const n of extra) t.equal(runPlugin('netlink-ts-cni', conf, inv(n, 'ADD')).code, 0, `ADD ${n}`);
    const full = runPlugin('netlink-ts-cni', conf, { command: 'STATUS', path: PATH, inNetns: H, backend });
    t.match(full.json, { code: 50, cniVersion: '1.1.0' }, 'STATUS: code 50 when the range is exhausted');

    // GC keeping only c2: the other four lose their reservations and rules (masq + spoofchk).
    const gc = runPlugin('netlink-ts-cni', { ...conf, 'cni.dev/valid-attachments': [{ containerID: `id-${c2}`, ifname: 'eth0' }] }, { command: 'GC', path: PATH, inNetns: H, backend });
    t.equal(gc.code, 0, `GC ok ${gc.stdout}`);
    t.same(readdirSync(join(dir, 'sp')).filter((f) => f.startsWith('10.')), [ip2], 'only c2 keeps its address');
    const nft = NftHandle.open({ netns: `/run/netns/${H}`, libc: loadBackend(backend) });
    t.teardown(() => nft.close());
    const ours = nft.listSync().rules.filter((r) => r.table === 'netlink_ts_cni').map((r) => r.comment);
    t.same(ours.sort(), [`netlink-ts-cni masq net=sp id=id-${c2} if=eth0`, `netlink-ts-cni spoofchk net=sp id=id-${c2} if=eth0`].sort(), 'only c2 keeps its rules');
    t.equal(runPlugin('netlink-ts-cni', { ...conf, prevResult: r2.json }, inv(c2, 'CHECK')).code, 0, 'c2 still passes CHECK');
  });
}

t.test('IPAM delegated to a plugin in CNI_PATH (reference static): its result is used, DEL passed on', async (t) => {
  const H = `${P}hs`, c = `${P}cs`;
  for (const n of [H, c]) netnsAdd(n);
  t.teardown(() => { for (const n of [H, c]) netnsDel(n); });
  const conf = { cniVersion: '1.0.0', name: 'st', type: 'netlink-ts-cni', bridge: 'cni-st', isGateway: true,
    ipam: { type: 'static', addresses: [{ address: '10.34.0.7/24', gateway: '10.34.0.1' }], routes: [{ dst: '0.0.0.0/0' }] } };
  const r = runPlugin('netlink-ts-cni', conf, { command: 'ADD', containerId: 'st1', netns: `/run/netns/${c}`, ifname: 'eth0', path: PATH, inNetns: H });
  t.equal(r.code, 0, `ADD ok ${r.stdout}`);
  t.match(r.json?.ips, [{ interface: 2, address: '10.34.0.7/24', gateway: '10.34.0.1' }], 'the static address');
  t.match(execFileSync('ip', ['-n', c, '-br', 'addr', 'show', 'eth0'], { encoding: 'utf8' }), /10\.34\.0\.7\/24/, 'on eth0');
  const bad = runPlugin('netlink-ts-cni', { ...conf, ipam: { type: 'static', addresses: [{ address: 'nonsense' }] } }, { command: 'ADD', containerId: 'st2', netns: `/run/netns/${c}`, ifname: 'eth1', path: PATH, inNetns: H });
  t.equal(bad.code, 1, 'a failing delegate fails the ADD');
  t.ok(typeof bad.json?.code === 'number' && typeof bad.json?.msg === 'string', `with an error JSON ${bad.stdout}`);
  t.notOk(execFileSync('ip', ['-n', c, '-br', 'link'], { encoding: 'utf8' }).includes('eth1'), 'and leaves no interface behind');
  t.equal(runPlugin('netlink-ts-cni', conf, { command: 'DEL', containerId: 'st1', netns: `/run/netns/${c}`, ifname: 'eth0', path: PATH, inNetns: H }).code, 0, 'DEL ok');
});

t.test('IPv6: masquerade towards the outside and a port mapping from it (ip6 table)', async (t) => {
  const H = `${P}h6`, O = `${P}o6`, c = `${P}c6`;
  for (const n of [H, O, c]) netnsAdd(n);
  const servers: Array<{ kill(): unknown }> = [];
  t.teardown(() => { for (const s of servers) s.kill(); for (const n of [H, O, c]) netnsDel(n); });
  execFileSync('ip', ['-n', H, 'link', 'add', 'up0', 'type', 'veth', 'peer', 'name', 'down0', 'netns', O]);
  execFileSync('ip', ['-n', H, 'addr', 'add', '2001:db8:9::1/64', 'dev', 'up0', 'nodad']);
  execFileSync('ip', ['-n', H, 'link', 'set', 'up0', 'up']);
  execFileSync('ip', ['-n', O, 'addr', 'add', '2001:db8:9::2/64', 'dev', 'down0', 'nodad']);
  execFileSync('ip', ['-n', O, 'link', 'set', 'down0', 'up']);
  const base = { cniVersion: '1.0.0', name: 'v6' };
  const br = { ...base, type: 'netlink-ts-cni', bridge: 'cni-v6', isGateway: true, isDefaultGateway: true, ipMasq: true, ipam: { type: 'host-local', ranges: [[{ subnet: 'fd66::/64' }]], dataDir: dataDir() } };
  const inv = (command: 'ADD' | 'DEL') => ({ command, containerId: 'v6c', netns: `/run/netns/${c}`, ifname: 'eth0', path: PATH, inNetns: H });
  const r = runPlugin('netlink-ts-cni', br, inv('ADD'));
  t.equal(r.code, 0, `ADD ok ${r.stdout}`);
  t.match(r.json?.routes, [{ dst: '::/0', gw: 'fd66::1' }], 'isDefaultGateway: ::/0 via the bridge');
  const pm = { ...base, type: 'netlink-ts-portmap', runtimeConfig: { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }] }, prevResult: r.json };
  const p = runPlugin('netlink-ts-portmap', pm, inv('ADD'));
  t.equal(p.code, 0, `portmap ADD ok ${p.stdout}`);
  t.same(p.json, r.json, 'portmap passes prevResult on unchanged');
  servers.push(await echoServer(O, 82), await echoServer(c, 80));
  // The bridge's IPv6 address is tentative (DAD, as with the reference) for about a second.
  let seen = '';
  for (let i = 0; i < 10 && !/^2001/.test(seen); i++) { seen = probe(c, '2001:db8:9::2', 82); if (!/^2001/.test(seen)) await new Promise((ok) => setTimeout(ok, 500)); }
  t.equal(seen, '2001:db8:9::1', 'outside sees the host address (ip6 masquerade)');
  t.equal(probe(O, '2001:db8:9::1', 8080), '2001:db8:9::2', 'host port 8080 reaches the container, source kept');
  t.equal(runPlugin('netlink-ts-portmap', pm, inv('DEL')).code, 0, 'portmap DEL');
  t.equal(runPlugin('netlink-ts-cni', br, inv('DEL')).code, 0, 'bridge DEL');
  const nft = NftHandle.open({ netns: `/run/netns/${H}` });
  t.teardown(() => nft.close());
  t.equal(nft.listSync().rules.filter((x) => x.table === 'netlink_ts_cni').length, 0, 'no rule left');
});
