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

// Issue 17, second half: what was left (~0.28 KB of RSS per soak operation, heap flat) was
// ref-napi's native registry of every Buffer whose address it is asked for, whose entry for a
// Buffer used twice is never erased. The backend now copies pointer arguments through scratch
// memory of its own, so no Buffer of the caller's reaches ref-napi: watched here by wrapping
// ref-napi's _writePointer (the module object the backend calls through) and ffi-napi's
// ffi_call/ffi_call_async, and recording every Buffer they are handed.
t.test('ffi-napi: no Buffer of the caller reaches ref-napi or ffi_call', async (t) => {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const ffiPath = require.resolve('@2060.io/ffi-napi');
  const ref = createRequire(ffiPath)('@2060.io/ref-napi') as { _writePointer: (...a: unknown[]) => void };
  const bindings = createRequire(ffiPath)('./bindings.js') as { ffi_call: (...a: unknown[]) => void; ffi_call_async: (...a: unknown[]) => void };
  const seen = new Set<ArrayBufferLike>();
  const record = (a: unknown[]): void => { for (const x of a) if (Buffer.isBuffer(x)) seen.add(x.buffer); };
  const orig = { wp: ref._writePointer, call: bindings.ffi_call, callAsync: bindings.ffi_call_async };
  ref._writePointer = (...a: unknown[]) => { record(a); return orig.wp(...a); };
  bindings.ffi_call = (...a: unknown[]) => { record(a); return orig.call(...a); };
  bindings.ffi_call_async = (...a: unknown[]) => { record(a); return orig.callAsync(...a); };
  t.teardown(() => { ref._writePointer = orig.wp; bindings.ffi_call = orig.call; bindings.ffi_call_async = orig.callAsync; });

  const lib = loadBackend('ffi-napi');
  // Caller Buffers made with Buffer.alloc (each its own ArrayBuffer, never the shared pool).
  const mine: Buffer[] = [];
  const own = (n: number): Buffer => { const b = Buffer.alloc(n); mine.push(b); return b; };
  const fd = lib.socket(16, 3 | 0x80000, 0);
  t.teardown(() => lib.close(fd));
  const sa = own(12);
  sa.writeUInt16LE(16, 0);
  lib.bind(fd, sa);
  t.equal(lib.getsockname(fd, sa), 12, 'getsockname: sockaddr_nl length back');
  t.ok(sa.readUInt32LE(4) > 0, 'getsockname: the port id was copied back into the caller\'s Buffer');
  const one = own(4);
  one.writeInt32LE(1);
  lib.setsockopt(fd, 270 /* SOL_NETLINK */, 11 /* NETLINK_EXT_ACK */, one);
  const val = own(4);
  t.equal(lib.getsockopt(fd, 270, 11, val), 4, 'getsockopt length');
  t.equal(val.readInt32LE(0), 1, 'getsockopt value copied back');
  const req = own(32);
  req.writeUInt32LE(32, 0); req.writeUInt16LE(18, 4); req.writeUInt16LE(1, 6); req.writeInt32LE(7, 8); req.writeInt32LE(1, 20);
  // Two iovec entries: sendmsg gathers them into one datagram.
  t.equal(lib.sendmsg(fd, [req.subarray(0, 16), req.subarray(16)], null, 0), 32, 'sendmsg of two iovecs sent 32 bytes');
  const fds = own(8);
  fds.writeInt32LE(fd, 0); fds.writeInt16LE(1 /* POLLIN */, 4);
  t.equal(await lib.pollAsync(fds, 1, 5000), 1, 'pollAsync: readable');
  t.equal(fds.readInt16LE(6) & 1, 1, 'pollAsync: revents copied back');
  const buf = own(65536), from = own(12);
  const got = lib.recvmsg(fd, buf, 0, from);
  t.ok(got.bytes > 16 && buf.readUInt16LE(4) === 16 && buf.readUInt32LE(8) === 7, 'recvmsg: the RTM_NEWLINK reply to seq 7, copied into the caller\'s Buffer');
  t.equal(got.addrLen, 12, 'recvmsg: sender address length');
  t.equal(from.readUInt16LE(0), 16, 'recvmsg: sender address copied back (AF_NETLINK)');
  req.writeInt32LE(8, 8);
  lib.sendto(fd, req, 32, 0, null);
  const n = lib.recvfrom(fd, buf, buf.length, 0, from);
  t.ok(n > 16 && buf.readUInt32LE(8) === 8, 'sendto/recvfrom round trip');
  const leaked = mine.filter((b) => seen.has(b.buffer));
  t.equal(leaked.length, 0, `none of the caller's ${mine.length} Buffers was handed to ref-napi/ffi_call (${seen.size} Buffers of the backend's own were)`);
});
