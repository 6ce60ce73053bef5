/**
 * Named network namespaces, as `ip netns add|del|list|attach|identify` keep them: a
 * namespace is named by bind-mounting its nsfs file on `<dir>/<name>` (default /run/netns,
 * iproute2's NETNS_RUN_DIR), so it outlives every process in it and any tool finds it by name.
 *
 * Done exactly as iproute2 6.1's ipnetns.c does it, from the main thread, through FFI:
 * - `<dir>` is made a shared mount (recursively), upgrading it to a mount point by binding it
 *   on itself the first time, so that a later umount in one mount namespace propagates to the
 *   others and the namespace can be freed;
 * - `<dir>/<name>` is created with O_CREAT|O_EXCL (an existing name fails);
 * - the calling thread unshare(CLONE_NEWNET)s into a new namespace, bind-mounts
 *   /proc/thread-self/ns/net on the file, and setns()es back to where it was — restored in a
 *   `finally`, whatever failed (a thread that cannot be restored aborts the process).
 * Delete is umount2(MNT_DETACH) + unlink. Processes or fds still in a deleted namespace keep it
 * alive, as with `ip netns del`.
 */
import { closeSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync, constants as fsc } from 'node:fs';
import {
  type Libc, CLONE_NEWNET, MNT_DETACH, MS_BIND, MS_REC, MS_SHARED, libc as defaultLibc,
} from '../ffi/libc.js';
import { SyscallError } from '../ffi/errors.js';
import { type NetnsRef, unshareSync } from '../netlink/nsenter.js';
import { RouteHandle } from '../route/handle.js';
import { NetnsBusyError, NetnsError, NetnsExistsError, NetnsNotFoundError } from './errors.js';
import { Netns, type NetnsSpec, checkNetnsName, describeNetns } from './netns.js';

/** Where named namespaces live (default /run/netns), and the FFI backend. */
export interface NetnsDirOptions {
  /** Where named namespaces live. Default `/run/netns`; tests can use a directory of their own. */
  readonly dir?: string;
  /** FFI backend. Default: libc(). */
  readonly libc?: Libc;
}

/** One entry of {@link listNetns}. */
export interface NamedNetns {
  readonly name: string;
  readonly path: string;
  /** The id the listing namespace has for it (`ip netns list`'s `(id: N)`), if one is assigned and ids were asked for. */
  readonly id: number | undefined;
}

const DEFAULT_DIR = '/run/netns';

/** errno code of a Node fs error or a SyscallError. */
const codeOf = (err: unknown): string | undefined => (err as { code?: string } | undefined)?.code;

/** Make `dir` exist and be a shared mount point (iproute2's create_netns_dir + MS_SHARED loop). */
function prepareDir(lib: Libc, dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  try {
    lib.mount('', dir, 'none', MS_SHARED | MS_REC, null);
  } catch (err) {
    if (!(err instanceof SyscallError) || err.code !== 'EINVAL') throw err;
    // Not a mount point yet: make it one by binding it on itself, then share it.
    lib.mount(dir, dir, 'none', MS_BIND | MS_REC, null);
    lib.mount('', dir, 'none', MS_SHARED | MS_REC, null);
  }
}

/** Create `<dir>/<name>` exclusively; EEXIST → NetnsExistsError. */
function createNameFile(path: string, name: string): void {
  let fd: number;
  try {
    fd = openSync(path, fsc.O_RDONLY | fsc.O_CREAT | fsc.O_EXCL, 0);
  } catch (err) {
    if (codeOf(err) === 'EEXIST') throw new NetnsExistsError(`network namespace "${name}" already exists (${path})`, name, { code: 'EEXIST', cause: err });
    throw new NetnsError(`cannot create ${path}: ${(err as Error).message}`, name, { code: codeOf(err), cause: err });
  }
  closeSync(fd);
}

/**
 * `ip netns add NAME`: create a new network namespace named `name` (lo down, nothing else in it).
 * Returns its path. Throws {@link NetnsExistsError} if the name is taken; leaves nothing behind
 * on any failure, and the calling thread in its original namespace.
 */
export function addNetns(name: string, opts: NetnsDirOptions = {}): string {
  checkNetnsName(name);
  const lib = opts.libc ?? defaultLibc();
  const dir = opts.dir ?? DEFAULT_DIR;
  const path = `${dir}/${name}`;
  prepareDir(lib, dir);
  createNameFile(path, name);
  try {
    unshareSync(lib, [{ nstype: CLONE_NEWNET, nsFile: 'net' }], () => lib.mount('/proc/thread-self/ns/net', path, 'none', MS_BIND, null));
  } catch (err) {
    try { unlinkSync(path); } catch { /* best effort: it is ours and empty */ }
    throw new NetnsError(`cannot create network namespace "${name}": ${(err as Error).message}`, name, { code: codeOf(err), cause: err });
  }
  return path;
}

/**
 * `ip netns attach NAME PID` (or any namespace): give an existing namespace a name, e.g. the
 * one an unshared child process lives in. Returns the path.
 */
