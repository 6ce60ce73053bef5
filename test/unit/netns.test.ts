// The unprivileged parts of the netns and sysctl modules: name and reference validation,
// sysctl keys and values. Nothing here opens a namespace.
import t from 'tap';
import { netnsPath, netnsSource, enterSync } from '../../src/netlink/nsenter.js';
import { checkNetnsName, describeNetns } from '../../src/netns/netns.js';
import { parseSysctl, sysctlPath } from '../../src/sysctl/sysctl.js';
import { spawnInNetns, spawnUnshared } from '../../src/netns/run.js';
import type { Libc } from '../../src/ffi/libc.js';

/** A Libc that fails the test if any syscall is made. */
const noSyscalls = new Proxy({} as Libc, { get: (_t, p) => () => { throw new Error(`unexpected syscall ${String(p)}`); } });

t.test('names: as iproute2 is_valid_netns_name()', async (t) => {
  for (const ok of ['lab1', 'a.b', 'x'.repeat(255), 'ünï']) t.equal(checkNetnsName(ok), ok, `${ok.slice(0, 10)} accepted`);
  for (const bad of ['', '.', '..', 'a/b', 'x'.repeat(256), 'a\0b']) t.throws(() => checkNetnsName(bad), RangeError, `${JSON.stringify(bad.slice(0, 10))} refused`);
  t.throws(() => checkNetnsName(5), TypeError);
});

t.test('references: fd, path, name, pid — checked before any syscall', async (t) => {
  t.same(netnsSource(7), { fd: 7 });
  t.same(netnsSource({ fd: 0 }), { fd: 0 });
  t.same(netnsSource('lab1'), { path: '/run/netns/lab1' });
  t.same(netnsSource('/proc/1/ns/net'), { path: '/proc/1/ns/net' });
  t.same(netnsSource({ pid: 42 }), { path: '/proc/42/ns/net' });
  t.same(netnsSource({ pid: 42 }, 'x', 'uts'), { path: '/proc/42/ns/uts' });
  t.equal(netnsPath('lab1', '/tmp/ns'), '/tmp/ns/lab1');
  for (const bad of [-1, 1.5, { pid: 0 }, { pid: -3 }, { fd: 2 ** 31 }, '', '..']) t.throws(() => netnsSource(bad as never), `${JSON.stringify(bad)} refused`);
  t.throws(() => netnsSource(null as never), TypeError);
  t.equal(describeNetns({ pid: 9 }), 'pid 9');
  t.equal(describeNetns({ name: 'x' }), 'x');
});

t.test('enter/spawn refuse bad input without a syscall', async (t) => {
  t.throws(() => enterSync(noSyscalls, [], async () => 1), TypeError, 'an async fn');
  t.throws(() => spawnInNetns('lab1', '', [], { libc: noSyscalls }), TypeError, 'an empty command');
  t.throws(() => spawnInNetns('lab1', 'ls', [1 as never], { libc: noSyscalls }), TypeError, 'non-string args');
  t.throws(() => spawnInNetns('lab1', 'ls', [], { libc: noSyscalls, uts: true }), TypeError, 'uts without a pid target');
  t.throws(() => spawnUnshared({ hostname: 'h'.repeat(65), libc: noSyscalls }), RangeError, 'a 65-byte hostname');
  t.throws(() => spawnUnshared({ hostname: '', libc: noSyscalls }), RangeError, 'an empty hostname');
});

t.test('sysctl keys and values', async (t) => {
  t.equal(sysctlPath('net.ipv4.ip_forward'), '/proc/sys/net/ipv4/ip_forward');
  t.equal(sysctlPath('net/ipv4/conf/eth0.100/forwarding'), '/proc/sys/net/ipv4/conf/eth0.100/forwarding');
  t.equal(sysctlPath('/proc/sys/net/ipv6/conf/all/forwarding'), '/proc/sys/net/ipv6/conf/all/forwarding');
  for (const bad of ['', 'a..b', 'net/../etc', '.net']) t.throws(() => sysctlPath(bad), `${JSON.stringify(bad)} refused`);
  t.equal(parseSysctl('1\n'), 1);
  t.equal(parseSysctl('-1\n'), -1);
  t.same(parseSysctl('32768\t60999\n'), [32768, 60999]);
  t.equal(parseSysctl('cubic\n'), 'cubic');
  t.equal(parseSysctl('reno cubic\n'), 'reno cubic');
});
