// netlink-lab's pieces that need no kernel: every seed lab file validates; check's planning
// (which node listens on which port, dnat-forwarded listeners, bad targets named by spec path)
// and its ✓/✗ matrix from a given report; graph's DOT (clusters, cables labelled at both ends,
// overlays) and the SVG @viz-js/viz renders from it.
import t from 'tap';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CheckReport, formatCheck, listenersFor, planCheck, resolveTarget } from '../../src/topology/check.js';
import { dotQuote, labDot, labSvg } from '../../src/topology/graph.js';
import { loadLab } from '../../src/topology/load.js';
import type { LabSpec } from '../../src/topology/spec.js';

const LABS = fileURLToPath(new URL('../../examples/labs/', import.meta.url));
const lab = (f: string): LabSpec => loadLab(`${LABS}${f}`).spec;

t.test('every seed lab file in examples/labs validates and has expectations', async (t) => {
  const files = readdirSync(LABS).filter((f) => f.endsWith('.yaml')).sort();
  t.same(files, ['lab1.yaml', 'lab2-veth.yaml', 'lab2.yaml', 'lab3.yaml', 'lab4.yaml', 'lab5.yaml', 'two-hosts.yaml']);
  for (const f of files) {
    const s = f === 'two-hosts.yaml' ? loadLab(`${LABS}${f}`, { host: 'h1' }).spec : lab(f);
    t.ok((s.expect ?? []).length >= 2, `${f}: ${s.expect?.length} expectations`);
    t.ok(s.expect!.some((e) => e.ok) && s.expect!.some((e) => !e.ok) || f === 'lab2-veth.yaml' || f === 'two-hosts.yaml', `${f}: some must work, some must fail`);
  }
});

t.test('check planning: targets, listeners, dnat', async (t) => {
  const l1 = lab('lab1.yaml');
  t.same(resolveTarget(l1, 'outside'), { node: 'outside', address: '192.168.100.2' }, 'a node name is its first address');
  t.same(resolveTarget(l1, '10.0.0.1'), { node: 'host', address: '10.0.0.1' }, 'an address finds its owner (a bridge address)');
  t.same(resolveTarget(l1, '10.9.9.9'), { node: undefined, address: '10.9.9.9' }, 'an address no node has: nobody listens');
  t.throws(() => resolveTarget(l1, 'nowhere'), /"nowhere" is neither a node nor an address/);
  const rows = planCheck(l1);
  t.same(rows.map((r) => [r.expect.from, r.toNode, r.address, r.listenPort]), [
    ['A', 'outside', '192.168.100.2', 8080], ['B', 'outside', '192.168.100.2', 8080], ['C', 'A', '10.0.0.2', 8081],
    ['B', 'outside', '192.168.100.2', 5353], ['outside', 'A', '10.0.0.2', 8082],
  ]);
  t.same([...listenersFor(l1, undefined)], [
    ['outside', [{ proto: 'tcp', port: 8080 }, { proto: 'udp', port: 5353 }]],
    ['A', [{ proto: 'tcp', port: 8081 }, { proto: 'tcp', port: 8082 }]],
  ], 'one listener per probed node, each (proto, port) once');

  const l5 = lab('lab5.yaml');
  const fwd = planCheck(l5).filter((r) => r.address === '172.16.0.1');
  t.same(fwd.map((r) => [r.toNode, r.listenPort, r.via]), [['s1', 80, 'nat[0]'], ['s2', 80, 'nat[1]']], 'a port forward moves the listener to where the dnat points');

  const bad = { ...l1, expect: [{ from: 'A', to: 'C', proto: 'tcp', port: 1, ok: true }, { from: 'A', to: 'nobody', proto: 'tcp', port: 1, ok: true }] } as LabSpec;
  t.throws(() => planCheck(bad), { name: 'RangeError', message: /^expect\[1\]\.to: "nobody" is neither a node nor an address/ });
  const noAddr = lab('lab4.yaml');
  t.throws(() => planCheck({ ...noAddr, expect: [{ from: 'ns1', to: 'switch', proto: 'tcp', port: 1, ok: false }] }), /expect\[0\]\.to: node "switch" has no address/);
});

