// netlink-lab as a user runs it (the bundled bin, dist/bundle/netlink-lab.js; `npm run build`
// first), for what needs no kernel: --help on every verb, usage errors (exit 2, one line), an
// invalid lab file (exit 1, one line naming the spec path), graph's DOT and SVG output.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, STACK } from '../helpers/cli.js';

const BIN = fileURLToPath(new URL('../../dist/bundle/netlink-lab.js', import.meta.url));
const LAB1 = join(ROOT, 'examples/labs/lab1.yaml');

function lab(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['NETLINK_DUMP_DEBUG'];
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, env, input: '' });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const VERBS = ['up', 'plan', 'down', 'status', 'check', 'graph', 'exec'];

t.test('--help: the overview and every verb', async (t) => {
  const top = lab(['--help']);
  t.equal(top.code, 0);
  for (const v of VERBS) t.match(top.stdout, new RegExp(`^  ${v} +\\S`, 'm'), `lists ${v}`);
  for (const v of VERBS) {
    const r = lab([v, '--help']);
    t.equal(r.code, 0, `${v} --help exits 0`);
    t.match(r.stdout, new RegExp(`^usage: netlink-lab ${v} `), `${v} --help starts with its usage`);
    t.match(r.stdout, /--host NAME/, `${v} --help names the common options`);
    t.equal(r.stderr, '');
  }
  t.equal(lab(['help', 'check']).stdout, lab(['check', '--help']).stdout, 'help VERB = VERB --help');
});

t.test('usage errors: exit 2, one line on stderr, no stack', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [[], /^netlink-lab: no command given/],
    [['frobnicate'], /^netlink-lab: unknown command "frobnicate"/],
    [['up'], /^netlink-lab: up: no lab file given/],
    [['plan', LAB1, '--bogus'], /^netlink-lab: plan: Unknown option '--bogus'/],
    [['plan', LAB1, 'extra'], /^netlink-lab: plan: unexpected argument "extra"/],
    [['check', LAB1, '--timeout', 'soon'], /^netlink-lab: check: --timeout takes a positive integer, got "soon"/],
    [['graph', LAB1, '--format', 'png'], /^netlink-lab: graph: --format takes dot or svg, got "png"/],
    [['exec', LAB1, 'A'], /^netlink-lab: exec: no command given after --/],
    [['exec', LAB1, '--', 'true'], /^netlink-lab: exec: no node given/],
    [['up', LAB1, '--ffi', 'ctypes'], /^netlink-lab: up: --ffi takes koffi or ffi-napi, got "ctypes"/],
    [['down', '--name', 'lab1', LAB1], /^netlink-lab: down: --name LAB and a lab file exclude each other/],
  ];
  for (const [args, re] of cases) {
    const r = lab(args);
    t.equal(r.code, 2, `${args.join(' ') || '(nothing)'}: exit 2`);
    t.match(r.stderr, re);
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    t.notMatch(r.stderr, STACK);
    t.equal(r.stdout, '');
  }
});

t.test('an invalid lab file: exit 1, one line with the file and every spec path, before any syscall', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nl-lab-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const f = join(dir, 'bad.yaml');
  writeFileSync(f, 'name: bad\nnodes:\n  red: { kind: netns }\n  blue: { kind: netns }\nlinks:\n  - { kind: veth, a: { node: red, ifname: a }, b: { node: blu, ifname: b } }\nroutes:\n  - { node: red, dst: default, via: 10.9.9.9 }\n');
  for (const v of ['up', 'plan', 'status', 'check', 'graph', 'down']) {
    const r = lab([v, f]);
    t.equal(r.code, 1, `${v}: exit 1`);
    t.equal(r.stderr.trim().split('\n').length, 1, `${v}: one line`);
    t.match(r.stderr, /^netlink-lab: LabSpecError: .*bad\.yaml: 2 problems in the lab spec: links\[0\]\.b\.node: unknown node "blu"; did you mean "blue"\?; routes\[0\]\.via: /, `${v}: names the file and the paths`);
  }
  const missing = lab(['plan', join(dir, 'nope.yaml')]);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /nope\.yaml: cannot read the lab file/);
});

