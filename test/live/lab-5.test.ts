// Live: seed lab 5 (examples/labs/lab5.yaml), the load-balancer test bed — two servers behind
// bridge br-lb, port forwards (dnat) to each, masquerade for their own connections, a filter
// rule dropping forwarded TCP to 9999 — through netlink-lab under both FFI backends.
import t from 'tap';
import { backends } from '../helpers/live.js';
import { seedLab } from '../helpers/seed-lab.js';

for (const ffi of backends) {
  t.test(`${ffi}: lab5 — two servers behind a bridge, dnat, masquerade, a filter`, async (t) => {
    await seedLab(t, 'lab5', ffi, ({ host }) => {
      const nft = host.nftRuleset();
      t.match(nft, /dnat to 10\.10\.0\.11:80/, 'nft agrees: the port forward to s1');
      t.match(nft, /masquerade/, 'nft agrees: the masquerade rule');
      t.match(nft, /tcp dport 9999 drop/, 'nft agrees: the filter rule');
      t.equal(host.run('cat', ['/proc/sys/net/ipv4/ip_forward']).stdout.trim(), '1', 'the host forwards while the lab is up');
    });
  });
}
