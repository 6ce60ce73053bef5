/**
 * Second FFI backend: ffi-napi + ref-napi + ref-struct-di (libffi underneath).
 *
 * Slower than koffi; it exists as a fallback for platforms where koffi does not load, and to
 * cross-check koffi's behaviour.
 *
 * Memory (issue 17): ffi-napi's own call wrapper (`ffi.Library` functions) allocates, per call,
 * a result Buffer, an argument list and one Buffer per argument, and writes each argument's
 * address with ref-napi's attaching writePointer — a strong napi reference released only by a
 * finalizer on the argument list. Those finalizers run only after a GC *and* a turn of the event
 * loop, so synchronous call sequences (a dump's recvmsg loop, bulk sends) piled them up: ~1 KB
 * of heap and ~6 KB of RSS per call that did not come back (58 → 1,099 MiB over 20k operations).
 * The synchronous calls here therefore go through {@link fastCall}: one libffi CIF per function,
 * argument slots and the argument list allocated once and reused, pointers written without
 * attaching, and msghdr/iovec laid out by hand in reused Buffers instead of ref-struct instances
 * built per call.
 *
 * That still left ~0.28 KB of RSS per operation (ffi-napi soak 104 → 188 MiB over 300k
 * operations, heap after GC flat; koffi flat): ref-napi registers, in a native map with a weak
 * reference and a finalizer, every Buffer whose address it is asked for, and never erases the
 * entry of a Buffer used more than once (its counter goes up per use, its one finalizer takes one
 * off). So no Buffer of the caller's reaches ref-napi any more: pointer arguments are copied
 * through per-call-site {@link Scratch} memory (in, out or both), sendmsg gathers its iovec into
 * scratch, and the pool-thread poll ({@link asyncPollCall}, which replaced ffi-napi's
 * `poll.async` wrapper: ~450 bytes per call of its own) copies the pollfd array into a reused
 * frame and the revents back.
 */
import { createRequire } from 'node:module';
import { BackendUnavailableError, checkCall, settlePollAsync } from './errors.js';
import type { Libc, RecvResult } from './libc.js';
import { lazyFunctions } from './lazy-bind.js';

/** The part of a ref-napi "type" object we rely on; the rest is opaque. */
interface RefType { readonly size: number; readonly indirection: number }
type TypeLike = RefType | string;
interface RefNapi {
  readonly types: Readonly<Record<'int' | 'uint32' | 'long' | 'ulong' | 'size_t', RefType>>;
  refType(type: TypeLike): RefType;
}
/**
 * An ffi-napi foreign function. `long` returns come back as a number, or as a decimal
 * string beyond ±2^53 (ref-napi's int64 rule), hence the union.
 */
type FfiFn = ((...args: unknown[]) => number | string) & {
  /** Run the call on a libuv pool thread; the callback gets (error, result). */
  async(...args: unknown[]): void;
};
interface FfiNapi {
  Library<K extends string>(path: string, funcs: Record<K, [TypeLike, TypeLike[]]>): Record<K, FfiFn>;
  errno(): number;
  /** ffi_prep_cif: a Buffer holding the `ffi_cif` for these (coerced) types. */
  CIF(ret: RefType, args: RefType[]): Buffer;
  DynamicLibrary: new (path: string) => { get(symbol: string): Buffer };
}
/** ffi-napi's native bindings (lib/bindings.js): the raw call its wrapper makes. */
interface FfiBindings {
  ffi_call(cif: Buffer, fn: Buffer, result: Buffer, args: Buffer): void;
  /** ffi_call on a libuv pool thread; `done` gets an error string or null. */
  ffi_call_async(cif: Buffer, fn: Buffer, result: Buffer, args: Buffer, done: (err: string | null) => void): void;
  readonly StaticFunctions: { readonly _errno: Buffer };
}
/** ref-napi's non-attaching pointer write and C string allocation. */
interface RefNapiRaw {
  _writePointer(buf: Buffer, offset: number, ptr: Buffer | null): void;
  allocCString(s: string): Buffer;
}
/**
 * How an argument is passed. Pointers go through a scratch Buffer owned by the call (see
 * {@link fastCall}): `in` is copied into it before the call, `out` copied back after it (as many
 * bytes as the call returned, for read/recvfrom), `inout` both ways (whole buffer).
 */
