/**
 * What every netlink-lab verb shares: the lab file (first argument, or -f FILE), --host,
 * --json, --ffi, loading + validating the file (before any syscall), and the help text's
 * common part.
 */
import { type OptionSpec, type Parsed, bool, parse, str } from './args.js';
import { CliError, UsageError } from './errors.js';
import type { NetnsRef } from '../netlink/nsenter.js';
import type { LabModel } from '../topology/model.js';

export const COMMON_OPTIONS: OptionSpec = {
  file: { type: 'string', short: 'f' },
  host: { type: 'string' },
  json: { type: 'boolean', short: 'j' },
  ffi: { type: 'string' },
};

export const COMMON_HELP = `Common options:
  -f, --file FILE        the lab file (or give it as the first argument)
      --host NAME        this machine's part of a multi-host lab (a key of hosts:)
  -j, --json             machine-readable output
      --ffi koffi|ffi-napi  FFI backend (default: NETLINK_TS_FFI, else koffi)
  -h, --help             this text`;

export interface LabArgs {
  readonly parsed: Parsed;
  readonly file: string;
  readonly host: string | undefined;
  readonly json: boolean;
  /** Positionals after the file. */
  readonly rest: string[];
}

/** Parse a verb's command line: FILE (positional or -f), then the verb's own options. */
export function labArgs(argv: readonly string[], cmd: string, extra: OptionSpec = {}): LabArgs | undefined {
  const p = parse(argv, { ...COMMON_OPTIONS, ...extra }, cmd);
  if (p.help) return undefined;
  const ffi = str(p, 'ffi');
  if (ffi !== undefined) {
    if (ffi !== 'koffi' && ffi !== 'ffi-napi') throw new UsageError(`${cmd}: --ffi takes koffi or ffi-napi, got "${ffi}"`);
    process.env['NETLINK_TS_FFI'] = ffi; // read by libc() when the first handle opens
  }
  const rest = [...p.positionals];
  const file = str(p, 'file') ?? rest.shift();
  if (file === undefined || file === '') throw new UsageError(`${cmd}: no lab file given (netlink-lab ${cmd} FILE; see netlink-lab ${cmd} --help)`);
  const host = str(p, 'host');
  if (host === '') throw new UsageError(`${cmd}: --host needs a name`);
  return { parsed: p, file, host, json: bool(p, 'json'), rest };
}

/** Refuse positionals a verb does not take. */
export function noMore(a: LabArgs, cmd: string): void {
  if (a.rest.length) throw new UsageError(`${cmd}: unexpected argument "${a.rest[0]}" (one lab file only)`);
}

/** Load and validate the lab file for `host`; a LabSpecError propagates (exit 1, one line). */
export async function loadModel(a: LabArgs): Promise<LabModel> {
  const { loadLab } = await import('../topology/load.js');
  return loadLab(a.file, a.host === undefined ? {} : { host: a.host });
}

/** A positive integer option (milliseconds, counts), or `dflt`. */
export function intOption(p: Parsed, name: string, cmd: string, dflt: number): number {
  const v = str(p, name);
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${cmd}: --${name} takes a positive integer, got "${v}"`);
  return Number(v);
}

export { CliError };

/**
 * Where a node's programs run: undefined for the host node (this process's namespace), the
 * `ip netns` name for a named one, `{ pid }` of its keeper for an unnamed one (the topology
 * layer's locate(): /run/netns and the marked keepers in /proc). A node that is not there is
 * a CliError saying the lab is not up.
 */
export async function nodePlacer(model: LabModel): Promise<(node: string) => NetnsRef | undefined> {
  const [{ locate }, { findLabProcs }, { netnsNames }] = await Promise.all([
    import('../topology/observe.js'), import('../topology/procs.js'), import('../netns/registry.js'),
  ]);
  const where = locate(model, new Set(netnsNames()), findLabProcs(model.name));
  return (name) => {
    const w = where.get(name);
    if (!w) throw new CliError(`node "${name}" is not part of ${model.name}${model.nodes.length ? ` here (nodes: ${model.nodes.map((x) => x.name).join(', ')})` : ''}`);
    if (!w.present) throw new CliError(`node "${name}" of ${model.name} is not there (is the lab up?)`);
    return w.ref;
  };
}
