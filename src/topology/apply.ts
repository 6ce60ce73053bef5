/**
 * apply(): execute a plan's changes in dependency order, as few requests as possible — one
 * step per (kind, node): namespaces, then bridges, veths (each pair created from end a with its
 * peer born inside end b's namespace), vxlan, link settings, addresses (addMany), routes
 * (addMany), fdb, sysctls, ONE nftables batch per node, processes. Each step records how to
 * undo what it did as it goes; when any step fails, everything done so far is undone in
 * reverse and a LabApplyError names the step, the object and the kernel's reason.
 */
import { NetlinkError } from '../netlink/errors.js';
import type { NetnsRef } from '../netlink/nsenter.js';
import { CLONE_NEWNET, O_CLOEXEC, O_RDONLY, libc as defaultLibc } from '../ffi/libc.js';
import { unshareSync } from '../netlink/nsenter.js';
import { attachNetns, deleteNetns } from '../netns/registry.js';
import type { AddressSpec } from '../route/addr/addr.js';
import { RouteHandle } from '../route/handle.js';
import type { LinkAddSpec, LinkSetSpec } from '../route/link/link-request.js';
import type { Route } from '../route/route/route-decode.js';
import type { RouteSpec } from '../route/route/route-spec.js';
import { NftHandle } from '../nft/handle.js';
import type { NftBatch } from '../nft/batch.js';
import { getSysctl, setSysctl, UnknownSysctlError } from '../sysctl/sysctl.js';
import { LabApplyError } from './errors.js';
import { type IfaceModel, type LabModel, type NodeModel, type RouteModel, linkAlias, linkGroup, nftTableName, nodeAlias, SAVED_CHAIN, parseSaved, savedComment } from './model.js';
import type { NodeState } from './observe.js';
import { type Change, type ChangeKind, type NftDesired, type Plan, linkAddSpec, plan as makePlan } from './plan.js';
import { killProc, startKeeper, startProcess } from './procs.js';
import type { LabProcess } from './spec.js';

/** A group of changes executed together (one bulk request or batch). */
export interface Step {
  readonly index: number;
  readonly kind: ChangeKind;
  readonly node: string;
  readonly changes: readonly Change[];
  /** `+ veth host (3)`. */
  readonly label: string;
}

export interface ApplyOptions {
  /** Fault injection: fail (before running it) at this step index; everything before is rolled back. */
  readonly failAt?: number;
  /** Called before each step (progress), with the step and the number of steps. */
  readonly onStep?: (step: Step, total: number) => void;
  /** Where named namespaces live. Default /run/netns. */
  readonly netnsDir?: string;
  /** Use this plan instead of making one (it must be fresh). */
  readonly plan?: Plan;
}

export interface ApplyResult {
  readonly plan: Plan;
  readonly steps: readonly Step[];
}

/** Group a plan's changes into steps: consecutive changes of one kind, node and op. */
export function stepsOf(p: Plan): Step[] {
  const steps: Step[] = [];
  let cur: Change[] = [];
  const flush = (): void => {
    if (cur.length === 0) return;
    const c = cur[0]!;
    steps.push({ index: steps.length, kind: c.kind, node: c.node, changes: cur, label: `${c.op} ${c.kind} ${c.node}${cur.length > 1 ? ` (${cur.length})` : ` ${c.object}`}` });
    cur = [];
  };
  for (const c of p.changes) {
    const last = cur[cur.length - 1];
    // Nodes, processes and nft tables go one per step: each is one object with its own undo.
    if (last && (last.kind !== c.kind || last.node !== c.node || last.op !== c.op || c.kind === 'node' || c.kind === 'process' || c.kind === 'nft')) flush();
    cur.push(c);
  }
  flush();
  return steps;
}

type Undo = { readonly what: string; readonly run: () => Promise<void> | void };

/** Sockets kept open during an apply (a lab of 1,000 namespaces must not hold 1,000 at once). */
const MAX_OPEN_HANDLES = 128;

