/**
 * The transport seam, below all socket logic (seq numbers, ACKs, multipart): it moves
 * datagrams and nothing else. LiveTransport talks to the kernel through libc; the replay
 * transport (replay.ts) serves recorded kernel replies so the socket logic runs unprivileged.
 */
import { SyscallError, errnoNumber } from '../ffi/errors.js';
import {
  type Libc, AF_NETLINK, MSG_DONTWAIT, MSG_PEEK, MSG_TRUNC, SOCK_CLOEXEC, SOCK_RAW, SOL_SOCKET, SO_RCVBUF, SO_RCVBUFFORCE,
  SO_SNDBUF, SO_SNDBUFFORCE, libc as defaultLibc,
} from '../ffi/libc.js';
import { NetlinkTimeoutError, ProtocolError } from './errors.js';
import { NETLINK_ADD_MEMBERSHIP, NETLINK_CAP_ACK, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK, SOL_NETLINK } from './header.js';
import { type NetnsRef, withNetnsSync } from './nsenter.js';

/** What a NetlinkSocket sends through and receives from: a live socket, or a replay of recorded datagrams (the seam tests use). */
export interface Transport {
  /** The port id the kernel assigned (nl_pid of our sockaddr_nl). */
  readonly portId: number;
  /** Send `buf[0, len)` as one datagram to the kernel. */
  send(buf: Buffer, len?: number): void;
  /** Receive one datagram. The returned view is valid until the next recv(). */
  recv(): Buffer;
  /** Release the transport (the fd of a live socket). Idempotent. */
  close(): void;
  readonly closed: boolean;
}

/** Options of a {@link LiveTransport}: namespace, FFI backend, buffer sizes, timeouts, groups. */
export interface LiveTransportOptions {
  /** Open the socket inside this network namespace (fd, path, `ip netns` name, { pid } or a Netns handle); the socket stays bound to it. Default: the caller's. */
  readonly netns?: NetnsRef;
  /** Multicast groups to join (group numbers, e.g. RTNLGRP_LINK = 1). Default: none. */
  readonly groups?: readonly number[];
  /** NETLINK_EXT_ACK: the kernel explains errors. Default true. */
  readonly extAck?: boolean;
  /** NETLINK_GET_STRICT_CHK: dump filters are honoured and bad requests refused. Default true. */
  readonly strict?: boolean;
  /**
   * NETLINK_CAP_ACK: error replies echo only our nlmsghdr, not the whole request (we keep our
   * own copy to name the failing attribute). Saves receive buffer in bulk. Default true.
   */
  readonly capAck?: boolean;
  /** SO_RCVBUF / SO_SNDBUF in bytes (tries the *FORCE variants first). Default 4 MiB / 1 MiB. */
  readonly rcvbuf?: number;
  readonly sndbuf?: number;
  /** Receive timeout (SO_RCVTIMEO) in ms; 0 waits forever. Default 10 000. */
  readonly timeoutMs?: number;
  /** FFI backend. Default: libc() (env NETLINK_TS_FFI, else koffi). */
  readonly libc?: Libc;
}

const SO_RCVTIMEO = 20;
const EINTR = errnoNumber('EINTR'), EAGAIN = errnoNumber('EAGAIN'), ENOBUFS = errnoNumber('ENOBUFS');

function intOpt(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
}

/** The largest SO_RCVTIMEO we set (~24.8 days: what a setTimeout can wait too). */
const MAX_TIMEOUT_MS = 0x7fffffff;

/**
 * Socket options checked before socket(2): a NaN or negative timeout used to mean "no receive
 * timeout" (a request could block the event loop forever), a NaN buffer size was passed on.
 */
function checkTransportOptions(opts: LiveTransportOptions): void {
  if (opts === null || typeof opts !== 'object') throw new TypeError(`socket options: expected an object, got ${opts === null ? 'null' : typeof opts}`);
  const t = opts.timeoutMs;
  if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > MAX_TIMEOUT_MS)) {
    throw new RangeError(`timeoutMs: expected milliseconds from 0 (wait forever) to ${MAX_TIMEOUT_MS}, got ${typeof t === 'number' ? String(t) : JSON.stringify(t) ?? typeof t}`);
  }
  for (const k of ['rcvbuf', 'sndbuf'] as const) {
    const v = opts[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 0x7fffffff)) {
      throw new RangeError(`${k}: expected a positive whole number of bytes (at most 2147483647), got ${typeof v === 'number' ? String(v) : JSON.stringify(v) ?? typeof v}`);
    }
  }
  if (opts.groups !== undefined) {
    if (!Array.isArray(opts.groups)) throw new TypeError('groups: expected an array of multicast group numbers');
    opts.groups.forEach((g, i) => {
      if (!Number.isInteger(g) || g < 1 || g > 0xffffffff) throw new RangeError(`groups[${i}]: expected a multicast group number >= 1, got ${String(g)}`);
    });
  }
}

/** The transport of a real netlink socket: socket(2), bind(2), sendmsg/recvmsg through the FFI backend, in the namespace it was opened in. */
export class LiveTransport implements Transport {
  readonly portId: number;
  readonly lib: Libc;
  #fd: number;
  #buf = Buffer.allocUnsafe(64 * 1024);
  readonly #from = Buffer.alloc(12);
  readonly #empty = Buffer.alloc(0);

