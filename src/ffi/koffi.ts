/**
 * Default FFI backend: koffi (~0.25 µs per call measured here, vs ~6 µs for ffi-napi).
 * The hot path (sendto/recvfrom) passes Buffers as plain pointers; struct msghdr is
 * marshalled by koffi only for sendmsg/recvmsg, which cost ~1.5 µs more per call.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BackendUnavailableError, checkCall, settlePollAsync } from './errors.js';
import type { Libc, RecvResult } from './libc.js';
import { lazyFunctions } from './lazy-bind.js';

type KoffiFn = ((...args: unknown[]) => number | bigint) & {
  /** Run the call on a libuv pool thread; the callback gets (error, result). */
  async(...args: unknown[]): void;
};
interface KoffiLib { func(decl: string): KoffiFn }
export interface Koffi {
  load(path: string): KoffiLib;
  errno(): number;
  struct(name: string, def: Record<string, string>): unknown;
}

/**
 * The ELF interpreter node runs under is glibc's (`/lib64/ld-linux-x86-64.so.2`, …): koffi's
 * glibc build fits. Read from the first page of the node binary, where PT_INTERP's string sits.
 */
function nodeIsGlibc(): boolean {
  let fd = -1;
  try {
    fd = openSync(process.execPath, 'r');
    const page = Buffer.alloc(4096);
    const n = readSync(fd, page, 0, page.length, 0);
    const head = page.subarray(0, n).toString('latin1');
    return head.includes('/ld-linux') && !head.includes('/ld-musl');
  } catch {
    return false;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/**
 * Load koffi. Fast path (issue 16: the first handle of a process paid ~12 ms here, most of it
 * koffi's JavaScript entry finding its binary: two ELF reads of the node binary, a module graph
 * of three CommonJS files, deprecation wrappers we never call): on glibc Linux, the prebuilt
 * native module koffi itself would pick (`@koromix/koffi-<platform>-<arch>/<platform>_<arch>/koffi.node`,
 * resolved from koffi's own directory) is required directly, and kept only if it reports
 * koffi's version. Anything else (another layout, musl, a source build, a version mismatch, a
 * load error) takes koffi's public entry, which explains its own failures; so does
 * `NETLINK_TS_KOFFI_ENTRY=1` in the environment.
 */
export function loadKoffi(require: NodeJS.Require = createRequire(import.meta.url)): { koffi: Koffi; path: 'direct' | 'entry' } {
  let entry: string;
  try {
    entry = require.resolve('koffi');
  } catch (err) {
    throw new BackendUnavailableError('koffi', ['koffi'], 'missing', err);
  }
  if (process.env['NETLINK_TS_KOFFI_ENTRY'] !== '1' && process.platform === 'linux' && nodeIsGlibc()) {
    try {
      const dir = dirname(entry);
      const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
      const fromKoffi = createRequire(entry);
      const pkg = dirname(fromKoffi.resolve(`@koromix/koffi-${process.platform}-${process.arch}/package.json`));
      const native = fromKoffi(join(pkg, `${process.platform}_${process.arch}`, 'koffi.node')) as Koffi & { version?: unknown };
      if (typeof version === 'string' && native.version === version) return { koffi: native, path: 'direct' };
    } catch { /* take koffi's entry */ }
  }
  try {
    return { koffi: require('koffi') as Koffi, path: 'entry' };
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && /'koffi'/.test((err as Error).message);
    throw new BackendUnavailableError('koffi', ['koffi'], missing ? 'missing' : 'unbuilt', err);
  }
}

/** The C declarations of every function the backend calls, bound on first use ({@link lazyFunctions}). */
const DECLS = {
  socket: 'int socket(int, int, int)',
  bind: 'int bind(int, const void *, uint32_t)',
  getsockname: 'int getsockname(int, void *, _Inout_ uint32_t *)',
  setsockopt: 'int setsockopt(int, int, int, const void *, uint32_t)',
  getsockopt: 'int getsockopt(int, int, int, void *, _Inout_ uint32_t *)',
  sendto: 'long sendto(int, const void *, size_t, int, const void *, uint32_t)',
  sendmsg: 'long sendmsg(int, const nlts_msghdr *, int)',
  recvfrom: 'long recvfrom(int, void *, size_t, int, void *, _Inout_ uint32_t *)',
  recvmsg: 'long recvmsg(int, _Inout_ nlts_msghdr *, int)',
  close: 'int close(int)',
  setns: 'int setns(int, int)',
  unshare: 'int unshare(int)',
  mount: 'int mount(const char *, const char *, const char *, unsigned long, const char *)',
  umount2: 'int umount2(const char *, int)',
  open: 'int open(const char *, int, uint32_t)',
  ioctl: 'int ioctl(int, unsigned long)',
  // ioctl(2) is variadic; fixed-argument declarations are ABI-identical for one int/pointer.
  ioctlPtr: 'int ioctl(int, unsigned long, void *)',
  ioctlInt: 'int ioctl(int, unsigned long, unsigned long)',
  sethostname: 'int sethostname(const void *, size_t)',
  gettid: 'int gettid()',
  getpid: 'int getpid()',
  poll: 'int poll(void *, unsigned long, int)',
  eventfd: 'int eventfd(unsigned int, int)',
  read: 'long read(int, void *, size_t)',
  write: 'long write(int, const void *, size_t)',
  flock: 'int flock(int, int)',
} as const;

/** Build the koffi-backed {@link Libc}. Loads the koffi native module on first call; each libc symbol is bound the first time it is called. */
export function createKoffiLibc(): Libc {
  const { koffi } = loadKoffi();
  const c = koffi.load('libc.so.6');
  const errno = (): number => koffi.errno();
  let structs = false;
  const f = lazyFunctions(DECLS, (decl) => {
    if (!structs && decl.includes('nlts_msghdr')) {
      koffi.struct('nlts_iovec', { iov_base: 'void *', iov_len: 'size_t' });
      koffi.struct('nlts_msghdr', {
        msg_name: 'void *', msg_namelen: 'uint32_t', msg_iov: 'nlts_iovec *', msg_iovlen: 'size_t',
        msg_control: 'void *', msg_controllen: 'size_t', msg_flags: 'int',
      });
      structs = true;
    }
    return c.func(decl);
  });
  // One reusable socklen_t cell: koffi writes `_Inout_` arrays back in place.
  const lenCell = [0];

  return {
    backend: 'koffi',
    socket: (domain, type, protocol) => checkCall('socket', f.socket(domain, type, protocol), errno),
    bind(fd, addr) { checkCall('bind', f.bind(fd, addr, addr.length), errno); },
    getsockname(fd, addr) {
      lenCell[0] = addr.length;
      checkCall('getsockname', f.getsockname(fd, addr, lenCell), errno);
      return lenCell[0]!;
    },
    setsockopt(fd, level, name, value) { checkCall('setsockopt', f.setsockopt(fd, level, name, value, value.length), errno); },
    getsockopt(fd, level, name, value) {
      lenCell[0] = value.length;
      checkCall('getsockopt', f.getsockopt(fd, level, name, value, lenCell), errno);
      return lenCell[0]!;
    },
    sendto: (fd, buf, len, flags, addr) =>
      checkCall('sendto', f.sendto(fd, buf, len, flags, addr, addr ? addr.length : 0), errno),
    sendmsg(fd, iov, addr, flags) {
      const msg = {
        msg_name: addr, msg_namelen: addr ? addr.length : 0,
        msg_iov: iov.map((b) => ({ iov_base: b, iov_len: b.length })), msg_iovlen: iov.length,
        msg_control: null, msg_controllen: 0, msg_flags: 0,
      };
      return checkCall('sendmsg', f.sendmsg(fd, msg, flags), errno);
    },
    recvfrom(fd, buf, len, flags, addr) {
      if (!addr) return checkCall('recvfrom', f.recvfrom(fd, buf, len, flags, null, null), errno);
      lenCell[0] = addr.length;
      return checkCall('recvfrom', f.recvfrom(fd, buf, len, flags, addr, lenCell), errno);
    },
    recvmsg(fd, buf, flags, addr): RecvResult {
      const msg = {
        msg_name: addr, msg_namelen: addr ? addr.length : 0,
        msg_iov: [{ iov_base: buf, iov_len: buf.length }], msg_iovlen: 1,
        msg_control: null, msg_controllen: 0, msg_flags: 0,
      };
      const bytes = checkCall('recvmsg', f.recvmsg(fd, msg, flags), errno);
      return { bytes, flags: msg.msg_flags, addrLen: msg.msg_namelen };
    },
    close(fd) { checkCall('close', f.close(fd), errno); },
    setns(fd, nstype) { checkCall('setns', f.setns(fd, nstype), errno); },
    unshare(flags) { checkCall('unshare', f.unshare(flags), errno); },
    mount(source, target, fstype, flags, data) { checkCall('mount', f.mount(source, target, fstype, flags, data), errno); },
    umount2(target, flags) { checkCall('umount2', f.umount2(target, flags), errno); },
    open: (path, flags, mode = 0) => checkCall('open', f.open(path, flags, mode), errno),
    ioctl: (fd, request, arg) => checkCall('ioctl',
      arg === undefined ? f.ioctl(fd, request) : typeof arg === 'number' ? f.ioctlInt(fd, request, arg) : f.ioctlPtr(fd, request, arg), errno),
    sethostname(name) {
      const b = Buffer.from(name, 'utf8');
      checkCall('sethostname', f.sethostname(b, b.length), errno);
    },
    gettid: () => Number(f.gettid()),
    getpid: () => Number(f.getpid()),
    poll: (fds, nfds, timeoutMs) => checkCall('poll', f.poll(fds, nfds, timeoutMs), errno),
    pollAsync: (fds, nfds, timeoutMs) => new Promise<number>((resolve, reject) => {
      f.poll.async(fds, nfds, timeoutMs, (err: unknown, ret: number) => {
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
