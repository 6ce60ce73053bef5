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
 * The base class of every error netlink-ts throws on purpose (SyscallError, NetlinkError,
 * DecodeError, BulkError, NetnsError, SysctlError, NftBatchError, …): `catch (e) { if (e
 * instanceof NetlinkTsError) … }` tells the library's failures from bugs. `code` is the
 * symbolic errno (`'ENOENT'`) when a syscall or the kernel caused the error, else an
 * `ERR_*` name for the class (`'ERR_DECODE'`). Bad arguments stay `TypeError`/`RangeError`.
 */
export class NetlinkTsError extends Error {
  override readonly name: string = 'NetlinkTsError';
  /** Symbolic errno (`'EEXIST'`) or an `ERR_*` code of the error class. */
  readonly code: string;
  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/**
 * A libc call failed. Thrown by every {@link Libc} method when the call returns -1;
 * `errno` is read right after the call, before any other FFI call can clobber it.
 */
export class SyscallError extends NetlinkTsError {
  override readonly name = 'SyscallError';
  /** The libc function, e.g. `'setns'`. */
  readonly syscall: string;
  /** The errno value read right after the call. */
  readonly errno: number;
  /** What the call was about (a path, a device), when the caller said: `open (/run/netns/x)`. */
  readonly detail: string | undefined;

  constructor(syscall: string, errno: number, options?: { cause?: unknown; detail?: string }) {
    super(`${syscall}${options?.detail ? ` (${options.detail})` : ''}: ${errnoName(errno)}: ${errnoMessage(errno)}`, errnoName(errno), options);
    this.syscall = syscall;
    this.errno = errno;
    this.detail = options?.detail;
  }
}

/**
 * An FFI backend was asked for but cannot load: its packages are not installed (they are
 * optional dependencies of netlink-ts), or they are installed without their native build
 * (`npm install --ignore-scripts`, or no compiler). The message says what to install.
 */
export class BackendUnavailableError extends NetlinkTsError {
  override readonly name = 'BackendUnavailableError';
  /** The backend asked for: `'ffi-napi'` or `'koffi'`. */
  readonly backend: string;
  /** The npm packages the backend needs. */
  readonly packages: readonly string[];
  constructor(backend: string, packages: readonly string[], reason: 'missing' | 'unbuilt', cause: unknown) {
    const install = `npm install ${packages.join(' ')}`;
    super(reason === 'missing'
      ? `FFI backend ${backend} is not installed: run \`${install}\`${backend === 'ffi-napi' ? ' (its native modules build from source: needs python3, make and a C++ compiler)' : ''}`
      : `FFI backend ${backend} is installed but its native modules are not built (installed with --ignore-scripts or without a compiler?): run \`npm rebuild ${packages.join(' ')}\` with python3, make and a C++ compiler available — ${(cause as Error)?.message?.split('\n')[0] ?? String(cause)}`,
    'ERR_BACKEND_UNAVAILABLE', { cause });
    this.backend = backend;
    this.packages = packages;
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
