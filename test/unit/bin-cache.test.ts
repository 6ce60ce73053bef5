// The bins' V8 code cache (tools/bin-prologue.cjs, issue 16): whatever state the cache is in —
// missing, hit, stale, corrupt, truncated, rejected by V8, in a directory that is not safe or
// not writable, several runs at once — the bin prints the same bytes and exit status as with the
// cache off, and it never writes beside the bundle. The state is read from the prologue's
// NETLINK_TS_CODE_CACHE=debug line. Runs `decode` on a fixture and `--version` (no netlink).
// (npm test builds first; run `npm run build` before running this file alone.)
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ROOT } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'nlts-bin-cache-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

// A private copy of the two files of the bin, so the tests may touch and edit the bundle.
const INSTALL = join(tmp, 'install', 'dist', 'bundle');
mkdirSync(join(INSTALL, 'bin'), { recursive: true });
cpSync(join(ROOT, 'dist/bundle/netlink-dump.cjs'), join(INSTALL, 'netlink-dump.cjs'));
cpSync(join(ROOT, 'dist/bundle/bin/netlink-dump.cjs'), join(INSTALL, 'bin', 'netlink-dump.cjs'));
const BIN = join(INSTALL, 'netlink-dump.cjs');
const FIXTURE = join(ROOT, 'fixtures/route/link/newlink-error-extack.hex');
const ARGS = ['decode', FIXTURE];

interface Run { code: number | null; stdout: string; stderr: string; cache: string }
function run(cacheDir: string, opts: { args?: string[]; node?: string[]; env?: Record<string, string> } = {}): Run {
  const r = spawnSync(process.execPath, [...opts.node ?? [], BIN, ...opts.args ?? ARGS], {
    encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NETLINK_TS_CACHE_DIR: cacheDir, NETLINK_TS_CODE_CACHE: 'debug', ...opts.env },
  });
  const lines = r.stderr.split('\n');
  const cache = lines.find((l) => l.startsWith('netlink-ts code cache: ')) ?? '';
  return { code: r.status, stdout: r.stdout, stderr: lines.filter((l) => l !== cache).join('\n'), cache: cache.replace(/ \(\/[^()]*\)$/, '').slice('netlink-ts code cache: '.length) };
}
const REF = run(join(tmp, 'unused'), { env: { NETLINK_TS_CODE_CACHE: '0' } });
t.equal(REF.code, 0, `reference run (cache off): ${REF.stderr}`);
t.match(REF.stdout, /NLMSG_ERROR/, 'decodes the fixture');

function same(t: Test, r: Run, what: string): void {
  t.equal(r.code, REF.code, `${what}: exit status`);
  t.equal(r.stdout, REF.stdout, `${what}: stdout`);
  t.equal(r.stderr, REF.stderr, `${what}: stderr (besides the debug line)`);
}
const cacheFiles = (dir: string) => existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cache')) : [];
const installFiles = () => readdirSync(join(tmp, 'install'), { recursive: true }).map(String).sort();
const INSTALLED = installFiles();

t.test('missing, then hit; the file is private to the user', async (t) => {
  const dir = join(tmp, 'c1', 'nested');
  const a = run(dir);
  same(t, a, 'first run');
  t.equal(a.cache, 'miss, written');
  t.equal(statSync(dir).mode & 0o777, 0o700, 'the directory is created 0700');
  const [file] = cacheFiles(dir);
  t.match(file, /^netlink-dump-[0-9a-f]{16}\.cache$/, 'one cache file named after the build');
  t.equal(statSync(join(dir, file!)).mode & 0o777, 0o600, 'the file is 0600');
  const b = run(dir);
  same(t, b, 'second run');
  t.equal(b.cache, 'hit, not needed');
  const c = run(dir, { args: ['--version'] });
  t.equal(c.code, 0);
  t.equal(c.cache, 'hit, new kind of run ":--version", written', 'another subcommand adds its functions once');
  t.equal(run(dir, { args: ['--version'] }).cache, 'hit, not needed', 'then hits');
  t.equal(run(dir).cache, 'hit, not needed', 'and the first kind still hits');
  t.same(readdirSync(dir), [file], 'no temporary files left');
});

