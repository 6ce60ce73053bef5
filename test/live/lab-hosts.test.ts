// Live: a lab spanning two machines (examples/labs/two-hosts.yaml). Two LabHosts — each its own
// network, mount (private /run/netns) and UTS namespaces — joined by an underlay veth; each runs
// `netlink-lab up --host NAME` for its own part only; the bridges are joined by VXLAN (vx50 with
// a flood entry towards the other host); `check` proves TCP and UDP between namespaces on
// different hosts (one host serves the listeners with --serve while the other probes), then each
// host's `down --host` leaves its machine as it was. Both FFI backends.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { backends, enterFreshNetns } from '../helpers/live.js';
import { LABS, LabHost } from '../helpers/lab-host.js';
import type { CheckRowJson } from '../helpers/seed-lab.js';

enterFreshNetns();
const FILE = `${LABS}two-hosts.yaml`;

async function serve(host: LabHost, name: string, ffi: string): Promise<{ stop(): Promise<number | null> }> {
  const child = host.spawn(process.execPath, [`${LABS}../../dist/bundle/netlink-lab.js`, 'check', FILE, '--host', name, '--serve'], { NETLINK_TS_FFI: ffi });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => { err += b; });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`check --serve on ${name} exited ${code}: ${err}`)));
    child.stdout!.once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  return {
    stop: () => new Promise((resolve) => { child.once('exit', (code) => resolve(code)); child.kill('SIGTERM'); }),
  };
}