class Ctx {
  readonly refs = new Map<string, NetnsRef | undefined>();
  readonly handles = new Map<string, RouteHandle>();
  readonly undo: Undo[] = [];
  /** Whether the lab's nft table exists in a node now (steps create it). */
  readonly nftTable = new Map<string, boolean>();
  constructor(readonly model: LabModel, readonly plan: Plan, readonly netnsDir: string | undefined) {
    for (const [name, st] of plan.state.nodes) {
      this.refs.set(name, st.ref);
      this.nftTable.set(name, st.present && st.nft !== undefined);
    }
  }
  node(name: string): NodeModel { return this.model.nodes.find((n) => n.name === name)!; }
  state(name: string): NodeState { return this.plan.state.nodes.get(name)!; }
  ref(name: string): NetnsRef | undefined { return this.refs.get(name); }
  opt(name: string): { netns?: NetnsRef } { const r = this.ref(name); return r === undefined ? {} : { netns: r }; }
  h(name: string): RouteHandle {
    let h = this.handles.get(name);
    if (h) {
      // Most recently used last (Map order): the oldest is closed first when over the cap.
      this.handles.delete(name);
    } else {
      h = RouteHandle.open(this.opt(name));
      if (this.handles.size >= MAX_OPEN_HANDLES) {
        const [oldest, oh] = this.handles.entries().next().value as [string, RouteHandle];
        oh.close();
        this.handles.delete(oldest);
      }
    }
    this.handles.set(name, h);
    return h;
  }
  dropHandle(name: string): void { this.handles.get(name)?.close(); this.handles.delete(name); }
  close(): void { for (const h of this.handles.values()) h.close(); this.handles.clear(); }
  dir(): { dir?: string } { return this.netnsDir === undefined ? {} : { dir: this.netnsDir }; }
}

/** A bulk failure: which change failed and why. */
class StepFailure extends Error {
  constructor(readonly change: Change, cause: unknown) { super((cause as Error)?.message ?? String(cause), { cause }); }
}

/** Run a bulk op with throwOnError false; record the undo of what succeeded; throw the first failure. */
async function bulk<T>(
  ctx: Ctx, changes: readonly Change[], items: readonly T[],
  run: (items: readonly T[]) => Promise<{ attempted: number; failures: readonly NetlinkError[] }>,
  undo: (done: readonly T[]) => Undo,
): Promise<void> {
  const r = await run(items);
  const failed = new Set(r.failures.map((f) => f.index));
  const done = items.filter((_, i) => i < r.attempted && !failed.has(i));
  if (done.length) ctx.undo.push(undo(done));
  const first = r.failures[0];
  if (first) throw new StepFailure(changes[first.index ?? 0] ?? changes[0]!, first);
}

const quiet = async (fn: () => Promise<unknown> | unknown, okCodes: readonly string[] = ['ENODEV', 'ENOENT', 'EADDRNOTAVAIL', 'ESRCH']): Promise<void> => {
  try { await fn(); } catch (err) { if (!(err instanceof NetlinkError && err.code !== undefined && okCodes.includes(err.code))) throw err; }
};

function routeSpec(r: RouteModel): RouteSpec {
  return {
    dst: r.dst, family: r.family, ...(r.via !== undefined ? { via: r.via } : {}), ...(r.dev !== undefined ? { dev: r.dev } : {}),
    ...(r.table !== 254 ? { table: r.table } : {}), ...(r.metric !== undefined ? { metric: r.metric } : {}),
  };
}

function liveRouteSpec(r: Route): RouteSpec {
  return {
    dst: r.dst, family: r.family, ...(r.gateway !== undefined ? { via: r.gateway } : {}), ...(r.dev !== undefined ? { dev: r.dev } : {}),
    table: r.table, ...(r.metric !== undefined ? { metric: r.metric } : {}),
    ...(typeof r.protocol === 'string' && r.protocol !== 'boot' ? { protocol: r.protocol } : {}),
  } as RouteSpec;
}

async function setLo(h: RouteHandle, model: LabModel, n: NodeModel): Promise<void> {
  await h.link.set('lo', { alias: nodeAlias(model.name, n.name), ...(n.lo !== undefined ? { up: n.lo === 'up' } : {}) });
}