type Arg = 'i32' | 'u32' | 'i64' | 'in' | 'out' | 'inout' | 'str';
/** A ref-struct-di instance: fields are accessors over the backing Buffer returned by `ref()`. */
type StructOf<T> = T & { ref(): Buffer };
interface StructType<T> extends RefType {
  new (init: Partial<T>): StructOf<T>;
  new (store: Buffer, init: Partial<T>): StructOf<T>;
}
type StructFactory = <T>(fields: Record<keyof T, TypeLike>) => StructType<T>;

/** Pointer-typed struct fields accept a Buffer (its address is written) or null. */
type Ptr = Buffer | null;
interface Iovec { iov_base: Ptr; iov_len: number }
interface Msghdr {
  msg_name: Ptr; msg_namelen: number; msg_iov: Ptr; msg_iovlen: number;
  msg_control: Ptr; msg_controllen: number; msg_flags: number;
}

/**
 * A pointer argument's memory, owned by one call site: a Buffer made once (grown, rarely, to the
 * largest argument seen) whose address ref-napi has registered once.
 *
 * Why not pass the caller's Buffer: ref-napi keeps a native map of every Buffer whose address it
 * has been asked for (`GetBufferData`, used by `_writePointer` and by `ffi_call` for its own
 * arguments) — an entry, a weak napi reference and a GC finalizer per new ArrayBuffer, and a
 * counter bumped on every further use that its one finalizer decrements only once, so an entry
 * for a Buffer used twice is never erased. Requests, replies, sockaddrs and socket options are
 * fresh Buffers passed to several calls: ~75 bytes of native memory per call that no GC frees
 * (ffi-napi soak: RSS 104 → 188 MiB over 300k operations, heap flat). Copying into scratch memory
 * costs a memcpy of what the call reads or writes.
 */
class Scratch {
  buf = Buffer.alloc(64);
  /** The scratch memory, at least `n` bytes (a new Buffer when it grows). */
  fit(n: number): Buffer {
    if (this.buf.length < n) this.buf = Buffer.alloc(Math.max(n, this.buf.length * 2));
    return this.buf;
  }
}

/**
 * A synchronous foreign call with no per-call allocation (see the module comment): the CIF,
 * result, argument list and one 8-byte slot per argument are made once; each call writes the
 * arguments into the slots and calls ffi_call. Pointer arguments are copied through a
 * {@link Scratch} per argument, so no Buffer of the caller's ever reaches ref-napi.
 * Not reentrant (nothing here calls back into JS).
 */
function fastCall(ffi: FfiNapi, bindings: FfiBindings, ref: RefNapi & RefNapiRaw, fn: Buffer, ret: 'i32' | 'i64', args: readonly Arg[]): (...a: unknown[]) => number {
  const T = ref.types;
  const typeOf = (a: Arg | 'i32' | 'i64'): RefType => (a === 'i32' ? T.int : a === 'u32' ? T.uint32 : a === 'i64' ? T.long : ref.refType(T.int) /* any pointer */);
  const cif = ffi.CIF(typeOf(ret), args.map(typeOf));
  const result = Buffer.alloc(8);
  const list = Buffer.alloc(8 * Math.max(1, args.length));
  const slots = args.map(() => Buffer.alloc(8));
  slots.forEach((slot, i) => ref._writePointer(list, 8 * i, slot));
  const scratch = args.map(() => new Scratch());
  const keep: unknown[] = [cif, fn, result, list, slots]; // referenced by the closure for its lifetime
  return (...a: unknown[]): number => {
    for (let i = 0; i < args.length; i++) {
      const v = a[i], slot = slots[i]!, kind = args[i]!;
      switch (kind) {
        case 'i32': slot.writeInt32LE((v as number) | 0, 0); break;
        case 'u32': slot.writeUInt32LE((v as number) >>> 0, 0); break;
        case 'i64': slot.writeBigInt64LE(BigInt.asIntN(64, BigInt(Math.trunc(v as number))), 0); break;
        case 'str': {
          if (v == null) { slot.writeBigUInt64LE(0n, 0); break; }
          const n = Buffer.byteLength(v as string);
          const m = scratch[i]!.fit(n + 1);
          m.write(v as string, 0, 'utf8');
          m[n] = 0;
          ref._writePointer(slot, 0, m);
          break;
        }
        default: {
          if (v == null) { slot.writeBigUInt64LE(0n, 0); break; }
          const b = v as Buffer, m = scratch[i]!.fit(b.length);
          if (kind !== 'out') b.copy(m, 0);
          ref._writePointer(slot, 0, m);
        }
      }
    }
    bindings.ffi_call(cif, fn, result, list);
    const r = ret === 'i32' ? result.readInt32LE(0) : Number(result.readBigInt64LE(0));
    for (let i = 0; i < args.length; i++) {
      const kind = args[i]!, v = a[i] as Buffer | null | undefined;
      if (v == null || (kind !== 'out' && kind !== 'inout')) continue;
      const m = scratch[i]!.buf;
      if (kind === 'inout') m.copy(v, 0, 0, v.length);
      else if (r > 0) m.copy(v, 0, 0, Math.min(r, v.length));
    }
    void keep;
    return r;
  };
}

