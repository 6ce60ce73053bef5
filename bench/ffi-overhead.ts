/**
 * Per-call FFI overhead of each backend, on calls whose kernel work is negligible:
 *   getpid()                      — 0 arguments' worth of kernel time
 *   recvfrom(fd, buf, 0, MSG_DONTWAIT|MSG_PEEK|MSG_TRUNC) on an empty netlink socket (EAGAIN → SyscallError)
 *   sendto() of a 16-byte NLMSG_NOOP the kernel drops without replying
 * Prints one JSON line per backend × call. Needs no privileges and changes nothing.
 *   node dist/bench/ffi-overhead.js [iterations]
 */
import { BACKENDS, AF_NETLINK, MSG_DONTWAIT, MSG_PEEK, MSG_TRUNC, SOCK_CLOEXEC, SOCK_RAW, loadBackend } from '../src/ffi/libc.js';

const N = Number(process.argv[2] ?? 200_000);

function time(fn: () => void, n: number): number {
  for (let i = 0; i < Math.min(n, 10_000); i++) fn(); // warm up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - t0) / n; // ns per call
}

for (const name of BACKENDS) {
  const lib = loadBackend(name);
  const fd = lib.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0);
  const sa = Buffer.alloc(12);
  sa.writeUInt16LE(AF_NETLINK);
  lib.bind(fd, sa);
  const empty = Buffer.alloc(0);
  // An NLMSG_NOOP without NLM_F_REQUEST: the kernel parses and drops it, queueing no reply.
  const noop = Buffer.alloc(16);
  noop.writeUInt32LE(16, 0);
  noop.writeUInt16LE(1, 4);
  const n = name === 'koffi' ? N : Math.max(1000, Math.floor(N / 20));
  const rows = {
    getpid: time(() => lib.getpid(), n),
    'recvfrom(EAGAIN, throws)': time(() => { try { lib.recvfrom(fd, empty, 0, MSG_DONTWAIT | MSG_PEEK | MSG_TRUNC, null); } catch { /* EAGAIN */ } }, n),
    'sendto(16-byte NLMSG_NOOP)': time(() => lib.sendto(fd, noop, 16, 0, sa), n),
  };
  lib.close(fd);
  for (const [call, ns] of Object.entries(rows)) {
    console.log(JSON.stringify({ bench: 'ffi-overhead', backend: name, call, iterations: n, us_per_call: +(ns / 1000).toFixed(3) }));
  }
}
