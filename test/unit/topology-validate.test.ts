// Lab spec validation (src/topology/validate.ts) before any syscall: every class of error with
// the spec path it names, the structural errors from the schema, YAML parse errors, and the
// resolved model of the seed labs (creation order, defaults, host parts of a multi-host lab).
import t from 'tap';
import { LabSpecError, type LabIssue, loadLab, pointerToPath, validateLab } from '../../src/topology/index.js';

const base = () => ({
  name: 'lab1',
  nodes: {
    host: { kind: 'host', sysctls: { 'net.ipv4.ip_forward': 1 } },
    red: { kind: 'netns' },
    blue: { kind: 'netns' },
  } as Record<string, unknown>,
  bridges: [{ name: 'br0', node: 'host', addresses: ['10.0.0.1/24'] }] as unknown[],
  links: [
    { kind: 'veth', a: { node: 'host', ifname: 'veth-red', master: 'br0' }, b: { node: 'red', ifname: 'eth0', addresses: ['10.0.0.2/24'] } },
    { kind: 'veth', a: { node: 'host', ifname: 'veth-blue', master: 'br0' }, b: { node: 'blue', ifname: 'eth0', addresses: ['10.0.0.3/24'] } },
  ] as Array<Record<string, any>>,
  routes: [{ node: 'red', dst: 'default', via: '10.0.0.1' }] as unknown[],
  nat: [{ node: 'host', kind: 'masquerade', source: '10.0.0.0/24', notOutputInterface: 'br0' }] as unknown[],
});

function issues(spec: unknown, opts = {}): LabIssue[] {
  try {
    validateLab(spec, opts);
  } catch (err) {
    if (err instanceof LabSpecError) return [...err.issues];
    throw err;
  }
  return [];
}

t.test('the base spec is valid and resolves in creation order', async (t) => {
  const m = validateLab(base());
  t.same(m.nodes.map((n) => [n.name, n.kind, n.lo]), [['host', 'host', undefined], ['red', 'netns', 'up'], ['blue', 'netns', 'up']], 'lo defaults to up, host left alone');
  t.same(m.ifaces.map((i) => `${i.kind} ${i.node}/${i.name}${i.creator ? '' : ' (peer)'}`), [
    'bridge host/br0', 'veth host/veth-red', 'veth red/eth0 (peer)', 'veth host/veth-blue', 'veth blue/eth0 (peer)',
  ]);
  t.same(m.nodes[0]!.sysctls, [['net.ipv4.ip_forward', '1']], 'sysctl values as text');
  t.same(m.routes[0], { node: 'red', dst: 'default', family: 4, via: '10.0.0.1', dev: undefined, table: 254, metric: undefined, path: 'routes[0]' });
});

t.test('structure: unknown fields, wrong types, missing fields, enum values — by path', async (t) => {
  const s = base() as any;
  s.nodes.red.kidn = 'x';
  s.links[0].b.mtu = 'big';
  delete s.links[1].b.ifname;
  s.nodes.blue.kind = 'container';
  s.extra = 1;
  const got = issues(s);
  const paths = got.map((i) => i.path);
  t.ok(paths.includes('nodes.red.kidn'), 'unknown field');
  t.match(got.find((i) => i.path === 'nodes.red.kidn')?.message, 'unknown field');
  t.ok(paths.includes('links[0].b.mtu'), 'wrong type');
  t.ok(paths.includes('links[1].b.ifname'), 'missing field');
  t.match(got.find((i) => i.path === 'links[1].b.ifname')?.message, 'required');
  t.match(got.find((i) => i.path === 'nodes.blue.kind')?.message, 'expected one of "host", "netns", "unshared", got "container"');
  t.ok(paths.includes('extra'), 'unknown top-level field');
});

t.test('lab name: short and plain', async (t) => {
  t.same(issues({ ...base(), name: 'a-lab-name-that-is-too-long' }).map((i) => i.path), ['name']);
  t.same(issues({ ...base(), name: 'bad name' }).map((i) => i.path), ['name']);
});

