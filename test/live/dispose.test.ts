// Live: `using` / `await using` release every handle and stream (RouteHandle, NftHandle,
// NetlinkSocket, monitors, Netns, unshared namespaces); a script that unshares a namespace
// exits without stop(); a persistent unshared namespace outlives its creator and is found and
// ended later by name — each under both backends.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import { NetnsNotFoundError } from '../../src/netns/errors.js';
import { Netns } from '../../src/netns/netns.js';
import { runInNetns, spawnUnshared } from '../../src/netns/run.js';
import { findUnshared, stopUnshared } from '../../src/netns/unshared-owner.js';
import { NftHandle } from '../../src/nft/handle.js';
import { monitorNft } from '../../src/nft/monitor.js';
import { RouteHandle } from '../../src/route/handle.js';
import { monitor } from '../../src/route/monitor/monitor.js';
import { rtnetlink } from '../../src/route/protocol.js';
import { ROOT } from '../helpers/cli.js';
import { backends, enterFreshNetns, openFds } from '../helpers/live.js';

enterFreshNetns();
const BUNDLE = join(ROOT, 'dist/bundle/index.js');
const dir = mkdtempSync(join(tmpdir(), 'nlts-unshared-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number): boolean => existsSync(`/proc/${pid}/environ`) && spawnSync('kill', ['-0', String(pid)]).status === 0;
async function gone(pid: number, ms = 30_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const st = spawnSync('sh', ['-c', `cat /proc/${pid}/stat 2>/dev/null`], { encoding: 'utf8' }).stdout;
    if (!st || / Z /.test(st)) return true;
  }
  return false;
}

for (const backend of backends) {
  const lib = loadBackend(backend);

  t.test(`${backend}: using closes handles, sockets and monitors at the end of the scope`, async (t) => {
    const before = openFds();
    {
      using h = RouteHandle.open({ libc: lib });
      using nft = NftHandle.open({ libc: lib });
      using s = NetlinkSocket.open(rtnetlink, { libc: lib });
      using m = monitor({ libc: lib, kinds: ['link'] });
      using ns = Netns.current({ libc: lib });
      t.ok((await h.link.list()).some((l) => l.name === 'lo'), 'usable inside the scope');
      t.type(await nft.genid(), 'number');
      t.ok(s && m && ns.inode > 0);
      t.ok(openFds() >= before + 5, 'five more fds while open');
    }
    t.equal(openFds(), before, 'all released when the scope ends');
    {
      await using m = monitorNft({ libc: lib });
      await using r = monitor({ libc: lib, kinds: ['addr'] });
      t.ok(m && r && openFds() > before);
    }
    t.equal(openFds(), before, 'await using: released, the poller let go');
    {
      await using box = spawnUnshared({ libc: lib });
      t.ok(alive(box.pid), 'owner running in the scope');
      t.teardown(() => void gone(box.pid));
      var boxPid = box.pid;
    }
    t.ok(await gone(boxPid), 'await using stops the unshared namespace\'s owner');
  });

  t.test(`${backend}: a script that unshares a namespace and never calls stop() exits, and so does the owner`, async (t) => {
    const script = `import { netns } from ${JSON.stringify(BUNDLE)};
const box = netns.unshare({ hostname: 'x1' });
console.log(box.pid);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NETLINK_TS_FFI: backend } });
    t.equal(r.signal, null, 'not killed by the timeout: it exited by itself');
    t.equal(r.status, 0, r.stderr);
    const pid = Number(r.stdout.trim());
    t.ok(pid > 0, 'printed the owner pid');
    t.ok(await gone(pid), 'the owner ends with its creator');
  });

  t.test(`${backend}: persist: the namespace outlives its creator; found and ended by name from elsewhere`, async (t) => {
    const name = `lab-${backend}`;
    const script = `import { netns, RouteHandle } from ${JSON.stringify(BUNDLE)};
const box = netns.unshare({ hostname: 'keep1', persist: true, name: ${JSON.stringify(name)}, dir: ${JSON.stringify(dir)} });
const h = RouteHandle.open({ netns: box.ref });
await h.link.add({ name: 'br-keep', kind: 'bridge' });
h.close();
console.log(box.pid);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NETLINK_TS_FFI: backend } });
    t.equal(r.status, 0, r.stderr);
    const pid = Number(r.stdout.trim());
    t.teardown(() => { if (alive(pid)) process.kill(pid, 'SIGKILL'); });
    t.ok(existsSync(join(dir, `${name}.pid`)), 'pid file written');
    const found = findUnshared({ name, dir });
    t.equal(found?.pid, pid, 'found by name after its creator exited');
    t.equal(findUnshared({ pidFile: join(dir, `${name}.pid`) })?.pid, pid, 'and by pid file');
    const h = RouteHandle.open({ netns: found!.ref, libc: lib });
    t.ok((await h.link.list()).some((l) => l.name === 'br-keep'), 'what the creator built is still there');
    h.close();
    const host = await runInNetns(found!.ref, 'hostname', [], { uts: true, libc: lib });
    t.equal(host.stdout.trim(), 'keep1', 'with its hostname');
    t.equal(await stopUnshared({ name, dir }), true, 'stopUnshared ends it');
    t.ok(await gone(pid), 'owner gone');
    t.notOk(existsSync(join(dir, `${name}.pid`)), 'pid file removed');
    t.equal(findUnshared({ name, dir }), undefined, 'no longer found');
    await t.rejects(stopUnshared({ name, dir }), NetnsNotFoundError, 'a name that is not there');
    t.equal(findUnshared({ pid: process.pid }), undefined, 'a pid without the owner mark is never taken for one');
  });
}
