/**
 * `check`: prove a lab's `expect:` lines with real packets. For every node that is probed,
 * one listener is started inside it on every (proto, port) the expectations name; for every
 * node that probes, one client runs all its probes at once. Each listener answers with the
 * source address it saw, which is compared with `seen`.
 *
 * An expectation holds when: `ok: true` — a reply came back (and, with `seen`, the listener
 * saw that address); `ok: false` — no reply came back: refused, unreachable, or no answer
 * before the deadline (a dropped packet has no other way to show). The deadline for a probe
 * that must fail is short (default 1.5 s), for one that must succeed long (default 5 s), so a
 * busy machine slows a check down but does not change its verdict.
 *
 * Multi-host labs: with `host`, only this machine's part runs — listeners in its nodes that
 * some expectation targets, and clients in its nodes that some expectation starts from. An
 * expectation whose other end is on another machine needs that machine's listeners running
 * (`serve`, i.e. `netlink-lab check --serve --host OTHER`) while this one probes.
 */
import type { Libc } from '../ffi/libc.js';
import { parsePrefix } from '../route/prefix.js';
import { type Listener, type NodePlace, type ProbeAnswer, type ProbeOutcome, type ProbeProto, type ProbeSpec, runClient, startListener } from './probe.js';
import type { LabExpect, LabSpec } from './spec.js';

export interface CheckOptions {
  /** Where a node's programs run (its namespace); undefined for the node that is this process's own. */
  readonly place: (node: string) => NodePlace;
  /** This machine's host tag (multi-host labs): run only this machine's part. */
  readonly host?: string;
  /** Deadline for a probe that must fail. Default 1500 ms. */
  readonly failTimeoutMs?: number;
  /** Deadline for a probe that must succeed. Default 5000 ms. */
  readonly okTimeoutMs?: number;
  /** FFI backend for entering namespaces. Default: libc(). */
  readonly libc?: Libc;
}

/** One expectation, resolved and (once checked) answered. */
export interface CheckRow {
  /** Index in the spec's `expect` list. */
  readonly index: number;
  readonly expect: LabExpect;
  /** The node listening (undefined when `to` is an address no node of the lab has). */
  readonly toNode: string | undefined;
  /** The address probed. */
  readonly address: string;
  /** The port the listener binds: the expectation's, or a dnat rule's `toPort`. */
  readonly listenPort: number;
  /** The dnat rule that moves the listener (`nat[2]`), if one matches. */
  readonly via?: string;
  /** What happened; `skipped` when the probe starts on another host. */
  readonly result: ProbeOutcome | 'skipped';
  readonly seen?: string;
  readonly code?: string;
  /** True when the outcome is what the expectation says. */
  readonly pass: boolean;
  /** Why it failed (or why it was skipped), in words. */
  readonly why?: string;
}

export interface CheckReport {
  readonly lab: string;
  readonly rows: readonly CheckRow[];
  /** Number of rows that ran and did not pass. */
  readonly failed: number;
  readonly passed: number;
  readonly skipped: number;
}

/** Every address the spec gives a node (without prefix length): its link endpoints, then its bridges, in file order. */
export function nodeAddresses(spec: LabSpec, node: string): string[] {
  const out: string[] = [];
  for (const l of spec.links ?? []) for (const e of [l.a, l.b]) if (e.node === node) out.push(...(e.addresses ?? []));
  for (const b of spec.bridges ?? []) if (b.node === node) out.push(...(b.addresses ?? []));
  return out.map((a) => a.split('/')[0]!);
}

const isAddress = (s: string): boolean => {
  try {
    parsePrefix(s, 'address');
    return !s.includes('/');
  } catch {
    return false;
  }
};

/** The node and address an expectation's `to` names: a node (its first address, preferring IPv4) or an address. */
export function resolveTarget(spec: LabSpec, to: string): { node: string | undefined; address: string } {
  if (Object.hasOwn(spec.nodes, to)) {
    const all = nodeAddresses(spec, to);
    const address = all.find((a) => !a.includes(':')) ?? all[0];
    if (address === undefined) throw new RangeError(`expect: node "${to}" has no address in the spec; name an address instead`);
    return { node: to, address };
  }
  if (!isAddress(to)) throw new RangeError(`expect: "${to}" is neither a node nor an address`);
  const owner = Object.keys(spec.nodes).find((n) => nodeAddresses(spec, n).includes(to));
  return { node: owner, address: to };
}

const hostOf = (spec: LabSpec, node: string | undefined): string | undefined => (node === undefined ? undefined : spec.nodes[node]?.host);

