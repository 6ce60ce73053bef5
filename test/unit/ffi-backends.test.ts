// The same assertions against every FFI backend: both must behave identically.
// Everything here is unprivileged and read-only (an RTM_GETLINK dump on NETLINK_ROUTE).
import t from 'tap';
import {
  AF_NETLINK, BACKENDS, MSG_PEEK, MSG_TRUNC, O_CLOEXEC, O_RDONLY, POLLIN, SOCK_CLOEXEC, SOCK_RAW,
  SOL_SOCKET, SO_RCVBUF, loadBackend, type Libc,
} from '../../src/ffi/libc.js';
import { SyscallError } from '../../src/ffi/errors.js';

const NETLINK_ROUTE = 0;
const RTM_GETLINK = 18;
const NLMSG_DONE = 3;
const NLMSG_ERROR = 2;
const NLM_F_REQUEST_DUMP = 0x301;

/** 12-byte struct sockaddr_nl { u16 family; u16 pad; u32 pid; u32 groups; }. */
function sockaddrNl(pid = 0): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16LE(AF_NETLINK, 0);
  b.writeUInt32LE(pid, 4);
  return b;
}

/** nlmsghdr (16 bytes) + zeroed ifinfomsg (16 bytes): a full link dump request. */
function getlinkRequest(seq: number): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(32, 0);
  b.writeUInt16LE(RTM_GETLINK, 4);
  b.writeUInt16LE(NLM_F_REQUEST_DUMP, 6);
  b.writeUInt32LE(seq, 8);
  b.writeUInt32LE(0, 12);
  return b;
}

function pollIn(lib: Libc, fd: number, timeoutMs: number): { ready: number; revents: number } {
  const pfd = Buffer.alloc(8);
  pfd.writeInt32LE(fd, 0);
  pfd.writeInt16LE(POLLIN, 4);
  const ready = lib.poll(pfd, 1, timeoutMs);
  return { ready, revents: pfd.readInt16LE(6) };
}

type Msg = [type: number, len: number, seq: number];

/** Append (type, len, seq) of each message in one datagram; true once the dump is over. */
function parse(buf: Buffer, n: number, out: Msg[]): boolean {
  for (let off = 0; off + 16 <= n;) {
    const len = buf.readUInt32LE(off);
    const type = buf.readUInt16LE(off + 4);
    out.push([type, len, buf.readUInt32LE(off + 8)]);
    if (type === NLMSG_DONE || type === NLMSG_ERROR) return true;
    off += (len + 3) & ~3;
  }
  return false;
}

/** Read datagrams until NLMSG_DONE / NLMSG_ERROR. */
function drainDump(lib: Libc, fd: number, out: Msg[] = []): Msg[] {
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    if (pollIn(lib, fd, 2000).ready !== 1) throw new Error('timed out waiting for dump');
    if (parse(buf, lib.recvfrom(fd, buf, buf.length, 0, null), out)) return out;
  }
}

function thrown(fn: () => unknown): unknown {
  try { fn(); } catch (e) { return e; }
  return undefined;
}

for (const name of BACKENDS) {
  t.test(name, (t) => {
    const lib = loadBackend(name);
    t.equal(lib.backend, name);

    const fd = lib.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    t.ok(fd >= 0, 'socket returns an fd');
    t.teardown(() => { try { lib.close(fd); } catch { /* already closed */ } });

    lib.bind(fd, sockaddrNl());
    const local = Buffer.alloc(12);
    t.equal(lib.getsockname(fd, local), 12, 'getsockname length');
    t.equal(local.readUInt16LE(0), AF_NETLINK, 'nl_family');
    t.not(local.readUInt32LE(4), 0, 'kernel assigned a nonzero nl_pid');

    const rcvbuf = Buffer.alloc(4);
    rcvbuf.writeInt32LE(32768, 0);
    lib.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf);
    const got = Buffer.alloc(4);
    t.equal(lib.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, got), 4, 'getsockopt length');
    t.equal(got.readInt32LE(0), 65536, 'SO_RCVBUF round-trips (doubled by the kernel)');

    const req = getlinkRequest(1);
    t.equal(lib.sendto(fd, req, req.length, 0, sockaddrNl()), 32, 'sendto returns bytes sent');
    const p = pollIn(lib, fd, 2000);
    t.equal(p.ready, 1, 'poll: one ready fd');
    t.ok(p.revents & POLLIN, 'poll: POLLIN in revents');

    const tiny = Buffer.alloc(16);
    const full = lib.recvfrom(fd, tiny, tiny.length, MSG_PEEK | MSG_TRUNC, null);
    t.type(full, 'number');
    t.ok(full > 16, 'MSG_TRUNC reports the real datagram length');
    const peeked = Buffer.alloc(full);
    const from = sockaddrNl(123);
    t.equal(lib.recvfrom(fd, peeked, peeked.length, MSG_PEEK, from), full, 'recvfrom with addr');
    t.equal(from.readUInt32LE(4), 0, 'source is the kernel');

    const small = lib.recvmsg(fd, Buffer.alloc(16), MSG_PEEK | MSG_TRUNC, null);
    t.equal(small.bytes, full, 'recvmsg MSG_TRUNC length');
    t.ok(small.flags & MSG_TRUNC, 'recvmsg msg_flags has MSG_TRUNC');

    const body = Buffer.alloc(full + 100);
    const addr = sockaddrNl(123);
    const r = lib.recvmsg(fd, body, 0, addr);
    t.same(r, { bytes: full, flags: 0, addrLen: 12 }, 'recvmsg result');
    t.equal(addr.readUInt32LE(4), 0, 'recvmsg source is the kernel');
    t.ok(body.subarray(0, full).equals(peeked), 'recvmsg got the peeked bytes');
    const viaSendto: Msg[] = [];
    if (!parse(body, r.bytes, viaSendto)) drainDump(lib, fd, viaSendto);
    t.equal(viaSendto.at(-1)?.[0], NLMSG_DONE, 'dump ends with NLMSG_DONE');

    // Same request, split across two iovecs (header | ifinfomsg), to the default peer.
    const req2 = getlinkRequest(2);
    t.equal(lib.sendmsg(fd, [req2.subarray(0, 16), req2.subarray(16)], null, 0), 32, 'sendmsg returns bytes sent');
    const viaSendmsg = drainDump(lib, fd);
    t.same(viaSendmsg.map(([ty, len]) => [ty, len]), viaSendto.map(([ty, len]) => [ty, len]), 'same dump via sendmsg');
    t.ok(viaSendmsg.every(([, , seq]) => seq === 2), 'replies carry the sendmsg seq');

    lib.close(fd);
    const ebadf = thrown(() => lib.close(fd));
    t.ok(ebadf instanceof SyscallError, 'second close throws SyscallError');
    t.match(ebadf, { code: 'EBADF', syscall: 'close', errno: 9 }, 'second close: EBADF');

    const ns = lib.open('/proc/self/ns/net', O_RDONLY | O_CLOEXEC);
    t.ok(ns >= 0, 'open /proc/self/ns/net');
    lib.close(ns);
    const enoent = thrown(() => lib.open('/proc/self/ns/does-not-exist', O_RDONLY | O_CLOEXEC));
    t.ok(enoent instanceof SyscallError, 'failed open throws SyscallError');
    t.match(enoent, { code: 'ENOENT', syscall: 'open' }, 'failed open: ENOENT');

    t.equal(lib.gettid(), lib.getpid(), 'gettid === getpid on the main thread');
    t.equal(lib.getpid(), process.pid, 'getpid matches process.pid');
    t.end();
  });
}
