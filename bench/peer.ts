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
 * resolved before it starts. Everything goes through the library (RouteHandle, typed
 * OutMessage objects); no bytes are written by hand.
 *
 * Mutations (veth, route-add, addr-add) are sent with socket.bulk(): 256 messages per sendmsg,
 * ACK on the last of each chunk (the kernel reports every failure regardless).
 * NETLINK_TS_BULK=1 selects the other extreme: one socket.request() per message, each awaited
 * for its ACK before the next (the request/ACK ping-pong every other peer does).
 * NETLINK_TS_CHUNK=K changes the bulk chunk size.
 *
 *   node dist/bench/peer.js     (only inside a sandbox: tools/sandbox.sh, or the harness)
 */
import { NLM_F_CREATE, NLM_F_EXCL } from '../src/netlink/header.js';
import type { Message, OutMessage } from '../src/netlink/message.js';
import { RouteHandle } from '../src/route/handle.js';
import { IFF } from '../src/route/ifinfomsg.js';
import { RTM_GETROUTE, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWROUTE } from '../src/route/protocol.js';
import { RT_SCOPE, RT_TABLE, RTN, RTPROT } from '../src/route/route.schema.js';

const DEFAULT_N: Record<string, number> = {
  veth: 500, 'route-add': 10000, 'route-dump': 10000, 'addr-add': 2000, 'link-dump': 1000, nat: 200, lab: 50,
};
const WL = process.env['BENCH_WORKLOAD'] ?? '';
const N = Number(process.env['BENCH_N'] || DEFAULT_N[WL] || 0);
const DEV = process.env['BENCH_DEV'] || 'bench0';
const IMPL = process.env['BENCH_IMPL_NAME'] || 'netlink-ts';
const PING = process.env['NETLINK_TS_BULK'] === '1';
const CHUNK = Number(process.env['NETLINK_TS_CHUNK'] || 256);

const AF_INET = 2;
const NEW = NLM_F_CREATE | NLM_F_EXCL;

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

/** A route as the caller sees it (what `ip route` prints per line). */
interface Route {
  readonly family: number;
  readonly dst: string | undefined;
  readonly dstLen: number;
  readonly gateway: string | undefined;
  readonly oif: number | undefined;
  readonly table: number;
  readonly protocol: number;
  readonly scope: number;
  readonly type: number;
  readonly priority: number | undefined;
  readonly prefsrc: string | undefined;
}

function toRoute(m: Message): Route {
  const h = m.header as { family: number; dst_len: number; table: number; protocol: number; scope: number; type: number };
  const a = (m.attrs ?? {}) as { dst?: string; gateway?: string; oif?: number; table?: number; priority?: number; prefsrc?: string };
  return {
    family: h.family, dst: a.dst, dstLen: h.dst_len, gateway: a.gateway, oif: a.oif, table: a.table ?? h.table,
    protocol: h.protocol, scope: h.scope, type: h.type, priority: a.priority, prefsrc: a.prefsrc,
  };
}

/** Send mutations: bulk (default) or one awaited request per message (NETLINK_TS_BULK=1). */
async function send(h: RouteHandle, msgs: readonly OutMessage[]): Promise<void> {
  if (PING) {
    for (const m of msgs) await h.socket.request(m);
  } else {
    await h.socket.bulk(msgs, { ack: 'last', chunk: CHUNK });
  }
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
    switch (WL) {
      case 'veth': {
        // IFF_UP on both ends of the creating RTM_NEWLINK is refused (ENOTCONN) by this kernel:
        // the A end comes up at creation, the B ends with a second RTM_NEWLINK each.
        const up = { family: 0, type: 0, index: 0, flags: IFF.IFF_UP, change: IFF.IFF_UP };
        const none = { family: 0, type: 0, index: 0, flags: 0, change: 0 };
        t0 = process.hrtime.bigint();
        const msgs: OutMessage[] = [];
        for (let i = 0; i < N; i++) {
          msgs.push({
            type: RTM_NEWLINK, flags: NEW, header: up,
            attrs: { ifname: `vethA${i}`, linkinfo: { kind: 'veth', data: { peer: { header: none, attrs: { ifname: `vethB${i}` } } } } },
          });
        }
        for (let i = 0; i < N; i++) msgs.push({ type: RTM_NEWLINK, flags: 0, header: up, attrs: { ifname: `vethB${i}` } });
        await send(h, msgs);
        break;
      }
      case 'route-add': {
        const oif = (await h.link.get(DEV)).index;
        const header = {
          family: AF_INET, dst_len: 32, src_len: 0, tos: 0, table: RT_TABLE.RT_TABLE_MAIN, protocol: RTPROT.RTPROT_BOOT,
          scope: RT_SCOPE.RT_SCOPE_UNIVERSE, type: RTN.RTN_UNICAST, flags: 0,
        };
        t0 = process.hrtime.bigint();
        const msgs: OutMessage[] = new Array(N);
        for (let i = 0; i < N; i++) {
          msgs[i] = { type: RTM_NEWROUTE, flags: NEW, header, attrs: { dst: ip4('172.16.0.0', i + 1), gateway: '10.0.0.2', oif } };
        }
        await send(h, msgs);
        break;
      }
      case 'route-dump': {
        // With NETLINK_GET_STRICT_CHK (the socket default) rtm_table filters the dump in the
        // kernel: only table main comes back, not the local table.
        const req: OutMessage = {
          type: RTM_GETROUTE, flags: 0,
          header: { family: AF_INET, dst_len: 0, src_len: 0, tos: 0, table: RT_TABLE.RT_TABLE_MAIN, protocol: 0, scope: 0, type: 0, flags: 0 },
        };
        const useStream = process.env['NETLINK_TS_DUMP'] === 'stream';
        t0 = process.hrtime.bigint();
        let count = 0, withDst = 0, notMain = 0;
        const touch = (r: Route): void => {
          count++;
          if (r.dst !== undefined && r.dst.length > 0) withDst++;
          if (r.table !== RT_TABLE.RT_TABLE_MAIN) notMain++;
        };
        if (useStream) {
          for await (const m of h.socket.stream(req)) touch(toRoute(m));
        } else {
          const routes = (await h.socket.dump(req)).map(toRoute);
          for (const r of routes) touch(r);
        }
        out['count'] = count;
        out['with_dst'] = withDst;
        if (notMain) out['not_main'] = notMain;
        out['dump'] = useStream ? 'stream' : 'array';
        break;
      }
      case 'addr-add': {
        const index = (await h.link.get(DEV)).index;
        t0 = process.hrtime.bigint();
        const msgs: OutMessage[] = new Array(N);
        for (let i = 0; i < N; i++) {
          const a = ip4('10.100.0.0', i + 1);
          msgs[i] = {
            type: RTM_NEWADDR, flags: NEW,
            header: { family: AF_INET, prefixlen: 32, flags: 0, scope: RT_SCOPE.RT_SCOPE_UNIVERSE, index },
            attrs: { local: a, address: a },
          };
        }
        await send(h, msgs);
        break;
      }
      case 'link-dump': {
        t0 = process.hrtime.bigint();
        const links = await h.link.list();
        out['count'] = links.length;
        break;
      }
    }
    out['ms'] = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(JSON.stringify(out));
  }
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  h.close();
}
