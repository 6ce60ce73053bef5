// What a user gets from `npm install netlink-ts`: the packed tarball installed into fresh
// projects, (1) with install scripts off (`--ignore-scripts`: nothing is compiled) and (2) with
// scripts on but no compiler on PATH (no python3, make, g++: ffi-napi's optional builds fail
// and npm drops them). Both must run a README example on the default koffi backend, typecheck
// a TypeScript user's file against the shipped .d.ts, and say exactly what to install when the
// ffi-napi backend is selected. Installs use the npm cache (--prefer-offline); `npm ci` filled it.
// The tarball: NLTS_PACKED_TARBALL when set (test/run.sh packs once for this file, publint and
// attw), else `npm pack` here. (npm test builds first; run `npm run build` before running this
// file alone.)
import { spawn, spawnSync, type SpawnOptions, type SpawnSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ROOT } from '../helpers/cli.js';

const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const tmp = mkdtempSync(join(tmpdir(), 'nlts-pack-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: readonly string[], opts: SpawnSyncOptions = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 240_000, ...opts });
  if (r.error) throw r.error;
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** The same as run(), without blocking the event loop: the two installs below run at once. */
function runAsync(cmd: string, args: readonly string[], opts: SpawnOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000, ...opts });
    let stdout = '', stderr = '';
    c.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    c.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function packTarball(): string {
  const given = process.env['NLTS_PACKED_TARBALL'];
  if (given) return given;
  const packed = run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT });
  return join(tmp, (JSON.parse(packed.stdout) as [{ filename: string }])[0].filename);
}
const tarball = packTarball();
t.match(tarball, new RegExp(`/netlink-ts-${PKG.version.replace(/\./g, '\\.')}\\.tgz$`), `the tarball of this version: ${tarball}`);
// What npm pack --json lists as "files": every regular file under the tarball's package/.
const packedFiles = run('tar', ['-tzf', tarball]).stdout.split('\n').filter((f) => f && !f.endsWith('/')).map((f) => f.replace(/^package\//, ''));

// A user's code, as the README's first lines: a read-only link dump in the caller's own netns.
const EXAMPLE_JS = `import { RouteHandle, libc } from 'netlink-ts';
const h = RouteHandle.open();
const links = await h.link.list();
h.close();
console.log(JSON.stringify({ backend: libc().backend, names: links.map((l) => l.name) }));
`;
const EXAMPLE_TS = `import { RouteHandle, NetlinkTsError, NetlinkError, type Link } from 'netlink-ts';
const h = RouteHandle.open();
const links: Link[] = await h.link.list();
try { await h.link.get('nope'); } catch (e) { if (e instanceof NetlinkTsError && e instanceof NetlinkError) console.log(e.code); }
h.close();
console.log(links.length);
`;
const SELECT_FFI_NAPI = `import { setBackend, BackendUnavailableError, NetlinkTsError } from 'netlink-ts';
try { setBackend('ffi-napi'); console.log('loaded'); }
catch (e) { console.log(JSON.stringify({ name: e.name, base: e instanceof NetlinkTsError, cls: e instanceof BackendUnavailableError, code: e.code, message: e.message })); }
`;

function project(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, type: 'module' }));
  writeFileSync(join(dir, 'example.mjs'), EXAMPLE_JS);
  writeFileSync(join(dir, 'select.mjs'), SELECT_FFI_NAPI);
  writeFileSync(join(dir, 'example.ts'), EXAMPLE_TS);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] },
    files: ['example.ts'],
  }));
  return dir;
}

function checkProject(t: Test, dir: string, env: NodeJS.ProcessEnv, expectFfi: 'missing' | 'unbuilt'): void {
  const ex = run(process.execPath, ['example.mjs'], { cwd: dir, env });
  t.equal(ex.code, 0, `example runs: ${ex.stderr}`);
  const out = JSON.parse(ex.stdout || '{}') as { backend?: string; names?: string[] };
  t.equal(out.backend, 'koffi', 'on the default koffi backend');
  t.ok(out.names?.includes('lo'), 'and lists lo');

  const sel = run(process.execPath, ['select.mjs'], { cwd: dir, env });
  const e = JSON.parse(sel.stdout || '{}') as { name?: string; base?: boolean; cls?: boolean; code?: string; message?: string };
  t.equal(e.name, 'BackendUnavailableError', `selecting ffi-napi: ${sel.stdout}${sel.stderr}`);
  t.ok(e.base && e.cls, 'a NetlinkTsError, catchable by class');
  t.equal(e.code, 'ERR_BACKEND_UNAVAILABLE');
  if (expectFfi === 'missing') t.match(e.message, /is not installed: run `npm install @2060\.io\/ffi-napi @2060\.io\/ref-napi ref-struct-di`/, 'says what to install');
  else t.match(e.message, /not built .*run `npm rebuild @2060\.io\/ffi-napi @2060\.io\/ref-napi ref-struct-di`/, 'says what to rebuild');

  const tsc = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir, env });
  t.equal(tsc.code, 0, `a TypeScript user's file typechecks against the shipped .d.ts (skipLibCheck off): ${tsc.stdout}${tsc.stderr}`);

  const binEnv = { ...env, NETLINK_TS_CACHE_DIR: join(tmp, 'code-cache') }; // not the user's ~/.cache
  const bin = run(join(dir, 'node_modules/.bin/netlink-dump'), ['--help'], { cwd: dir, env: binEnv });
  t.equal(bin.code, 0, `the netlink-dump bin runs: ${bin.stderr}`);
  t.match(bin.stdout, /^ {2}decode /m, 'its help lists the commands');
  t.notMatch(bin.stdout, /^ {2}record /m, 'but not record, which needs a checkout');
  const ver = run(join(dir, 'node_modules/.bin/netlink-dump'), ['--version'], { cwd: dir, env: binEnv });
  t.equal(ver.stdout, `netlink-dump (netlink-ts) ${PKG.version}\n`, '--version');
}

