/**
 * SIGKILL bench (issue 17 item 12): kill a child process with SIGKILL at a random point of a long
 * operation, then prove that the next process always works. Four operation kinds:
 *
 *   nft       one batch: a table, a chain and RULES (default 5,000) rules, committed at once.
 *             After the kill the table is either absent or there with every rule (all-or-nothing);
 *             the next process deletes it if there, commits the whole batch again and finds it whole.
 *   addMany   route.addMany of ROUTES (default 30,000) routes into table 300 on a bridge (no ports).
 *             After the kill the routes present are exactly the first k of the list (a clean
 *             prefix); the next process removes them with delMany, adds all again and finds all.
 *   netns     netns.add of NETNS (default 100) named namespaces, one after the other, in a fresh
 *             directory under the sandbox's /run/netns (the first add also makes it a shared mount
 *             point). After the kill every name is a namespace or a half-made entry (the empty
 *             name file, mount not done yet); the next process's add of a half-made name throws
 *             NetnsExistsError, netns.delete removes every entry (half-made ones included), every
 *             name adds again and opens as a network namespace, and all delete again.
 *   topology  apply() of a lab (examples/labs/lab2.yaml, and the 20-namespace bench lab). After the
 *             kill the next process's apply() converges (the plan after it is empty) and destroy()
 *             leaves links, named namespaces and nft tables as they were before the first apply.
 *
 * The kill time is uniform over [0, 1.2 × the operation's time when not killed] (measured once per
 * kind before the kills and again every 10 kills), counted from the moment the child reports it
 * is about to start. Prints counts per kind (killed mid-way, killed before start, finished before
 * the kill — those are checked like the rest) and the states seen after the kills; exit 1 if any next process failed.
 *
 *   tools/sandbox.sh node dist/bench/kill.js [KILLS per kind = 30] [nft,addMany,netns,topology] [koffi|ffi-napi]
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BackendName, loadBackend } from '../src/ffi/libc.js';
import { NetnsExistsError } from '../src/netns/errors.js';
import { addNetns, deleteNetns } from '../src/netns/registry.js';
import { Netns } from '../src/netns/netns.js';
import { NftHandle } from '../src/nft/handle.js';
import { RuleBuilder } from '../src/nft/rule-builder.js';
import { RouteHandle } from '../src/route/handle.js';
import type { RouteSpec } from '../src/route/route/route-spec.js';
import { apply, destroy, loadLab, plan } from '../src/topology/index.js';
import type { LabSpec } from '../src/topology/index.js';
import { libc } from '../src/ffi/libc.js';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') throw new Error('changes network state: run inside tools/sandbox.sh');

const RULES = Number(process.env['KILL_RULES'] ?? 5000);
const ROUTES = Number(process.env['KILL_ROUTES'] ?? 30_000);
const NETNS = Number(process.env['KILL_NETNS'] ?? 100);
const ROUTE_TABLE = 300;
const DUMMY = 'kill0';
const LAB2 = fileURLToPath(new URL('../../examples/labs/lab2.yaml', import.meta.url));
const LAB2_SRC = fileURLToPath(new URL('../examples/labs/lab2.yaml', import.meta.url));
const lab2Path = (): string => { try { statSync(LAB2); return LAB2; } catch { return LAB2_SRC; } };

type Kind = 'nft' | 'addMany' | 'netns' | 'topology';

const routeSpecs = (idx: number): RouteSpec[] => Array.from({ length: ROUTES }, (_, i) => ({ dst: `10.${128 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`, dev: idx, table: ROUTE_TABLE }));
/** The index i of routeSpecs' i-th destination. */
const routeKey = (dst: string): number => { const [, b, c, d] = dst.split('/')[0]!.split('.').map(Number); return ((b! - 128) << 16) | (c! << 8) | d!; };