t.test('corrupt, truncated, garbage, another build: compiled normally and rewritten', async (t) => {
  const dir = join(tmp, 'c2');
  run(dir);
  const [name] = cacheFiles(dir);
  const file = join(dir, name!);
  const good = readFileSync(file);
  const damage: [string, Buffer][] = [
    ['a flipped payload byte', Buffer.from(good.map((b, i) => (i === good.length - 100 ? b ^ 0xff : b)))],
    ['truncated', good.subarray(0, good.length >> 1)],
    ['garbage', Buffer.from('not a cache at all\n{}\n')],
    ['empty', Buffer.alloc(0)],
    ['a header that is not JSON', Buffer.concat([Buffer.from('nlts-code-cache 1\n{oops\n'), good.subarray(200)])],
  ];
  for (const [what, bytes] of damage) {
    writeFileSync(file, bytes, { mode: 0o600 });
    const r = run(dir);
    same(t, r, what);
    t.equal(r.cache, 'corrupt, written', `${what}: detected`);
    t.equal(run(dir).cache, 'hit, not needed', `${what}: rewritten`);
  }
  // A cache of an older build of the bin is removed when this build's is written.
  writeFileSync(join(dir, 'netlink-dump-0000000000000000.cache'), good, { mode: 0o600 });
  rmSync(file);
  t.equal(run(dir).cache, 'miss, written');
  t.same(cacheFiles(dir), [name], 'the other build\'s cache is gone');
});

t.test('stale: the bundle changed (mtime, content) since the cache was written', async (t) => {
  const dir = join(tmp, 'c3');
  const bundle = join(INSTALL, 'bin', 'netlink-dump.cjs');
  const orig = readFileSync(bundle);
  t.teardown(() => writeFileSync(bundle, orig));
  run(dir);
  const future = new Date(Date.now() + 3600_000);
  utimesSync(bundle, future, future);
  const a = run(dir);
  same(t, a, 'touched bundle');
  t.equal(a.cache, 'stale, written');
  // Same length, other content (what V8's own check, by length, would accept): a marker the
  // edited bundle prints proves the new code ran, not the cached one.
  const src = orig.toString('utf8');
  const at = src.indexOf('netlink-dump (netlink-ts) ');
  t.ok(at > 0, 'the version line is in the bundle');
  const edited = `${src.slice(0, at)}NETLINK-DUMP (netlink-ts) ${src.slice(at + 'netlink-dump (netlink-ts) '.length)}`;
  t.equal(edited.length, src.length);
  run(dir, { args: ['--version'] });
  writeFileSync(bundle, edited);
  const b = run(dir, { args: ['--version'] });
  t.match(b.stdout, /^NETLINK-DUMP \(netlink-ts\)/, 'the edited bundle runs');
  t.equal(b.cache, 'stale, written');
});

t.test('rejected by V8 (other V8 flags): compiled normally, rewritten for those flags', async (t) => {
  const dir = join(tmp, 'c4');
  run(dir);
  const a = run(dir, { node: ['--stack-size=900'] });
  same(t, a, 'other flags');
  t.equal(a.cache, 'rejected by V8, written');
  t.equal(run(dir, { node: ['--stack-size=900'] }).cache, 'hit, not needed');
});

