// The published artifacts are esbuild bundles of what tsc built (dist/bundle/index.js for
// `import 'netlink-ts'`; for the bins, dist/bundle/<bin>.cjs, a prologue that compiles the
// CommonJS bundle dist/bundle/bin/<bin>.cjs with a V8 code cache — issue 16: the bins were ESM,
// and the ESM loader plus compiling the chunks without a cache cost a third of `netlink-dump
// link`; the ESM dist/bundle/netlink-dump.js stays for `node dist/bundle/netlink-dump.js`): one
// module graph loads in a third of the time. They must be the same library: every export of
// src/index.ts, and each build of the CLI printing byte for byte what the module-by-module
// build prints. (npm test builds first.)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { BIN, BIN_ESM, BIN_UNBUNDLED, ROOT, testCacheDir } from '../helpers/cli.js';

t.test('package.json points import and bin at the bundle, types at the tsc declarations', async (t) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  t.equal(pkg.exports['.'].default, './dist/bundle/index.js');
  t.equal(pkg.bin['netlink-dump'], 'dist/bundle/netlink-dump.cjs');
  t.equal(pkg.bin['netlink-ts-cni'], 'dist/bundle/netlink-ts-cni.cjs');
  for (const b of ['netlink-dump', 'netlink-ts-cni']) {
    t.ok(existsSync(join(ROOT, `dist/bundle/bin/${b}.cjs`)), `${b}: its CommonJS bundle is built`);
    t.match(readFileSync(join(ROOT, pkg.bin[b]), 'utf8'), /^#!\/usr\/bin\/env node\n/, `${b}: the prologue is executable by its shebang`);
  }
  t.equal(pkg.exports['.'].types, './dist/src/index.d.ts');
  for (const f of [pkg.exports['.'].default, pkg.bin['netlink-dump'], pkg.bin['netlink-ts-cni'], pkg.exports['.'].types]) t.ok(existsSync(join(ROOT, f)), `${f} is built`);
  t.ok(pkg.files.includes('dist/bundle') && pkg.files.includes('dist/src/**/*.d.ts'), 'the bundle and the declarations are published (not the tsc .js)');
});

t.test('the bundle exports exactly what src/index.ts exports, of the same kinds', async (t) => {
  const bundled = await import(join(ROOT, 'dist/bundle/index.js')) as Record<string, unknown>;
  const source = await import('../../src/index.js') as Record<string, unknown>;
  t.same(Object.keys(bundled).sort(), Object.keys(source).sort());
  for (const k of Object.keys(source)) t.equal(typeof bundled[k], typeof source[k], k);
  // The bundle carries its own copy of the tables: the same declarations.
  const b = bundled as unknown as typeof import('../../src/index.js');
  t.equal(b.rtnetlink.schema(24)?.name, 'RTM_NEWROUTE');
});

t.test('the bundled netlink-dump (the CommonJS bin and the ESM bundle) prints what the module-by-module build prints', async (t) => {
  const run = (bin: string, args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NETLINK_TS_CACHE_DIR: testCacheDir() } });
  const cases = [
    ['--help'],
    ['decode', join(ROOT, 'fixtures/route/route/getroute-dump-main.hex')],
    ['decode', '--json', join(ROOT, 'fixtures/route/link/newlink-error-extack.hex')],
    ['decode', join(ROOT, 'fixtures/nft/batch-concat.hex')],
    ['record', '--help'],
    ['no-such-command'],
  ];
  for (const args of cases) {
    const b = run(BIN_UNBUNDLED, args);
    for (const [name, bin] of [['bin', BIN], ['esm', BIN_ESM]] as const) {
      const a = run(bin, args);
      t.equal(a.status, b.status, `${name} ${args.join(' ')}: exit status`);
      t.equal(a.stdout, b.stdout, `${name} ${args.join(' ')}: stdout`);
      t.equal(a.stderr, b.stderr, `${name} ${args.join(' ')}: stderr`);
    }
  }
  t.equal(run(BIN, ['decode', join(ROOT, 'fixtures/route/route/getroute-dump-main.hex')]).status, 0, 'a decode succeeds');
});
