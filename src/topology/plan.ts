/**
 * plan(): the difference between the lab and the live kernel, as Terraform prints it — one
 * change per object (`+` create, `~` change with old → new, `-` delete), in the order apply
 * executes them, and nothing when the lab matches. Objects the lab owns (by its markers) but
 * no longer declares are deleted; objects of the same name that are NOT the lab's are
 * conflicts, and apply refuses to touch them.
 */
import { createHash } from 'node:crypto';
import { IFF } from '../route/link/ifinfomsg.js';
import type { Link } from '../route/link/link.js';
import type { BridgeAttrs } from '../route/link/link-kinds/bridge.js';
import type { VxlanAttrs } from '../route/link/link-kinds/vxlan.js';
import type { LinkAddSpec } from '../route/link/link-request.js';
import { parsePrefix } from '../route/prefix.js';
import type { Route } from '../route/route/route-decode.js';
import { type NatPlan, dnatPlan, masqueradePlan, snatPlan } from '../nft/nat.js';
import type { ChainSpec } from '../nft/chain.js';
import type { RuleSpec } from '../nft/rule.js';
import { RuleBuilder } from '../nft/rule-builder.js';
import { ruleStatements } from '../nft/print.js';
import { toJson } from '../netlink/jsonable.js';
import type { ExprAttrs } from '../nft/expr.schema.js';
import { type IfaceModel, type LabModel, type NodeModel, type RouteModel, linkAlias, linkGroup, nftTableName, nodeAlias, SAVED_CHAIN } from './model.js';
import { type LabState, type NodeState, observe, sysctlText } from './observe.js';

