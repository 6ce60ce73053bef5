/** `netlink-lab check FILE`: prove the lab's expect: lines with real packets; a ✓/✗ matrix. */
import { bool } from './args.js';
import type { Io } from './io.js';
import { COMMON_HELP, intOption, labArgs, loadModel, noMore, nodePlacer } from './lab-common.js';

export const HELP = `usage: netlink-lab check FILE [--timeout MS] [--serve] [--json]

Prove every expect: line of the lab with real packets. For each probed node one listener
starts inside it (on every tcp/udp port the expectations name; where a dnat rule forwards the
port, the listener is where the rule points), for each probing node one client runs all its
probes at once. Listeners answer with the source address they saw, printed in the matrix and
compared with seen:. A probe that must fail passes when it is refused, unreachable, or gets no
answer before --timeout; one that must succeed waits up to 5 s.

Exit status 1 when any expectation does not hold (each such line printed, one line on stderr).

Options:
      --timeout MS       how long a probe that must fail waits for an answer (default 1500)
      --serve            multi-host: only start this host's listeners and keep them until
                         SIGTERM/SIGINT (prints "serving" when ready), for another host's check
${COMMON_HELP}`;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const a = labArgs(argv, 'check', { timeout: { type: 'string' }, serve: { type: 'boolean' } });
  if (!a) { io.out(HELP); return 0; }
  noMore(a, 'check');
  const failTimeoutMs = intOption(a.parsed, 'timeout', 'check', 1500);
  const model = await loadModel(a);
  const place = await nodePlacer(model);
  const { check, formatCheck, serveCheck } = await import('../topology/check.js');
  const opts = { place, failTimeoutMs, ...(a.host !== undefined ? { host: a.host } : {}) };
  if (bool(a.parsed, 'serve')) {
    const listeners = await serveCheck(model.spec, opts);
    io.out(a.json ? JSON.stringify({ serving: listeners.length }) : `serving: ${listeners.length} listener${listeners.length === 1 ? '' : 's'} for ${model.name}${a.host ? ` on host ${a.host}` : ''} (SIGTERM to stop)`);
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    await Promise.all(listeners.map((l) => l.stop()));
    return 0;
  }
  const report = await check(model.spec, opts);
  if (a.json) io.out(JSON.stringify(report));
  else {
    const st = io.style;
    io.out(`${st.bold(`check ${model.name}`)}${a.host ? ` (host ${a.host})` : ''}\n${formatCheck(report, { good: st.name, bad: st.bad, dim: st.dim })}`);
  }
  if (report.failed) {
    io.err(`check: ${report.failed} of ${report.rows.length} expectation${report.rows.length === 1 ? '' : 's'} did not hold`);
    return 1;
  }
  return 0;
}
