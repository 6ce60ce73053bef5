/**
 * Terminal styling: colour only when the stream is a TTY and NO_COLOR is unset
 * (https://no-color.org: any non-empty value disables it), or when FORCE_COLOR asks for it.
 */

export interface Style {
  readonly on: boolean;
  /** Names (attributes, message types). */
  name(s: string): string;
  /** Offsets and lengths. */
  dim(s: string): string;
  /** Faults. */
  bad(s: string): string;
  /** Headings. */
  bold(s: string): string;
}

const wrap = (on: boolean, open: string, close: string) => (s: string): string => (on ? `\x1b[${open}m${s}\x1b[${close}m` : s);

export function styleFor(stream: NodeJS.WriteStream): Style {
  const env = process.env;
  const on = env['NO_COLOR'] ? false : env['FORCE_COLOR'] && env['FORCE_COLOR'] !== '0' ? true : stream.isTTY === true;
  return { on, name: wrap(on, '36', '39'), dim: wrap(on, '2', '22'), bad: wrap(on, '31;1', '39;22'), bold: wrap(on, '1', '22') };
}

/** Style with colour off (JSON output, tests). */
export const PLAIN: Style = { on: false, name: (s) => s, dim: (s) => s, bad: (s) => s, bold: (s) => s };
