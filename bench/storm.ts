/**
 * Monitor storm (issue 17 item 12): a monitor with a 4 KiB receive buffer reads while a child
 * `ip -force -batch` makes CHANGES (default 20,000) link changes — MTU changes and links added
 * and deleted, which also interrupt the monitor's resync dumps (NLM_F_DUMP_INTR). The view built
 * from the events (snapshot at each `resynced`, notifications applied in order) must end equal to
 * the kernel's link table. Prints lost/resynced/retry counts; exit 1 on a mismatch or if the
 * iterator ended.
 *   tools/sandbox.sh node dist/bench/storm.js [CHANGES] [koffi|ffi-napi]
 */
import { execFileSync, spawn } from 'node:child_process';
import { type BackendName, loadBackend } from '../src/ffi/libc.js';
import { monitor } from '../src/route/monitor/monitor.js';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') throw new Error('changes network state: run inside tools/sandbox.sh');
const CHANGES = Number(process.argv[2] ?? 20_000);
const backend = (process.argv[3] ?? 'koffi') as BackendName;
const lib = loadBackend(backend);
const LINKS = 100;
const ipBatch = (lines: string[]): Promise<number | null> => {
  const c = spawn('ip', ['-force', '-batch', '-'], { stdio: ['pipe', 'ignore', 'ignore'] });
  c.stdin.end(`${lines.join('\n')}\n`);
  return new Promise((r) => c.on('exit', (code) => r(code)));
};
const names = Array.from({ length: LINKS }, (_, i) => `sb${i}`);
await ipBatch(names.map((n) => `link add ${n} type bridge`));
const m = monitor({ libc: lib, kinds: ['link'], rcvbuf: 4096 });
let view = new Map<number, number | undefined>();
let snap: Map<number, number | undefined> | undefined;
let lost = 0, resynced = 0, events = 0, interrupted = 0, ended = false, seen = false, stormDone = false;
const t0 = performance.now();
const lines = Array.from({ length: CHANGES }, (_, i) => i % 3 === 0
  ? `link set ${names[i % LINKS]} mtu ${1280 + (i % 200)}`
  : i % 120 < 60 ? `link add sq${(i >> 1) % 20} type bridge` : `link del sq${(i >> 1) % 20}`);
const storm = ipBatch(lines).then(() => { stormDone = true; });
const reader = (async () => {
  for (;;) {
    const r = await m.next();
    if (r.done) { ended = true; return; }
    const ev = r.value;
    events++;
    if (ev.kind === 'lost') { lost++; snap = new Map(); continue; }
    if (ev.kind === 'resynced') { resynced++; if (ev.interrupted) interrupted++; if (snap) view = snap; snap = undefined; continue; }
    if (ev.kind !== 'link') continue;
    if (ev.action === 'resync') { snap?.set(ev.link.index, ev.link.mtu); continue; }
    if (ev.action === 'del') view.delete(ev.link.index); else view.set(ev.link.index, ev.link.mtu);
    if (stormDone && ev.link.name === 'sbend' && !snap) { seen = true; return; }
  }
})();
await storm;
const stormMs = performance.now() - t0;
execFileSync('ip', ['link', 'add', 'sbend', 'type', 'bridge']);
for (let i = 0; !seen && !ended && i < 120; i++) {
  await Promise.race([reader, new Promise((r) => setTimeout(r, 500))]);
  if (!seen && !ended && !snap) execFileSync('ip', ['link', 'set', 'sbend', 'mtu', String(1300 + i)]);
}
const kernel = new Map<number, number>((JSON.parse(execFileSync('ip', ['-j', 'link', 'show'], { encoding: 'utf8' })) as { ifindex: number; mtu: number }[]).map((l) => [l.ifindex, l.mtu]));
const same = kernel.size === view.size && [...kernel].every(([k, v]) => view.get(k) === v);
console.log(JSON.stringify({ backend, changes: CHANGES, stormMs: Math.round(stormMs), events, lost, resynced, resyncRetries: m.resyncRetries, interruptedSnapshots: interrupted, ended, viewEqualsKernel: same, links: kernel.size }));
await m.return();
await ipBatch([...names, 'sbend', ...Array.from({ length: 20 }, (_, i) => `sq${i}`)].map((n) => `link del ${n}`));
process.exitCode = same && !ended ? 0 : 1;
