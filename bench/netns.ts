/**
 * Named namespaces: create + delete N (default 100) named network namespaces, as
 * `ip netns add` / `ip netns del` do, with netlink-ts (each FFI backend) and with iproute2 in
 * the same run (one `ip` process per operation, as scripts do it; and `ip -batch`, one process).
 * Medians of REPS reps; every rep is verified (the names exist after the adds and are gone after
 * the deletes). Creates namespaces: run it in the sandbox (bench/run.sh does).
 *   node dist/bench/netns.js [N] [reps]
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { BACKENDS, loadBackend } from '../src/ffi/libc.js';
import { addNetns, deleteNetns } from '../src/netns/registry.js';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') throw new Error('creates namespaces: run inside tools/sandbox.sh');
const N = Number(process.argv[2] ?? 100);
const REPS = Number(process.argv[3] ?? 7);
const names = Array.from({ length: N }, (_, i) => `bn${i}`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

function verify(present: boolean): void {
  const have = new Set(readdirSync('/run/netns'));
  const bad = names.filter((n) => have.has(n) !== present);
  if (bad.length) throw new Error(`verification failed: ${bad.length} names ${present ? 'missing' : 'left over'} (${bad.slice(0, 3).join(', ')}…)`);
}

type Impl = { name: string; add: () => void; del: () => void };
const impls: Impl[] = [
  ...BACKENDS.map((b) => {
    const libc = loadBackend(b);
    return { name: `netlink-ts (${b})`, add: () => { for (const n of names) addNetns(n, { libc }); }, del: () => { for (const n of names) deleteNetns(n, { libc }); } };
  }),
  {
    name: 'ip netns add/del (a process each)',
    add: () => { for (const n of names) execFileSync('ip', ['netns', 'add', n]); },
    del: () => { for (const n of names) execFileSync('ip', ['netns', 'del', n]); },
  },
  {
    name: 'ip -batch',
    add: () => { writeFileSync('/tmp/nlts-netns.batch', names.map((n) => `netns add ${n}\n`).join('')); execFileSync('ip', ['-batch', '/tmp/nlts-netns.batch']); },
    del: () => { writeFileSync('/tmp/nlts-netns.batch', names.map((n) => `netns del ${n}\n`).join('')); execFileSync('ip', ['-batch', '/tmp/nlts-netns.batch']); },
  },
];

const rows: string[] = [];
for (const impl of impls) {
  const adds: number[] = [], dels: number[] = [], totals: number[] = [];
  for (let r = 0; r < REPS; r++) {
    let t0 = process.hrtime.bigint();
    impl.add();
    const a = ms(t0);
    verify(true);
    t0 = process.hrtime.bigint();
    impl.del();
    const d = ms(t0);
    verify(false);
    adds.push(a); dels.push(d); totals.push(a + d);
  }
  rows.push(`| ${impl.name} | ${median(adds).toFixed(1)} | ${median(dels).toFixed(1)} | ${median(totals).toFixed(1)} |`);
}
console.log(`create + delete ${N} named network namespaces, median of ${REPS} (ms), each rep verified\n`);
console.log('| implementation | add ×N | del ×N | total |\n|---|---|---|---|');
for (const r of rows) console.log(r);