  constructor(protocol: number, opts: LiveTransportOptions = {}) {
    checkTransportOptions(opts);
    const lib = this.lib = opts.libc ?? defaultLibc();
    const open = (): number => lib.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
    const fd = opts.netns === undefined ? open() : withNetnsSync(lib, opts.netns, open);
    try {
      setBuf(lib, fd, SO_RCVBUFFORCE, SO_RCVBUF, opts.rcvbuf ?? 4 << 20);
      setBuf(lib, fd, SO_SNDBUFFORCE, SO_SNDBUF, opts.sndbuf ?? 1 << 20);
      if (opts.extAck ?? true) lib.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, intOpt(1));
      if (opts.strict ?? true) lib.setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, intOpt(1));
      if (opts.capAck ?? true) lib.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, intOpt(1));
      const timeout = Math.ceil(opts.timeoutMs ?? 10_000);
      if (timeout > 0) {
        const tv = Buffer.alloc(16);
        tv.writeBigInt64LE(BigInt(Math.floor(timeout / 1000)), 0);
        tv.writeBigInt64LE(BigInt((timeout % 1000) * 1000), 8);
        lib.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv);
      }
      const sa = Buffer.alloc(12);
      sa.writeUInt16LE(AF_NETLINK, 0);
      lib.bind(fd, sa);
      for (const g of opts.groups ?? []) lib.setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, intOpt(g));
      lib.getsockname(fd, sa);
      this.portId = sa.readUInt32LE(4);
    } catch (err) {
      lib.close(fd);
      throw err;
    }
    this.#fd = fd;
  }

  get fd(): number {
    return this.#fd;
  }

  get closed(): boolean {
    return this.#fd < 0;
  }

  send(buf: Buffer, len = buf.length): void {
    for (;;) {
      try {
        const n = this.lib.sendto(this.#fdOrThrow(), buf, len, 0, KERNEL);
        if (n !== len) throw new ProtocolError(`short netlink send: ${n} of ${len} bytes`);
        return;
      } catch (err) {
        if (err instanceof SyscallError && err.errno === EINTR) continue;
        throw err;
      }
    }
  }

  recv(): Buffer {
    const fd = this.#fdOrThrow();
    for (;;) {
      try {
        // Size the datagram first (MSG_PEEK|MSG_TRUNC with a zero-length buffer copies nothing).
        const size = this.lib.recvfrom(fd, this.#empty, 0, MSG_PEEK | MSG_TRUNC, null);
        if (size > this.#buf.length) this.#buf = Buffer.allocUnsafe(Math.max(size, this.#buf.length * 2));
        const n = this.lib.recvfrom(fd, this.#buf, this.#buf.length, 0, this.#from);
        if (this.#from.readUInt32LE(4) !== 0) continue; // not from the kernel: ignore
        return this.#buf.subarray(0, n);
      } catch (err) {
        if (err instanceof SyscallError) {
          if (err.errno === EINTR) continue;
          if (err.errno === EAGAIN) throw new NetlinkTimeoutError('no reply from the kernel within the receive timeout', { cause: err });
          if (err.errno === ENOBUFS) throw new ProtocolError('netlink receive buffer overflowed (ENOBUFS): replies were lost', { cause: err });
        }
        throw err;
      }
    }
  }

  /**
   * Receive one datagram without waiting (MSG_DONTWAIT): undefined when none is queued
   * (EAGAIN). For sockets that wait elsewhere (poll(2) on a pool thread: route/monitor/monitor.ts).
   * The returned view is valid until the next receive. A receive-queue overflow throws the
   * SyscallError with code `ENOBUFS` as is (the kernel dropped datagrams; the socket stays
   * usable), so a multicast listener can report the loss and resync.
   */
  tryRecv(): Buffer | undefined {
    const fd = this.#fdOrThrow();
    for (;;) {
      try {
        const size = this.lib.recvfrom(fd, this.#empty, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT, null);
        if (size > this.#buf.length) this.#buf = Buffer.allocUnsafe(Math.max(size, this.#buf.length * 2));
        const n = this.lib.recvfrom(fd, this.#buf, this.#buf.length, MSG_DONTWAIT, this.#from);
        if (this.#from.readUInt32LE(4) !== 0) continue; // not from the kernel: ignore
        return this.#buf.subarray(0, n);
      } catch (err) {
        if (err instanceof SyscallError) {
          if (err.errno === EINTR) continue;
          if (err.errno === EAGAIN) return undefined;
        }
        throw err;
      }
    }
  }

  /** Close the socket fd. Idempotent. */
  close(): void {
    if (this.#fd < 0) return;
    const fd = this.#fd;
    this.#fd = -1;
    this.lib.close(fd);
  }

  #fdOrThrow(): number {
    if (this.#fd < 0) throw new SyscallError('netlink socket', 9 /* EBADF */, { detail: 'socket is closed' });
    return this.#fd;
  }
}

const KERNEL = (() => {
  const sa = Buffer.alloc(12);
  sa.writeUInt16LE(AF_NETLINK, 0);
  return sa;
})();

function setBuf(lib: Libc, fd: number, force: number, plain: number, size: number): void {
  try {
    lib.setsockopt(fd, SOL_SOCKET, force, intOpt(size));
  } catch {
    // *FORCE needs CAP_NET_ADMIN over the initial user namespace; fall back to the capped option.
    lib.setsockopt(fd, SOL_SOCKET, plain, intOpt(size));
  }
}
