// Live: bridge FDB entries made here read back through `bridge -j fdb show`, and the kernel's
// table decodes like bridge prints it; both FFI backends.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { loadBackend } from '../../src/ffi/libc.js';
import { NetlinkError, RouteHandle } from '../../src/index.js';
import { backends, enterFreshNetns, ip } from '../helpers/live.js';

enterFreshNetns();
const bridgeJson = (...args: string[]): any[] => JSON.parse(execFileSync('bridge', ['-j', 'fdb', 'show', ...args], { encoding: 'utf8' }) || '[]');

for (const backend of backends) {
  const b = backend[0]!;
  t.test(`${backend}: fdb add/replace/del/list against bridge -j fdb show`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    await h.link.add({ name: `fbr${b}`, kind: 'bridge', up: true });
    await h.link.add({ name: `fv${b}`, kind: 'veth', up: true, master: `fbr${b}`, peer: { name: `fw${b}` } });
    t.teardown(() => { ip('link', 'del', `fv${b}`); ip('link', 'del', `fbr${b}`); });
    await h.fdb.add({ mac: '02:00:00:00:10:01', dev: `fv${b}`, master: true, state: 'static' });
    await h.fdb.add({ mac: '02:00:00:00:10:02', dev: `fv${b}` });
    const theirs = bridgeJson('dev', `fv${b}`);
    t.match(theirs.find((e) => e.mac === '02:00:00:00:10:01'), { master: `fbr${b}`, state: 'static', flags: [] }, 'master static entry, as bridge sees it');
    t.match(theirs.find((e) => e.mac === '02:00:00:00:10:02'), { flags: ['self'], state: 'permanent' }, 'self permanent entry');
    const ours = await h.fdb.list({ dev: `fv${b}` });
    t.same(ours.map((e) => [e.mac, e.state, e.flags, e.master !== undefined]).sort(), theirs.map((o) => [o.mac, o.state ?? '', o.flags, o.master !== undefined]).sort(), 'list() = bridge -j fdb show dev');
    const dup = await h.fdb.add({ mac: '02:00:00:00:10:01', dev: `fv${b}`, master: true, state: 'static' }).catch((e: unknown) => e);
    t.equal((dup as NetlinkError).code, 'EEXIST', 'add of an existing entry: EEXIST');
    await h.fdb.replace({ mac: '02:00:00:00:10:01', dev: `fv${b}`, master: true, state: 'permanent' });
    t.equal(bridgeJson('dev', `fv${b}`).find((e) => e.mac === '02:00:00:00:10:01')?.state, 'permanent', 'replace: static → permanent');
    // As with bridge(8), the kernel does not let user space install a dynamic bridge entry.
    const dyn = await h.fdb.replace({ mac: '02:00:00:00:10:01', dev: `fv${b}`, master: true, state: 'dynamic' }).catch((e: unknown) => e);
    t.equal((dyn as NetlinkError).code, 'EPERM', 'dynamic: EPERM, as bridge fdb replace … dynamic gets');
    await h.fdb.del({ mac: '02:00:00:00:10:01', dev: `fv${b}`, master: true });
    await h.fdb.del({ mac: '02:00:00:00:10:02', dev: `fv${b}` });
    t.notOk(bridgeJson('dev', `fv${b}`).some((e) => e.mac.startsWith('02:00:00:00:10:')), 'both deleted');
  });
}
