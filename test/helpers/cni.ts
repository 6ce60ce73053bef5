/**
 * CNI test helpers: run a plugin as a process (ours from dist/bundle, the reference ones from
 * /usr/lib/cni), a minimal runtime for conflists (prevResult and capabilities as libcni passes
 * them), namespace state snapshots for side-by-side comparison, and TCP probes.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '../../src/ffi/libc.js';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../..');
/** The published bin: the prologue of the CommonJS bundle with its V8 code cache (tools/bin-prologue.cjs). */
export const OURS = join(ROOT, 'dist/bundle/netlink-ts-cni.cjs');
/** Where the plugins these tests run keep their code cache (not the user's ~/.cache). */
export const CODE_CACHE = mkdtempSync(join(tmpdir(), 'nlts-cni-code-cache-'));
process.on('exit', () => rmSync(CODE_CACHE, { recursive: true, force: true }));
export const REF_DIR = '/usr/lib/cni';
const ECHO = join(here, 'cni-echo.mjs');

/** A CNI_PATH with our plugin as netlink-ts-cni and netlink-ts-portmap, then the reference plugins. */
export function cniPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-cni-bin-'));
  for (const n of ['netlink-ts-cni', 'netlink-ts-portmap']) symlinkSync(OURS, join(dir, n));
  return `${dir}:${REF_DIR}`;
}

export interface PluginRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly json: any;
}

export interface Invocation {
  readonly command: 'ADD' | 'DEL' | 'CHECK' | 'VERSION' | 'STATUS' | 'GC';
  readonly containerId?: string;
  readonly netns?: string;
  readonly ifname?: string;
  readonly args?: string;
  readonly path: string;
  readonly backend?: BackendName;
  /** Run the plugin inside this `ip netns` name (its "host" namespace). */
  readonly inNetns?: string;
}

/** Find `type` in the CNI_PATH and run it with the config on stdin. */
export function runPlugin(type: string, conf: object | string, inv: Invocation): PluginRun {
  const file = inv.path.split(':').map((d) => join(d, type)).find((f) => existsSync(f));
  if (!file) throw new Error(`plugin ${type} not in ${inv.path}`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'], CNI_COMMAND: inv.command, CNI_PATH: inv.path, NETLINK_TS_CACHE_DIR: CODE_CACHE,
    ...(inv.containerId !== undefined ? { CNI_CONTAINERID: inv.containerId } : {}),
    ...(inv.netns !== undefined ? { CNI_NETNS: inv.netns } : {}),
    ...(inv.ifname !== undefined ? { CNI_IFNAME: inv.ifname } : {}),
    ...(inv.args !== undefined ? { CNI_ARGS: inv.args } : {}),
    ...(inv.backend ? { NETLINK_TS_FFI: inv.backend } : {}),
  };
  const cmd = inv.inNetns ? 'ip' : file;
  const argv = inv.inNetns ? ['netns', 'exec', inv.inNetns, file] : [];
  const r = spawnSync(cmd, argv, { input: typeof conf === 'string' ? conf : JSON.stringify(conf), env, encoding: 'utf8', timeout: 60_000 });
  let json: any;
  try { json = r.stdout.trim() ? JSON.parse(r.stdout) : undefined; } catch { json = undefined; }
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json };
}

/** A conflist as libcni runs it: ADD in order (prevResult chained), DEL in reverse; capabilities → runtimeConfig. */
export interface ConfList { readonly cniVersion: string; readonly name: string; readonly plugins: readonly Record<string, any>[] }

function pluginConf(list: ConfList, p: Record<string, any>, prev: unknown, rc: Record<string, unknown>): Record<string, unknown> {
  const { capabilities, ...rest } = p;
  const runtimeConfig: Record<string, unknown> = {};
  for (const [k, on] of Object.entries(capabilities ?? {})) if (on && rc[k] !== undefined) runtimeConfig[k] = rc[k];
  return { ...rest, cniVersion: list.cniVersion, name: list.name, ...(Object.keys(runtimeConfig).length ? { runtimeConfig } : {}), ...(prev ? { prevResult: prev } : {}) };
}

export function confListAdd(list: ConfList, inv: Omit<Invocation, 'command'>, rc: Record<string, unknown> = {}): PluginRun {
  let prev: unknown, last: PluginRun | undefined;
  for (const p of list.plugins) {
    last = runPlugin(p['type'], pluginConf(list, p, prev, rc), { ...inv, command: 'ADD' });
    if (last.code !== 0) return last;
    prev = last.json;
  }
  return last!;
}

export function confListRun(command: 'DEL' | 'CHECK', list: ConfList, inv: Omit<Invocation, 'command'>, prev: unknown, rc: Record<string, unknown> = {}): PluginRun[] {
  const order = command === 'DEL' ? [...list.plugins].reverse() : list.plugins;
  return order.map((p) => runPlugin(p['type'], pluginConf(list, p, prev, rc), { ...inv, command }));
}

