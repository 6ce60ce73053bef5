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
import { OWNER_MARK, claimPidFile, removePidFile, unsharedPidFile } from './unshared-owner.js';

/** Options of {@link spawnInNetns}: child_process.spawn options plus `uts` and the FFI backend. */
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
  const list: NsEntry[] = [{ source: netnsSource(ns, `${where}.netns`), ref: ns, nstype: CLONE_NEWNET, nsFile: 'net' }];
  if (uts) {
    if (ns === null || typeof ns !== 'object' || !('pid' in ns)) throw new TypeError(`${where}.uts: only a { pid } target has a UTS namespace to enter`);
    list.push({ source: netnsSource(ns, `${where}.netns`, 'uts'), ref: ns, nstype: CLONE_NEWUTS, nsFile: 'uts' });
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

/** Options of {@link runInNetns}: those of spawnInNetns plus stdin input. */
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

/** Options of {@link spawnUnshared} (`netns.unshare()`). */
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
  /**
   * Let the namespace outlive this process: the owner is `sleep infinity` in a session of its
   * own (detached, no stdio), which runs until someone ends it — by pid, or by the pid file
   * written with `pidFile` / `name` ({@link stopUnshared}, {@link findUnshared}). Default
   * false: the owner exits when this process does. Not with `command`.
   */
  readonly persist?: boolean;
  /** Write the owner's pid to this file (created exclusively; removed by {@link stopUnshared}). */
  readonly pidFile?: string;
  /** Shorthand for `pidFile: <dir>/<name>.pid`, so a later process finds it by name. */
  readonly name?: string;
  /** Directory of `name`'s pid file. Default /run/netlink-ts/unshared. */
  readonly dir?: string;
}

/** An unnamed namespace held by a child process; address it by `{ pid }` (or `ref`). */
export interface UnsharedNetns {
  readonly pid: number;
  readonly child: ChildProcess;
  /** `{ pid }`, for RouteHandle.open({ netns }), link specs, spawnInNetns(), Netns.open(). */
  readonly ref: { readonly pid: number };
  readonly hostname: string | undefined;
  /** The pid file written for `pidFile` / `name`, if any. */
  readonly pidFile: string | undefined;
  /** End the owning process (SIGTERM) and wait for it; the namespace goes when nothing else holds it. */
  stop(): Promise<void>;
  /** `await using box = netns.unshare()`: {@link stop} when the scope ends. */
  [Symbol.asyncDispose](): Promise<void>;
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
  const persist = opts.persist ?? false;
  if (persist && opts.command !== undefined) throw new TypeError('unshared.persist: the owner of a persistent namespace is sleep infinity; drop command');
  const pidFile = unsharedPidFile(opts);
  const command = persist ? 'sleep' : opts.command ?? '/bin/sh';
  const args = persist ? ['infinity'] : opts.args ?? (opts.command === undefined ? ['-c', 'read x'] : []);
  checkCommand(command, args, 'unshared');
  const lib = opts.libc ?? defaultLibc();
  const spawnOpts: SpawnOptions = persist
    ? { detached: true, stdio: 'ignore', env: { ...process.env, [OWNER_MARK]: pidFile ?? '1' } }
    : opts.spawn ?? (opts.command === undefined ? { stdio: ['pipe', 'ignore', 'inherit'] } : {});
  // The pid file is claimed before anything is created: a name in use fails here.
  const claim = pidFile !== undefined ? claimPidFile(pidFile) : undefined;
  const kinds = [{ nstype: CLONE_NEWNET, nsFile: 'net' }, ...(hostname !== undefined ? [{ nstype: CLONE_NEWUTS, nsFile: 'uts' }] : [])];
  let child: ChildProcess;
  try {
    child = unshareSync(lib, kinds, () => {
      if (hostname !== undefined) lib.sethostname(hostname);
      return spawn(command, [...args], spawnOpts);
    });
  } catch (err) {
    claim?.abandon();
    throw err;
  }
  // Before anything can throw: a spawn that fails reports it as an 'error' event on the next
  // tick, which would crash the process with no listener.
  child.on('error', () => undefined);
  if (child.pid === undefined) {
    claim?.abandon();
    // spawn() failed (ENOENT, EACCES): Node reports why on that 'error' event, after this returns.
    throw new Error(`unshared: could not start ${JSON.stringify(command)} (not found or not executable)`);
  }
  const pid = child.pid;
  claim?.write(pid);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  // Neither the owner nor its stdin pipe keeps this process alive: a script that never calls
  // stop() still exits, and the default owner then reads EOF and exits too.
  child.unref();
  (child.stdin as { unref?: () => void } | null)?.unref?.();
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.ref(); // waiting for its exit must keep this process alive
      child.kill('SIGTERM');
    }
    await exited;
    if (pidFile !== undefined) removePidFile(pidFile, pid);
  };
  return { pid, child, hostname, ref: { pid }, pidFile, stop, [Symbol.asyncDispose]: stop };
}
