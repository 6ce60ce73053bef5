/**
 * The main job: the classic namespace lab, built with netlink-ts alone — no `ip`, `nft`,
 * `sysctl`, `unshare` or `nsenter` — then proved with real traffic.
 *
 *   "host" (this netns) ── bridge v-net-0 192.168.15.5/24 ──┬── red   192.168.15.1/24 (netns)
 *                                                         └── blue  192.168.15.2/24 (netns)
 *   "host" 10.0.0.1/24 ── veth ── outside 10.0.0.2/24 (netns: stands in for the Internet)
 *
 * red and blue route by default via 192.168.15.5; the host forwards (net.ipv4.ip_forward=1)
 * and masquerades 192.168.15.0/24 leaving through anything but v-net-0 (one nftables batch).
 * A TCP server in `outside` reports the source address it sees: red's connection arrives from
 * 10.0.0.1 (masqueraded); red → blue stays on the bridge and keeps its own address.
 *
 * It changes network state, so it runs only inside the sandbox: `npm run demo` does that.
 */
import { execFileSync } from 'node:child_process';
import { NftHandle, RouteHandle, netns, sysctl } from 'netlink-ts';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') {
  console.error('lab changes network state: run it in the sandbox (npm run demo)');
  process.exit(2);
}

const SERVER = `
const srv = require('node:net').createServer((s) => s.end(s.remoteAddress.replace(/^::ffff:/, '')));
srv.listen(Number(process.argv[1]), () => console.log('ready'));
process.stdin.on('end', () => srv.close()).resume();`;
const CLIENT = `
const s = require('node:net').connect(Number(process.argv[2]), process.argv[1]);
let got = ''; s.setTimeout(2000);
s.on('data', (d) => { got += d; }).on('end', () => console.log(got));
s.on('error', (e) => console.log('error ' + e.code)).on('timeout', () => { console.log('timeout'); process.exit(); });`;

const t0 = process.hrtime.bigint();
const host = RouteHandle.open();
const nft = NftHandle.open();
const spaces = [{ ns: 'red', addr: '192.168.15.1/24' }, { ns: 'blue', addr: '192.168.15.2/24' }];

// The switch and the namespaces.
await host.link.add({ name: 'v-net-0', kind: 'bridge', up: true });
await host.addr.add({ dev: 'v-net-0', address: '192.168.15.5/24' });
for (const { ns } of [...spaces, { ns: 'outside' }]) netns.add(ns);

// Cables: each veth's far end is born inside its namespace (no move), the near end on the bridge.
await host.link.addMany(spaces.map(({ ns }) => ({
  name: `veth-${ns}-br`, kind: 'veth' as const, up: true, master: 'v-net-0', peer: { name: `veth-${ns}`, netns: ns, up: true },
})));
await host.link.add({ name: 'veth-out', kind: 'veth', up: true, peer: { name: 'eth0', netns: 'outside', up: true } });
await host.addr.add({ dev: 'veth-out', address: '10.0.0.1/24' });

// Inside each namespace: lo up, an address, a default route.
for (const { ns, addr } of spaces) {
  const h = RouteHandle.open({ netns: ns });
  await h.link.set('lo', { up: true });
  await h.addr.add({ dev: `veth-${ns}`, address: addr });
  await h.route.add({ dst: 'default', via: '192.168.15.5' });
  h.close();
}
const out = RouteHandle.open({ netns: 'outside' });
await out.link.set('lo', { up: true });
await out.addr.add({ dev: 'eth0', address: '10.0.0.2/24' });
out.close();

// Forwarding and NAT on the host: sysctl + one atomic nftables batch (idempotent).
sysctl.set('net.ipv4.ip_forward', 1);
const nat = await nft.nat.masquerade({ source: '192.168.15.0/24', notOutputInterface: 'v-net-0' });
const built = Number(process.hrtime.bigint() - t0) / 1e6;

// Traffic: who does each server see?
const serve = async (ns: string, port: number) => {
  const p = netns.spawn(ns, process.execPath, ['-e', SERVER, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise((r) => p.stdout!.once('data', r));
  return p;
};
const seen = async (from: string, addr: string, port: number) =>
  (await netns.run(from, process.execPath, ['-e', CLIENT, addr, String(port)])).stdout.trim();
const srvOut = await serve('outside', 8080);
const srvBlue = await serve('blue', 8081);

console.log(`lab built in ${built.toFixed(1)} ms: bridge, 3 namespaces, 3 veth pairs, addresses, routes, ip_forward, NAT`);
console.log(`nft: ${nat.created ? 'created' : 'already had'} rule handle ${nat.rule.handle}`);
console.log(`red  → outside 10.0.0.2:8080   server sees ${await seen('red', '10.0.0.2', 8080)}   (masqueraded to the host's 10.0.0.1)`);
console.log(`blue → outside 10.0.0.2:8080   server sees ${await seen('blue', '10.0.0.2', 8080)}`);
console.log(`red  → blue 192.168.15.2:8081  server sees ${await seen('red', '192.168.15.2', 8081)}   (same bridge: not rewritten)`);
for (const p of [srvOut, srvBlue]) p.stdin!.end();

// What is connected to what — the netlink-dump CLI's summary of every named namespace.
console.log('\n$ netlink-dump netns');
process.stdout.write(execFileSync(process.execPath, [new URL('../src/cli/netlink-dump.js', import.meta.url).pathname, 'netns'], { encoding: 'utf8' }));

nft.close();
host.close();
