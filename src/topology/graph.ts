/**
 * `graph`: the lab as a picture. {@link labDot} writes Graphviz DOT — every node (namespace)
 * a box (a cluster) holding its network stack and its bridges, every veth a cable between
 * the two ends labelled with each end's interface name and addresses, VXLAN overlays as
 * dashed cables between the bridges they join, machines of a multi-host lab as outer boxes.
 * {@link labSvg} renders that DOT to SVG in-process with @viz-js/viz (Graphviz compiled to
 * WebAssembly, loaded only when asked for): no `dot` binary.
 */
import type { LabBridge, LabEndpoint, LabSpec } from './spec.js';

/** A DOT id or string, quoted (`"…"`, with `"` and `\` escaped; newlines become `\n` line breaks). */
export function dotQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const attrs = (a: Record<string, string | undefined>): string => {
  const parts = Object.entries(a).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${dotQuote(v!)}`);
  return parts.length ? ` [${parts.join(', ')}]` : '';
};

const stackId = (node: string): string => `node:${node}`;
const bridgeId = (node: string, br: string): string => `bridge:${node}:${br}`;

/** The bridge an overlay names: `NODE:BRIDGE`, or a bridge name unique in the lab. */
function findBridge(spec: LabSpec, ref: string): LabBridge | undefined {
  const bridges = spec.bridges ?? [];
  const i = ref.indexOf(':');
  if (i > 0) return bridges.find((b) => b.node === ref.slice(0, i) && b.name === ref.slice(i + 1));
  const named = bridges.filter((b) => b.name === ref);
  return named.length === 1 ? named[0] : undefined;
}

function nodeNotes(spec: LabSpec, name: string): string[] {
  const n = spec.nodes[name]!;
  const notes: string[] = [];
  if (n.lo === 'down') notes.push('lo down');
  for (const [k, v] of Object.entries(n.sysctls ?? {})) notes.push(`${k.replace(/^net\.ipv[46]\./, '')}=${String(v)}`);
  for (const r of spec.routes ?? []) if (r.node === name) notes.push(`${r.dst}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}${r.table ? ` table ${r.table}` : ''}`);
  for (const x of spec.nat ?? []) {
    if (x.node !== name) continue;
    const what = x.kind === 'dnat'
      ? `dnat ${x.destination ?? ''}${x.port ? `:${x.port}` : ''} → ${x.to ?? ''}${x.toPort ? `:${x.toPort}` : ''}`
      : `${x.kind} ${x.source ?? 'any'}${x.notOutputInterface ? ` !→${x.notOutputInterface}` : ''}${x.outputInterface ? ` →${x.outputInterface}` : ''}${x.to ? ` to ${x.to}` : ''}`;
    notes.push(what.replace(/\s+/g, ' ').trim());
  }
  for (const f of spec.filter ?? []) if (f.node === name) notes.push(`filter ${f.hook ?? 'forward'}: ${f.rules.length} rule${f.rules.length === 1 ? '' : 's'}, policy ${f.policy ?? 'accept'}`);
  for (const p of n.processes ?? []) notes.push(`process ${p.name}`);
  return notes;
}

function endLabel(e: LabEndpoint): string {
  return [e.ifname, ...(e.addresses ?? [])].join('\n');
}

/** Graphviz DOT text for the lab (an undirected graph, left to right). */
export function labDot(spec: LabSpec): string {
  const out: string[] = [];
  const I = (depth: number): string => '  '.repeat(depth);
  out.push(`graph ${dotQuote(spec.name)} {`);
  out.push(`  graph${attrs({ label: `lab ${spec.name}`, labelloc: 't', fontname: 'Helvetica', rankdir: 'LR', nodesep: '0.4', ranksep: '1.2' })};`);
  out.push(`  node${attrs({ fontname: 'Helvetica', fontsize: '10', shape: 'box', style: 'rounded,filled', fillcolor: '#ffffff' })};`);
  out.push(`  edge${attrs({ fontname: 'Helvetica', fontsize: '9' })};`);

  const names = Object.keys(spec.nodes);
  const cluster = (name: string, depth: number): void => {
    const n = spec.nodes[name]!;
    const kind = n.kind === 'netns' ? `netns ${n.netns ?? name}` : n.kind === 'unshared' ? `unnamed netns${n.hostname ? `, hostname ${n.hostname}` : ''}` : 'host namespace';
    out.push(`${I(depth)}subgraph ${dotQuote(`cluster_node_${name}`)} {`);
    out.push(`${I(depth + 1)}graph${attrs({ label: `${name}\n(${kind})`, style: 'rounded,filled', fillcolor: n.kind === 'host' ? '#f3f3f3' : '#eef4fb', color: '#4a6a8a' })};`);
    out.push(`${I(depth + 1)}${dotQuote(stackId(name))}${attrs({ label: [name, ...nodeNotes(spec, name)].join('\n'), shape: 'box', style: 'filled', fillcolor: '#ffffff' })};`);
    for (const b of spec.bridges ?? []) {
      if (b.node !== name) continue;
      out.push(`${I(depth + 1)}${dotQuote(bridgeId(name, b.name))}${attrs({ label: [`bridge ${b.name}`, ...(b.stp ? ['stp on'] : [])].join('\n'), shape: 'box', style: 'filled', fillcolor: '#fff3d6' })};`);
    }
    out.push(`${I(depth)}}`);
  };
  const hostTags = [...new Set(names.map((n) => spec.nodes[n]!.host).filter((h): h is string => h !== undefined))];
  for (const tag of hostTags) {
    const u = spec.hosts?.[tag];
    out.push(`  subgraph ${dotQuote(`cluster_host_${tag}`)} {`);
    out.push(`    graph${attrs({ label: `machine ${tag}${u ? `\nunderlay ${u.underlay}${u.dev ? ` dev ${u.dev}` : ''}` : ''}`, style: 'dashed', color: '#888888' })};`);
    for (const n of names) if (spec.nodes[n]!.host === tag) cluster(n, 2);
    out.push('  }');
  }
  for (const n of names) if (spec.nodes[n]!.host === undefined) cluster(n, 1);

  // A bridge with an address is its namespace's interface on that segment.
  for (const b of spec.bridges ?? []) {
    if (!b.addresses?.length) continue;
    out.push(`  ${dotQuote(stackId(b.node))} -- ${dotQuote(bridgeId(b.node, b.name))}${attrs({ label: b.addresses.join('\n'), style: 'bold', color: '#b07d00' })};`);
  }
  const anchor = (e: LabEndpoint): string => (e.master !== undefined && (spec.bridges ?? []).some((b) => b.node === e.node && b.name === e.master) ? bridgeId(e.node, e.master) : stackId(e.node));
  for (const l of spec.links ?? []) {
    const mtu = l.a.mtu ?? l.b.mtu;
    out.push(`  ${dotQuote(anchor(l.a))} -- ${dotQuote(anchor(l.b))}${attrs({ taillabel: endLabel(l.a), headlabel: endLabel(l.b), label: mtu ? `veth mtu ${mtu}` : 'veth', labeldistance: '2.5', color: '#2b5d8a', penwidth: '1.5' })};`);
  }
  for (const o of spec.overlays ?? []) {
    const ends = o.bridges.map((r) => findBridge(spec, r)).filter((b): b is LabBridge => b !== undefined);
    for (let i = 1; i < ends.length; i++) {
      const a = ends[0]!, b = ends[i]!;
      out.push(`  ${dotQuote(bridgeId(a.node, a.name))} -- ${dotQuote(bridgeId(b.node, b.name))}${attrs({ label: `vxlan ${o.name}\nvni ${o.vni}${o.port ? ` port ${o.port}` : ''}`, style: 'dashed', color: '#7a3e9d', penwidth: '1.5' })};`);
    }
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** The lab drawn as SVG (Graphviz `dot` layout, rendered in-process by @viz-js/viz). */
export async function labSvg(spec: LabSpec): Promise<string> {
  return renderSvg(labDot(spec));
}

/** Render DOT text to SVG with @viz-js/viz; a Graphviz error is an Error carrying its messages. */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  const r = viz.render(dot, { format: 'svg' });
  if (r.status !== 'success') throw new Error(`graph: Graphviz could not render the lab: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.output;
}