/** Kinds of object a change is about, in the order apply runs them (deletions first where they free a name). */
export const CHANGE_KINDS = ['process-stop', 'node', 'lo', 'link-del', 'bridge', 'veth', 'vxlan', 'link-set', 'address', 'route', 'fdb', 'sysctl', 'nft', 'process'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One line of the plan. */
export interface Change {
  readonly op: '+' | '~' | '-';
  readonly kind: ChangeKind;
  /** The node the change happens in. */
  readonly node: string;
  /** What it is about: `host/veth-a`, `A`, `A route default`, `host nft`. */
  readonly object: string;
  /** The spec path it comes from (empty for an owned object no longer declared). */
  readonly path: string;
  /** Human detail: `veth ↔ A/eth0, master bridge_0`, `mtu 1500 → 9000`. */
  readonly detail: string;
  /** What apply sends (internal; not part of the JSON form). */
  readonly data: unknown;
}

/** plan()'s result. */
export interface Plan {
  readonly lab: string;
  readonly changes: readonly Change[];
  /**
   * What stops apply before it starts: objects in the lab's way that are not the lab's, and
   * things the lab needs that this machine lacks (a vxlan's underlay device).
   */
  readonly conflicts: readonly string[];
  /** The live state the plan was made against. */
  readonly state: LabState;
  readonly model: LabModel;
}

/** Terraform-like lines, then a summary line. */
export function planLines(p: Plan): string[] {
  const out = p.conflicts.map((c) => `! ${c}`);
  for (const c of p.changes) out.push(`${c.op} ${c.kind.replace(/-(del|stop)$/, '')} ${c.object}${c.detail ? `: ${c.detail}` : ''}${c.path ? `  (${c.path})` : ''}`);
  out.push(planSummary(p));
  return out;
}

export function planSummary(p: Plan): string {
  if (p.changes.length === 0 && p.conflicts.length === 0) return `lab ${p.lab}: no changes, the kernel matches the lab`;
  const n = (op: string) => p.changes.filter((c) => c.op === op).length;
  return `lab ${p.lab}: ${n('+')} to add, ${n('~')} to change, ${n('-')} to destroy${p.conflicts.length ? `, ${p.conflicts.length} conflict${p.conflicts.length > 1 ? 's' : ''}` : ''}`;
}

/** The JSON form (`netlink-lab plan --json`). */
export function planJson(p: Plan): { lab: string; changes: Array<Omit<Change, 'data'>>; conflicts: readonly string[]; summary: string } {
  return { lab: p.lab, changes: p.changes.map(({ data: _d, ...c }) => c), conflicts: p.conflicts, summary: planSummary(p) };
}

// ---- desired objects ----

/** The nft content a node should have in its lab table: chains with their rules. */
export interface NftDesired {
  readonly chains: ReadonlyArray<{ readonly chain: ChainSpec; readonly rules: readonly RuleSpec[] }>;
}

function natPlanOf(n: LabModel['nat'][number], table: string): NatPlan {
  const place = { family: 'ip' as const, table, comment: n.path };
  const src = { ...(n.source !== undefined ? { source: n.source } : {}), ...(n.outputInterface !== undefined ? { outputInterface: n.outputInterface } : {}), ...(n.notOutputInterface !== undefined ? { notOutputInterface: n.notOutputInterface } : {}) };
  if (n.kind === 'masquerade') return masqueradePlan({ ...place, ...src });
  if (n.kind === 'snat') return snatPlan({ ...place, ...src, to: n.to!, ...(n.toPort !== undefined ? { toPort: n.toPort } : {}) });
  return dnatPlan({
    ...place, port: n.port!, to: n.to!, ...(n.protocol !== undefined ? { protocol: n.protocol } : {}), ...(n.toPort !== undefined ? { toPort: n.toPort } : {}),
    ...(n.destination !== undefined ? { destination: n.destination } : {}), ...(n.inputInterface !== undefined ? { inputInterface: n.inputInterface } : {}),
  });
}

/** What the node's lab table must hold, or undefined for none. */
export function nftDesired(model: LabModel, node: string): NftDesired | undefined {
  const table = nftTableName(model.name);
  const chains = new Map<string, { chain: ChainSpec; rules: RuleSpec[] }>();
  for (const n of model.nat) {
    if (n.node !== node) continue;
    const p = natPlanOf(n, table);
    const c = chains.get(p.chain.name) ?? { chain: { ...p.chain, priority: p.chain.name === 'prerouting' ? -100 : 100 }, rules: [] };
    c.rules.push(p.rule);
    chains.set(p.chain.name, c);
  }
  for (const f of model.filter) {
    if (f.node !== node) continue;
    const hook = f.hook ?? 'forward';
    const rules = f.rules.map((r, j) => {
      const b = new RuleBuilder('ip');
      if (r.inputInterface !== undefined) b.iifname(r.inputInterface);
      if (r.outputInterface !== undefined) b.oifname(r.outputInterface);
      if (r.source !== undefined) b.ipSaddr(r.source);
      if (r.destination !== undefined) b.ipDaddr(r.destination);
      if (r.protocol !== undefined) {
        const port: number | readonly [number, number] = r.port ?? [0, 65535];
        if (r.protocol === 'tcp') b.tcpDport(port); else b.udpDport(port);
      }
      (r.verdict === 'accept' ? b.accept() : b.drop());
      return { family: 'ip' as const, table, chain: hook, exprs: b.exprs, comment: `${f.path}.rules[${j}]` };
    });
    chains.set(hook, { chain: { family: 'ip', table, name: hook, type: 'filter', hook, priority: 0, policy: f.policy ?? 'accept' }, rules });
  }
  return chains.size === 0 ? undefined : { chains: [...chains.values()] };
}

const ruleMeaning = (exprs: readonly ExprAttrs[]): string => {
  const st = ruleStatements({ family: 'ip', exprs });
  return st ? JSON.stringify(st.map((s) => ('counter' in s ? { counter: null } : s))) : JSON.stringify(toJson(exprs));
};

const desiredText = (d: NftDesired | undefined): string => (d === undefined ? '' : d.chains.map((c) =>
  `${c.chain.name} ${c.chain.type} ${c.chain.hook} ${String(c.chain.priority)} ${c.chain.policy}: ${c.rules.map((r) => ruleMeaning(r.exprs)).join(' ; ')}`).sort().join('\n'));

const observedText = (n: NodeState['nft']): string => (n === undefined ? '' : n.chains.filter((c) => c.name !== SAVED_CHAIN).map((c) =>
  `${c.name} ${c.type} ${String(c.hook)} ${String(c.priority)} ${c.policy}: ${n.rules.filter((r) => r.chain === c.name).map((r) => ruleMeaning(r.exprs)).join(' ; ')}`).sort().join('\n'));

/** A stable locally administered unicast MAC for a lab's bridge: 02 + 5 bytes of sha1(lab/node/name). */
export function bridgeMac(lab: string, node: string, name: string): string {
  const h = createHash('sha1').update(`${lab}/${node}/${name}`).digest();
  return ['02', ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** LinkAddSpec of an interface (the creator end of a veth carries its peer). */
export function linkAddSpec(model: LabModel, it: IfaceModel, peer: IfaceModel | undefined, peerRef: () => unknown): LinkAddSpec {
  const alias = linkAlias(model.name);
  const base = { name: it.name, alias, group: linkGroup(model.name), up: it.up, ...(it.mtu !== undefined ? { mtu: it.mtu } : {}), ...(it.mac !== undefined ? { address: it.mac } : {}) };
  // A bridge without a set MAC takes its lowest port's, and changes it when that port goes:
  // neighbours' ARP caches then point at nothing until they expire (a repaired cable would cut
  // the others off). A fixed, lab-derived, locally administered MAC keeps it stable.
  if (it.kind === 'bridge') return { ...base, kind: 'bridge', data: { stpState: it.stp ? 1 : 0 }, ...(it.mac === undefined ? { address: bridgeMac(model.name, it.node, it.name) } : {}) };
  if (it.kind === 'vxlan') {
    const v = it.vxlan!;
    return { ...base, kind: 'vxlan', data: { id: v.vni, port: v.port, local: v.local, learning: 1 }, ...(v.dev !== undefined ? { link: v.dev } : {}), ...(it.master !== undefined ? { master: it.master } : {}) };
  }
  return {
    ...base, kind: 'veth', ...(it.master !== undefined ? { master: it.master } : {}),
    peer: { name: peer!.name, netns: peerRef() as never, up: peer!.up, ...(peer!.mtu !== undefined ? { mtu: peer!.mtu } : {}), ...(peer!.mac !== undefined ? { address: peer!.mac } : {}) },
  };
}

// ---- diff ----

const isUp = (l: Link): boolean => (l.rawFlags & IFF.IFF_UP) !== 0;
// Route.table is ip's word for the well-known tables (main/local/default), a number otherwise.
const TABLE_IDS: Record<string, number> = { default: 253, main: 254, local: 255 };
const tableId = (t: string | number): number => (typeof t === 'number' ? t : TABLE_IDS[t] ?? Number(t));
// Addresses by interface index, made once per observed node (a host with a thousand ports
// would otherwise filter all its addresses once per port).
const addrIndex = new WeakMap<NodeState, Map<number, string[]>>();
const globalAddrs = (st: NodeState, index: number): string[] => {
  let m = addrIndex.get(st);
  if (!m) {
    m = new Map();
    for (const a of st.addrs) {
      if (a.family === 6 && a.address.toLowerCase().startsWith('fe80:')) continue;
      let l = m.get(a.devIndex);
      if (!l) m.set(a.devIndex, l = []);
      l.push(`${a.address}/${a.prefixlen}`);
    }
    addrIndex.set(st, m);
  }
  return m.get(index) ?? [];
};

function routeMatches(r: Route, want: RouteModel, st: NodeState): boolean {
  if (r.family !== want.family || tableId(r.table) !== want.table) return false;
  if (r.dst !== (want.dst === 'default' ? 'default' : want.dst)) return false;
  const gw = want.via === undefined ? undefined : parsePrefix(want.via, 'via').address;
  if (r.gateway !== gw) return false;
  if (want.dev !== undefined && (r.devIndex === undefined || st.byIndex.get(r.devIndex)?.name !== want.dev)) return false;
  if ((r.metric ?? 0) !== (want.metric ?? (want.family === 6 ? 1024 : 0))) return false;
  return true;
}

const routeText = (r: RouteModel): string => `${r.dst}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}${r.table !== 254 ? ` table ${r.table}` : ''}${r.metric !== undefined ? ` metric ${r.metric}` : ''}`;

const ZERO_MAC = '00:00:00:00:00:00';
const onOff = (b: boolean): string => (b ? 'on' : 'off');

/**
 * What differs between a live vxlan device and the lab's (vni, UDP port, local address,
 * underlay device, learning), as `what was → what the lab wants` words; empty when it matches.
 * None of these can be changed in place on every kernel: a drifted vxlan is made again.
 */
function vxlanDrift(l: Link, it: IfaceModel, st: NodeState): string[] {
  const d = (l.attrs.linkinfo?.data ?? {}) as VxlanAttrs;
  const v = it.vxlan!;
  const words: string[] = [];
  if (d.id !== v.vni) words.push(`vni ${d.id ?? '-'} → ${v.vni}`);
  if (d.port !== v.port) words.push(`port ${d.port ?? '-'} → ${v.port}`);
  if (d.local !== v.local) words.push(`local ${d.local ?? '-'} → ${v.local}`);
  const dev = d.link === undefined || d.link === 0 ? undefined : st.byIndex.get(d.link)?.name ?? `if${d.link}`;
  if (dev !== v.dev) words.push(`dev ${dev ?? '-'} → ${v.dev ?? '-'}`);
  if ((d.learning ?? 0) !== 1) words.push('learning off → on');
  return words;
}

const vxlanText = (it: IfaceModel): string => `vxlan vni ${it.vxlan!.vni} local ${it.vxlan!.local}${it.vxlan!.dev !== undefined ? ` dev ${it.vxlan!.dev}` : ''}${it.vxlan!.port !== 4789 ? ` port ${it.vxlan!.port}` : ''}, master ${it.master}`;

/** Compare a model with an observed state. */
export function diff(model: LabModel, state: LabState): Plan {
  const changes: Change[] = [];
  const conflicts: string[] = [];
  const alias = linkAlias(model.name);
  const add = (c: Change): void => { changes.push(c); };
  const stOf = (n: string): NodeState => state.nodes.get(n)!;
  const declared = new Map<string, Set<string>>(model.nodes.map((n) => [n.name, new Set<string>()]));
  for (const it of model.ifaces) declared.get(it.node)?.add(it.name);

  // Processes no longer declared: stop them first.
  for (const n of model.nodes) {
    for (const [name, pid] of stOf(n.name).processes) {
      if (!n.processes.some((p) => p.name === name)) add({ op: '-', kind: 'process-stop', node: n.name, object: `${n.name}/${name}`, path: '', detail: `pid ${pid}`, data: pid });
    }
  }

  // Nodes.
  for (const n of model.nodes) {
    const st = stOf(n.name);
    if (!st.present) {
      add({ op: '+', kind: 'node', node: n.name, object: n.name, path: n.path, detail: n.kind === 'netns' ? `netns ${n.netns}` : `unshared${n.hostname ? `, hostname ${n.hostname}` : ''}`, data: n });
      continue;
    }
    if (!st.owned) {
      conflicts.push(`${n.path}: namespace ${n.kind === 'netns' ? `"${n.netns}"` : ''} exists and is not this lab's (no ${nodeAlias(model.name, n.name)} marker)`);
      continue;
    }
    const lo = st.byName.get('lo');
    if (n.lo !== undefined && lo && isUp(lo) !== (n.lo === 'up')) {
      add({ op: '~', kind: 'lo', node: n.name, object: `${n.name}/lo`, path: `${n.path}.lo`, detail: `${isUp(lo) ? 'up' : 'down'} → ${n.lo}`, data: { up: n.lo === 'up', was: isUp(lo) } });
    }
  }

  // Owned links no longer declared; declared names held by someone else; kind changes.
  const recreate = new Set<IfaceModel>();
  const wantByKey = new Map(model.ifaces.map((i) => [`${i.node}/${i.name}`, i] as const));
  // A link of the lab's group without any alias is the lab's, half made: an apply killed between
  // creating it (the group is set in the creating request, the kernel ignores an alias there) and
  // marking it. It is deleted and made again, so a killed apply never blocks the next one.
  const group = linkGroup(model.name);
  const halfMade = (l: { attrs: { ifalias?: string | undefined; group?: number | undefined } }): boolean => !l.attrs.ifalias && l.attrs.group === group;
  for (const n of model.nodes) {
    const st = stOf(n.name);
    if (!st.present || !st.owned) continue;
    for (const l of st.links) {
      const half = halfMade(l);
      if (l.attrs.ifalias !== alias && !half) continue;
      const want = wantByKey.get(`${n.name}/${l.name}`);
      if (half) {
        add({ op: '-', kind: 'link-del', node: n.name, object: `${n.name}/${l.name}`, path: want?.path ?? '', detail: `half made (the lab's group, no marker): made again`, data: { name: l.name, index: l.index } });
        if (want) recreate.add(want);
      } else if (!want) add({ op: '-', kind: 'link-del', node: n.name, object: `${n.name}/${l.name}`, path: '', detail: `${l.kind ?? 'link'} no longer in the lab`, data: { name: l.name, index: l.index } });
      else if (l.kind !== want.kind) {
        add({ op: '-', kind: 'link-del', node: n.name, object: `${n.name}/${l.name}`, path: want.path, detail: `is a ${l.kind}, the lab wants a ${want.kind}`, data: { name: l.name, index: l.index } });
        recreate.add(want);
      } else if (want.kind === 'vxlan') {
        const words = vxlanDrift(l, want, st);
        if (words.length) {
          add({ op: '-', kind: 'link-del', node: n.name, object: `${n.name}/${l.name}`, path: want.path, detail: `${words.join(', ')} (made again)`, data: { name: l.name, index: l.index } });
          recreate.add(want);
        }
      }
    }
  }

  // Interfaces to create, and settings of the ones there.
  const ifaceByKey = new Map(model.ifaces.map((i) => [`${i.node}/${i.name}`, i] as const));
  for (const it of model.ifaces) {
    const st = stOf(it.node);
    const l = st.present ? st.byName.get(it.name) : undefined;
    if (l && l.attrs.ifalias !== alias && !halfMade(l)) {
      conflicts.push(`${it.path}: ${it.node}/${it.name} exists and is not this lab's (alias ${JSON.stringify(l.attrs.ifalias ?? '')})`);
      continue;
    }
    if (!l || recreate.has(it)) {
      if (it.kind === 'veth') {
        if (!it.creator) {
          // The pair is made from end a; an orphan end b would be gone with its pair anyway.
          continue;
        }
        const peer = ifaceByKey.get(`${it.peer!.node}/${it.peer!.name}`)!;
        const pst = stOf(peer.node);
        const pl = pst.present ? pst.byName.get(peer.name) : undefined;
        if (pl && halfMade(pl)) { /* deleted above */ } else if (pl && pl.attrs.ifalias === alias) add({ op: '-', kind: 'link-del', node: peer.node, object: `${peer.node}/${peer.name}`, path: peer.path, detail: 'the other end of its veth is gone', data: { name: peer.name, index: pl.index } });
        else if (pl) { conflicts.push(`${peer.path}: ${peer.node}/${peer.name} exists and is not this lab's`); continue; }
        add({
          op: '+', kind: 'veth', node: it.node, object: `${it.node}/${it.name}`, path: it.path.replace(/\.[ab]$/, ''),
          detail: `veth ↔ ${peer.node}/${peer.name}${it.master ? `, master ${it.master}` : ''}`, data: { it, peer },
        });
        for (const a of it.addresses) add({ op: '+', kind: 'address', node: it.node, object: `${it.node}/${it.name} ${a}`, path: `${it.path}.addresses`, detail: '', data: { dev: it.name, address: a } });
        for (const a of peer.addresses) add({ op: '+', kind: 'address', node: peer.node, object: `${peer.node}/${peer.name} ${a}`, path: `${peer.path}.addresses`, detail: '', data: { dev: peer.name, address: a } });
        if (peer.master !== undefined) add({ op: '~', kind: 'link-set', node: peer.node, object: `${peer.node}/${peer.name}`, path: peer.path, detail: `master ${peer.master}`, data: { name: peer.name, set: { master: peer.master }, was: { master: null } } });
        continue;
      } else {
        add({ op: '+', kind: it.kind, node: it.node, object: `${it.node}/${it.name}`, path: it.path, detail: it.kind === 'vxlan' ? vxlanText(it) : `bridge${it.stp ? ', stp' : ''}`, data: { it } });
      }
      for (const a of it.addresses) add({ op: '+', kind: 'address', node: it.node, object: `${it.node}/${it.name} ${a}`, path: `${it.path}.addresses`, detail: '', data: { dev: it.name, address: a } });
      continue;
    }
    // Present and ours: settings.
    const set: Record<string, unknown> = {}, was: Record<string, unknown> = {}, words: string[] = [];
    if (isUp(l) !== it.up) { set['up'] = it.up; was['up'] = isUp(l); words.push(`${isUp(l) ? 'up' : 'down'} → ${it.up ? 'up' : 'down'}`); }
    if (it.mtu !== undefined && l.mtu !== it.mtu) { set['mtu'] = it.mtu; was['mtu'] = l.mtu; words.push(`mtu ${l.mtu} → ${it.mtu}`); }
    // A bridge's MAC is the lab's stable one unless the spec gives one (see linkAddSpec).
    const mac = it.mac ?? (it.kind === 'bridge' ? bridgeMac(model.name, it.node, it.name) : undefined);
    if (mac !== undefined && l.address?.toLowerCase() !== mac.toLowerCase()) { set['address'] = mac; was['address'] = l.address; words.push(`mac ${l.address} → ${mac}`); }
    const masterName = l.masterIndex === undefined ? undefined : st.byIndex.get(l.masterIndex)?.name;
    if (masterName !== it.master) { set['master'] = it.master ?? null; was['master'] = masterName ?? null; words.push(`master ${masterName ?? '-'} → ${it.master ?? '-'}`); }
    const group = linkGroup(model.name);
    if (l.attrs.group !== group) { set['group'] = group; was['group'] = l.attrs.group ?? 0; words.push(`group ${l.attrs.group ?? 0} → ${group}`); }
    if (it.kind === 'bridge') {
      const stp = ((l.attrs.linkinfo?.data as BridgeAttrs | undefined)?.stpState ?? 0) !== 0;
      if (stp !== (it.stp ?? false)) {
        set['kind'] = 'bridge'; set['data'] = { stpState: it.stp ? 1 : 0 };
        was['kind'] = 'bridge'; was['data'] = { stpState: stp ? 1 : 0 };
        words.push(`stp ${onOff(stp)} → ${onOff(it.stp ?? false)}`);
      }
    }
    if (words.length) add({ op: '~', kind: 'link-set', node: it.node, object: `${it.node}/${it.name}`, path: it.path, detail: words.join(', '), data: { name: it.name, set, was } });
    const have = globalAddrs(st, l.index);
    for (const a of it.addresses) if (!have.includes(a)) add({ op: '+', kind: 'address', node: it.node, object: `${it.node}/${it.name} ${a}`, path: `${it.path}.addresses`, detail: '', data: { dev: it.name, address: a } });
    for (const a of have) if (!it.addresses.includes(a)) add({ op: '-', kind: 'address', node: it.node, object: `${it.node}/${it.name} ${a}`, path: `${it.path}.addresses`, detail: 'not in the lab', data: { dev: it.name, address: a } });
  }

  // Routes.
  const routesOf = new Map<string, RouteModel[]>();
  for (const r of model.routes) { const l = routesOf.get(r.node); if (l) l.push(r); else routesOf.set(r.node, [r]); }
  for (const n of model.nodes) {
    const st = stOf(n.name);
    const wants = routesOf.get(n.name) ?? [];
    const matched = new Set<Route>();
    for (const r of wants) {
      const found = st.present ? st.routes.find((x) => !matched.has(x) && routeMatches(x, r, st)) : undefined;
      if (found) matched.add(found);
      else add({ op: '+', kind: 'route', node: n.name, object: `${n.name} route ${routeText(r)}`, path: r.path, detail: '', data: r });
    }
    if (!st.present || !st.owned) continue;
    // Routes the lab would have made but no longer declares: static routes in its own
    // namespaces, or through its own devices in the host.
    for (const x of st.routes) {
      if (matched.has(x) || x.protocol === 'kernel' || tableId(x.table) === 255 || x.type !== 'unicast' || x.protocol === 'ra') continue;
      const dev = x.devIndex === undefined ? undefined : st.byIndex.get(x.devIndex);
      if (n.kind === 'host' && dev?.attrs.ifalias !== alias) continue;
      if (x.family === 6 && x.dst.startsWith('fe80:')) continue;
      const tid = tableId(x.table);
      const metric = x.metric !== undefined && x.metric !== (x.family === 6 ? 1024 : 0) ? ` metric ${x.metric}` : '';
      add({ op: '-', kind: 'route', node: n.name, object: `${n.name} route ${x.dst}${x.gateway ? ` via ${x.gateway}` : ''}${dev ? ` dev ${dev.name}` : ''}${tid !== 254 ? ` table ${tid}` : ''}${metric}`, path: '', detail: 'not in the lab', data: x });
    }
  }

  // VXLAN fdb entries towards the other hosts.
  for (const it of model.ifaces) {
    if (it.kind !== 'vxlan') continue;
    const st = stOf(it.node);
    const dev = it.vxlan!.dev;
    if (dev !== undefined && st.present && !st.byName.has(dev)) {
      const h = model.nodes.find((n) => n.name === it.node)?.host;
      conflicts.push(`hosts.${h ?? '?'}.dev: the underlay device "${dev}" of ${it.node}/${it.name} (${it.path}) is not on this machine`);
    }
    // A vxlan made again (or not there) has no entries yet.
    const l = st.present && !recreate.has(it) ? st.byName.get(it.name) : undefined;
    if (l !== undefined && l.attrs.ifalias !== alias) continue; // a conflict, reported above
    for (const remote of it.vxlan!.remotes) {
      const has = l !== undefined && st.fdb.some((e) => e.devIndex === l.index && e.mac === ZERO_MAC && e.dst === remote);
      if (!has) add({ op: '+', kind: 'fdb', node: it.node, object: `${it.node}/${it.name} fdb ${ZERO_MAC} dst ${remote}`, path: it.path, detail: '', data: { dev: it.name, dst: remote } });
    }
    // Flood entries towards machines that are not the lab's other hosts.
    for (const e of l === undefined ? [] : st.fdb) {
      if (e.devIndex !== l!.index || e.mac !== ZERO_MAC || e.dst === undefined || it.vxlan!.remotes.includes(e.dst)) continue;
      add({ op: '-', kind: 'fdb', node: it.node, object: `${it.node}/${it.name} fdb ${ZERO_MAC} dst ${e.dst}`, path: it.path, detail: 'not one of the lab\'s hosts', data: { dev: it.name, dst: e.dst } });
    }
  }

  // Sysctls.
  for (const n of model.nodes) {
    const st = stOf(n.name);
    for (const [key, value] of n.sysctls) {
      const cur = st.present ? st.sysctls.get(key) : undefined;
      if (st.present && cur === sysctlText(value)) continue;
      add({ op: '~', kind: 'sysctl', node: n.name, object: `${n.name} ${key}`, path: `${n.path}.sysctls`, detail: `${cur ?? (st.present ? '(none)' : '(new)')} → ${value}`, data: { key, value } });
    }
  }

  // nft: the lab table of each node, compared as a whole.
  for (const n of model.nodes) {
    const st = stOf(n.name);
    const want = nftDesired(model, n.name);
    const wantText = desiredText(want);
    const haveText = st.present ? observedText(st.nft) : '';
    if (wantText === haveText) continue; // (the saved-sysctls chain is not compared)
    const table = `ip ${nftTableName(model.name)}`;
    if (want === undefined) add({ op: '-', kind: 'nft', node: n.name, object: `${n.name} nft ${table}`, path: '', detail: 'no NAT or filter rules in the lab', data: { want } });
    else add({
      op: haveText !== '' ? '~' : '+', kind: 'nft', node: n.name, object: `${n.name} nft ${table}`, path: `${[...model.nat, ...model.filter].find((x) => x.node === n.name)?.path.replace(/\[\d+\]$/, '') ?? ''}`,
      detail: `${want.chains.map((c) => `${c.chain.name}: ${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}`).join(', ')}${haveText !== '' || st.nft?.chains.some((c) => c.name !== SAVED_CHAIN) ? ' (drifted)' : ''}`, data: { want },
    });
  }

  // Processes.
  for (const n of model.nodes) {
    const st = stOf(n.name);
    n.processes.forEach((p, i) => {
      if (!st.processes.has(p.name)) add({ op: '+', kind: 'process', node: n.name, object: `${n.name}/${p.name}`, path: `${n.path}.processes[${i}]`, detail: p.cmd.join(' '), data: p });
    });
  }

  const order = (c: Change): number => {
    const k = CHANGE_KINDS.indexOf(c.kind);
    // Address and route deletions go before additions of their kind.
    return k * 2 + (c.op === '-' ? 0 : 1);
  };
  // Within a kind, one node's changes together: each becomes one bulk request.
  const nodeRank = new Map(model.nodes.map((n, i) => [n.name, i] as const));
  const sorted = changes.map((c, i) => [c, i] as const)
    .sort((x, y) => order(x[0]) - order(y[0]) || nodeRank.get(x[0].node)! - nodeRank.get(y[0].node)! || x[1] - y[1]).map(([c]) => c);
  return { lab: model.name, changes: sorted, conflicts, state, model };
}

/** Observe the live kernel and diff it against the lab. */
export async function plan(model: LabModel, opts: { readonly netnsDir?: string } = {}): Promise<Plan> {
  return diff(model, await observe(model, opts));
}

export type { NodeModel };