t.test('a directory or file that is not safe is neither read nor written', async (t) => {
  const open = join(tmp, 'c5');
  mkdirSync(open, { mode: 0o777 });
  chmodSync(open, 0o777);
  const a = run(open);
  same(t, a, 'world-writable directory');
  t.equal(a.cache, 'unsafe directory, skipped: unsafe directory');
  t.same(cacheFiles(open), [], 'nothing written there');

  const dir = join(tmp, 'c6');
  run(dir);
  const [name] = cacheFiles(dir);
  const file = join(dir, name!);
  chmodSync(file, 0o666);
  const b = run(dir);
  same(t, b, 'group/other-writable cache file');
  t.match(b.cache, /^unsafe file, written$/, 'not read; replaced by a private one');
  t.equal(statSync(file).mode & 0o777, 0o600);

  rmSync(file);
  const elsewhere = join(tmp, 'elsewhere.cache');
  writeFileSync(elsewhere, readFileSync(join(ROOT, 'package.json')));
  symlinkSync(elsewhere, file);
  const c = run(dir);
  same(t, c, 'a symlink as cache file');
  t.equal(c.cache, 'unsafe file, written', 'not followed');
  t.equal(readFileSync(elsewhere, 'utf8'), readFileSync(join(ROOT, 'package.json'), 'utf8'), 'its target untouched');

  if (process.getuid?.() === 0) {
    const other = join(tmp, 'c7');
    mkdirSync(other, { mode: 0o700 });
    chownSync(other, 65534, 65534);
    const d = run(other);
    same(t, d, 'a directory of another user');
    t.equal(d.cache, 'unsafe directory, skipped: unsafe directory');
    t.same(cacheFiles(other), []);
  }
});

t.test('unwritable or absent cache locations: the bin still works', async (t) => {
  const file = join(tmp, 'a-file');
  writeFileSync(file, 'x');
  const a = run(join(file, 'sub'));
  same(t, a, 'cache dir below a regular file');
  t.match(a.cache, /^unreadable \(ENOTDIR\), failed: ENOTDIR$/);
  const b = run('relative/dir');
  same(t, b, 'a relative NETLINK_TS_CACHE_DIR');
  t.equal(b.cache, 'no cache directory, not needed', 'is not used');
  const c = run(join(tmp, 'c8'), { env: { NETLINK_TS_CODE_CACHE: '0' } });
  same(t, c, 'cache off');
  t.same(cacheFiles(join(tmp, 'c8')), [], 'off writes nothing');
  // No NETLINK_TS_CACHE_DIR: $XDG_CACHE_HOME/netlink-ts, else $HOME/.cache/netlink-ts.
  const xdg = join(tmp, 'xdg');
  const r = spawnSync(process.execPath, [BIN, ...ARGS], { encoding: 'utf8', env: { PATH: process.env['PATH'], NO_COLOR: '1', XDG_CACHE_HOME: xdg, HOME: join(tmp, 'home') } });
  t.equal(r.stdout, REF.stdout);
  t.equal(cacheFiles(join(xdg, 'netlink-ts')).length, 1, 'XDG_CACHE_HOME/netlink-ts');
  spawnSync(process.execPath, [BIN, ...ARGS], { encoding: 'utf8', env: { PATH: process.env['PATH'], HOME: join(tmp, 'home') } });
  t.equal(cacheFiles(join(tmp, 'home', '.cache', 'netlink-ts')).length, 1, 'else ~/.cache/netlink-ts');
});

t.test('several runs at once on an empty cache: all correct, one whole cache file', async (t) => {
  const dir = join(tmp, 'c9');
  const runs = await Promise.all(Array.from({ length: 4 }, () => new Promise<{ code: number | null; out: string }>((res) => {
    const c = spawn(process.execPath, [BIN, ...ARGS], { env: { ...process.env, NO_COLOR: '1', NETLINK_TS_CACHE_DIR: dir } });
    let out = '';
    c.stdout.on('data', (d: Buffer) => { out += d; });
    c.on('close', (code) => res({ code, out }));
  })));
  for (const r of runs) { t.equal(r.code, 0); t.equal(r.out, REF.stdout); }
  t.equal(readdirSync(dir).length, 1, 'one file, no temporaries');
  t.equal(run(dir).cache, 'hit, not needed', 'and it is whole');
});

t.test('the install directory is never written; require() of the bin loads without running it', async (t) => {
  t.same(installFiles(), INSTALLED, 'no file added beside the bundle by any run above');
  process.env['NETLINK_TS_CODE_CACHE'] = '0'; // this test process must not write a cache in the user's home
  const mod = createRequire(import.meta.url)(BIN) as { runCli?: unknown; binMain?: unknown };
  t.equal(typeof mod.runCli, 'function', 'exports the CLI');
  t.equal(typeof mod.binMain, 'function');
});
