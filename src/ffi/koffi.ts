/**
 * Default FFI backend: koffi (~0.25 µs per call measured here, vs ~6 µs for ffi-napi).
 * The hot path (sendto/recvfrom) passes Buffers as plain pointers; struct msghdr is
 * marshalled by koffi only for sendmsg/recvmsg, which cost ~1.5 µs more per call.
 */
import { createRequire } from 'node:module';
import { BackendUnavailableError, checkCall, settlePollAsync } from './errors.js';
import type { Libc, RecvResult } from './libc.js';

type KoffiFn = ((...args: unknown[]) => number | bigint) & {
  /** Run the call on a libuv pool thread; the callback gets (error, result). */
  async(...args: unknown[]): void;
};
interface KoffiLib { func(decl: string): KoffiFn }
interface Koffi {
  load(path: string): KoffiLib;
  errno(): number;
  struct(name: string, def: Record<string, string>): unknown;
}

/** Build the koffi-backed {@link Libc}. Loads the koffi native module on first call. */
export function createKoffiLibc(): Libc {
  const require = createRequire(import.meta.url);
  let koffi: Koffi;
  try {
    koffi = require('koffi') as Koffi;
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && /'koffi'/.test((err as Error).message);
    throw new BackendUnavailableError('koffi', ['koffi'], missing ? 'missing' : 'unbuilt', err);
  }
  const c = koffi.load('libc.so.6');
  const errno = (): number => koffi.errno();
  koffi.struct('nlts_iovec', { iov_base: 'void *', iov_len: 'size_t' });
  koffi.struct('nlts_msghdr', {
    msg_name: 'void *', msg_namelen: 'uint32_t', msg_iov: 'nlts_iovec *', msg_iovlen: 'size_t',
    msg_control: 'void *', msg_controllen: 'size_t', msg_flags: 'int',
  });
  const f = {
    socket: c.func('int socket(int, int, int)'),
    bind: c.func('int bind(int, const void *, uint32_t)'),
    getsockname: c.func('int getsockname(int, void *, _Inout_ uint32_t *)'),
    setsockopt: c.func('int setsockopt(int, int, int, const void *, uint32_t)'),
    getsockopt: c.func('int getsockopt(int, int, int, void *, _Inout_ uint32_t *)'),
    sendto: c.func('long sendto(int, const void *, size_t, int, const void *, uint32_t)'),
    sendmsg: c.func('long sendmsg(int, const nlts_msghdr *, int)'),
    recvfrom: c.func('long recvfrom(int, void *, size_t, int, void *, _Inout_ uint32_t *)'),
    recvmsg: c.func('long recvmsg(int, _Inout_ nlts_msghdr *, int)'),
    close: c.func('int close(int)'),
    setns: c.func('int setns(int, int)'),
    unshare: c.func('int unshare(int)'),
    mount: c.func('int mount(const char *, const char *, const char *, unsigned long, const char *)'),
    umount2: c.func('int umount2(const char *, int)'),
    open: c.func('int open(const char *, int, uint32_t)'),
    ioctl: c.func('int ioctl(int, unsigned long)'),
    // ioctl(2) is variadic; fixed-argument declarations are ABI-identical for one int/pointer.
    ioctlPtr: c.func('int ioctl(int, unsigned long, void *)'),
    ioctlInt: c.func('int ioctl(int, unsigned long, unsigned long)'),
    sethostname: c.func('int sethostname(const void *, size_t)'),
    gettid: c.func('int gettid()'),
    getpid: c.func('int getpid()'),
    poll: c.func('int poll(void *, unsigned long, int)'),
    eventfd: c.func('int eventfd(unsigned int, int)'),
    read: c.func('long read(int, void *, size_t)'),
    write: c.func('long write(int, const void *, size_t)'),
    flock: c.func('int flock(int, int)'),
  };
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
