/**
 * The main job (`npm run lab`): seed lab 1 from its file, examples/labs/lab1.yaml —
 *
 *   A 10.0.0.2 ─┐
 *   B 10.0.0.3 ─┼─ bridge_0 10.0.0.1 (host: ip_forward, masquerade) ── veth-out 192.168.100.1 ── outside 192.168.100.2
 *   C 10.0.0.4 ─┘
 *
 * — driven through the netlink-lab CLI exactly as a user types it: plan (everything to add),
 * up, status (the live topology), check (the connectivity matrix, proved with real packets),
 * plan again (nothing to do), graph (the SVG, rendered in-process), and down (always, also
 * after a failure). Exit status: that of the first step that failed, else 0.
 *
 *   node dist/examples/lab-main.js [LAB_FILE [SVG_OUT]]     (inside tools/sandbox.sh only)
 */
import { spawnSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') {
  console.error('lab-main changes network state: run it in the sandbox (npm run lab)');
  process.exit(2);
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../bundle/netlink-lab.js', import.meta.url));
const file = resolve(process.argv[2] ?? `${ROOT}examples/labs/lab1.yaml`);
const svg = resolve(process.argv[3] ?? `${ROOT}dist/lab1.svg`);
const show = (p: string): string => (p.startsWith(ROOT) ? relative(process.cwd(), p) || '.' : p);

let failed = 0;
function step(title: string, args: readonly string[]): number {
  console.log(`\n== ${title}\n$ netlink-lab ${args.map((a) => (a === file || a === svg ? show(a) : a)).join(' ')}`);
  const r = spawnSync(process.execPath, [BIN, ...args], { stdio: 'inherit' });
  const code = r.status ?? 1;
  if (code !== 0 && failed === 0) failed = code;
  return code;
}

try {
  step('what the lab needs (plan)', ['plan', file]);
  if (step('build it (up)', ['up', file]) === 0) {
    step('the live topology (status)', ['status', file]);
    step('the connectivity matrix, with real packets (check)', ['check', file]);
    step('applied: nothing left to do (plan)', ['plan', file]);
    step('the picture (graph → SVG)', ['graph', file, '-o', svg]);
  }
} finally {
  step('tear it down (down)', ['down', file]);
}
console.log(failed === 0 ? `\nlab 1 built, proved and removed; the drawing is ${show(svg)}` : `\nfailed (exit ${failed})`);
process.exitCode = failed;
