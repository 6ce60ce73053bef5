/**
 * What every live subcommand shares: the namespace options (--netns NAME|PATH, --pid PID),
 * --json / -d / -4 / -6, `dev NAME`-style filters, opening a RouteHandle (imported only
 * here, when a live command runs), and turning namespace errors into one clear line.
 */
import type { RouteHandle } from '../../route/handle.js';
import { type OptionSpec, type Parsed, bool, parse, str } from '../args.js';
import { CliError, UsageError } from '../errors.js';

export const LIVE_OPTIONS: OptionSpec = {
  netns: { type: 'string', short: 'n' },
  pid: { type: 'string' },
  json: { type: 'boolean', short: 'j' },
  details: { type: 'boolean', short: 'd' },
  '4': { type: 'boolean', short: '4' },
  '6': { type: 'boolean', short: '6' },
};

export const LIVE_HELP = `Namespace (default: this process's):
  -n, --netns NAME|PATH  a namespace made by ip netns add (/run/netns/NAME), or a path
      --pid PID          the namespace of process PID (/proc/PID/ns/net)
Output:
  -j, --json             JSON shaped like ip -j (same key names where the two overlap)
  -d, --details          more detail
  -4, -6                 one address family only (where it applies)
  -h, --help             this text`;

export interface LiveArgs {
  readonly parsed: Parsed;
  /** The namespace as given (name, path, or /proc/PID/ns/net), undefined for our own. */
  readonly netns: string | undefined;
  readonly json: boolean;
  readonly details: boolean;
  readonly family: 4 | 6 | undefined;
  /** `KEY VALUE` filter words after the options (`dev eth0`), plus a bare first word as `dev`. */
  readonly filters: Readonly<Record<string, string>>;
}

/** Parse a live command line; `keys` are the filter words the command takes (`dev`, `table`, …). */
export function liveArgs(argv: readonly string[], cmd: string, keys: readonly string[], extra: OptionSpec = {}): LiveArgs {
  const p = parse(argv, { ...LIVE_OPTIONS, ...extra }, cmd);
  const ns = str(p, 'netns');
  const pid = str(p, 'pid');
  if (ns !== undefined && pid !== undefined) throw new UsageError(`${cmd}: --netns and --pid exclude each other`);
  if (pid !== undefined && !/^[1-9]\d*$/.test(pid)) throw new UsageError(`${cmd}: --pid takes a process id, got "${pid}"`);
  if (ns === '') throw new UsageError(`${cmd}: --netns needs a name or path`);
  if (bool(p, '4') && bool(p, '6')) throw new UsageError(`${cmd}: -4 and -6 exclude each other`);
  const filters: Record<string, string> = {};
  const words = [...p.positionals];
  if (words.length % 2 === 1 && keys.includes('dev') && !keys.includes(words[0]!)) words.unshift('dev');
  for (let i = 0; i < words.length; i += 2) {
    const k = words[i]!, v = words[i + 1];
    if (!keys.includes(k)) throw new UsageError(`${cmd}: unknown filter "${k}"${keys.length ? ` (${keys.map((x) => `${x} VALUE`).join(', ')})` : ' (this command takes none)'}`);
    if (v === undefined) throw new UsageError(`${cmd}: "${k}" needs a value`);
    filters[k] = v;
  }
  return {
    parsed: p,
    netns: pid !== undefined ? `/proc/${pid}/ns/net` : ns,
    json: bool(p, 'json'),
    details: bool(p, 'details'),
    family: bool(p, '4') ? 4 : bool(p, '6') ? 6 : undefined,
    filters,
  };
}

/** Open a RouteHandle in `netns`; a namespace that cannot be entered is a CliError naming it. */
export async function openHandle(netns: string | undefined): Promise<RouteHandle> {
  const { RouteHandle } = await import('../../route/handle.js');
  try {
    return RouteHandle.open(netns === undefined ? {} : { netns });
  } catch (err) {
    throw namespaceError(err, netns);
  }
}

/** One line for a namespace that cannot be opened or entered. */
export function namespaceError(err: unknown, netns: string | undefined): Error {
  const code = (err as { code?: string }).code;
  if (netns === undefined) return err as Error;
  const proc = /^\/proc\/(\d+)\/ns\/net$/.exec(netns);
  const what = proc ? `process ${proc[1]}` : netns.includes('/') ? `namespace ${netns}` : `namespace "${netns}" (/run/netns/${netns})`;
  if (code === 'ENOENT') return new CliError(proc ? `no such process: ${proc[1]}` : `no such network namespace: ${what.replace(/^namespace /, '')}`);
  if (code === 'EACCES' || code === 'EPERM') return new CliError(`cannot enter the network namespace of ${what}: permission denied (needs CAP_SYS_ADMIN there)`);
  if (code === 'EINVAL') return new CliError(`${what}: not a network namespace`);
  return new CliError(`cannot enter ${what}: ${(err as Error).message}`);
}

/** Left-aligned columns, the last one unpadded. */
export function columns(rows: readonly (readonly string[])[], widths: readonly number[]): string {
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(Math.max(widths[i] ?? 0, c.length + 1)) : c)).join('').trimEnd()).join('\n');
}