for (const ffi of backends) {
  t.test(`${ffi}: two hosts, one overlay: up --host each, TCP/UDP across, down --host each`, async (t) => {
    const h1 = await LabHost.start('h1');
    const h2 = await LabHost.start('h2');
    t.teardown(async () => { await h1.stop(); await h2.stop(); });
    // The underlay: one veth between the two machines (not part of the lab).
    execFileSync('ip', ['link', 'add', 'u1', 'netns', String(h1.pid), 'type', 'veth', 'peer', 'name', 'u2', 'netns', String(h2.pid)]);
    for (const [h, dev, addr] of [[h1, 'u1', '172.31.0.1/24'], [h2, 'u2', '172.31.0.2/24']] as const) {
      // IPv4 only: no link-local address whose DAD would still be running when the state is taken.
      h.run('sh', ['-c', `echo 1 > /proc/sys/net/ipv6/conf/${dev}/disable_ipv6`]);
      h.ip('addr', 'add', addr, 'dev', dev);
      h.ip('link', 'set', dev, 'up');
    }
    // Carrier comes up asynchronously (linkwatch): wait for it, so the state compared is settled.
    for (let i = 0; i < 100 && [[h1, 'u1'], [h2, 'u2']].some(([h, d]) => ((h as LabHost).ipJson('link', 'show', d as string)[0].flags as string[]).includes('NO-CARRIER')); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    // The underlay's ARP cache is the machine's, filled by the overlay's traffic: not compared.
    const state = (h: LabHost) => {
      const s = h.snapshot() as { neigh: Array<{ dev: string }> };
      return { ...s, neigh: s.neigh.filter((n) => n.dev !== 'u1' && n.dev !== 'u2') };
    };
    const before1 = state(h1), before2 = state(h2);

    const noHost = h1.lab(['up', FILE], ffi);
    t.equal(noHost.code, 1, 'up without --host: refused');
    t.match(noHost.stderr, /the lab spans hosts \(h1, h2\): choose one host's part \(--host NAME\)/);
    for (const [h, name] of [[h1, 'h1'], [h2, 'h2']] as const) {
      const up = h.lab(['up', FILE, '--host', name], ffi);
      t.equal(up.code, 0, `up --host ${name}${up.stderr ? `: ${up.stderr}` : ''}`);
      t.match(up.stdout, /^\+ vxlan /m, `${name}: its vxlan device is in the plan`);
    }
    t.same(h1.run('ls', ['/run/netns']).stdout.split('\n').filter(Boolean), ['web'], 'h1 has only its own namespace');
    t.same(h2.run('ls', ['/run/netns']).stdout.split('\n').filter(Boolean), ['db'], 'h2 has only its own namespace');
    t.match(h1.ip('-d', 'link', 'show', 'vx50'), /vxlan id 50 local 172\.31\.0\.1 dev u1 .*dstport 4789/s, 'h1: vx50 with the underlay address, on hosts.h1.dev');
    t.match(h2.ip('-d', 'link', 'show', 'vx50'), /vxlan id 50 local 172\.31\.0\.2 dev u2 .*dstport 4789/s, 'h2: vx50 on hosts.h2.dev');
    t.match(h1.ip('link', 'show', 'vx50'), /master br0/, 'h1: vx50 is a port of br0');
    t.match(h1.run('bridge', ['fdb', 'show', 'dev', 'vx50']).stdout, /00:00:00:00:00:00 dst 172\.31\.0\.2 self permanent/, 'h1: floods towards h2');
    t.match(h2.run('bridge', ['fdb', 'show', 'dev', 'vx50']).stdout, /00:00:00:00:00:00 dst 172\.31\.0\.1 self permanent/, 'h2: floods towards h1');
    for (const [h, name] of [[h1, 'h1'], [h2, 'h2']] as const) {
      t.same(h.labJson<{ changes: unknown[] }>(['plan', FILE, '--host', name], ffi).changes, [], `plan --host ${name}: nothing to do`);
    }

    // h2 serves, h1 probes: web (h1) → db (h2).
    const s2 = await serve(h2, 'h2', ffi);
    const r1 = h1.lab(['check', FILE, '--host', 'h1', '--json'], ffi);
    t.equal(await s2.stop(), 0, 'check --serve on h2 ends cleanly on SIGTERM');
    t.equal(r1.code, 0, `check --host h1${r1.stderr ? `: ${r1.stderr}` : ''}`);
    const rows1 = (JSON.parse(r1.stdout) as { rows: CheckRowJson[] }).rows;
    t.same(rows1.map((r) => [r.expect.from, r.expect.to, r.result, r.seen ?? null]), [
      ['web', 'db', 'ok', '10.50.0.1'], ['db', 'web', 'skipped', null], ['db', 'web', 'skipped', null],
    ], 'TCP from web on h1 reached db on h2 across the overlay, with web\'s own address; db\'s probes are h2\'s to run');

    // h1 serves, h2 probes: db (h2) → web (h1), TCP and UDP; the text matrix.
    const s1 = await serve(h1, 'h1', ffi);
    const r2 = h2.lab(['check', FILE, '--host', 'h2'], ffi);
    t.equal(await s1.stop(), 0);
    t.equal(r2.code, 0, `check --host h2${r2.stderr ? `: ${r2.stderr}` : ''}`);
    t.match(r2.stdout, /^db +· +✓ tcp\/8080 seen 10\.50\.0\.2, ✓ udp\/8125 seen 10\.50\.0\.2$/m, 'db on h2 reached web on h1: TCP and UDP');
    t.match(r2.stdout, /^web +- tcp\/5432 other host/m, 'web\'s probe is marked as the other host\'s');
    t.match(r2.stdout, /^3 expectations: 2 ✓, 0 ✗, 1 on other hosts$/m);

    const st = h1.labJson<{ nodes: Array<{ name: string; present: boolean }>; drift: unknown[] }>(['status', FILE, '--host', 'h1'], ffi);
    t.same(st.nodes.map((n) => [n.name, n.present]), [['m1', true], ['web', true]], 'status --host h1: h1\'s nodes only');
    t.same(st.drift, []);

    for (const [h, name, before] of [[h1, 'h1', before1], [h2, 'h2', before2]] as const) {
      const down = h.lab(['down', FILE, '--host', name], ffi);
      t.equal(down.code, 0, `down --host ${name}`);
      t.same(state(h), before, `${name}: as before up (the underlay untouched)`);
    }
  });
}