/**
 * Resolve every expectation before anything runs: a `to` that names neither a node nor an
 * address is a RangeError naming `expect[i].to`.
 */
export function planCheck(spec: LabSpec): Array<Omit<CheckRow, 'result' | 'pass'>> {
  return (spec.expect ?? []).map((e, index) => {
    if (!Object.hasOwn(spec.nodes, e.from)) throw new RangeError(`expect[${index}].from: node "${e.from}" is not defined`);
    let t: { node: string | undefined; address: string };
    try {
      t = resolveTarget(spec, e.to);
    } catch (err) {
      throw new RangeError(`expect[${index}].to: ${(err as Error).message.replace(/^expect: /, '')}`);
    }
    const d = t.node !== undefined && t.node !== e.from ? dnatFor(spec, t.node, t.address, e.proto, e.port) : undefined;
    if (d) return { index, expect: e, toNode: d.node, address: t.address, listenPort: d.port, via: d.via };
    return { index, expect: e, toNode: t.node, address: t.address, listenPort: e.port };
  });
}

/**
 * A port forward in `node` that catches (address, proto, port) on its way in: the listener
 * then belongs where it points. Locally made packets skip prerouting, so a probe from the
 * node itself is never forwarded (the caller checks).
 */
function dnatFor(spec: LabSpec, node: string, address: string, proto: ProbeProto, port: number): { node: string | undefined; port: number; via: string } | undefined {
  const i = (spec.nat ?? []).findIndex((n) => n.node === node && n.kind === 'dnat' && n.to !== undefined
    && (n.protocol === undefined || n.protocol === proto) && (n.port === undefined || n.port === port)
    && (n.destination === undefined || n.destination.split('/')[0] === address));
  if (i < 0) return undefined;
  const n = spec.nat![i]!;
  const to = n.to!.split('/')[0]!;
  return { node: Object.keys(spec.nodes).find((x) => nodeAddresses(spec, x).includes(to)), port: n.toPort ?? port, via: `nat[${i}]` };
}

function verdict(e: LabExpect, a: ProbeAnswer): { pass: boolean; why?: string } {
  if (e.ok) {
    if (a.result !== 'ok') return { pass: false, why: `expected a reply, got ${a.result}${a.code ? ` (${a.code})` : ''}` };
    if (e.seen !== undefined && a.seen !== e.seen) return { pass: false, why: `the listener saw ${a.seen}, expected ${e.seen}` };
    return { pass: true };
  }
  if (a.result === 'ok') return { pass: false, why: `expected no connection, but ${e.to} answered${a.seen ? ` (seen ${a.seen})` : ''}` };
  if (a.result === 'error') return { pass: false, why: `probe error: ${a.code ?? 'unknown'}` };
  return { pass: true };
}

/**
 * The listeners a machine must run for `spec`: per node on `host` (all nodes without one),
 * the set of (proto, port) some expectation targets.
 */
export function listenersFor(spec: LabSpec, host: string | undefined): Map<string, Array<{ proto: ProbeProto; port: number }>> {
  const need = new Map<string, Array<{ proto: ProbeProto; port: number }>>();
  for (const r of planCheck(spec)) {
    if (r.toNode === undefined || (host !== undefined && hostOf(spec, r.toNode) !== host)) continue;
    const list = need.get(r.toNode) ?? [];
    if (!list.some((p) => p.proto === r.expect.proto && p.port === r.listenPort)) list.push({ proto: r.expect.proto, port: r.listenPort });
    need.set(r.toNode, list);
  }
  return need;
}

/**
 * Start this machine's listeners and leave them running (for `check --serve` on one host of a
 * multi-host lab). Returns them so the caller stops them; a listener that cannot start stops
 * the ones already started and throws.
 */
export async function serveCheck(spec: LabSpec, opts: CheckOptions): Promise<Listener[]> {
  const started: Listener[] = [];
  try {
    for (const [node, ports] of listenersFor(spec, opts.host)) {
      started.push(await startListener(opts.place(node), `node "${node}"`, ports, opts.libc ? { libc: opts.libc } : {}));
    }
  } catch (err) {
    await Promise.all(started.map((l) => l.stop()));
    throw err;
  }
  return started;
}

