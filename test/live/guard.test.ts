// The sandbox guard: live tests must never run in the machine's own network namespace.
import t from 'tap';
import { enterFreshNetns, netnsInode, requireSandbox } from '../helpers/live.js';

t.test('live tests run inside the sandbox, not the machine\'s netns', async (t) => {
  requireSandbox();
  const host = Number(process.env['NETLINK_TS_HOST_NETNS']);
  t.ok(host > 0, 'the harness recorded the machine\'s netns inode');
  const sandbox = netnsInode();
  t.not(sandbox, host, 'the sandbox netns differs from the machine\'s');
  const fresh = enterFreshNetns();
  t.not(fresh, sandbox, 'a test file gets a netns of its own');
  t.not(fresh, host);
  t.equal(netnsInode('/proc/self/ns/net'), fresh, 'the main thread (= the process for /proc/self) moved');
});
