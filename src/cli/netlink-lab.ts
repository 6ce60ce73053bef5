#!/usr/bin/env node
/**
 * netlink-lab: declarative namespace labs from one lab file (YAML/JSON). This file only
 * dispatches; each verb lives in src/cli/lab-*.ts, loaded with import() when it runs (`graph`
 * loads the Graphviz WebAssembly, the others never do).
 *
 * Exit status, as netlink-dump's: 0 success, 1 the job failed (invalid lab file, a step the
 * kernel refused, an expectation that does not hold, drift found by `plan --exit-code`),
 * 2 usage error. Errors are one line on stderr; a stack trace only with NETLINK_DUMP_DEBUG=1.
 */
import { CliError, UsageError } from './errors.js';
import { type Io, processIo } from './io.js';

interface Command {
  readonly summary: string;
  readonly load: () => Promise<{ run(argv: readonly string[], io: Io): Promise<number> }>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  up: { summary: 'build the lab, or repair it: apply the plan (idempotent; rolls back on failure)', load: async () => ({ run: (a, io) => import('./lab-verbs.js').then((m) => m.up(a, io)) }) },
  plan: { summary: 'what up would change: + add, ~ change, - remove (nothing to do when the lab matches)', load: async () => ({ run: (a, io) => import('./lab-verbs.js').then((m) => m.plan(a, io)) }) },
  down: { summary: 'remove everything the lab owns (from the file, or by the lab\'s name alone)', load: async () => ({ run: (a, io) => import('./lab-verbs.js').then((m) => m.down(a, io)) }) },
  status: { summary: 'the live lab: every node\'s links, addresses, peers and routes, drift marked', load: () => import('./lab-status.js') },
  check: { summary: 'prove the expect: lines with real packets; a ✓/✗ connectivity matrix', load: () => import('./lab-check.js') },
  graph: { summary: 'draw the lab: Graphviz DOT, or SVG rendered in-process', load: () => import('./lab-graph.js') },
  exec: { summary: 'run a command inside a node: netlink-lab exec FILE NODE -- CMD [ARGS...]', load: () => import('./lab-exec.js') },
};

/** containerlab's verb names, for hands used to them. */
const ALIASES: Readonly<Record<string, string>> = { deploy: 'up', destroy: 'down', inspect: 'status' };

const USAGE = `usage: netlink-lab COMMAND FILE [OPTIONS]

Commands:
${Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(7)} ${c.summary}`).join('\n')}

FILE is a lab file (YAML or JSON; JSON Schema: schema/netlink-lab.schema.json).
Common options: --host NAME (this machine's part of a multi-host lab), --json,
--ffi koffi|ffi-napi (or NETLINK_TS_FFI). Run netlink-lab COMMAND --help for more.
containerlab's names work too: ${Object.entries(ALIASES).map(([a, c]) => `${a} (${c})`).join(', ')}.
Exit status: 0 done, 1 failed (one line on stderr), 2 usage error.`;

async function main(argv: readonly string[], io: Io): Promise<number> {
  const [given, ...rest] = argv;
  const cmd = given !== undefined && Object.hasOwn(ALIASES, given) ? ALIASES[given]! : given;
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    const topic = rest[0] !== undefined && Object.hasOwn(ALIASES, rest[0]) ? ALIASES[rest[0]]! : rest[0];
    if (cmd === 'help' && topic && Object.hasOwn(COMMANDS, topic)) return (await COMMANDS[topic]!.load()).run(['--help'], io);
    io.out(USAGE);
    return 0;
  }
  if (cmd === undefined) throw new UsageError(`no command given (${Object.keys(COMMANDS).join(', ')}; see netlink-lab --help)`);
  const c = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!c) throw new UsageError(`unknown command "${cmd}" (one of ${Object.keys(COMMANDS).join(', ')}; see netlink-lab --help)`);
  return (await c.load()).run(rest, io);
}

const io = processIo('netlink-lab');
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
main(process.argv.slice(2), io).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (process.env['NETLINK_DUMP_DEBUG'] === '1') process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    if (err instanceof UsageError) {
      io.err(err.message);
      process.exitCode = 2;
    } else if (err instanceof CliError) {
      io.err(err.message);
      process.exitCode = err.exitCode;
    } else {
      // LabSpecError (every issue, joined on one line), LabApplyError, NetlinkError, …: one line.
      const e = err as Error;
      const text = `${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e?.message ?? String(err)}`;
      io.err(text.split('\n').map((l) => l.trim()).filter(Boolean).reduce((acc, l) => (acc === '' ? l : acc.endsWith(':') ? `${acc} ${l}` : `${acc}; ${l}`), ''));
      process.exitCode = 1;
    }
  },
);
