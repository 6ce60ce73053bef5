/**
 * Second FFI backend: ffi-napi + ref-napi + ref-struct-di (libffi underneath).
 *
 * Much slower than koffi (several µs per call) because every ffi-napi call allocates a
 * result Buffer, an argument array and one Buffer per argument; it exists as a fallback
 * for platforms where koffi does not load, and to cross-check koffi's behaviour.
 */
import { createRequire } from 'node:module';
import { BackendUnavailableError, checkCall, settlePollAsync } from './errors.js';
import type { Libc, RecvResult } from './libc.js';

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
}
/** A ref-struct-di instance: fields are accessors over the backing Buffer returned by `ref()`. */
type StructOf<T> = T & { ref(): Buffer };
interface StructType<T> extends RefType {
  new (init: Partial<T>): StructOf<T>;
  new (store: Buffer, init: Partial<T>): StructOf<T>;
}
type StructFactory = <T>(fields: Record<keyof T, TypeLike>) => StructType<T>;

/** Pointer-typed struct fields accept a Buffer (its address is written) or null. */
/** The npm packages of this backend: optional dependencies of netlink-ts. */
export const FFI_NAPI_PACKAGES = ['@2060.io/ffi-napi', '@2060.io/ref-napi', 'ref-struct-di'] as const;

/**
 * Load the three modules. ref-napi is taken from where ffi-napi resolves it, so both use one
 * copy of the native module (two copies would each keep their own type registry).
 */
function loadFfiNapi(): { ffi: FfiNapi; ref: RefNapi; Struct: StructFactory } {
  const require = createRequire(import.meta.url);
  const need = [...FFI_NAPI_PACKAGES];
  for (const pkg of need) {
    try { require.resolve(pkg); } catch (err) {
      throw new BackendUnavailableError('ffi-napi', need, 'missing', err);
    }
  }
  try {
    const ffi = require('@2060.io/ffi-napi') as FfiNapi;
    const ref = createRequire(require.resolve('@2060.io/ffi-napi'))('@2060.io/ref-napi') as RefNapi;
    const Struct = (require('ref-struct-di') as (ref: RefNapi) => StructFactory)(ref);
    return { ffi, ref, Struct };
  } catch (err) {
    throw new BackendUnavailableError('ffi-napi', need, 'unbuilt', err);
  }
}

type Ptr = Buffer | null;
interface Iovec { iov_base: Ptr; iov_len: number }
interface Msghdr {
  msg_name: Ptr; msg_namelen: number; msg_iov: Ptr; msg_iovlen: number;
  msg_control: Ptr; msg_controllen: number; msg_flags: number;
}

/**
 * Build the ffi-napi-backed {@link Libc}: same calls, same `SyscallError`s and syscall
 * names as the koffi backend. Loads the ffi-napi / ref-napi native modules on first call,
 * so merely importing this module costs nothing.
 *
 * @throws BackendUnavailableError if the packages (optional dependencies of netlink-ts) are
 * not installed, or are installed without their native build.
 */
