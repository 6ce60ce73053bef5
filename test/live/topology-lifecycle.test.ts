// Live: the topology layer's life cycle beyond the happy path — drift made by hand (address
// changed, link deleted, nft table flushed, sysctl and lo changed) shows in plan and apply
// repairs it (then packets flow again); ownership (destroy leaves foreign objects and other
// labs alone; a foreign object in the way is a conflict and nothing is done); a crashed apply
// cleaned up from the lab's name alone (keepers outlive their apply); node processes bound to
// the lab; a kernel refusal mid-apply rolled back with the kernel's reason; a two-"host"
// VXLAN overlay, each host's part applied by its own process, carrying TCP. Both FFI backends.
import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { setBackend } from '../../src/ffi/libc.js';
import { runInNetns, spawnInNetns } from '../../src/netns/run.js';
import {
  LabApplyError, apply, destroy, findLabProcs, loadLab, plan, planLines, planJson, status, validateLab,
} from '../../src/topology/index.js';
import { backends, enterFreshNetns } from '../helpers/live.js';

enterFreshNetns();

const labs = new URL('../../examples/labs/', import.meta.url).pathname;
// Child processes load the build (test/run.sh builds dist/ first).
const topology = new URL('../../dist/src/topology/index.js', import.meta.url).href;
const sh = (cmd: string): string => execFileSync('sh', ['-c', cmd], { encoding: 'utf8' });
const lines = async (m: ReturnType<typeof loadLab>): Promise<string[]> => planLines(await plan(m)).slice(0, -1);

const SERVER = `
const net = require('node:net');
const srv = net.createServer((s) => s.end(s.remoteAddress.replace(/^::ffff:/, '')));
srv.listen(Number(process.argv[1]), '0.0.0.0', () => console.log('ready'));
process.stdin.on('end', () => srv.close()).resume();`;
const CLIENT = `
const s = require('node:net').connect(Number(process.argv[2]), process.argv[1]);
let got = ''; s.setTimeout(3000);
s.on('data', (d) => { got += d; }).on('end', () => console.log(got));
s.on('error', (e) => console.log('error ' + e.code)).on('timeout', () => { console.log('timeout'); process.exit(); });`;