function nftBatch(h: NftHandle) {
  const b = h.batch({ echo: false }).addTable({ family: 'inet', name: 'killt' }).addChain({ family: 'inet', table: 'killt', name: 'c' });
  for (let i = 0; i < RULES; i++) {
    const rb = new RuleBuilder('inet').tcpDport(1 + (i % 60000)).counter().accept();
    b.addRule({ family: 'inet', table: 'killt', chain: 'c', exprs: rb.exprs, sets: rb.sets });
  }
  return b;
}
const nftRuleCount = async (h: NftHandle): Promise<number | undefined> => {
  const tables = await h.tables({ family: 'inet' });
  if (!tables.some((t) => t.name === 'killt')) return undefined;
  return (await h.rules({ family: 'inet', table: 'killt' })).length;
};

/** bench/topology.ts's lab: host + N netns nodes on br0, each with a veth, an address and a default route. */
function labSpec(n: number): LabSpec {
  const nodes: LabSpec['nodes'] = { host: { kind: 'host' } };
  const links: NonNullable<LabSpec['links']> = [];
  const routes: NonNullable<LabSpec['routes']> = [];
  for (let i = 1; i <= n; i++) {
    nodes[`t${i}`] = { kind: 'netns' };
    links.push({ kind: 'veth', a: { node: 'host', ifname: `th${i}`, master: 'br0' }, b: { node: `t${i}`, ifname: `tn${i}`, addresses: [`192.168.${1 + (i >> 8)}.${i & 255}/16`] } });
    routes.push({ node: `t${i}`, dst: 'default', via: '192.168.0.1' });
  }
  return { name: 'killbench', nodes, bridges: [{ name: 'br0', node: 'host', addresses: ['192.168.0.1/16'] }], links, routes };
}

const lab = (which: string) => (which === 'lab2' ? loadLab(lab2Path()) : loadLab(labSpec(20)));

// ---------------------------------------------------------------- child side

/** The long operation, in a child. Writes "go" just before it starts, "done" when it finished. */
async function child(kind: Kind, arg: string, backend: BackendName): Promise<void> {
  const lib = loadBackend(backend);
  const go = (): void => { process.stdout.write('go\n'); };
  if (kind === 'nft') {
    const h = NftHandle.open({ libc: lib });
    const b = nftBatch(h);
    go();
    await b.commit();
  } else if (kind === 'addMany') {
    const h = RouteHandle.open({ libc: lib });
    const idx = (await h.link.get(DUMMY)).index;
    const specs = routeSpecs(idx);
    go();
    await h.route.addMany(specs);
  } else if (kind === 'netns') {
    go();
    for (let i = 0; i < NETNS; i++) addNetns(`kn${i}`, { dir: arg, libc: lib });
  } else {
    const model = lab(arg);
    go();
    await apply(model);
  }
  process.stdout.write('done\n');
}

