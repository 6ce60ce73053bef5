// How the FFI backends load (issue 16): koffi's native module taken directly when it is the one
// koffi would pick, koffi's own entry otherwise; libc symbols bound on first use. Unprivileged,
// read-only (getpid, a socket closed again).
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import t from 'tap';
import { loadKoffi } from '../../src/ffi/koffi.js';
import { lazyFunctions } from '../../src/ffi/lazy-bind.js';
import { AF_NETLINK, SOCK_CLOEXEC, SOCK_RAW, loadBackend } from '../../src/ffi/libc.js';
import { BackendUnavailableError } from '../../src/ffi/errors.js';

const require = createRequire(import.meta.url);
const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime !== undefined;

t.test('lazyFunctions binds a declaration on its first read, once', async (t) => {
  const bound: string[] = [];
  const f = lazyFunctions({ a: 'int a()', b: 'int b()' }, (decl, name) => { bound.push(`${name}=${decl}`); return () => name; });
  t.same(Object.keys(f), ['a', 'b'], 'every declaration is a property');
  t.same(bound, [], 'nothing bound up front');
  t.equal(f.a(), 'a');
  t.equal(f.a(), 'a');
  t.same(bound, ['a=int a()'], 'a bound once, b not at all');
  let fail = true;
  const g = lazyFunctions({ x: 1 }, () => { if (fail) throw new Error('no such symbol'); return 42; });
  t.throws(() => g.x, /no such symbol/, 'a failing bind throws where the function is used');
  fail = false;
  t.equal(g.x, 42, 'and is tried again next time');
});

t.test('koffi: the native module directly on glibc Linux, the same koffi as its entry', async (t) => {
  const direct = loadKoffi();
  t.equal(direct.path, process.platform === 'linux' && glibc ? 'direct' : 'entry', 'glibc Linux takes the direct path');
  process.env['NETLINK_TS_KOFFI_ENTRY'] = '1';
  let entry;
  try { entry = loadKoffi(); } finally { delete process.env['NETLINK_TS_KOFFI_ENTRY']; }
  t.equal(entry.path, 'entry', 'NETLINK_TS_KOFFI_ENTRY=1 takes koffi\'s entry');
  const version = (require(join(dirname(require.resolve('koffi')), 'package.json')) as { version: string }).version;
  for (const { koffi, path } of [direct, entry]) {
    const getpid = koffi.load('libc.so.6').func('int getpid()');
    t.equal(Number(getpid()), process.pid, `${path}: calls libc`);
    t.equal((koffi as unknown as { version: string }).version, version, `${path}: koffi ${version}`);
  }
});

t.test('koffi: a tree the direct path does not fit falls back to the entry; its failure is a typed error', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'nlts-koffi-'));
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
  const real = dirname(require.resolve('koffi'));
  const build = (name: string, version: string, withNative: boolean): string => {
    const nm = join(tmp, name, 'node_modules');
    mkdirSync(join(nm, 'koffi'), { recursive: true });
    for (const f of ['index.cjs', 'src']) cpSync(join(real, f), join(nm, 'koffi', f), { recursive: true });
    const pkg = require(join(real, 'package.json')) as Record<string, unknown>;
    writeFileSync(join(nm, 'koffi', 'package.json'), JSON.stringify({ ...pkg, version }));
    if (withNative) {
      const plat = `@koromix/koffi-${process.platform}-${process.arch}`;
      mkdirSync(join(nm, '@koromix'), { recursive: true });
      symlinkSync(dirname(createRequire(join(real, 'index.cjs')).resolve(`${plat}/package.json`)), join(nm, plat));
    }
    return join(tmp, name, 'main.js');
  };
  const caught = (fn: () => unknown): Error => { try { fn(); } catch (e) { return e as Error; } throw new Error('did not throw'); };
  // package.json of another version than the native module: the direct path refuses the pair
  // and koffi's entry (which checks against the version bundled into its own code) decides.
  const mismatch = loadKoffi(createRequire(build('mismatch', '0.0.0-test', true)));
  t.equal(mismatch.path, 'entry', 'version mismatch: koffi\'s entry');
  t.equal(Number(mismatch.koffi.load('libc.so.6').func('int getpid()')()), process.pid, 'which loads');
  // No native package at all: koffi's entry finds nothing either.
  const bare = caught(() => loadKoffi(createRequire(build('bare', (require(join(real, 'package.json')) as { version: string }).version, false))));
  t.ok(bare instanceof BackendUnavailableError, `no native module: BackendUnavailableError (${bare.message})`);
  const none = caught(() => loadKoffi(createRequire(join(tmp, 'nowhere', 'main.js'))));
  t.ok(none instanceof BackendUnavailableError, 'no koffi: BackendUnavailableError');
  t.match(none.message, /not installed/, 'saying to install it');
});

t.test('both backends open a socket with symbols bound on demand', async (t) => {
  for (const name of ['koffi', 'ffi-napi'] as const) {
    const lib = loadBackend(name);
    const fd = lib.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0);
    t.ok(fd >= 0, `${name}: socket`);
    lib.close(fd);
    t.equal(lib.getpid(), process.pid, `${name}: getpid`);
  }
});
