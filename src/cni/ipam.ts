/**
 * IPAM dispatch: `host-local` runs built in (same files as the reference binary); any other
 * `ipam.type` is a delegated plugin found in CNI_PATH and run as SPEC.md section 4 says — same
 * environment (CNI_COMMAND switched as needed), the whole configuration on stdin, its stderr
 * passed through, its result (or error JSON) read from stdout.
 */
import type * as ChildProcess from 'node:child_process';
import { accessSync, constants as fsc } from 'node:fs';
import { join } from 'node:path';
import type { CniCommand, CniEnv } from './env.js';
import { CNI_ERR_DELEGATE, CNI_INVALID_CONFIG, CNI_NOT_AVAILABLE, CniError } from './errors.js';
import { hostLocalAdd, hostLocalCheck, hostLocalDel, hostLocalFree, hostLocalGc, parseHostLocal } from './host-local.js';
import { type CniResult, parseResult } from './result.js';
import type { NetConf } from './config.js';

/** ipam.type values served in-process. */
export const BUILTIN_IPAM = new Set(['host-local']);

/** Find an executable `type` in CNI_PATH. */
export function findPlugin(type: string, path: readonly string[]): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(type)) throw new CniError(CNI_INVALID_CONFIG, `plugin type ${JSON.stringify(type)} is not a plugin name`);
  for (const dir of path) {
    const file = join(dir, type);
    try {
      accessSync(file, fsc.X_OK);
      return file;
    } catch {
      // next directory
    }
  }
  throw new CniError(CNI_INVALID_CONFIG, `failed to find plugin ${JSON.stringify(type)} in path [${path.join(' ')}]`);
}

/** Run a delegated plugin; returns its stdout parsed (or undefined when it printed nothing). */
export function execPlugin(type: string, command: CniCommand, stdin: string, env: CniEnv): unknown {
  const file = findPlugin(type, env.path);
  // Loaded here, not at start-up: only delegated plugins need it.
  const { spawnSync } = process.getBuiltinModule('node:child_process') as typeof ChildProcess;
  const r = spawnSync(file, [], { input: stdin, env: { ...env.raw, CNI_COMMAND: command }, stdio: ['pipe', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.error) throw new CniError(CNI_ERR_DELEGATE, `${type}: cannot run ${file}: ${r.error.message}`);
  const out = r.stdout.trim();
  let parsed: unknown;
  if (out !== '') {
    try {
      parsed = JSON.parse(out);
    } catch {
      throw new CniError(CNI_ERR_DELEGATE, `${type}: printed something that is not JSON`, out.slice(0, 500));
    }
  }
  if (r.status !== 0) {
    const e = parsed as { code?: unknown; msg?: unknown; details?: unknown } | undefined;
    // The delegate's own error result is passed on as it is (its code, msg, details).
    if (e && typeof e.code === 'number' && typeof e.msg === 'string') throw new CniError(e.code, e.msg, typeof e.details === 'string' ? e.details : '');
    throw new CniError(CNI_ERR_DELEGATE, `${type} ${command} failed (exit ${r.status ?? r.signal})`, out.slice(0, 500));
  }
  return parsed;
}

function ipamType(conf: NetConf): string {
  const t = conf.ipam?.['type'];
  if (typeof t !== 'string' || t === '') throw new CniError(CNI_INVALID_CONFIG, 'ipam.type: missing');
  return t;
}

/** ADD: addresses, gateways, routes (and DNS) for the attachment; an IPAM-shaped result. */
export function ipamAdd(conf: NetConf, stdin: string, env: CniEnv): CniResult {
  const type = ipamType(conf);
  if (BUILTIN_IPAM.has(type)) return hostLocalAdd(parseHostLocal(conf.raw, env.args), env.containerId, env.ifname, conf.cniVersion);
  return parseResult(execPlugin(type, 'ADD', stdin, env), `${type} result`);
}

export function ipamDel(conf: NetConf, stdin: string, env: CniEnv): void {
  const type = ipamType(conf);
  if (BUILTIN_IPAM.has(type)) hostLocalDel(parseHostLocal(conf.raw, env.args), env.containerId, env.ifname);
  else execPlugin(type, 'DEL', stdin, env);
}

export function ipamCheck(conf: NetConf, stdin: string, env: CniEnv): void {
  const type = ipamType(conf);
  if (BUILTIN_IPAM.has(type)) hostLocalCheck(parseHostLocal(conf.raw, env.args), env.containerId, env.ifname);
  else execPlugin(type, 'CHECK', stdin, env);
}

export function ipamGc(conf: NetConf, stdin: string, env: CniEnv, valid: ReadonlyArray<{ containerID: string; ifname: string }>): void {
  const type = ipamType(conf);
  if (BUILTIN_IPAM.has(type)) hostLocalGc(parseHostLocal(conf.raw, env.args), valid);
  else execPlugin(type, 'GC', stdin, env);
}

export function ipamStatus(conf: NetConf, stdin: string, env: CniEnv): void {
  const type = ipamType(conf);
  if (BUILTIN_IPAM.has(type)) {
    if (!hostLocalFree(parseHostLocal(conf.raw, env.args))) throw new CniError(CNI_NOT_AVAILABLE, 'host-local: every address in the ranges is allocated');
  } else execPlugin(type, 'STATUS', stdin, env);
}
