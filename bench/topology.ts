/**
 * The topology layer's cost. One lab1-shaped lab of N namespaces (the peer harness's W7: bridge
 * br0 192.168.0.1/16 in this namespace; per i a named netns with lo up, a veth whose far end
 * vn<i> is born inside it with 192.168.(1+(i>>8)).(i&255)/16, and a default route via
 * 192.168.0.1), built and removed two ways in the same run:
 *
 *   - fast path: the hand-written calls bench/peer.ts makes for W7 (bridge, addNetns per name,
 *     one addMany of veths in link group 99, per namespace a handle with lo up + address +
 *     route, teardown by one `link del group` and deleteNetns per name);
 *   - topology: validateLab(spec) + apply(model), then destroy(model).
 *
 *   node dist/bench/topology.js compare [N=50] [REPS=7]   interleaved reps, medians, ratio; plan of the applied lab
 *   node dist/bench/topology.js scale [N...=50 200 500 1000]  one child process per N: validate, apply, plan, destroy, peak RSS
 *   node dist/bench/topology.js                         both (compare 50, scale 50 200 500 1000)
 *
 * Every rep is verified (N namespaces exist after the build, none after the teardown; the
 * topology lab plans no changes once applied). Changes network state: inside tools/sandbox.sh only.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RouteHandle } from '../src/route/handle.js';
import { addNetns, deleteNetns } from '../src/netns/registry.js';
import { apply, destroy, plan, validateLab } from '../src/topology/index.js';
import type { LabSpec } from '../src/topology/index.js';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') throw new Error('creates namespaces: run inside tools/sandbox.sh');

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const now = (): number => Number(process.hrtime.bigint()) / 1e6;
/** CPU time of this process (all threads, user + system), ms: steadier than wall time on a shared machine. */
const cpu = (): number => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const addr = (i: number): string => `192.168.${1 + (i >> 8)}.${i & 255}/16`;

/** The lab as a spec: host + N netns nodes on br0. */
export function labSpec(n: number): LabSpec {
  const nodes: LabSpec['nodes'] = { host: { kind: 'host' } };
  const links: NonNullable<LabSpec['links']> = [];
  const routes: NonNullable<LabSpec['routes']> = [];
  for (let i = 1; i <= n; i++) {
    nodes[`t${i}`] = { kind: 'netns' };
    links.push({ kind: 'veth', a: { node: 'host', ifname: `th${i}`, master: 'br0' }, b: { node: `t${i}`, ifname: `tn${i}`, addresses: [addr(i)] } });
    routes.push({ node: `t${i}`, dst: 'default', via: '192.168.0.1' });
  }
  return { name: 'bench', nodes, bridges: [{ name: 'br0', node: 'host', addresses: ['192.168.0.1/16'] }], links, routes };
}

function verify(prefix: string, n: number, present: boolean): void {
  const have = readdirSync('/run/netns').filter((x) => x.startsWith(prefix)).length;
  if (have !== (present ? n : 0)) throw new Error(`verification failed: ${have} namespaces ${prefix}* (expected ${present ? n : 0})`);
}

/** bench/peer.ts's W7 code, verbatim in substance. */
async function fastBuild(h: RouteHandle, n: number): Promise<void> {
  const ids = Array.from({ length: n }, (_, k) => k + 1);
  await h.link.add({ name: 'br0', kind: 'bridge', up: true, group: 99 });
  await h.addr.add({ dev: 'br0', address: '192.168.0.1/16' });
  for (const i of ids) addNetns(`lab${i}`);
  await h.link.addMany(ids.map((i) => ({ name: `vh${i}`, kind: 'veth' as const, up: true, group: 99, master: 'br0', peer: { name: `vn${i}`, netns: `lab${i}`, up: true } })));
  for (const i of ids) {
    const x = RouteHandle.open({ netns: `lab${i}` });
    try {
      await x.link.set(1, { up: true });
      await x.addr.add({ dev: `vn${i}`, address: addr(i) });
      await x.route.add({ dst: 'default', via: '192.168.0.1' });
    } finally {
      x.close();
    }
  }
}

async function fastTeardown(h: RouteHandle, n: number): Promise<void> {
  await h.link.delGroup(99);
  for (let i = 1; i <= n; i++) deleteNetns(`lab${i}`);
}

