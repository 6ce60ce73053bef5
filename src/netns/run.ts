/**
 * Running programs inside a namespace (`ip netns exec NAME cmd`, `nsenter -t PID -n -u cmd`) and
 * creating unnamed namespaces owned by a long-lived child (`unshare --net --uts cmd &`).
 *
 * How: the main thread setns()es into the target, calls child_process.spawn() — libuv forks
 * from the calling thread, so the child starts in the namespaces the main thread is in at that
 * moment — and setns()es straight back, all in one synchronous section. The child keeps its
 * namespaces; Node's other threads never move. Nothing here runs `ip`, `nsenter` or `unshare`.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { type Libc, CLONE_NEWNET, CLONE_NEWUTS, libc as defaultLibc } from '../ffi/libc.js';
import { type NetnsRef, type NsEntry, enterSync, netnsSource, unshareSync } from '../netlink/nsenter.js';

export interface NetnsSpawnOptions extends SpawnOptions {
  /**
   * Also enter the UTS namespace (hostname) of the target process, like `nsenter -t PID -n -u`.
   * Only for `{ pid }` targets. Default false.
   */
  readonly uts?: boolean;
  /** FFI backend. Default: libc(). */
  readonly libc?: Libc;
}

function entries(ns: NetnsRef, uts: boolean | undefined, where: string): NsEntry[] {
  const list: NsEntry[] = [{ source: netnsSource(ns, `${where}.netns`), nstype: CLONE_NEWNET, nsFile: 'net' }];
  if (uts) {
    if (ns === null || typeof ns !== 'object' || !('pid' in ns)) throw new TypeError(`${where}.uts: only a { pid } target has a UTS namespace to enter`);
    list.push({ source: netnsSource(ns, `${where}.netns`, 'uts'), nstype: CLONE_NEWUTS, nsFile: 'uts' });
  }
  return list;
}

function checkCommand(command: unknown, args: unknown, where: string): void {
  if (typeof command !== 'string' || command === '') throw new TypeError(`${where}: command must be a non-empty string`);
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new TypeError(`${where}: args must be an array of strings`);
}

/**
 * Spawn `command` inside network namespace `ns` (`ip netns exec`): returns the ChildProcess
 * as child_process.spawn() does (a missing command is its 'error' event). With `uts: true`
 * and a `{ pid }` target, the child also gets that process's hostname (nsenter -n -u).
 */
export function spawnInNetns(ns: NetnsRef, command: string, args: readonly string[] = [], opts: NetnsSpawnOptions = {}): ChildProcess {
  checkCommand(command, args, 'netns.spawn');
  const { uts, libc, ...spawnOpts } = opts;
  const list = entries(ns, uts, 'netns.spawn');
  return enterSync(libc ?? defaultLibc(), list, () => spawn(command, args, spawnOpts));
}

/** What {@link runInNetns} resolves with. */
export interface RunResult {
  /** Exit status, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface NetnsRunOptions extends NetnsSpawnOptions {
  /** Written to the child's stdin, which is then closed. Default: stdin closed at once. */
  readonly input?: string | Buffer;
}

/**
 * Run `command` in `ns` to completion and collect its output (the promise helper of
 * {@link spawnInNetns}). Resolves whatever the exit status; rejects only if it cannot start.
 */
export function runInNetns(ns: NetnsRef, command: string, args: readonly string[] = [], opts: NetnsRunOptions = {}): Promise<RunResult> {
  const { input, ...rest } = opts;
  let child: ChildProcess;
  try {
    child = spawnInNetns(ns, command, args, { ...rest, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [], errs: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => errs.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(errs).toString() }));
    child.stdin!.on('error', () => undefined); // a child that exits without reading
    child.stdin!.end(input);
  });
}

export interface UnsharedOptions {
  /** Also a new UTS namespace with this hostname (`unshare --uts` + `hostname NAME`). */
  readonly hostname?: string;
  /**
   * The process that owns the namespace. Default: a tiny `/bin/sh` that waits on its stdin
   * and exits when it closes — so the namespace goes away with this process, even if it dies
   * without calling stop().
   */
  readonly command?: string;
  readonly args?: readonly string[];
  /** spawn() options for a custom command (stdio, env, …). */
  readonly spawn?: SpawnOptions;
  /** FFI backend. Default: libc(). */
  readonly libc?: Libc;
}

/** An unnamed namespace held by a child process; address it by `{ pid }` (or `ref`). */
export interface UnsharedNetns {
  readonly pid: number;
  readonly child: ChildProcess;
  /** `{ pid }`, for RouteHandle.open({ netns }), link specs, spawnInNetns(), Netns.open(). */
  readonly ref: { readonly pid: number };
  readonly hostname: string | undefined;
  /** End the owning process (SIGTERM) and wait for it; the namespace goes when nothing else holds it. */
  stop(): Promise<void>;
}

function checkHostname(h: unknown): string {
  if (typeof h !== 'string' || h === '' || Buffer.byteLength(h) > 64 || h.includes('\0')) {
    throw new RangeError(`unshared.hostname: expected 1–64 bytes, got ${JSON.stringify(h)}`);
  }
  return h;
}

/**
 * `unshare --net [--uts] CMD &`: start a child in a brand-new network namespace (and UTS
 * namespace with `hostname`), owned by that child. The main thread unshares, sets the
 * hostname, spawns, and returns to its own namespaces in one synchronous section.
 */
export function spawnUnshared(opts: UnsharedOptions = {}): UnsharedNetns {
  const hostname = opts.hostname === undefined ? undefined : checkHostname(opts.hostname);
  const command = opts.command ?? '/bin/sh';
  const args = opts.args ?? (opts.command === undefined ? ['-c', 'read x'] : []);
  checkCommand(command, args, 'unshared');
  const lib = opts.libc ?? defaultLibc();
  const spawnOpts: SpawnOptions = opts.spawn ?? (opts.command === undefined ? { stdio: ['pipe', 'ignore', 'inherit'] } : {});
  const kinds = [{ nstype: CLONE_NEWNET, nsFile: 'net' }, ...(hostname !== undefined ? [{ nstype: CLONE_NEWUTS, nsFile: 'uts' }] : [])];
  const child = unshareSync(lib, kinds, () => {
    if (hostname !== undefined) lib.sethostname(hostname);
    return spawn(command, [...args], spawnOpts);
  });
  // Before anything can throw: a spawn that fails reports it as an 'error' event on the next
  // tick, which would crash the process with no listener.
  child.on('error', () => undefined);
  if (child.pid === undefined) {
    // spawn() failed (ENOENT, EACCES): Node reports why on that 'error' event, after this returns.
    throw new Error(`unshared: could not start ${JSON.stringify(command)} (not found or not executable)`);
  }
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    pid, child, hostname, ref: { pid },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
