/** Where a subcommand writes: stdout/stderr with the styling chosen for the terminal. */
import { type Style, styleFor } from './style.js';

export interface Io {
  /** Write a block of text to stdout (a newline is added). */
  out(text: string): void;
  /** Write one line to stderr, prefixed `netlink-dump: `. */
  err(line: string): void;
  /** Styling for stdout. */
  readonly style: Style;
  /** Standard input's bytes when the CLI runs in-process (tests, embedders); unset: fd 0. */
  readonly stdin?: Buffer;
}

export function processIo(): Io {
  return {
    out: (text) => { process.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`); },
    err: (line) => { process.stderr.write(`netlink-dump: ${line}\n`); },
    get style() { return styleFor(process.stdout); },
  };
}
