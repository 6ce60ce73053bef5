/** Errors of the nftables layer. */
import { NetlinkTsError } from '../ffi/errors.js';
import type { NetlinkError } from '../netlink/errors.js';

/**
 * The kernel refused a batch: nothing in it was applied (nfnetlink batches are all-or-nothing).
 * Each failure is a NetlinkError (errno, code, ext-ACK text) whose `index` is the position of
 * the failed operation in the batch (0 = the first operation after NFNL_MSG_BATCH_BEGIN;
 * -1 = the batch as a whole, e.g. ERESTART when the generation id no longer matches).
 * `code` is the first failure's errno name.
 */
export class NftBatchError extends NetlinkTsError {
  override readonly name = 'NftBatchError';
  readonly failures: readonly NetlinkError[];
  /** What each failed operation was, e.g. `NFT_MSG_NEWRULE ip nat postrouting`, parallel to `failures`. */
  readonly operations: readonly string[];
  constructor(failures: readonly NetlinkError[], operations: readonly string[], total: number) {
    const first = failures[0]!;
    const where = first.index === -1 ? 'the batch as a whole' : `operation #${first.index} of ${total} (${operations[0]})`;
    super(`nftables batch rejected, nothing applied: ${where}: ${first.message}${failures.length > 1 ? ` (+${failures.length - 1} more)` : ''}`, first.code, { cause: first });
    this.failures = failures;
    this.operations = operations;
  }

  /** ERESTART on the batch: the ruleset changed since the generation id given to commit(). */
  get generationChanged(): boolean {
    return this.failures.some((f) => f.index === -1 && f.code === 'ERESTART');
  }
}

/**
 * A batch whose datagram is larger than the socket's send buffer: the kernel refused the
 * sendmsg(2) with EMSGSIZE, so nothing was sent and nothing applied. `bytes` is the batch's
 * size; split it into smaller commits (each is all-or-nothing on its own) or open the handle
 * with a larger `sndbuf`.
 */
export class NftBatchTooLargeError extends RangeError {
  override readonly name = 'NftBatchTooLargeError';
  constructor(readonly bytes: number, readonly operations: number, options?: { cause?: unknown }) {
    super(`nftables batch of ${bytes} bytes (${operations} operations) is larger than the socket's send buffer (sendmsg: EMSGSIZE), nothing applied: split it into smaller commits or open the handle with a larger sndbuf`, options);
  }
}
