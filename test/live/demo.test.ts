// Live: the main job (`npm run demo` = examples/lab.ts) builds the lab and its traffic proves
// the NAT, run as a user runs it — a child process, here in a fresh netns of this test's own.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { deleteNetns, netnsExists } from '../../src/index.js';
import { enterFreshNetns, ipJson } from '../helpers/live.js';

enterFreshNetns();
const LAB = fileURLToPath(new URL('../../dist/examples/lab.js', import.meta.url));

t.test('examples/lab: bridge + 3 namespaces + NAT, masqueraded traffic, netlink-dump netns', async (t) => {
  t.teardown(() => { for (const n of ['red', 'blue', 'outside']) if (netnsExists(n)) deleteNetns(n); });
  const out = execFileSync(process.execPath, [LAB], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  t.match(out, /^lab built in [\d.]+ ms/m, 'it reports the build');
  t.match(out, /red {2}→ outside 10\.0\.0\.2:8080 {3}server sees 10\.0\.0\.1 /, 'red reaches outside, masqueraded to the host address');
  t.match(out, /blue → outside 10\.0\.0\.2:8080 {3}server sees 10\.0\.0\.1$/m, 'blue too');
  t.match(out, /red {2}→ blue 192\.168\.15\.2:8081 {2}server sees 192\.168\.15\.1 /, 'red → blue on the bridge keeps its address');
  t.match(out, /^red \(2 links/m, 'netlink-dump netns lists red');
  t.match(out, /veth-red@if\d+ +UP +192\.168\.15\.1\/24 .*peer veth-red-br in the current namespace/, '…with its cable to the bridge');
  const br = ipJson('-d', 'link', 'show', 'veth-red-br')[0];
  t.equal(br.master, 'v-net-0', 'ip agrees: the near end is on the bridge');
  t.same(ipJson('-n', 'red', 'route', 'show', 'default').map((r: { gateway: string }) => r.gateway), ['192.168.15.5'], 'ip agrees: red routes via the bridge address');
});
