/**
 * Run a synchronous function with the calling thread inside other namespaces, and always
 * come back. setns(2) acts on the calling thread only (Node's libuv pool threads stay where
 * they were), so the switch must never span an `await`: `fn` is synchronous by type, an
 * `async function` is refused before anything is entered, and a returned Promise is refused.
 */
import { type Libc, CLONE_NEWNET, O_CLOEXEC, O_RDONLY } from '../ffi/libc.js';
import { openNetnsPath } from './netns-errors.js';

/**
 * A network namespace: an open fd (or an object owning one, such as a `Netns` handle), a
 * path (`/run/netns/lab1`, `/proc/1234/ns/net`), a bare name (`lab1`: the namespace
 * `ip netns add lab1` made, /run/netns/lab1), or a process's (`{ pid }` → /proc/PID/ns/net).
 */
export type NetnsRef = number | string | { readonly pid: number } | { readonly fd: number };
/** @deprecated old name of {@link NetnsRef}. */
export type NetnsTarget = NetnsRef;

/** The path of a netns given by path or by `ip netns` name (in `dir`, default /run/netns). */
export function netnsPath(target: string, dir = '/run/netns'): string {
  if (target === '') throw new RangeError('netns: empty path or name');
  if (target.includes('/')) return target;
  if (target === '.' || target === '..') throw new RangeError(`netns: "${target}" is not a namespace name`);
  return `${dir}/${target}`;
}

function checkInt(v: unknown, field: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 0x7fffffff) {
    throw new RangeError(`${field}: expected an integer ≥ ${min}, got ${String(v)}`);
  }
  return v;
}

/**
 * Where `ref` points, checked before any syscall: `{ fd }` for a caller's fd (not ours to
 * close), `{ path }` for one to open. `nsType` picks the /proc/PID/ns entry for pids.
 */
export function netnsSource(ref: NetnsRef, field = 'netns', nsFile = 'net'): { fd: number; path?: undefined } | { path: string; fd?: undefined } {
  if (typeof ref === 'number') return { fd: checkInt(ref, `${field} (fd)`, 0) };
  if (typeof ref === 'string') return { path: netnsPath(ref) };
  if (ref !== null && typeof ref === 'object') {
    if ('pid' in ref) return { path: `/proc/${checkInt(ref.pid, `${field}.pid`, 1)}/ns/${nsFile}` };
    if ('fd' in ref) return { fd: checkInt(ref.fd, `${field}.fd`, 0) };
  }
  throw new TypeError(`${field}: expected an fd, a path, a name, { pid } or { fd }; got ${typeof ref}`);
}

/** One namespace to enter: an fd or path, and its CLONE_NEW* type. */
export interface NsEntry {
  readonly source: { fd: number; path?: undefined } | { path: string; fd?: undefined };
  readonly nstype: number;
  /** The reference as the caller gave it (a name, `{ pid }`), for error messages. */
  readonly ref?: unknown;
  /** /proc/thread-self/ns/<file> of this type (net, uts, …), to come back. */
  readonly nsFile: string;
}

/**
 * setns() into the namespace the thread is already in: the kernel runs the same permission
 * checks as for the way back, so a switch we could not undo fails here, before it happens,
 * instead of stranding the thread (e.g. a UTS namespace owned by a user namespace where we
 * lack CAP_SYS_ADMIN: unshare() works, coming back is EPERM).
 */
export function preflight(lib: Libc, ownFd: number, nstype: number, nsFile: string): void {
  try {
    lib.setns(ownFd, nstype);
  } catch (err) {
    throw new Error(`cannot switch ${nsFile} namespaces and come back: re-entering the current ${nsFile} namespace fails (${(err as Error).message})`, { cause: err });
  }
}

/**
 * setns() the calling thread back to `ownFd`, or abort the process: a thread stranded in the
 * wrong namespace would run on doing the wrong thing, which is worse than stopping.
 */