/** TCP from `from` to addr:port with a server in `to`: the address the server saw. */
async function seen(from: string, to: string, addr: string, port: number): Promise<string> {
  const srv = spawnInNetns(to, process.execPath, ['-e', SERVER, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    await new Promise((r) => srv.stdout!.once('data', r));
    return (await runInNetns(from, process.execPath, ['-e', CLIENT, addr, String(port)])).stdout.trim();
  } finally {
    srv.stdin!.end();
    await new Promise((r) => srv.once('exit', r));
  }
}

const netnsIno = (path: string): number => statSync(path).ino;

for (const backend of backends) {
  t.test(`${backend}: drift by hand shows in plan, apply repairs it, packets flow again (lab1)`, async (t) => {
    setBackend(backend);
    const m = loadLab(`${labs}/lab1.yaml`);
    t.teardown(async () => { await destroy('lab1'); sh('echo 0 > /proc/sys/net/ipv4/ip_forward'); });
    await apply(m);
    t.same(await lines(m), []);
    sh('ip -n A addr del 10.0.0.2/24 dev eth0 && ip -n A addr add 10.0.0.99/24 dev eth0');
    sh('ip link del veth-b');
    sh('nft flush table ip netlink_lab_lab1');
    sh('echo 0 > /proc/sys/net/ipv4/ip_forward');
    sh('ip -n C link set lo down');
    t.same(await lines(m), [
      '~ lo C/lo: down → up  (nodes.C.lo)',
      '+ veth host/veth-b: veth ↔ B/eth0, master bridge_0  (links[1])',
      '- address A/eth0 10.0.0.99/24: not in the lab  (links[0].b.addresses)',
      '+ address A/eth0 10.0.0.2/24  (links[0].b.addresses)',
      '+ address B/eth0 10.0.0.3/24  (links[1].b.addresses)',
      // The kernel flushed A's default route with the address its gateway was reached by.
      '+ route A route default via 10.0.0.1  (routes[0])',
      '+ route B route default via 10.0.0.1  (routes[1])',
      '~ sysctl host net.ipv4.ip_forward: 0 → 1  (nodes.host.sysctls)',
      '~ nft host nft ip netlink_lab_lab1: postrouting: 1 rule (drifted)  (nat)',
    ], 'each drift is one line');
    const json = planJson(await plan(m));
    t.equal(json.summary, 'lab lab1: 5 to add, 3 to change, 1 to destroy');
    t.notOk('data' in json.changes[0]!, 'JSON without internals');
    await apply(m);
    t.same(await lines(m), [], 'repaired: nothing to do');
    t.equal(await seen('A', 'outside', '192.168.100.2', 8080), '192.168.100.1', 'A → outside masqueraded again');
    t.equal(await seen('B', 'A', '10.0.0.2', 8081), '10.0.0.3', 'B (recreated cable) → A on the bridge');
    const st = await status(m);
    t.ok(st.up, 'status: up, no drift');
    t.same(st.nodes.map((n) => `${n.name} ${n.where} ${n.present}`), ['host host true', 'A netns A true', 'B netns B true', 'C netns C true', 'outside netns outside true']);
  });

  t.test(`${backend}: ownership — destroy removes only the lab's objects; a foreign object in the way is a conflict`, async (t) => {
    setBackend(backend);
    sh('ip netns add foreign && ip link add keep0 type veth peer name keep1 && nft add table ip keepme');
    t.teardown(async () => {
      await destroy('lab1'); await destroy('lab2-veth');
      sh('ip netns del foreign; ip link del keep0; nft delete table ip keepme; ip link del bridge_0 2>/dev/null; echo 0 > /proc/sys/net/ipv4/ip_forward; true');
    });
    const l1 = loadLab(`${labs}/lab1.yaml`), l2 = loadLab(`${labs}/lab2-veth.yaml`);
    await apply(l1);
    await apply(l2);
    const gone = await destroy('lab1');
    t.same([...gone.namespaces].sort(), ['A', 'B', 'C', 'outside']);
    t.same([...gone.links].sort(), ['bridge_0', 'veth-a', 'veth-b', 'veth-c', 'veth-out']);
    t.ok(gone.nftTable);
    t.same(readdirSync('/run/netns').sort(), ['blue', 'foreign', 'red'], 'the other lab\'s and the foreign namespace stay');
    t.match(sh('ip -o link show'), /keep0@keep1/, 'foreign veth stays');
    t.match(sh('nft list tables'), /table ip keepme/, 'foreign nft table stays');
    t.same(await lines(l2), [], 'lab2-veth untouched');
    t.same((await destroy('lab1')).namespaces, [], 'destroy again: nothing left');

    sh('ip link add bridge_0 type bridge');
    const p = await plan(l1);
    t.same(p.conflicts, ['bridges[0]: host/bridge_0 exists and is not this lab\'s (alias "")']);
    const before = readdirSync('/run/netns').sort();
    const err = await apply(l1).then(() => undefined, (e: unknown) => e);
    t.ok(err instanceof LabApplyError && err.step === -1, 'apply refuses');
    t.match((err as Error).message, 'bridges[0]: host/bridge_0 exists and is not this lab\'s');
    t.same(readdirSync('/run/netns').sort(), before, 'nothing created');
    await destroy('lab1');
    t.match(sh('ip -o link show bridge_0'), /bridge_0/, 'destroy leaves the foreign bridge_0');
  });

  t.test(`${backend}: a crashed apply (lab3, keepers) is found and destroyed from the lab name alone`, async (t) => {
    setBackend(backend);
    const child = spawnSync(process.execPath, ['--input-type=module', '-e',
      `const T = await import(${JSON.stringify(topology)}); await T.apply(T.loadLab(${JSON.stringify(`${labs}/lab3.yaml`)})); process.kill(process.pid, 'SIGKILL');`,
    ], { encoding: 'utf8', env: { ...process.env, NETLINK_TS_FFI: backend } });
    t.equal(child.stderr, '', 'no errors');
    t.equal(child.signal, 'SIGKILL', 'the applying process died without cleaning up');
    t.teardown(() => destroy('lab3'));
    const keepers = findLabProcs('lab3');
    t.same(keepers.map((k) => `${k.node}${k.proc ? `/${k.proc}` : ''}`).sort(), ['ns1', 'ns2'], 'its keepers outlived it');
    const m = loadLab(`${labs}/lab3.yaml`);
    t.same(await lines(m), [], 'a fresh process sees the lab up (namespaces by keeper pid)');
    const k1 = keepers.find((k) => k.node === 'ns1')!;
    t.equal((await runInNetns({ pid: k1.pid }, 'hostname', [], { uts: true })).stdout.trim(), 'ns1', 'hostname ns1');
    const gone = await destroy('lab3');
    t.same([...gone.processes].sort(), keepers.map((k) => k.pid).sort(), 'destroy ended the keepers');
    t.same(findLabProcs('lab3'), []);
    t.same((await plan(m)).changes.filter((c) => c.kind === 'node').map((c) => c.object), ['ns1', 'ns2'], 'the lab is gone');
  });

  t.test(`${backend}: node processes start after apply, are restarted when gone, and die with destroy`, async (t) => {
    setBackend(backend);
    const m = validateLab({
      name: 'procs',
      nodes: {
        a: { kind: 'netns', processes: [{ name: 'srv', cmd: [process.execPath, '-e', SERVER.replace("process.stdin.on('end', () => srv.close()).resume();", ''), '7070'] }] },
        u: { kind: 'unshared', hostname: 'uu', processes: [{ name: 'sleeper', cmd: ['sleep', '600'] }] },
      },
      links: [{ kind: 'veth', a: { node: 'a', ifname: 'e0', addresses: ['10.7.0.1/24'] }, b: { node: 'u', ifname: 'e0', addresses: ['10.7.0.2/24'] } }],
    });
    t.teardown(() => destroy('procs'));
    await apply(m);
    const procs = findLabProcs('procs').filter((p) => p.proc !== undefined);
    t.same(procs.map((p) => `${p.node}/${p.proc}`).sort(), ['a/srv', 'u/sleeper']);
    const srv = procs.find((p) => p.proc === 'srv')!, sleeper = procs.find((p) => p.proc === 'sleeper')!;
    t.equal(netnsIno(`/proc/${srv.pid}/ns/net`), netnsIno('/run/netns/a'), 'srv runs inside a');
    const keeper = findLabProcs('procs').find((p) => p.proc === undefined)!;
    t.equal(netnsIno(`/proc/${sleeper.pid}/ns/net`), netnsIno(`/proc/${keeper.pid}/ns/net`), 'sleeper runs inside u');
    t.equal(statSync(`/proc/${sleeper.pid}/ns/uts`).ino, statSync(`/proc/${keeper.pid}/ns/uts`).ino, 'and in its UTS namespace');
    t.same(await lines(m), []);
    process.kill(sleeper.pid, 'SIGKILL');
    const want = ['+ process u/sleeper: sleep 600  (nodes.u.processes[0])'];
    // The kill is asynchronous: poll the plan (up to 20 s on a loaded machine) instead of a fixed sleep.
    let got = await lines(m);
    for (const end = Date.now() + 20_000; JSON.stringify(got) !== JSON.stringify(want) && Date.now() < end; got = await lines(m)) await new Promise((r) => setTimeout(r, 100));
    t.same(got, want, 'a dead process shows in plan');
    await apply(m);
    t.equal(findLabProcs('procs').filter((p) => p.proc === 'sleeper').length, 1, 'restarted');
    const gone = await destroy('procs');
    t.equal(gone.processes.length, 3, 'two processes and a keeper');
    t.same(findLabProcs('procs'), []);
    // Gone = no such process, or a zombie waiting for its parent to reap it (the kill is done).
    const alive = (pid: number): boolean => {
      try { process.kill(pid, 0); } catch { return false; }
      try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
    };
    for (const end = Date.now() + 20_000; alive(srv.pid) && Date.now() < end;) await new Promise((r) => setTimeout(r, 100));
    t.notOk(alive(srv.pid), 'srv is gone');
  });

  t.test(`${backend}: the kernel refusing a step mid-apply: rolled back, error names step, object and reason`, async (t) => {
    setBackend(backend);
    const spec = {
      name: 'bad',
      nodes: { host: { kind: 'host' }, x: { kind: 'netns' } },
      bridges: [{ name: 'br-bad', node: 'host', addresses: ['10.8.0.1/24'] }],
      links: [
        { kind: 'veth', a: { node: 'host', ifname: 'vx0', master: 'br-bad' }, b: { node: 'x', ifname: 'eth0', addresses: ['10.8.0.2/24'] } },
        { kind: 'veth', a: { node: 'host', ifname: 'vx1' }, b: { node: 'x', ifname: 'eth1', mac: '01:00:5e:00:00:01' } },
      ],
    };
    const before = sh('ip -j -d link show; ip -j addr show; ls /run/netns; nft list ruleset');
    const err = await apply(validateLab(spec)).then(() => undefined, (e: unknown) => e);
    t.ok(err instanceof LabApplyError, 'LabApplyError');
    const e = err as LabApplyError;
    t.match(e.message, /step \d+ \(\+ veth host \(2\)\) failed on host\/vx1 \(links\[1\]\): EADDRNOTAVAIL/, e.message);
    t.equal(e.object, 'host/vx1');
    t.equal((e.cause as { code?: string }).code, 'EADDRNOTAVAIL', 'the kernel\'s reason is the cause');
    t.same(e.rollbackErrors, []);
    t.equal(sh('ip -j -d link show; ip -j addr show; ls /run/netns; nft list ruleset'), before, 'state as before: bridge, namespace and the first veth undone');

    const sys = validateLab({ name: 'bad2', nodes: { y: { kind: 'netns', sysctls: { 'net.ipv4.conf.nope.forwarding': 1 } } } });
    const e2 = await apply(sys).then(() => undefined, (x: unknown) => x) as LabApplyError;
    t.match(e2.message, /failed on y net\.ipv4\.conf\.nope\.forwarding \(nodes\.y\.sysctls\): sysctl: unknown key/);
    t.same(readdirSync('/run/netns').includes('y'), false, 'namespace y rolled back');
  });

  t.test(`${backend}: two hosts joined by a VXLAN overlay, each host's part applied by its own process, TCP across`, async (t) => {
    setBackend(backend);
    // Two "machines": namespaces h1, h2 with an underlay veth between them.
    sh('ip netns add h1 && ip netns add h2 && ip link add u1 netns h1 type veth peer name u2 netns h2 && ' +
      'ip -n h1 addr add 172.31.0.1/24 dev u1 && ip -n h2 addr add 172.31.0.2/24 dev u2 && ' +
      'ip -n h1 link set u1 up && ip -n h2 link set u2 up && ip -n h1 link set lo up && ip -n h2 link set lo up');
    t.teardown(() => { sh('ip netns del h1; ip netns del h2; ip netns del wa 2>/dev/null; ip netns del wb 2>/dev/null; true'); });
    const spec = {
      name: 'ovl',
      hosts: { h1: { underlay: '172.31.0.1' }, h2: { underlay: '172.31.0.2' } },
      nodes: { g1: { kind: 'host', host: 'h1' }, g2: { kind: 'host', host: 'h2' }, wa: { kind: 'netns', host: 'h1' }, wb: { kind: 'netns', host: 'h2' } },
      bridges: [{ name: 'br0', node: 'g1' }, { name: 'br0', node: 'g2' }],
      links: [
        { kind: 'veth', a: { node: 'g1', ifname: 'va', master: 'br0' }, b: { node: 'wa', ifname: 'eth0', addresses: ['10.5.0.1/24'] } },
        { kind: 'veth', a: { node: 'g2', ifname: 'vb', master: 'br0' }, b: { node: 'wb', ifname: 'eth0', addresses: ['10.5.0.2/24'] } },
      ],
      overlays: [{ name: 'vx42', vni: 42, bridges: ['g1:br0', 'g2:br0'] }],
    };
    const part = async (host: string, verb: 'apply' | 'destroy'): Promise<string> => {
      const code = `const T = await import(${JSON.stringify(topology)}); const m = T.validateLab(${JSON.stringify(spec)}, { host: ${JSON.stringify(host)} });` +
        (verb === 'apply' ? 'await T.apply(m); console.log(T.planSummary(await T.plan(m)));' : 'const r = await T.destroy(m); console.log(r.links.join(","));');
      const r = await runInNetns(host, process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, NETLINK_TS_FFI: backend } });
      t.equal(r.stderr, '', `${host} ${verb}: no errors`);
      return r.stdout.trim();
    };
    t.equal(await part('h1', 'apply'), 'lab ovl: no changes, the kernel matches the lab');
    t.equal(await part('h2', 'apply'), 'lab ovl: no changes, the kernel matches the lab');
    t.match(sh('ip -n h1 -d link show vx42'), /vxlan id 42 local 172\.31\.0\.1 .*dstport 4789/s, 'vxlan device on h1');
    t.match(sh('ip -n h1 -o link show vx42'), /master br0/, 'enslaved to br0');
    t.match(sh('bridge -n h1 fdb show dev vx42'), /00:00:00:00:00:00 dst 172\.31\.0\.2 self permanent/, 'flood entry towards h2');
    t.equal(await seen('wa', 'wb', '10.5.0.2', 9090), '10.5.0.1', 'TCP wa (h1) → wb (h2) across the overlay');
    t.equal(await seen('wb', 'wa', '10.5.0.1', 9091), '10.5.0.2', 'and back');
    t.equal(await part('h1', 'destroy'), 'br0,va,vx42', 'h1 part destroyed: its links');
    t.same(readdirSync('/run/netns').sort(), ['h1', 'h2', 'wb'], 'only h1\'s namespace went');
    t.equal(await part('h2', 'destroy'), 'br0,vb,vx42');
  });
}
