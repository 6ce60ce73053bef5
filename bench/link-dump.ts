/**
 * Link-dump throughput: dumps per second of a namespace holding N links (default 1000 ifb
 * devices `bd<i>` + lo, as the shared peer bench's W5), decoded into Link objects, under each
 * FFI backend; `ip -j link show` in the same run for scale. KIND=bridge makes bridges instead
 * (each carries ~50 IFLA_BR_* attributes). Creates devices: run it in the sandbox (bench/run.sh).
 *   node dist/bench/link-dump.js [N] [reps] [kind]
 */
import { execFileSync } from 'node:child_process';
import { BACKENDS, CLONE_NEWNET, loadBackend } from '../src/ffi/libc.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../src/netlink/header.js';
import { RouteHandle } from '../src/route/handle.js';
import { RTM_NEWLINK } from '../src/route/protocol.js';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') throw new Error('creates devices: run inside tools/sandbox.sh');
const N = Number(process.argv[2] ?? 1000);
const REPS = Number(process.argv[3] ?? 30);
const KIND = process.argv[4] ?? 'ifb';
loadBackend('koffi').unshare(CLONE_NEWNET); // a fresh, empty netns of our own

const hdr = { family: 0, type: 0, index: 0, flags: 0, change: 0 };
const setup = RouteHandle.open();
await setup.socket.bulk(Array.from({ length: N }, (_, i) => ({
  type: RTM_NEWLINK, flags: NLM_F_CREATE | NLM_F_EXCL, header: hdr, attrs: { ifname: `bd${i}`, linkinfo: { kind: KIND } },
})));
setup.close();

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const backend of BACKENDS) {
  const h = RouteHandle.open({ libc: loadBackend(backend) });
  const ms: number[] = [];
  let count = 0;
  for (let r = 0; r < REPS + 3; r++) {
    const t0 = process.hrtime.bigint();
    const links = await h.link.list();
    const dt = Number(process.hrtime.bigint() - t0) / 1e6;
    count = links.length;
    if (r >= 3) ms.push(dt); // first reps warm the JIT
  }
  h.close();
  const m = median(ms);
  console.log(JSON.stringify({ bench: 'link-dump', kind: KIND, impl: `netlink-ts/${backend}`, links: count, median_ms: +m.toFixed(3), dumps_per_s: +(1000 / m).toFixed(1) }));
}

const ipMs: number[] = [];
for (let r = 0; r < Math.min(REPS, 10); r++) {
  const t0 = process.hrtime.bigint();
  execFileSync('ip', ['-j', 'link', 'show'], { maxBuffer: 64 << 20 });
  ipMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
console.log(JSON.stringify({ bench: 'link-dump', kind: KIND, impl: 'ip -j link show (process, incl. exec)', links: N + 1, median_ms: +median(ipMs).toFixed(3), dumps_per_s: +(1000 / median(ipMs)).toFixed(1) }));
