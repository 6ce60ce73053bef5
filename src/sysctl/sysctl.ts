/**
 * sysctl per network namespace: `sysctl -w net.ipv4.ip_forward=1`, inside any namespace.
 *
 * How: the /proc/sys/net tree shows the network namespace of the task that looks it up, and
 * for a Node process that task is the calling thread. So get/set enter `netns` on the main
 * thread (setns), open + read/write + close the /proc/sys file with synchronous fs calls (they
 * run on the calling thread — the async fs API would run on a libuv pool thread, still in the
 * original namespace, and silently touch the wrong one), and come back, in one synchronous
 * section. Keys outside net.* are not per-namespace; they work but mean the whole machine.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { NetlinkTsError } from '../ffi/errors.js';
import { type Libc, libc as defaultLibc } from '../ffi/libc.js';
import { type NetnsRef, withNetnsSync } from '../netlink/nsenter.js';

/** A sysctl value: a number (`1`), several (`[32768, 60999]`), or text. */
export type SysctlValue = number | readonly number[] | string;

/** Options of sysctl get/set: the namespace and the FFI backend. */
export interface SysctlOptions {
  /** The namespace to read/write in. Default: the calling thread's. */
  readonly netns?: NetnsRef;
  /** FFI backend (for the namespace switch). Default: libc(). */
  readonly libc?: Libc;
}

/** A sysctl read or write failed. */
export class SysctlError extends NetlinkTsError {
  override name = 'SysctlError';
  /** The key as given. */
  readonly key: string;
  /** `code`: the symbolic errno (`EACCES`, `EINVAL`, …), else `ERR_SYSCTL`. */
  constructor(message: string, key: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.code ?? 'ERR_SYSCTL', options);
    this.key = key;
  }
}

/** No such key (in that namespace: per-device keys exist only where the device does). */
export class UnknownSysctlError extends SysctlError {
  override name = 'UnknownSysctlError';
}

/**
 * /proc/sys path of a key. Dotted (`net.ipv4.conf.veth0.forwarding`) or slashed
 * (`net/ipv4/conf/eth0.100/forwarding` — the form for device names that contain dots, as
 * sysctl(8) accepts it).
 */
export function sysctlPath(key: string): string {
  if (typeof key !== 'string' || key === '') throw new TypeError('sysctl: key must be a non-empty string');
  const parts = key.includes('/') ? key.replace(/^\/+/, '').replace(/^proc\/sys\//, '').split('/') : key.split('.');
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..' || p.includes('\0')) throw new RangeError(`sysctl: ${JSON.stringify(key)} is not a valid key`);
  }
  return `/proc/sys/${parts.join('/')}`;
}

/** Text → value: `1` → 1, `32768\t60999` → [32768, 60999], anything else stays text. */
export function parseSysctl(text: string): SysctlValue {
  const t = text.replace(/\n$/, '');
  if (/^-?\d+$/.test(t)) return Number(t);
  if (/^-?\d+([ \t]+-?\d+)+$/.test(t)) return t.split(/[ \t]+/).map(Number);
  return t;
}

function formatValue(key: string, v: SysctlValue | boolean): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new RangeError(`sysctl ${key}: expected an integer, got ${v}`);
    return String(v);
  }
  if (typeof v === 'string') {
    if (v.includes('\0')) throw new RangeError(`sysctl ${key}: value contains NUL`);
    return v;
  }
  if (Array.isArray(v) && v.every((n) => Number.isInteger(n))) return v.join('\t');
  throw new TypeError(`sysctl ${key}: expected a number, boolean, string or array of integers`);
}

function inNetns<T>(opts: SysctlOptions, fn: () => T): T {
  return opts.netns === undefined ? fn() : withNetnsSync(opts.libc ?? defaultLibc(), opts.netns, fn);
}

function fail(err: unknown, key: string, path: string, op: string): never {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') throw new UnknownSysctlError(`sysctl: unknown key ${key} (${path} does not exist${key.startsWith('net.') || key.startsWith('net/') ? ' in this network namespace' : ''})`, key, { code, cause: err });
  throw new SysctlError(`sysctl: cannot ${op} ${key}: ${(err as Error).message}`, key, { code, cause: err });
}

/** Read a key (`sysctl -n KEY`). Synchronous: it runs inside the namespace. */
export function getSysctl(key: string, opts: SysctlOptions = {}): SysctlValue {
  const path = sysctlPath(key);
  return inNetns(opts, () => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      return fail(err, key, path, 'read');
    }
    try {
      const chunks: Buffer[] = [];
      const buf = Buffer.allocUnsafe(4096);
      for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) chunks.push(Buffer.from(buf.subarray(0, n)));
      return parseSysctl(Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      return fail(err, key, path, 'read');
    } finally {
      closeSync(fd);
    }
  });
}

/** Write a key (`sysctl -w KEY=VALUE`); booleans are written as 1/0. Synchronous. */
export function setSysctl(key: string, value: SysctlValue | boolean, opts: SysctlOptions = {}): void {
  const path = sysctlPath(key);
  const text = formatValue(key, value);
  inNetns(opts, () => {
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (err) {
      return fail(err, key, path, 'write');
    }
    try {
      writeSync(fd, text);
    } catch (err) {
      fail(err, key, path, 'write');
    } finally {
      closeSync(fd);
    }
  });
}

/** `sysctl.get(key, { netns })` / `sysctl.set(key, value, { netns })`. */
export const sysctl = {
  /** Read a key in a namespace ({@link getSysctl}). */
  get: getSysctl,
  /** Write a key in a namespace ({@link setSysctl}). */
  set: setSysctl,
  /** The /proc/sys path of a key ({@link sysctlPath}). */
  path: sysctlPath,
} as const;
