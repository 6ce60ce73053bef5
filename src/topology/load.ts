/**
 * Lab files: YAML (the `yaml` package; JSON is YAML too) → validated LabModel. Parse errors
 * and every validation issue come out as one LabSpecError naming the file and spec paths.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { LabSpecError } from './errors.js';
import type { LabModel } from './model.js';
import { type ValidateOptions, validateLab } from './validate.js';

/** Parse lab text (YAML or JSON) without validating it. Syntax errors are a LabSpecError with the line. */
export function parseLabText(text: string, file?: string): unknown {
  try {
    return parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    // The first line (prettyErrors then adds a code frame after a colon).
    const msg = ((err as Error).message.split('\n')[0] ?? String(err)).replace(/:\s*$/, '');
    throw new LabSpecError([{ path: '', message: `not valid YAML/JSON: ${msg}` }], file);
  }
}

/** Options of {@link loadLab}. */
export interface LoadOptions extends Omit<ValidateOptions, 'file'> {
  /** Treat `source` as the lab text itself instead of a file path. Default false. */
  readonly text?: boolean;
}

/**
 * Read and validate a lab: `source` is a file path (YAML or JSON), or the text with
 * `{ text: true }`, or an already parsed object. Throws LabSpecError before any syscall.
 */
export function loadLab(source: string | object, opts: LoadOptions = {}): LabModel {
  if (typeof source !== 'string') return validateLab(source, opts);
  if (opts.text) return validateLab(parseLabText(source), opts);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (err) {
    throw new LabSpecError([{ path: '', message: `cannot read the lab file: ${(err as Error).message}` }], source);
  }
  return validateLab(parseLabText(text, source), { ...opts, file: source });
}
