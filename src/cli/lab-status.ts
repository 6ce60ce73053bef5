/**
 * `netlink-lab status FILE`: the live lab, node by node, in netlink-dump netns's view (links
 * with state and addresses, the bridge of each port, where each veth's peer is, routes) —
 * read once through plan(), whose changes are the drift: marked on the link they touch, or
 * listed under their node, with plan's summary at the end.
 */
import type { Io } from './io.js';
import { COMMON_HELP, labArgs, loadModel, noMore } from './lab-common.js';
import { type NsState, nsJson, nsText, nsView } from './live/netns.js';

export const HELP = `usage: netlink-lab status FILE [--json]

The live lab: for every node its interfaces (state, addresses, bridge, the node and name of
each veth's peer) and routes, as netlink-dump netns shows them, plus its running lab
processes. Drift — whatever plan would change — is marked: ← on the interface it is about,
"drift:" lines under the node for the rest, "missing" for a node that is not there; the last
line is plan's summary. Read-only.

${COMMON_HELP}`;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const a = labArgs(argv, 'status');
  if (!a) { io.out(HELP); return 0; }
  noMore(a, 'status');
  const model = await loadModel(a);
  const { plan, planJson, planSummary } = await import('../topology/plan.js');
  const p = await plan(model);
  const nodes = [...p.state.nodes.values()];
  const spaces: NsState[] = nodes.filter((n) => n.present).map((n) => ({ name: n.node.name, links: [...n.links], addrs: [...n.addrs], routes: n.routes.filter((r) => r.table !== 'local') }));
  const view = nsView(spaces, spaces);
  const changeLine = (c: (typeof p.changes)[number]): string => `${c.op} ${c.kind.replace(/-(del|stop)$/, '')} ${c.object}${c.detail ? `: ${c.detail}` : ''}`;
  if (a.json) {
    const byName = new Map(nsJson(view).map((v) => [v.name, v] as const));
    io.out(JSON.stringify({
      lab: model.name,
      nodes: nodes.map((n) => ({
        name: n.node.name, kind: n.node.kind, present: n.present, owned: n.owned,
        ...(n.ref !== undefined ? { ref: n.ref } : {}),
        processes: Object.fromEntries(n.processes),
        links: byName.get(n.node.name)?.links ?? [], routes: byName.get(n.node.name)?.routes ?? [],
      })),
      drift: planJson(p).changes, conflicts: p.conflicts, summary: planSummary(p),
    }));
    return 0;
  }
  const st = io.style;
  const out: string[] = [];
  const ifaceOf = (c: (typeof p.changes)[number]): string | undefined => {
    const m = /^([^/\s]+)\/(\S+)/.exec(c.object);
    return m && m[1] === c.node ? m[2] : undefined;
  };
  for (const n of nodes) {
    const where = n.node.kind === 'host' ? 'this namespace' : n.node.kind === 'netns' ? `netns ${n.node.netns}` : n.ref && typeof n.ref === 'object' && 'pid' in n.ref ? `unnamed, keeper pid ${n.ref.pid}${n.node.hostname ? `, hostname ${n.node.hostname}` : ''}` : 'unnamed';
    const mine = p.changes.filter((c) => c.node === n.node.name);
    if (!n.present) {
      out.push(`${st.bold(n.node.name)} ${st.dim(`(${where})`)}  ${st.bad('missing')}`);
    } else {
      const v = view.filter((x) => x.name === n.node.name);
      const lines = nsText(v, st, (_ns, ifname) => {
        const hits = mine.filter((c) => ifaceOf(c) === ifname);
        return hits.length ? st.bad(`← ${hits.map(changeLine).join('; ')}`) : undefined;
      });
      lines[0] = `${lines[0]} ${st.dim(`— ${where}`)}`;
      out.push(...lines);
      for (const [name, pid] of n.processes) out.push(`  process ${name} pid ${pid}`);
    }
    const shown = new Set(n.present ? (view.find((x) => x.name === n.node.name)?.links ?? []).map((l) => l.ifname) : []);
    for (const c of mine) if (!n.present || !shown.has(ifaceOf(c) ?? '')) out.push(st.bad(`  drift: ${changeLine(c)}`));
  }
  for (const c of p.conflicts) out.push(st.bad(`! ${c}`));
  if (model.nodes.every((n) => n.kind === 'host' || !p.state.nodes.get(n.name)!.present) && model.nodes.some((n) => n.kind !== 'host')) {
    out.push(`lab ${model.name} is not up (netlink-lab up ${a.file}${a.host !== undefined ? ` --host ${a.host}` : ''} builds it)`);
  }
  out.push(planSummary(p));
  io.out(out.join('\n'));
  return 0;
}
