/**
 * The netns module as one object, for code that reads like the shell it replaces:
 * `netns.add('lab1')`, `netns.open({ pid })`, `netns.spawn('lab1', 'ping', […])`.
 */
import { withNetnsSync, type NetnsRef } from '../netlink/nsenter.js';
import { libc as defaultLibc, type Libc } from '../ffi/libc.js';
import { Netns } from './netns.js';
import { addNetns, attachNetns, deleteNetns, identifyNetns, listNetns, netnsByNsid, netnsExists } from './registry.js';
import { runInNetns, spawnInNetns, spawnUnshared } from './run.js';
import { findUnshared, stopUnshared } from './unshared-owner.js';

/**
 * Run a SYNCHRONOUS `fn` with the main thread inside `ns`, and always come back (also when
 * `fn` throws). An async function or a returned Promise is refused: a namespace switch must
 * never span an await. Sockets and handles opened inside stay in that namespace.
 */
export function withNetns<T>(ns: NetnsRef, fn: () => T, opts: { readonly libc?: Libc } = {}): T {
  return withNetnsSync(opts.libc ?? defaultLibc(), ns, fn);
}

/** The netns module as one object, named like `ip netns` (add, attach, delete, list, exists, identify, byNsid, open, current, with, spawn, run, unshare, findUnshared, stopUnshared). */
export const netns = {
  /** `ip netns add NAME`: create a named namespace (see {@link addNetns}). */
  add: addNetns,
  /** `ip netns attach NAME PID`: name the namespace of a process. */
  attach: attachNetns,
  /** `ip netns del NAME`. */
  delete: deleteNetns,
  /** `ip netns list`: names (and ids with `{ ids: true }`). */
  list: listNetns,
  /** Whether a named namespace exists. */
  exists: netnsExists,
  /** `ip netns identify`: the names of a namespace. */
  identify: identifyNetns,
  /** nsid → name, as the caller's namespace numbers them. */
  byNsid: netnsByNsid,
  /** Open a namespace as a {@link Netns} handle. */
  open: Netns.open,
  /** The caller's namespace as a {@link Netns} handle. */
  current: Netns.current,
  /** Run synchronous code inside a namespace ({@link withNetns}). */
  with: withNetns,
  /** `ip netns exec`: spawn a program inside a namespace. */
  spawn: spawnInNetns,
  /** Run a program inside a namespace to completion, collecting its output. */
  run: runInNetns,
  /** `unshare --net [--uts]`: a new namespace owned by a child process ({@link spawnUnshared}). */
  unshare: spawnUnshared,
  /** Find a persistent unshared namespace by name, pid file or pid ({@link findUnshared}). */
  findUnshared,
  /** End a persistent unshared namespace's owner ({@link stopUnshared}). */
  stopUnshared,
} as const;
