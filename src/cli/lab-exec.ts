/** `netlink-lab exec FILE NODE -- CMD [ARGS...]`: run a command inside a lab node. */
import { constants } from 'node:os';
import { UsageError } from './errors.js';
import type { Io } from './io.js';
import { COMMON_HELP, labArgs, loadModel, nodePlacer } from './lab-common.js';

export const HELP = `usage: netlink-lab exec FILE NODE -- CMD [ARGS...]

Run CMD inside NODE's namespace (ip netns exec NAME for a named node; for an unnamed node,
its keeper's network and UTS namespaces, like nsenter -t PID -n -u), with this terminal's
stdin/stdout/stderr. The exit status is CMD's (128+N when a signal N ended it).

${COMMON_HELP}`;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const cmd = dash < 0 ? [] : argv.slice(dash + 1);
  const a = labArgs(own, 'exec');
  if (!a) { io.out(HELP); return 0; }
  const [node, ...extra] = a.rest;
  if (node === undefined) throw new UsageError('exec: no node given (netlink-lab exec FILE NODE -- CMD)');
  if (extra.length) throw new UsageError(`exec: unexpected argument "${extra[0]}" before -- (netlink-lab exec FILE NODE -- CMD)`);
  if (!cmd.length) throw new UsageError('exec: no command given after -- (netlink-lab exec FILE NODE -- CMD)');
  const model = await loadModel(a);
  const place = (await nodePlacer(model))(node);
  const { spawn } = await import('node:child_process');
  const { spawnInNetns } = await import('../netns/run.js');
  const child = place === undefined
    ? spawn(cmd[0]!, cmd.slice(1), { stdio: 'inherit' })
    : spawnInNetns(place, cmd[0]!, cmd.slice(1), { stdio: 'inherit', uts: typeof place === 'object' });
  return new Promise((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`exec: cannot run ${cmd[0]} in node "${node}": ${err.message}`)));
    child.once('close', (code, signal) => {
      resolve(code ?? 128 + (signal ? (constants.signals as Record<string, number>)[signal] ?? 0 : 0));
    });
  });
}
