// Live, table-driven: every setting `netlink-lab up` makes, changed by hand one at a time.
// One lab (the h1 part of a two-host lab, so it has a vxlan overlay too) is brought up in a
// LabHost of its own; then for each field: change that one thing with ip / bridge / sysctl (or
// the library where no CLI is installed: nft), `plan --json` must show exactly that drift (and
// what the kernel itself did because of it, each said in a comment), `up` repairs it, `plan` is
// empty again. At the end `down` leaves the machine as it was before `up`. Both FFI backends.
//
// Not covered because plan cannot see it (docs/labs.md, "What plan compares"): the
// hostname of an unshared node (the UTS namespace is not reachable through netlink).
import t from 'tap';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backends } from '../helpers/live.js';
import { LabHost } from '../helpers/lab-host.js';
import { findLabProcs, linkGroup } from '../../src/topology/index.js';

const GROUP = linkGroup('drift');
const SPEC = `
name: drift
hosts:
  h1: { underlay: 172.31.0.1, dev: u1 }
  h2: { underlay: 172.31.0.2, dev: u2 }
nodes:
  host: { kind: host, host: h1, sysctls: { net.ipv4.ip_forward: 1 } }
  m2: { kind: host, host: h2 }
  A:
    kind: netns
    host: h1
    sysctls: { net.ipv4.conf.all.rp_filter: 2 }
    processes: [{ name: sleeper, cmd: [sleep, "3600"] }]
  B: { kind: netns, host: h1, lo: down }
  U: { kind: unshared, host: h1, hostname: uu }
bridges:
  - { name: br0, node: host, addresses: [10.0.0.1/24], mtu: 1450 }
  - { name: br1, node: host, stp: true }
  - { name: br0, node: m2 }
links:
  - kind: veth
    a: { node: host, ifname: veth-a, master: br0, mtu: 1450 }
    b: { node: A, ifname: eth0, addresses: [10.0.0.2/24], mac: "02:00:00:00:aa:01", mtu: 1450 }
  - kind: veth
    a: { node: host, ifname: veth-b, master: br0, mtu: 1450 }
    b: { node: B, ifname: eth0, addresses: [10.0.0.3/24] }
routes:
  - { node: A, dst: default, via: 10.0.0.1 }
  - { node: B, dst: 10.9.0.0/16, via: 10.0.0.1, table: 100, metric: 7 }
nat:
  - { node: host, kind: masquerade, source: 10.0.0.0/24 }
filter:
  - { node: A, hook: input, rules: [{ protocol: tcp, port: 22, verdict: drop }] }
overlays:
  - { name: vx50, vni: 50, bridges: ["host:br0", "m2:br0"] }
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const VX = 'type vxlan dstport 4789';
/** vx50 made again by hand with other settings, still marked as the lab's (so it is drift, not a conflict). */
const remakeVx = (settings: string): string =>
  `ip link del vx50 && ip link add vx50 ${VX} ${settings} && ip link set vx50 alias netlink-lab:drift group ${GROUP} master br0 up && bridge fdb append 00:00:00:00:00:00 dev vx50 dst 172.31.0.2`;

interface Case {
  readonly what: string;
  /** Shell commands run inside the machine (ip, bridge, sysctl via /proc), or a function. */
  readonly change: string | ((host: LabHost) => Promise<void> | void);
  /** The plan, as `op kind object: detail` lines (order as plan prints them). */
  readonly plan: ReadonlyArray<string | RegExp>;
}

const cases: Case[] = [
  // Bridges.
  { what: 'bridge stp off → on', change: 'ip link set br0 type bridge stp_state 1', plan: ['~ link-set host/br0: stp on → off'] },
  { what: 'bridge stp on → off', change: 'ip link set br1 type bridge stp_state 0', plan: ['~ link-set host/br1: stp off → on'] },
  { what: 'bridge mtu', change: 'ip link set br0 mtu 1400', plan: ['~ link-set host/br0: mtu 1400 → 1450'] },
  { what: 'bridge down', change: 'ip link set br0 down', plan: ['~ link-set host/br0: down → up'] },
  { what: 'bridge mac', change: 'ip link set br0 address 02:00:00:00:00:99', plan: [/^~ link-set host\/br0: mac 02:00:00:00:00:99 → 02:[0-9a-f:]{14}$/] },
  { what: 'bridge address removed', change: 'ip addr del 10.0.0.1/24 dev br0', plan: ['+ address host/br0 10.0.0.1/24: '] },
  { what: 'bridge address added', change: 'ip addr add 10.0.0.9/24 dev br0', plan: ['- address host/br0 10.0.0.9/24: not in the lab'] },
  // veth ends.
  { what: 'veth end mtu', change: 'ip -n A link set eth0 mtu 1300', plan: ['~ link-set A/eth0: mtu 1300 → 1450'] },
  { what: 'veth end mac', change: 'ip -n A link set eth0 address 02:00:00:00:aa:99', plan: ['~ link-set A/eth0: mac 02:00:00:00:aa:99 → 02:00:00:00:aa:01'] },
  { what: 'veth end master', change: 'ip link set veth-b nomaster', plan: ['~ link-set host/veth-b: master - → br0'] },
  {
    what: 'veth end down', change: 'ip -n A link set eth0 down', plan: [
      '~ link-set A/eth0: down → up',
      // The kernel drops the routes of a device that goes down.
      '+ route A route default via 10.0.0.1: ',
    ],
  },
  { what: 'link group', change: 'ip link set veth-a group 7', plan: [`~ link-set host/veth-a: group 7 → ${GROUP}`] },
  {
    what: 'veth address changed', change: 'ip -n A addr del 10.0.0.2/24 dev eth0 && ip -n A addr add 10.0.0.22/24 dev eth0', plan: [
      '- address A/eth0 10.0.0.22/24: not in the lab',
      '+ address A/eth0 10.0.0.2/24: ',
      // The kernel drops routes whose gateway was reached through the address that went.
      '+ route A route default via 10.0.0.1: ',
    ],
  },
  {
    what: 'veth deleted', change: 'ip link del veth-b', plan: [
      '+ veth host/veth-b: veth ↔ B/eth0, master br0',
      '+ address B/eth0 10.0.0.3/24: ',
      // B's route went with its device.
      '+ route B route 10.9.0.0/16 via 10.0.0.1 table 100 metric 7: ',
    ],
  },
  // Nodes.
  { what: 'lo down where the lab wants it up', change: 'ip -n A link set lo down', plan: ['~ lo A/lo: down → up'] },
  { what: 'lo up where the lab wants it down', change: 'ip -n B link set lo up', plan: ['~ lo B/lo: up → down'] },
  { what: 'node sysctl', change: 'nsenter --net=/run/netns/A sh -c "echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter"', plan: ['~ sysctl A net.ipv4.conf.all.rp_filter: 0 → 2'] },
  { what: 'host sysctl', change: 'echo 0 > /proc/sys/net/ipv4/ip_forward', plan: ['~ sysctl host net.ipv4.ip_forward: 0 → 1'] },
  {
    what: 'named namespace deleted', change: async (host) => {
      host.ip('netns', 'del', 'B');
      // The kernel dismantles the namespace (and veth-b with it) asynchronously.
      for (let i = 0; i < 200 && host.run('ip', ['link', 'show', 'veth-b']).code === 0; i++) await sleep(50);
    }, plan: [
      '+ node B: netns B',
      '+ veth host/veth-b: veth ↔ B/eth0, master br0',
      '+ address B/eth0 10.0.0.3/24: ',
      '+ route B route 10.9.0.0/16 via 10.0.0.1 table 100 metric 7: ',
    ],
  },
  {
    what: 'keeper of an unshared node killed', change: async () => {
      const k = findLabProcs('drift').find((p) => p.node === 'U' && p.proc === undefined)!;
      process.kill(k.pid, 'SIGKILL');
      for (let i = 0; i < 200 && findLabProcs('drift').some((p) => p.pid === k.pid); i++) await sleep(50);
    }, plan: ['+ node U: unshared, hostname uu'],
  },
  {
    what: 'node process killed', change: async () => {
      const p = findLabProcs('drift').find((x) => x.node === 'A' && x.proc === 'sleeper')!;
      process.kill(p.pid, 'SIGKILL');
      for (let i = 0; i < 200 && findLabProcs('drift').some((x) => x.pid === p.pid); i++) await sleep(50);
    }, plan: ['+ process A/sleeper: sleep 3600'],
  },
  // Routes.
  { what: 'route deleted', change: 'ip -n A route del default', plan: ['+ route A route default via 10.0.0.1: '] },
  { what: 'route added', change: 'ip -n A route add 10.8.0.0/16 via 10.0.0.1', plan: ['- route A route 10.8.0.0/16 via 10.0.0.1 dev eth0: not in the lab'] },
  {
    what: 'route metric changed', change: 'ip -n B route del 10.9.0.0/16 table 100 && ip -n B route add 10.9.0.0/16 via 10.0.0.1 table 100 metric 8', plan: [
      '- route B route 10.9.0.0/16 via 10.0.0.1 dev eth0 table 100 metric 8: not in the lab',
      '+ route B route 10.9.0.0/16 via 10.0.0.1 table 100 metric 7: ',
    ],
  },
  // nftables (through the library: nft(8) is not installed on every machine).
  {
    // (The chain, not the whole table: the table also holds the host's saved sysctl values,
    // which a flushed table loses for good — down can then not put ip_forward back.)
    what: 'NAT rules flushed', change: (h) => { h.lib(`const h = nl.NftHandle.open(); h.batch().flushChain({ family: 'ip', table: 'netlink_lab_drift', name: 'postrouting' }).commitSync(); h.close();`); },
    plan: ['~ nft host nft ip netlink_lab_drift: postrouting: 1 rule (drifted)'],
  },
  {
    what: 'filter table deleted', change: (h) => { h.lib(`const h = nl.NftHandle.open({ netns: 'A' }); h.batch().deleteTable({ family: 'ip', name: 'netlink_lab_drift' }).commitSync(); h.close();`); },
    plan: ['+ nft A nft ip netlink_lab_drift: input: 1 rule'],
  },
  {
    what: 'filter chain policy changed', change: (h) => {
      h.lib(`const h = nl.NftHandle.open({ netns: 'A' }); h.batch().addChain({ family: 'ip', table: 'netlink_lab_drift', name: 'input', type: 'filter', hook: 'input', priority: 0, policy: 'drop' }).commitSync(); h.close();`);
    },
    plan: ['~ nft A nft ip netlink_lab_drift: input: 1 rule (drifted)'],
  },
  // The VXLAN overlay.
  { what: 'vxlan underlay device', change: remakeVx('id 50 local 172.31.0.1 dev u9'), plan: ['- link-del host/vx50: dev u9 → u1 (made again)', '+ vxlan host/vx50: vxlan vni 50 local 172.31.0.1 dev u1, master br0', '+ fdb host/vx50 fdb 00:00:00:00:00:00 dst 172.31.0.2: '] },
  { what: 'vxlan local address', change: remakeVx('id 50 local 172.31.0.5 dev u1'), plan: ['- link-del host/vx50: local 172.31.0.5 → 172.31.0.1 (made again)', '+ vxlan host/vx50: vxlan vni 50 local 172.31.0.1 dev u1, master br0', '+ fdb host/vx50 fdb 00:00:00:00:00:00 dst 172.31.0.2: '] },
  { what: 'vxlan vni', change: remakeVx('id 51 local 172.31.0.1 dev u1'), plan: ['- link-del host/vx50: vni 51 → 50 (made again)', '+ vxlan host/vx50: vxlan vni 50 local 172.31.0.1 dev u1, master br0', '+ fdb host/vx50 fdb 00:00:00:00:00:00 dst 172.31.0.2: '] },
  { what: 'vxlan learning', change: remakeVx('id 50 local 172.31.0.1 dev u1 nolearning'), plan: ['- link-del host/vx50: learning off → on (made again)', '+ vxlan host/vx50: vxlan vni 50 local 172.31.0.1 dev u1, master br0', '+ fdb host/vx50 fdb 00:00:00:00:00:00 dst 172.31.0.2: '] },
  { what: 'vxlan port of no bridge', change: 'ip link set vx50 nomaster', plan: ['~ link-set host/vx50: master - → br0'] },
  { what: 'flood entry deleted', change: 'bridge fdb del 00:00:00:00:00:00 dev vx50 dst 172.31.0.2', plan: ['+ fdb host/vx50 fdb 00:00:00:00:00:00 dst 172.31.0.2: '] },
  { what: 'flood entry added', change: 'bridge fdb append 00:00:00:00:00:00 dev vx50 dst 172.31.0.3', plan: ["- fdb host/vx50 fdb 00:00:00:00:00:00 dst 172.31.0.3: not one of the lab's hosts"] },
];

interface PlanJson { changes: Array<{ op: string; kind: string; object: string; detail: string; path: string }>; conflicts: string[] }

/**
 * plan / apply through the library in ONE process inside the machine (a CLI run per step
 * costs a Node start: the table would take minutes per backend). `up` and `down` themselves
 * go through netlink-lab. One JSON line per request on stdin, one answer line on stdout.
 */
const DRIVER = `
import * as topo from ${JSON.stringify(new URL('../../dist/src/topology/index.js', import.meta.url).href)};
import { createInterface } from 'node:readline';
const m = topo.loadLab(process.argv[1], { host: 'h1' });
for await (const line of createInterface({ input: process.stdin })) {
  try {
    if (line === 'plan') console.log(JSON.stringify(topo.planJson(await topo.plan(m))));
    else { await topo.apply(m); console.log(JSON.stringify({ ok: true })); }
  } catch (err) { console.log(JSON.stringify({ error: String(err?.message ?? err) })); }
}`;

class Driver {
  private readonly answers: string[] = [];
  private wake: (() => void) | undefined;
  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (l) => { this.answers.push(l); this.wake?.(); });
  }
  static start(host: LabHost, file: string, ffi: string): Driver {
    return new Driver(host.spawn(process.execPath, ['--input-type=module', '-e', DRIVER, file], { NETLINK_TS_FFI: ffi }));
  }
  async ask(req: string): Promise<any> {
    this.child.stdin!.write(`${req}\n`);
    while (this.answers.length === 0) {
      if (this.child.exitCode !== null) throw new Error(`the driver exited ${this.child.exitCode}`);
      await new Promise<void>((r) => { this.wake = r; setTimeout(r, 1000); });
    }
    return JSON.parse(this.answers.shift()!);
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.stdin!.end();
    await gone;
  }
}

for (const ffi of backends) {
  t.test(`${ffi}: every setting up makes, drifted by hand, is in plan and repaired by up`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-drift-'));
    const file = join(dir, 'drift.yaml');
    writeFileSync(file, SPEC);
    const host = await LabHost.start('h-drift');
    t.teardown(() => host.stop());
    const args = [file, '--host', 'h1'];
    // No underlay device yet: a conflict naming hosts.h1.dev, and up does nothing at all.
    const bare = host.snapshot();
    const noDev = host.lab(['up', ...args], ffi);
    t.equal(noDev.code, 1, 'up without the underlay device: exit 1');
    t.match(noDev.stderr, /^netlink-lab: LabApplyError: lab drift: nothing done, 1 conflict: hosts\.h1\.dev: the underlay device "u1" of host\/vx50 \(overlays\[0\]\) is not on this machine\n$/, 'the error names hosts.h1.dev');
    t.same(host.snapshot(), bare, 'nothing was changed');
    // Two underlay devices the lab does not own (the kernel here has no dummy: veth pairs).
    host.run('sh', ['-c', 'ip link add u1 type veth peer name u1p && ip link add u9 type veth peer name u9p && ip addr add 172.31.0.1/24 dev u1 && ip link set u1 up && ip link set u9 up']);
    // The underlay's ARP cache fills with the overlay's flood traffic: the machine's, not compared.
    const state = () => {
      const s = host.snapshot() as { neigh: Array<{ dev: string }> };
      return { ...s, neigh: s.neigh.filter((n) => n.dev !== 'u1' && n.dev !== 'u9') };
    };
    const before = state();
    const lines = (): string[] => host.labJson<PlanJson>(['plan', ...args], ffi).changes.map((c) => `${c.op} ${c.kind} ${c.object}: ${c.detail}`);
    const driver = Driver.start(host, file, ffi);
    t.teardown(() => driver.stop());
    const planLines = async (): Promise<string[]> => ((await driver.ask('plan')) as PlanJson).changes.map((c) => `${c.op} ${c.kind} ${c.object}: ${c.detail}`);

    const up = host.lab(['up', ...args], ffi);
    t.equal(up.code, 0, `up${up.stderr ? `: ${up.stderr}` : ''}`);
    t.match(host.ip('-d', 'link', 'show', 'vx50'), /vxlan id 50 local 172\.31\.0\.1 dev u1 /, 'the vxlan sits on hosts.h1.dev (IFLA_VXLAN_LINK), as ip shows it');
    t.same(lines(), [], 'plan after up: nothing to do');

    for (const c of cases) {
      if (typeof c.change === 'string') {
        const r = host.run('sh', ['-c', c.change]);
        t.equal(r.code, 0, `${c.what}: ${c.change}${r.stderr ? `: ${r.stderr.trim()}` : ''}`);
      } else {
        await c.change(host);
      }
      const got = await planLines();
      t.equal(got.length, c.plan.length, `${c.what}: ${c.plan.length} change(s) in the plan (${JSON.stringify(got)})`);
      c.plan.forEach((want, i) => (typeof want === 'string' ? t.equal(got[i], want, `${c.what}: ${want}`) : t.match(got[i], want, `${c.what}: ${String(want)}`)));
      t.same(await driver.ask('apply'), { ok: true }, `${c.what}: apply repairs it`);
      t.same(await planLines(), [], `${c.what}: plan is empty again`);
    }
    await driver.stop();
    // The CLI agrees (one drift, through netlink-lab itself).
    host.ip('link', 'set', 'br0', 'type', 'bridge', 'stp_state', '1');
    t.same(lines(), ['~ link-set host/br0: stp on → off'], 'netlink-lab plan shows the stp drift');
    t.equal(host.lab(['plan', '--exit-code', ...args], ffi).code, 1, 'plan --exit-code: 1 while there is drift');
    const fix = host.lab(['up', ...args], ffi);
    t.equal(fix.code, 0, `netlink-lab up repairs it${fix.stderr ? `: ${fix.stderr}` : ''}`);
    t.match(fix.stdout, /^~ link-set host\/br0: stp on → off/m, 'up prints the change it makes');
    t.same(lines(), [], 'netlink-lab plan: nothing to do');
    t.equal(host.lab(['plan', '--exit-code', ...args], ffi).code, 0, 'plan --exit-code: 0 once the kernel matches');
    t.match(host.ip('-d', 'link', 'show', 'vx50'), /vxlan id 50 local 172\.31\.0\.1 dev u1 /, 'vx50 is back on u1');
    t.match(host.ip('-d', 'link', 'show', 'br1'), /stp_state 1 /, 'br1 still runs STP');

    const down = host.lab(['down', ...args], ffi);
    t.equal(down.code, 0, `down${down.stderr ? `: ${down.stderr}` : ''}`);
    t.same(state(), before, 'after down the machine is as before up');
    t.match(host.lab(['status', ...args], ffi).stdout, /^lab drift is not up \(netlink-lab up \S+drift\.yaml --host h1 builds it\)$/m, 'status says the lab is not up');
  });
}
