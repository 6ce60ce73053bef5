// Unit: the CNI plugin's protocol layer (env, config, results, error JSON) and the built-in
// host-local IPAM on a temporary data directory — no network, no privileges.
import t from 'tap';
import { mkdtempSync, openSync, closeSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCni } from '../../src/cni/main.js';
import { readEnv } from '../../src/cni/env.js';
import { CniError } from '../../src/cni/errors.js';
import { formatResult, parseResult } from '../../src/cni/result.js';
import { hostLocalAdd, hostLocalDel, hostLocalGc, parseHostLocal } from '../../src/cni/host-local.js';
import { BACKENDS, LOCK_EX, LOCK_NB, LOCK_UN, loadBackend } from '../../src/ffi/libc.js';
import { SyscallError } from '../../src/ffi/errors.js';

const caught = (fn: () => unknown): unknown => { try { fn(); } catch (e) { return e; } return undefined; };
const env = (o: Record<string, string>) => ({ CNI_CONTAINERID: 'c1', CNI_NETNS: '/run/netns/x', CNI_IFNAME: 'eth0', ...o });

t.test('VERSION: the versions spoken, cniVersion echoed', async (t) => {
  const r = await runCni('{"cniVersion":"1.0.0"}', { CNI_COMMAND: 'VERSION' });
  t.same(r, { code: 0, stdout: JSON.stringify({ cniVersion: '1.0.0', supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] }) });
  const empty = await runCni('', { CNI_COMMAND: 'VERSION' });
  t.equal(JSON.parse(empty.stdout).cniVersion, '1.1.0', 'no stdin: the latest version');
});

t.test('errors are the spec JSON with well-known codes, never a stack trace', async (t) => {
  const cases: Array<[string, Record<string, string>, number, RegExp]> = [
    ['{}', {}, 4, /CNI_COMMAND/],
    ['{}', { CNI_COMMAND: 'FROB' }, 4, /FROB/],
    ['{"cniVersion":"1.0.0","name":"n","type":"netlink-ts-cni"}', { CNI_COMMAND: 'ADD', CNI_IFNAME: 'eth0' }, 4, /CNI_CONTAINERID,CNI_NETNS/],
    ['{"cniVersion":"1.0.0"', env({ CNI_COMMAND: 'ADD' }), 6, /network configuration/],
    ['{"cniVersion":"9.9.9","name":"n","type":"netlink-ts-cni"}', env({ CNI_COMMAND: 'ADD' }), 1, /incompatible CNI versions/],
    ['{"cniVersion":"1.0.0","name":"n","type":"netlink-ts-cni","mtu":"big"}', env({ CNI_COMMAND: 'ADD' }), 7, /mtu/],
    ['{"cniVersion":"1.0.0","name":"n","type":"netlink-ts-cni","vlan":5}', env({ CNI_COMMAND: 'ADD' }), 2, /vlan=5/],
    ['{"cniVersion":"1.0.0","name":"n","type":"netlink-ts-cni","hairpinMode":true,"promiscMode":true}', env({ CNI_COMMAND: 'ADD' }), 7, /hairpin/],
    ['{"cniVersion":"1.0.0","name":"n","type":"netlink-ts-cni","isGateway":1}', env({ CNI_COMMAND: 'ADD' }), 7, /isGateway/],
    ['{"cniVersion":"0.3.1","name":"n","type":"netlink-ts-cni"}', env({ CNI_COMMAND: 'CHECK' }), 1, /CHECK/],
    ['{"cniVersion":"1.0.0","name":"n","type":"netlink-ts-cni"}', { CNI_COMMAND: 'STATUS' }, 1, /STATUS/],
    ['{"cniVersion":"1.0.0","name":"n","type":"netlink-ts-cni"}', env({ CNI_COMMAND: 'ADD', CNI_CONTAINERID: '-bad' }), 4, /CNI_CONTAINERID/],
    ['{"cniVersion":"1.0.0","name":"n","type":"netlink-ts-cni"}', env({ CNI_COMMAND: 'ADD', CNI_IFNAME: 'a/b' }), 4, /CNI_IFNAME/],
    ['{"cniVersion":"1.0.0","name":"n","type":"netlink-ts-cni"}', env({ CNI_COMMAND: 'ADD', CNI_NETNS: '/nonexistent/ns' }), 3, /netns/],
    ['{"cniVersion":"1.0.0","name":"n","type":"netlink-ts-portmap"}', env({ CNI_COMMAND: 'ADD' }), 7, /chained/],
  ];
  for (const [stdin, e, code, msg] of cases) {
    const r = await runCni(stdin, e);
    t.equal(r.code, 1, `${JSON.stringify(e)} fails`);
    const j = JSON.parse(r.stdout);
    t.match(j, { code, msg }, `code ${code} ${msg}`);
    t.ok(typeof j.cniVersion === 'string' && !/\n\s+at /.test(r.stdout), 'cniVersion present, no stack trace');
  }
});