/**
 * The pool-thread counterpart of {@link fastCall} for poll(2) (a pointer, a count, an int): one
 * CIF; per call a set of Buffers taken from a free list and returned when the pool thread is done
 * (calls may overlap, so each in-flight call has its own), the pollfd array copied in and the
 * revents copied back. No Buffer of the caller's reaches ref-napi (see {@link Scratch}).
 */
function asyncPollCall(ffi: FfiNapi, bindings: FfiBindings, ref: RefNapi & RefNapiRaw, fn: Buffer): (fds: Buffer, nfds: number, timeoutMs: number) => Promise<number> {
  const T = ref.types;
  const cif = ffi.CIF(T.int, [ref.refType(T.int), T.long, T.int]);
  interface Frame { result: Buffer; list: Buffer; slots: Buffer; fds: Scratch }
  const free: Frame[] = [];
  const frame = (): Frame => {
    const f = free.pop();
    if (f) return f;
    const n: Frame = { result: Buffer.alloc(8), list: Buffer.alloc(24), slots: Buffer.alloc(24), fds: new Scratch() };
    for (let i = 0; i < 3; i++) ref._writePointer(n.list, 8 * i, n.slots.subarray(8 * i, 8 * i + 8));
    return n;
  };
  return (fds, nfds, timeoutMs) => new Promise<number>((resolve, reject) => {
    const f = frame();
    const m = f.fds.fit(fds.length);
    fds.copy(m, 0);
    ref._writePointer(f.slots, 0, m);
    f.slots.writeBigInt64LE(BigInt(Math.trunc(nfds)), 8);
    f.slots.writeInt32LE(timeoutMs | 0, 16);
    bindings.ffi_call_async(cif, fn, f.result, f.list, (err) => {
      // The frame (and so its Buffers) stayed referenced from here until the pool thread was done.
      m.copy(fds, 0, 0, fds.length);
      const r = f.result.readInt32LE(0);
      free.push(f);
      if (err) reject(new Error(err));
      else resolve(r);
    });
  });
}

/** struct msghdr / struct iovec on LP64 Linux (x86_64, arm64): offsets of <bits/socket.h>. */
const MSGHDR_SIZE = 56, IOVEC_SIZE = 16;

/**
 * Build the ffi-napi-backed {@link Libc}: same calls, same `SyscallError`s and syscall
 * names as the koffi backend. Loads the ffi-napi / ref-napi native modules on first call,
 * so merely importing this module costs nothing.
 *
 * @throws BackendUnavailableError if the packages (optional dependencies of netlink-ts) are
 * not installed, or are installed without their native build.
 */
/** The npm packages of this backend: optional dependencies of netlink-ts. */
export const FFI_NAPI_PACKAGES = ['@2060.io/ffi-napi', '@2060.io/ref-napi', 'ref-struct-di'] as const;

/**
 * Load the modules. ref-napi is taken from where ffi-napi resolves it, so both use one copy of
 * the native module (two copies would each keep their own type registry); the raw ffi_call
 * comes from ffi-napi's lib/bindings.js (its package has no "exports" map; version pinned).
 */
function loadFfiNapi(): { ffi: FfiNapi; ref: RefNapi & RefNapiRaw; bindings: FfiBindings } {
  const require = createRequire(import.meta.url);
  const need = [...FFI_NAPI_PACKAGES];
  for (const pkg of need) {
    try { require.resolve(pkg); } catch (err) {
      throw new BackendUnavailableError('ffi-napi', need, 'missing', err);
    }
  }
  try {
    const ffi = require('@2060.io/ffi-napi') as FfiNapi;
    const ref = createRequire(require.resolve('@2060.io/ffi-napi'))('@2060.io/ref-napi') as RefNapi & RefNapiRaw;
    const bindings = require('@2060.io/ffi-napi/lib/bindings.js') as FfiBindings;
    return { ffi, ref, bindings };
  } catch (err) {
    throw new BackendUnavailableError('ffi-napi', need, 'unbuilt', err);
  }
}

