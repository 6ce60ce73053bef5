/**
 * Errors a caller can catch by class. Every class sets `name`, and `cause` where there is one.
 */
import { NetlinkTsError, errnoMessage, errnoName } from '../ffi/errors.js';

export { BackendUnavailableError, NetlinkTsError, SyscallError } from '../ffi/errors.js';

/** Extended ACK details (NLMSGERR_ATTR_*) the kernel attached to an NLMSG_ERROR. */
export interface ExtAck {
  /** NLMSGERR_ATTR_MSG: the kernel's text, e.g. "MTU is too low". */
  readonly message?: string;
  /** NLMSGERR_ATTR_OFFS: byte offset into our request (from its nlmsghdr) of the offending attribute. */
  readonly offset?: number;
  /** NLMSGERR_ATTR_MISS_TYPE: the attribute type the kernel required but did not get. */
  readonly missingType?: number;
  /** NLMSGERR_ATTR_MISS_NEST: offset of the nest that lacks `missingType`. */
  readonly missingNest?: number;
  /** NLMSGERR_ATTR_COOKIE. */
  readonly cookie?: Buffer;
}

/** What a {@link NetlinkError} is made from. */
export interface NetlinkErrorInit {
  /** Positive errno (the kernel sends it negated). */
  readonly errno: number;
  /** Name of the request type, e.g. `RTM_NEWLINK`. */
  readonly operation: string;
  readonly seq: number;
  readonly extAck?: ExtAck;
  /** Attribute path the ext-ACK offset points at, e.g. `['IFLA_LINKINFO', 'IFLA_INFO_KIND']`. */
  readonly attrPath?: readonly string[];
  /** Attribute name for `extAck.missingType`, where the request schema knows it. */
  readonly missingAttr?: string;
  /** Position of the failed message within a bulk request. */
  readonly index?: number;
  /**
   * What was being done to which object, in iproute2's words where it has them:
   * `Cannot find device "nope"`, `cannot add link "br0"`. Leads the message.
   */
  readonly subject?: string;
}

/** The kernel answered a request with NLMSG_ERROR and a non-zero error. */
export class NetlinkError extends NetlinkTsError {
  override readonly name = 'NetlinkError';
  /** Positive errno. */
  readonly errno: number;
  readonly operation: string;
  readonly seq: number;
  readonly extAck: ExtAck;
  readonly attrPath: readonly string[] | undefined;
  readonly missingAttr: string | undefined;
  readonly index: number | undefined;
  /** What was being done to which object (`Cannot find device "nope"`), when the caller knows. */
  readonly subject: string | undefined;

  constructor(init: NetlinkErrorInit) {
    const code = errnoName(init.errno);
    const where = init.attrPath?.length ? ` at ${init.attrPath.join('.')}` : '';
    const kernel = init.extAck?.message ? ` (kernel: "${init.extAck.message}"${where})` : where ? ` (${where.trim()})` : '';
    const missing = init.missingAttr ?? (init.extAck?.missingType !== undefined ? `attribute type ${init.extAck.missingType}` : undefined);
    super(`${init.subject ? `${init.subject}: ` : ''}${init.operation}: ${code}: ${errnoMessage(init.errno)}${kernel}${missing ? ` [missing ${missing}]` : ''}`, code);
    this.errno = init.errno;
    this.operation = init.operation;
    this.seq = init.seq;
    this.extAck = init.extAck ?? {};
    this.attrPath = init.attrPath;
    this.missingAttr = init.missingAttr;
    this.index = init.index;
    this.subject = init.subject;
  }

  /**
   * The same error, saying what was being done to which object (`subject` replaces an earlier
   * one; `undefined` keeps it), optionally at another bulk `index`.
   */
  withSubject(subject: string | undefined, index = this.index): NetlinkError {
    const e = new NetlinkError({
      errno: this.errno, operation: this.operation, seq: this.seq, extAck: this.extAck,
      ...((subject ?? this.subject) !== undefined ? { subject: subject ?? this.subject } : {}),
      ...(this.attrPath ? { attrPath: this.attrPath } : {}),
      ...(this.missingAttr !== undefined ? { missingAttr: this.missingAttr } : {}),
      ...(index !== undefined ? { index } : {}),
    });
    if (this.stack) e.stack = `${e.name}: ${e.message}${this.stack.slice(this.stack.indexOf('\n'))}`;
    return e;
  }
}

/** iproute2's words for a device the kernel does not have (ENODEV / "No such device"). */
export function cannotFindDevice(dev: string | number): string {
  return typeof dev === 'number' ? `Cannot find device with index ${dev}` : `Cannot find device "${dev}"`;
}