/** Run the check: listeners up, every client's probes at once, listeners down; one row per expectation. */
export async function check(spec: LabSpec, opts: CheckOptions): Promise<CheckReport> {
  const rows = planCheck(spec);
  const failMs = opts.failTimeoutMs ?? 1500, okMs = opts.okTimeoutMs ?? 5000;
  const agent = opts.libc ? { libc: opts.libc } : {};
  const mine = (n: string | undefined): boolean => opts.host === undefined || hostOf(spec, n) === opts.host;
  const listeners = await serveCheck(spec, opts);
  const answers = new Map<number, ProbeAnswer>();
  try {
    const byFrom = new Map<string, ProbeSpec[]>();
    for (const r of rows) {
      if (!mine(r.expect.from)) continue;
      const list = byFrom.get(r.expect.from) ?? [];
      list.push({ id: r.index, proto: r.expect.proto, address: r.address, port: r.expect.port, timeoutMs: r.expect.ok ? okMs : failMs });
      byFrom.set(r.expect.from, list);
    }
    const results = await Promise.all([...byFrom].map(([from, probes]) => runClient(opts.place(from), `node "${from}"`, probes, agent)));
    for (const a of results.flat()) answers.set(a.id, a);
  } finally {
    await Promise.all(listeners.map((l) => l.stop()));
  }
  const out: CheckRow[] = rows.map((r) => {
    const a = answers.get(r.index);
    if (!a) return { ...r, result: 'skipped', pass: true, why: `starts on host ${hostOf(spec, r.expect.from) ?? '(none)'}` };
    const v = verdict(r.expect, a);
    return { ...r, result: a.result, ...(a.seen !== undefined ? { seen: a.seen } : {}), ...(a.code ? { code: a.code } : {}), ...v };
  });
  const ran = out.filter((r) => r.result !== 'skipped');
  return { lab: spec.name, rows: out, failed: ran.filter((r) => !r.pass).length, passed: ran.filter((r) => r.pass).length, skipped: out.length - ran.length };
}

/** Options for {@link formatCheck}. */
export interface FormatCheckOptions {
  /** Colour/bold wrappers (default: none). */
  readonly good?: (s: string) => string;
  readonly bad?: (s: string) => string;
  readonly dim?: (s: string) => string;
}

const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - [...s].length));

/**
 * The connectivity matrix as text: one row per source node, one column per target, each
 * cell ✓ or ✗ with what the listener saw (or why nothing came back); then one line per
 * expectation that did not hold, and a summary.
 */
export function formatCheck(report: CheckReport, o: FormatCheckOptions = {}): string {
  const good = o.good ?? ((s) => s), bad = o.bad ?? ((s) => s), dim = o.dim ?? ((s) => s);
  const froms = [...new Set(report.rows.map((r) => r.expect.from))];
  const tos = [...new Set(report.rows.map((r) => `${r.expect.to}`))];
  const cell = (r: CheckRow): { text: string; paint: (s: string) => string } => {
    const what = `${r.expect.proto}/${r.expect.port}`;
    if (r.result === 'skipped') return { text: `- ${what} other host`, paint: dim };
    const mark = r.pass ? '✓' : '✗';
    const got = r.result === 'ok' ? `seen ${r.seen ?? '?'}` : r.result;
    return { text: `${mark} ${what} ${got}`, paint: r.pass ? good : bad };
  };
  const grid = froms.map((f) => tos.map((t) => report.rows.filter((r) => r.expect.from === f && r.expect.to === t).map(cell)));
  const w0 = Math.max('from \\ to'.length, ...froms.map((f) => [...f].length)) + 2;
  const widths = tos.map((t, j) => Math.max([...t].length, ...grid.map((row) => row[j]!.reduce((n, c, k) => n + [...c.text].length + (k ? 2 : 0), 0)))) .map((w) => w + 3);
  const lines: string[] = [];
  lines.push(dim(pad('from \\ to', w0) + tos.map((t, j) => pad(t, widths[j]!)).join('').trimEnd()));
  froms.forEach((f, i) => {
    let line = pad(f, w0);
    tos.forEach((_t, j) => {
      const cells = grid[i]![j]!;
      const text = cells.map((c) => c.text).join(', ');
      const painted = cells.map((c) => c.paint(c.text)).join(', ') || dim('·');
      line += painted + ' '.repeat(Math.max(0, widths[j]! - [...(text || '·')].length));
    });
    lines.push(line.trimEnd());
  });
  for (const r of report.rows.filter((x) => !x.pass)) {
    lines.push(bad(`✗ expect[${r.index}] ${r.expect.from} → ${r.expect.to} (${r.address}) ${r.expect.proto}/${r.expect.port}: ${r.why ?? ''}`));
  }
  const total = report.rows.length;
  lines.push(`${total} expectation${total === 1 ? '' : 's'}: ${report.passed} ✓, ${report.failed} ✗${report.skipped ? `, ${report.skipped} on other hosts` : ''}`);
  return lines.join('\n');
}
