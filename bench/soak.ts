/**
 * Soak (issue 17 item 12): N (default 100,000) mixed operations under one FFI backend, in the
 * sandbox's namespace — link list/set mtu, address add/del, route add/del, neighbour add/del, a
 * route get, an nft commit (add + delete a table) and a handle open/close — printing fd count,
 * RSS and heap every 10k operations. Flat after warm-up is the pass mark: the run exits 1 if RSS
 * at the end exceeds RSS at 20k by more than 64 MiB, or any fd is left over.
 * Run with --expose-gc to add a column of the heap right after a full GC (what is really
 * retained, as opposed to garbage not collected yet).
 *   tools/sandbox.sh node --expose-gc dist/bench/soak.js [N] [koffi|ffi-napi]
 */
import { readdirSync } from 'node:fs';
import { type BackendName, loadBackend } from '../src/ffi/libc.js';
import { NftHandle } from '../src/nft/handle.js';
import { RouteHandle } from '../src/route/handle.js';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') throw new Error('changes network state: run inside tools/sandbox.sh');
const N = Number(process.argv[2] ?? 100_000);
const backend = (process.argv[3] ?? 'koffi') as BackendName;
const lib = loadBackend(backend);
const fds = (): number => readdirSync('/proc/self/fd').length;
const mib = (n: number): string => (n / 1048576).toFixed(1);

const h = RouteHandle.open({ libc: lib });
const nft = NftHandle.open({ libc: lib });
await h.link.add({ name: 'soak0', kind: 'bridge' });
await h.link.set('soak0', { up: true });
const idx = (await h.link.list()).find((l) => l.name === 'soak0')!.index;
const fd0 = fds();
const rows: string[] = [];
let rss20k = 0;
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const k = i % 10;
  const a = `10.77.${(i >> 8) & 255}.${(i & 255) || 1}`;
  switch (k) {
    case 0: await h.link.list(); break;
    case 1: await h.link.set(idx, { mtu: 1400 + (i % 100) }); break;
    case 2: await h.addr.add({ dev: idx, address: `${a}/32` }); break;
    case 3: await h.addr.del({ dev: idx, address: `${a.replace(/\.\d+$/, '')}.${((i - 1) & 255) || 1}/32` }).catch(() => undefined); break;
    case 4: await h.route.add({ dst: `10.${100 + ((i >> 16) & 7)}.${(i >> 8) & 255}.0/24`, dev: idx, table: 200 }).catch(() => undefined); break;
    case 5: await h.route.del({ dst: `10.${100 + (((i - 1) >> 16) & 7)}.${((i - 1) >> 8) & 255}.0/24`, dev: idx, table: 200 }).catch(() => undefined); break;
    case 6: await h.neigh.add({ dst: '10.77.255.9', dev: idx, lladdr: '02:00:00:00:00:09', state: 'permanent' }).catch(() => undefined); await h.neigh.del({ dst: '10.77.255.9', dev: idx }); break;
    case 7: await nft.batch().addTable({ family: 'ip', name: 'soak' }).deleteTable({ family: 'ip', name: 'soak' }).commit(); break;
    case 8: { const x = RouteHandle.open({ libc: lib }); await x.link.get(idx).catch(() => undefined); x.close(); break; }
    case 9: await h.route.list({ table: 200 }); break;
  }
  if ((i + 1) % 10_000 === 0) {
    const m = process.memoryUsage();
    const gc = (globalThis as { gc?: () => void }).gc;
    let after = '–';
    if (gc) { gc(); after = mib(process.memoryUsage().heapUsed); }
    if (i + 1 === 20_000) rss20k = m.rss;
    rows.push(`| ${i + 1} | ${fds() - fd0} | ${mib(m.rss)} | ${mib(m.heapUsed)} | ${after} | ${mib(m.external)} | ${((performance.now() - t0) / 1000).toFixed(0)} |`);
    process.stderr.write(`${backend} ${rows.at(-1)}\n`);
  }
}
const end = process.memoryUsage().rss;
await h.link.del('soak0');
h.close();
nft.close();
console.log(`### soak: ${N} mixed operations, ${backend}\n\n| ops | fds over start | RSS MiB | heap MiB | heap after GC MiB | external MiB | s |\n|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`);
const growth = rss20k ? (end - rss20k) / 1048576 : 0;
const left = fds() - fd0 + 2; // the two handles above are closed
console.log(`RSS growth after 20k: ${growth.toFixed(1)} MiB; fds left over: ${left} (the shared poller's eventfd stays open)`);
process.exitCode = growth > 64 || left > 1 ? 1 : 0;
