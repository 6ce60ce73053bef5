// Live: the netlink-ts-cni bridge plugin side by side with the reference bridge + host-local
// (containernetworking-plugins 1.1.1 in /usr/lib/cni): same config, fresh namespaces each —
// the state after ADD and after DEL, the result JSON and the host-local files must match.
// Our plugin runs as a process (dist/bundle) under each FFI backend (NETLINK_TS_FFI).
import t from 'tap';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { backends, enterFreshNetns } from '../helpers/live.js';
import { cniPath, dataDir, netnsAdd, netnsDel, runPlugin, snapshot, vethName } from '../helpers/cni.js';

enterFreshNetns();
const PATH = cniPath();
const P = `b${process.pid % 100000}`;

const baseConf = (type: string, dir: string) => ({
  cniVersion: '1.0.0', name: 'sbs', type, bridge: 'cni-sbs', isGateway: true, ipMasq: true, hairpinMode: true, mtu: 1400,
  ipam: { type: 'host-local', ranges: [[{ subnet: '10.77.0.0/24' }], [{ subnet: 'fd77::/64' }]], routes: [{ dst: '0.0.0.0/0' }, { dst: '::/0' }], dataDir: dir },
});

function hostState(ns: string) {
  const v = vethName(ns);
  const s = snapshot(ns, ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding', 'net.ipv6.conf.cni-sbs.accept_ra', ...(v ? [`net.ipv6.conf.${v}.accept_ra`] : [])]);
  const sys = s['sys'] as Record<string, string>;
  if (v) { sys['net.ipv6.conf.VETH.accept_ra'] = sys[`net.ipv6.conf.${v}.accept_ra`]!; delete sys[`net.ipv6.conf.${v}.accept_ra`]; }
  return s;
}
const contState = (ns: string) => snapshot(ns, ['net.ipv6.conf.eth0.accept_dad', 'net.ipv4.conf.eth0.arp_notify', 'net.ipv6.conf.eth0.disable_ipv6', 'net.ipv6.conf.lo.disable_ipv6']);

/** The result with MACs, random veth names and the netns path made comparable. */
function shape(r: any, netns: string): any {
  return JSON.parse(JSON.stringify(r, (k, v) => (k === 'mac' ? (/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(v) ? 'MAC' : v)
    : k === 'sandbox' ? (v === netns ? 'NETNS' : v) : k === 'name' && /^veth[0-9a-f]{8}$/.test(v) ? 'VETH' : v)));
}

const files = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort().map((f) => [f, f === 'lock' ? '' : readFileSync(join(dir, f), 'utf8')]) : []);

