/**
 * CNI ADD and DEL as whole processes, as a runtime runs them: netlink-ts-cni (dist/bundle,
 * each FFI backend) against the reference bridge + host-local (containernetworking-plugins
 * 1.1.1, /usr/lib/cni) on the same configuration (isGateway, ipMasq — the reference runs
 * iptables for it), interleaved in one run, each ADD into a fresh container namespace. The first
 * WARM iterations of each (bridge creation) are not counted. Every ADD result is checked.
 * Creates namespaces: run it in the sandbox.
 *   tools/sandbox.sh node dist/bench/cni.js [N=30] [WARM=3]
 * With dist/bundle/netlink-ts-cni.blob present (npm run bundle:cni-snapshot) another row times
 * the plugin started from that V8 snapshot. Each iteration runs ADD, CHECK (prevResult: that
 * ADD's result) and DEL. Ours is the published bin (dist/bundle/netlink-ts-cni.cjs: the CommonJS
 * bundle with its V8 code cache, kept in a temporary directory of this run; the warm-up fills it).
 *   CNI_BEFORE=DIR   also time DIR's dist/bundle/netlink-ts-cni.js (the ESM bin before issue 16)
 *                    in the same rounds, as "before".
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') throw new Error('creates namespaces: run inside tools/sandbox.sh');
const N = Number(process.argv[2] ?? 30);
const WARM = Number(process.argv[3] ?? 3);
const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const OURS = join(ROOT, 'dist/bundle/netlink-ts-cni.cjs');
const BEFORE = process.env['CNI_BEFORE'] ? join(resolve(process.env['CNI_BEFORE']), 'dist/bundle/netlink-ts-cni.js') : undefined;
const bin = mkdtempSync(join(tmpdir(), 'nlts-bench-cni-'));
symlinkSync(OURS, join(bin, 'netlink-ts-cni'));
if (BEFORE) { mkdirSync(join(bin, 'before')); symlinkSync(BEFORE, join(bin, 'before', 'netlink-ts-cni')); }
const PATH = `${bin}:/usr/lib/cni`;
const CODE_CACHE = mkdtempSync(join(tmpdir(), 'nlts-bench-cni-cache-'));

interface Impl { readonly name: string; readonly type: string; readonly file: string; args: string[]; readonly env: Record<string, string>; readonly subnet: string; add: number[]; del: number[]; check: number[]; cpuAdd: number; cpuDel: number; cpuCheck: number }
const impl = (name: string, type: string, file: string, octet: number, env: Record<string, string> = {}): Impl =>
  ({ name, type, file, args: [], env: { NETLINK_TS_CACHE_DIR: CODE_CACHE, ...env }, subnet: `10.${octet}.0.0/24`, add: [], del: [], check: [], cpuAdd: 0, cpuDel: 0, cpuCheck: 0 });
/** CPU time (user + system, ms) of this process's waited-for children so far: /proc/self/stat cutime + cstime (10 ms ticks; summed over runs). */
function childCpu(): number {
  const f = readFileSync('/proc/self/stat', 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[13]) + Number(rest[14])) * 10;
}
const impls: Impl[] = [
  impl('reference bridge + host-local 1.1.1', 'bridge', '/usr/lib/cni/bridge', 201),
  impl('netlink-ts-cni (koffi)', 'netlink-ts-cni', join(bin, 'netlink-ts-cni'), 202, { NETLINK_TS_FFI: 'koffi' }),
  impl('netlink-ts-cni (ffi-napi)', 'netlink-ts-cni', join(bin, 'netlink-ts-cni'), 203, { NETLINK_TS_FFI: 'ffi-napi' }),
];
if (BEFORE) {
  impls.splice(1, 0, impl('before: netlink-ts-cni (koffi)', 'netlink-ts-cni', join(bin, 'before', 'netlink-ts-cni'), 205, { NETLINK_TS_FFI: 'koffi' }));
  impls.splice(3, 0, impl('before: netlink-ts-cni (ffi-napi)', 'netlink-ts-cni', join(bin, 'before', 'netlink-ts-cni'), 206, { NETLINK_TS_FFI: 'ffi-napi' }));
}
// The experimental V8 start-up snapshot (npm run bundle:cni-snapshot), when built.
const BLOB = join(ROOT, 'dist/bundle/netlink-ts-cni.blob');
if (existsSync(BLOB)) {
  const snap = impl('netlink-ts-cni (koffi, V8 start-up snapshot, experimental)', 'netlink-ts-cni', process.execPath, 204, { NETLINK_TS_FFI: 'koffi' });
  snap.args = ['--no-warnings', '--snapshot-blob', BLOB];
  impls.push(snap);
}
const data = mkdtempSync(join(tmpdir(), 'nlts-bench-cni-data-'));
const conf = (i: Impl, prevResult?: unknown) => JSON.stringify({
  cniVersion: '1.0.0', name: `bench${i.subnet.split('.')[1]}`, type: i.type, bridge: `cnib${i.subnet.split('.')[1]}`, isGateway: true, ipMasq: true,
  ipam: { type: 'host-local', ranges: [[{ subnet: i.subnet }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: data },
  ...(prevResult === undefined ? {} : { prevResult }),
});

let lastStdout = '';
function run(i: Impl, command: 'ADD' | 'DEL' | 'CHECK', id: string, ns: string, prevResult?: unknown): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(i.file, i.args, {
    input: conf(i, prevResult), encoding: 'utf8',
    env: { PATH: process.env['PATH'], CNI_COMMAND: command, CNI_CONTAINERID: id, CNI_NETNS: `/run/netns/${ns}`, CNI_IFNAME: 'eth0', CNI_PATH: PATH, ...i.env },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${i.name} ${command} failed: ${r.stdout}${r.stderr}`);
  if (command === 'ADD' && !/"address":\s*"10\./.test(r.stdout)) throw new Error(`${i.name} ADD printed no address: ${r.stdout}`);
  lastStdout = r.stdout;
  return ms;
}

function timeNode(args: string[], env: Record<string, string> = {}): number[] {
  const xs: number[] = [];
  for (let k = 0; k < N; k++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, args, { input: '{"cniVersion":"1.0.0"}', env: { PATH: process.env['PATH'], ...env } });
    xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return xs;
}

for (let k = 0; k < N + WARM; k++) {
  for (const i of impls) {
    const ns = `bc${i.subnet.split('.')[1]}x${k}`;
    execFileSync('ip', ['netns', 'add', ns]);
    const c0 = childCpu();
    const a = run(i, 'ADD', `ctr${k}`, ns);
    const c1 = childCpu();
    const ch = run(i, 'CHECK', `ctr${k}`, ns, JSON.parse(lastStdout));
    const c2 = childCpu();
    const d = run(i, 'DEL', `ctr${k}`, ns);
    const c3 = childCpu();
    execFileSync('ip', ['netns', 'del', ns]);
    if (k >= WARM) { i.add.push(a); i.check.push(ch); i.del.push(d); i.cpuAdd += c1 - c0; i.cpuCheck += c2 - c1; i.cpuDel += c3 - c2; }
  }
}
let c = childCpu();
const nodeFloor = timeNode(['-e', '0']);
const nodeCpu = (childCpu() - c) / N;
c = childCpu();
const version = timeNode([OURS], { CNI_COMMAND: 'VERSION', NETLINK_TS_CACHE_DIR: CODE_CACHE });
const versionCpu = (childCpu() - c) / N;
c = childCpu();
const versionBefore = BEFORE ? timeNode([BEFORE], { CNI_COMMAND: 'VERSION' }) : [];
const versionBeforeCpu = (childCpu() - c) / N;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const med = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const stat = (xs: number[]) => `${sorted(xs)[0]!.toFixed(1)} / ${med(xs).toFixed(1)} / ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)}`;
const ref = impls[0]!;
console.log(`# CNI ADD / CHECK / DEL as processes — ${N} runs each after ${WARM} warm-up, interleaved; ms min / median / mean`);
console.log(`node ${process.version}, kernel ${execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim()}, ${new Date().toISOString()}\n`);
console.log('| plugin | ADD wall | CHECK wall | DEL wall | wall ratio (median) ADD / CHECK / DEL | CPU / run ADD / CHECK / DEL | CPU ratio ADD / CHECK / DEL |');
console.log('|---|---|---|---|---|---|---|');
const r2 = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
for (const i of impls) {
  console.log(`| ${i.name} | ${stat(i.add)} | ${stat(i.check)} | ${stat(i.del)} | ${r2(med(i.add), med(ref.add))} / ${r2(med(i.check), med(ref.check))} / ${r2(med(i.del), med(ref.del))} | ${(i.cpuAdd / N).toFixed(1)} / ${(i.cpuCheck / N).toFixed(1)} / ${(i.cpuDel / N).toFixed(1)} | ${r2(i.cpuAdd, ref.cpuAdd)} / ${r2(i.cpuCheck, ref.cpuCheck)} / ${r2(i.cpuDel, ref.cpuDel)} |`);
}
console.log(`\nstart-up floors (wall min / median / mean; CPU per run): \`node -e 0\` ${stat(nodeFloor)}, ${nodeCpu.toFixed(1)} CPU; netlink-ts-cni VERSION ${stat(version)}, ${versionCpu.toFixed(1)} CPU${BEFORE ? `; before: VERSION ${stat(versionBefore)}, ${versionBeforeCpu.toFixed(1)} CPU` : ''}`);