async function compare(n: number, reps: number): Promise<void> {
  const h = RouteHandle.open();
  const spec = labSpec(n);
  const fast = { build: [] as number[], down: [] as number[], cpu: [] as number[] };
  const topo = { validate: [] as number[], build: [] as number[], down: [] as number[], cpu: [] as number[] };
  const plans: number[] = [], planCpu: number[] = [];
  try {
    // One warm-up of each (JIT, module caches), not counted. Fast path and topology alternate.
    for (let r = -1; r < reps; r++) {
      let c = cpu();
      let t = now();
      await fastBuild(h, n);
      const fb = now() - t;
      verify('lab', n, true);
      t = now();
      await fastTeardown(h, n);
      const fd = now() - t;
      const fc = cpu() - c;
      verify('lab', n, false);

      c = cpu();
      t = now();
      const model = validateLab(spec);
      const tv = now() - t;
      await apply(model);
      const tb = now() - t;
      const tcApply = cpu() - c;
      verify('t', n, true);
      // plan of the applied lab, in-process: a few times, the best and the median (nothing to do, checked).
      const ps: number[] = [], pc: number[] = [];
      for (let k = 0; k < 5; k++) {
        const c1 = cpu();
        const t1 = now();
        const p = await plan(model);
        ps.push(now() - t1);
        pc.push(cpu() - c1);
        if (p.changes.length || p.conflicts.length) throw new Error(`applied lab plans ${p.changes.length} changes`);
      }
      c = cpu();
      t = now();
      await destroy(model);
      const td = now() - t;
      const tc = tcApply + cpu() - c;
      verify('t', n, false);
      if (r < 0) continue;
      fast.build.push(fb); fast.down.push(fd); fast.cpu.push(fc);
      topo.validate.push(tv); topo.build.push(tb); topo.down.push(td); topo.cpu.push(tc);
      plans.push(...ps); planCpu.push(...pc);
    }
  } finally {
    h.close();
  }
  const f = median(fast.build.map((b, i) => b + fast.down[i]!));
  const tt = median(topo.build.map((b, i) => b + topo.down[i]!));
  const ratios = topo.build.map((b, i) => (b + topo.down[i]!) / (fast.build[i]! + fast.down[i]!));
  const r3 = (x: number): number => Number(x.toFixed(3));
  console.log(JSON.stringify({
    mode: 'compare', n, reps,
    fast_ms: { build: median(fast.build), teardown: median(fast.down), total: f, min_total: Math.min(...fast.build.map((b, i) => b + fast.down[i]!)), cpu: median(fast.cpu) },
    topology_ms: { validate: median(topo.validate), apply_incl_validate: median(topo.build), destroy: median(topo.down), total: tt, min_total: Math.min(...topo.build.map((b, i) => b + topo.down[i]!)), cpu: median(topo.cpu) },
    ratio_of_medians: r3(tt / f), median_pair_ratio: r3(median(ratios)), pair_ratios: ratios.map(r3),
    ratio_of_min: r3(Math.min(...topo.build.map((b, i) => b + topo.down[i]!)) / Math.min(...fast.build.map((b, i) => b + fast.down[i]!))),
    cpu_ratio: r3(median(topo.cpu) / median(fast.cpu)),
    plan_applied_ms: { median: median(plans), min: Math.min(...plans), cpu_median: median(planCpu), runs: plans.length },
  }));
}

async function scaleOne(n: number): Promise<void> {
  const spec = labSpec(n);
  let t = now();
  const model = validateLab(spec);
  const validate = now() - t;
  let c = cpu();
  t = now();
  await apply(model);
  const applyMs = now() - t;
  const applyCpu = cpu() - c;
  verify('t', n, true);
  c = cpu();
  t = now();
  const p = await plan(model);
  const planMs = now() - t;
  const planCpu = cpu() - c;
  if (p.changes.length) throw new Error(`applied lab plans ${p.changes.length} changes`);
  c = cpu();
  t = now();
  await destroy(model);
  const destroyMs = now() - t;
  const destroyCpu = cpu() - c;
  verify('t', n, false);
  // ru_maxrss: the process's peak resident set (kB), for the whole run of this child.
  console.log(JSON.stringify({ mode: 'scale', n, validate_ms: validate, apply_ms: applyMs, apply_cpu_ms: applyCpu, plan_ms: planMs, plan_cpu_ms: planCpu, destroy_ms: destroyMs, destroy_cpu_ms: destroyCpu, peak_rss_mb: process.resourceUsage().maxRSS / 1024 }));
}

const [mode, ...rest] = process.argv.slice(2);
const self = fileURLToPath(import.meta.url);
if (mode === 'compare') await compare(Number(rest[0] ?? 50), Number(rest[1] ?? 7));
else if (mode === 'scale-one') await scaleOne(Number(rest[0]));
else if (mode === 'scale' || mode === undefined) {
  if (mode === undefined) await compare(50, 7);
  const ns = (mode === 'scale' && rest.length ? rest : ['50', '200', '500', '1000']).map(Number);
  for (const n of ns) process.stdout.write(execFileSync(process.execPath, [self, 'scale-one', String(n)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
} else throw new Error(`unknown mode ${mode} (compare | scale)`);
