/** `netlink-lab graph FILE`: the lab as Graphviz DOT, or as SVG rendered in-process (@viz-js/viz). */
import { writeFileSync } from 'node:fs';
import { str } from './args.js';
import { CliError, UsageError } from './errors.js';
import type { Io } from './io.js';
import { COMMON_HELP, labArgs, noMore } from './lab-common.js';

export const HELP = `usage: netlink-lab graph FILE [--format dot|svg] [-o OUT]

Draw the lab from its file (no kernel access): each node a box with its routes, NAT and
sysctls, its bridges inside it; each veth a cable labelled at both ends with the interface
name and addresses; VXLAN overlays dashed between the bridges they join; the machines of a
multi-host lab as outer boxes. DOT is printed as is; SVG is rendered by Graphviz compiled to
WebAssembly (@viz-js/viz), no dot binary needed.

Options:
      --format dot|svg   default dot, or what OUT's extension says (.svg → svg)
  -o, --output OUT       write to OUT (and print its path) instead of stdout
${COMMON_HELP}`;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const a = labArgs(argv, 'graph', { format: { type: 'string' }, output: { type: 'string', short: 'o' } });
  if (!a) { io.out(HELP); return 0; }
  noMore(a, 'graph');
  const output = str(a.parsed, 'output');
  const format = str(a.parsed, 'format') ?? (output?.endsWith('.svg') ? 'svg' : 'dot');
  if (format !== 'dot' && format !== 'svg') throw new UsageError(`graph: --format takes dot or svg, got "${format}"`);
  const { loadLab, parseLabText } = await import('../topology/load.js');
  const { readFileSync } = await import('node:fs');
  // The picture is of the whole lab: a multi-host lab is validated as seen from its first host.
  let host = a.host;
  if (host === undefined) {
    let raw: unknown;
    try { raw = parseLabText(readFileSync(a.file, 'utf8'), a.file); } catch { raw = undefined; }
    const hosts = (raw as { hosts?: Record<string, unknown> } | undefined)?.hosts;
    if (hosts && typeof hosts === 'object') host = Object.keys(hosts)[0];
  }
  const model = loadLab(a.file, host === undefined ? {} : { host });
  const { labDot, renderSvg } = await import('../topology/graph.js');
  const dot = labDot(model.spec);
  const text = format === 'svg' ? await renderSvg(dot) : dot;
  if (output !== undefined) {
    try {
      writeFileSync(output, text);
    } catch (err) {
      throw new CliError(`graph: cannot write ${output}: ${(err as Error).message}`);
    }
    io.out(a.json ? JSON.stringify({ output, format, bytes: Buffer.byteLength(text) }) : `wrote ${output} (${format}, ${Buffer.byteLength(text)} bytes)`);
  } else {
    io.out(a.json ? JSON.stringify({ format, [format]: text }) : text);
  }
  return 0;
}