t.test('dangling references, with a suggestion', async (t) => {
  const s = base();
  s.links[1]!.b.node = 'blu';
  s.links[0]!.a.master = 'br1';
  (s.routes as any[]).push({ node: 'green', dst: 'default', via: '10.0.0.1' });
  (s.nat[0] as any).notOutputInterface = 'br9';
  t.same(issues(s), [
    { path: 'links[1].b.node', message: 'unknown node "blu"; did you mean "blue"?' },
    { path: 'links[0].a.master', message: 'no bridge "br1" in node "host"; did you mean "br0"?' },
    { path: 'routes[1].node', message: 'unknown node "green"' },
    { path: 'nat[0].notOutputInterface', message: 'node "host" has no interface "br9"; did you mean "br0"?' },
  ]);
});

t.test('names over 15 bytes (IFNAMSIZ) and invalid names', async (t) => {
  const s = base();
  s.links[0]!.a.ifname = 'veth-red-is-too-long';
  (s.bridges[0] as any).name = 'br:0';
  s.links[0]!.a.master = 'br:0';
  t.same(issues(s), [
    { path: 'bridges[0].name', message: '"br:0" is not a valid interface name (no \'/\', \':\' or whitespace)' },
    { path: 'links[0].a.ifname', message: '"veth-red-is-too-long" is 20 bytes; interface names are at most 15 (IFNAMSIZ)' },
    { path: 'links[1].a.master', message: 'no bridge "br0" in node "host"; did you mean "br:0"?' },
    { path: 'nat[0].notOutputInterface', message: 'node "host" has no interface "br0"' },
  ]);
});

t.test('duplicate names: two endpoints in one namespace with one name, two nodes with one netns, two host nodes, processes', async (t) => {
  const s = base();
  s.links[1]!.a.ifname = 'veth-red';
  s.nodes['other'] = { kind: 'netns', netns: 'red' };
  s.nodes['host2'] = { kind: 'host' };
  s.nodes['p'] = { kind: 'unshared', processes: [{ name: 'web', cmd: ['x'] }, { name: 'web', cmd: ['y'] }] };
  t.same(issues(s), [
    { path: 'nodes.other.netns', message: 'namespace name "red" is already used by node "red"' },
    { path: 'nodes.host2.kind', message: 'node "host" is already the host namespace: a machine has one' },
    { path: 'nodes.p.processes[1].name', message: 'duplicate process name "web" in node "p"' },
    { path: 'links[1].a.ifname', message: 'node "host" already has an interface "veth-red" (links[0].a)' },
  ]);
  const lo = base();
  lo.links[0]!.b.ifname = 'lo';
  lo.routes = [];
  t.same(issues(lo), [{ path: 'links[0].b.ifname', message: 'node "red" already has an interface "lo" (loopback)' }]);
});

t.test('an address used twice, and bad addresses', async (t) => {
  const s = base();
  s.links[1]!.b.addresses = ['10.0.0.2/24'];
  s.links[0]!.a.addresses = ['10.0.0.300/24'];
  t.same(issues(s), [
    { path: 'links[0].a.addresses[0]', message: '"10.0.0.300" is not an IPv4 or IPv6 address' },
    { path: 'links[1].b.addresses[0]', message: 'address 10.0.0.2 is already used at links[0].b.addresses[0]' },
  ]);
});

t.test('overlapping subnets on one segment (a bridge, a veth pair), not across segments', async (t) => {
  const s = base();
  s.links[1]!.b.addresses = ['10.0.0.3/16'];
  t.same(issues(s), [{ path: 'links[1].b.addresses[0]', message: 'subnet 10.0.0.0/16 overlaps 10.0.0.0/24 (bridges[0].addresses[0]) on the same segment' }]);
  const pair = base();
  pair.links.push({ kind: 'veth', a: { node: 'red', ifname: 'eth1', addresses: ['192.168.1.1/24'] }, b: { node: 'blue', ifname: 'eth1', addresses: ['192.168.1.2/25'] } });
  t.same(issues(pair), [{ path: 'links[2].b.addresses[0]', message: 'subnet 192.168.1.0/25 overlaps 192.168.1.0/24 (links[2].a.addresses[0]) on the same segment' }]);
  const apart = base();
  apart.links.push({ kind: 'veth', a: { node: 'red', ifname: 'eth1', addresses: ['10.0.1.1/24'] }, b: { node: 'blue', ifname: 'eth1', addresses: ['10.0.1.2/24'] } });
  t.same(issues(apart), [], 'a different subnet on another segment is fine');
});

