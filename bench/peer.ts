#!/usr/bin/env node
/**
 * netlink-ts as an implementation for the shared peer benchmark harness (shared/bench, see its
 * README "Adding an implementation"). The harness runs this once per run, inside a throwaway
 * netns that already holds the workload's pre-state:
 *
 *   BENCH_WORKLOAD  veth | route-add | route-dump | addr-add | link-dump | nat | lab (startup → exit 3)
 *   BENCH_LAB_KEEP=1  lab: skip the teardown (the harness's correctness check)
 *   NETLINK_TS_LAB_FAST=1  lab: the hand-written calls instead of the topology layer (validateLab + apply + destroy)
 *   BENCH_N         N;  BENCH_DEV  the pre-created device (bench0);  BENCH_IMPL_NAME  echoed back
 *
 * and reads ONE JSON line: {"impl","workload","n","ms","timer":"inproc",...}. `ms` is an
 * in-process monotonic timer around the workload only: the socket is open and the device index
 * resolved before it starts. Everything goes through the public typed API (h.link, h.addr,
 * h.route), exactly as a user would write it.
 *
 * Mutations (veth, route-add, addr-add) use addMany(): 256 messages per sendmsg, ACK on the
 * last of each chunk (the kernel reports every failure regardless).
 * NETLINK_TS_BULK=1 selects the other extreme: one add() per item, each awaited for its ACK
 * before the next (the request/ACK ping-pong every other peer does).
 * NETLINK_TS_CHUNK=K changes the bulk chunk size.
 *
 *   node dist/bench/peer.js     (only inside a sandbox: tools/sandbox.sh, or the harness)
 */
import type * as Lib from '../src/index.js';
import type { Route } from '../src/index.js';

// The library as a user imports it (`import … from 'netlink-ts'`): the published bundle.
// NETLINK_TS_UNBUNDLED=1 loads tsc's module-by-module build instead (same code).
const lib = await import(process.env['NETLINK_TS_UNBUNDLED'] === '1' ? '../src/index.js' : '../bundle/index.js') as typeof Lib;
const { RouteHandle, addNetns, deleteNetns, NftHandle, addNatPlan: addPlan, masqueradePlan, nftRuleText: ruleText } = lib;

const DEFAULT_N: Record<string, number> = {
  veth: 500, 'route-add': 10000, 'route-dump': 10000, 'addr-add': 2000, 'link-dump': 1000, nat: 200, lab: 50,
};
const WL = process.env['BENCH_WORKLOAD'] ?? '';
const N = Number(process.env['BENCH_N'] || DEFAULT_N[WL] || 0);
const DEV = process.env['BENCH_DEV'] || 'bench0';
const IMPL = process.env['BENCH_IMPL_NAME'] || 'netlink-ts';
const PING = process.env['NETLINK_TS_BULK'] === '1';
const CHUNK = Number(process.env['NETLINK_TS_CHUNK'] || 256);


const SKIP: Record<string, string> = {
  startup: 'start-up baseline: rejected after loading the library and opening the socket',
};

