/**
 * destroy() and status(). destroy finds what a lab owns from the kernel alone — links with
 * the lab's alias in this namespace, named namespaces whose lo carries the lab's marker,
 * keepers and processes marked in their environment, the lab's nft table — and removes exactly
 * that, from a spec or from the lab's name alone (also after a crashed apply).
 */
import { deleteNetns, netnsNames } from '../netns/registry.js';
import { RouteHandle } from '../route/handle.js';
import { NftHandle } from '../nft/handle.js';
import { type LabModel, linkAlias, linkGroup, nftTableName, parseSaved, SAVED_CHAIN } from './model.js';
import { setSysctl, UnknownSysctlError } from '../sysctl/sysctl.js';
import { type NodeState } from './observe.js';
import { type Plan, plan } from './plan.js';
import { findLabProcs, killProc } from './procs.js';

export interface DestroyOptions {
  /** Where named namespaces live. Default /run/netns. */
  readonly netnsDir?: string;
}

/** What destroy removed. */
export interface DestroyResult {
  readonly lab: string;
  /** pids of lab processes and keepers ended. */
  readonly processes: readonly number[];
  /** Named namespaces deleted. */
  readonly namespaces: readonly string[];
  /** Links deleted in the current namespace. */
  readonly links: readonly string[];
  /** Whether the lab's nft table in the current namespace was deleted. */
  readonly nftTable: boolean;
  /** Host sysctls put back (`key=value`) from the values saved by apply. */
  readonly sysctls: readonly string[];
}

/** The marker prefix on lo inside a lab's namespaces. */
const nodeMarkerPrefix = (lab: string): string => `netlink-lab:${lab}:`;

/**
 * Remove everything lab `lab` (a name, or a loaded model) owns on this machine — in the
 * current namespace and in the namespaces it created. Nothing else is touched. Idempotent.
 */
export async function destroy(lab: string | LabModel, opts: DestroyOptions = {}): Promise<DestroyResult> {
  const name = typeof lab === 'string' ? lab : lab.name;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$/.test(name)) throw new RangeError(`destroy: "${name}" is not a lab name`);
  const dir = opts.netnsDir !== undefined ? { dir: opts.netnsDir } : {};

  // 1. Processes first (they may hold namespaces), then keepers.
  // With a model (one host's part of a multi-host lab), only its own nodes' processes.
  const procs = findLabProcs(name).filter((p) => typeof lab === 'string' || lab.nodes.some((n) => n.name === p.node));
  await Promise.all(procs.filter((p) => p.proc !== undefined).map((p) => killProc(p.pid)));

  // 2. The current namespace: the lab's links and nft table.
  const links: string[] = [];
  const h = RouteHandle.open();
  try {
    const all = await h.link.list();
    const group = linkGroup(name);
    // The lab's marker, or the lab's group and no alias at all: made by an apply killed before it
    // marked the link (plan.ts, halfMade).
    const mine = all.filter((l) => l.attrs.ifalias === linkAlias(name) || (!l.attrs.ifalias && l.attrs.group === group));
    const inGroup = all.filter((l) => l.attrs.group === group);
    if (mine.length > 0 && inGroup.length === mine.length && inGroup.every((l) => mine.includes(l))) {
      // One request, one batch in the kernel; only when the group holds exactly the lab's links.
      await h.link.delGroup(group);
    } else if (mine.length > 0) {
      const r = await h.link.delMany(mine.map((l) => l.index), { throwOnError: false });
      const bad = r.failures.find((f) => f.code !== 'ENODEV');
      if (bad) throw bad;
    }
    links.push(...mine.map((l) => l.name));
  } finally {
    h.close();
  }
  let nftTable = false;
  const restored: string[] = [];
  const nh = NftHandle.open();
  try {
    if (nh.tablesSync({ family: 'ip' }).some((t) => t.name === nftTableName(name))) {
      // Host sysctls back to what they were before the lab (saved in its table by apply).
      for (const r of nh.rulesSync({ family: 'ip', table: nftTableName(name) })) {
        const kv = r.chain === SAVED_CHAIN ? parseSaved(r.comment) : undefined;
        if (!kv) continue;
        try {
          setSysctl(kv[0], kv[1]);
          restored.push(`${kv[0]}=${kv[1]}`);
        } catch (err) {
          if (!(err instanceof UnknownSysctlError)) throw err; // a per-device key whose device is gone
        }
      }
      nh.batch().deleteTable({ family: 'ip', name: nftTableName(name) }).commitSync();
      nftTable = true;
    }
  } finally {
    nh.close();
  }

  // 3. Named namespaces marked as the lab's (only the spec's names when given a model).
  const candidates = typeof lab === 'string'
    ? netnsNames(dir)
    : ((have) => lab.nodes.filter((n) => n.kind === 'netns').map((n) => n.netns!).filter((n) => have.has(n)))(new Set(netnsNames(dir)));
  const namespaces: string[] = [];
  for (const ns of candidates) {
    let alias: string | undefined;
    try {
      const nsh = RouteHandle.open({ netns: opts.netnsDir !== undefined ? `${opts.netnsDir}/${ns}` : ns });
      try {
        alias = (await nsh.link.get('lo')).attrs.ifalias;
      } finally {
        nsh.close();
      }
    } catch {
      continue; // a stale name or not a namespace: not ours to judge
    }
    if (alias?.startsWith(nodeMarkerPrefix(name))) {
      deleteNetns(ns, dir);
      namespaces.push(ns);
    }
  }

  // 4. Keepers: their unnamed namespaces go with them.
  await Promise.all(procs.filter((p) => p.proc === undefined).map((p) => killProc(p.pid)));
  return { lab: name, processes: procs.map((p) => p.pid), namespaces, links, nftTable, sysctls: restored };
}

/** One node's live status. */
export interface NodeStatus {
  readonly name: string;
  readonly kind: string;
  readonly present: boolean;
  readonly owned: boolean;
  /** `netns A`, `pid 1234`, `host`. */
  readonly where: string;
  readonly links: number;
  readonly addresses: number;
  readonly processes: ReadonlyArray<{ readonly name: string; readonly pid: number }>;
}

export interface LabStatus {
  readonly lab: string;
  readonly nodes: readonly NodeStatus[];
  /** The drift: what apply would change (empty when the lab is up and matches). */
  readonly plan: Plan;
  readonly up: boolean;
}

const whereOf = (st: NodeState): string => {
  if (st.node.kind === 'host') return 'host';
  if (st.node.kind === 'netns') return `netns ${st.node.netns}`;
  return st.ref && typeof st.ref === 'object' && 'pid' in st.ref ? `pid ${st.ref.pid}` : 'no keeper';
};

/** The live lab: each node's presence, and the plan (drift) against the spec. */
export async function status(model: LabModel, opts: DestroyOptions = {}): Promise<LabStatus> {
  const p = await plan(model, opts);
  const nodes = model.nodes.map((n) => {
    const st = p.state.nodes.get(n.name)!;
    return {
      name: n.name, kind: n.kind, present: st.present, owned: st.owned, where: whereOf(st), links: st.links.filter((l) => l.name !== 'lo').length,
      addresses: st.addrs.length, processes: [...st.processes].map(([pn, pid]) => ({ name: pn, pid })),
    };
  });
  return { lab: model.name, nodes, plan: p, up: p.changes.length === 0 && p.conflicts.length === 0 };
}


