/**
 * The CNI plugin process: read the configuration (stdin) and the parameters (environment), do
 * one command, print one JSON document on stdout, exit 0 — or print the spec's error JSON and
 * exit 1. Nothing here prints a stack trace.
 *
 * Start-up matters (one process per container per network): this module imports only the
 * parsers; the netlink code of each plugin type is imported when a command needs it, and
 * nftables only by configurations that use it.
 */
import { readFileSync, readSync } from 'node:fs';
import { decodeJson, parseBridgeConf, parseNetConf, type NetConf } from './config.js';
import { readEnv, type CniEnv } from './env.js';
import { CNI_INCOMPATIBLE_VERSION, CNI_IO_FAILURE, CniError, asCniError } from './errors.js';
import { type CniResult, SUPPORTED_VERSIONS, compareVersions, formatResult } from './result.js';

export const LATEST_VERSION = '1.1.0';

export interface CniOutput {
  readonly code: number;
  /** What goes to stdout ('' for none). */
  readonly stdout: string;
}

/** Merge our result after a prevResult (a chained interface plugin adds to what came before). */
function merge(prev: CniResult | undefined, ours: CniResult): CniResult {
  if (!prev) return ours;
  const shift = prev.interfaces?.length ?? 0;
  return {
    cniVersion: ours.cniVersion,
    interfaces: [...(prev.interfaces ?? []), ...(ours.interfaces ?? [])],
    ips: [...(prev.ips ?? []), ...(ours.ips ?? []).map((ip) => (ip.interface === undefined ? ip : { ...ip, interface: ip.interface + shift }))],
    routes: [...(prev.routes ?? []), ...(ours.routes ?? [])],
    ...(ours.dns ?? prev.dns ? { dns: ours.dns ?? prev.dns } : {}),
  };
}

function needVersion(conf: NetConf, min: string, command: string): void {
  if (compareVersions(conf.cniVersion, min) < 0) {
    throw new CniError(CNI_INCOMPATIBLE_VERSION, `config version ${conf.cniVersion} does not allow ${command} (needs ${min} or later)`);
  }
}

/** One invocation, given stdin text and the environment. Never throws. */
export async function runCni(stdin: string, rawEnv: NodeJS.ProcessEnv): Promise<CniOutput> {
  let version = LATEST_VERSION;
  try {
    const peek = /"cniVersion"\s*:\s*"([0-9.]+)"/.exec(stdin);
    if (peek && (SUPPORTED_VERSIONS as readonly string[]).includes(peek[1]!)) version = peek[1]!;
    const env = readEnv(rawEnv);
    if (env.command === 'VERSION') {
      let v = LATEST_VERSION;
      if (stdin.trim() !== '') {
        const cv = decodeJson(stdin)['cniVersion'];
        if (typeof cv === 'string') v = cv;
      }
      return { code: 0, stdout: JSON.stringify({ cniVersion: v, supportedVersions: SUPPORTED_VERSIONS }) };
    }
    const raw = decodeJson(stdin);
    const base = parseNetConf(raw, { needName: env.command !== 'STATUS' });
    version = base.cniVersion;
    const result = await dispatch(base, raw, stdin, env);
    return { code: 0, stdout: result ? JSON.stringify(formatResult(result, base.cniVersion)) : '' };
  } catch (err) {
    const e = asCniError(err);
    return { code: 1, stdout: JSON.stringify(e.toJSON(version)) };
  }
}

async function dispatch(base: NetConf, raw: Record<string, unknown>, stdin: string, env: CniEnv): Promise<CniResult | undefined> {
  if (env.command === 'CHECK') needVersion(base, '0.4.0', 'CHECK');
  if (env.command === 'STATUS' || env.command === 'GC') needVersion(base, '1.1.0', env.command);
  const pm = await import('./portmap.js');
  if (base.type === pm.PORTMAP_TYPE) {
    switch (env.command) {
      case 'ADD': return pm.portmapAdd(base, env);
      case 'DEL': await pm.portmapDel(base, env); return undefined;
      case 'CHECK': await pm.portmapCheck(base, env); return undefined;
      case 'GC': await (await import('./gc.js')).gc(base, stdin, env, ['portmap']); return undefined;
      case 'STATUS': pm.parsePortMapConf(base); return undefined;
    }
  }
  const conf = parseBridgeConf(raw, env.args);
  const br = await import('./bridge.js');
  switch (env.command) {
    case 'ADD': return merge(conf.prevResult, await br.bridgeAdd(conf, stdin, env));
    case 'DEL': await br.bridgeDel(conf, stdin, env); return undefined;
    case 'CHECK': await br.bridgeCheck(conf, stdin, env); return undefined;
    case 'GC': await (await import('./gc.js')).gc(conf, stdin, env, ['masq', 'spoofchk']); return undefined;
    case 'STATUS':
      if (conf.ipam?.['type']) (await import('./ipam.js')).ipamStatus(conf, stdin, env);
      return undefined;
  }
  return undefined;
}

/** Read all of stdin (fd 0) synchronously; a closed or absent stdin is ''. */
export function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN') {
      // A non-blocking pipe: read what arrives until EOF.
      const chunks: Buffer[] = [];
      const buf = Buffer.alloc(65536);
      for (;;) {
        let n = 0;
        try {
          n = readSync(0, buf, 0, buf.length, null);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
          throw new CniError(CNI_IO_FAILURE, `failed to read the network config from stdin: ${(e as Error).message}`);
        }
        if (n === 0) break;
        chunks.push(Buffer.from(buf.subarray(0, n)));
      }
      return Buffer.concat(chunks).toString('utf8');
    }
    if (code === 'EOF' || code === 'EBADF' || code === 'ENXIO') return '';
    throw new CniError(CNI_IO_FAILURE, `failed to read the network config from stdin: ${(err as Error).message}`);
  }
}