t.test('a gateway outside every connected subnet; dst with host bits; route without via or dev', async (t) => {
  const s = base();
  (s.routes[0] as any).via = '10.9.9.9';
  (s.routes as any[]).push({ node: 'blue', dst: '10.1.0.1/16', via: '10.0.0.1' }, { node: 'blue', dst: '10.2.0.0/16' }, { node: 'blue', dst: 'default', via: '10.0.0.1', dev: 'eth9' });
  t.same(issues(s), [
    { path: 'routes[0].via', message: 'gateway 10.9.9.9 is outside every subnet connected to node "red"' },
    { path: 'routes[1].dst', message: '10.1.0.1/16 has host bits set; the network is 10.1.0.0/16' },
    { path: 'routes[2]', message: 'a route needs via or dev' },
    { path: 'routes[3].dev', message: 'node "blue" has no interface "eth9"; did you mean "eth0"?' },
    { path: 'routes[3].via', message: 'gateway 10.0.0.1 is outside every subnet connected to node "blue" on eth9' },
  ]);
});

t.test('NAT on a node without forwarding; NAT fields per kind', async (t) => {
  const s = base();
  s.nodes['host'] = { kind: 'host' };
  (s.nat as any[]).push({ node: 'host', kind: 'snat', source: '10.0.0.0/24' }, { node: 'host', kind: 'dnat', to: '10.0.0.2', source: '1.2.3.4' });
  const got = issues(s);
  t.same(got.filter((i) => i.path === 'nat[0].node'), [{ path: 'nat[0].node', message: 'NAT on node "host" without forwarding: add sysctls: { net.ipv4.ip_forward: 1 } to it' }]);
  t.same(got.filter((i) => i.path !== 'nat[0].node' && !i.path.endsWith('.node')), [
    { path: 'nat[1].to', message: 'snat needs the address to translate to' },
    { path: 'nat[2].port', message: 'dnat needs the destination port to match' },
    { path: 'nat[2].source', message: 'not a dnat field' },
  ]);
});

t.test('node kinds: netns name and hostname only where they mean something; sysctls per namespace', async (t) => {
  const s = base();
  s.nodes['red'] = { kind: 'netns', hostname: 'r' };
  s.nodes['blue'] = { kind: 'unshared', netns: 'b', sysctls: { 'kernel.hostname': 'x' } };
  t.same(issues(s), [
    { path: 'nodes.red.hostname', message: 'only a node of kind unshared has its own hostname (this one is netns)' },
    { path: 'nodes.blue.netns', message: 'only a node of kind netns has an ip netns name (this one is unshared)' },
    { path: 'nodes.blue.sysctls["kernel.hostname"]', message: '"kernel.hostname" is not per network namespace (only net.* keys are)' },
  ]);
});

