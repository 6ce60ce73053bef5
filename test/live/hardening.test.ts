// Live (issue 17 items 6, 7, 11), both FFI backends: netns.delete of a symlink or of a foreign
// mount refuses and touches nothing (iproute2 unmounts the symlink's target); netns.add with a
// `dir` that is a file is a NetnsError before anything is made; an nft batch larger than the send
// buffer is NftBatchTooLargeError with the ruleset unchanged; and a spread of bad API calls on
// live handles leaves the namespace's whole state (links, addresses, routes, rules, neighbours,
// ruleset, named namespaces) exactly as it was.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MNT_DETACH, MS_BIND, loadBackend } from '../../src/ffi/libc.js';
import { NetnsError, NotANetnsError, RouteHandle, addNetns, deleteNetns } from '../../src/index.js';
import { NftBatchTooLargeError } from '../../src/nft/errors.js';
import { NftHandle } from '../../src/nft/handle.js';
import { backends, enterFreshNetns, ip, netnsInode } from '../helpers/live.js';

enterFreshNetns();

const nft = (...args: string[]): string => execFileSync('nft', args, { encoding: 'utf8' });
/** Everything a bad call could have changed in this namespace. */
function state(dir: string): string {
  return JSON.stringify({
    link: ip('-d', '-j', 'link', 'show'), addr: ip('-j', 'addr', 'show'), route4: ip('-j', 'route', 'show', 'table', 'all'), route6: ip('-6', '-j', 'route', 'show', 'table', 'all'),
    rule4: ip('-j', 'rule', 'show'), rule6: ip('-6', '-j', 'rule', 'show'), neigh: ip('-j', 'neigh', 'show'), nft: nft('-j', 'list', 'ruleset'),
    netns: existsSync(dir) ? execFileSync('ls', ['-la', dir], { encoding: 'utf8' }) : '(none)',
  });
}

