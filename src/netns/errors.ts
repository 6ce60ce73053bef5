/**
 * Errors of the netns module, catchable by class. Each carries the namespace it is about
 * (`netns`: a name, path or `pid N`), the errno `code` where one caused it, and `cause`.
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
