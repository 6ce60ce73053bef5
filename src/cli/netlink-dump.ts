#!/usr/bin/env node
/**
 * netlink-dump: the debugging CLI. This file only dispatches: each subcommand lives in its
 * own module, loaded with import() when it runs, so `netlink-dump link` loads the route
 * layer and FFI but not the capture decoders, and `decode` never loads koffi.
 *
 * Exit status: 0 success, 1 the job failed (unreadable file, no such namespace, corrupt
 * capture), 2 usage error. Errors are one line on stderr; never a stack trace unless
 * NETLINK_DUMP_DEBUG=1.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError, UsageError } from './errors.js';
import { type Io, processIo } from './io.js';

interface Command {
  readonly summary: string;
  readonly load: () => Promise<{ run(argv: readonly string[], io: Io): Promise<number> }>;
}

/**
 * Live commands open a RouteHandle once their arguments parse; start loading the route layer
 * (the largest module graph) alongside the command's own modules so the two loads overlap.
 */
function live<T>(cmd: Promise<T>): Promise<T> {
  import('../route/handle.js').catch(() => { /* reported when the command imports it */ });
  return cmd;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  decode: { summary: 'explain captured messages (.hex fixtures, raw, strace, pcap/pcapng)', load: () => import('./decode.js') },
  link: { summary: 'network interfaces (like ip -br link / ip -j link)', load: () => live(import('./live/link.js')) },
  addr: { summary: 'addresses (like ip -br addr / ip -j addr)', load: () => live(import('./live/addr.js')) },
  route: { summary: 'routes (like ip route / ip -j route)', load: () => live(import('./live/route.js')) },
  neigh: { summary: 'ARP/NDP neighbours (like ip neigh)', load: () => live(import('./live/neigh.js')) },
  rule: { summary: 'policy routing rules (like ip rule)', load: () => live(import('./live/rule.js')) },
  fdb: { summary: 'bridge forwarding database (like bridge fdb / bridge -j fdb)', load: () => live(import('./live/fdb.js')) },
  nft: { summary: 'the nftables ruleset (like nft list ruleset / nft -j list ruleset)', load: () => import('./live/nft.js') },
  all: { summary: 'everything about one namespace on one screen', load: () => live(import('./live/all.js')) },
  netns: { summary: 'every named namespace: links, addresses, routes, veth peers, bridges', load: () => live(import('./live/netns.js')) },
  monitor: { summary: 'print changes as they happen (like ip monitor)', load: () => live(import('./live/monitor.js')) },
  record: { summary: 'capture a command\'s netlink messages as a fixture pair (strace, sandbox)', load: () => import('./record.js') },
};

/**
 * `record` drives the capture tool of a netlink-ts checkout (dist/tools/capture.js, next to
 * the dist/ this file was built into); an installed package has none, so its help leaves
 * record out (the command itself still explains what it needs).
 */
function hasCaptureTool(): boolean {
  const here = fileURLToPath(import.meta.url);
  const at = here.lastIndexOf('/dist/');
  return at !== -1 && existsSync(`${here.slice(0, at)}/dist/tools/capture.js`);
}

const OFFERED = Object.entries(COMMANDS).filter(([n]) => n !== 'record' || hasCaptureTool());

const USAGE = `usage: netlink-dump COMMAND [OPTIONS]

Commands:
${OFFERED.map(([n, c]) => `  ${n.padEnd(8)} ${c.summary}`).join('\n')}

Live commands take --netns NAME|PATH or --pid PID (default: this process's namespace),
--json (shaped like ip -j) and -d (details); link, addr, route, neigh and rule also take
ip's listing verb (netlink-dump link show). Run netlink-dump COMMAND --help for more.
--version prints the version.`;

/** `ip link show`, `ip addr list`, `ip route ls`: the listing verb is optional, as with ip. */
const LISTING = new Set(['link', 'addr', 'route', 'neigh', 'rule']);
const SHOW_VERBS = new Set(['show', 'list', 'ls', 'lst']);

/** The package's version, from the package.json above this file (bundle or tsc build). */
export function packageVersion(): string {
  for (let dir = new URL('./', import.meta.url); dir.pathname !== '/'; dir = new URL('../', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'netlink-ts' && pkg.version) return pkg.version;
    } catch { /* not here: go up */ }
  }
  return 'unknown';
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [cmd, ...args] = argv;
  const rest = cmd !== undefined && LISTING.has(cmd) && args[0] !== undefined && SHOW_VERBS.has(args[0]) ? args.slice(1) : args;
  if (cmd === '--version' || cmd === '-V') {
    io.out(`netlink-dump (netlink-ts) ${packageVersion()}`);
    return 0;
  }
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    if (cmd === 'help' && rest[0] && COMMANDS[rest[0]]) return (await COMMANDS[rest[0]]!.load()).run(['--help'], io);
    io.out(USAGE);
    return 0;
  }
  if (cmd === undefined) throw new UsageError('no command given (decode, link, addr, route, neigh, rule, fdb, nft, all, netns, monitor, record; see netlink-dump --help)');
  if (cmd === undefined) throw new UsageError(`no command given (${OFFERED.map(([n]) => n).join(', ')}; see netlink-dump --help)`);
  const c = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!c) throw new UsageError(`unknown command "${cmd}" (one of ${OFFERED.map(([n]) => n).join(', ')}; see netlink-dump --help)`);
  return (await c.load()).run(rest, io);
}

/**
 * Run one command line to its exit status: what the bin does, callable in-process (tests, and
 * programs embedding the CLI). Every failure becomes one line through `io.err` and a status:
 * 2 usage error, 1 the job failed; never a throw.
 */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await main(argv, io);
  } catch (err) {
    if (process.env['NETLINK_DUMP_DEBUG'] === '1') process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    if (err instanceof UsageError) {
      io.err(`${err.message}`);
      return 2;
    }
    if (err instanceof CliError) {
      io.err(err.message);
      return err.exitCode;
    }
    // A library error (NetlinkError, SyscallError, …) or a bug: still one line.
    const e = err as Error;
    io.err(`${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e?.message ?? String(err)}`.split('\n')[0]!);
    return 1;
  }
}

/** True when this module is the process's entry point (also through npm's bin symlink). */
function isEntry(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * The bin: run `process.argv` and set the exit status. Called here when this module is the
 * process's entry (tsc build, ESM bundle), and by the bin's CommonJS prologue
 * (dist/bundle/netlink-dump.cjs, see tools/bin-prologue.cjs).
 */
export function binMain(): void {
  const io = processIo();
  // `netlink-dump link | head -1`: a closed pipe is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  void runCli(process.argv.slice(2), io).then((code) => { process.exitCode = code; });
}

if (isEntry()) binMain();