/** The dotted quads base+1 … base+n (integer arithmetic, as the C and Go peers build theirs). */
function ip4s(base: string, n: number): string[] {
  const b = base.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const out = new Array<string>(n);
  for (let k = 0; k < n; k++) {
    const v = (b + k + 1) >>> 0;
    out[k] = `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  return out;
}

const out: Record<string, unknown> = { impl: IMPL, workload: WL, n: N };
const h = RouteHandle.open();
try {
  if (SKIP[WL] !== undefined || !(WL in DEFAULT_N)) {
    out['skip'] = SKIP[WL] ?? `unknown workload ${JSON.stringify(WL)}`;
    console.log(JSON.stringify(out));
    process.exitCode = 3;
  } else {
    out['timer'] = 'inproc';
    const mutates = WL === 'veth' || WL === 'route-add' || WL === 'addr-add';
    if (mutates) out['mode'] = PING ? 'request-per-op' : `bulk(chunk ${CHUNK}, ack last)`;
    let t0 = 0n;
    let cpu0: NodeJS.CpuUsage = process.cpuUsage();
    switch (WL) {
      case 'veth': {
        // The kernel refuses IFF_UP on both ends of the creating RTM_NEWLINK (ENOTCONN):
        // link.addMany brings the A ends up at creation and the B ends with a second batch.
        t0 = process.hrtime.bigint(); cpu0 = process.cpuUsage();
        const specs = Array.from({ length: N }, (_, i) => ({ name: `vethA${i}`, kind: 'veth' as const, up: true, peer: { name: `vethB${i}`, up: true } }));
        if (PING) for (const s of specs) await h.link.add(s);
        else await h.link.addMany(specs, { chunk: CHUNK });
        break;
      }
      case 'route-add': {
        const oif = await h.link.index(DEV);
        t0 = process.hrtime.bigint(); cpu0 = process.cpuUsage();
        const dsts = ip4s('172.16.0.0', N);
        const specs = dsts.map((dst) => ({ dst, via: '10.0.0.2', dev: oif }));
        if (PING) for (const s of specs) await h.route.add(s);
        else await h.route.addMany(specs, { chunk: CHUNK });
        break;
      }
      case 'route-dump': {
        // The dump is filtered in the kernel (strict checking): table main, IPv4.
        t0 = process.hrtime.bigint(); cpu0 = process.cpuUsage();
        let count = 0, withDst = 0;
        const touch = (r: Route): void => {
          count++;
          if (r.dst.length > 0) withDst++;
        };
        if (process.env['NETLINK_TS_DUMP'] === 'stream') for await (const r of h.route.stream({ family: 4 })) touch(r);
        else for (const r of await h.route.list({ family: 4 })) touch(r);
        out['count'] = count;
        out['with_dst'] = withDst;
        break;
      }
      case 'addr-add': {
        const index = await h.link.index(DEV);
        t0 = process.hrtime.bigint(); cpu0 = process.cpuUsage();
        const specs = ip4s('10.100.0.0', N).map((a) => ({ dev: index, address: `${a}/32` }));
        if (PING) for (const s of specs) await h.addr.add(s);
        else await h.addr.addMany(specs, { chunk: CHUNK });
        break;
      }
      case 'nat': {
        // W6: K transactions on ONE nfnetlink socket (closing one right after a commit that
        // deleted something costs an RCU grace period, ~11 ms): delete table ip nat (not in
        // iteration 0), add table + chain postrouting (nat, priority 100) + the masquerade rule,
        // one atomic batch; then list tables, chains and rules back and check them. All K timed.
        const SEED = 'ip saddr 192.168.15.0/24 oifname != "br0" masquerade';
        t0 = process.hrtime.bigint(); cpu0 = process.cpuUsage();
        const nft = NftHandle.open();
        try {
          const plan = masqueradePlan({ source: '192.168.15.0/24', notOutputInterface: 'br0', priority: 100 });
          let count = 0;
          for (let i = 0; i < N; i++) {
            const b = nft.batch();
            if (i > 0) b.deleteTable({ family: 'ip', name: 'nat' });
            await addPlan(b, plan).commit();
            const [tables, chains, rules] = [await nft.tables(), await nft.chains(), await nft.rules()];
            if (tables.length !== 1 || chains.length !== 1 || chains[0]!.hook !== 'postrouting' || rules.length !== 1 || ruleText(rules[0]!) !== SEED) {
              throw new Error(`nat iteration ${i}: unexpected ruleset`);
            }
            count++;
          }
          out['count'] = count;
        } finally {
          nft.close();
        }
        break;
      }
      case 'lab': {
        if (process.env['NETLINK_TS_LAB_FAST'] !== '1') {
          // W7 through the topology layer, as a lab file would say it (the default): one spec —
          // bridge br0 192.168.0.1/16 in this namespace, per i a netns node lab<i> with a veth
          // vh<i> (on br0) ↔ vn<i> 192.168.(1+(i>>8)).(i&255)/16 and default via 192.168.0.1 —
          // validated, applied (veth peers born in their namespace, bulk requests per step),
          // and destroyed (its links by their link group, its namespaces by their markers).
          // Timed: validateLab + apply (+ destroy). NETLINK_TS_LAB_FAST=1: the hand-written calls.
          // The same build as the rest (one copy of the FFI layer): the bundle's topology entry.
          const topo = await import(process.env['NETLINK_TS_UNBUNDLED'] === '1' ? '../src/topology/index.js' : '../bundle/topology.js') as typeof import('../src/topology/index.js');
          const nodes: Record<string, { kind: 'host' | 'netns' }> = { host: { kind: 'host' } };
          const links: unknown[] = [], routes: unknown[] = [];
          for (let i = 1; i <= N; i++) {
            nodes[`lab${i}`] = { kind: 'netns' };
            links.push({ kind: 'veth', a: { node: 'host', ifname: `vh${i}`, master: 'br0' }, b: { node: `lab${i}`, ifname: `vn${i}`, addresses: [`192.168.${1 + (i >> 8)}.${i & 255}/16`] } });
            routes.push({ node: `lab${i}`, dst: 'default', via: '192.168.0.1' });
          }
          const spec = { name: 'w7', nodes, bridges: [{ name: 'br0', node: 'host', addresses: ['192.168.0.1/16'] }], links, routes };
          out['mode'] = 'topology';
          t0 = process.hrtime.bigint(); cpu0 = process.cpuUsage();
          const model = topo.validateLab(spec);
          await topo.apply(model);
          if (process.env['BENCH_LAB_KEEP'] !== '1') await topo.destroy(model);
          break;
        }
        out['mode'] = 'hand-written';
        // W7: br0 192.168.0.1/16; per i = 1..M a named netns lab<i>, veth vh<i> (on br0, up) whose
        // peer vn<i> is created directly inside lab<i> (no move), and inside: lo up, vn<i> up,
        // 192.168.(1+(i>>8)).(i&255)/16, default via 192.168.0.1. br0 and the vh<i> are created in
        // link group 99, so the teardown deletes them all with ONE request (`ip link del group 99`:
        // the kernel unregisters them as one batch, one RCU grace period instead of one each; each
        // veth takes its peer along), then the namespaces.
        const M = N;
        const ids = Array.from({ length: M }, (_, k) => k + 1);
        t0 = process.hrtime.bigint(); cpu0 = process.cpuUsage();
        await h.link.add({ name: 'br0', kind: 'bridge', up: true, group: 99 });
        await h.addr.add({ dev: 'br0', address: '192.168.0.1/16' });
        for (const i of ids) addNetns(`lab${i}`);
        await h.link.addMany(ids.map((i) => ({ name: `vh${i}`, kind: 'veth' as const, up: true, group: 99, master: 'br0', peer: { name: `vn${i}`, netns: `lab${i}`, up: true } })));
        for (const i of ids) {
          const n = RouteHandle.open({ netns: `lab${i}` });
          try {
            await n.link.set(1, { up: true }); // lo is ifindex 1 in every netns
            await n.addr.add({ dev: `vn${i}`, address: `192.168.${1 + (i >> 8)}.${i & 255}/16` });
            await n.route.add({ dst: 'default', via: '192.168.0.1' });
          } finally {
            n.close();
          }
        }
        if (process.env['BENCH_LAB_KEEP'] !== '1') {
          await h.link.delGroup(99);
          for (const i of ids) deleteNetns(`lab${i}`);
        }
        break;
      }
      case 'link-dump': {
        t0 = process.hrtime.bigint(); cpu0 = process.cpuUsage();
        const links = await h.link.list();
        out['count'] = links.length;
        break;
      }
    }
    out['ms'] = Number(process.hrtime.bigint() - t0) / 1e6;
    // CPU time of the whole process (all threads, user + system) over the same span: steadier
    // than wall time on a shared machine, and it includes the kernel's work in our syscalls.
    const cpu = process.cpuUsage(cpu0);
    out['cpu_ms'] = (cpu.user + cpu.system) / 1000;
    // The system part is mostly the kernel doing the work we asked for (sendmsg runs the
    // request handlers, recvmsg fills dumps): the floor no user-space change can lower.
    out['sys_ms'] = cpu.system / 1000;
    console.log(JSON.stringify(out));
  }
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  h.close();
}