function nftBatch(b: NftBatch, table: string, d: NftDesired): NftBatch {
  b.addTable({ family: 'ip', name: table });
  for (const c of d.chains) {
    b.addChain(c.chain);
    for (const r of c.rules) b.addRule(r);
  }
  return b;
}

async function markLinks(ctx: Ctx, cs: readonly Change[], node: string, sets: ReadonlyArray<readonly [string, LinkSetSpec]>): Promise<void> {
  const r = await ctx.h(node).link.setMany(sets, { throwOnError: false });
  const first = r.failures[0];
  if (first) throw new StepFailure(cs.find((c) => c.object.endsWith(`/${sets[first.index ?? 0]![0]}`)) ?? cs[0]!, first);
}

/** Record the values host sysctls had before the lab changed them (first time only), in the lab's nft table. */
function saveSysctls(ctx: Ctx, node: string, olds: ReadonlyArray<readonly [string, string]>): void {
  const st = ctx.state(node);
  const savedRules = st.present ? (st.nft?.rules ?? []).filter((r) => r.chain === SAVED_CHAIN) : [];
  const known = new Set(savedRules.map((r) => parseSaved(r.comment)?.[0]));
  const fresh = olds.filter(([k]) => !known.has(k));
  if (fresh.length === 0) return;
  const table = nftTableName(ctx.model.name);
  const existed = ctx.nftTable.get(node) ?? false;
  const hadChain = st.present && (st.nft?.chains.some((c) => c.name === SAVED_CHAIN) ?? false);
  const nh = NftHandle.open(ctx.opt(node));
  let handles: bigint[];
  try {
    const b = nh.batch().addTable({ family: 'ip', name: table }).addChain({ family: 'ip', table, name: SAVED_CHAIN });
    for (const [k, v] of fresh) b.addRule({ family: 'ip', table, chain: SAVED_CHAIN, exprs: [], comment: savedComment(k, v) });
    handles = b.commitSync().rules.map((r) => r.handle);
  } finally {
    nh.close();
  }
  ctx.nftTable.set(node, true);
  ctx.undo.push({
    what: `forget saved sysctls in ${node}`,
    run: () => {
      const h2 = NftHandle.open(ctx.opt(node));
      try {
        const b = h2.batch();
        if (!existed) b.deleteTable({ family: 'ip', name: table });
        else if (!hadChain) b.flushChain({ family: 'ip', table, name: SAVED_CHAIN }).deleteChain({ family: 'ip', table, name: SAVED_CHAIN });
        else for (const handle of handles) b.deleteRule({ family: 'ip', table, chain: SAVED_CHAIN, handle });
        b.commitSync();
      } finally {
        h2.close();
      }
    },
  });
}