t.test('the tarball holds what runs: bundle + source maps with their sources, .d.ts, man page, completions, LICENSE, CHANGELOG', async (t) => {
  for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/bundle/index.js', 'dist/bundle/index.js.map', 'dist/bundle/netlink-dump.js',
    'dist/bundle/netlink-dump.cjs', 'dist/bundle/bin/netlink-dump.cjs', 'dist/bundle/bin/netlink-dump.cjs.map', 'dist/bundle/netlink-ts-cni.cjs', 'dist/bundle/bin/netlink-ts-cni.cjs',
    'dist/src/index.d.ts', 'man/netlink-dump.1', 'completions/netlink-dump.bash', 'completions/_netlink-dump']) t.ok(packedFiles.includes(f), f);
  t.same(packedFiles.filter((f) => f.startsWith('dist/src/') && !f.endsWith('.d.ts')), [], 'no unbundled dist/src JavaScript or maps');
  t.same(packedFiles.filter((f) => /^(src|test|fixtures|tools|bench|examples)\//.test(f)), [], 'no sources, tests, fixtures, tools');
  // Bundles: the ESM .js files and the bins' CommonJS bundles (dist/bundle/bin/*.cjs); the bins'
  // prologues (dist/bundle/*.cjs, tools/bin-prologue.cjs) are hand-written, not bundled.
  const isBundle = (f: string) => f.startsWith('dist/bundle/') && (f.endsWith('.js') || (f.startsWith('dist/bundle/bin/') && f.endsWith('.cjs')));
  const maps = packedFiles.filter((f) => f.startsWith('dist/bundle/') && (f.endsWith('.js.map') || f.endsWith('.cjs.map')));
  t.equal(maps.length, packedFiles.filter(isBundle).length, 'a map beside every bundle file');
  const sources = new Set<string>();
  for (const f of maps) {
    const map = JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
    for (const src of map.sources) sources.add(src.replace(/^(\.\.\/)+/, ''));
    t.ok(map.sourcesContent?.length === map.sources.length && map.sourcesContent.every((c) => typeof c === 'string' && c.length > 0), `${f} carries its sources (they are not shipped)`);
  }
  for (const src of ['src/netns/run.ts', 'src/route/link/link.ts', 'src/cli/netlink-dump.ts']) t.ok(sources.has(src), `the maps point at ${src}`);
});

// Both installs start now and run side by side (separate projects, the npm cache is safe for
// concurrent use); each test below waits for its own.
const ignoreScriptsDir = project('ignore-scripts');
const ignoreScriptsInstall = runAsync('npm', ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: ignoreScriptsDir });
const noCompilerDir = project('no-compiler');
const noCompilerBin = join(tmp, 'bin');
mkdirSync(noCompilerBin);
for (const tool of ['node', 'npm', 'sh', 'bash', 'env', 'uname', 'cat', 'rm', 'mkdir', 'cp', 'mv', 'ln', 'chmod']) {
  const w = run('bash', ['-c', `command -v ${tool}`]);
  if (w.code === 0) symlinkSync(w.stdout.trim(), join(noCompilerBin, tool));
}
const noCompilerEnv = { ...process.env, PATH: noCompilerBin };
const noCompilerInstall = runAsync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: noCompilerDir, env: noCompilerEnv });

t.test('install with --ignore-scripts: nothing compiled, koffi works, ffi-napi says npm rebuild', async (t) => {
  const inst = await ignoreScriptsInstall;
  t.equal(inst.code, 0, `npm install: ${inst.stderr}`);
  checkProject(t, ignoreScriptsDir, process.env, 'unbuilt');
});

t.test('install on a PATH without python3, make or g++: optional builds dropped, ffi-napi says npm install', async (t) => {
  for (const cc of ['python3', 'python', 'make', 'g++', 'cc', 'gcc']) t.not(run('sh', ['-c', `command -v ${cc}`], { env: noCompilerEnv }).code, 0, `${cc} not on PATH`);
  const inst = await noCompilerInstall;
  t.equal(inst.code, 0, `npm install: ${inst.stderr}`);
  checkProject(t, noCompilerDir, noCompilerEnv, 'missing');
});

t.test('one copy of each native module in the dependency tree', async (t) => {
  const ls = run('npm', ['ls', '--all', '--parseable'], { cwd: ROOT });
  const paths = ls.stdout.split('\n').filter(Boolean);
  for (const mod of ['ref-napi', 'ffi-napi', 'koffi']) {
    const copies = paths.filter((p) => /\/node_modules\/(@[^/]+\/)?([^/]+)$/.exec(p)?.[2] === mod);
    t.equal(copies.length, 1, `${mod}: ${copies.join(', ')}`);
  }
});
