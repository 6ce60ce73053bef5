/**
 * Encode cost alone: two-pass encoding (size + write into one Buffer) of N RTM_NEWROUTE
 * messages shaped like W2 of the peer bench (`172.16.x.y/32 via 10.0.0.2 dev bench0`), the
 * per-message work netlink-ts adds to a bulk request. No syscalls, no privileges.
 *   node dist/bench/encode.js [N] [batches]
 */
import { NLM_F_CREATE, NLM_F_EXCL } from '../src/netlink/header.js';
import { type OutMessage, encodeMessages } from '../src/netlink/message.js';
import { RTM_NEWROUTE, rtnetlink } from '../src/route/protocol.js';

const N = Number(process.argv[2] ?? 10_000);
const BATCHES = Number(process.argv[3] ?? 10);
const ip = (i: number): string => { const v = 0xac100000 + i + 1; return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`; };
const msgs: OutMessage[] = Array.from({ length: N }, (_, i) => ({
  type: RTM_NEWROUTE, flags: NLM_F_CREATE | NLM_F_EXCL,
  header: { family: 2, dst_len: 32, src_len: 0, tos: 0, table: 254, protocol: 3, scope: 0, type: 1, flags: 0 },
  attrs: { dst: ip(i), gateway: '10.0.0.2', oif: 2 },
}));
let best = Infinity, bytes = 0;
for (let k = 0; k < BATCHES; k++) {
  const t0 = process.hrtime.bigint();
  bytes = encodeMessages(rtnetlink, msgs).buf.length;
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
}
console.log(JSON.stringify({ bench: 'encode', what: 'RTM_NEWROUTE dst/gateway/oif', n: N, bytes, best_ms: +best.toFixed(2), us_per_msg: +(best * 1000 / N).toFixed(3) }));
