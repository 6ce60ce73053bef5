// plan() without a kernel: diff() of the seed labs against an empty machine (the creation plan,
// in dependency order), stepsOf() grouping into bulk steps, the JSON form, the nft content a
// node's lab table gets (as nft prints it), the link specs apply sends, and the ownership markers.
import t from 'tap';
import type { Link } from '../../src/route/link/link.js';
import { ruleText } from '../../src/nft/print.js';
import type { LabModel } from '../../src/topology/model.js';
import {
  type LabState, type NodeState, diff, linkAlias, linkGroup, loadLab, nftDesired, nodeAlias, nftTableName, parseSaved, planJson, planLines, stepsOf,
} from '../../src/topology/index.js';
import { bridgeMac, linkAddSpec } from '../../src/topology/plan.js';

const lab = (f: string): LabModel => loadLab(new URL(`../../examples/labs/${f}`, import.meta.url).pathname);

const lo: Link = {
  index: 1, name: 'lo', type: 'loopback', flags: [], rawFlags: 0, mtu: 65536, operstate: 'UNKNOWN', address: undefined, broadcast: undefined, kind: undefined,
  slaveKind: undefined, master: undefined, masterIndex: undefined, link: undefined, linkIndex: undefined, linkNetnsid: undefined, group: 'default', txqlen: 1000,
  qdisc: undefined, ifalias: undefined, promiscuity: 0, allmulti: 0, attrs: {},
};

/** A machine with nothing of the lab: the host namespace has lo only, ip_forward 0. */
function empty(model: LabModel): LabState {
  const nodes = new Map<string, NodeState>();
  for (const node of model.nodes) {
    const present = node.kind === 'host';
    nodes.set(node.name, {
      node, ref: undefined, present, owned: present, links: present ? [lo] : [], byName: new Map(present ? [['lo', lo]] : []), byIndex: new Map(present ? [[1, lo]] : []),
      addrs: [], routes: [], fdb: [], sysctls: new Map(present ? node.sysctls.map(([k]) => [k, '0'] as const) : []), nft: undefined, processes: new Map(),
    });
  }
  return { lab: model.name, nodes, procs: [] };
}

t.test('lab1 on an empty machine: the creation plan in dependency order', async (t) => {
  const m = lab('lab1.yaml');
  const p = diff(m, empty(m));
  t.same(planLines(p), [
    '+ node A: netns A  (nodes.A)',
    '+ node B: netns B  (nodes.B)',
    '+ node C: netns C  (nodes.C)',
    '+ node outside: netns outside  (nodes.outside)',
    '+ bridge host/bridge_0: bridge  (bridges[0])',
    '+ veth host/veth-a: veth ↔ A/eth0, master bridge_0  (links[0])',
    '+ veth host/veth-b: veth ↔ B/eth0, master bridge_0  (links[1])',
    '+ veth host/veth-c: veth ↔ C/eth0, master bridge_0  (links[2])',
    '+ veth host/veth-out: veth ↔ outside/eth0  (links[3])',
    '+ address host/bridge_0 10.0.0.1/24  (bridges[0].addresses)',
    '+ address host/veth-out 192.168.100.1/24  (links[3].a.addresses)',
    '+ address A/eth0 10.0.0.2/24  (links[0].b.addresses)',
    '+ address B/eth0 10.0.0.3/24  (links[1].b.addresses)',
    '+ address C/eth0 10.0.0.4/24  (links[2].b.addresses)',
    '+ address outside/eth0 192.168.100.2/24  (links[3].b.addresses)',
    '+ route A route default via 10.0.0.1  (routes[0])',
    '+ route B route default via 10.0.0.1  (routes[1])',
    '+ route C route default via 10.0.0.1  (routes[2])',
    '~ sysctl host net.ipv4.ip_forward: 0 → 1  (nodes.host.sysctls)',
    '+ nft host nft ip netlink_lab_lab1: postrouting: 1 rule  (nat)',
    'lab lab1: 19 to add, 1 to change, 0 to destroy',
  ]);
  t.same(p.conflicts, []);
  t.same(stepsOf(p).map((s) => s.label), [
    '+ node A A', '+ node B B', '+ node C C', '+ node outside outside',
    '+ bridge host host/bridge_0', '+ veth host (4)',
    '+ address host (2)', '+ address A A/eth0 10.0.0.2/24', '+ address B B/eth0 10.0.0.3/24', '+ address C C/eth0 10.0.0.4/24',
    '+ address outside outside/eth0 192.168.100.2/24',
    '+ route A A route default via 10.0.0.1', '+ route B B route default via 10.0.0.1', '+ route C C route default via 10.0.0.1',
    '~ sysctl host host net.ipv4.ip_forward', '+ nft host host nft ip netlink_lab_lab1',
  ], 'one bulk step per kind and node: the four veths in one request');
  const j = planJson(p);
  t.same(Object.keys(j), ['lab', 'changes', 'conflicts', 'summary']);
  t.same(j.changes[5], { op: '+', kind: 'veth', node: 'host', object: 'host/veth-a', path: 'links[0]', detail: 'veth ↔ A/eth0, master bridge_0' });
});

