/**
 * Errors about network namespaces, catchable by class. Each carries the namespace it is about
 * (`netns`: a name, path or `pid N`), the errno `code` where one caused it, and `cause`.
 * Defined here, below every layer that opens a namespace (a handle's `{ netns }`, a veth
 * peer's), and re-exported by src/netns/errors.ts, the module users know.
 */
import { NetlinkTsError } from '../ffi/errors.js';

/** Something about a network namespace failed. */
export class NetnsError extends NetlinkTsError {
  override name = 'NetnsError';
  /** The namespace concerned: its name, path, or `pid N`. */
  readonly netns: string;

  /** `code`: the symbolic errno (`ENOENT`, `EBUSY`, …) when a syscall caused this, else `ERR_NETNS`. */
  constructor(message: string, netns: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.code ?? 'ERR_NETNS', options);
    this.netns = netns;
  }
}

/** No namespace by that name / path / pid. */
export class NetnsNotFoundError extends NetnsError {
  override name = 'NetnsNotFoundError';
}

/** `add` of a name that exists already (`ip netns add`: "File exists"). */
export class NetnsExistsError extends NetnsError {
  override name = 'NetnsExistsError';
}

/** The name is still a mount point after being detached, so it cannot be removed (EBUSY). */
export class NetnsBusyError extends NetnsError {
  override name = 'NetnsBusyError';
}

/** The fd or path is open but is not a network namespace (e.g. a stale /run/netns file). */
export class NotANetnsError extends NetnsError {
  override name = 'NotANetnsError';
}

/**
 * `open(2)` a namespace file for one of our requests; ENOENT becomes NetnsNotFoundError in
 * iproute2's words: `network namespace "nope" not found (/run/netns/nope)`.
 */
export function openNetnsPath(lib: { open(path: string, flags: number): number }, path: string, flags: number, ref?: unknown): number {
  try {
    return lib.open(path, flags);
  } catch (err) {
    const label = netnsLabel(ref, path);
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new NetnsNotFoundError(`network namespace ${label} not found (${path})`, label, { code, cause: err });
    throw new NetnsError(`cannot open network namespace ${label} (${path}): ${(err as Error).message}`, label, { code: code ?? 'ERR_NETNS', cause: err });
  }
}

/** How messages name a namespace: `"lab1"` for a name, `pid 42`, else the path. */
export function netnsLabel(ref: unknown, path: string): string {
  if (typeof ref === 'string' && ref !== '' && !ref.includes('/')) return `"${ref}"`;
  if (ref !== null && typeof ref === 'object' && 'pid' in ref) return `pid ${(ref as { pid: unknown }).pid}`;
  return path;
}