export function restoreOrAbort(lib: Libc, ownFd: number, nstype: number): void {
  try {
    lib.setns(ownFd, nstype);
  } catch (err) {
    process.emitWarning('netlink-ts: could not return to the original namespace; aborting', { code: 'NLTS_NETNS_STRANDED' });
    process.abort();
    throw err;
  }
}

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === 'function' && fn.constructor?.name === 'AsyncFunction';
}

/**
 * Enter every namespace in `entries` (in order), run `fn`, and restore the thread's original
 * namespaces (in reverse order) whatever happens. Fds this opens are closed before it returns.
 * If a namespace cannot be restored the thread is stranded where nothing sane can continue,
 * so the process aborts rather than run on in the wrong namespace.
 */
export function enterSync<T>(lib: Libc, entries: readonly NsEntry[], fn: () => T): T {
  if (isAsyncFunction(fn)) throw new TypeError('netns: fn must be synchronous (a namespace switch must not span an await)');
  const opened: number[] = [];
  const own: { fd: number; nstype: number }[] = [];
  const entered: { fd: number; nstype: number }[] = [];
  try {
    const targets = entries.map((e) => {
      const o = { fd: lib.open(`/proc/thread-self/ns/${e.nsFile}`, O_RDONLY | O_CLOEXEC), nstype: e.nstype };
      own.push(o);
      preflight(lib, o.fd, o.nstype, e.nsFile);
      if (e.source.fd !== undefined) return e.source.fd;
      const fd = openNetnsPath(lib, e.source.path, O_RDONLY | O_CLOEXEC, e.ref);
      opened.push(fd);
      return fd;
    });
    let result: T;
    try {
      entries.forEach((e, i) => {
        lib.setns(targets[i]!, e.nstype);
        entered.push(own[i]!);
      });
      result = fn();
    } finally {
      for (const o of entered.reverse()) restoreOrAbort(lib, o.fd, o.nstype);
    }
    if (result instanceof Promise) {
      result.catch(() => undefined);
      throw new TypeError('netns: fn must be synchronous (a namespace switch must not span an await)');
    }
    return result;
  } finally {
    for (const fd of opened) lib.close(fd);
    for (const o of own) lib.close(o.fd);
  }
}

/**
 * unshare(2) the calling thread into NEW namespaces of the given types, run a synchronous `fn`
 * there (e.g. bind-mount the new netns, set a hostname, fork a child that keeps it), and return
 * to the original namespaces whatever happens — pre-flighted like {@link enterSync}, so a switch
 * that could not be undone fails before it happens. Fds it opens are closed before it returns.
 */
export function unshareSync<T>(lib: Libc, kinds: readonly { readonly nstype: number; readonly nsFile: string }[], fn: () => T): T {
  if (isAsyncFunction(fn)) throw new TypeError('netns: fn must be synchronous (a namespace switch must not span an await)');
  const own: { fd: number; nstype: number }[] = [];
  try {
    for (const k of kinds) {
      own.push({ fd: lib.open(`/proc/thread-self/ns/${k.nsFile}`, O_RDONLY | O_CLOEXEC), nstype: k.nstype });
      preflight(lib, own[own.length - 1]!.fd, k.nstype, k.nsFile);
    }
    lib.unshare(kinds.reduce((f, k) => f | k.nstype, 0));
    let result: T;
    try {
      result = fn();
    } finally {
      for (const o of [...own].reverse()) restoreOrAbort(lib, o.fd, o.nstype);
    }
    if (result instanceof Promise) {
      result.catch(() => undefined);
      throw new TypeError('netns: fn must be synchronous (a namespace switch must not span an await)');
    }
    return result;
  } finally {
    for (const o of own) lib.close(o.fd);
  }
}

/** Run a synchronous `fn` with the calling thread in network namespace `target`; always come back. */
export function withNetnsSync<T>(lib: Libc, target: NetnsRef, fn: () => T): T {
  return enterSync(lib, [{ source: netnsSource(target), ref: target, nstype: CLONE_NEWNET, nsFile: 'net' }], fn);
}
