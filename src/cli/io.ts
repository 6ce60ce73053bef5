/** Where a subcommand writes: stdout/stderr with the styling chosen for the terminal. */
import { type Style, styleFor } from './style.js';

export interface Io {
  /** Write a block of text to stdout (a newline is added). */
  out(text: string): void;
  /** Write one line to stderr, prefixed with the program's name (`netlink-dump: `). */
  err(line: string): void;
  /** Styling for stdout. */
  readonly style: Style;
  /** Standard input's bytes when the CLI runs in-process (tests, embedders); unset: fd 0. */
  readonly stdin?: Buffer;
}

/** stdout/stderr of this process; `prog` prefixes stderr lines (default netlink-dump). */
export function processIo(prog = 'netlink-dump'): Io {
  return {
    out: (text) => { process.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`); },
    err: (line) => { process.stderr.write(`${prog}: ${line}\n`); },
    get style() { return styleFor(process.stdout); },
  };
}
