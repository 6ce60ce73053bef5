/**
 * The Libc interface: every libc call netlink-ts makes, and nothing else.
 *
 * Two backends implement it with identical behaviour — `koffi` (default) and
 * `ffi-napi` (+ ref-napi + ref-struct-di). This directory is the only place that
 * names an FFI library; everything above talks to {@link Libc}.
 *
 * Conventions shared by every method:
 * - Memory is passed as Node `Buffer`s (their backing store never moves).
 * - A return of -1 throws {@link SyscallError} with `errno` read straight after the
 *   call; methods return only the useful non-error result.
 * - No method retries: EINTR / EAGAIN policy belongs to the caller (netlink/socket.ts).
 */
import { createKoffiLibc } from './koffi.js';
import { createFfiNapiLibc } from './ffi-napi.js';

/** The FFI backends: `koffi` (default, a hard dependency) and `ffi-napi` (optional dependencies). */
export type BackendName = 'koffi' | 'ffi-napi';
export const BACKENDS: readonly BackendName[] = ['koffi', 'ffi-napi'];

/** Result of recvmsg(2): bytes received (the full datagram length with MSG_TRUNC) and `msg_flags`. */
export interface RecvResult {
  readonly bytes: number;
  readonly flags: number;
  /** Length of the source address written to `addr`. */
  readonly addrLen: number;
}

/** Every libc call netlink-ts makes (see the module comment): one implementation per FFI backend, from {@link loadBackend}. */
export interface Libc {
  readonly backend: BackendName;
  /** socket(2). */
  socket(domain: number, type: number, protocol: number): number;
  /** bind(2); `addr` is the raw sockaddr (e.g. 12-byte `struct sockaddr_nl`). */
  bind(fd: number, addr: Buffer): void;
  /** getsockname(2) into `addr`; returns the address length. */
  getsockname(fd: number, addr: Buffer): number;
  /** setsockopt(2) with the raw option value. */
  setsockopt(fd: number, level: number, name: number, value: Buffer): void;
  /** getsockopt(2) into `value`; returns the option length. */
  getsockopt(fd: number, level: number, name: number, value: Buffer): number;
  /** sendto(2) of `buf[0, len)`; `addr` null sends to the connected/default peer. Returns bytes sent. */
  sendto(fd: number, buf: Buffer, len: number, flags: number, addr: Buffer | null): number;
  /** sendmsg(2) gathering `iov` (struct msghdr / struct iovec built by the backend). */
  sendmsg(fd: number, iov: readonly Buffer[], addr: Buffer | null, flags: number): number;
  /**
   * recvfrom(2) into `buf[0, len)`. With MSG_TRUNC the return is the real datagram length,
   * which may exceed `len`. `addr` (if given) receives the source sockaddr.
   */
  recvfrom(fd: number, buf: Buffer, len: number, flags: number, addr: Buffer | null): number;
  /** recvmsg(2) into one buffer, returning `msg_flags` too (MSG_TRUNC, …). */
  recvmsg(fd: number, buf: Buffer, flags: number, addr: Buffer | null): RecvResult;
  /** close(2). */
  close(fd: number): void;
  /** setns(2): acts on the calling thread only. */
  setns(fd: number, nstype: number): void;
  /** unshare(2): acts on the calling thread only. */
  unshare(flags: number): void;
  /** mount(2). */
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void;
  /** umount2(2). */
  umount2(target: string, flags: number): void;
  /** open(2); returns the fd. */
  open(path: string, flags: number, mode?: number): number;
  /**
   * ioctl(2); returns the result. `arg`: none (NS_GET_NSTYPE on a namespace fd, SIOCGSKNS on a
   * socket), an integer (TUNSETPERSIST 1), or a Buffer passed by address (TUNSETIFF's struct ifreq).
   */
  ioctl(fd: number, request: number, arg?: Buffer | number): number;
  /** sethostname(2) in the calling thread's UTS namespace (`name` as UTF-8 bytes, ≤ 64). */
  sethostname(name: string): void;
  /** gettid(2): the calling thread's id. */
  gettid(): number;
  /** getpid(2). */
  getpid(): number;
  /**
   * poll(2) over `fds`, a buffer of `struct pollfd { int fd; short events; short revents; }`
   * entries (8 bytes each); returns the number of ready entries (0 on timeout).
   */
  poll(fds: Buffer, nfds: number, timeoutMs: number): number;
  /**
   * poll(2) run on a libuv pool thread, so the event loop stays free while it waits (koffi's
   * and ffi-napi's `fn.async`). `fds` must stay untouched until the promise settles. Resolves
   * with the number of ready entries; a -1 rejects with SyscallError — errno is thread-local
   * and the pool thread's is out of reach, so it is re-read by a zero-timeout poll(2) on the
   * calling thread: EINTR when that one succeeds (the failure was transient).
   */
  pollAsync(fds: Buffer, nfds: number, timeoutMs: number): Promise<number>;
  /** eventfd(2): a counter fd, used to wake a poll(2) waiting on a pool thread. */
  eventfd(initval: number, flags: number): number;
  /** read(2) into `buf[0, len)`; returns the bytes read. */
  read(fd: number, buf: Buffer, len: number): number;
  /** write(2) of `buf[0, len)`; returns the bytes written. */
  write(fd: number, buf: Buffer, len: number): number;
  /**
   * flock(2): `LOCK_SH` / `LOCK_EX` (blocks the calling thread until granted), `| LOCK_NB` to
   * fail with EWOULDBLOCK instead, `LOCK_UN` to release. The lock belongs to the open file
   * description and goes when the fd is closed.
   */
  flock(fd: number, operation: number): void;
}

