/**
 * Lab processes found from /proc alone: keepers (the processes holding a lab's unnamed
 * namespaces) and node processes carry `NETLINK_LAB=<lab>:<node>[:<process>]` in their
 * environment, which /proc/PID/environ shows to root. No pid file: a crashed apply leaves
 * nothing that could go stale, and destroy finds them again by lab name.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnInNetns, spawnUnshared } from '../netns/run.js';
import type { NetnsRef } from '../netlink/nsenter.js';
import { ENV_MARKER } from './model.js';

/** A marked process. `proc` is undefined for a keeper. */
export interface LabProc {
  readonly pid: number;
  readonly lab: string;
  readonly node: string;
  readonly proc: string | undefined;
}

const PREFIX = `${ENV_MARKER}=`;

/** Every marked process on the machine (of `lab`, when given). */
export function findLabProcs(lab?: string): LabProc[] {
  const out: LabProc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let env: string;
    try {
      env = readFileSync(`/proc/${d}/environ`, 'latin1');
    } catch {
      continue; // gone, or a kernel thread
    }
    let at = env.startsWith(PREFIX) ? 0 : env.indexOf(`\0${PREFIX}`);
    if (at < 0) continue;
    if (at > 0) at += 1;
    const end = env.indexOf('\0', at);
    const [l, node, proc] = env.slice(at + PREFIX.length, end === -1 ? undefined : end).split(':');
    if (l === undefined || node === undefined || (lab !== undefined && l !== lab)) continue;
    // A zombie keeps its environ readable for a moment but holds no namespace any more.
    if (stateOf(Number(d)) === 'Z') continue;
    out.push({ pid: Number(d), lab: l, node, proc: proc === undefined || proc === '' ? undefined : proc });
  }
  return out;
}

function stateOf(pid: number): string | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

const alive = (pid: number): boolean => { const s = stateOf(pid); return s !== undefined && s !== 'Z'; };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone (or a zombie). */
export async function killProc(pid: number, graceMs = 2000): Promise<void> {
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  for (let waited = 0; alive(pid); waited += 10) {
    if (waited === graceMs) { try { process.kill(pid, 'SIGKILL'); } catch { return; } }
    await sleep(10);
  }
}

/** Children spawned here, kept so Node reaps them (and so they are not reported as zombies for long). */
const children = new Set<ChildProcess>();
const keep = (c: ChildProcess): void => {
  children.add(c);
  c.once('exit', () => children.delete(c));
  c.unref();
};

const markedEnv = (marker: string, extra?: Readonly<Record<string, string>>): NodeJS.ProcessEnv => ({ ...process.env, ...extra, [ENV_MARKER]: marker });

/**
 * Start a keeper: `sleep infinity` in a new network (and UTS, with a hostname) namespace,
 * detached so it outlives this process, marked `NETLINK_LAB=<lab>:<node>`.
 */
export function startKeeper(lab: string, node: string, hostname: string | undefined): number {
  const k = spawnUnshared({
    ...(hostname !== undefined ? { hostname } : {}),
    command: 'sleep', args: ['infinity'],
    spawn: { detached: true, stdio: 'ignore', env: markedEnv(`${lab}:${node}`), argv0: `netlink-lab-keeper:${lab}:${node}` },
  });
  keep(k.child);
  return k.pid;
}

/** Start a node process inside `ns` (and its UTS namespace for a keeper's `{ pid }`), detached and marked. */
export function startProcess(lab: string, node: string, ns: NetnsRef | undefined, name: string, cmd: readonly string[], env?: Readonly<Record<string, string>>): number {
  const opts = { detached: true, stdio: 'ignore' as const, env: markedEnv(`${lab}:${node}:${name}`, env) };
  const [file, ...args] = cmd as [string, ...string[]];
  const c = ns === undefined
    ? spawn(file, args, opts)
    : spawnInNetns(ns, file, args, { ...opts, uts: typeof ns === 'object' && ns !== null && 'pid' in ns });
  c.on('error', () => undefined);
  if (c.pid === undefined) throw new Error(`cannot start ${JSON.stringify(file)} (not found or not executable)`);
  keep(c);
  return c.pid;
}