t.test('lab3: unnamed namespaces by keeper, a veth between them, lo down in one', async (t) => {
  const m = lab('lab3.yaml');
  t.same(planLines(diff(m, empty(m))), [
    '+ node ns1: unshared, hostname ns1  (nodes.ns1)',
    '+ node ns2: unshared, hostname ns2  (nodes.ns2)',
    '+ veth ns1/veth11: veth ↔ ns2/veth22  (links[0])',
    '+ address ns1/veth11 192.168.15.1/24  (links[0].a.addresses)',
    '+ address ns2/veth22 192.168.15.2/24  (links[0].b.addresses)',
    'lab lab3: 5 to add, 0 to change, 0 to destroy',
  ]);
  t.same(m.nodes.map((n) => n.lo), ['up', 'down']);
});

t.test('lab5: the host\'s lab table — dnat port forwards, masquerade, a forward filter — as nft prints it', async (t) => {
  const m = lab('lab5.yaml');
  const d = nftDesired(m, 'host')!;
  t.same(d.chains.map((c) => [c.chain.name, c.chain.type, c.chain.hook, c.chain.priority, c.chain.policy]), [
    ['prerouting', 'nat', 'prerouting', -100, 'accept'], ['postrouting', 'nat', 'postrouting', 100, 'accept'], ['forward', 'filter', 'forward', 0, 'accept'],
  ]);
  t.same(d.chains.flatMap((c) => c.rules.map((r) => ruleText({ ...r, comment: r.comment }))), [
    'ip daddr 172.16.0.1 tcp dport 8080 dnat to 10.10.0.11:80 comment "nat[0]"',
    'ip daddr 172.16.0.1 tcp dport 8081 dnat to 10.10.0.12:80 comment "nat[1]"',
    'ip saddr 10.10.0.0/24 oifname != "br-lb" masquerade comment "nat[2]"',
    'tcp dport 9999 drop comment "filter[0].rules[0]"',
  ]);
  t.equal(nftDesired(m, 's1'), undefined, 'no table where there are no rules');
  t.ok(d.chains.every((c) => c.rules.every((r) => r.table === 'netlink_lab_lab5' && r.family === 'ip')));
});