/** The next process: check what the killed one left, repair through the library, redo, verify. */
async function next(kind: Kind, arg: string, backend: BackendName): Promise<Record<string, unknown>> {
  const lib = loadBackend(backend);
  if (kind === 'nft') {
    const h = NftHandle.open({ libc: lib });
    const left = await nftRuleCount(h);
    if (left !== undefined && left !== RULES) throw new Error(`not all-or-nothing: table killt with ${left} of ${RULES} rules`);
    if (left !== undefined) await h.deleteTable({ family: 'inet', name: 'killt' });
    await nftBatch(h).commit();
    const now = await nftRuleCount(h);
    if (now !== RULES) throw new Error(`next commit: ${now} rules, expected ${RULES}`);
    await h.deleteTable({ family: 'inet', name: 'killt' });
    h.close();
    return { state: left === undefined ? 'absent' : 'whole' };
  }
  if (kind === 'addMany') {
    const h = RouteHandle.open({ libc: lib });
    const idx = (await h.link.get(DUMMY)).index;
    const specs = routeSpecs(idx);
    const have = (await h.route.list({ table: ROUTE_TABLE })).map((r) => routeKey(String(r.dst))).sort((a, b) => a - b);
    for (let i = 0; i < have.length; i++) if (have[i] !== i) throw new Error(`not a clean prefix: ${have.length} routes, the ${i}th present is #${have[i]}`);
    if (have.length) await h.route.delMany(specs.slice(0, have.length));
    await h.route.addMany(specs);
    const n = (await h.route.list({ table: ROUTE_TABLE })).length;
    if (n !== ROUTES) throw new Error(`next addMany: ${n} routes, expected ${ROUTES}`);
    await h.route.delMany(specs);
    h.close();
    return { prefix: have.length, state: have.length === 0 ? 'none' : have.length === ROUTES ? 'all' : 'prefix' };
  }
  if (kind === 'netns') {
    let names: string[] = [];
    try { names = readdirSync(arg); } catch { /* the kill came before mkdir */ }
    let whole = 0, half = 0, existsErrors = 0;
    for (const n of names) {
      let ok = false;
      try { Netns.open({ name: n }, { dir: arg, libc: lib }).close(); ok = true; } catch { /* half-made */ }
      if (ok) { whole++; continue; }
      half++;
      // The next add of the same name must be a typed error, not a crash or a second mount.
      try { addNetns(n, { dir: arg, libc: lib }); throw new Error(`add of half-made ${n} succeeded`); } catch (e) {
        if (!(e instanceof NetnsExistsError)) throw e;
        existsErrors++;
      }
    }
    if (names.some((n, i) => !names.includes(`kn${i}`) || !/^kn\d+$/.test(n))) throw new Error(`unexpected names: ${names.join(' ')}`);
    for (const n of names) deleteNetns(n, { dir: arg, libc: lib });
    for (let i = 0; i < NETNS; i++) addNetns(`kn${i}`, { dir: arg, libc: lib });
    for (let i = 0; i < NETNS; i++) Netns.open({ name: `kn${i}` }, { dir: arg, libc: lib }).close();
    for (let i = 0; i < NETNS; i++) deleteNetns(`kn${i}`, { dir: arg, libc: lib });
    if (readdirSync(arg).length) throw new Error(`left in ${arg}: ${readdirSync(arg).join(' ')}`);
    return { whole, half, existsErrors, state: half ? 'half-made' : names.length === 0 ? 'none' : names.length === NETNS ? 'all' : 'prefix' };
  }
  const model = lab(arg);
  const before = await plan(model);
  await apply(model);
  const after = await plan(model);
  if (after.changes.length) throw new Error(`apply after a kill did not converge: ${after.changes.length} changes left (${after.changes.slice(0, 5).map((c) => `${c.op} ${c.kind} ${c.node} ${c.object}`).join('; ')})`);
  await destroy(model);
  return { changesLeft: before.changes.length, state: before.changes.length === 0 ? 'complete' : 'partial' };
}

/** Links, named namespaces and nft tables of this namespace: equal before the first apply and after each destroy. */
async function baseline(): Promise<string> {
  const h = RouteHandle.open();
  const nft = NftHandle.open();
  const links = (await h.link.list()).map((l) => l.name).sort();
  const tables = (await nft.tables()).map((t) => `${t.family} ${t.name}`).sort();
  h.close(); nft.close();
  return JSON.stringify({ links, netns: readdirSync('/run/netns').filter((n) => !n.startsWith('kd')).sort(), tables });
}

// ---------------------------------------------------------------- parent side

function run(args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: string | null; out: string; err: string; goAt?: number; ms: number }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', goAt: number | undefined, timer: NodeJS.Timeout | undefined;
    const t0 = performance.now();
    c.stdout.on('data', (d: Buffer) => {
      out += d;
      if (goAt === undefined && out.includes('go\n')) {
        goAt = performance.now();
        if (killAfterMs !== undefined) timer = setTimeout(() => c.kill('SIGKILL'), killAfterMs);
      }
    });
    c.stderr.on('data', (d: Buffer) => { err += d; });
    c.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, out, err, goAt, ms: goAt === undefined ? 0 : performance.now() - goAt }); void t0; });
  });
}

