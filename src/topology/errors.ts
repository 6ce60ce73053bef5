/**
 * Errors of the topology layer, catchable by class.
 * - LabSpecError: the lab file is wrong (structure or meaning); raised before any syscall.
 *   `issues` lists every problem found, each with the spec path it is about.
 * - LabApplyError: a step of apply/destroy failed; names the step, the object and the kernel's
 *   reason (`cause` is the library error, e.g. a NetlinkError with its errno).
 * Both are NetlinkTsErrors: `code` is `ERR_LAB_SPEC`, or for LabApplyError the cause's errno
 * code (`EEXIST`) when the kernel refused the step, else `ERR_LAB_APPLY`.
 */
import { NetlinkTsError } from '../ffi/errors.js';

/** One problem in a lab spec, at `path` (`links[2].b.node`). */
export interface LabIssue {
  readonly path: string;
  readonly message: string;
}

/** The lab spec is invalid. The message lists every issue as `path: message`. */
export class LabSpecError extends NetlinkTsError {
  override readonly name = 'LabSpecError';
  readonly issues: readonly LabIssue[];
  /** The file the spec came from, if any. */
  readonly file: string | undefined;
  constructor(issues: readonly LabIssue[], file?: string) {
    const where = file === undefined ? '' : `${file}: `;
    const lines = issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`));
    super(issues.length === 1 ? `${where}${lines[0]}` : `${where}${issues.length} problems in the lab spec:\n  ${lines.join('\n  ')}`, 'ERR_LAB_SPEC');
    this.issues = issues;
    this.file = file;
  }
}

/** A step of apply (or destroy) failed; what apply had done was rolled back (see `rollbackErrors`). */
export class LabApplyError extends NetlinkTsError {
  override readonly name = 'LabApplyError';
  /** Index of the failing step in the plan's change list. */
  readonly step: number;
  /** The object path (`nodes.A`, `links[0]`, `routes[1]`, …). */
  readonly object: string;
  /** What the step did: `+ link A/eth0 …`. */
  readonly change: string;
  /** Errors met while undoing (empty when the rollback was clean). */
  readonly rollbackErrors: readonly Error[];
  constructor(message: string, opts: { step: number; object: string; change: string; cause: unknown; rollbackErrors?: readonly Error[] }) {
    super(message, opts.cause instanceof NetlinkTsError && /^E[A-Z0-9]+$/.test(opts.cause.code) ? opts.cause.code : 'ERR_LAB_APPLY', { cause: opts.cause });
    this.step = opts.step;
    this.object = opts.object;
    this.change = opts.change;
    this.rollbackErrors = opts.rollbackErrors ?? [];
  }
}