t.test('graph: DOT on stdout, SVG to a file, JSON', async (t) => {
  const dot = lab(['graph', LAB1]);
  t.equal(dot.code, 0);
  t.match(dot.stdout, /^graph "lab1" \{/);
  t.match(dot.stdout, /headlabel="eth0\\n192\.168\.100\.2\/24"/);
  const dir = mkdtempSync(join(tmpdir(), 'nl-lab-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'lab1.svg');
  const svg = lab(['graph', LAB1, '-o', out]);
  t.equal(svg.code, 0);
  t.match(svg.stdout, new RegExp(`^wrote ${out.replace(/[.]/g, '\\.')} \\(svg, \\d+ bytes\\)$`, 'm'));
  const text = readFileSync(out, 'utf8');
  t.match(text, /<svg [^]*bridge_0[^]*<\/svg>/, 'an SVG with the bridge');
  const j = JSON.parse(lab(['graph', LAB1, '--json']).stdout) as { format: string; dot: string };
  t.equal(j.format, 'dot');
  t.equal(j.dot, dot.stdout.replace(/\n$/, '') + '\n', 'the same DOT');
});

t.test('up\'s progress lines: every step on a small lab, ~10 % steps or once a second on a large one', async (t) => {
  const { progress } = await import('../../src/cli/lab-verbs.js');
  const small: string[] = [];
  const p1 = progress(5, (l) => small.push(l), () => 0);
  for (let i = 0; i < 5; i++) p1(i, `step ${i}`);
  t.same(small, ['  [1/5] step 0', '  [2/5] step 1', '  [3/5] step 2', '  [4/5] step 3', '  [5/5] step 4']);
  const big: string[] = [];
  let clock = 0;
  const p2 = progress(1500, (l) => big.push(l), () => clock);
  for (let i = 0; i < 1500; i++) { clock += 1; p2(i, `+ address n${i}`); } // 1 ms per step: 1.5 s in all
  t.ok(big.length >= 11 && big.length <= 13, `a line per tenth (and the first): ${big.length} lines`);
  t.equal(big[0], '  [   1/1500] + address n0  (0.0 s)');
  t.match(big.at(-1), /^ {2}\[1500\/1500\] \+ address n1499 {2}\(1\.5 s\)$/, 'the last step, with the time so far');
  const slow: string[] = [];
  clock = 0;
  const p3 = progress(1000, (l) => slow.push(l), () => clock);
  for (let i = 0; i < 50; i++) { clock += 400; p3(i, 'x'); } // 400 ms per step
  t.ok(slow.length >= 15 && slow.length <= 26, `slow steps: about one line per second (${slow.length} lines for 20 s)`);
});

t.test('a multi-host lab: graph draws all of it without --host; the kernel verbs need --host', async (t) => {
  const file = join(ROOT, 'examples/labs/two-hosts.yaml');
  const g = lab(['graph', file]);
  t.equal(g.code, 0);
  t.match(g.stdout, /subgraph "cluster_host_h1"[^]*subgraph "cluster_host_h2"/, 'both machines');
  t.match(g.stdout, /"bridge:m1:br0" -- "bridge:m2:br0" \[label="vxlan vx50\\nvni 50"/, 'the overlay between them');
  for (const v of ['up', 'plan', 'status', 'check']) {
    const r = lab([v, file]);
    t.equal(r.code, 1, `${v} without --host: exit 1`);
    t.match(r.stderr, /the lab spans hosts \(h1, h2\): choose one host's part \(--host NAME\)/);
  }
  const bad = lab(['plan', file, '--host', 'h3']);
  t.equal(bad.code, 1);
  t.match(bad.stderr, /--host h3: the lab has no host "h3"/);
});

t.test("containerlab's verb names are aliases: deploy = up, destroy = down, inspect = status", async (t) => {
  for (const [alias, verb] of [['deploy', 'up'], ['destroy', 'down'], ['inspect', 'status']] as const) {
    const r = lab([alias, '--help']);
    t.equal(r.code, 0, `${alias} --help exits 0`);
    t.equal(r.stdout, lab([verb, '--help']).stdout, `${alias} --help is ${verb}'s`);
    t.equal(lab(['help', alias]).stdout, r.stdout, `help ${alias}`);
  }
  t.match(lab(['--help']).stdout, /^containerlab's names work too: deploy \(up\), destroy \(down\), inspect \(status\)\.$/m, 'the overview says so');
});

t.test('plan --exit-code is documented in plan --help', async (t) => {
  t.match(lab(['plan', '--help']).stdout, /^ {6}--exit-code +exit 1 also when there are changes/m);
});

t.test('a YAML syntax error: one line, the position, no dangling code frame', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const f = join(dir, 'broken.yaml');
  writeFileSync(f, 'name: x\nnodes: [\n');
  const r = lab(['plan', f]);
  t.equal(r.code, 1);
  t.match(r.stderr, /^netlink-lab: LabSpecError: .*broken\.yaml: not valid YAML\/JSON: .* at line 3, column 1\n$/, r.stderr);
});