t.test('CNI_ARGS parse; malformed pairs are code 4', async (t) => {
  t.same([...readEnv(env({ CNI_COMMAND: 'DEL', CNI_ARGS: 'IgnoreUnknown=1;IP=10.0.0.5' })).args], [['IgnoreUnknown', '1'], ['IP', '10.0.0.5']]);
  t.throws(() => readEnv(env({ CNI_COMMAND: 'DEL', CNI_ARGS: 'novalue' })), CniError);
});

t.test('results: 0.4.0 ips carry version, 1.0.0 do not; prevResult of any spoken version parses', async (t) => {
  const r = { cniVersion: '1.0.0', interfaces: [{ name: 'eth0', sandbox: '/x' }], ips: [{ interface: 0, address: '10.0.0.2/24', gateway: '10.0.0.1' }, { address: 'fd00::2/64' }], routes: [{ dst: '0.0.0.0/0' }] };
  t.same((formatResult(r, '0.4.0')['ips'] as unknown[]), [{ version: '4', interface: 0, address: '10.0.0.2/24', gateway: '10.0.0.1' }, { version: '6', address: 'fd00::2/64' }]);
  t.same(formatResult(r, '1.0.0')['ips'], r.ips);
  t.same(parseResult(formatResult(r, '0.4.0'), 'prevResult').ips, r.ips, 'version keys dropped on input');
  t.throws(() => parseResult({ ips: [{ gateway: 'x' }] }, 'prevResult'), CniError, 'an IP without address is a decode failure');
});

const hl = (dir: string, ipam: Record<string, unknown>, args = new Map<string, string>()) => parseHostLocal({ name: 'net1', ipam: { type: 'host-local', dataDir: dir, ...ipam } }, args);

