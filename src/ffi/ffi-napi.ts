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
 * attaching (the Buffers are alive for the whole synchronous call anyway), and msghdr/iovec
 * laid out by hand in reused Buffers instead of ref-struct instances built per call. Only the
 * pool-thread poll (`poll.async`) still uses ffi-napi's wrapper: it needs its buffers to outlive
 * the call.
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
  readonly StaticFunctions: { readonly _errno: Buffer };
}
/** ref-napi's non-attaching pointer write and C string allocation. */
interface RefNapiRaw {
  _writePointer(buf: Buffer, offset: number, ptr: Buffer | null): void;
  allocCString(s: string): Buffer;
}
/** How an argument is stored in its slot. */
type Arg = 'i32' | 'u32' | 'i64' | 'ptr' | 'str';
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
 * A synchronous foreign call with no per-call allocation (see the module comment): the CIF,
 * result, argument list and one 8-byte slot per argument are made once; each call writes the
 * arguments into the slots and calls ffi_call. Not reentrant (nothing here calls back into JS).
 */
function fastCall(ffi: FfiNapi, bindings: FfiBindings, ref: RefNapi & RefNapiRaw, fn: Buffer, ret: 'i32' | 'i64', args: readonly Arg[]): (...a: unknown[]) => number {
  const T = ref.types;
  const typeOf = (a: Arg | 'i32' | 'i64'): RefType => (a === 'i32' ? T.int : a === 'u32' ? T.uint32 : a === 'i64' ? T.long : ref.refType(T.int) /* any pointer */);
  const cif = ffi.CIF(typeOf(ret), args.map(typeOf));
  const result = Buffer.alloc(8);
  const list = Buffer.alloc(8 * Math.max(1, args.length));
  const slots = args.map(() => Buffer.alloc(8));
  slots.forEach((slot, i) => ref._writePointer(list, 8 * i, slot));
  const keep: unknown[] = [cif, fn, result, list, slots]; // referenced by the closure for its lifetime
  return (...a: unknown[]): number => {
    let strings: Buffer[] | undefined;
    for (let i = 0; i < args.length; i++) {
      const v = a[i], slot = slots[i]!;
      switch (args[i]) {
        case 'i32': slot.writeInt32LE((v as number) | 0, 0); break;
        case 'u32': slot.writeUInt32LE((v as number) >>> 0, 0); break;
        case 'i64': slot.writeBigInt64LE(BigInt.asIntN(64, BigInt(Math.trunc(v as number))), 0); break;
        case 'ptr': if (v == null) slot.writeBigUInt64LE(0n, 0); else ref._writePointer(slot, 0, v as Buffer); break;
        case 'str':
          if (v == null) slot.writeBigUInt64LE(0n, 0);
          else { const c = ref.allocCString(v as string); (strings ??= []).push(c); ref._writePointer(slot, 0, c); }
          break;
      }
    }
    bindings.ffi_call(cif, fn, result, list);
    void keep; void strings; // the C strings stay referenced until the call returned
    return ret === 'i32' ? result.readInt32LE(0) : Number(result.readBigInt64LE(0));
  };
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
  bind: ['bind', 'i32', ['i32', 'ptr', 'u32']],
  getsockname: ['getsockname', 'i32', ['i32', 'ptr', 'ptr']],
  setsockopt: ['setsockopt', 'i32', ['i32', 'i32', 'i32', 'ptr', 'u32']],
  getsockopt: ['getsockopt', 'i32', ['i32', 'i32', 'i32', 'ptr', 'ptr']],
  sendto: ['sendto', 'i64', ['i32', 'ptr', 'i64', 'i32', 'ptr', 'u32']],
  sendmsg: ['sendmsg', 'i64', ['i32', 'ptr', 'i32']],
  recvfrom: ['recvfrom', 'i64', ['i32', 'ptr', 'i64', 'i32', 'ptr', 'ptr']],
  recvmsg: ['recvmsg', 'i64', ['i32', 'ptr', 'i32']],
  close: ['close', 'i32', ['i32']],
  setns: ['setns', 'i32', ['i32', 'i32']],
  unshare: ['unshare', 'i32', ['i32']],
  mount: ['mount', 'i32', ['str', 'str', 'str', 'i64', 'str']],
  umount2: ['umount2', 'i32', ['str', 'i32']],
  // open(2) is variadic; passing mode as a fixed third int is ABI-identical on SysV x86_64/arm64.
  open: ['open', 'i32', ['str', 'i32', 'u32']],
  // ioctl(2) is variadic; with no third argument (or one more word) the fixed-args call is ABI-identical.
  ioctl: ['ioctl', 'i32', ['i32', 'i64']],
  ioctlPtr: ['ioctl', 'i32', ['i32', 'i64', 'ptr']],
  ioctlInt: ['ioctl', 'i32', ['i32', 'i64', 'i64']],
  sethostname: ['sethostname', 'i32', ['ptr', 'i64']],
  gettid: ['gettid', 'i32', []],
  getpid: ['getpid', 'i32', []],
  poll: ['poll', 'i32', ['ptr', 'i64', 'i32']],
  eventfd: ['eventfd', 'i32', ['u32', 'i32']],
  read: ['read', 'i64', ['i32', 'ptr', 'i64']],
  write: ['write', 'i64', ['i32', 'ptr', 'i64']],
  flock: ['flock', 'i32', ['i32', 'i32']],
} as const satisfies Record<string, readonly [string, 'i32' | 'i64', readonly Arg[]]>;