/**
 * `err` with `subject` if it is a NetlinkError that has none yet: ENODEV (no such device) says
 * `Cannot find device "DEV"` when `dev` is given, anything else `subject`. Other errors as is.
 */
export function named(err: unknown, subject: string, dev?: string | number): unknown {
  if (!(err instanceof NetlinkError) || err.subject !== undefined) return err;
  return err.withSubject(err.code === 'ENODEV' && dev !== undefined ? cannotFindDevice(dev) : subject);
}

/** Bytes that do not parse: carries where (attribute path and byte offset). */
export class DecodeError extends NetlinkTsError {
  override readonly name = 'DecodeError';
  readonly path: readonly string[];
  readonly offset: number;
  /** The message without path and offset. */
  readonly reason: string;
  constructor(message: string, path: readonly string[], offset: number, options?: { cause?: unknown }) {
    super(`${path.length ? path.join('.') + ': ' : ''}${message} (at byte ${offset})`, 'ERR_DECODE', options);
    this.path = path;
    this.offset = offset;
    this.reason = message;
  }

  /**
   * The same error seen from an enclosing level: decoders pass no path down (building one
   * per attribute is the main cost of a dump), and each level prefixes its name on the way up.
   */
  within(...prefix: string[]): DecodeError {
    // The same class as this one (a DecodeLimitError stays one on the way up).
    const C = this.constructor as new (message: string, path: readonly string[], offset: number, options?: { cause?: unknown }) => DecodeError;
    return prefix.length ? new C(this.reason, [...prefix, ...this.path], this.offset, this.cause === undefined ? undefined : { cause: this.cause }) : this;
  }
}

/**
 * Well-formed-looking bytes that go past a decoder limit (docs/limits.md): nests deeper than
 * MAX_NEST_DEPTH, or a length field asking for far more memory than the input could describe.
 * A DecodeError, so callers that catch those catch these too.
 */
export class DecodeLimitError extends DecodeError {
  constructor(message: string, path: readonly string[], offset: number, options?: { cause?: unknown }) {
    super(message, path, offset, options);
    // DecodeError declares its name as a literal type; this subclass still names itself.
    (this as { name: string }).name = 'DecodeLimitError';
  }
}

/** Re-throw `err` from inside `name`: DecodeErrors get the name prefixed to their path. */
export function rethrowWithin(err: unknown, ...prefix: string[]): never {
  throw err instanceof DecodeError ? err.within(...prefix) : err;
}

/** A dump was interrupted (NLM_F_DUMP_INTR): the table changed while being dumped. Retry. */
export class DumpInterruptedError<T = unknown> extends NetlinkTsError {
  override readonly name = 'DumpInterruptedError';
  /** Everything received, possibly inconsistent. */
  readonly partial: readonly T[];
  constructor(operation: string, partial: readonly T[]) {
    super(`${operation}: dump interrupted (NLM_F_DUMP_INTR): the kernel's table changed during the dump; results may be inconsistent — retry`, 'ERR_DUMP_INTERRUPTED');
    this.partial = partial;
  }
}

/** Some messages of a bulk request failed. `code` is the first failure's errno name. */
export class BulkError extends NetlinkTsError {
  override readonly name = 'BulkError';
  /** One NetlinkError per failed message, each with its `index`. */
  readonly failures: readonly NetlinkError[];
  /** How many messages were handed to the kernel (the rest were not sent, see `stopOnError`). */
  readonly attempted: number;
  readonly total: number;
  constructor(operation: string, failures: readonly NetlinkError[], attempted: number, total: number) {
    const first = failures[0];
    super(`${operation}: ${failures.length} of ${attempted} messages failed (${total} requested)` +
      (first ? `; first: #${first.index}: ${first.message}` : ''), first?.code ?? 'ERR_BULK', first ? { cause: first } : undefined);
    this.failures = failures;
    this.attempted = attempted;
    this.total = total;
  }
}

/** The socket is in a state that forbids the call (closed, or reserved by an open dump stream). */
export class SocketStateError extends NetlinkTsError {
  override readonly name: string = 'SocketStateError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_SOCKET_STATE', options);
  }
}

/** No reply within the socket's receive timeout. */
export class NetlinkTimeoutError extends NetlinkTsError {
  override readonly name: string = 'NetlinkTimeoutError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ETIMEDOUT', options);
  }
}

/** The kernel's reply violates the protocol (wrong seq, wrong port id, truncated datagram). */
export class ProtocolError extends NetlinkTsError {
  override readonly name: string = 'ProtocolError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_PROTOCOL', options);
  }
}