t.test('multi-host: host tags, overlays, --host parts', async (t) => {
  const spec = {
    name: 'mh',
    hosts: { h1: { underlay: '172.31.0.1' }, h2: { underlay: '172.31.0.2' } },
    nodes: {
      g1: { kind: 'host', host: 'h1' }, g2: { kind: 'host', host: 'h2' },
      a: { kind: 'netns', host: 'h1' }, b: { kind: 'netns', host: 'h2' },
    },
    bridges: [{ name: 'br0', node: 'g1' }, { name: 'br0', node: 'g2' }],
    links: [
      { kind: 'veth', a: { node: 'g1', ifname: 'va', master: 'br0' }, b: { node: 'a', ifname: 'eth0', addresses: ['10.5.0.1/24'] } },
      { kind: 'veth', a: { node: 'g2', ifname: 'vb', master: 'br0' }, b: { node: 'b', ifname: 'eth0', addresses: ['10.5.0.2/24'] } },
    ],
    overlays: [{ name: 'vx42', vni: 42, bridges: ['g1:br0', 'g2:br0'] }],
  };
  t.same(issues(spec), [{ path: '', message: 'the lab spans hosts (h1, h2): choose one host\'s part (--host NAME)' }]);
  const h1 = validateLab(spec, { host: 'h1' });
  t.same(h1.nodes.map((n) => n.name), ['g1', 'a']);
  const vx = h1.ifaces.find((i) => i.kind === 'vxlan')!;
  t.same({ node: vx.node, master: vx.master, vxlan: vx.vxlan }, { node: 'g1', master: 'br0', vxlan: { vni: 42, port: 4789, local: '172.31.0.1', remotes: ['172.31.0.2'], dev: undefined } });
  t.same(issues(spec, { host: 'h3' }), [{ path: '', message: '--host h3: the lab has no host "h3"; did you mean "h1"?' }]);
  const cross = JSON.parse(JSON.stringify(spec));
  cross.links[1].a.node = 'g1';
  cross.links[1].a.ifname = 'vb';
  cross.links[1].a.master = 'br0';
  t.match(issues(cross, { host: 'h1' }).map((i) => i.path), ['links[1]']);
  const bad = JSON.parse(JSON.stringify(spec));
  bad.overlays[0].bridges = ['g1:br0', 'a:br0', 'g1br0'];
  t.same(issues(bad, { host: 'h1' }), [
    { path: 'overlays[0].bridges[1]', message: 'no bridge "br0" in node "a"' },
    { path: 'overlays[0].bridges[2]', message: 'expected NODE:BRIDGE, got "g1br0"' },
  ]);
  const untagged = JSON.parse(JSON.stringify(spec));
  delete untagged.nodes.a.host;
  t.match(issues(untagged, { host: 'h1' }), [{ path: 'nodes.a.host', message: 'a multi-host lab (with `hosts`) tags every node with its host' }]);
});

t.test('loadLab: YAML text, a file, parse errors, and the message lists every issue', async (t) => {
  const m = loadLab('name: x\nnodes:\n  A: { kind: netns }\n', { text: true });
  t.equal(m.nodes[0]!.netns, 'A');
  t.throws(() => loadLab('name: x\nnodes: [\n', { text: true }), LabSpecError);
  t.throws(() => loadLab('name: x\nname: y\nnodes: {}\n', { text: true }), { message: /not valid YAML\/JSON: .*unique/i }, 'duplicate keys refused');
  t.throws(() => loadLab('/nonexistent/lab.yaml'), { name: 'LabSpecError', message: /^\/nonexistent\/lab\.yaml: cannot read the lab file/ });
  const err = (() => { try { loadLab({ name: 'x', nodes: { A: { kind: 'netns' } }, routes: [{ node: 'B', dst: 'default', via: '1.1.1.1' }, { node: 'C', dst: 'default', via: '1.1.1.1' }] }); } catch (e) { return e as LabSpecError; } return undefined; })();
  t.equal(err?.message, '2 problems in the lab spec:\n  routes[0].node: unknown node "B"\n  routes[1].node: unknown node "C"');
  t.equal(loadLab(new URL('../../examples/labs/lab1.yaml', import.meta.url).pathname).name, 'lab1');
});

t.test('pointerToPath', async (t) => {
  t.equal(pointerToPath('/links/2/b/node'), 'links[2].b.node');
  t.equal(pointerToPath('/nodes/a.b/kind'), 'nodes["a.b"].kind');
  t.equal(pointerToPath('/nodes/a~1b'), 'nodes["a/b"]');
  t.equal(pointerToPath(''), '');
});
