/**
 * The code blocks of README.md and docs/*.md, as the doc tests see them (the convention is
 * written down in docs/README.md):
 *
 * - ```ts (or typescript, js, mjs) blocks are a user's module importing 'netlink-ts': the
 *   test typechecks all of them against the built package, then runs each one as its own
 *   process in a fresh network + mount namespace (a private /run/netns) inside the sandbox;
 * - ```sh (or bash) blocks run with `bash -e -o pipefail` the same way, with the package's
 *   bins (netlink-dump, …) first on PATH, in an empty directory that links the checkout's
 *   top-level entries (fixtures/, examples/, …), so relative paths work as in a checkout;
 * - ```json blocks must parse; ```yaml / yml blocks must parse;
 * - ```text, console, diff, ini, toml, xml, html, dot, mermaid blocks are output or config
 *   and are not run;
 * - a block without a language, or with another one, is an error (say what it is);
 * - `<!-- doctest: skip — REASON -->` on the line right before the fence skips one block; the
 *   reason is required, and the unit test lists every skip so the exceptions stay few.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type BlockKind = 'ts' | 'sh' | 'json' | 'yaml' | 'text';

export interface DocBlock {
  /** Path relative to the repository root, e.g. `README.md`, `docs/labs.md`. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's language as written. */
  readonly lang: string;
  readonly kind: BlockKind | undefined;
  readonly code: string;
  /** The reason given by a `<!-- doctest: skip — … -->` directive. */
  readonly skip: string | undefined;
  /** Any other directive text found right before the fence (an error). */
  readonly badDirective: string | undefined;
}

const KINDS: Record<string, BlockKind> = {
  ts: 'ts', typescript: 'ts', js: 'ts', mjs: 'ts', javascript: 'ts',
  sh: 'sh', bash: 'sh', shell: 'sh',
  json: 'json',
  yaml: 'yaml', yml: 'yaml',
  text: 'text', console: 'text', diff: 'text', ini: 'text', toml: 'text', xml: 'text', html: 'text', dot: 'text', mermaid: 'text',
};

/** README.md, then every docs/*.md in name order. */
export function docFiles(root: string): string[] {
  let docs: string[] = [];
  try {
    docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);
  } catch { /* no docs/ yet */ }
  return ['README.md', ...docs];
}

/** Every fenced block of one Markdown file (``` or ~~~ fences, any indentation ≤ 3). */
export function docBlocks(root: string, file: string): DocBlock[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const out: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const lang = open[2]!.toLowerCase();
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[i]!); i++) body.push(lines[i]!);
    const prev = start > 0 ? lines[start - 1]!.trim() : '';
    const directive = /^<!--\s*doctest:\s*(.*?)\s*-->$/.exec(prev)?.[1];
    const skip = directive !== undefined ? /^skip\s*[—–:-]\s*(\S.*)$/.exec(directive)?.[1] : undefined;
    out.push({
      file, line: start + 1, lang, kind: KINDS[lang], code: body.join('\n') + '\n', skip,
      badDirective: directive !== undefined && skip === undefined ? directive : undefined,
    });
  }
  return out;
}

/** All blocks of README.md and docs/*.md. */
export function allDocBlocks(root: string): DocBlock[] {
  return docFiles(root).flatMap((f) => docBlocks(root, f));
}

/** `README.md:42`: where a block is, for test names and messages. */
export function where(b: DocBlock): string {
  return `${b.file}:${b.line}`;
}
