// Live: the namespace and mount calls of the Libc interface, under both backends, in the sandbox.
import t from 'tap';
import { mkdtempSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyscallError } from '../../src/ffi/errors.js';
import { CLONE_NEWNET, MNT_DETACH, O_CLOEXEC, O_RDONLY, loadBackend } from '../../src/ffi/libc.js';
import { withNetnsSync } from '../../src/netlink/nsenter.js';
import { backends, enterFreshNetns, ip, netnsInode, openFds } from '../helpers/live.js';

const home = enterFreshNetns();

for (const backend of backends) {
  const lib = loadBackend(backend);

  t.test(`${backend}: mount(2) a tmpfs and umount2(2) it`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), `nlts-mnt-${backend}-`));
    t.teardown(() => rmdirSync(dir));
    lib.mount('nlts-test', dir, 'tmpfs', 0, 'size=1m');
    writeFileSync(join(dir, 'x'), 'on tmpfs');
    t.match(readFileSync('/proc/self/mounts', 'utf8'), new RegExp(`nlts-test ${dir} tmpfs`), 'listed in /proc/self/mounts');
    lib.umount2(dir, MNT_DETACH);
    t.notMatch(readFileSync('/proc/self/mounts', 'utf8'), new RegExp(`nlts-test ${dir} `), 'gone after umount2');
    const err = (() => { try { lib.mount('x', join(dir, 'missing'), 'tmpfs', 0, null); } catch (e) { return e; } return undefined; })();
    t.type(err, SyscallError);
    t.equal((err as SyscallError).syscall, 'mount');
    t.equal((err as SyscallError).code, 'ENOENT');
  });

  t.test(`${backend}: setns(2) into a named netns and back, on the main thread`, async (t) => {
    const name = `ffi-${backend}`;
    ip('netns', 'add', name);
    t.teardown(() => { ip('netns', 'del', name); });
    const target = netnsInode(`/run/netns/${name}`);
    const fds = openFds();
    const seen = withNetnsSync(lib, `/run/netns/${name}`, () => netnsInode());
    t.equal(seen, target, 'inside, the thread is in the target netns');
    t.equal(netnsInode(), home, 'and back home afterwards');
    t.equal(openFds(), fds, 'no fd left open');
    const thrown = (() => { try { withNetnsSync(lib, `/run/netns/${name}`, () => { throw new Error('boom'); }); } catch (e) { return e; } return undefined; })();
    t.equal((thrown as Error).message, 'boom', 'an exception inside propagates');
    t.equal(netnsInode(), home, 'and still comes home');
    t.throws(() => withNetnsSync(lib, `/run/netns/${name}`, () => Promise.resolve(1)), TypeError, 'an async fn is refused');
    t.equal(netnsInode(), home);
    const fd = lib.open('/proc/self/ns/mnt', O_RDONLY | O_CLOEXEC);
    const bad = (() => { try { lib.setns(fd, CLONE_NEWNET); } catch (e) { return e; } return undefined; })();
    lib.close(fd);
    t.equal((bad as SyscallError).code, 'EINVAL', 'setns of a mount-ns fd as CLONE_NEWNET → EINVAL');
    t.equal(netnsInode(), home);
  });

  t.test(`${backend}: gettid() is the main thread's id`, async (t) => {
    t.equal(lib.gettid(), process.pid);
    t.equal(lib.getpid(), process.pid);
  });
}

t.test('unshare(CLONE_NEWNET) via ffi-napi moves the main thread to a new, empty netns', async (t) => {
  const lib = loadBackend('ffi-napi');
  const before = netnsInode();
  lib.unshare(CLONE_NEWNET);
  t.not(netnsInode(), before);
  t.same(ip('-o', 'link', 'show').trim().split('\n').map((l) => l.split(': ')[1]), ['lo'], 'only lo');
});