async function parent(kills: number, kinds: Kind[], backend: BackendName): Promise<void> {
  const h = RouteHandle.open();
  await h.link.add({ name: DUMMY, kind: 'bridge' }); // no dummy module on every kernel
  await h.link.set(DUMMY, { up: true });
  const base = await baseline();
  const report: Record<string, unknown>[] = [];
  let failures = 0;
  for (const kind of kinds) {
    const args = (i: number): string => (kind === 'netns' ? `/run/netns/kd${i}` : kind === 'topology' ? (i % 2 ? 'bench20' : 'lab2') : '-');
    const cleanup = async (i: number): Promise<void> => {
      if (kind === 'netns') {
        // The first add made the directory a bind mount of itself: undo that, then remove it.
        try { libc().umount2(args(i), 2 /* MNT_DETACH */); } catch { /* not a mount point (killed before) */ }
        try { rmdirSync(args(i)); } catch { /* killed before mkdir */ }
      }
      if (kind === 'topology') {
        const now = await baseline();
        if (now !== base) throw new Error(`after destroy the namespace differs from before the first apply:\n${now}\n${base}`);
      }
    };
    const timeOf = async (i: number): Promise<number> => {
      const r = await run(['child', kind, args(i), backend]);
      if (r.code !== 0) throw new Error(`${kind} unkilled run failed: ${r.err}`);
      const n = await run(['next', kind, args(i), backend]); // cleans up
      if (n.code !== 0) throw new Error(`${kind} cleanup after the unkilled run failed: ${n.err}`);
      await cleanup(i);
      return r.ms;
    };
    const c = { kind, kills: 0, mid: 0, beforeStart: 0, finished: 0, nextOk: 0, nextFailed: 0, states: {} as Record<string, number>, opMs: [] as number[], examples: [] as string[] };
    let opMs = 0;
    let iter = 1000;
    for (let k = 0; k < kills; k++) {
      if (k % 10 === 0) { opMs = await timeOf(iter++); c.opMs.push(Math.round(opMs)); }
      const at = Math.random() * 1.2 * opMs;
      const i = iter++;
      const r = await run(['child', kind, args(i), backend], at);
      c.kills++;
      if (r.out.includes('done\n') || r.signal !== 'SIGKILL') c.finished++;
      else if (r.out.includes('go\n')) c.mid++;
      else c.beforeStart++;
      const n = await run(['next', kind, args(i), backend]);
      if (n.code === 0) {
        c.nextOk++;
        const res = JSON.parse(n.out.trim().split('\n').at(-1)!) as { state: string };
        c.states[res.state] = (c.states[res.state] ?? 0) + 1;
      } else {
        c.nextFailed++; failures++;
        if (c.examples.length < 5) c.examples.push(`kill at ${at.toFixed(0)} ms: ${n.err.trim().split('\n').slice(0, 3).join(' | ')}`);
      }
      try { await cleanup(i); } catch (e) { c.nextFailed++; failures++; if (c.examples.length < 5) c.examples.push(String(e)); }
      process.stderr.write(`${kind} ${k + 1}/${kills}: ${r.signal ?? `exit ${r.code}`} after ${at.toFixed(0)} ms, next ${n.code === 0 ? n.out.trim().split('\n').at(-1) : `FAILED: ${n.err.trim().split('\n').slice(0, 6).join(' | ')}`}\n`);
    }
    report.push(c);
  }
  await h.link.del(DUMMY);
  h.close();
  console.log(JSON.stringify({ backend, rules: RULES, routes: ROUTES, netns: NETNS, report }, null, 1));
  process.exitCode = failures ? 1 : 0;
}

const [mode, a1, a2, a3] = process.argv.slice(2);
if (mode === 'child') await child(a1 as Kind, a2!, (a3 ?? 'koffi') as BackendName);
else if (mode === 'next') console.log(JSON.stringify(await next(a1 as Kind, a2!, (a3 ?? 'koffi') as BackendName)));
else await parent(Number(mode ?? 30), (a1 ?? 'nft,addMany,netns,topology').split(',') as Kind[], (a2 ?? 'koffi') as BackendName);
