/**
 * Argument parsing for subcommands: node:util parseArgs (strict), its errors turned into
 * one-line UsageErrors, and `--help` / `-h` recognised everywhere.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
  readonly help: boolean;
}

/** Parse `argv` against `options` (plus --help). Unknown options and missing values are UsageErrors. */
export function parse(argv: readonly string[], options: OptionSpec, cmd: string): Parsed {
  try {
    const r = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: r.values as Parsed['values'], positionals: r.positionals, help: r.values['help'] === true };
  } catch (err) {
    // parseArgs words its errors for programmers ("Unknown option '--x'. To specify a
    // positional argument starting with a '-', place it at the end of the command after '--'…").
    // Some are several lines ("argument is ambiguous.\nDid you forget …"): the first sentence of the first line.
    const msg = err instanceof Error ? err.message.split('\n')[0]!.split('. ')[0]!.replace(/\.$/, '') : String(err);
    throw new UsageError(`${cmd}: ${msg}`);
  }
}

/** A string option's value (the last one if repeated). */
export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[v.length - 1] as string | undefined) : undefined;
}

export const bool = (p: Parsed, name: string): boolean => p.values[name] === true;
