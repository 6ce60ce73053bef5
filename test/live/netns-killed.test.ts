// Live: what a netns.add killed mid-way leaves (issue 17, bench/kill.ts). netns.add now makes the
// namespace first (held by an fd) and only then the name, bind-mounted right away, so a kill
// during the slow unshare leaves nothing named. The one window left (the name file made, the
// mount not yet done) leaves an empty file: the next add of that name is a NetnsExistsError
// saying so, netns.delete removes it, and the add then works. A killed child that got as far as
// the unshare leaves no name at all. Both FFI backends.
import t from 'tap';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, rmdirSync } from 'node:fs';
import { loadBackend } from '../../src/ffi/libc.js';
import { NetnsExistsError } from '../../src/netns/errors.js';
import { Netns } from '../../src/netns/netns.js';
import { addNetns, deleteNetns } from '../../src/netns/registry.js';
import { backends, requireSandbox } from '../helpers/live.js';

requireSandbox();
// The build, for the child (test/run.sh builds dist/ first).
const registry = new URL('../../dist/src/netns/registry.js', import.meta.url).href;

for (const backend of backends) {
  t.test(`${backend}: a half-made name (empty file, nothing mounted) is reported, deleted, then added`, async (t) => {
    const lib = loadBackend(backend);
    const dir = `/run/netns/nk-${process.pid}-${backend}`;
    mkdirSync(dir, { recursive: true });
    t.teardown(() => { try { lib.umount2(dir, 2); } catch { /* not a mount point */ } try { rmdirSync(dir); } catch { /* gone */ } });
    addNetns('whole', { dir, libc: lib }); // makes dir a shared mount point, as a first add does
    closeSync(openSync(`${dir}/half`, 'wx')); // what a kill between the name file and the mount leaves
    const err = (f: () => unknown): unknown => { try { f(); } catch (e) { return e; } return undefined; };
    const half = err(() => addNetns('half', { dir, libc: lib }));
    t.ok(half instanceof NetnsExistsError, 'add of a half-made name: NetnsExistsError');
    t.match((half as Error).message, /exists but is not a namespace .*netns\.delete removes it/, 'saying what it is');
    const whole = err(() => addNetns('whole', { dir, libc: lib }));
    t.ok(whole instanceof NetnsExistsError, 'add of a real one: NetnsExistsError');
    t.match((whole as Error).message, /already exists/, 'plain "already exists"');
    t.throws(() => Netns.open({ name: 'half' }, { dir, libc: lib }), 'the half-made name does not open as a namespace');
    deleteNetns('half', { dir, libc: lib });
    addNetns('half', { dir, libc: lib });
    Netns.open({ name: 'half' }, { dir, libc: lib }).close();
    t.pass('after delete, the name adds and opens as a namespace');
    deleteNetns('half', { dir, libc: lib });
    deleteNetns('whole', { dir, libc: lib });
    t.same(readdirSync(dir), [], 'nothing left');
  });

  t.test(`${backend}: a child killed inside netns.add's unshare leaves no name`, async (t) => {
    const dir = `/run/netns/nk2-${process.pid}-${backend}`;
    mkdirSync(dir, { recursive: true });
    const lib = loadBackend(backend);
    t.teardown(() => { try { lib.umount2(dir, 2); } catch { /* not a mount point */ } try { rmdirSync(dir); } catch { /* gone */ } });
    addNetns('first', { dir, libc: lib });
    // The child wraps the FFI backend's unshare to kill itself right after it: the namespace
    // exists (held by the thread), the name not yet.
    const script = `const { loadBackend } = await import(${JSON.stringify(new URL('../../dist/src/ffi/libc.js', import.meta.url).href)});
      const { addNetns } = await import(${JSON.stringify(registry)});
      const lib = loadBackend(${JSON.stringify(backend)});
      const unshare = lib.unshare;
      lib.unshare = (f) => { unshare(f); process.kill(process.pid, 'SIGKILL'); };
      addNetns('killed', { dir: ${JSON.stringify(dir)}, libc: lib });`;
    const signal = await new Promise<string | null>((resolve) => {
      spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' }).on('exit', (_c, s) => resolve(s));
    });
    t.equal(signal, 'SIGKILL', 'the child died in netns.add');
    t.same(readdirSync(dir), ['first'], 'no half-made "killed" entry');
    addNetns('killed', { dir, libc: lib });
    deleteNetns('killed', { dir, libc: lib });
    deleteNetns('first', { dir, libc: lib });
  });
}