t.test('host-local: same files as the reference, round robin, gateway skipped, release, GC', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-hl-'));
  const conf = hl(dir, { ranges: [[{ subnet: '10.9.0.0/29' }], [{ subnet: 'fd09::/125', rangeStart: 'fd09::3' }]], routes: [{ dst: '0.0.0.0/0' }] });
  const a = hostLocalAdd(conf, 'ctrA', 'eth0', '1.0.0');
  t.same(a.ips, [{ address: '10.9.0.2/29', gateway: '10.9.0.1' }, { address: 'fd09::3/125', gateway: 'fd09::1' }], 'first addresses after the gateway / from rangeStart');
  t.same(a.routes, [{ dst: '0.0.0.0/0' }]);
  const net = join(dir, 'net1');
  t.equal(readFileSync(join(net, '10.9.0.2'), 'utf8'), 'ctrA\r\neth0', '"<id>\\r\\n<ifname>"');
  t.equal(readFileSync(join(net, 'last_reserved_ip.0'), 'utf8'), '10.9.0.2');
  t.equal(readFileSync(join(net, 'last_reserved_ip.1'), 'utf8'), 'fd09::3', 'IPv6 in Go net.IP.String() form');
  t.equal(statSync(join(net, 'lock')).isFile(), true, 'lock file');
  t.throws(() => hostLocalAdd(conf, 'ctrA', 'eth0', '1.0.0'), /duplicate allocation/, 'one attachment, one address per range set');
  t.equal(hostLocalAdd(conf, 'ctrB', 'eth0', '1.0.0').ips![0]!.address, '10.9.0.3/29', 'round robin');
  hostLocalDel(conf, 'ctrA', 'eth0');
  t.equal(hostLocalAdd(conf, 'ctrC', 'eth0', '1.0.0').ips![0]!.address, '10.9.0.4/29', 'continues after the last reserved, not the freed one');
  t.equal(hostLocalAdd(conf, 'ctrD', 'eth0', '1.0.0').ips![0]!.address, '10.9.0.5/29');
  t.equal(hostLocalAdd(conf, 'ctrE', 'eth0', '1.0.0').ips![0]!.address, '10.9.0.6/29', '.7 is broadcast: .6 is the last');
  t.equal(hostLocalAdd(conf, 'ctrF', 'eth0', '1.0.0').ips![0]!.address, '10.9.0.2/29', 'wraps to the freed address');
  t.throws(() => hostLocalAdd(conf, 'ctrG', 'eth0', '1.0.0'), /no IP addresses available/, 'full');
  t.notOk(readdirSync(net).some((f) => readFileSync(join(net, f), 'utf8').startsWith('ctrG')), 'a failed ADD leaves no reservation (all or nothing)');
  hostLocalGc(conf, [{ containerID: 'ctrB', ifname: 'eth0' }]);
  t.same(readdirSync(net).filter((f) => f.startsWith('10.') || f.startsWith('fd')).map((f) => readFileSync(join(net, f), 'utf8')), ['ctrB\r\neth0', 'ctrB\r\neth0'], 'GC keeps only the valid attachment');
  // A file written by the reference (same format) is honoured: that address is not handed out.
  writeFileSync(join(net, '10.9.0.3'), 'other\r\neth1');
  t.throws(() => hostLocalAdd(hl(dir, { subnet: '10.9.0.0/29', rangeStart: '10.9.0.3', rangeEnd: '10.9.0.3' }), 'ctrH', 'eth0', '1.0.0'), /no IP addresses available/);
  const req = hostLocalAdd(hl(dir, { subnet: '10.9.0.0/29' }, new Map([['IP', '10.9.0.5']])), 'ctrI', 'eth0', '1.0.0');
  t.equal(req.ips![0]!.address, '10.9.0.5/29', 'CNI_ARGS IP= requests an address');
});

t.test('host-local config errors name the key (code 7)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-hl-'));
  for (const [ipam, msg] of [
    [{ ranges: [[{ subnet: '10.0.0.0/31' }]] }, /too small/],
    [{ ranges: [[{ subnet: '10.0.0.1/24' }]] }, /host bits/],
    [{ ranges: [[{ subnet: '10.0.0.0/24', rangeStart: '10.0.1.1' }]] }, /rangeStart/],
    [{ ranges: [[{ subnet: '10.0.0.0/24' }], [{ subnet: '10.0.0.0/25' }]] }, /overlaps/],
    [{}, /no IP ranges/],
  ] as const) {
    const e = caught(() => hl(dir, ipam as Record<string, unknown>));
    t.ok(e instanceof CniError && e.code === 7 && msg.test(e.message), `${String(msg)}: ${(e as Error)?.message}`);
  }
});

for (const backend of BACKENDS) {
  t.test(`${backend}: flock(2) — a second exclusive lock would block (EWOULDBLOCK with LOCK_NB) until LOCK_UN`, async (t) => {
    const lib = loadBackend(backend);
    const f = join(mkdtempSync(join(tmpdir(), 'nlts-lock-')), 'lock');
    writeFileSync(f, '');
    const a = openSync(f, 'r'), b = openSync(f, 'r');
    lib.flock(a, LOCK_EX);
    const e = caught(() => lib.flock(b, LOCK_EX | LOCK_NB));
    t.ok(e instanceof SyscallError && (e.code === 'EWOULDBLOCK' || e.code === 'EAGAIN'), `SyscallError EWOULDBLOCK: ${(e as Error)?.message}`);
    lib.flock(a, LOCK_UN);
    lib.flock(b, LOCK_EX | LOCK_NB);
    closeSync(a); closeSync(b);
  });
}
