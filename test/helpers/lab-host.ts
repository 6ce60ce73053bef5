/**
 * A throwaway "machine" for netlink-lab live tests, inside the sandbox: a holder process in
 * new mount + network + UTS namespaces with its own tmpfs on /run/netns (`unshare --mount
 * --net --uts`, then `exec cat` so it lives until its stdin closes). Every command runs in it
 * through `nsenter -t PID -m -n -u`, so the lab's host node is the holder's namespace and its
 * named namespaces live in the holder's /run/netns — test files running in parallel, or two
 * "hosts" of one multi-host test, never see each other's labs.
 *
 * snapshot() is the machine's whole network state as the tools print it (links, addresses,
 * routes of every table, neighbours, rules, nft ruleset, the forwarding sysctls, /run/netns,
 * marked lab processes), for "nothing is left" checks: equal before up and after down.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireSandbox } from './live.js';

export const LAB_BIN = fileURLToPath(new URL('../../dist/bundle/netlink-lab.js', import.meta.url));
export const DUMP_BIN = fileURLToPath(new URL('../../dist/bundle/netlink-dump.js', import.meta.url));
/** The built library's entry (what lib() snippets import). */
export const LIB_INDEX = new URL('../../dist/src/index.js', import.meta.url).href;
export const LABS = fileURLToPath(new URL('../../examples/labs/', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export class LabHost {
  private constructor(readonly child: ChildProcess, readonly pid: number, readonly name: string) {}

  /** Start a holder; resolves once its namespaces and /run/netns are ready. */
  static async start(name = 'labhost'): Promise<LabHost> {
    requireSandbox();
    const child = spawn('unshare', ['--mount', '--net', '--uts', '--propagation', 'private', '--', 'sh', '-c',
      `mount -t tmpfs -o mode=755 nlts-${name} /run/netns && ip link set lo up && hostname ${name} && echo ready && exec cat`], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`lab host ${name} exited (${code}) before it was ready`)));
      child.stdout!.once('data', () => resolve());
    });
    child.removeAllListeners('exit');
    return new LabHost(child, child.pid!, name);
  }

  /** Run a command inside this machine (its mount, network and UTS namespaces). */
  run(cmd: string, args: readonly string[], env: Record<string, string> = {}, input = ''): Run {
    const r = spawnSync('nsenter', ['-t', String(this.pid), '-m', '-n', '-u', '--', cmd, ...args], {
      encoding: 'utf8', cwd: ROOT, input, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error) throw r.error;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Start a long-running command inside this machine (e.g. `netlink-lab check --serve`). */
  spawn(cmd: string, args: readonly string[], env: Record<string, string> = {}): ChildProcess {
    return spawn('nsenter', ['-t', String(this.pid), '-m', '-n', '-u', '--', cmd, ...args], {
      cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  /** `netlink-lab ARGS` inside this machine with FFI backend `ffi`. */
  lab(args: readonly string[], ffi: string): Run {
    return this.run(process.execPath, [LAB_BIN, ...args], { NETLINK_TS_FFI: ffi });
  }

  /** Like lab(), but the output must be JSON and the exit status 0 (else throws with stderr). */
  labJson<T = any>(args: readonly string[], ffi: string): T {
    const r = this.lab([...args, '--json'], ffi);
    if (r.code !== 0) throw new Error(`netlink-lab ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
    return JSON.parse(r.stdout) as T;
  }

  ip(...args: string[]): string {
    const r = this.run('ip', args);
    if (r.code !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  ipJson<T = any>(...args: string[]): T {
    return JSON.parse(this.ip('-j', ...args) || '[]') as T;
  }

  /**
   * The nftables ruleset as `nft list ruleset` prints it: nft(8) where it is installed, else
   * netlink-dump nft (which prints it byte for byte as nft 1.0 does). Throws on failure.
   */
  nftRuleset(): string {
    const r = this.run('sh', ['-c', 'command -v nft >/dev/null && exec nft list ruleset; exec "$0" "$1" nft', process.execPath, DUMP_BIN]);
    if (r.code !== 0) throw new Error(`nft list ruleset: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /**
   * Run an ES module snippet inside this machine with the built library as \`nl\`
   * (dist/src/index.js): changes made "by hand" where no CLI exists here (nft(8) is not
   * installed everywhere). Returns its stdout; throws on a non-zero exit.
   */
  lib(js: string): string {
    const r = this.run(process.execPath, ['--input-type=module', '-e', `import * as nl from ${JSON.stringify(LIB_INDEX)};\n${js}`]);
    if (r.code !== 0) throw new Error(`lib snippet exited ${r.code}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** Inode of this machine's mount namespace (to tell its processes from others'). */
  mntInode(): string {
    return readlinkSync(`/proc/${this.pid}/ns/mnt`);
  }

  /** Marked lab processes (NETLINK_LAB=… in their environment) living in this machine. */
  labProcesses(): string[] {
    const mnt = this.mntInode();
    const out: string[] = [];
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        if (readlinkSync(`/proc/${d}/ns/mnt`) !== mnt) continue;
        const marker = readFileSync(`/proc/${d}/environ`, 'latin1').split('\0').find((kv) => kv.startsWith('NETLINK_LAB='));
        if (marker) out.push(marker);
      } catch { /* gone */ }
    }
    return out.sort();
  }

  /** The machine's network state, as iproute2 and nft print it (volatile counters dropped). */
  snapshot(): Record<string, unknown> {
    const netns = this.run('ls', ['-A', '/run/netns']).stdout.split('\n').filter(Boolean);
    const sysctl = (k: string) => this.run('cat', [`/proc/sys/${k.replace(/\./g, '/')}`]).stdout.trim();
    return {
      netns,
      links: this.ipJson<Array<Record<string, unknown>>>('-d', 'link', 'show').map(({ ifindex: _i, stats64: _s, ...l }) => l),
      addrs: this.ipJson('addr', 'show'),
      routes: this.ipJson('route', 'show', 'table', 'all'),
      routes6: this.ipJson('-6', 'route', 'show', 'table', 'all'),
      neigh: this.ipJson<Array<Record<string, unknown>>>('neigh', 'show').filter((n) => n['state'] && !(n['state'] as string[]).includes('FAILED')),
      rules: this.ipJson('rule', 'show'),
      nft: this.nftRuleset(),
      sysctls: { ip_forward: sysctl('net.ipv4.ip_forward'), v6forwarding: sysctl('net.ipv6.conf.all.forwarding') },
      processes: this.labProcesses(),
    };
  }

  /** End the holder (its namespaces go when nothing else holds them). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.end();
    await gone;
  }
}