export const ipj = (...args: string[]): any[] => JSON.parse(execFileSync('ip', ['-j', ...args], { encoding: 'utf8' }) || '[]');

/** Names that are random by design (veth<8 hex>) become VETH. */
const norm = (n: unknown): unknown => (typeof n === 'string' && /^veth[0-9a-f]{8}$/.test(n) ? 'VETH' : n);

/** Links, addresses, routes, bridge port settings and sysctls of one namespace, minus MACs and random names. */
export function snapshot(ns: string, sysctls: readonly string[] = []): Record<string, unknown> {
  const links = ipj('-n', ns, '-d', 'link', 'show');
  const byIndex = new Map<number, string>(links.map((l: any) => [l.ifindex, l.ifname]));
  const link = links.map((l: any) => ({
    name: norm(l.ifname), kind: l.linkinfo?.info_kind, slave: l.linkinfo?.info_slave_kind, mtu: l.mtu, flags: [...(l.flags ?? [])].sort(),
    operstate: l.operstate, master: norm(l.master), promiscuity: l.promiscuity, addrAssign: l.addr_assign_type ?? null,
    port: l.linkinfo?.info_slave_data ? { hairpin: l.linkinfo.info_slave_data.hairpin, state: l.linkinfo.info_slave_data.state, learning: l.linkinfo.info_slave_data.learning, flood: l.linkinfo.info_slave_data.flood } : undefined,
    bridge: l.linkinfo?.info_kind === 'bridge' ? { stp: l.linkinfo.info_data?.stp_state, fwdDelay: l.linkinfo.info_data?.forward_delay } : undefined,
  })).sort((a: any, b: any) => String(a.name).localeCompare(String(b.name)));
  void byIndex;
  const addrs = ipj('-n', ns, 'addr', 'show').flatMap((l: any) => (l.addr_info ?? [])
    .filter((a: any) => !(a.family === 'inet6' && a.scope === 'link'))
    .map((a: any) => `${norm(l.ifname)} ${a.family} ${a.local}/${a.prefixlen} scope ${a.scope}${a.broadcast ? ` brd ${a.broadcast}` : ''}`)).sort();
  const routes = [...ipj('-n', ns, 'route', 'show', 'table', 'all'), ...ipj('-n', ns, '-6', 'route', 'show', 'table', 'all')]
    .filter((r: any) => !(r.dst?.startsWith?.('fe80') || r.dst?.startsWith?.('ff00') || r.type === 'multicast' || (r.table === 'local' && String(r.dst).includes(':'))))
    .map((r: any) => `${r.type ?? 'unicast'} ${r.dst}${r.gateway ? ` via ${r.gateway}` : ''} dev ${norm(r.dev)} table ${r.table ?? 'main'} proto ${r.protocol ?? 'boot'} scope ${r.scope ?? 'global'}${r.prefsrc ? ` src ${r.prefsrc}` : ''}${r.metric !== undefined ? ` metric ${r.metric}` : ''}`).sort();
  const sys: Record<string, string> = {};
  for (const k of sysctls) {
    const r = spawnSync('ip', ['netns', 'exec', ns, 'cat', `/proc/sys/${k.replace(/\./g, '/')}`], { encoding: 'utf8' });
    sys[k] = r.status === 0 ? r.stdout.trim() : 'missing';
  }
  return { link, addrs, routes, sys };
}

/** Per-device sysctl keys with the random veth name swapped in. */
export function vethName(ns: string): string | undefined {
  return ipj('-n', ns, 'link', 'show').map((l: any) => l.ifname).find((n: string) => /^veth[0-9a-f]{8}$/.test(n));
}

/** Start the echo server in `ns` on `port`; resolves once it listens. */
export function echoServer(ns: string, port: number): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, ECHO, 'server', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    child.stdout!.once('data', () => ok(child));
    child.once('exit', (c) => fail(new Error(`echo server in ${ns} exited ${c}`)));
  });
}

/** Connect from `ns` to host:port; the address the server saw, or an error text. */
export function probe(ns: string, host: string, port: number): string {
  // bash's /dev/tcp: much cheaper than starting node for every probe.
  const r = spawnSync('ip', ['netns', 'exec', ns, 'timeout', '5', 'bash', '-c', `exec 3<>/dev/tcp/${host}/${port} && cat <&3`], { encoding: 'utf8', timeout: 20_000 });
  if (r.status === 124) return 'error: timeout';
  return r.status === 0 ? r.stdout.trim().replace(/^::ffff:/, '') : `error: ${r.stderr.trim().replace(/^.*: /, '')}`;
}

export function netnsAdd(name: string): void { execFileSync('ip', ['netns', 'add', name]); execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']); }
export function netnsDel(name: string): void { spawnSync('ip', ['netns', 'del', name]); }
export function dataDir(): string { const d = mkdtempSync(join(tmpdir(), 'nlts-cni-data-')); mkdirSync(d, { recursive: true }); return d; }
