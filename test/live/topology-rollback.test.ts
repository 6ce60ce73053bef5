// Live: apply of every seed lab (examples/labs/*.yaml) through the topology layer, failed by
// fault injection at EVERY step in turn: afterwards the full state — every namespace's links,
// addresses, routes, neighbours, rules, the nft ruleset, sysctls, /run/netns and lab processes —
// equals the state before, read with iproute2 and nft (independent of the library). Then the
// real apply, idempotence, and destroy back to the exact state before (host sysctls restored
// from the values apply saved in the lab's nft table). Both FFI backends.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { setBackend } from '../../src/ffi/libc.js';
import { LabApplyError, apply, destroy, findLabProcs, loadLab, plan, planLines, stepsOf } from '../../src/topology/index.js';
import type { LabModel } from '../../src/topology/index.js';
import { backends, enterFreshNetns } from '../helpers/live.js';

enterFreshNetns();

const labsDir = new URL('../../examples/labs/', import.meta.url);
const seeds = readdirSync(labsDir).filter((f) => /^lab\d.*\.yaml$/.test(f)).sort();

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' });
const SYSCTLS = ['net/ipv4/ip_forward', 'net/ipv4/conf/all/forwarding', 'net/ipv6/conf/all/forwarding', 'net/ipv4/conf/all/rp_filter'];

/**
 * Everything a lab could leave behind, per namespace, as text: this file's own namespace, the
 * named namespaces the lab's spec names (other test files share the sandbox's /run/netns and run
 * beside this one, with labs of their own) and the lab's processes.
 */
function snapshot(model: LabModel): Record<string, unknown> {
  const own = new Set(model.nodes.filter((n) => n.kind === 'netns').map((n) => n.netns!));
  const spaces = ['', ...readdirSync('/run/netns').filter((n) => own.has(n)).sort()];
  const out: Record<string, unknown> = { netns: spaces.slice(1), procs: findLabProcs(model.name).map((p) => `${p.lab}:${p.node}:${p.proc ?? ''}`) };
  for (const ns of spaces) {
    const ip = (...a: string[]): unknown => JSON.parse(run('ip', [...(ns ? ['-n', ns] : []), '-j', ...a]) || '[]');
    const strip = (xs: unknown): unknown => (xs as Array<Record<string, unknown>>).map(({ ifindex: _i, link_index: _l, ...rest }) => rest);
    const nsx = (cmd: string, a: string[]): string => run(ns ? 'ip' : cmd, ns ? ['netns', 'exec', ns, cmd, ...a] : a);
    out[ns || '(current)'] = {
      links: strip(ip('-d', 'link', 'show')),
      addrs: ip('addr', 'show'),
      routes: ip('route', 'show', 'table', 'all'),
      routes6: ip('-6', 'route', 'show', 'table', 'all'),
      neigh: ip('neigh', 'show'),
      rules: ip('rule', 'show'),
      nft: nsx('nft', ['list', 'ruleset']),
      sysctls: SYSCTLS.map((k) => `${k}=${nsx('cat', [`/proc/sys/${k}`]).trim()}`),
    };
  }
  return out;
}

for (const backend of backends) {
  for (const file of seeds) {
    t.test(`${backend}: ${file} — fault at every step rolls back to the exact prior state; apply, re-apply, destroy`, async (t) => {
      setBackend(backend);
      const model = loadLab(new URL(file, labsDir).pathname);
      // A new namespace inherits ip_forward from where it was made: start from 0, so labs that
      // need forwarding change it (and rollback / destroy must put it back).
      run('sh', ['-c', 'echo 0 > /proc/sys/net/ipv4/ip_forward']);
      const before = snapshot(model);
      const steps = stepsOf(await plan(model));
      t.ok(steps.length >= 3, `${steps.length} steps`);
      for (const s of steps) {
        const err = await apply(model, { failAt: s.index }).then(() => undefined, (e: unknown) => e);
        t.ok(err instanceof LabApplyError, `failAt ${s.index} (${s.label}): LabApplyError`);
        const e = err as LabApplyError;
        t.equal(e.step, s.index, 'the error names the step');
        t.ok(e.message.includes(s.changes[0]!.object), `and the object: ${e.message}`);
        t.same(e.rollbackErrors.map((x) => x.message), [], 'clean rollback');
        t.same(snapshot(model), before, `state after a failure at step ${s.index} equals the state before`);
      }
      const res = await apply(model);
      t.equal(res.steps.length, steps.length, 'the real apply runs the same steps');
      const again = await plan(model);
      t.same(planLines(again).slice(0, -1), [], 'applied: plan is empty');
      t.equal((await apply(model)).steps.length, 0, 'apply again: nothing to do');
      t.same(findLabProcs(model.name).filter((p) => p.proc === undefined).map((p) => p.node).sort(),
        model.nodes.filter((n) => n.kind === 'unshared').map((n) => n.name).sort(), 'one keeper per unnamed node');
      const gone = await destroy(model.name);
      t.equal(gone.namespaces.length, model.nodes.filter((n) => n.kind === 'netns').length, 'destroy by name deleted the lab\'s namespaces');
      const hostSysctls = model.nodes.filter((n) => n.kind === 'host').flatMap((n) => n.sysctls.map(([k]) => `${k}=0`));
      t.same(gone.sysctls, hostSysctls, 'destroy put the host sysctls back from the values apply saved in the kernel');
      t.same(snapshot(model), before, 'after destroy: exactly the state before');
    });
  }
}