for (const backend of backends) {
  const lib = loadBackend(backend);
  const dir = mkdtempSync(join(tmpdir(), `nlts-hard-${backend}-`));

  t.test(`${backend}: netns.delete refuses a symlink name and a foreign mount; nothing is unmounted or removed`, async (t) => {
    const real = addNetns('real', { libc: lib, dir });
    const ino = netnsInode(real);
    // A name that is a symlink to a real namespace's mount point.
    symlinkSync(real, join(dir, 'evil'));
    const e1 = t.throws(() => deleteNetns('evil', { libc: lib, dir })) as Error;
    t.type(e1, NotANetnsError);
    t.match(e1.message, /refusing to delete "evil": .*evil is a symlink \(to .*real\)/);
    t.equal(netnsInode(real), ino, 'the symlink\'s target is still mounted');
    t.equal(readlinkSync(join(dir, 'evil')), real, 'the symlink is still there');
    // A file with something other than a namespace mounted on it.
    const victim = join(dir, '..', `victim-${backend}`);
    writeFileSync(victim, 'keep me');
    writeFileSync(join(dir, 'fake'), '');
    lib.mount(victim, join(dir, 'fake'), 'none', MS_BIND, null);
    t.teardown(() => { try { lib.umount2(join(dir, 'fake'), MNT_DETACH); } catch { /* gone */ } });
    const e2 = t.throws(() => deleteNetns('fake', { libc: lib, dir })) as Error;
    t.type(e2, NotANetnsError);
    t.match(e2.message, /has a filesystem of type \w+ mounted on it, not a network namespace/);
    t.equal(execFileSync('cat', [join(dir, 'fake')], { encoding: 'utf8' }), 'keep me', 'still mounted');
    // A directory by that name.
    execFileSync('mkdir', [join(dir, 'adir')]);
    t.throws(() => deleteNetns('adir', { libc: lib, dir }), NotANetnsError);
    t.ok(existsSync(join(dir, 'adir')), 'the directory is kept');
    // Our own name still deletes.
    deleteNetns('real', { libc: lib, dir });
    t.notOk(existsSync(real), 'a name netns.add made is deleted');
  });

  t.test(`${backend}: netns.add with dir pointing at a file: NetnsError before anything is made`, async (t) => {
    const file = join(dir, '..', `afile-${backend}`);
    writeFileSync(file, 'x');
    const e = t.throws(() => addNetns('n1', { libc: lib, dir: file })) as Error;
    t.type(e, NetnsError);
    t.equal((e as NetnsError).code, 'ENOTDIR');
    t.match(e.message, /^netns\.dir: .*afile-.* is not a directory$/);
    const e2 = t.throws(() => addNetns('n1', { libc: lib, dir: join(file, 'sub') })) as Error;
    t.type(e2, NetnsError);
    t.match(e2.message, /netns\.dir: .* is not a directory/);
    t.equal(execFileSync('cat', [file], { encoding: 'utf8' }), 'x', 'the file is untouched');
  });

  t.test(`${backend}: an nft batch larger than the send buffer: NftBatchTooLargeError naming its size, nothing applied`, async (t) => {
    nft('flush', 'ruleset');
    const h = NftHandle.open({ libc: lib, sndbuf: 64 * 1024 } as never);
    t.teardown(() => h.close());
    const before = nft('-j', 'list', 'ruleset');
    const b = h.batch().addTable({ family: 'ip', name: 'big' }).addChain({ family: 'ip', table: 'big', name: 'c' });
    const elements = Array.from({ length: 20_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    b.addSet({ family: 'ip', table: 'big', name: 's', type: 'ipv4_addr' });
    for (let i = 0; i < elements.length; i += 1000) b.addElements({ family: 'ip', table: 'big', name: 's', type: 'ipv4_addr', elements: elements.slice(i, i + 1000) });
    const e = await b.commit().then(() => undefined, (x: unknown) => x) as Error;
    t.type(e, NftBatchTooLargeError);
    t.type(e, RangeError, 'a RangeError');
    t.match(e.message, /^nftables batch of \d+ bytes \(\d+ operations\) is larger than the socket's send buffer/);
    t.ok(((e as NftBatchTooLargeError).operations ?? 0) > 20, 'with its operation count');
    t.ok((e as NftBatchTooLargeError).bytes > 64 * 1024, `bytes: ${(e as NftBatchTooLargeError).bytes}`);
    t.equal(nft('-j', 'list', 'ruleset'), before, 'the ruleset is unchanged');
    // The handle still works.
    await h.batch().addTable({ family: 'ip', name: 'small' }).commit();
    t.match(nft('list', 'tables'), /table ip small/);
    nft('flush', 'ruleset');
  });

  t.test(`${backend}: bad calls on live handles leave the namespace's whole state unchanged`, async (t) => {
    ip('link', 'add', `hb${backend[0]}`, 'type', 'bridge');
    t.teardown(() => { ip('link', 'del', `hb${backend[0]}`); });
    const h = RouteHandle.open({ libc: lib });
    const n = NftHandle.open({ libc: lib } as never);
    t.teardown(() => { h.close(); n.close(); });
    const dev = `hb${backend[0]}`;
    const before = state(dir);
    const calls: [string, () => unknown][] = [
      ['link.add(null)', () => h.link.add(null as never)], ['link.set up yes', () => h.link.set(dev, { up: 'yes' as never })],
      ['link.set 5-octet MAC', () => h.link.set(dev, { address: '02:00:00:00:01' })], ['link.add bad name', () => h.link.add({ name: 'a/b', kind: 'bridge' })],
      ['link.add mtu 0', () => h.link.add({ name: 'x', kind: 'bridge', mtu: 0 })], ['link.set mtu NaN', () => h.link.set(dev, { mtu: NaN })],
      ['addr.add bad prefix', () => h.addr.add({ dev, address: '10.0.0.1/33' })], ['addr.add(null)', () => h.addr.add(null as never)],
      ['route.add bad dst', () => h.route.add({ dst: '10.0.0.0/40', dev })], ['route.add bad table', () => h.route.add({ dst: '10.0.0.0/8', dev, table: -1 })],
      ['neigh.add 5-octet', () => h.neigh.add({ dst: '10.0.0.9', dev, lladdr: '02:00:00:00:01' })], ['rule.add([])', () => h.rule.add([] as never)],
      ['rule.add bad fwmark', () => h.rule.add({ fwmark: -1, table: 100 })], ['fdb.add bad mac', () => h.fdb.add({ mac: 'zz', dev })],
      ['batch.addRule(null)', () => n.batch().addRule(null as never)], ['batch.addTable bad family', () => n.batch().addTable({ family: 'ipv9' as never, name: 't' })],
      ['handle timeoutMs NaN', () => RouteHandle.open({ libc: lib, timeoutMs: NaN })], ['handle rcvbuf NaN', () => RouteHandle.open({ libc: lib, rcvbuf: NaN })],
      ['netns.add bad name', () => addNetns('a/b', { libc: lib, dir })], ['netns.delete missing', () => deleteNetns('nosuch', { libc: lib, dir })],
    ];
    for (const [label, call] of calls) {
      let err: unknown;
      try { await call(); } catch (e) { err = e; }
      t.ok(err instanceof Error && !/Cannot read propert|is not a function/.test(err.message), `${label}: ${(err as Error)?.name}: ${(err as Error)?.message?.slice(0, 100)}`);
    }
    t.equal(state(dir), before, 'links, addresses, routes, rules, neighbours, ruleset and named namespaces are exactly as before');
  });
}