for (const backend of backends) {
  t.test(`${backend}: ADD/DEL side by side with reference bridge + host-local (IPv4 + IPv6, gateway, masq, hairpin, mtu)`, async (t) => {
    const [hR, hO, cR, cO] = ['hr', 'ho', 'cr', 'co'].map((x) => `${P}${x}${backend === 'koffi' ? 'k' : 'f'}`) as [string, string, string, string];
    for (const n of [hR, hO, cR, cO]) netnsAdd(n);
    t.teardown(() => { for (const n of [hR, hO, cR, cO]) netnsDel(n); });
    const dR = dataDir(), dO = dataDir();
    const id = `ctr-${backend}`;
    const ref = runPlugin('bridge', baseConf('bridge', dR), { command: 'ADD', containerId: id, netns: `/run/netns/${cR}`, ifname: 'eth0', path: PATH, inNetns: hR });
    t.equal(ref.code, 0, `reference ADD ok ${ref.stdout}${ref.stderr}`);
    const ours = runPlugin('netlink-ts-cni', baseConf('netlink-ts-cni', dO), { command: 'ADD', containerId: id, netns: `/run/netns/${cO}`, ifname: 'eth0', path: PATH, inNetns: hO, backend });
    t.equal(ours.code, 0, `our ADD ok ${ours.stdout}${ours.stderr}`);
    t.same(shape(ours.json, `/run/netns/${cO}`), shape(ref.json, `/run/netns/${cR}`), 'result JSON: same shape and values (MACs and veth names aside)');
    t.same(hostState(hO), hostState(hR), 'host namespace: links, bridge/port settings (hairpin), addresses, routes, sysctls');
    t.same(contState(cO), contState(cR), 'container namespace: eth0, addresses, routes, sysctls');
    t.same(files(join(dO, 'sbs')), files(join(dR, 'sbs')), 'host-local files: same names and contents');

    // CHECK against the ADD result passes; with a wrong address it fails with a CNI error.
    const check = runPlugin('netlink-ts-cni', { ...baseConf('netlink-ts-cni', dO), prevResult: ours.json }, { command: 'CHECK', containerId: id, netns: `/run/netns/${cO}`, ifname: 'eth0', path: PATH, inNetns: hO, backend });
    t.equal(check.code, 0, `CHECK ok ${check.stdout}`);
    const wrong = JSON.parse(JSON.stringify(ours.json));
    wrong.ips[0].address = '10.77.0.99/24';
    const bad = runPlugin('netlink-ts-cni', { ...baseConf('netlink-ts-cni', dO), prevResult: wrong }, { command: 'CHECK', containerId: id, netns: `/run/netns/${cO}`, ifname: 'eth0', path: PATH, inNetns: hO, backend });
    t.equal(bad.code, 1, 'CHECK with a wrong prevResult address fails');
    t.match(bad.json, { cniVersion: '1.0.0', code: 103, msg: /10\.77\.0\.99/ }, 'as an error JSON naming the address');

    const delR = runPlugin('bridge', baseConf('bridge', dR), { command: 'DEL', containerId: id, netns: `/run/netns/${cR}`, ifname: 'eth0', path: PATH, inNetns: hR });
    const delO = runPlugin('netlink-ts-cni', baseConf('netlink-ts-cni', dO), { command: 'DEL', containerId: id, netns: `/run/netns/${cO}`, ifname: 'eth0', path: PATH, inNetns: hO, backend });
    t.equal(delR.code, 0, 'reference DEL ok');
    t.equal(delO.code, 0, `our DEL ok ${delO.stdout}`);
    t.equal(delO.stdout, '', 'DEL prints nothing');
    // Operational state (carrier of the emptied bridge) reaches ip through linkwatch, up to ~1 s late.
    for (let i = 0; i < 50 && JSON.stringify(hostState(hO)) !== JSON.stringify(hostState(hR)); i++) await new Promise((r) => setTimeout(r, 100));
    t.same(hostState(hO), hostState(hR), 'host namespace after DEL: same');
    t.same(contState(cO), contState(cR), 'container namespace after DEL: same');
    t.same(files(join(dO, 'sbs')), files(join(dR, 'sbs')), 'host-local files after DEL: same (addresses released)');

    // DEL is idempotent: again, and with the namespace gone.
    const again = runPlugin('netlink-ts-cni', baseConf('netlink-ts-cni', dO), { command: 'DEL', containerId: id, netns: `/run/netns/${cO}`, ifname: 'eth0', path: PATH, inNetns: hO, backend });
    t.equal(again.code, 0, `second DEL ok ${again.stdout}`);
    netnsDel(cO);
    const gone = runPlugin('netlink-ts-cni', baseConf('netlink-ts-cni', dO), { command: 'DEL', containerId: id, netns: `/run/netns/${cO}`, ifname: 'eth0', path: PATH, inNetns: hO, backend });
    t.equal(gone.code, 0, `DEL with the netns gone ok ${gone.stdout}`);
    const none = runPlugin('netlink-ts-cni', baseConf('netlink-ts-cni', dO), { command: 'DEL', containerId: id, ifname: 'eth0', path: PATH, inNetns: hO, backend });
    t.equal(none.code, 0, `DEL without CNI_NETNS ok ${none.stdout}`);
  });
}
