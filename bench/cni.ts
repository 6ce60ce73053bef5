/**
 * CNI ADD and DEL as whole processes, as a runtime runs them: netlink-ts-cni (dist/bundle,
 * each FFI backend) against the reference bridge + host-local (containernetworking-plugins
 * 1.1.1, /usr/lib/cni) on the same configuration (isGateway, ipMasq — the reference runs
 * iptables for it), interleaved in one run, each ADD into a fresh container namespace. The first
 * WARM iterations of each (bridge creation) are not counted. Every ADD result is checked.
 * Creates namespaces: run it in the sandbox.
 *   tools/sandbox.sh node dist/bench/cni.js [N=30] [WARM=3]
 * With dist/bundle/netlink-ts-cni.blob present (npm run bundle:cni-snapshot) a fourth row times
 * the plugin started from that V8 snapshot.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') throw new Error('creates namespaces: run inside tools/sandbox.sh');
const N = Number(process.argv[2] ?? 30);
const WARM = Number(process.argv[3] ?? 3);
const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const OURS = join(ROOT, 'dist/bundle/netlink-ts-cni.js');
const bin = mkdtempSync(join(tmpdir(), 'nlts-bench-cni-'));
symlinkSync(OURS, join(bin, 'netlink-ts-cni'));
const PATH = `${bin}:/usr/lib/cni`;

interface Impl { readonly name: string; readonly type: string; readonly file: string; args: string[]; readonly env: Record<string, string>; readonly subnet: string; add: number[]; del: number[]; cpuAdd: number; cpuDel: number }
const impl = (name: string, type: string, file: string, octet: number, env: Record<string, string> = {}): Impl =>
  ({ name, type, file, args: [], env, subnet: `10.${octet}.0.0/24`, add: [], del: [], cpuAdd: 0, cpuDel: 0 });
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
// The experimental V8 start-up snapshot (npm run bundle:cni-snapshot), when built.
const BLOB = join(ROOT, 'dist/bundle/netlink-ts-cni.blob');
if (existsSync(BLOB)) {
  const snap = impl('netlink-ts-cni (koffi, V8 start-up snapshot, experimental)', 'netlink-ts-cni', process.execPath, 204, { NETLINK_TS_FFI: 'koffi' });
  snap.args = ['--no-warnings', '--snapshot-blob', BLOB];
  impls.push(snap);
}
const data = mkdtempSync(join(tmpdir(), 'nlts-bench-cni-data-'));
const conf = (i: Impl) => JSON.stringify({
  cniVersion: '1.0.0', name: `bench${i.subnet.split('.')[1]}`, type: i.type, bridge: `cnib${i.subnet.split('.')[1]}`, isGateway: true, ipMasq: true,
  ipam: { type: 'host-local', ranges: [[{ subnet: i.subnet }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: data },
});

function run(i: Impl, command: 'ADD' | 'DEL', id: string, ns: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(i.file, i.args, {
    input: conf(i), encoding: 'utf8',
    env: { PATH: process.env['PATH'], CNI_COMMAND: command, CNI_CONTAINERID: id, CNI_NETNS: `/run/netns/${ns}`, CNI_IFNAME: 'eth0', CNI_PATH: PATH, ...i.env },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${i.name} ${command} failed: ${r.stdout}${r.stderr}`);
  if (command === 'ADD' && !/"address":\s*"10\./.test(r.stdout)) throw new Error(`${i.name} ADD printed no address: ${r.stdout}`);
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
    const d = run(i, 'DEL', `ctr${k}`, ns);
    const c2 = childCpu();
    execFileSync('ip', ['netns', 'del', ns]);
    if (k >= WARM) { i.add.push(a); i.del.push(d); i.cpuAdd += c1 - c0; i.cpuDel += c2 - c1; }
  }
}
let c = childCpu();
const nodeFloor = timeNode(['-e', '0']);
const nodeCpu = (childCpu() - c) / N;
c = childCpu();
const version = timeNode([OURS], { CNI_COMMAND: 'VERSION' });
const versionCpu = (childCpu() - c) / N;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const med = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const stat = (xs: number[]) => `${sorted(xs)[0]!.toFixed(1)} / ${med(xs).toFixed(1)} / ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)}`;
const ref = impls[0]!;
console.log(`# CNI ADD / DEL as processes — ${N} runs each after ${WARM} warm-up, interleaved; ms min / median / mean`);
console.log(`node ${process.version}, kernel ${execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim()}, ${new Date().toISOString()}\n`);
console.log('| plugin | ADD wall | DEL wall | ADD ratio (median) | DEL ratio (median) | ADD CPU / run | DEL CPU / run | CPU ratio ADD / DEL |');
console.log('|---|---|---|---|---|---|---|---|');
for (const i of impls) {
  console.log(`| ${i.name} | ${stat(i.add)} | ${stat(i.del)} | ${(med(i.add) / med(ref.add)).toFixed(2)}× | ${(med(i.del) / med(ref.del)).toFixed(2)}× | ${(i.cpuAdd / N).toFixed(1)} | ${(i.cpuDel / N).toFixed(1)} | ${(i.cpuAdd / ref.cpuAdd).toFixed(2)}× / ${(i.cpuDel / ref.cpuDel).toFixed(2)}× |`);
}
console.log(`\nstart-up floors (wall min / median / mean; CPU per run): \`node -e 0\` ${stat(nodeFloor)}, ${nodeCpu.toFixed(1)} CPU; netlink-ts-cni VERSION ${stat(version)}, ${versionCpu.toFixed(1)} CPU`);
