/**
 * A network namespace handle: one fd open on the namespace (nsfs), owned by the handle and
 * closed by `close()` (or `using`). Opened by name, path, pid or fd; the fd keeps the
 * namespace alive even after `ip netns del`. Sockets and handles opened with `{ netns: h }`
 * and {@link Netns.run} use it.
 */
import { fstatSync } from 'node:fs';
import { type Libc, CLONE_NEWNET, NS_GET_NSTYPE, O_CLOEXEC, O_RDONLY, libc as defaultLibc } from '../ffi/libc.js';
import { SyscallError } from '../ffi/errors.js';
import { type NetnsRef, netnsPath, netnsSource, withNetnsSync } from '../netlink/nsenter.js';
import { NetnsError, NetnsNotFoundError, NotANetnsError } from './errors.js';

/** How to find a namespace: a {@link NetnsRef}, or explicitly `{ name }` / `{ path }`. */
export type NetnsSpec = NetnsRef | { readonly name: string } | { readonly path: string };

/** Options of {@link Netns.open}. */
export interface NetnsOpenOptions {
  /** Where named namespaces live. Default `/run/netns` (iproute2's NETNS_RUN_DIR). */
  readonly dir?: string;
  /** FFI backend. Default: libc(). */
  readonly libc?: Libc;
}

/**
 * The netns inode an fd refers to, or undefined if it is not a network namespace:
 * ioctl(NS_GET_NSTYPE) (<linux/nsfs.h>) must answer CLONE_NEWNET — a regular file (a stale
 * /run/netns name) or another namespace type fails that test.
 */
export function netnsInodeOfFd(fd: number, lib: Libc = defaultLibc()): number | undefined {
  try {
    if (lib.ioctl(fd, NS_GET_NSTYPE) !== CLONE_NEWNET) return undefined;
  } catch {
    return undefined;
  }
  return fstatSync(fd).ino;
}

/** Describe a spec for messages: `lab1`, `/proc/12/ns/net`, `pid 12`, `fd 7`. */
export function describeNetns(spec: NetnsSpec): string {
  if (typeof spec === 'number') return `fd ${spec}`;
  if (typeof spec === 'string') return spec;
  if (spec !== null && typeof spec === 'object') {
    if ('pid' in spec) return `pid ${spec.pid}`;
    if (spec instanceof Netns) return spec.label;
    if ('fd' in spec) return `fd ${spec.fd}`;
    if ('name' in spec) return spec.name;
    if ('path' in spec) return spec.path;
  }
  return String(spec);
}

/** An open network namespace (an fd on its nsfs file), by name, path, pid or fd: `enter()` runs synchronous code inside, and it works wherever a NetnsRef is taken. `close()` or `using`. */
export class Netns {
  #fd: number;
  readonly #lib: Libc;
  /** The namespace's inode number (what `ls -Li /run/netns` and `/proc/PID/ns/net` show). */
  readonly inode: number;
  /** How it was opened, for messages: a name, path, `pid N` or `fd N`. */
  readonly label: string;
  /** The `ip netns` name, when opened by name. */
  readonly name: string | undefined;

  private constructor(fd: number, inode: number, label: string, name: string | undefined, lib: Libc) {
    this.#fd = fd;
    this.inode = inode;
    this.label = label;
    this.name = name;
    this.#lib = lib;
  }

  /**
   * Open a namespace. By name (`'lab1'` or `{ name: 'lab1' }`: `<dir>/lab1`), by path, by pid
   * (`{ pid }`: /proc/PID/ns/net) or by an fd (`{ fd }` or a number: the caller's fd is not
   * taken over — the handle opens its own). A missing one throws {@link NetnsNotFoundError};
   * a file that is not a network namespace {@link NotANetnsError}.
   */
  static open(spec: NetnsSpec, opts: NetnsOpenOptions = {}): Netns {
    const lib = opts.libc ?? defaultLibc();
    const label = describeNetns(spec);
    let name: string | undefined;
    let path: string;
    // A Netns handle has `name` too: its fd decides.
    const byRef = typeof spec !== 'object' || spec === null || 'fd' in spec || 'pid' in spec;
    if (!byRef && 'name' in spec) {
      name = checkNetnsName(spec.name);
      path = `${opts.dir ?? '/run/netns'}/${name}`;
    } else if (!byRef && 'path' in spec) {
      if (typeof spec.path !== 'string' || spec.path === '') throw new TypeError('netns.open: path must be a non-empty string');
      path = spec.path;
    } else {
      const src = netnsSource(spec, 'netns.open');
      if (src.fd !== undefined) path = `/proc/self/fd/${src.fd}`;
      else {
        path = typeof spec === 'string' && !spec.includes('/') ? netnsPath(spec, opts.dir) : src.path;
        if (typeof spec === 'string' && !spec.includes('/')) name = spec;
      }
    }
    let fd: number;
    try {
      fd = lib.open(path, O_RDONLY | O_CLOEXEC);
    } catch (err) {
      const what = name !== undefined ? `"${name}"` : label;
      if (err instanceof SyscallError && err.code === 'ENOENT') {
        throw new NetnsNotFoundError(`network namespace ${what} not found (${path})`, label, { code: err.code, cause: err });
      }
      throw new NetnsError(`cannot open network namespace ${what} (${path}): ${(err as Error).message}`, label, { code: (err as SyscallError).code, cause: err });
    }
    const inode = netnsInodeOfFd(fd, lib);
    if (inode === undefined) {
      lib.close(fd);
      throw new NotANetnsError(`${path} is not a network namespace${name !== undefined ? ' (a stale name? `ip netns del` it)' : ''}`, label);
    }
    return new Netns(fd, inode, label, name, lib);
  }

  /** The calling thread's current network namespace. */
  static current(opts: NetnsOpenOptions = {}): Netns {
    return Netns.open({ path: '/proc/thread-self/ns/net' }, opts);
  }

  /** The open fd (valid until close()). Pass the handle itself where a NetnsRef is wanted. */
  get fd(): number {
    if (this.#fd < 0) throw new NetnsError(`network namespace handle ${this.label} is closed`, this.label);
    return this.#fd;
  }

  get closed(): boolean {
    return this.#fd < 0;
  }

  /** Run a synchronous `fn` with the calling thread inside this namespace; always come back. */
  enter<T>(fn: () => T): T {
    return withNetnsSync(this.#lib, this.fd, fn);
  }

  /** Close the fd. Idempotent. */
  close(): void {
    if (this.#fd < 0) return;
    const fd = this.#fd;
    this.#fd = -1;
    this.#lib.close(fd);
  }

  /** `using ns = Netns.open(…)`: closed when the scope ends. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** The label: name, path or `pid N`. */
  toString(): string {
    return `Netns(${this.label}, inode ${this.inode})`;
  }
}

/** Check a name as iproute2's is_valid_netns_name(): non-empty, ≤ NAME_MAX bytes, no `/`, not `.`/`..`. */
export function checkNetnsName(name: unknown, field = 'netns name'): string {
  if (typeof name !== 'string') throw new TypeError(`${field}: expected a string, got ${typeof name}`);
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0') || Buffer.byteLength(name) > 255) {
    throw new RangeError(`${field}: ${JSON.stringify(name)} is not a valid namespace name (1–255 bytes, no "/", not "." or "..")`);
  }
  return name;
}
