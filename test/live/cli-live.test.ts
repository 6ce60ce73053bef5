// Live: the netlink-dump binary (spawned, as a user runs it) against ip -j on the same
// state, in a fresh netns of this test file; named namespaces made with ip netns add live in
// the sandbox's private /run/netns.
import t, { type Test } from 'tap';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type CliResult, STACK, cli } from '../helpers/cli.js';
import { enterFreshNetns, ip, ipJson } from '../helpers/live.js';

enterFreshNetns();
t.setTimeout(600_000); // a safety net (test/run.sh --timeout), not a speed check
const tag = `c${process.pid % 100000}`;
const nsA = `${tag}a`, nsB = `${tag}b`;

// The state: a bridge with a veth port, a veth pair dum0/dum1 (this kernel has no dummy) with addresses, routes, a neighbour, a rule;
// and two named namespaces joined by a veth pair, one end on a bridge.
ip('link', 'add', 'br0', 'type', 'bridge');
ip('link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb');
ip('link', 'set', 'va', 'master', 'br0');
for (const d of ['br0', 'va', 'vb']) ip('link', 'set', d, 'up');
ip('link', 'add', 'dum0', 'mtu', '1400', 'type', 'veth', 'peer', 'name', 'dum1');
ip('link', 'set', 'dum0', 'up');
ip('link', 'set', 'dum1', 'up');
ip('addr', 'add', '10.1.0.1/24', 'brd', '+', 'dev', 'dum0');
ip('addr', 'add', '10.1.0.7/24', 'dev', 'dum0', 'label', 'dum0:x');
ip('addr', 'add', '2001:db8::1/64', 'dev', 'dum0', 'nodad');
ip('route', 'add', '10.9.0.0/16', 'via', '10.1.0.254', 'metric', '50');
ip('route', 'add', 'blackhole', '10.66.0.0/16');
ip('route', 'add', '10.2.0.0/24', 'dev', 'dum0', 'proto', 'static', 'scope', 'link');
ip('-6', 'route', 'add', '2001:db8:5::/48', 'via', '2001:db8::fe', 'dev', 'dum0');
ip('neigh', 'add', '10.1.0.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'dum0', 'nud', 'permanent');
ip('rule', 'add', 'from', '10.1.0.0/24', 'table', '100', 'priority', '1000');
ip('netns', 'add', nsA);
ip('netns', 'add', nsB);
t.teardown(() => { ip('netns', 'del', nsA); ip('netns', 'del', nsB); });
ip('link', 'add', 'xa', 'netns', nsA, 'type', 'veth', 'peer', 'name', 'xb', 'netns', nsB);
ip('-n', nsA, 'link', 'add', 'brx', 'type', 'bridge');
ip('-n', nsA, 'link', 'add', 'pa', 'type', 'veth', 'peer', 'name', 'pb');
ip('-n', nsA, 'link', 'set', 'pa', 'master', 'brx');
ip('-n', nsA, 'addr', 'add', '192.168.7.1/24', 'dev', 'xa');
ip('-n', nsA, 'link', 'set', 'xa', 'up');
ip('-n', nsB, 'link', 'set', 'xb', 'up');
ip('link', 'add', 'hostend', 'type', 'veth', 'peer', 'name', 'nsend', 'netns', nsB);

const json = (args: string[]): any => {
  const r = cli(args);
  if (r.code !== 0) throw new Error(`netlink-dump ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

/** The keys of `ours` and `theirs` they both have, compared value by value. */
function sameOnShared(t: Test, ours: Record<string, unknown>, theirs: Record<string, unknown>, what: string, must: readonly string[]): void {
  for (const k of must) t.ok(k in ours, `${what}: has ${k}`);
  for (const k of Object.keys(theirs)) if (k in ours) t.same(ours[k], theirs[k], `${what}: ${k}`);
}

const LINK_KEYS = ['ifindex', 'ifname', 'flags', 'mtu', 'operstate', 'link_type', 'txqlen', 'qdisc', 'group'];

t.test('link --json agrees with ip -j link show on every shared key', async (t) => {
  const ours = json(['link', '--json']);
  const theirs = ipJson('link', 'show');
  t.same(ours.map((l: any) => l.ifindex), theirs.map((l: any) => l.ifindex), 'the same links in the same order');
  for (const o of theirs) sameOnShared(t, ours.find((l: any) => l.ifindex === o.ifindex) ?? {}, o, o.ifname, LINK_KEYS);
  const va = ours.find((l: any) => l.ifname === 'va');
  t.equal(va.master, 'br0', 'master by name');
  t.equal(va.link, 'vb', 'veth peer in this namespace by name');
});

t.test('link -d --json agrees with ip -j -d link show (linkinfo kinds)', async (t) => {
  const ours = json(['link', '-d', '--json']);
  for (const o of ipJson('-d', 'link', 'show')) {
    const m = ours.find((l: any) => l.ifindex === o.ifindex);
    t.equal(m.linkinfo?.info_kind, o.linkinfo?.info_kind, `${o.ifname}: info_kind`);
    t.equal(m.linkinfo?.info_slave_kind, o.linkinfo?.info_slave_kind, `${o.ifname}: info_slave_kind`);
    for (const k of ['promiscuity', 'min_mtu', 'max_mtu', 'num_tx_queues', 'num_rx_queues']) t.equal(m[k], o[k], `${o.ifname}: ${k}`);
  }
});

t.test('link text: one ip -br-like row per link; filters; -d blocks', async (t) => {
  const r = cli(['link']);
  t.equal(r.code, 0);
  const rows = r.stdout.trim().split('\n');
  t.equal(rows.length, ipJson('link', 'show').length, 'one row per link');
  t.match(r.stdout, /^dum0@dum1\s+UP\s+[0-9a-f:]{17} <BROADCAST,MULTICAST,UP,LOWER_UP>$/m);
  t.match(r.stdout, /^va@vb\s+UP\s/m);
  t.equal(cli(['link', 'dev', 'dum0']).stdout.trim().split('\n').length, 1, 'dev filter');
  t.equal(cli(['link', 'dum0']).stdout, cli(['link', 'dev', 'dum0']).stdout, 'a bare name is dev NAME');
  t.same(json(['link', '--json', 'master', 'br0']).map((l: any) => l.ifname), ['va'], 'master filter');
  t.same(json(['link', '--json', 'type', 'bridge']).map((l: any) => l.ifname), ['br0'], 'type filter');
  t.match(cli(['link', '-d', 'va']).stdout, /master br0 .*\n.*\n\s+veth bridge_slave/);
  const none = cli(['link', 'dev', 'nosuch0']);
  t.equal(none.code, 1);
  t.equal(none.stderr, 'netlink-dump: no such device: nosuch0\n');
});

t.test('addr --json agrees with ip -j addr show (addr_info local, prefixlen, scope, broadcast, label)', async (t) => {
  const ours = json(['addr', '--json']);
  for (const o of ipJson('addr', 'show')) {
    const m = ours.find((l: any) => l.ifindex === o.ifindex);
    sameOnShared(t, { ...m, addr_info: undefined }, { ...o, addr_info: undefined }, o.ifname, LINK_KEYS);
    t.equal(m.addr_info.length, o.addr_info.length, `${o.ifname}: as many addresses`);
    for (const a of o.addr_info) {
      const b = m.addr_info.find((x: any) => x.local === a.local);
      if (!t.ok(b, `${o.ifname} ${a.local}`)) continue;
      for (const k of ['family', 'prefixlen', 'scope', 'broadcast', 'label']) t.equal(b[k], a[k], `${o.ifname} ${a.local}: ${k}`);
    }
  }
  t.match(cli(['addr']).stdout, /^dum0@dum1\s+UP\s+10\.1\.0\.1\/24 10\.1\.0\.7\/24 2001:db8::1\/64/m);
});

t.test('route --json agrees with ip -j route show, IPv4 and IPv6 (main table)', async (t) => {
  for (const fam of ['-4', '-6']) {
    const ours = json(['route', fam, '--json']);
    const theirs = ipJson(fam, 'route', 'show');
    t.equal(ours.length, theirs.length, `${fam}: as many routes`);
    for (const o of theirs) {
      const m = ours.find((r: any) => r.dst === o.dst && r.dev === o.dev && (r.type ?? 'unicast') === (o.type ?? 'unicast'));
      if (!t.ok(m, `${fam} ${o.type ?? ''} ${o.dst} dev ${o.dev}`)) continue;
      t.same(m, o, `${fam} ${o.dst} dev ${o.dev}: every key as ip prints it`);
    }
  }
  t.match(cli(['route', '-4']).stdout, /^10\.9\.0\.0\/16 via 10\.1\.0\.254 dev dum0 metric 50$/m);
  t.match(cli(['route', '-4']).stdout, /^blackhole 10\.66\.0\.0\/16$/m);
  const local = json(['route', '--json', 'table', 'local', '-4']);
  t.same(local.map((r: any) => r.dst).sort(), ipJson('-4', 'route', 'show', 'table', 'local').map((r: any) => r.dst).sort(), 'table local');
  t.same(json(['route', '--json', '-4', 'dev', 'dum0']).map((r: any) => r.dst).sort(), ipJson('-4', 'route', 'show', 'dev', 'dum0').map((r: any) => r.dst).sort(), 'dev filter');
});

t.test('neigh and rule --json agree with ip -j', async (t) => {
  const ours = json(['neigh', '--json']);
  for (const o of ipJson('neigh', 'show')) {
    const m = ours.find((n: any) => n.dst === o.dst && n.dev === o.dev);
    if (!t.ok(m, `${o.dst} dev ${o.dev}`)) continue;
    t.same(m, o, `${o.dst}: every key`);
  }
  t.ok(ours.some((n: any) => n.dst === '10.1.0.9' && n.lladdr === '02:00:00:00:00:09'), 'the permanent entry');
  for (const fam of ['-4', '-6']) t.same(json(['rule', fam, '--json']), ipJson(fam, 'rule', 'show'), `rule ${fam}: identical`);
  t.match(cli(['rule', '-4']).stdout, /^1000:\tfrom 10\.1\.0\.0\/24 lookup 100$/m);
});

/**
 * Two CLI runs that must print the same, taken again while they differ: the kernel adds
 * neighbours on its own (IPv6 router solicitations, IGMP reports after link up) at times a
 * loaded machine stretches. A real difference stays and fails after 30 s.
 */
async function sameOutput(t: Test, a: () => CliResult, b: () => CliResult, msg: string, bNow?: CliResult): Promise<void> {
  let x = a(), y = bNow ?? b();
  for (const end = Date.now() + 30_000; JSON.stringify(x) !== JSON.stringify(y) && Date.now() < end;) {
    await new Promise((r) => setTimeout(r, 200));
    x = a(); y = b();
  }
  t.same(x, y, msg);
}

t.test('ip habits: show verbs, family headings in rule, nud filter in neigh', async (t) => {
  for (const cmd of ['link', 'addr', 'route', 'neigh', 'rule']) {
    const plain = cli([cmd]);
    t.equal(plain.code, 0, `${cmd}: ${plain.stderr}`);
    for (const verb of ['show', 'list', 'ls']) await sameOutput(t, () => cli([cmd, verb]), () => cli([cmd]), `${cmd} ${verb} = ${cmd}`, plain);
  }
  t.same(cli(['addr', 'show', 'dum0']), cli(['addr', 'dum0']), 'addr show DEV');
  const rules = cli(['rule']).stdout.split('\n');
  t.equal(rules[0], 'IPv4:', 'IPv4 rules first, under a heading');
  t.ok(rules.includes('IPv6:'), 'then IPv6 under its own');
  t.ok(rules.indexOf('1000:\tfrom 10.1.0.0/24 lookup 100') < rules.indexOf('IPv6:'), 'the IPv4 rule is in the IPv4 part');
  t.notMatch(cli(['rule', '-6']).stdout, /IPv/, 'one family: no heading');
  t.match(cli(['neigh', 'nud', 'permanent']).stdout, /^10\.1\.0\.9 dev dum0 lladdr 02:00:00:00:00:09 PERMANENT$/m, 'nud permanent keeps the permanent entry');
  t.notMatch(cli(['neigh', 'nud', 'reachable']).stdout, /10\.1\.0\.9/, 'nud reachable drops it');
  await sameOutput(t, () => cli(['neigh', 'nud', 'all']), () => cli(['neigh']), 'nud all = everything');
  const bad = cli(['neigh', 'nud', 'sleepy']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /unknown nud state "sleepy"/);
});

t.test('--netns NAME and --pid PID read another namespace; bad ones fail with one line', async (t) => {
  const a = json(['link', '--json', '--netns', nsA]);
  t.same(a.map((l: any) => l.ifname), ipJson('-n', nsA, 'link', 'show').map((l: any) => l.ifname), '--netns NAME');
  t.same(json(['link', '--json', '-n', `/run/netns/${nsA}`]).map((l: any) => l.ifname), a.map((l: any) => l.ifname), '--netns PATH');
  const child: ChildProcess = spawn('ip', ['netns', 'exec', nsB, 'sleep', '60'], { stdio: 'ignore' });
  t.teardown(() => { child.kill(); });
  // ip netns exec execs sleep in the same process: its pid is the namespace holder.
  // Event-based: wait until the pid is sleep (exec'd after setns), not a fixed delay.
  for (const end = Date.now() + 60_000; Date.now() < end;) {
    try { if (readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim() === 'sleep') break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 20));
  }
  const b = json(['link', '--json', '--pid', String(child.pid)]);
  t.same(b.map((l: any) => l.ifname), ipJson('-n', nsB, 'link', 'show').map((l: any) => l.ifname), '--pid PID');
  for (const [args, msg] of [
    [['link', '--netns', 'nosuchns'], /^netlink-dump: no such network namespace: "nosuchns" \(\/run\/netns\/nosuchns\)\n$/],
    [['addr', '--pid', '999999999'], /^netlink-dump: no such process: 999999999\n$/],
    [['route', '--netns', '/etc/hostname'], /^netlink-dump: .*not a network namespace\n$/],
  ] as const) {
    const r = cli([...args]);
    t.equal(r.code, 1, `${args.join(' ')}: exit 1`);
    t.match(r.stderr, msg, `${args.join(' ')}: one clear line`);
    t.notMatch(r.stderr, STACK);
  }
  for (const args of [['link', '--pid', 'x'], ['link', '--netns', nsA, '--pid', '1'], ['route', 'table', 'nosuch'], ['link', 'bogus', 'x', 'y'], ['rule', 'dev', 'x']]) {
    const r = cli(args);
    t.equal(r.code, 2, `${args.join(' ')}: usage error`);
    t.equal(r.stderr.trim().split('\n').length, 1);
  }
});

t.test('netns: every named namespace, veth peers across namespaces, bridge ports', async (t) => {
  const out = json(['netns', '--json']);
  const A = out.namespaces.find((n: any) => n.name === nsA), B = out.namespaces.find((n: any) => n.name === nsB);
  t.ok(A && B, 'both namespaces listed');
  const link = (ns: any, name: string): any => ns.links.find((l: any) => l.ifname === name);
  t.same(link(A, 'xa').peer, { netns: nsB, ifname: 'xb' }, 'xa → xb in B');
  t.same(link(B, 'xb').peer, { netns: nsA, ifname: 'xa' }, 'xb → xa in A');
  t.same(link(B, 'nsend').peer, { netns: 'the current namespace', ifname: 'hostend' }, 'nsend → hostend here');
  t.same(link(A, 'pa').peer, { netns: nsA, ifname: 'pb' }, 'a pair inside one namespace');
  t.equal(link(A, 'pa').master, 'brx', 'pa is a port of brx');
  t.same(link(A, 'xa').addresses, ipJson('-n', nsA, 'addr', 'show', 'dev', 'xa')[0].addr_info.map((a: any) => `${a.local}/${a.prefixlen}`), 'addresses of xa');
  t.same(A.routes.map((r: any) => r.dst), ipJson('-n', nsA, 'route', 'show').map((r: any) => r.dst).concat(ipJson('-n', nsA, '-6', 'route', 'show').map((r: any) => r.dst)), 'main routes of A');
  const text = cli(['netns']);
  t.equal(text.code, 0);
  t.match(text.stdout, new RegExp(`xa@if\\d+\\s+UP\\s+192\\.168\\.7\\.1/24.*peer xb in ${nsB}`));
  t.match(text.stdout, /brx .*ports: pa/);
});

t.test('all --netns: everything about one namespace, in text and JSON', async (t) => {
  const j = json(['all', '--netns', nsA, '--json']);
  t.same(j.links.map((l: any) => l.ifname), ipJson('-n', nsA, 'addr', 'show').map((l: any) => l.ifname), 'links');
  t.same(j.bridge_ports.map((p: any) => [p.ifname, p.master]), [['pa', 'brx']], 'bridge ports');
  t.ok(j.routes.some((r: any) => r.table === 'local'), 'routes of every table');
  t.same(j.rules, ipJson('-n', nsA, 'rule', 'show').concat(ipJson('-n', nsA, '-6', 'rule', 'show')), 'rules');
  const r = cli(['all', '--netns', nsA]);
  t.equal(r.code, 0);
  for (const h of ['interfaces:', 'bridges:', 'routes (all tables):', 'neighbours:', 'rules:']) t.match(r.stdout, h);
  t.match(r.stdout, /brx: pa \(disabled\)/);
});

t.test('decode: real strace output of ip (with -f -o -yy -xx -tt, and plain -e write=FD on stderr)', async (t) => {
  const { execFileSync, spawnSync } = await import('node:child_process');
  const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'nlts-strace-'));
  const out = join(dir, 'trace.txt');
  execFileSync('strace', ['-f', '-yy', '-xx', '-tt', '-e', 'trace=sendto,sendmsg,recvmsg', '-e', 'write=all', '-e', 'read=all', '-o', out, 'ip', 'link', 'show'], { stdio: 'ignore' });
  const r = cli(['decode', '--json', out]);
  t.equal(r.code, 0, `exit 0 (${r.stderr})`);
  const j = JSON.parse(r.stdout);
  t.equal(j.format, 'strace');
  t.ok(j.frames.every((f: any) => f.protocol === 'NETLINK_ROUTE'), 'protocol from -yy');
  const names = j.frames.flatMap((f: any) => f.messages).filter((m: any) => m.name === 'RTM_NEWLINK')
    .map((m: any) => m.attrs.find((a: any) => a.name === 'IFLA_IFNAME')?.value).filter((n: unknown) => n !== undefined);
  for (const l of ipJson('link', 'show')) t.ok(names.includes(l.ifname), `the dump names ${l.ifname}`);
  // No -f, no -o, no -yy: the trace goes to stderr; only fd 3 dumped.
  const plain = spawnSync('strace', ['-e', 'trace=sendto,sendmsg,recvmsg', '-e', 'write=3', '-e', 'read=3', 'ip', 'addr', 'show', 'lo'], { encoding: 'utf8' });
  writeFileSync(join(dir, 'plain.txt'), plain.stderr);
  const p = cli(['decode', join(dir, 'plain.txt')]);
  t.equal(p.code, 0, `plain: exit 0 (${p.stderr})`);
  t.match(p.stdout, /# note: .*without a hex dump skipped/, 'calls on other fds are said to be skipped');
  t.match(p.stdout, /NLMSG_ERROR|RTM_/, 'fd 3 messages decoded');
  t.ok(readFileSync(out, 'utf8').length > 0);
});
