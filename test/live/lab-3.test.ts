// Live: seed lab 3 (examples/labs/lab3.yaml) — two unnamed namespaces held by keepers, with
// their own hostnames, the veth's ends created in them by pid, lo down in ns2 (its own address
// unreachable), TCP between them — through netlink-lab under both FFI backends.
import t from 'tap';
import { backends } from '../helpers/live.js';
import { seedLab } from '../helpers/seed-lab.js';

for (const ffi of backends) {
  t.test(`${ffi}: lab3 — unnamed namespaces by pid, hostnames, lo down`, async (t) => {
    await seedLab(t, 'lab3', ffi, ({ host, file }) => {
      for (const n of ['ns1', 'ns2']) {
        const r = host.lab(['exec', file, n, '--', 'hostname'], ffi);
        t.equal(r.code, 0);
        t.equal(r.stdout.trim(), n, `exec ${n} -- hostname: ${n} (its keeper's UTS namespace)`);
      }
      const lo = host.lab(['exec', file, 'ns2', '--', 'ip', '-j', 'link', 'show', 'lo'], ffi);
      t.notOk((JSON.parse(lo.stdout)[0].flags as string[]).includes('UP'), 'lo is down in ns2');
      t.equal(host.run('ls', ['-A', '/run/netns']).stdout, '', 'no named namespace: both are unnamed');
      t.equal(host.labProcesses().filter((p) => /^NETLINK_LAB=lab3:ns[12]$/.test(p)).length, 2, 'two keepers, marked with the lab and node');
      const ex = host.lab(['exec', file, 'ns1', '--', 'sh', '-c', 'exit 7'], ffi);
      t.equal(ex.code, 7, 'exec passes the command\'s exit status through');
    });
  });
}
