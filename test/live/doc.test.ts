// Live: every ```ts and ```sh block of README.md and docs/*.md runs as written (the convention
// is docs/README.md; block extraction is test/helpers/doc-blocks.ts, the static checks
// test/unit/doc-blocks.test.ts).
//
// - A temporary project has node_modules/netlink-ts linked to this checkout, so `import … from
//   'netlink-ts'` resolves through package.json "exports" to the built bundle and its .d.ts,
//   as in a user's project, and node_modules/.bin holds the package's bins.
// - All ts blocks are typechecked together against that package (strict, nodenext), one
//   assertion per block; then each block is transpiled (esbuild) and run as its own node
//   process, sh blocks with `bash -e -o pipefail`.
// - Each run gets a fresh network + mount + UTS namespace with a private /run/netns (unshare
//   inside the sandbox), so blocks start from nothing and leave nothing, and runs once under
//   each FFI backend (NETLINK_TS_FFI=koffi, ffi-napi).
// - The working directory is an empty directory linking the checkout's top-level entries
//   (fixtures/, examples/, …): relative paths work as in a checkout, new files land nowhere.
// (npm test builds first; run `npm run build` before running this file alone.)
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import t from 'tap';
import { allDocBlocks, where, type DocBlock } from '../helpers/doc-blocks.js';
import { ROOT } from '../helpers/cli.js';
import { backends, requireSandbox } from '../helpers/live.js';

requireSandbox();
const TIMEOUT_MS = 240_000;
const blocks = allDocBlocks(ROOT).filter((b) => (b.kind === 'ts' || b.kind === 'sh') && b.skip === undefined);

const proj = mkdtempSync(join(tmpdir(), 'nlts-doc-'));
t.teardown(() => rmSync(proj, { recursive: true, force: true }));
mkdirSync(join(proj, 'node_modules/.bin'), { recursive: true });
mkdirSync(join(proj, 'blocks'));
symlinkSync(ROOT, join(proj, 'node_modules/netlink-ts'));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; bin?: Record<string, string> };
for (const [name, file] of Object.entries(pkg.bin ?? {})) {
  chmodSync(join(ROOT, file), 0o755);
  symlinkSync(join(ROOT, file), join(proj, 'node_modules/.bin', name));
}
writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'doc-blocks', private: true, type: 'module' }));
writeFileSync(join(proj, 'tsconfig.json'), JSON.stringify({
  compilerOptions: {
    module: 'nodenext', target: 'es2022', lib: ['es2022', 'esnext.disposable'], strict: true, noEmit: true, skipLibCheck: true,
    types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')], noUnusedLocals: false,
  },
  include: ['blocks/*.ts'],
}));

const slug = (b: DocBlock): string => `${b.file.replace(/[^A-Za-z0-9]+/g, '_')}_${b.line}`;
const isTs = (b: DocBlock): boolean => b.lang === 'ts' || b.lang === 'typescript';
for (const b of blocks) {
  if (b.kind !== 'ts') continue;
  // `export {}` keeps a block without imports a module (top-level await, its own scope).
  const src = `${b.code}\nexport {};\n`;
  if (isTs(b)) writeFileSync(join(proj, 'blocks', `${slug(b)}.ts`), src);
  writeFileSync(join(proj, 'blocks', `${slug(b)}.mjs`), transformSync(src, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: where(b) }).code);
}

/** A directory that looks like the checkout (its top-level entries linked) and is empty otherwise. */
function workdir(): string {
  const dir = mkdtempSync(join(proj, 'cwd-'));
  for (const e of readdirSync(ROOT)) if (e !== 'node_modules' && !e.startsWith('.')) symlinkSync(join(ROOT, e), join(dir, e));
  return dir;
}

/** Run argv in a fresh net + mount + uts namespace with a private /run/netns and lo up. */
function isolated(argv: readonly string[], cwd: string, backend: string): Promise<{ code: number | null; out: string }> {
  const setup = 'mount -t tmpfs -o mode=755 nlts-doc /run/netns && ip link set lo up && exec "$@"';
  return new Promise((resolve, reject) => {
    const c = spawn('unshare', ['--net', '--mount', '--uts', '--propagation', 'private', '--', 'bash', '-c', setup, 'doc-block', ...argv], {
      cwd, timeout: TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NETLINK_TS_FFI: backend, NO_COLOR: '1', PATH: `${join(proj, 'node_modules/.bin')}:${process.env['PATH']}` },
    });
    let stdout = '', stderr = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    c.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    c.on('error', reject);
    c.on('close', (code, signal) => resolve({ code, out: `${stdout}${stderr}${signal ? `\n(killed by ${signal})` : ''}` }));
  });
}

// Blocks run a few at a time (each in its own namespaces, in its own directory; a block's two
// backend runs one after the other, as a block may name a fixed file such as a pid file), all
// started up front; each block's test below waits for its own results.
const PARALLEL = 4;
const queue: Array<() => void> = [];
let running = 0;
function limited<T>(job: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const start = (): void => {
      running++;
      job().then(resolve, reject).finally(() => { running--; queue.shift()?.(); });
    };
    if (running < PARALLEL) start(); else queue.push(start);
  });
}

// tsc over all ts blocks, beside the block runs.
const typecheck = new Promise<string>((resolve, reject) => {
  const c = spawn(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', proj, '--pretty', 'false'], { timeout: TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  c.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  c.stderr.setEncoding('utf8').on('data', (d: string) => { out += d; });
  c.on('error', reject);
  c.on('close', () => resolve(out));
});

const tail = (s: string): string => s.split('\n').slice(-40).join('\n');

t.test('every ts block typechecks against the package as a user imports it', async (t) => {
  const tsBlocks = blocks.filter(isTs);
  t.ok(tsBlocks.length > 0, 'there are ts blocks');
  const diags = (await typecheck).split('\n');
  for (const b of tsBlocks) {
    const mine = diags.filter((l) => l.startsWith(`blocks/${slug(b)}.ts(`)).map((l) => {
      const m = /^[^(]+\((\d+),(\d+)\): (.*)$/.exec(l);
      return m ? `${b.file}:${b.line + Number(m[1])}:${m[2]}: ${m[3]}` : l;
    });
    t.same(mine, [], `${where(b)} typechecks`);
  }
  t.equal(diags.filter((l) => /error TS/.test(l) && !/^blocks\//.test(l)).length, 0, 'no errors outside the blocks');
});

const runs = new Map(blocks.map((b) => [b, limited(async () => {
  const results: Array<{ backend: string; code: number | null; out: string }> = [];
  for (const backend of backends) {
    const argv = b.kind === 'sh'
      ? ['bash', '-e', '-o', 'pipefail', '-c', b.code]
      : [process.execPath, '--enable-source-maps', join(proj, 'blocks', `${slug(b)}.mjs`)];
    results.push({ backend, ...await isolated(argv, workdir(), backend) });
  }
  return results;
})]));

for (const b of blocks) {
  t.test(`${where(b)} (\`\`\`${b.lang}) runs as written`, async (t) => {
    const results = await runs.get(b)!;
    t.equal(results.length, backends.length, 'ran under every backend');
    for (const r of results) t.equal(r.code, 0, `${r.backend}: exits 0`, r.code === 0 ? {} : { output: tail(r.out) });
  });
}
