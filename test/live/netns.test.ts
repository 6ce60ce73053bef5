// Live: named namespaces (ip netns add/del/list/attach/identify), Netns handles, withNetns,
// nsid, and the thread-namespace guarantees, under both FFI backends, inside the sandbox.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyscallError } from '../../src/ffi/errors.js';
import { type Libc, MNT_DETACH, MS_BIND, loadBackend } from '../../src/ffi/libc.js';
import {
  Netns, NetnsBusyError, NetnsExistsError, NetnsNotFoundError, NotANetnsError, RouteHandle,
  addNetns, attachNetns, deleteNetns, identifyNetns, listNetns, netns, netnsExists, netnsNames, withNetns,
} from '../../src/index.js';
import { backends, enterFreshNetns, ip, ipJson, netnsInode, openFds } from '../helpers/live.js';

const home = enterFreshNetns();
const P = `t${process.pid}`;

/** A Libc whose `nth` call (1-based) of `fn` fails with EIO; every other call goes through. */
function faulty(lib: Libc, fn: keyof Libc, nth: number): Libc & { calls: number } {
  let calls = 0;
  return new Proxy(lib, {
    get(target, prop, recv) {
      if (prop === 'calls') return calls;
      const v = Reflect.get(target, prop, recv) as unknown;
      if (prop !== fn || typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (++calls === nth) throw new SyscallError(String(fn), 5 /* EIO */);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Libc & { calls: number };
}

const catchErr = (fn: () => unknown): unknown => { try { fn(); } catch (e) { return e; } return undefined; };

for (const backend of backends) {
  const lib = loadBackend(backend);
  const name = (s: string): string => `${P}-${backend}-${s}`;

  t.test(`${backend}: add is ip netns add — visible to ip, usable with ip -n, lo down, /run/netns a shared mount`, async (t) => {
    const n = name('add');
    const fds = openFds();
    t.equal(addNetns(n, { libc: lib }), `/run/netns/${n}`);
    t.teardown(() => { if (existsSync(`/run/netns/${n}`)) ip('netns', 'del', n); });
    t.equal(netnsInode(), home, 'the main thread is back home');
    t.equal(openFds(), fds, 'no fd left open');
    t.ok(ip('netns', 'list').split('\n').some((l) => l.split(' ')[0] === n), '`ip netns list` shows it');
    const links = ipJson<{ ifname: string; flags: string[] }[]>('-n', n, 'link', 'show');
    t.same(links.map((l) => l.ifname), ['lo'], '`ip -n NAME link` sees a fresh namespace: lo only');
    t.notOk(links[0]!.flags.includes('UP'), 'lo is down, as after ip netns add');
    t.not(netnsInode(`/run/netns/${n}`), home, 'a different namespace from ours');
    const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === '/run/netns');
    t.match(mountinfo ?? '', /shared:\d+/, '/run/netns is a shared mount (as iproute2 makes it)');
    const dup = catchErr(() => addNetns(n, { libc: lib }));
    t.type(dup, NetnsExistsError, 'adding it again: NetnsExistsError');
    t.equal((dup as NetnsExistsError).netns, n, 'naming the namespace');
    t.equal(netnsInode(), home);
    deleteNetns(n, { libc: lib });
    t.notOk(existsSync(`/run/netns/${n}`), 'delete removes the name');
    t.notOk(ip('netns', 'list').includes(n), '`ip netns list` no longer shows it');
    t.equal(openFds(), fds, 'no fd left open after delete');
  });

  t.test(`${backend}: one made by ip netns add opens, lists, identifies and deletes here`, async (t) => {
    const n = name('fromip');
    ip('netns', 'add', n);
    t.teardown(() => { if (existsSync(`/run/netns/${n}`)) ip('netns', 'del', n); });
    const byName = Netns.open(n, { libc: lib });
    const byObj = Netns.open({ name: n }, { libc: lib });
    const byPath = Netns.open(`/run/netns/${n}`, { libc: lib });
    const byFd = Netns.open({ fd: byPath.fd }, { libc: lib });
    const inode = netnsInode(`/run/netns/${n}`);
    t.same([byName.inode, byObj.inode, byPath.inode, byFd.inode], [inode, inode, inode, inode], 'by name, {name}, path and fd: the same namespace');
    t.equal(byName.name, n);
    t.not(byFd.fd, byPath.fd, 'an fd-opened handle owns its own fd');
    byPath.close();
    t.equal(byFd.enter(() => netnsInode()), inode, 'the fd-opened handle still works after the original fd closed');
    t.equal(netnsInode(), home);
    t.same(identifyNetns(byFd, { libc: lib }), [n], 'identify finds the name from a handle');
    for (const h of [byName, byObj, byFd]) h.close();
    byName.close(); // idempotent
    t.ok(netnsNames().includes(n) && netnsExists(n), 'names / exists');
    const listed = (await listNetns({ libc: lib })).find((e) => e.name === n);
    t.same(listed, { name: n, path: `/run/netns/${n}`, id: undefined }, 'list: no id assigned yet');
    deleteNetns(n, { libc: lib });
    t.notOk(existsSync(`/run/netns/${n}`));
    t.notOk(ip('netns', 'list').includes(n), 'gone for ip too');
  });

  t.test(`${backend}: typed errors — missing names, stale files, bad names — before any change`, async (t) => {
    const fds = openFds();
    const missing = catchErr(() => deleteNetns(name('nope'), { libc: lib }));
    t.type(missing, NetnsNotFoundError, 'delete of a missing name');
    t.match((missing as Error).message, name('nope'), 'names it');
    t.type(catchErr(() => Netns.open(name('nope'), { libc: lib })), NetnsNotFoundError, 'open of a missing name');
    t.type(catchErr(() => Netns.open({ pid: 0x7ffffff0 }, { libc: lib })), NetnsNotFoundError, 'open of a missing pid');
    const stale = `/run/netns/${name('stale')}`;
    closeSync(openSync(stale, 'w'));
    t.teardown(() => rmSync(stale, { force: true }));
    t.type(catchErr(() => Netns.open(name('stale'), { libc: lib })), NotANetnsError, 'a plain file is not a namespace');
    t.type(catchErr(() => Netns.open({ path: '/proc/self/ns/uts' }, { libc: lib })), NotANetnsError, 'a UTS namespace is not a network namespace');
    for (const bad of ['', '.', '..', 'a/b', 'x'.repeat(256)]) {
      t.throws(() => addNetns(bad, { libc: lib }), RangeError, `add(${JSON.stringify(bad.slice(0, 8))}) → RangeError`);
    }
    t.throws(() => Netns.open({ pid: -1 }, { libc: lib }), RangeError);
    t.throws(() => Netns.open({ fd: 1.5 }, { libc: lib }), RangeError);
    deleteNetns(name('stale'), { libc: lib });
    t.notOk(existsSync(stale), 'delete removes a stale (unmounted) name, as ip netns del does');
    t.equal(openFds(), fds, 'no fd left open by any failure');
    t.equal(netnsInode(), home);
    // Last: a failed spawn closes its stdio pipes a tick later.
    t.throws(() => netns.unshare({ command: '/nonexistent/cmd', libc: lib }), /could not start/, 'unshare with a missing command: an Error, not a crash');
    t.equal(netnsInode(), home, 'and the thread is home');
  });

  t.test(`${backend}: withNetns runs synchronously inside and always comes back`, async (t) => {
    const n = name('with');
    addNetns(n, { libc: lib });
    t.teardown(() => deleteNetns(n, { libc: lib }));
    const target = netnsInode(`/run/netns/${n}`);
    const fds = openFds();
    t.equal(withNetns(n, () => netnsInode(), { libc: lib }), target, 'inside: the target');
    t.equal(netnsInode(), home, 'after: home');
    const boom = catchErr(() => withNetns(n, () => { throw new Error('boom'); }, { libc: lib }));
    t.equal((boom as Error).message, 'boom', 'an exception propagates');
    t.equal(netnsInode(), home, 'and the thread still comes home');
    let ran = false;
    t.throws(() => withNetns(n, async () => { ran = true; }, { libc: lib }), TypeError, 'an async function is refused');
    t.notOk(ran, '…before it runs');
    t.throws(() => withNetns(n, () => Promise.resolve(1), { libc: lib }), TypeError, 'a returned Promise is refused');
    t.equal(netnsInode(), home);
    // A socket opened inside stays there: a route handle on the namespace sees its lo only.
    const h = RouteHandle.open({ netns: n, libc: lib });
    t.teardown(() => h.close());
    ip('link', 'add', `v${process.pid % 10000}`, 'type', 'veth', 'peer', 'name', `w${process.pid % 10000}`);
    t.teardown(() => ip('link', 'del', `v${process.pid % 10000}`));
    t.same((await h.link.list()).map((l) => l.name), ['lo'], 'the handle lists the namespace, not ours');
  });

  t.test(`${backend}: injected failures midway leave no name, no fd, and the thread home`, async (t) => {
    const n = name('fault');
    const fds = openFds();
    const cases: [keyof Libc, number, string][] = [
      ['unshare', 1, 'unshare fails'],
      ['mount', 2, 'the bind mount of the new namespace fails (after /run/netns was shared)'],
      ['setns', 1, 'the preflight setns fails'],
    ];
    for (const [fn, nth, what] of cases) {
      const bad = faulty(lib, fn, nth);
      const err = catchErr(() => addNetns(n, { libc: bad }));
      t.ok(err instanceof Error, `add: ${what} → error`);
      t.equal(bad.calls, nth, `the fault was hit (${fn} call ${nth})`);
      t.notOk(existsSync(`/run/netns/${n}`), `add: ${what} → no name left behind`);
      t.equal(netnsInode(), home, `add: ${what} → thread home`);
    }
    addNetns(n, { libc: lib });
    t.teardown(() => deleteNetns(n, { libc: lib }));
    for (const [fn, nth] of [['setns', 2], ['open', 2]] as [keyof Libc, number][]) {
      const bad = faulty(lib, fn, nth);
      let ran = false;
      t.ok(catchErr(() => withNetns(n, () => { ran = true; }, { libc: bad })) instanceof Error, `withNetns: ${fn} #${nth} fails → error`);
      t.notOk(ran, 'fn did not run');
      t.equal(netnsInode(), home, 'thread home');
    }
    const bad = faulty(lib, 'sethostname', 1);
    t.ok(catchErr(() => netns.unshare({ hostname: 'x', libc: bad })) instanceof Error, 'unshare child: sethostname fails → error');
    t.equal(netnsInode(), home, 'thread home (net)');
    t.equal(readFileSync('/proc/sys/kernel/hostname', 'utf8').trim(), execFileSync('hostname', { encoding: 'utf8' }).trim(), 'UTS namespace home too');
    t.equal(openFds(), fds, 'no fd leaked by any injected failure');
  });

  t.test(`${backend}: delete while in use; EBUSY when still mounted`, async (t) => {
    const n = name('busy');
    addNetns(n, { libc: lib });
    const inode = netnsInode(`/run/netns/${n}`);
    const child = netns.spawn(n, 'sleep', ['30'], { libc: lib, stdio: 'ignore' });
    t.teardown(() => { child.kill(); });
    await new Promise((r) => setTimeout(r, 50));
    const keep = Netns.open(n, { libc: lib });
    deleteNetns(n, { libc: lib });
    t.notOk(existsSync(`/run/netns/${n}`), 'a namespace with a process in it is deleted by name (like ip netns del)');
    t.equal(netnsInode(`/proc/${child.pid}/ns/net`), inode, 'the process stays in it');
    t.equal(keep.enter(() => netnsInode()), inode, 'an open handle still enters it');
    keep.close();
    // Mounted twice: the detach removes one mount, the name is still a mount point.
    const m = name('twice');
    addNetns(m, { libc: lib });
    lib.mount(`/run/netns/${m}`, `/run/netns/${m}`, 'none', MS_BIND, null);
    const err = catchErr(() => deleteNetns(m, { libc: lib }));
    t.type(err, NetnsBusyError, 'EBUSY → NetnsBusyError');
    t.equal((err as NetnsBusyError).code, 'EBUSY');
    t.match((err as Error).message, /still a mount point/);
    deleteNetns(m, { libc: lib });
    t.notOk(existsSync(`/run/netns/${m}`), 'a second delete removes it');
  });

  t.test(`${backend}: attach names an unshared child's namespace; nsid set/get/list agree with ip`, async (t) => {
    const u = netns.unshare({ libc: lib });
    t.teardown(() => u.stop());
    const a = name('att');
    attachNetns(a, u.ref, { libc: lib });
    t.teardown(() => { if (existsSync(`/run/netns/${a}`)) deleteNetns(a, { libc: lib }); });
    t.equal(netnsInode(`/run/netns/${a}`), netnsInode(`/proc/${u.pid}/ns/net`), 'the name is the child\'s namespace');
    t.same(identifyNetns(u.ref, { libc: lib }), [a], 'identify by pid');
    const h = RouteHandle.open({ libc: lib });
    t.teardown(() => h.close());
    t.equal(await h.nsid.get(a), undefined, 'no id yet');
    t.equal(await h.nsid.set(a, 7), 7, 'set id 7');
    t.equal(await h.nsid.get(u.ref), 7, 'get by pid: 7');
    t.match(ip('netns', 'list'), new RegExp(`${a} \\(id: 7\\)`), '`ip netns list` shows (id: 7)');
    t.same((await listNetns({ libc: lib })).find((e) => e.name === a)?.id, 7, 'our list too');
    t.ok((await h.nsid.list()).some((e) => e.nsid === 7), 'list-id has 7');
    const ipIds = ipJson<{ nsid: number }[]>('netns', 'list-id').map((e) => e.nsid);
    t.same((await h.nsid.list()).map((e) => e.nsid), ipIds.sort((x, y) => x - y), 'list-id: the same ids as `ip -j netns list-id`');
    const again = await h.nsid.set(a, 8).catch((e: unknown) => e);
    t.match(again, { code: 'EEXIST' }, 'a second id for the same namespace: EEXIST');
    // A veth whose peer lives there: link-netnsid names it by that id.
    const v = `nv${process.pid % 10000}${backend[0]}`;
    await h.link.add({ name: v, kind: 'veth', peer: { name: 'peer0', netns: u.ref } });
    t.teardown(() => ip('link', 'del', v));
    const link = await h.link.get(v);
    t.equal(link.attrs.linkNetnsid, 7, 'IFLA_LINK_NETNSID = 7');
    const owner = (await listNetns({ libc: lib })).find((e) => e.id === link.attrs.linkNetnsid);
    t.equal(owner?.name, a, 'resolved to the name through list()');
    t.equal((await netns.byNsid({ libc: lib })).get(7), a, 'and through byNsid()');
  });

  t.test(`${backend}: add/open/delete cycles leak no fds`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), `nlts-cyc-${backend}-`));
    // The first add makes `dir` a (shared) mount point, as it does /run/netns.
    t.teardown(() => { lib.umount2(dir, MNT_DETACH); rmSync(dir, { recursive: true, force: true }); });
    const cycles = backend === 'koffi' ? 10_000 : 2_000;
    const n = name('cyc');
    addNetns(n, { libc: lib, dir }); // the first add makes `dir` a mount point
    deleteNetns(n, { libc: lib, dir });
    const fds = openFds();
    let wrong = 0;
    for (let i = 0; i < cycles; i++) {
      addNetns(n, { libc: lib, dir });
      const h = Netns.open(n, { libc: lib, dir });
      if (h.inode === home) wrong++;
      h.close();
      deleteNetns(n, { libc: lib, dir });
    }
    t.equal(wrong, 0, 'every cycle made a new namespace');
    t.equal(openFds(), fds, `${cycles} cycles: fd count unchanged`);
    t.equal(netnsInode(), home);
    t.same(netnsNames({ dir }), [], 'the directory is empty again');
  });
}