export function createFfiNapiLibc(): Libc {
  const { ffi, ref, Struct } = loadFfiNapi();
  const errno = (): number => ffi.errno();
  const { int, uint32, long, ulong, size_t } = ref.types;
  const ptr = 'pointer';
  const str = 'string'; // CString: JS string or null → NUL-terminated copy / NULL

  const Iovec = Struct<Iovec>({ iov_base: ptr, iov_len: size_t });
  const Msghdr = Struct<Msghdr>({
    msg_name: ptr, msg_namelen: uint32, msg_iov: ref.refType(Iovec), msg_iovlen: size_t,
    msg_control: ptr, msg_controllen: size_t, msg_flags: int,
  });

  const f = ffi.Library('libc.so.6', {
    socket: [int, [int, int, int]],
    bind: [int, [int, ptr, uint32]],
    getsockname: [int, [int, ptr, ptr]],
    setsockopt: [int, [int, int, int, ptr, uint32]],
    getsockopt: [int, [int, int, int, ptr, ptr]],
    sendto: [long, [int, ptr, size_t, int, ptr, uint32]],
    sendmsg: [long, [int, ptr, int]],
    recvfrom: [long, [int, ptr, size_t, int, ptr, ptr]],
    recvmsg: [long, [int, ptr, int]],
    close: [int, [int]],
    setns: [int, [int, int]],
    unshare: [int, [int]],
    mount: [int, [str, str, str, ulong, str]],
    umount2: [int, [str, int]],
    // open(2) is variadic; passing mode as a fixed third int is ABI-identical on SysV x86_64/arm64.
    open: [int, [str, int, uint32]],
    // ioctl(2) is variadic; with no third argument the fixed-args call is ABI-identical.
    ioctl: [int, [int, ulong]],
    sethostname: [int, [ptr, size_t]],
    gettid: [int, []],
    getpid: [int, []],
    poll: [int, [ptr, ulong, int]],
    eventfd: [int, [uint32, int]],
    read: [long, [int, ptr, size_t]],
    write: [long, [int, ptr, size_t]],
    flock: [int, [int, int]],
  });  // ioctl with a third argument: the same symbol under other signatures (one Library each).
  const ioctlArg = {
    ioctlPtr: ffi.Library('libc.so.6', { ioctl: [int, [int, ulong, ptr]] }).ioctl,
    ioctlInt: ffi.Library('libc.so.6', { ioctl: [int, [int, ulong, ulong]] }).ioctl,
  };


  // One reusable socklen_t cell, read back through a native-endian view of the same memory.
  const lenBuf = Buffer.alloc(4);
  const lenCell = new Uint32Array(lenBuf.buffer, lenBuf.byteOffset, 1);

  // msghdr/iovec are built fresh per call on purpose: ref-napi's writePointer pins the
  // pointee with a finalizer on the *target* buffer, so a long-lived, reused msghdr would
  // accumulate one pinned reference per call (a leak retaining every Buffer ever sent).
  const msghdr = (addr: Buffer | null, iov: Buffer, iovlen: number): StructOf<Msghdr> =>
    new Msghdr({
      msg_name: addr, msg_namelen: addr ? addr.length : 0, msg_iov: iov, msg_iovlen: iovlen,
      msg_control: null, msg_controllen: 0, msg_flags: 0,
    });

  return {
    backend: 'ffi-napi',
    socket: (domain, type, protocol) => checkCall('socket', f.socket(domain, type, protocol) as number, errno),
    bind(fd, addr) { checkCall('bind', f.bind(fd, addr, addr.length) as number, errno); },
    getsockname(fd, addr) {
      lenCell[0] = addr.length;
      checkCall('getsockname', f.getsockname(fd, addr, lenBuf) as number, errno);
      return lenCell[0]!;
    },
    setsockopt(fd, level, name, value) {
      checkCall('setsockopt', f.setsockopt(fd, level, name, value, value.length) as number, errno);
    },
    getsockopt(fd, level, name, value) {
      lenCell[0] = value.length;
      checkCall('getsockopt', f.getsockopt(fd, level, name, value, lenBuf) as number, errno);
      return lenCell[0]!;
    },
    sendto: (fd, buf, len, flags, addr) =>
      checkCall('sendto', Number(f.sendto(fd, buf, len, flags, addr, addr ? addr.length : 0)), errno),
    sendmsg(fd, iov, addr, flags) {
      // Contiguous struct iovec[]: each Iovec view writes into its slice of one Buffer.
      const iovs = Buffer.alloc(iov.length * Iovec.size);
      iov.forEach((b, i) => new Iovec(iovs.subarray(i * Iovec.size, (i + 1) * Iovec.size), { iov_base: b, iov_len: b.length }));
      const msg = msghdr(addr, iovs, iov.length);
      return checkCall('sendmsg', Number(f.sendmsg(fd, msg.ref(), flags)), errno);
    },
    recvfrom(fd, buf, len, flags, addr) {
      if (!addr) return checkCall('recvfrom', Number(f.recvfrom(fd, buf, len, flags, null, null)), errno);
      lenCell[0] = addr.length;
      return checkCall('recvfrom', Number(f.recvfrom(fd, buf, len, flags, addr, lenBuf)), errno);
    },
    recvmsg(fd, buf, flags, addr): RecvResult {
      const iov = new Iovec({ iov_base: buf, iov_len: buf.length });
      const msg = msghdr(addr, iov.ref(), 1);
      const bytes = checkCall('recvmsg', Number(f.recvmsg(fd, msg.ref(), flags)), errno);
      return { bytes, flags: msg.msg_flags, addrLen: msg.msg_namelen };
    },
    close(fd) { checkCall('close', f.close(fd) as number, errno); },
    setns(fd, nstype) { checkCall('setns', f.setns(fd, nstype) as number, errno); },
    unshare(flags) { checkCall('unshare', f.unshare(flags) as number, errno); },
    mount(source, target, fstype, flags, data) {
      checkCall('mount', f.mount(source, target, fstype, flags, data) as number, errno);
    },
    umount2(target, flags) { checkCall('umount2', f.umount2(target, flags) as number, errno); },
    open: (path, flags, mode = 0) => checkCall('open', f.open(path, flags, mode) as number, errno),
    ioctl: (fd, request, arg) => checkCall('ioctl', (arg === undefined ? f.ioctl(fd, request)
      : typeof arg === 'number' ? ioctlArg.ioctlInt(fd, request, arg) : ioctlArg.ioctlPtr(fd, request, arg)) as number, errno),
    sethostname(name) {
      const b = Buffer.from(name, 'utf8');
      checkCall('sethostname', f.sethostname(b, b.length) as number, errno);
    },
    gettid: () => f.gettid() as number,
    getpid: () => f.getpid() as number,
    poll: (fds, nfds, timeoutMs) => checkCall('poll', f.poll(fds, nfds, timeoutMs) as number, errno),
    pollAsync: (fds, nfds, timeoutMs) => new Promise<number>((resolve, reject) => {
      f.poll.async(fds, nfds, timeoutMs, (err: unknown, ret: number) => {
        if (err) { reject(err); return; }
        try {
          resolve(settlePollAsync(Number(ret), () => checkCall('poll', f.poll(fds, nfds, 0) as number, errno)));
        } catch (e) {
          reject(e);
        }
      });
    }),
    eventfd: (initval, flags) => checkCall('eventfd', f.eventfd(initval, flags) as number, errno),
    read: (fd, buf, len) => checkCall('read', Number(f.read(fd, buf, len)), errno),
    write: (fd, buf, len) => checkCall('write', Number(f.write(fd, buf, len)), errno),
    flock(fd, operation) { checkCall('flock', f.flock(fd, operation) as number, errno); },
  };
}