t.test('the ✓/✗ matrix: one row per source, the seen address, failures spelled out', async (t) => {
  const l1 = lab('lab1.yaml');
  const rows = planCheck(l1);
  const report: CheckReport = {
    lab: 'lab1', failed: 1, passed: 4, skipped: 0,
    rows: [
      { ...rows[0]!, result: 'ok', seen: '192.168.100.1', pass: true },
      { ...rows[1]!, result: 'ok', seen: '10.0.0.3', pass: false, why: 'the listener saw 10.0.0.3, expected 192.168.100.1' },
      { ...rows[2]!, result: 'ok', seen: '10.0.0.4', pass: true },
      { ...rows[3]!, result: 'ok', seen: '192.168.100.1', pass: true },
      { ...rows[4]!, result: 'unreachable', code: 'ENETUNREACH', pass: true },
    ],
  };
  const text = formatCheck(report);
  const lines = text.split('\n');
  t.match(lines[0], /^from \\ to +outside +A$/, 'header: the targets');
  t.match(lines[1], /^A +✓ tcp\/8080 seen 192\.168\.100\.1/);
  t.match(lines[2], /^B +✗ tcp\/8080 seen 10\.0\.0\.3, ✓ udp\/5353 seen 192\.168\.100\.1/);
  t.match(lines[3], /^C +· +✓ tcp\/8081 seen 10\.0\.0\.4$/, 'an empty cell is a dot');
  t.match(lines[4], /^outside +· +✓ tcp\/8082 unreachable$/, 'a failure that was expected is a ✓');
  t.match(text, /^✗ expect\[1\] B → outside \(192\.168\.100\.2\) tcp\/8080: the listener saw 10\.0\.0\.3, expected 192\.168\.100\.1$/m);
  t.match(lines.at(-1), /^5 expectations: 4 ✓, 1 ✗$/);
});

t.test('graph: DOT clusters per node, bridges, cables labelled with names and addresses', async (t) => {
  const dot = labDot(lab('lab1.yaml'));
  t.match(dot, /^graph "lab1" \{/);
  for (const n of ['host', 'A', 'B', 'C', 'outside']) t.match(dot, new RegExp(`subgraph "cluster_node_${n}"`), `node ${n} is a box`);
  t.match(dot, /"bridge:host:bridge_0" \[label="bridge bridge_0"/, 'the bridge');
  t.match(dot, /"node:host" -- "bridge:host:bridge_0" \[label="10\.0\.0\.1\/24"/, 'the host\'s address on the bridge');
  t.match(dot, /"bridge:host:bridge_0" -- "node:A" \[taillabel="veth-a", headlabel="eth0\\n10\.0\.0\.2\/24"/, 'a cable: the bridge port to A\'s eth0 with its address');
  t.match(dot, /"node:host" -- "node:outside" \[taillabel="veth-out\\n192\.168\.100\.1\/24", headlabel="eth0\\n192\.168\.100\.2\/24"/);
  t.match(dot, /masquerade 10\.0\.0\.0\/24 !→bridge_0/, 'the NAT rule in the host box');
  t.match(dot, /default via 10\.0\.0\.1/, 'routes in the boxes');
  t.equal(dotQuote('a "b" \\ c\nd'), '"a \\"b\\" \\\\ c\\nd"', 'DOT quoting');

  const multi = {
    name: 'mh', hosts: { h1: { underlay: '172.31.0.1/24' }, h2: { underlay: '172.31.0.2/24' } },
    nodes: { h1: { kind: 'host', host: 'h1' }, h2: { kind: 'host', host: 'h2' } },
    bridges: [{ name: 'br0', node: 'h1' }, { name: 'br0', node: 'h2' }],
    overlays: [{ name: 'vx42', vni: 42, bridges: ['h1:br0', 'h2:br0'] }],
  } as unknown as LabSpec;
  const mdot = labDot(multi);
  t.match(mdot, /subgraph "cluster_host_h1" \{\n {4}graph \[label="machine h1\\nunderlay 172\.31\.0\.1\/24"/, 'machines are outer boxes');
  t.match(mdot, /"bridge:h1:br0" -- "bridge:h2:br0" \[label="vxlan vx42\\nvni 42", style="dashed"/, 'the overlay joins the bridges');
});

t.test('graph: SVG rendered in-process (@viz-js/viz)', async (t) => {
  // Graphviz writes some characters as entities (- is &#45;).
  const svg = (await labSvg(lab('lab5.yaml'))).replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n))).replace(/&gt;/g, '>');
  t.match(svg, /^<\?xml[^]*<svg [^]*<\/svg>\s*$/, 'an SVG document');
  for (const s of ['bridge br-lb', 'veth-client', '172.16.0.2/24', 'dnat 172.16.0.1:8080 → 10.10.0.11:80']) t.ok(svg.includes(s), `it shows ${s}`);
  t.equal((svg.match(/class="cluster"/g) ?? []).length, 4, 'four node boxes');
});
