/**
 * Reading a lab's live state through the library, cheaply: per node one link, one address and
 * one route dump (every table: a lab's routes may name one) (plus an fdb dump where the lab has vxlan devices, and the lab's nft table
 * where it has NAT or filter rules), the sysctls it sets, /run/netns once, /proc once.
 */
import { netnsNames } from '../netns/registry.js';
import type { NetnsRef } from '../netlink/nsenter.js';
import { NetlinkError } from '../netlink/errors.js';
import type { Address } from '../route/addr/addr.js';
import type { FdbEntry } from '../route/fdb/fdb.js';
import { RouteHandle } from '../route/handle.js';
import type { Link } from '../route/link/link.js';
import type { Route } from '../route/route/route-decode.js';
import { NftHandle } from '../nft/handle.js';
import type { Chain } from '../nft/chain.js';
import type { Rule } from '../nft/rule.js';
import { UnknownSysctlError, getSysctl } from '../sysctl/sysctl.js';
import { type LabModel, type NodeModel, nftTableName, nodeAlias } from './model.js';
import { type LabProc, findLabProcs } from './procs.js';

/** What one node looks like now. */
export interface NodeState {
  readonly node: NodeModel;
  /** How to reach it: undefined = the current namespace (host), a name, or a keeper's `{ pid }`. */
  readonly ref: NetnsRef | undefined;
  readonly present: boolean;
  /** The namespace carries this lab's marker (always true for host). */
  readonly owned: boolean;
  readonly links: readonly Link[];
  readonly byName: ReadonlyMap<string, Link>;
  readonly byIndex: ReadonlyMap<number, Link>;
  readonly addrs: readonly Address[];
  readonly routes: readonly Route[];
  readonly fdb: readonly FdbEntry[];
  /** Current value (normalised text) of each key the node sets; undefined when the key does not exist. */
  readonly sysctls: ReadonlyMap<string, string | undefined>;
  /** The lab's nft table in this node, if looked at and there. */
  readonly nft: { readonly chains: readonly Chain[]; readonly rules: readonly Rule[] } | undefined;
  /** Running lab processes of this node by name. */
  readonly processes: ReadonlyMap<string, number>;
}

export interface LabState {
  readonly lab: string;
  readonly nodes: ReadonlyMap<string, NodeState>;
  readonly procs: readonly LabProc[];
}

/** Sysctl values compared as text with whitespace runs folded (`32768\t60999` = `32768 60999`). */
export const sysctlText = (v: unknown): string => (Array.isArray(v) ? v.join(' ') : String(v)).trim().split(/\s+/).join(' ');

export interface ObserveOptions {
  /** Where named namespaces live. Default /run/netns. */
  readonly netnsDir?: string;
}

const absent = (node: NodeModel, ref: NetnsRef | undefined, procs: ReadonlyMap<string, number>): NodeState => ({
  node, ref, present: false, owned: false, links: [], byName: new Map(), byIndex: new Map(), addrs: [], routes: [], fdb: [],
  sysctls: new Map(), nft: undefined, processes: procs,
});

/** Where a node lives and whether it exists, from /run/netns and the keepers found in /proc. */
export function locate(model: LabModel, names: ReadonlySet<string>, procs: readonly LabProc[]): Map<string, { ref: NetnsRef | undefined; present: boolean }> {
  const out = new Map<string, { ref: NetnsRef | undefined; present: boolean }>();
  for (const n of model.nodes) {
    if (n.kind === 'host') out.set(n.name, { ref: undefined, present: true });
    else if (n.kind === 'netns') out.set(n.name, { ref: n.netns!, present: names.has(n.netns!) });
    else {
      const k = procs.find((p) => p.node === n.name && p.proc === undefined);
      out.set(n.name, { ref: k ? { pid: k.pid } : undefined, present: k !== undefined });
    }
  }
  return out;
}

const OBSERVE_CONCURRENCY = 64;

/** Read the live state of every node of `model`. */
export async function observe(model: LabModel, opts: ObserveOptions = {}): Promise<LabState> {
  // /proc is read only when the lab has keepers or processes (every /proc/PID/environ: not free on a busy machine).
  const procs = model.nodes.some((n) => n.kind === 'unshared' || n.processes.length > 0) ? findLabProcs(model.name) : [];
  const names = new Set(netnsNames(opts.netnsDir !== undefined ? { dir: opts.netnsDir } : {}));
  const where = locate(model, names, procs);
  const nftNodes = new Set([...model.nat.map((n) => n.node), ...model.filter.map((f) => f.node), ...model.nodes.filter((n) => n.kind === 'host').map((n) => n.name)]);
  const fdbNodes = new Set(model.ifaces.filter((i) => i.kind === 'vxlan').map((i) => i.node));
  const nodes = new Map<string, NodeState>();
  // Nodes are read concurrently, a bounded number at a time (each holds a socket or two).
  const one = async (node: NodeModel): Promise<void> => {
    const { ref, present } = where.get(node.name)!;
    const running = new Map(procs.filter((p) => p.node === node.name && p.proc !== undefined).map((p) => [p.proc!, p.pid] as const));
    if (!present) { nodes.set(node.name, absent(node, ref, running)); return; }
    const opt = ref === undefined ? {} : { netns: ref };
    let h: RouteHandle;
    try {
      h = RouteHandle.open(opt);
    } catch {
      nodes.set(node.name, absent(node, ref, running)); // a stale /run/netns entry or a keeper that just died
      return;
    }
    try {
      const [links, addrs, routes, fdb] = await Promise.all([
        h.link.list(), h.addr.list(), h.route.list({ table: 'all' }), fdbNodes.has(node.name) ? h.fdb.list() : Promise.resolve([]),
      ]);
      const byName = new Map(links.map((l) => [l.name, l] as const));
      const byIndex = new Map(links.map((l) => [l.index, l] as const));
      // A keeper found by its marker is proof enough for an unnamed namespace (it is reached through it).
      const owned = node.kind !== 'netns' || byName.get('lo')?.attrs.ifalias === nodeAlias(model.name, node.name);
      const sysctls = new Map<string, string | undefined>();
      for (const [key] of node.sysctls) {
        try {
          sysctls.set(key, sysctlText(getSysctl(key, opt)));
        } catch (err) {
          if (!(err instanceof UnknownSysctlError)) throw err;
          sysctls.set(key, undefined);
        }
      }
      let nft: NodeState['nft'];
      if (nftNodes.has(node.name)) {
        const nh = NftHandle.open(opt);
        try {
          const table = nftTableName(model.name);
          if (nh.tablesSync({ family: 'ip' }).some((t) => t.name === table)) {
            nft = { chains: nh.chainsSync({ family: 'ip', table }), rules: nh.rulesSync({ family: 'ip', table }) };
          }
        } catch (err) {
          if (!(err instanceof NetlinkError && err.code === 'ENOENT')) throw err;
        } finally {
          nh.close();
        }
      }
      nodes.set(node.name, {
        node, ref, present: true, owned, links, byName, byIndex, addrs, routes, fdb: fdb as FdbEntry[], sysctls, nft, processes: running,
      });
    } finally {
      h.close();
    }
  };
  for (let i = 0; i < model.nodes.length; i += OBSERVE_CONCURRENCY) await Promise.all(model.nodes.slice(i, i + OBSERVE_CONCURRENCY).map(one));
  // Map order = spec order, whatever order the reads finished in.
  const ordered = new Map(model.nodes.map((n) => [n.name, nodes.get(n.name)!] as const));
  return { lab: model.name, nodes: ordered, procs };
}