export function createFfiNapiLibc(): Libc {
  const { ffi, ref, bindings } = loadFfiNapi();
  const { int, ulong } = ref.types;
  const ptr = 'pointer';

  const libc = new ffi.DynamicLibrary('libc.so.6');
  const sym = (name: string, ret: 'i32' | 'i64', args: readonly Arg[]) => fastCall(ffi, bindings, ref, libc.get(name), ret, args);
  const rawErrno = fastCall(ffi, bindings, ref, bindings.StaticFunctions._errno, 'i32', []);
  const errno = (): number => rawErrno();
  // Each symbol is looked up and its CIF prepared on its first call (lazy-bind.ts).
  const f = lazyFunctions(SIGNATURES, ([name, ret, args]) => sym(name, ret, args));
  // The pool-thread poll keeps ffi-napi's own wrapper (its async call needs buffers that outlive it).
  let asyncPollFn: FfiFn | undefined;
  const asyncPoll = (): FfiFn => asyncPollFn ??= ffi.Library('libc.so.6', { poll: [int, [ptr, ulong, int]] }).poll;

  // One reusable socklen_t cell, read back through a native-endian view of the same memory.
  const lenBuf = Buffer.alloc(4);
  const lenCell = new Uint32Array(lenBuf.buffer, lenBuf.byteOffset, 1);

  // Reused msghdr and iovec array, written by hand (no ref-struct instance per call): pointers
  // are written without attaching, which is safe because every pointee is alive for the call.
  const msg = Buffer.alloc(MSGHDR_SIZE);
  let iovs = Buffer.alloc(IOVEC_SIZE * 8);
  const fillMsghdr = (addr: Buffer | null, iov: Buffer, iovlen: number): void => {
    msg.fill(0);
    if (addr) { ref._writePointer(msg, 0, addr); msg.writeUInt32LE(addr.length, 8); }
    ref._writePointer(msg, 16, iov);
    msg.writeBigUInt64LE(BigInt(iovlen), 24);
  };
  const setIov = (i: number, b: Buffer): void => {
    ref._writePointer(iovs, i * IOVEC_SIZE, b);
    iovs.writeBigUInt64LE(BigInt(b.length), i * IOVEC_SIZE + 8);
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
      checkCall('sendto', f.sendto(fd, buf, len, flags, addr, addr ? addr.length : 0), errno),
    sendmsg(fd, iov, addr, flags) {
      if (iovs.length < iov.length * IOVEC_SIZE) iovs = Buffer.alloc(iov.length * IOVEC_SIZE * 2);
      iov.forEach((b, i) => setIov(i, b));
      fillMsghdr(addr, iovs, iov.length);
      return checkCall('sendmsg', f.sendmsg(fd, msg, flags), errno);
    },
    recvfrom(fd, buf, len, flags, addr) {
      if (!addr) return checkCall('recvfrom', f.recvfrom(fd, buf, len, flags, null, null), errno);
      lenCell[0] = addr.length;
      return checkCall('recvfrom', f.recvfrom(fd, buf, len, flags, addr, lenBuf), errno);
    },
    recvmsg(fd, buf, flags, addr): RecvResult {
      setIov(0, buf);
      fillMsghdr(addr, iovs, 1);
      const bytes = checkCall('recvmsg', f.recvmsg(fd, msg, flags), errno);
      return { bytes, flags: msg.readInt32LE(48), addrLen: msg.readUInt32LE(8) };
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
    pollAsync: (fds, nfds, timeoutMs) => new Promise<number>((resolve, reject) => {
      asyncPoll().async(fds, nfds, timeoutMs, (err: unknown, ret: number) => {
        if (err) { reject(err); return; }
        try {
          resolve(settlePollAsync(Number(ret), () => checkCall('poll', f.poll(fds, nfds, 0), errno)));
        } catch (e) {
          reject(e);
        }
      });
    }),
    eventfd: (initval, flags) => checkCall('eventfd', f.eventfd(initval, flags), errno),
    read: (fd, buf, len) => checkCall('read', f.read(fd, buf, len), errno),
    write: (fd, buf, len) => checkCall('write', f.write(fd, buf, len), errno),
    flock(fd, operation) { checkCall('flock', f.flock(fd, operation), errno); },
  };
}
