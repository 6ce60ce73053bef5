/**
 * Errors of the netns module, catchable by class. Each carries the namespace it is about
 * (`netns`: a name, path or `pid N`), the errno `code` where one caused it, and `cause`.
 */

/** Something about a network namespace failed. */
export class NetnsError extends Error {
  override name = 'NetnsError';
  /** The namespace concerned: its name, path, or `pid N`. */
  readonly netns: string;
  /** Symbolic errno (`ENOENT`, `EBUSY`, …) when a syscall caused this. */
  readonly code: string | undefined;

  constructor(message: string, netns: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.netns = netns;
    this.code = options.code;
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
