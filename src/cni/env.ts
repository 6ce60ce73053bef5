/** The CNI protocol parameters (SPEC.md section 2, "Parameters") read from the environment. */
import { checkIfname } from '../route/devname.js';
import { CNI_INVALID_ENV, CniError } from './errors.js';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION' | 'STATUS' | 'GC';
export const COMMANDS: readonly CniCommand[] = ['ADD', 'DEL', 'CHECK', 'VERSION', 'STATUS', 'GC'];

export interface CniEnv {
  readonly command: CniCommand;
  /** CNI_CONTAINERID ('' where the command does not need one). */
  readonly containerId: string;
  /** CNI_NETNS ('' when not given). */
  readonly netns: string;
  /** CNI_IFNAME ('' where the command does not need one). */
  readonly ifname: string;
  /** CNI_ARGS as key → value (`FOO=BAR;ABC=123`). */
  readonly args: ReadonlyMap<string, string>;
  /** CNI_PATH split on ':'. */
  readonly path: readonly string[];
  /** The raw environment, passed on unchanged to delegated plugins. */
  readonly raw: NodeJS.ProcessEnv;
}

/** SPEC.md: "alphanumeric character, optionally followed by … alphanumeric, underscore, dot or hyphen". */
export const CONTAINER_ID_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Which variables each command requires (SPEC.md "CNI operations"). */
const REQUIRED: Readonly<Record<CniCommand, readonly string[]>> = {
  ADD: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME'],
  CHECK: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME'],
  DEL: ['CNI_CONTAINERID', 'CNI_IFNAME'],
  GC: ['CNI_PATH'],
  STATUS: [],
  VERSION: [],
};

/** Parse and check the environment; a missing or malformed variable is code 4 naming it. */
export function readEnv(env: NodeJS.ProcessEnv): CniEnv {
  const cmd = env['CNI_COMMAND'];
  if (cmd === undefined || cmd === '') throw new CniError(CNI_INVALID_ENV, 'required env variables [CNI_COMMAND] missing');
  if (!(COMMANDS as readonly string[]).includes(cmd)) throw new CniError(CNI_INVALID_ENV, `CNI_COMMAND: unknown command ${JSON.stringify(cmd)} (expected ${COMMANDS.join(', ')})`);
  const command = cmd as CniCommand;
  const missing = REQUIRED[command].filter((k) => !env[k]);
  if (missing.length) throw new CniError(CNI_INVALID_ENV, `required env variables [${missing.join(',')}] missing`);
  const containerId = env['CNI_CONTAINERID'] ?? '';
  if (containerId !== '' && !CONTAINER_ID_RE.test(containerId)) {
    throw new CniError(CNI_INVALID_ENV, `CNI_CONTAINERID: ${JSON.stringify(containerId)} must start with an alphanumeric character followed by alphanumerics, '_', '.' or '-'`);
  }
  const ifname = env['CNI_IFNAME'] ?? '';
  if (ifname !== '') {
    try {
      checkIfname(ifname, 'CNI_IFNAME');
    } catch (err) {
      throw new CniError(CNI_INVALID_ENV, (err as Error).message);
    }
  }
  const args = new Map<string, string>();
  for (const pair of (env['CNI_ARGS'] ?? '').split(';')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CniError(CNI_INVALID_ENV, `CNI_ARGS: ${JSON.stringify(pair)} is not KEY=VALUE`);
    args.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const path = (env['CNI_PATH'] ?? '').split(':').filter((p) => p !== '');
  return { command, containerId, netns: env['CNI_NETNS'] ?? '', ifname, args, path, raw: env };
}
