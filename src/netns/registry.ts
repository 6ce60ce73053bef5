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
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, realpathSync, statSync, unlinkSync, constants as fsc } from 'node:fs';
import {
  type Libc, CLONE_NEWNET, MNT_DETACH, MS_BIND, MS_REC, MS_SHARED, O_CLOEXEC, O_RDONLY, libc as defaultLibc,
} from '../ffi/libc.js';
import { SyscallError } from '../ffi/errors.js';
import { type NetnsRef, unshareSync } from '../netlink/nsenter.js';
import { RouteHandle } from '../route/handle.js';
import { NetnsBusyError, NetnsError, NetnsExistsError, NetnsNotFoundError, NotANetnsError } from './errors.js';
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

/** umount2(2) flag: do not follow a symlink at the target (<sys/mount.h>). */
const UMOUNT_NOFOLLOW = 8;

/** `dir` must be a directory (or not exist yet): checked before anything is created or mounted. */
function checkDir(dir: unknown, name: string): string {
  if (typeof dir !== 'string' || dir === '') throw new TypeError(`netns.dir: expected a directory path, got ${dir === '' ? 'an empty string' : typeof dir}`);
  let st;
  try {
    st = statSync(dir);
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return dir; // made below
    if (codeOf(err) === 'ENOTDIR') throw new NetnsError(`netns.dir: ${dir} is not a directory (a component of it is a file)`, name, { code: 'ENOTDIR', cause: err });
    throw new NetnsError(`netns.dir: cannot use ${dir}: ${(err as Error).message}`, name, { code: codeOf(err), cause: err });
  }
  if (!st.isDirectory()) throw new NetnsError(`netns.dir: ${dir} is not a directory`, name, { code: 'ENOTDIR' });
  return dir;
}

/** Make `dir` exist and be a shared mount point (iproute2's create_netns_dir + MS_SHARED loop). */
function prepareDir(lib: Libc, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
  } catch (err) {
    throw new NetnsError(`netns.dir: cannot create ${dir}: ${(err as Error).message}`, dir, { code: codeOf(err), cause: err });
  }
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
    if (codeOf(err) === 'EEXIST') {
      // An empty file with nothing mounted on it: left by a netns.add killed between the two steps.
      const half = mountTypeAt(path) === undefined && (() => { try { const st = lstatSync(path); return st.isFile() && st.size === 0; } catch { return false; } })();
      throw new NetnsExistsError(half
        ? `network namespace "${name}": ${path} exists but is not a namespace (an empty name file, nothing mounted: left by a netns.add that did not finish); netns.delete removes it`
        : `network namespace "${name}" already exists (${path})`, name, { code: 'EEXIST', cause: err });
    }
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
  const dir = checkDir(opts.dir ?? DEFAULT_DIR, name);
  const path = `${dir}/${name}`;
  prepareDir(lib, dir);
  // The namespace first (unshare is the slow part: ~ms), held by an fd; the name only then, bind-
  // mounted right away. A process killed before the name exists leaves nothing; only one killed
  // between creating the name file and the mount leaves a half-made entry (bench/kill.ts: 25 of
  // 26 kills mid-way left one when the name came first).
  let fd: number;
  try {
    fd = unshareSync(lib, [{ nstype: CLONE_NEWNET, nsFile: 'net' }], () => lib.open('/proc/thread-self/ns/net', O_RDONLY | O_CLOEXEC));
  } catch (err) {
    throw new NetnsError(`cannot create network namespace "${name}": ${(err as Error).message}`, name, { code: codeOf(err), cause: err });
  }
  try {
    createNameFile(path, name);
    try {
      lib.mount(`/proc/self/fd/${fd}`, path, 'none', MS_BIND, null);
    } catch (err) {
      try { unlinkSync(path); } catch { /* best effort: it is ours and empty */ }
      throw new NetnsError(`cannot create network namespace "${name}": ${(err as Error).message}`, name, { code: codeOf(err), cause: err });
    }
  } finally {
    lib.close(fd);
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
  const dir = checkDir(opts.dir ?? DEFAULT_DIR, name);
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
 * Refuse to delete what netns.add/attach did not make: a symlink (iproute2 unmounts the
 * symlink's target: `ip netns del` of a link to /proc would detach /proc), a directory, or a
 * file with something other than a namespace mounted on it. A missing name or a stale empty
 * file (not a mount point) is left to the unmount/unlink below, as before.
 */
function refuseForeign(path: string, name: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return; // ENOENT and friends: reported by unlink
  }
  if (st.isSymbolicLink()) {
    let to = '?';
    try { to = readlinkSync(path); } catch { /* unreadable */ }
    throw new NotANetnsError(`refusing to delete "${name}": ${path} is a symlink (to ${to}), not a namespace name netns.add made; nothing unmounted or removed`, name, { code: 'ELOOP' });
  }
  if (!st.isFile()) throw new NotANetnsError(`refusing to delete "${name}": ${path} is not a file netns.add made (a ${st.isDirectory() ? 'directory' : 'special file'}); nothing unmounted or removed`, name, { code: st.isDirectory() ? 'EISDIR' : 'EINVAL' });
  // Mounted on: it must be the namespace filesystem (a bind mount of a file from the same
  // filesystem has its directory's st_dev, so ask the mount table).
  const type = mountTypeAt(path);
  if (type !== undefined && type !== 'nsfs') {
    throw new NotANetnsError(`refusing to delete "${name}": ${path} has a filesystem of type ${type} mounted on it, not a network namespace; nothing unmounted or removed`, name, { code: 'EINVAL' });
  }
}

/** The filesystem type of the topmost mount at `path` (/proc/self/mountinfo), if it is a mount point. */
function mountTypeAt(path: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return undefined;
  }
  let type: string | undefined;
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return undefined;
  }
  // Fields: id parent major:minor root mount-point options [optional…] - fstype source super-options.
  const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length < 7 || unescape(f[4]!) !== real) continue;
    const dash = f.indexOf('-', 6);
    if (dash > 0) type = f[dash + 1]; // later lines are mounted on top: keep the last
  }
  return type;
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
  refuseForeign(path, name);
  try {
    // UMOUNT_NOFOLLOW: should the name become a symlink between the check and here, the
    // kernel refuses rather than unmounting its target.
    lib.umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
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
