// Live (issue 17, item 2): monitor() under an event storm. A child `ip -batch` changes links
// thousands of times while a monitor with a 4 KiB receive buffer reads in this process: the
// socket overflows (lost), the resync dump runs while the table keeps changing (the kernel flags
// it NLM_F_DUMP_INTR; the monitor retries instead of ending), and once the storm is over the view
// built from the events (snapshot at each resynced, notifications applied in order) equals the
// kernel's. Both FFI backends.
import { spawn } from 'node:child_process';
import t from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { monitor } from '../../src/route/monitor/monitor.js';
import type { MonitorEvent } from '../../src/route/monitor/monitor-event.js';
import { backends, enterFreshNetns, ip, ipJson } from '../helpers/live.js';

enterFreshNetns();

const LINKS = 60;
const CHANGES = 1500;

function ipBatch(lines: string[]): Promise<number | null> {
  // -force: go on past a failed line (adding a name that exists, deleting one that does not).
  const child = spawn('ip', ['-force', '-batch', '-'], { stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin.end(`${lines.join('\n')}\n`);
  return new Promise((r) => child.on('exit', (code) => r(code)));
}

for (const backend of backends) {
  const lib = loadBackend(backend);
  const b = backend[0]!;
  t.test(`${backend}: a storm of ${CHANGES} link changes with rcvbuf 4096: lost → resync (retried) → resynced, never done, the view ends equal to the kernel's`, async (t) => {
    const names = Array.from({ length: LINKS }, (_, i) => `st${b}${i}`);
    t.equal(await ipBatch(names.map((n) => `link add ${n} type bridge`)), 0, 'links created');
    t.teardown(() => ipBatch(names.map((n) => `link del ${n}`)));
    const m = monitor({ libc: lib, kinds: ['link'], rcvbuf: 4096 });
    t.teardown(() => m.return());
    // The view: index → mtu, rebuilt from each snapshot and patched by notifications.
    let view = new Map<number, number | undefined>();
    let snap: Map<number, number | undefined> | undefined;
    let lost = 0, resynced = 0;
    const apply = (ev: MonitorEvent): void => {
      if (ev.kind === 'lost') { lost++; snap = new Map(); return; }
      if (ev.kind === 'resynced') { resynced++; if (snap) view = snap; snap = undefined; return; }
      if (ev.kind !== 'link') return;
      if (ev.action === 'resync') { snap?.set(ev.link.index, ev.link.mtu); return; }
      // The stream puts notifications after the resynced that ends their snapshot: apply in order.
      if (ev.action === 'del') view.delete(ev.link.index); else view.set(ev.link.index, ev.link.mtu);
    };
    // MTU changes, and links added and deleted (those move the kernel's dev_base_seq, which is
    // what flags a concurrent link dump NLM_F_DUMP_INTR).
    const lines = Array.from({ length: CHANGES }, (_, i) => i % 3 === 0
      ? `link set ${names[i % LINKS]} mtu ${1280 + (i % 200)}`
      : i % 120 < 60 ? `link add sq${b}${(i >> 1) % 20} type bridge` : `link del sq${b}${(i >> 1) % 20}`);
    let stormDone = false;
    const storm = ipBatch(lines).then((c) => { stormDone = true; return c; });
    // Read while the storm runs; then a sentinel link marks "everything before it was read".
    let sentinel = false, ended = false;
    const guard = setTimeout(() => { ended = true; m.close(); }, 240_000);
    const reader = (async () => {
      for (;;) {
        const r = await m.next();
        if (r.done) { ended = true; return; }
        apply(r.value);
        if (stormDone && r.value.kind === 'link' && r.value.link.name === `se${b}` && r.value.action === 'new' && !snap) { sentinel = true; return; }
      }
    })();
    t.ok(typeof (await storm) === 'number', 'the storm ran');
    t.teardown(() => ipBatch(Array.from({ length: 20 }, (_, i) => `link del sq${b}${i}`)));
    ip('link', 'add', `se${b}`, 'type', 'bridge');
    t.teardown(() => { ip('link', 'del', `se${b}`); });
    // The sentinel may be lost too (a resync then reports it): add it again until seen after the storm.
    for (let i = 0; !sentinel && !ended && i < 200; i++) {
      await Promise.race([reader, new Promise((r) => setTimeout(r, 500))]);
      if (!sentinel && !ended && !snap) { ip('link', 'set', `se${b}`, 'mtu', String(1300 + (i % 100))); }
    }
    await Promise.race([reader, new Promise((r) => setTimeout(r, 1000))]);
    clearTimeout(guard);
    t.notOk(ended, 'the iterator never ended');
    t.ok(lost >= 1, `the small buffer overflowed (${lost} lost, ${resynced} resynced, ${m.resyncRetries} interrupted resync dumps retried)`);
    t.ok(resynced >= 1, 'at least one resync completed');
    const kernel = new Map<number, number | undefined>(ipJson('link', 'show').map((l: any) => [l.ifindex as number, l.mtu as number]));
    t.same(Object.fromEntries([...view].sort((x, y) => x[0] - y[0])), Object.fromEntries([...kernel].sort((x, y) => x[0] - y[0])), 'the view equals the kernel\'s links and MTUs');
  });
}
