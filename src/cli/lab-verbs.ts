/**
 * `netlink-lab plan|up|down FILE`: the Terraform-like verbs. plan prints one line per change
 * (+ add, ~ change with old → new, - remove) and a summary; up prints the plan, then progress
 * while it applies (every step on a small lab; on a large one a line per ~10 % or per second),
 * then what it did; down removes what the lab owns.
 */
import { UsageError } from './errors.js';
import type { Io } from './io.js';
import { COMMON_HELP, labArgs, loadModel, noMore } from './lab-common.js';

export const PLAN_HELP = `usage: netlink-lab plan FILE [--json]

Compare the lab with the live kernel and print what up would do, one line per object:
  + add    ~ change (old → new)    - remove (owned by the lab, no longer in the file)
then a summary ("3 to add, 1 to change, 0 to destroy"), or "no changes" when the kernel
matches the lab. Conflicts are printed with ! — objects in the lab's way that are not the
lab's, or what the lab needs and this machine lacks (a vxlan's underlay device): up refuses
to start while there are any (exit 1). Nothing is changed.

Options:
      --exit-code        exit 1 also when there are changes (as git diff --exit-code):
                         0 means the kernel matches the lab

${COMMON_HELP}`;

export const UP_HELP = `usage: netlink-lab up FILE [--json] [--quiet]

Build the lab, or repair it: make a plan and apply it. Idempotent — an applied lab has nothing
to do. Veth ends are born inside their namespaces, links/addresses/routes go as bulk requests,
NAT and filter rules as one nftables batch per node. If any step fails, everything this up did
is undone and the error names the step, the object and the kernel's reason (exit 1).

Progress: the plan's lines first, then each step as it runs (on a lab with many steps, a line
per ~10 % of them or per second), then a summary.

Options:
  -q, --quiet            only the summary line
${COMMON_HELP}`;

export const DOWN_HELP = `usage: netlink-lab down FILE [--json]
       netlink-lab down --name LAB [--json]

Remove everything the lab owns — its namespaces, links, nft table, keepers and processes —
found from the kernel's own markers (link alias netlink-lab:<lab>, lo alias of its namespaces,
the table ip netlink_lab_<lab>, NETLINK_LAB=<lab>:… in keeper environments). Nothing else is
touched. Also works after a crash, and with --name from the lab's name alone (no file).

${COMMON_HELP}`;

export async function plan(argv: readonly string[], io: Io): Promise<number> {
  const a = labArgs(argv, 'plan', { 'exit-code': { type: 'boolean' } });
  if (!a) { io.out(PLAN_HELP); return 0; }
  noMore(a, 'plan');
  const model = await loadModel(a);
  const { plan: makePlan, planJson, planLines } = await import('../topology/plan.js');
  const p = await makePlan(model);
  io.out(a.json ? JSON.stringify(planJson(p)) : planLines(p).join('\n'));
  if (p.conflicts.length) {
    io.err(`plan: ${p.conflicts.length} conflict${p.conflicts.length === 1 ? '' : 's'}, up would refuse to start: ${p.conflicts[0]}`);
    return 1;
  }
  return a.parsed.values['exit-code'] === true && p.changes.length > 0 ? 1 : 0;
}

/** Progress lines for `total` steps: all of them when few, else one per ~10 % or per second. */
export function progress(total: number, write: (line: string) => void, now: () => number = Date.now): (index: number, label: string) => void {
  const start = now();
  let last = start, lastTenth = -1;
  const width = String(total).length;
  return (index, label) => {
    const n = index + 1;
    const tenth = Math.floor((n * 10) / total);
    const t = now();
    if (total <= 40 || n === 1 || tenth !== lastTenth || t - last >= 1000) {
      write(`  [${String(n).padStart(width)}/${total}] ${label}${total > 40 ? `  (${((t - start) / 1000).toFixed(1)} s)` : ''}`);
      last = t;
      lastTenth = tenth;
    }
  };
}

export async function up(argv: readonly string[], io: Io): Promise<number> {
  const a = labArgs(argv, 'up', { quiet: { type: 'boolean', short: 'q' } });
  if (!a) { io.out(UP_HELP); return 0; }
  noMore(a, 'up');
  const quiet = a.parsed.values['quiet'] === true;
  const model = await loadModel(a);
  const [{ plan: makePlan, planLines, planJson }, { apply }] = await Promise.all([import('../topology/plan.js'), import('../topology/apply.js')]);
  const t0 = performance.now();
  const p = await makePlan(model);
  const text = !a.json && !quiet;
  if (text) io.out(planLines(p).join('\n'));
  let tick: ((i: number, label: string) => void) | undefined;
  const r = await apply(model, {
    plan: p,
    onStep: (step, total) => {
      if (!text) return;
      tick ??= progress(total, (l) => io.out(l));
      tick(step.index, step.label);
    },
  });
  const ms = performance.now() - t0;
  const summary = p.changes.length === 0
    ? `lab ${model.name}: up to date, nothing to do`
    : `lab ${model.name}: applied ${p.changes.length} change${p.changes.length === 1 ? '' : 's'} in ${r.steps.length} step${r.steps.length === 1 ? '' : 's'} (${(ms / 1000).toFixed(2)} s)`;
  io.out(a.json ? JSON.stringify({ ...planJson(p), steps: r.steps.length, ms: Math.round(ms), summary }) : summary);
  return 0;
}

export async function down(argv: readonly string[], io: Io): Promise<number> {
  const { parse, str, bool } = await import('./args.js');
  const { COMMON_OPTIONS } = await import('./lab-common.js');
  const pre = parse(argv, { ...COMMON_OPTIONS, name: { type: 'string' } }, 'down');
  if (pre.help) { io.out(DOWN_HELP); return 0; }
  const byName = str(pre, 'name');
  let lab: string | Awaited<ReturnType<typeof loadModel>>;
  let json: boolean;
  if (byName !== undefined) {
    if (pre.positionals.length || str(pre, 'file') !== undefined) throw new UsageError('down: --name LAB and a lab file exclude each other');
    lab = byName;
    json = bool(pre, 'json');
  } else {
    const a = labArgs(argv.filter((x, i) => x !== '--name' && argv[i - 1] !== '--name'), 'down');
    if (!a) { io.out(DOWN_HELP); return 0; }
    noMore(a, 'down');
    lab = await loadModel(a);
    json = a.json;
  }
  const { destroy } = await import('../topology/destroy.js');
  const t0 = performance.now();
  const r = await destroy(lab);
  const ms = performance.now() - t0;
  const removed = [
    ...r.processes.map((pid) => `process ${pid}`), ...r.namespaces.map((n) => `netns ${n}`), ...r.links.map((l) => `link ${l}`),
    ...(r.nftTable ? ['nft table'] : []),
  ];
  // Host sysctls put back to their value from before the lab (when the layer saved them).
  const restored = (r as { sysctls?: readonly string[] }).sysctls ?? [];
  if (json) io.out(JSON.stringify({ ...r, ms: Math.round(ms) }));
  else io.out(`${[...removed.map((x) => `- ${x}`), ...restored.map((x) => `~ sysctl ${x}`)].join('\n')}${removed.length || restored.length ? '\n' : ''}lab ${r.lab}: ${removed.length ? `destroyed ${removed.length} object${removed.length === 1 ? '' : 's'}` : 'nothing to destroy'} (${(ms / 1000).toFixed(2)} s)`);
  return 0;
}