/** Every libc function of this backend: symbol, return and argument slots ({@link fastCall}). */
const SIGNATURES = {
  socket: ['socket', 'i32', ['i32', 'i32', 'i32']],
  bind: ['bind', 'i32', ['i32', 'in', 'u32']],
  getsockname: ['getsockname', 'i32', ['i32', 'inout', 'inout']],
  setsockopt: ['setsockopt', 'i32', ['i32', 'i32', 'i32', 'in', 'u32']],
  getsockopt: ['getsockopt', 'i32', ['i32', 'i32', 'i32', 'inout', 'inout']],
  sendto: ['sendto', 'i64', ['i32', 'in', 'i64', 'i32', 'in', 'u32']],
  sendmsg: ['sendmsg', 'i64', ['i32', 'in', 'i32']],
  recvfrom: ['recvfrom', 'i64', ['i32', 'out', 'i64', 'i32', 'inout', 'inout']],
  recvmsg: ['recvmsg', 'i64', ['i32', 'inout', 'i32']],
  close: ['close', 'i32', ['i32']],
  setns: ['setns', 'i32', ['i32', 'i32']],
  unshare: ['unshare', 'i32', ['i32']],
  mount: ['mount', 'i32', ['str', 'str', 'str', 'i64', 'str']],
  umount2: ['umount2', 'i32', ['str', 'i32']],
  // open(2) is variadic; passing mode as a fixed third int is ABI-identical on SysV x86_64/arm64.
  open: ['open', 'i32', ['str', 'i32', 'u32']],
  // ioctl(2) is variadic; with no third argument (or one more word) the fixed-args call is ABI-identical.
  ioctl: ['ioctl', 'i32', ['i32', 'i64']],
  ioctlPtr: ['ioctl', 'i32', ['i32', 'i64', 'inout']],
  ioctlInt: ['ioctl', 'i32', ['i32', 'i64', 'i64']],
  sethostname: ['sethostname', 'i32', ['in', 'i64']],
  gettid: ['gettid', 'i32', []],
  getpid: ['getpid', 'i32', []],
  poll: ['poll', 'i32', ['inout', 'i64', 'i32']],
  eventfd: ['eventfd', 'i32', ['u32', 'i32']],
  read: ['read', 'i64', ['i32', 'out', 'i64']],
  write: ['write', 'i64', ['i32', 'in', 'i64']],
  flock: ['flock', 'i32', ['i32', 'i32']],
} as const satisfies Record<string, readonly [string, 'i32' | 'i64', readonly Arg[]]>;

