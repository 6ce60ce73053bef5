// Live: seed lab 2 — red and blue joined by one veth (examples/labs/lab2-veth.yaml), then the
// same through bridge v-net-0 with the host at 192.168.15.5 (examples/labs/lab2.yaml), each
// through netlink-lab up/check/plan/status/down under both FFI backends, nothing left after.
import t from 'tap';
import { backends } from '../helpers/live.js';
import { seedLab } from '../helpers/seed-lab.js';

for (const ffi of backends) {
  t.test(`${ffi}: lab2, step 1 — red and blue on one veth`, async (t) => {
    await seedLab(t, 'lab2-veth', ffi, ({ host }) => {
      t.same(host.ipJson('link', 'show').map((l: { ifname: string }) => l.ifname), ['lo'], 'nothing in the host namespace');
    });
  });
  t.test(`${ffi}: lab2 — the same through bridge v-net-0, host 192.168.15.5`, async (t) => {
    await seedLab(t, 'lab2', ffi, ({ host }) => {
      const ports = host.ipJson('link', 'show', 'master', 'v-net-0').map((l: { ifname: string }) => l.ifname).sort();
      t.same(ports, ['veth-blue-br', 'veth-red-br'], 'ip agrees: both cables are ports of v-net-0');
    });
  });
}
