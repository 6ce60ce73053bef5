/**
 * Live-test helpers. Live tests run only inside tools/sandbox.sh (npm test puts them
 * there); each test file then unshares a netns of its own on the main thread, so files
 * running in parallel never see each other's devices.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { BACKENDS, type BackendName, CLONE_NEWNET, loadBackend } from '../../src/ffi/libc.js';

/** Fail (never skip) outside the sandbox: a live test must not touch the machine. */
export function requireSandbox(): void {
  if (process.env['NETLINK_TS_SANDBOX'] !== '1' || !process.env['NETLINK_TS_HOST_NETNS']) {
    throw new Error('live tests run only inside tools/sandbox.sh — use `npm test`');
  }
  if (netnsInode() === Number(process.env['NETLINK_TS_HOST_NETNS'])) {
    throw new Error('sandbox check failed: this process is in the machine\'s own network namespace');
  }
}

export function netnsInode(path = '/proc/thread-self/ns/net'): number {
  return statSync(path).ino;
}

/** Move the main thread (and children it spawns) into a brand-new netns with lo up. */
export function enterFreshNetns(): number {
  requireSandbox();
  loadBackend('koffi').unshare(CLONE_NEWNET);
  ip('link', 'set', 'lo', 'up');
  return netnsInode();
}

export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8' });
}

export function ipJson<T = any>(...args: string[]): T {
  return JSON.parse(execFileSync('ip', ['-j', ...args], { encoding: 'utf8' }) || '[]') as T;
}

export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Every backend, each loaded for real: a backend that fails to load fails the test. */
export const backends: readonly BackendName[] = BACKENDS;