t.test('ownership markers and the link specs apply sends', async (t) => {
  t.equal(linkAlias('lab1'), 'netlink-lab:lab1');
  t.equal(nodeAlias('lab1', 'A'), 'netlink-lab:lab1:A');
  t.equal(nftTableName('lab1'), 'netlink_lab_lab1');
  t.equal(linkGroup('lab1'), linkGroup('lab1'), 'stable');
  t.not(linkGroup('lab1'), linkGroup('lab2'));
  t.ok(linkGroup('lab1') >= 0x4c000000 && linkGroup('lab1') <= 0x4cffffff, 'in its own range, never group 0');
  const m = lab('lab1.yaml');
  const a = m.ifaces.find((i) => i.name === 'veth-a')!, b = m.ifaces.find((i) => i.node === 'A')!;
  t.same(linkAddSpec(m, a, b, () => 'A'), {
    name: 'veth-a', alias: 'netlink-lab:lab1', group: linkGroup('lab1'), up: true, kind: 'veth', master: 'bridge_0',
    peer: { name: 'eth0', netns: 'A', up: true },
  }, 'the peer is born inside A');
  const br = m.ifaces[0]!;
  t.same(linkAddSpec(m, br, undefined, () => undefined), { name: 'bridge_0', alias: 'netlink-lab:lab1', group: linkGroup('lab1'), up: true, kind: 'bridge', data: { stpState: 0 }, address: bridgeMac('lab1', 'host', 'bridge_0') });
  t.match(bridgeMac('lab1', 'host', 'bridge_0'), /^02(:[0-9a-f]{2}){5}$/, 'a stable locally administered MAC for bridges');
});

t.test('a foreign object of a declared name is a conflict; an owned link no longer declared is deleted', async (t) => {
  const m = lab('lab2.yaml');
  const st = empty(m);
  const host = st.nodes.get('host')!;
  const foreign: Link = { ...lo, index: 5, name: 'v-net-0', kind: 'bridge', attrs: {} };
  const stale: Link = { ...lo, index: 6, name: 'old0', kind: 'bridge', attrs: { ifalias: 'netlink-lab:lab2' } };
  const links = [lo, foreign, stale];
  (st.nodes as Map<string, NodeState>).set('host', { ...host, links, byName: new Map(links.map((l) => [l.name, l])), byIndex: new Map(links.map((l) => [l.index, l])) });
  const p = diff(m, st);
  t.same(p.conflicts, ['bridges[0]: host/v-net-0 exists and is not this lab\'s (alias "")']);
  t.same(p.changes.filter((c) => c.op === '-').map((c) => `${c.kind} ${c.object}`), ['link-del host/old0']);
  t.match(planLines(p).at(-1), /1 conflict$/);
});

t.test('the saved-sysctls chain is not compared; a lab table holding only it needs no change', async (t) => {
  const m = lab('lab2.yaml'); // no NAT or filter rules
  const st = empty(m);
  const host = st.nodes.get('host')!;
  const saved = { family: 'ip' as const, table: 'netlink_lab_lab2', name: 'saved_sysctls', handle: 1n, use: 1 };
  const rule = { family: 'ip' as const, table: 'netlink_lab_lab2', chain: 'saved_sysctls', handle: 2n, exprs: [], comment: 'sysctl net.ipv4.ip_forward=0' };
  (st.nodes as Map<string, NodeState>).set('host', { ...host, nft: { chains: [saved], rules: [rule] } });
  t.same(diff(m, st).changes.filter((c) => c.kind === 'nft'), [], 'nothing to do for nft');
  const m1 = lab('lab1.yaml');
  const st1 = empty(m1);
  (st1.nodes as Map<string, NodeState>).set('host', { ...st1.nodes.get('host')!, nft: { chains: [{ ...saved, table: 'netlink_lab_lab1' }], rules: [{ ...rule, table: 'netlink_lab_lab1' }] } });
  t.same(diff(m1, st1).changes.filter((c) => c.kind === 'nft').map((c) => `${c.op} ${c.detail}`), ['+ postrouting: 1 rule'], 'the NAT chain is still to add');
  t.same(parseSaved('sysctl net.ipv4.conf.all.rp_filter=2'), ['net.ipv4.conf.all.rp_filter', '2']);
  t.equal(parseSaved('other'), undefined);
});
