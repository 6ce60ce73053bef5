// Issue 17 item 1: the ffi-napi backend kept ~1 KB of heap and ~6 KB of RSS per call with a
// pointer argument (ffi-napi's wrapper pins each argument with a napi reference freed by a
// finalizer that a synchronous call sequence never lets run). Our calls now reuse their argument
// slots and write pointers without pinning (src/ffi/ffi-napi.ts fastCall). 20k rounds of
// getsockname + sendmsg + recvmsg on a netlink socket of this process (a GETLINK of lo: no state
// changes, no privileges) without yielding: before the fix RSS grew by ~400 MiB, now by a few.
import t from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';

for (const backend of ['ffi-napi', 'koffi'] as const) {
  t.test(`${backend}: 20k synchronous rounds of pointer-argument calls keep RSS and heap flat`, async (t) => {
    const lib = loadBackend(backend);
    const fd = lib.socket(16 /* AF_NETLINK */, 3 /* SOCK_RAW */ | 0x80000 /* SOCK_CLOEXEC */, 0 /* NETLINK_ROUTE */);
    t.teardown(() => lib.close(fd));
    const sa = Buffer.alloc(12);
    sa.writeUInt16LE(16, 0);
    lib.bind(fd, sa);
    const buf = Buffer.alloc(65536);
    const round = (): void => {
      lib.getsockname(fd, sa);
      const r = Buffer.alloc(32);
      r.writeUInt32LE(32, 0); r.writeUInt16LE(18 /* RTM_GETLINK */, 4); r.writeUInt16LE(1 /* NLM_F_REQUEST */, 6); r.writeInt32LE(1, 20);
      lib.sendmsg(fd, [r], null, 0);
      const got = lib.recvmsg(fd, buf, 0, null);
      if (got.bytes < 16 || buf.readUInt16LE(4) !== 16 /* RTM_NEWLINK */) throw new Error(`unexpected reply (${got.bytes} bytes, type ${buf.readUInt16LE(4)})`);
    };
    for (let i = 0; i < 2000; i++) round(); // warm-up
    await new Promise((r) => setImmediate(r));
    const rss0 = process.memoryUsage().rss, heap0 = process.memoryUsage().heapUsed;
    for (let i = 0; i < 20_000; i++) round();
    await new Promise((r) => setImmediate(r));
    const drss = (process.memoryUsage().rss - rss0) / 1048576, dheap = (process.memoryUsage().heapUsed - heap0) / 1048576;
    t.ok(drss < 48, `RSS grew ${drss.toFixed(1)} MiB (was ~400 MiB for ffi-napi before the fix)`);
    t.ok(dheap < 32, `heap grew ${dheap.toFixed(1)} MiB`);
  });
}
