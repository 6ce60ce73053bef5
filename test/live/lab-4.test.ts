// Live: seed lab 4 (examples/labs/lab4.yaml) — the bridge in a third namespace with no
// address, TCP and UDP across it on port 41234, the switch's namespace reaching nobody —
// through netlink-lab under both FFI backends.
import t from 'tap';
import { backends } from '../helpers/live.js';
import { seedLab } from '../helpers/seed-lab.js';

for (const ffi of backends) {
  t.test(`${ffi}: lab4 — a switch namespace with an address-less bridge`, async (t) => {
    await seedLab(t, 'lab4', ffi, ({ host }) => {
      const addrs = host.ipJson('-n', 'switch', 'addr', 'show').flatMap((l: { addr_info: Array<{ family: string; local: string }> }) => l.addr_info.filter((a) => a.family === 'inet').map((a) => a.local));
      t.same(addrs, ['127.0.0.1'], 'the switch namespace has no IPv4 address but lo\'s');
      const ports = host.ipJson('-n', 'switch', 'link', 'show', 'master', 'br0').map((l: { ifname: string }) => l.ifname).sort();
      t.same(ports, ['p1', 'p2'], 'ip agrees: p1 and p2 are ports of br0 in switch');
    });
  });
}
