// Live: sysctl per network namespace, checked against sysctl(8) run inside with `ip netns exec`.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { loadBackend } from '../../src/ffi/libc.js';
import { SysctlError, UnknownSysctlError, addNetns, deleteNetns, getSysctl, setSysctl, sysctlPath } from '../../src/index.js';
import { backends, enterFreshNetns, ip, netnsInode, openFds } from '../helpers/live.js';

const home = enterFreshNetns();
const P = `s${process.pid}`;
const inNs = (ns: string, key: string): string => execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-n', key], { encoding: 'utf8' }).trim();
const catchErr = (fn: () => unknown): unknown => { try { fn(); } catch (e) { return e; } return undefined; };

t.test('keys: dotted and slashed forms, validated before any file is touched', async (t) => {
  t.equal(sysctlPath('net.ipv4.ip_forward'), '/proc/sys/net/ipv4/ip_forward');
  t.equal(sysctlPath('net/ipv4/conf/eth0.100/forwarding'), '/proc/sys/net/ipv4/conf/eth0.100/forwarding', 'slashes keep dotted device names');
  for (const bad of ['', 'net..ipv4', 'net/../../etc/passwd', 'net.ipv4.']) t.throws(() => sysctlPath(bad), `${JSON.stringify(bad)} refused`);
});

for (const backend of backends) {
  const libc = loadBackend(backend);
  t.test(`${backend}: get/set inside a named namespace only touch that namespace`, async (t) => {
    const ns = `${P}-${backend}`;
    addNetns(ns, { libc });
    t.teardown(() => deleteNetns(ns, { libc }));
    const fds = openFds();
    const here = getSysctl('net.ipv4.ip_forward');
    t.equal(getSysctl('net.ipv4.ip_forward', { netns: ns, libc }), 0, 'a new namespace starts with ip_forward 0');
    setSysctl('net.ipv4.ip_forward', 1, { netns: ns, libc });
    t.equal(inNs(ns, 'net.ipv4.ip_forward'), '1', 'sysctl(8) inside sees 1');
    t.equal(getSysctl('net.ipv4.ip_forward', { netns: ns, libc }), 1, 'we read 1 back');
    t.equal(getSysctl('net.ipv4.ip_forward'), here, 'our own namespace is unchanged');
    setSysctl('net.ipv6.conf.all.forwarding', true, { netns: ns, libc });
    t.equal(inNs(ns, 'net.ipv6.conf.all.forwarding'), '1', 'IPv6 forwarding (a boolean written as 1)');
    // Per-device keys exist where the device does.
    ip('-n', ns, 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
    setSysctl('net.ipv4.conf.veth0.forwarding', 1, { netns: ns, libc });
    t.equal(inNs(ns, 'net.ipv4.conf.veth0.forwarding'), '1', 'per-device key');
    const missingDev = catchErr(() => getSysctl('net.ipv4.conf.veth0.forwarding', { libc }));
    t.type(missingDev, UnknownSysctlError, 'the device key does not exist in our namespace');
    t.equal((missingDev as UnknownSysctlError).key, 'net.ipv4.conf.veth0.forwarding');
    t.same(getSysctl('net.ipv4.ip_local_port_range', { netns: ns, libc }), [32768, 60999], 'two numbers → an array');
    setSysctl('net.ipv4.ip_local_port_range', [20000, 30000], { netns: ns, libc });
    t.equal(inNs(ns, 'net.ipv4.ip_local_port_range').replace(/\s+/g, ' '), '20000 30000', 'an array is written tab-separated');
    t.type(getSysctl('net.ipv4.tcp_congestion_control', { netns: ns, libc }), 'string', 'text stays text');
    const unknown = catchErr(() => setSysctl('net.ipv4.no_such_key', 1, { netns: ns, libc }));
    t.type(unknown, UnknownSysctlError, 'unknown key → UnknownSysctlError');
    t.match((unknown as Error).message, /net\.ipv4\.no_such_key/, 'naming the key');
    const rejected = catchErr(() => setSysctl('net.ipv4.ip_forward', 'yes', { netns: ns, libc }));
    t.type(rejected, SysctlError, 'a value the kernel refuses → SysctlError');
    t.equal((rejected as SysctlError).code, 'EINVAL');
    t.throws(() => setSysctl('net.ipv4.ip_forward', 1.5, { netns: ns, libc }), RangeError, 'a non-integer number is refused before writing');
    t.equal(netnsInode(), home, 'the thread is home after every call, failed ones included');
    t.equal(openFds(), fds, 'no fd left open');
  });
}
