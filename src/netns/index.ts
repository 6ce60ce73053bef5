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

export const netns = {
  add: addNetns,
  attach: attachNetns,
  delete: deleteNetns,
  list: listNetns,
  exists: netnsExists,
  identify: identifyNetns,
  byNsid: netnsByNsid,
  open: Netns.open,
  current: Netns.current,
  with: withNetns,
  spawn: spawnInNetns,
  run: runInNetns,
  unshare: spawnUnshared,
  findUnshared,
  stopUnshared,
} as const;