/** Execute one step. */
async function runStep(ctx: Ctx, step: Step): Promise<void> {
  const { model } = ctx;
  const node = step.node;
  const cs = step.changes;
  switch (step.kind) {
    case 'process-stop':
      for (const c of cs) await killProc(c.data as number);
      return;
    case 'node': {
      const n = cs[0]!.data as NodeModel;
      if (n.kind === 'netns') {
        // The name appears only once the namespace carries the lab's marker: made unnamed (held
        // by an fd), lo marked, then attached under its name. A process killed before the attach
        // leaves nothing named behind — not an unmarked namespace that every later apply would
        // refuse as not the lab's and destroy would not remove (bench/kill.ts found that).
        const lib = defaultLibc();
        const fd = unshareSync(lib, [{ nstype: CLONE_NEWNET, nsFile: 'net' }], () => lib.open('/proc/thread-self/ns/net', O_RDONLY | O_CLOEXEC));
        try {
          const h = RouteHandle.open({ netns: { fd } });
          try { await setLo(h, model, n); } finally { h.close(); }
          attachNetns(n.netns!, { fd }, ctx.dir());
        } finally {
          lib.close(fd);
        }
        ctx.undo.push({ what: `delete netns ${n.netns}`, run: () => { ctx.dropHandle(n.name); deleteNetns(n.netns!, ctx.dir()); } });
        ctx.refs.set(n.name, ctx.netnsDir === undefined ? n.netns! : `${ctx.netnsDir}/${n.netns}`);
        return;
      } else {
        const pid = startKeeper(model.name, n.name, n.hostname);
        ctx.undo.push({ what: `stop keeper ${pid} of ${n.name}`, run: async () => { ctx.dropHandle(n.name); await killProc(pid); } });
        ctx.refs.set(n.name, { pid });
      }
      await setLo(ctx.h(n.name), model, n);
      return;
    }
    case 'lo': {
      const { up, was } = cs[0]!.data as { up: boolean; was: boolean };
      await ctx.h(node).link.set('lo', { up });
      ctx.undo.push({ what: `lo ${was ? 'up' : 'down'} in ${node}`, run: () => ctx.h(node).link.set('lo', { up: was }) });
      return;
    }
    case 'link-del': {
      const names = cs.map((c) => (c.data as { name: string }).name);
      // Not undone: these are the lab's own leftovers (a veth end whose pair is gone, a link the lab no longer has).
      const r = await ctx.h(node).link.delMany(names, { throwOnError: false });
      const bad = r.failures.find((f) => f.code !== 'ENODEV');
      if (bad) throw new StepFailure(cs[bad.index ?? 0]!, bad);
      return;
    }
    case 'bridge': case 'vxlan': case 'veth': {
      const specs: LinkAddSpec[] = cs.map((c) => {
        const { it, peer } = c.data as { it: IfaceModel; peer?: IfaceModel };
        return linkAddSpec(model, it, peer, () => {
          if (peer!.node === node) return undefined; // both ends in one namespace
          // The host node is the namespace this process runs in (no ref): name it by path.
          return ctx.node(peer!.node).kind === 'host' ? `/proc/${process.pid}/ns/net` : ctx.ref(peer!.node);
        });
      });
      // The kernel ignores IFLA_IFALIAS on creation: the marker (and a veth peer's up) is a
      // second bulk request per namespace; peers are not brought up by addMany for that reason.
      const peerUp = new Map<string, boolean>();
      const bare = specs.map((s) => {
        if (s.kind !== 'veth' || !s.peer) return s;
        peerUp.set(s.name, s.peer.up ?? false);
        return { ...s, peer: { ...s.peer, up: false } };
      });
      const h = ctx.h(node);
      await bulk(ctx, cs, bare, (items) => h.link.addMany(items, { throwOnError: false }),
        (done) => ({ what: `delete links ${done.map((d) => d.name).join(' ')} in ${node}`, run: () => quiet(() => ctx.h(node).link.delMany(done.map((d) => d.name))) }));
      const alias = linkAlias(model.name);
      const group = linkGroup(model.name);
      await markLinks(ctx, cs, node, specs.map((s) => [s.name, { alias }] as const));
      const byPeerNode = new Map<string, Array<readonly [string, LinkSetSpec]>>();
      cs.forEach((c, i) => {
        const { peer } = c.data as { peer?: IfaceModel };
        const s = specs[i]!;
        if (!peer || s.kind !== 'veth') return;
        const list = byPeerNode.get(peer.node) ?? [];
        list.push([peer.name, { alias, group, ...(peerUp.get(s.name) ? { up: true } : {}) }]);
        byPeerNode.set(peer.node, list);
      });
      for (const [pn, list] of byPeerNode) await markLinks(ctx, cs, pn, list);
      return;
    }
    case 'link-set': {
      const items = cs.map((c) => c.data as { name: string; set: LinkSetSpec; was: LinkSetSpec });
      const h = ctx.h(node);
      await bulk(ctx, cs, items, (xs) => h.link.setMany(xs.map((x) => [x.name, x.set] as const), { throwOnError: false }),
        (done) => ({ what: `restore link settings in ${node}`, run: () => ctx.h(node).link.setMany(done.map((x) => [x.name, x.was] as const)).then(() => undefined) }));
      return;
    }
    case 'address': {
      const specs: AddressSpec[] = cs.map((c) => c.data as AddressSpec);
      const h = ctx.h(node);
      if (cs[0]!.op === '+') {
        await bulk(ctx, cs, specs, (xs) => h.addr.addMany(xs, { throwOnError: false }),
          (done) => ({ what: `delete addresses in ${node}`, run: () => quiet(() => ctx.h(node).addr.delMany(done)) }));
      } else {
        await bulk(ctx, cs, specs, (xs) => h.addr.delMany(xs, { throwOnError: false }),
          (done) => ({ what: `re-add addresses in ${node}`, run: () => ctx.h(node).addr.addMany(done).then(() => undefined) }));
      }
      return;
    }
    case 'route': {
      const h = ctx.h(node);
      if (cs[0]!.op === '+') {
        const specs = cs.map((c) => routeSpec(c.data as RouteModel));
        await bulk(ctx, cs, specs, (xs) => h.route.addMany(xs, { throwOnError: false }),
          (done) => ({ what: `delete routes in ${node}`, run: () => quiet(() => ctx.h(node).route.delMany(done), ['ESRCH', 'ENODEV', 'ENOENT']) }));
      } else {
        const specs = cs.map((c) => liveRouteSpec(c.data as Route));
        await bulk(ctx, cs, specs, (xs) => h.route.delMany(xs, { throwOnError: false }),
          (done) => ({ what: `re-add routes in ${node}`, run: () => ctx.h(node).route.addMany(done).then(() => undefined) }));
      }
      return;
    }
    case 'fdb': {
      for (const c of cs) {
        const { dev, dst } = c.data as { dev: string; dst: string };
        const spec = { mac: '00:00:00:00:00:00', dev, dst, self: true } as const;
        // The flood list is one all-zero MAC with several remotes: each one is appended
        // (`bridge fdb append`; a second `add` of that MAC would be EEXIST).
        if (c.op === '-') {
          try { await ctx.h(node).fdb.del(spec); } catch (err) { throw new StepFailure(c, err); }
          ctx.undo.push({ what: `re-add fdb ${dev} ${dst}`, run: () => ctx.h(node).fdb.append(spec) });
        } else {
          try { await ctx.h(node).fdb.append(spec); } catch (err) { throw new StepFailure(c, err); }
          ctx.undo.push({ what: `delete fdb ${dev} ${dst}`, run: () => quiet(() => ctx.h(node).fdb.del(spec)) });
        }
      }
      return;
    }
    case 'sysctl': {
      const opt = ctx.opt(node);
      const olds: Array<[string, string]> = [];
      for (const c of cs) {
        const { key } = c.data as { key: string };
        try {
          const v = getSysctl(key, opt);
          olds.push([key, Array.isArray(v) ? v.join('\t') : String(v)]);
        } catch (err) {
          throw new StepFailure(c, err);
        }
      }
      // In a namespace the lab does not own, remember the first value of each key in the kernel.
      if (ctx.node(node).kind === 'host') saveSysctls(ctx, node, olds);
      cs.forEach((c, i) => {
        const { key, value } = c.data as { key: string; value: string };
        const old = olds[i]![1];
        try {
          setSysctl(key, value, opt);
        } catch (err) {
          throw new StepFailure(c, err);
        }
        ctx.undo.push({ what: `sysctl ${key}=${old} in ${node}`, run: () => { try { setSysctl(key, old, ctx.opt(node)); } catch (err) { if (!(err instanceof UnknownSysctlError)) throw err; } } });
      });
      return;
    }
    case 'nft': {
      const c = cs[0]!;
      const { want } = c.data as { want: NftDesired | undefined };
      const table = nftTableName(model.name);
      const st = ctx.state(node);
      const before = st.present ? st.nft : undefined;
      const managed = before?.chains.filter((ch) => ch.name !== SAVED_CHAIN) ?? [];
      const saved = before?.chains.some((ch) => ch.name === SAVED_CHAIN) ?? false;
      const existed = ctx.nftTable.get(node) ?? false;
      const commit = (fill: (b: NftBatch) => void): void => {
        const nh = NftHandle.open(ctx.opt(node));
        try {
          const b = nh.batch();
          fill(b);
          b.commitSync();
        } finally {
          nh.close();
        }
      };
      const dropChains = (b: NftBatch, names: readonly string[]): void => {
        for (const name of names) b.flushChain({ family: 'ip', table, name }).deleteChain({ family: 'ip', table, name });
      };
      commit((b) => {
        if (want === undefined && !saved && existed) { b.deleteTable({ family: 'ip', name: table }); return; }
        b.addTable({ family: 'ip', name: table });
        dropChains(b, managed.map((ch) => ch.name));
        if (want !== undefined) nftBatch(b, table, want);
      });
      ctx.nftTable.set(node, want !== undefined || saved);
      ctx.undo.push({
        what: `restore nft table ${table} in ${node}`,
        run: () => commit((b) => {
          if (!existed) { b.deleteTable({ family: 'ip', name: table }); return; }
          b.addTable({ family: 'ip', name: table });
          if (want !== undefined) dropChains(b, want.chains.map((x) => x.chain.name));
          for (const ch of managed) {
            b.addChain({
              family: 'ip', table, name: ch.name, ...(ch.type !== undefined ? { type: ch.type } : {}), ...(typeof ch.hook === 'string' ? { hook: ch.hook } : {}),
              ...(ch.priority !== undefined ? { priority: ch.priority } : {}), ...(ch.policy !== undefined ? { policy: ch.policy } : {}),
            });
          }
          for (const r of before?.rules ?? []) if (r.chain !== SAVED_CHAIN) b.addRule({ family: 'ip', table, chain: r.chain, exprs: r.exprs, ...(r.comment !== undefined ? { comment: r.comment } : {}) });
        }),
      });
      return;
    }
    case 'process': {
      const p = cs[0]!.data as LabProcess;
      const n = ctx.node(node);
      const pid = startProcess(model.name, node, n.kind === 'host' ? undefined : ctx.ref(node), p.name, p.cmd, p.env);
      ctx.undo.push({ what: `stop ${node}/${p.name} (pid ${pid})`, run: () => killProc(pid) });
      return;
    }
  }
}

