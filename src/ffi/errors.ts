import { ERRNO } from './errno.js';

/** The symbolic name of an errno value (`EPERM`), or `E<number>` when the uapi headers have none. */
export function errnoName(errno: number): string {
  return ERRNO[errno]?.[0] ?? `E${errno}`;
}

/** The errno value of a symbolic name (`EINTR` → 4), from the same generated table; throws for an unknown name. */
export function errnoNumber(name: string): number {
  for (const [n, [code]] of Object.entries(ERRNO)) if (code === name) return Number(n);
  throw new RangeError(`no errno named ${name} in the uapi headers`);
}

/** strerror(3)-like text for an errno value, from the uapi header comments. */
export function errnoMessage(errno: number): string {
  return ERRNO[errno]?.[1] ?? `Unknown error ${errno}`;
}

/**
 * A libc call failed. Thrown by every {@link Libc} method when the call returns -1;
 * `errno` is read right after the call, before any other FFI call can clobber it.
 */
export class SyscallError extends Error {
  override readonly name = 'SyscallError';
  /** The libc function, e.g. `'setns'`. */
  readonly syscall: string;
  readonly errno: number;
  /** Symbolic errno, e.g. `'EPERM'`. */
  readonly code: string;

  constructor(syscall: string, errno: number, options?: { cause?: unknown; detail?: string }) {
    const code = errnoName(errno);
    super(`${syscall}${options?.detail ? ` (${options.detail})` : ''}: ${code}: ${errnoMessage(errno)}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.syscall = syscall;
    this.errno = errno;
    this.code = code;
  }
}

/** Shared by the backends: throw on -1 with the errno read right after the call. */
export function checkCall(syscall: string, ret: number | bigint, errno: () => number): number {
  const n = Number(ret);
  if (n === -1) throw new SyscallError(syscall, errno());
  return n;
}

/**
 * Shared by the backends' `pollAsync`: settle an asynchronous poll(2). On -1 the pool thread's
 * errno is out of reach, so `again` (a zero-timeout poll on the calling thread) names the
 * error if it persists; otherwise the failure was transient and is reported as EINTR.
 */
export function settlePollAsync(ret: number, again: () => number): number {
  if (ret !== -1) return ret;
  again();
  throw new SyscallError('poll', EINTR, { detail: 'on a pool thread' });
}

const EINTR = errnoNumber('EINTR');
