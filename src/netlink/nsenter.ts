/**
 * Run a synchronous function with the calling thread inside another network namespace,
 * and always come back. setns(2) acts on the calling thread only, so the switch must
 * never span an `await`: `fn` is synchronous by type, and a returned Promise is refused.
 */
import { type Libc, CLONE_NEWNET, O_CLOEXEC, O_RDONLY } from '../ffi/libc.js';

/**
 * A network namespace: an open fd, a path such as `/run/netns/lab1` or `/proc/1234/ns/net`,
 * or a bare name (`lab1`), meaning the namespace `ip netns add lab1` made: /run/netns/lab1.
 */
export type NetnsTarget = number | string;

/** The path of a netns given by path or by `ip netns` name. */
export function netnsPath(target: string): string {
  if (target === '') throw new RangeError('netns: empty path or name');
  if (target.includes('/')) return target;
  if (target === '.' || target === '..') throw new RangeError(`netns: "${target}" is not a namespace name`);
  return `/run/netns/${target}`;
}

export function withNetnsSync<T>(lib: Libc, target: NetnsTarget, fn: () => T): T {
  if (typeof target === 'number' && (!Number.isInteger(target) || target < 0)) throw new RangeError(`netns: fd must be a non-negative integer, got ${target}`);
  const path = typeof target === 'string' ? netnsPath(target) : undefined;
  const own = lib.open('/proc/thread-self/ns/net', O_RDONLY | O_CLOEXEC);
  let targetFd = -1;
  try {
    targetFd = path === undefined ? target as number : lib.open(path, O_RDONLY | O_CLOEXEC);
    lib.setns(targetFd, CLONE_NEWNET);
    let result: T;
    try {
      result = fn();
    } finally {
      // If this fails the thread is stranded in the wrong namespace: nothing sane can continue.
      try {
        lib.setns(own, CLONE_NEWNET);
      } catch (err) {
        process.emitWarning('netlink-ts: could not return to the original network namespace; aborting', { code: 'NLTS_NETNS_STRANDED' });
        process.abort();
        throw err;
      }
    }
    if (result instanceof Promise) throw new TypeError('withNetnsSync: fn must be synchronous (a namespace switch must not span an await)');
    return result;
  } finally {
    if (typeof target === 'string' && targetFd >= 0) lib.close(targetFd);
    lib.close(own);
  }
}
