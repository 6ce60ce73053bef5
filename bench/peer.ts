#!/usr/bin/env node
/**
 * netlink-ts as an implementation for the shared peer benchmark harness (shared/bench, see its
 * README "Adding an implementation"). The harness runs this once per run, inside a throwaway
 * netns that already holds the workload's pre-state:
 *
 *   BENCH_WORKLOAD  veth | route-add | route-dump | addr-add | link-dump (nat, lab, startup → exit 3)
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
import { RouteHandle } from '../src/route/handle.js';
import type { Route } from '../src/route/route-decode.js';

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
  nat: 'nftables (nfnetlink) API not implemented yet',
  lab: 'named network namespaces / netns moves not implemented yet',
};

/** base (dotted quad) + k, as a dotted quad. */
function ip4(base: string, k: number): string {
  const v = (base.split('.').reduce((a, o) => a * 256 + Number(o), 0) + k) >>> 0;
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
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
        const specs = Array.from({ length: N }, (_, i) => ({ dst: ip4('172.16.0.0', i + 1), via: '10.0.0.2', dev: oif }));
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
        const specs = Array.from({ length: N }, (_, i) => ({ dev: index, address: `${ip4('10.100.0.0', i + 1)}/32` }));
        if (PING) for (const s of specs) await h.addr.add(s);
        else await h.addr.addMany(specs, { chunk: CHUNK });
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
    console.log(JSON.stringify(out));
  }
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  h.close();
}