export function createFfiNapiLibc(): Libc {
  const { ffi, ref, bindings } = loadFfiNapi();

  const libc = new ffi.DynamicLibrary('libc.so.6');
  const sym = (name: string, ret: 'i32' | 'i64', args: readonly Arg[]) => fastCall(ffi, bindings, ref, libc.get(name), ret, args);
  const rawErrno = fastCall(ffi, bindings, ref, bindings.StaticFunctions._errno, 'i32', []);
  const errno = (): number => rawErrno();
  // Each symbol is looked up and its CIF prepared on its first call (lazy-bind.ts).
  const f = lazyFunctions(SIGNATURES, ([name, ret, args]) => sym(name, ret, args));
  let asyncPollFn: ReturnType<typeof asyncPollCall> | undefined;
  const asyncPoll = (): ReturnType<typeof asyncPollCall> => asyncPollFn ??= asyncPollCall(ffi, bindings, ref, libc.get('poll'));

  // One reusable socklen_t cell, read back through a native-endian view of the same memory.
  const lenBuf = Buffer.alloc(4);
  const lenCell = new Uint32Array(lenBuf.buffer, lenBuf.byteOffset, 1);

  // Reused msghdr and a single iovec, written by hand (no ref-struct instance per call). The
  // data and the address go through scratch memory like every other pointer (see Scratch):
  // sendmsg gathers the iovec array into one buffer first (one datagram either way).
  const msg = Buffer.alloc(MSGHDR_SIZE);
  const iov1 = Buffer.alloc(IOVEC_SIZE);
  const sendData = new Scratch(), recvData = new Scratch(), addrMem = new Scratch();
  const fillMsghdr = (addrLen: number | undefined, data: Buffer, len: number): void => {
    msg.fill(0);
    if (addrLen !== undefined) { ref._writePointer(msg, 0, addrMem.buf); msg.writeUInt32LE(addrLen, 8); }
    ref._writePointer(iov1, 0, data);
    iov1.writeBigUInt64LE(BigInt(len), 8);
    ref._writePointer(msg, 16, iov1);
    msg.writeBigUInt64LE(1n, 24);
  };

  return {
    backend: 'ffi-napi',
    socket: (domain, type, protocol) => checkCall('socket', f.socket(domain, type, protocol), errno),
    bind(fd, addr) { checkCall('bind', f.bind(fd, addr, addr.length), errno); },
    getsockname(fd, addr) {
      lenCell[0] = addr.length;
      checkCall('getsockname', f.getsockname(fd, addr, lenBuf), errno);
      return lenCell[0]!;
    },
    setsockopt(fd, level, name, value) {
      checkCall('setsockopt', f.setsockopt(fd, level, name, value, value.length), errno);
    },
    getsockopt(fd, level, name, value) {
      lenCell[0] = value.length;
      checkCall('getsockopt', f.getsockopt(fd, level, name, value, lenBuf), errno);
      return lenCell[0]!;
    },
    sendto: (fd, buf, len, flags, addr) =>
      checkCall('sendto', f.sendto(fd, buf, Math.min(len, buf.length), flags, addr, addr ? addr.length : 0), errno),
    sendmsg(fd, iov, addr, flags) {
      let total = 0;
      for (const b of iov) total += b.length;
      const data = sendData.fit(total);
      let o = 0;
      for (const b of iov) o += b.copy(data, o);
      if (addr) addr.copy(addrMem.fit(addr.length), 0);
      fillMsghdr(addr ? addr.length : undefined, data, total);
      return checkCall('sendmsg', f.sendmsg(fd, msg, flags), errno);
    },
    recvfrom(fd, buf, len, flags, addr) {
      len = Math.min(len, buf.length);
      if (!addr) return checkCall('recvfrom', f.recvfrom(fd, buf, len, flags, null, null), errno);
      lenCell[0] = addr.length;
      return checkCall('recvfrom', f.recvfrom(fd, buf, len, flags, addr, lenBuf), errno);
    },
    recvmsg(fd, buf, flags, addr): RecvResult {
      const data = recvData.fit(buf.length);
      if (addr) addr.copy(addrMem.fit(addr.length), 0);
      fillMsghdr(addr ? addr.length : undefined, data, buf.length);
      const bytes = checkCall('recvmsg', f.recvmsg(fd, msg, flags), errno);
      data.copy(buf, 0, 0, Math.min(bytes, buf.length));
      const addrLen = msg.readUInt32LE(8);
      if (addr) addrMem.buf.copy(addr, 0, 0, Math.min(addrLen, addr.length));
      return { bytes, flags: msg.readInt32LE(48), addrLen };
    },
    close(fd) { checkCall('close', f.close(fd), errno); },
    setns(fd, nstype) { checkCall('setns', f.setns(fd, nstype), errno); },
    unshare(flags) { checkCall('unshare', f.unshare(flags), errno); },
    mount(source, target, fstype, flags, data) {
      checkCall('mount', f.mount(source, target, fstype, flags, data), errno);
    },
    umount2(target, flags) { checkCall('umount2', f.umount2(target, flags), errno); },
    open: (path, flags, mode = 0) => checkCall('open', f.open(path, flags, mode), errno),
    ioctl: (fd, request, arg) => checkCall('ioctl', arg === undefined ? f.ioctl(fd, request)
      : typeof arg === 'number' ? f.ioctlInt(fd, request, arg) : f.ioctlPtr(fd, request, arg), errno),
    sethostname(name) {
      const b = Buffer.from(name, 'utf8');
      checkCall('sethostname', f.sethostname(b, b.length), errno);
    },
    gettid: () => f.gettid(),
    getpid: () => f.getpid(),
    poll: (fds, nfds, timeoutMs) => checkCall('poll', f.poll(fds, nfds, timeoutMs), errno),
    pollAsync: async (fds, nfds, timeoutMs) =>
      settlePollAsync(await asyncPoll()(fds, nfds, timeoutMs), () => checkCall('poll', f.poll(fds, nfds, 0), errno)),
    eventfd: (initval, flags) => checkCall('eventfd', f.eventfd(initval, flags), errno),
    read: (fd, buf, len) => checkCall('read', f.read(fd, buf, Math.min(len, buf.length)), errno),
    write: (fd, buf, len) => checkCall('write', f.write(fd, buf, Math.min(len, buf.length)), errno),
    flock(fd, operation) { checkCall('flock', f.flock(fd, operation), errno); },
  };
}