export function attachNetns(name: string, target: NetnsSpec, opts: NetnsDirOptions = {}): string {
  checkNetnsName(name);
  const lib = opts.libc ?? defaultLibc();
  const dir = opts.dir ?? DEFAULT_DIR;
  const path = `${dir}/${name}`;
  // Open first: a missing target fails before anything is created.
  const ns = Netns.open(target, { ...opts, libc: lib });
  try {
    prepareDir(lib, dir);
    createNameFile(path, name);
    try {
      lib.mount(`/proc/self/fd/${ns.fd}`, path, 'none', MS_BIND, null);
    } catch (err) {
      try { unlinkSync(path); } catch { /* best effort */ }
      throw new NetnsError(`cannot attach ${describeNetns(target)} as "${name}": ${(err as Error).message}`, name, { code: codeOf(err), cause: err });
    }
  } finally {
    ns.close();
  }
  return path;
}

/**
 * `ip netns del NAME`: detach the bind mount and remove the name. A missing name throws
 * {@link NetnsNotFoundError}; a name still mounted after the detach (mounted twice) throws
 * {@link NetnsBusyError}. Processes and open handles in the namespace keep it alive unnamed.
 */
export function deleteNetns(name: string, opts: NetnsDirOptions = {}): void {
  checkNetnsName(name);
  const lib = opts.libc ?? defaultLibc();
  const path = `${opts.dir ?? DEFAULT_DIR}/${name}`;
  try {
    lib.umount2(path, MNT_DETACH);
  } catch (err) {
    // EINVAL: not a mount point (a stale file); ENOENT: reported by unlink below.
    if (!(err instanceof SyscallError) || (err.code !== 'EINVAL' && err.code !== 'ENOENT')) {
      throw new NetnsError(`cannot unmount ${path}: ${err instanceof Error ? err.message : String(err)}`, name, { code: codeOf(err), cause: err });
    }
  }
  try {
    unlinkSync(path);
  } catch (err) {
    const code = codeOf(err);
    if (code === 'ENOENT') throw new NetnsNotFoundError(`network namespace "${name}" not found (${path})`, name, { code, cause: err });
    if (code === 'EBUSY') throw new NetnsBusyError(`cannot remove network namespace "${name}": ${path} is still a mount point (mounted more than once?)`, name, { code, cause: err });
    throw new NetnsError(`cannot remove ${path}: ${(err as Error).message}`, name, { code, cause: err });
  }
}

/** Names in `dir` (readdir order, like `ip netns list`), without ids. A missing dir is an empty list. */
export function netnsNames(opts: NetnsDirOptions = {}): string[] {
  try {
    return readdirSync(opts.dir ?? DEFAULT_DIR);
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return [];
    throw err;
  }
}

/** Options of {@link listNetns}. */
export interface ListNetnsOptions extends NetnsDirOptions {
  /** Also ask for each one's nsid (RTM_GETNSID), as `ip netns list` prints them. Default true. */
  readonly ids?: boolean;
  /** Ask for ids as seen from this namespace. Default: the caller's. */
  readonly from?: NetnsRef;
}

/** `ip netns list`: every named namespace, with the id the caller (or `from`) has for it. */
export async function listNetns(opts: ListNetnsOptions = {}): Promise<NamedNetns[]> {
  const dir = opts.dir ?? DEFAULT_DIR;
  const names = netnsNames(opts);
  if (!(opts.ids ?? true) || names.length === 0) return names.map((name) => ({ name, path: `${dir}/${name}`, id: undefined }));
  const h = RouteHandle.open({ ...(opts.from !== undefined ? { netns: opts.from } : {}), ...(opts.libc ? { libc: opts.libc } : {}) });
  try {
    const out: NamedNetns[] = [];
    for (const name of names) {
      const path = `${dir}/${name}`;
      let id: number | undefined;
      try {
        id = await h.nsid.get(path);
      } catch {
        id = undefined; // a stale file: listed, as ip lists it, without an id
      }
      out.push({ name, path, id });
    }
    return out;
  } finally {
    h.close();
  }
}

/**
 * nsid → name, as seen from the caller (or `from`): what a link's `link-netnsid` (IFLA_LINK_NETNSID,
 * e.g. a veth whose peer lives in another namespace) means, the way `ip link` prints it.
 */
export async function netnsByNsid(opts: Omit<ListNetnsOptions, 'ids'> = {}): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const e of await listNetns({ ...opts, ids: true })) if (e.id !== undefined && !out.has(e.id)) out.set(e.id, e.name);
  return out;
}

/** `ip netns identify`: the names (in `dir`) of the namespace `target` is in. */
export function identifyNetns(target: NetnsSpec, opts: NetnsDirOptions = {}): string[] {
  const ns = Netns.open(target, opts);
  try {
    const dir = opts.dir ?? DEFAULT_DIR;
    return netnsNames(opts).filter((name) => {
      try {
        return statSync(`${dir}/${name}`).ino === ns.inode;
      } catch {
        return false;
      }
    });
  } finally {
    ns.close();
  }
}

/** Whether `<dir>/<name>` exists. */
export function netnsExists(name: string, opts: NetnsDirOptions = {}): boolean {
  checkNetnsName(name);
  try {
    statSync(`${opts.dir ?? DEFAULT_DIR}/${name}`);
    return true;
  } catch {
    return false;
  }
}