const reason = (err: unknown): string => {
  if (err instanceof NetlinkError) return `${err.code ?? `errno ${err.errno}`}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
};

/**
 * Converge the kernel to the lab: plan, then run the plan's steps. Idempotent (an applied lab
 * plans no changes). On failure, undoes what this call did, in reverse, and throws LabApplyError.
 */
export async function apply(model: LabModel, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const p = opts.plan ?? await makePlan(model, opts.netnsDir !== undefined ? { netnsDir: opts.netnsDir } : {});
  if (p.conflicts.length > 0) {
    throw new LabApplyError(`lab ${model.name}: nothing done, ${p.conflicts.length} conflict${p.conflicts.length === 1 ? '' : 's'}:\n  ${p.conflicts.join('\n  ')}`, {
      step: -1, object: p.conflicts[0]!.split(':')[0]!, change: '', cause: undefined,
    });
  }
  const steps = stepsOf(p);
  const ctx = new Ctx(model, p, opts.netnsDir);
  try {
    for (const step of steps) {
      opts.onStep?.(step, steps.length);
      try {
        if (opts.failAt === step.index) throw new Error(`injected failure at step ${step.index} (failAt)`);
        await runStep(ctx, step);
      } catch (err) {
        const change = err instanceof StepFailure ? err.change : step.changes[0]!;
        const cause = err instanceof StepFailure ? err.cause : err;
        const rollbackErrors = await rollback(ctx);
        throw new LabApplyError(`lab ${model.name}: step ${step.index} (${step.label}) failed on ${change.object}${change.path ? ` (${change.path})` : ''}: ${reason(cause)}` +
          (rollbackErrors.length ? `; rollback had ${rollbackErrors.length} error(s): ${rollbackErrors.map((e) => e.message).join('; ')}` : '; rolled back'), {
          step: step.index, object: change.object, change: `${change.op} ${change.kind} ${change.object}`, cause, rollbackErrors,
        });
      }
    }
  } finally {
    ctx.close();
  }
  return { plan: p, steps };
}

/** Undo everything recorded, newest first; collect (not throw) what failed. */
async function rollback(ctx: Ctx): Promise<Error[]> {
  const errors: Error[] = [];
  for (const u of ctx.undo.reverse()) {
    try {
      await u.run();
    } catch (err) {
      errors.push(new Error(`${u.what}: ${reason(err)}`, { cause: err }));
    }
  }
  ctx.undo.length = 0;
  return errors;
}
