/**
 * `netlink-dump record -o fixtures/… -- COMMAND…`: capture a command's netlink exchange as a
 * fixture pair (.hex + .json with provenance). A thin front end: the work is done by the
 * capture tool (tools/capture.ts, built to dist/tools/capture.js), spawned with the same
 * options. It is not moved into src/ because it depends on the repository, not the package —
 * it re-executes itself under tools/sandbox.sh and runs strace — so `record` works in a
 * netlink-ts checkout (after `npx tsc -p tsconfig.json`), and says so elsewhere.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, str } from './args.js';
import { CliError, UsageError } from './errors.js';
import type { Io } from './io.js';

export const HELP = `usage: netlink-dump record -o PATH [--setup CMD]… [--oracle CMD] [--description TEXT] [--keep-padding] -- COMMAND [ARGS…]

Run COMMAND under strace inside a throwaway network namespace (tools/sandbox.sh) and write
the netlink messages it exchanged as the fixture pair PATH.hex + PATH.json, with provenance
(kernel, tool version, exact command, how captured). Needs strace and a netlink-ts checkout.

  -o, --out PATH         where to write (PATH.hex and PATH.json)
      --setup CMD        run with sh -c before COMMAND, not captured (repeatable)
      --oracle CMD       run after COMMAND; its output is stored as the expected answer
      --description TEXT what the fixture shows (default: the command)
      --keep-padding     keep zero bytes a sender passed after its last message
  -h, --help             this text`;

/**
 * dist/tools/capture.js, found from this module wherever it was built to: dist/src/cli/record.js
 * (tsc) or a chunk under dist/bundle/ (the published bundle).
 */
export const CAPTURE_SCRIPT = captureScript(fileURLToPath(import.meta.url));

function captureScript(here: string): string {
  const at = here.lastIndexOf(`${sep}dist${sep}`);
  // Run from the TypeScript sources (tests): the build's copy, next to them.
  if (at === -1) return join(dirname(here), '..', '..', 'dist', 'tools', 'capture.js');
  return join(here.slice(0, at), 'dist', 'tools', 'capture.js');
}

/** The capture tool's argument list for a `record` command line. */
export function captureArgs(argv: readonly string[]): string[] | 'help' {
  const dash = argv.indexOf('--');
  const opts = dash < 0 ? argv : argv.slice(0, dash);
  const command = dash < 0 ? [] : argv.slice(dash + 1);
  const p = parse(opts, {
    out: { type: 'string', short: 'o' }, setup: { type: 'string', multiple: true }, oracle: { type: 'string' },
    description: { type: 'string' }, 'keep-padding': { type: 'boolean' },
  }, 'record');
  if (p.help) return 'help';
  if (p.positionals.length) throw new UsageError(`record: the command goes after -- (got "${p.positionals[0]}" before it)`);
  const out = str(p, 'out');
  if (out === undefined || out === '') throw new UsageError('record: -o PATH is required');
  if (command.length === 0) throw new UsageError('record: no command given after --');
  const setup = (p.values['setup'] as string[] | undefined) ?? [];
  const oracle = str(p, 'oracle'), description = str(p, 'description');
  return [
    '--out', out, ...setup.flatMap((s) => ['--setup', s]),
    ...(oracle !== undefined ? ['--oracle', oracle] : []), ...(description !== undefined ? ['--description', description] : []),
    ...(p.values['keep-padding'] === true ? ['--keep-padding'] : []), '--', ...command,
  ];
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = captureArgs(argv);
  if (args === 'help') { io.out(HELP); return 0; }
  if (!existsSync(CAPTURE_SCRIPT)) {
    throw new CliError(`record needs a netlink-ts checkout with the capture tool built (${CAPTURE_SCRIPT} is missing; run npx tsc -p tsconfig.json there)`);
  }
  const child = spawn(process.execPath, [CAPTURE_SCRIPT, ...args], { stdio: 'inherit' });
  const forward = (sig: NodeJS.Signals): void => { child.kill(sig); };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', (err) => reject(new CliError(`cannot run the capture tool: ${err.message}`)));
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1)));
    });
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}
