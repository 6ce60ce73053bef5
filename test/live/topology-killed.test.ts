// Live: an apply killed with SIGKILL never blocks the next one (issue 17, found by bench/kill.ts).
// Two leftovers used to: a named namespace whose lo had not got the lab's marker yet (apply made
// the name first and marked it after — now the namespace is made unnamed, marked, then attached
// under its name), and a link created (with the lab's group, in the creating request) but not yet
// marked with the lab's alias (the kernel ignores an alias on creation) — now plan deletes and
// remakes such a half-made link and destroy removes it. Both FFI backends.
import t from 'tap';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { setBackend } from '../../src/ffi/libc.js';
import { apply, destroy, linkGroup, loadLab, plan } from '../../src/topology/index.js';
import { backends, enterFreshNetns, ip, ipJson } from '../helpers/live.js';

enterFreshNetns();

const lab2 = new URL('../../examples/labs/lab2.yaml', import.meta.url).pathname;
// The child loads the build (test/run.sh builds dist/ first).
const topology = new URL('../../dist/src/topology/index.js', import.meta.url).href;
const hostLinks = (): string[] => ipJson<{ ifname: string }[]>('link', 'show').map((l) => l.ifname).sort();
const named = (): string[] => readdirSync('/run/netns').filter((n) => n === 'red' || n === 'blue');

for (const backend of backends) {
  t.test(`${backend}: a half-made link (the lab's group, no alias) is remade by apply and removed by destroy`, async (t) => {
    setBackend(backend);
    const model = loadLab(lab2);
    const before = hostLinks();
    // What an apply killed between creating the bridge and marking it leaves.
    ip('link', 'add', 'v-net-0', 'group', String(linkGroup('lab2')), 'type', 'bridge');
    const p = await plan(model);
    t.same(p.conflicts, [], 'not a conflict');
    t.ok(p.changes.some((c) => c.op === '-' && c.kind === 'link-del' && c.object === 'host/v-net-0'), 'planned: delete the half-made bridge');
    t.ok(p.changes.some((c) => c.op === '+' && c.kind === 'bridge' && c.object === 'host/v-net-0'), 'planned: make it again');
    await apply(model);
    t.same((await plan(model)).changes.map((c) => `${c.op} ${c.kind} ${c.object}`), [], 'converged: nothing left to do');
    t.match(ip('-d', 'link', 'show', 'v-net-0'), /alias netlink-lab:lab2/, 'the bridge carries the marker now');
    await destroy(model);
    t.same(hostLinks(), before, 'destroy removed every link');
    t.same(named(), [], 'and the namespaces');

    // destroy straight after such a kill, without an apply in between.
    ip('link', 'add', 'v-net-0', 'group', String(linkGroup('lab2')), 'type', 'bridge');
    await destroy('lab2');
    t.same(hostLinks(), before, 'destroy alone removes a half-made link');
    // A link of another group without an alias is not the lab's: left alone, a conflict.
    ip('link', 'add', 'v-net-0', 'type', 'bridge');
    t.match((await plan(model)).conflicts, [/host\/v-net-0 exists and is not this lab's/], "a foreign link is still a conflict");
    await destroy('lab2');
    t.ok(hostLinks().includes('v-net-0'), 'and destroy leaves it');
    ip('link', 'del', 'v-net-0');
  });

  t.test(`${backend}: apply killed at random points, then apply converges and destroy removes everything`, async (t) => {
    setBackend(backend);
    const model = loadLab(lab2);
    const before = hostLinks();
    // The child reports each step; the kill lands after a random number of them (0 … all).
    const script = `const { apply, loadLab } = await import(${JSON.stringify(topology)});
      await apply(loadLab(${JSON.stringify(lab2)}), { onStep: (s) => process.stdout.write('step ' + s.index + '\\n') });
      process.stdout.write('done\\n');`;
    for (let k = 0; k < 4; k++) {
      const after = k; // steps seen before the kill: 0, 1, 2, 3
      const r = await new Promise<string>((resolve) => {
        const c = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NETLINK_TS_FFI: backend } });
        let out = '', seen = 0;
        c.stdout.on('data', (d: Buffer) => {
          out += d;
          seen = (out.match(/^step /gm) ?? []).length;
          if (seen > after) c.kill('SIGKILL');
        });
        c.on('exit', (_code, signal) => resolve(`${signal ?? 'exit'} after ${seen} step(s)`));
      });
      t.comment(r);
      await apply(model);
      t.same((await plan(model)).changes.map((c) => `${c.op} ${c.kind} ${c.object}`), [], `kill ${k} (${r}): the next apply converges`);
      await destroy(model);
      t.same(hostLinks(), before, `kill ${k}: destroy removed every link`);
      t.same(named(), [], `kill ${k}: and the namespaces`);
    }
  });
}
