/**
 * Drive the built netlink-dump binary as a user would: a spawned `node dist/bundle/netlink-dump.cjs`
 * (the published bin: a prologue loading the CommonJS esbuild bundle of src/cli with a V8 code
 * cache, tools/bin-prologue.cjs), its stdout, stderr and exit status. Spawned bins keep their
 * code cache in a temporary directory of this process, not in the user's ~/.cache.
 * (npm test builds first; run `npm run build` before running these files alone.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../dist/bundle/netlink-dump.cjs', import.meta.url));
/** The ESM bundle of the same CLI (dist/bundle/netlink-dump.js, split chunks shared with the library). */
export const BIN_ESM = fileURLToPath(new URL('../../dist/bundle/netlink-dump.js', import.meta.url));

/** The bins' V8 code cache directory for every bin this process spawns (removed at exit). */
let cacheDir: string | undefined;
export function testCacheDir(): string {
  if (cacheDir === undefined) {
    const dir = cacheDir = mkdtempSync(join(tmpdir(), 'nlts-test-code-cache-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return cacheDir;
}
/** The same CLI as tsc built it, module by module (the bundle's source). */
export const BIN_UNBUNDLED = fileURLToPath(new URL('../../dist/src/cli/netlink-dump.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(args: readonly string[], opts: { readonly input?: string | Buffer; readonly env?: Record<string, string | undefined> } = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, NETLINK_DUMP_DEBUG: undefined, NETLINK_TS_CACHE_DIR: testCacheDir(), ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], { input: opts.input ?? '', encoding: 'utf8', cwd: ROOT, env: env as NodeJS.ProcessEnv, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A stack trace line (`    at fn (file:line:col)`), which the CLI must never print. */
export const STACK = /^\s+at .+:\d+:\d+\)?$/m;

/**
 * The same CLI run in this process: the bundled bin's exported `runCli(argv, io)` with an Io
 * that collects stdout/stderr (colour off, stdin from `input`). No process start per call, so
 * tests over every fixture stay fast on a busy machine; a handful of tests keep `cli()` to
 * prove the real binary behaves the same.
 */
export async function cliIn(args: readonly string[], opts: { readonly input?: string | Buffer; readonly color?: boolean } = {}): Promise<CliResult> {
  const mod = loadBin();
  let stdout = '', stderr = '';
  const io = {
    out: (text: string) => { stdout += text.endsWith('\n') || text === '' ? text : `${text}\n`; },
    err: (line: string) => { stderr += `netlink-dump: ${line}\n`; },
    style: opts.color ? COLOR : PLAIN,
    stdin: opts.input === undefined ? Buffer.alloc(0) : Buffer.from(opts.input),
  };
  const code = await mod.runCli(args, io);
  return { code, stdout, stderr };
}

let bin: { runCli(argv: readonly string[], io: unknown): Promise<number> } | undefined;
/** The bin's exports, required in-process (the prologue runs the CLI only as a process's main); no code cache written by this process. */
function loadBin(): { runCli(argv: readonly string[], io: unknown): Promise<number> } {
  if (bin) return bin;
  const saved = process.env['NETLINK_TS_CODE_CACHE'];
  process.env['NETLINK_TS_CODE_CACHE'] = '0';
  try {
    return bin = createRequire(import.meta.url)(BIN) as { runCli(argv: readonly string[], io: unknown): Promise<number> };
  } finally {
    if (saved === undefined) delete process.env['NETLINK_TS_CODE_CACHE']; else process.env['NETLINK_TS_CODE_CACHE'] = saved;
  }
}

const wrap = (open: string, close: string) => (s: string): string => `\x1b[${open}m${s}\x1b[${close}m`;
const PLAIN = { on: false, name: (s: string) => s, dim: (s: string) => s, bad: (s: string) => s, bold: (s: string) => s };
const COLOR = { on: true, name: wrap('36', '39'), dim: wrap('2', '22'), bad: wrap('31;1', '39;22'), bold: wrap('1', '22') };
