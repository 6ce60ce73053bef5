/**
 * The two ways netlink-dump fails on purpose. Anything else that escapes a subcommand is a
 * bug, and is reported as one line too (the stack only with NETLINK_DUMP_DEBUG=1).
 */
import { NetlinkTsError } from '../ffi/errors.js';

/** The command line is wrong: exit 2, one line on stderr, then a pointer to --help. */
export class UsageError extends NetlinkTsError {
  override readonly name = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_USAGE', options);
  }
}

/** The command line is fine but the job cannot be done (unreadable file, no such netns): exit 1. */
export class CliError extends NetlinkTsError {
  override readonly name = 'CliError';
  constructor(message: string, readonly exitCode = 1, options?: { cause?: unknown }) {
    super(message, 'ERR_CLI', options);
  }
}
