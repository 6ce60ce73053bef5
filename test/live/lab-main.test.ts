// Live: the main job, `npm run lab` (= node dist/examples/lab-main.js inside tools/sandbox.sh),
// run as a user runs it, in a LabHost of its own: it prints the plan, builds lab 1, prints the
// topology (status) and the connectivity matrix proved with packets (check), plans nothing
// left to do, writes the SVG, tears the lab down — and the machine is as it was. Both backends.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backends } from '../helpers/live.js';
import { LABS, LabHost } from '../helpers/lab-host.js';

const MAIN = fileURLToPath(new URL('../../dist/examples/lab-main.js', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

t.test('npm run lab is: build, then lab-main inside the sandbox', async (t) => {
  t.equal(pkg.scripts['lab'], 'npm run build && tools/sandbox.sh node dist/examples/lab-main.js');
});

for (const ffi of backends) {
  t.test(`${ffi}: lab-main — plan, up, status, check matrix, plan empty, SVG, down`, async (t) => {
    const host = await LabHost.start('h-main');
    t.teardown(() => host.stop());
    const dir = mkdtempSync(join(tmpdir(), 'nl-lab-main-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const svg = join(dir, 'lab1.svg');
    const before = host.snapshot();
    const r = host.run(process.execPath, [MAIN, `${LABS}lab1.yaml`, svg], { NETLINK_TS_FFI: ffi });
    t.equal(r.code, 0, `exit 0${r.code ? `: ${r.stdout}${r.stderr}` : ''}`);
    t.equal(r.stderr, '', 'nothing on stderr');
    const out = r.stdout;
    const sections = [...out.matchAll(/^== (.+)$/gm)].map((m) => m[1]);
    t.same(sections, [
      'what the lab needs (plan)', 'build it (up)', 'the live topology (status)', 'the connectivity matrix, with real packets (check)',
      'applied: nothing left to do (plan)', 'the picture (graph → SVG)', 'tear it down (down)',
    ], 'the steps, in order');
    t.match(out, /^\+ node A: netns A/m, 'the plan: the namespaces to add');
    t.match(out, /^\+ veth host\/veth-out: veth ↔ outside\/eth0/m, 'the plan: the cable to outside');
    t.match(out, /^lab lab1: \d+ to add, \d+ to change, 0 to destroy$/m, 'the plan\'s summary');
    t.match(out, /^lab lab1: applied \d+ changes in \d+ steps/m, 'up');
    t.match(out, /^ {2}veth-out@if\d+ +UP +192\.168\.100\.1\/24 .*peer eth0 in outside$/m, 'status: the host\'s cable to outside');
    t.match(out, /^ {2}eth0@if\d+ +UP +10\.0\.0\.2\/24 .*peer veth-a in host$/m, 'status: A\'s cable to the bridge');
    t.match(out, /^A +✓ tcp\/8080 seen 192\.168\.100\.1/m, 'the matrix: A reaches outside, masqueraded to the host\'s address');
    t.match(out, /^B +✓ tcp\/8080 seen 192\.168\.100\.1, ✓ udp\/5353 seen 192\.168\.100\.1/m, 'B too, TCP and UDP');
    t.match(out, /^C .*✓ tcp\/8081 seen 10\.0\.0\.4$/m, 'C → A on the bridge keeps its own address');
    t.match(out, /^outside .*✓ tcp\/8082 (unreachable|timeout|refused)$/m, 'outside cannot reach in');
    t.match(out, /^5 expectations: 5 ✓, 0 ✗$/m);
    t.equal(out.match(/^lab lab1: no changes, the kernel matches the lab$/gm)?.length, 2, 'status and the second plan: nothing to do');
    t.match(out, new RegExp(`^wrote ${svg.replace(/[.]/g, '\\.')} \\(svg, \\d+ bytes\\)$`, 'm'), 'graph wrote the SVG');
    t.match(out, /^lab lab1: destroyed 10 objects/m, 'down');
    t.match(out, /lab 1 built, proved and removed; the drawing is /);
    const picture = readFileSync(svg, 'utf8');
    t.match(picture, /<svg [^]*<\/svg>/, 'an SVG document');
    for (const s of ['bridge_0', 'veth&#45;out', '192.168.100.2/24', 'outside']) t.ok(picture.includes(s), `the drawing shows ${s}`);
    const { sysctls: _a, ...after } = host.snapshot() as Record<string, unknown>;
    const { sysctls: _b, ...was } = before as Record<string, unknown>;
    t.same(after, was, 'after the run the machine\'s network is as before (links, addresses, routes, nft, /run/netns, processes)');
  });
}

t.test('lab-main refuses to run outside the sandbox', async (t) => {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, [MAIN], { encoding: 'utf8', env: { ...process.env, NETLINK_TS_SANDBOX: '' } });
  t.equal(r.status, 2);
  t.match(r.stderr, /run it in the sandbox \(npm run lab\)/);
});