/** socket(2) / setsockopt(2) constants (from <linux/socket.h>, <asm-generic/socket.h>). */
export const AF_NETLINK = 16;
export const SOCK_RAW = 3;
export const SOCK_CLOEXEC = 0o2000000;
export const SOCK_NONBLOCK = 0o4000;
export const SOL_SOCKET = 1;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_SNDBUFFORCE = 32;
export const SO_RCVBUFFORCE = 33;
/** recv flags (<bits/socket.h>). */
export const MSG_PEEK = 0x2;
export const MSG_TRUNC = 0x20;
export const MSG_DONTWAIT = 0x40;
/** open(2) flags (<asm-generic/fcntl.h>). */
export const O_RDONLY = 0;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_CLOEXEC = 0o2000000;
/** flock(2) operations (<sys/file.h>). */
export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;
/** <linux/sched.h> */
export const CLONE_NEWNS = 0x00020000;
export const CLONE_NEWUTS = 0x04000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWNET = 0x40000000;
/** <linux/nsfs.h>: _IO(NSIO = 0xb7, 0x3) — the CLONE_NEW* type of a namespace fd. */
export const NS_GET_NSTYPE = 0xb703;
/** <linux/mount.h> */
export const MS_BIND = 4096;
export const MS_REC = 16384;
export const MS_PRIVATE = 1 << 18;
export const MS_SLAVE = 1 << 19;
export const MS_SHARED = 1 << 20;
export const MNT_DETACH = 2;
/** poll(2) events. */
export const POLLIN = 0x1;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;
/** eventfd(2) flags (<sys/eventfd.h>: EFD_CLOEXEC = O_CLOEXEC, EFD_NONBLOCK = O_NONBLOCK). */
export const EFD_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;

const loaded = new Map<BackendName, Libc>();
let current: BackendName | undefined;

function envBackend(): BackendName {
  const v = process.env['NETLINK_TS_FFI'];
  if (v === undefined || v === '') return 'koffi';
  if (v === 'koffi' || v === 'ffi-napi') return v;
  throw new RangeError(`NETLINK_TS_FFI must be one of ${BACKENDS.join(', ')}; got ${JSON.stringify(v)}`);
}

/** Load a backend by name (cached). Throws if its native module does not load. */
export function loadBackend(name: BackendName): Libc {
  let lib = loaded.get(name);
  if (lib) return lib;
  // The factories load their native module only when called, so an unused backend
  // costs nothing at start-up.
  if (name === 'koffi') lib = createKoffiLibc();
  else if (name === 'ffi-napi') lib = createFfiNapiLibc();
  else throw new RangeError(`unknown FFI backend ${JSON.stringify(name)}; expected ${BACKENDS.join(' or ')}`);
  loaded.set(name, lib);
  return lib;
}

/**
 * The process-wide default backend: set by {@link setBackend}, else env `NETLINK_TS_FFI`
 * (`koffi` | `ffi-napi`), else `koffi`.
 */
export function libc(): Libc {
  current ??= envBackend();
  return loadBackend(current);
}

/** Choose the default backend for sockets opened afterwards. */
export function setBackend(name: BackendName): Libc {
  if (!BACKENDS.includes(name)) throw new RangeError(`unknown FFI backend ${JSON.stringify(name)}; expected ${BACKENDS.join(' or ')}`);
  const lib = loadBackend(name);
  current = name;
  return lib;
}
