/**
 * Unshared namespaces that outlive the process that made them (`netns.unshare({ persist:
 * true, name })`): build a lab in one process, use or destroy it from another. The owner is a
 * detached `sleep infinity` marked by an environment variable; its pid is kept in a pid file
 * (`pidFile`, or `<dir>/<name>.pid`). {@link findUnshared} turns a name, pid file or pid into
 * a `{ pid }` reference again; {@link stopUnshared} ends the owner, so the namespace goes when
 * nothing else holds it. A pid is only ever signalled when /proc shows our mark on it, so a
 * stale pid file whose pid was reused by another program is not acted on.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { NetnsError, NetnsExistsError, NetnsNotFoundError } from '../netlink/netns-errors.js';

/** Environment variable that marks an owner process (its value: the pid file, or `1`). */
export const OWNER_MARK = 'NETLINK_TS_UNSHARED_OWNER';
/** Where `name` pid files live unless `dir` says otherwise. */
export const DEFAULT_UNSHARED_DIR = '/run/netlink-ts/unshared';

/** How to find a persistent unshared namespace later. */
export type UnsharedTarget =
  | { readonly name: string; readonly dir?: string }
  | { readonly pidFile: string }
  | { readonly pid: number };

/** A persistent unshared namespace that was found: address it with `ref`. */
export interface FoundUnshared {
  readonly pid: number;
  readonly ref: { readonly pid: number };
  readonly pidFile: string | undefined;
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(name) || name === '.' || name === '..') {
    throw new RangeError(`unshared.name: expected 1–64 of [A-Za-z0-9_.-], got ${JSON.stringify(name)}`);
  }
  return name;
}

/** The pid file that `opts` asks for, checked (no syscall). */
export function unsharedPidFile(opts: { readonly pidFile?: string; readonly name?: string; readonly dir?: string; readonly persist?: boolean }): string | undefined {
  if (opts.pidFile !== undefined && opts.name !== undefined) throw new TypeError('unshared: give pidFile or name, not both');
  if ((opts.pidFile !== undefined || opts.name !== undefined) && !opts.persist) throw new TypeError('unshared: pidFile and name are for persist: true namespaces');
  if (opts.pidFile !== undefined) {
    if (typeof opts.pidFile !== 'string' || opts.pidFile === '') throw new TypeError('unshared.pidFile: expected a path');
    return opts.pidFile;
  }
  return opts.name !== undefined ? `${opts.dir ?? DEFAULT_UNSHARED_DIR}/${checkName(opts.name)}.pid` : undefined;
}

/** Create the pid file exclusively (EEXIST → NetnsExistsError), to be filled once the owner runs. */
export function claimPidFile(path: string): { write(pid: number): void; abandon(): void } {
  mkdirSync(dirname(path), { recursive: true });
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new NetnsExistsError(`unshared namespace pid file ${path} exists (a namespace of that name is running? netns.stopUnshared() it)`, path, { code: 'EEXIST', cause: err });
    }
    throw new NetnsError(`cannot create pid file ${path}: ${(err as Error).message}`, path, { code: (err as NodeJS.ErrnoException).code ?? 'ERR_NETNS', cause: err });
  }
  return {
    write(pid) { writeSync(fd, `${pid}\n`); closeSync(fd); },
    abandon() { closeSync(fd); try { unlinkSync(path); } catch { /* gone */ } },
  };
}

/** Remove `path` if it still names `pid`. */
export function removePidFile(path: string, pid: number): void {
  try {
    if (readFileSync(path, 'utf8').trim() === String(pid)) unlinkSync(path);
  } catch { /* already gone */ }
}

/** Whether `pid` is alive and carries our owner mark. */
function isOwner(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').some((e) => e.startsWith(`${OWNER_MARK}=`));
  } catch {
    return false;
  }
}

function pidOf(target: UnsharedTarget): { pid: number | undefined; pidFile: string | undefined } {
  if (target === null || typeof target !== 'object') throw new TypeError('unshared: expected { name }, { pidFile } or { pid }');
  if ('pid' in target) {
    if (!Number.isInteger(target.pid) || target.pid <= 0) throw new RangeError(`unshared.pid: expected a positive integer, got ${String(target.pid)}`);
    return { pid: target.pid, pidFile: undefined };
  }
  const pidFile = 'pidFile' in target ? target.pidFile : `${target.dir ?? DEFAULT_UNSHARED_DIR}/${checkName(target.name)}.pid`;
  let text: string;
  try {
    text = readFileSync(pidFile, 'utf8');
  } catch {
    return { pid: undefined, pidFile };
  }
  const pid = Number(text.trim());
  return { pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, pidFile };
}

/**
 * The persistent unshared namespace named by `target` (`{ name }`, `{ pidFile }` or `{ pid }`),
 * or undefined when its owner is not running (a stale pid file is left for stopUnshared).
 */
export function findUnshared(target: UnsharedTarget): FoundUnshared | undefined {
  const { pid, pidFile } = pidOf(target);
  if (pid === undefined || !isOwner(pid)) return undefined;
  return { pid, ref: { pid }, pidFile };
}

/**
 * End the owner of a persistent unshared namespace (SIGTERM, then SIGKILL after
 * `timeoutMs`, default 10 s) and remove its pid file. Resolves true if an owner was ended,
 * false if none was running (a stale pid file is removed); a name or pid file that never
 * existed → NetnsNotFoundError.
 */
export async function stopUnshared(target: UnsharedTarget, opts: { readonly timeoutMs?: number } = {}): Promise<boolean> {
  const { pid, pidFile } = pidOf(target);
  if (pid === undefined && pidFile !== undefined) {
    try {
      readFileSync(pidFile);
    } catch (err) {
      throw new NetnsNotFoundError(`no unshared namespace: ${pidFile} does not exist`, pidFile, { code: 'ENOENT', cause: err });
    }
  }
  const owner = pid !== undefined && isOwner(pid);
  if (owner) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    while (isOwner(pid)) {
      if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  if (pidFile !== undefined && pid !== undefined) removePidFile(pidFile, pid);
  else if (pidFile !== undefined) try { unlinkSync(pidFile); } catch { /* gone */ }
  return owner;
}
