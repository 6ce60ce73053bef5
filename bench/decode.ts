/**
 * Decode cost alone: record the datagrams of one RTM_GETLINK dump of N ifb links (as W5 of
 * the peer bench), then decode them again and again in-process — no syscalls — and report
 * the best µs per link of several batches. Separates our decoder from kernel and FFI time.
 * Creates devices: run it in the sandbox (bench/run.sh does).
 *   node dist/bench/decode.js [N] [batches]
 */
import { CLONE_NEWNET, loadBackend } from '../src/ffi/libc.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../src/netlink/header.js';
import { decodeMessage, splitMessages } from '../src/netlink/message.js';
import { RecordingTransport } from '../src/netlink/replay.js';
import { LiveTransport } from '../src/netlink/transport.js';
import { RouteHandle } from '../src/route/handle.js';
import { RTM_NEWLINK, rtnetlink } from '../src/route/protocol.js';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') throw new Error('creates devices: run inside tools/sandbox.sh');
const N = Number(process.argv[2] ?? 1000);
const BATCHES = Number(process.argv[3] ?? 8);
loadBackend('koffi').unshare(CLONE_NEWNET);

const hdr = { family: 0, type: 0, index: 0, flags: 0, change: 0 };
const setup = RouteHandle.open();
await setup.socket.bulk(Array.from({ length: N }, (_, i) => ({
  type: RTM_NEWLINK, flags: NLM_F_CREATE | NLM_F_EXCL, header: hdr, attrs: { ifname: `bd${i}`, linkinfo: { kind: 'ifb' } },
})));
setup.close();

const rec = new RecordingTransport(new LiveTransport(rtnetlink.id));
const h = RouteHandle.open({ transport: rec });
await h.link.list();
h.close();
const dgrams = rec.frames.filter((f) => f.dir === 'recv').map((f) => f.bytes);
const bytes = dgrams.reduce((a, b) => a + b.length, 0);

let best = Infinity, links = 0;
for (let k = 0; k < BATCHES; k++) {
  const t0 = process.hrtime.bigint();
  links = 0;
  for (let r = 0; r < 50; r++) {
    for (const d of dgrams) {
      for (const [a, b] of splitMessages(d)) {
        if (d.readUInt16LE(a + 4) === RTM_NEWLINK) { decodeMessage(rtnetlink, d, a, b); links++; }
      }
    }
  }
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e3 / links);
}
console.log(JSON.stringify({ bench: 'decode', what: 'RTM_NEWLINK (ifb, stats included)', links: links / 50, datagrams: dgrams.length, bytes_per_link: Math.round(bytes / (links / 50)), best_us_per_link: +best.toFixed(2) }));
