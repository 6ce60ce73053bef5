// Live: `netlink-dump nft` (the spawned binary, both FFI backends) against nft(8) on the same
// ruleset in a fresh netns of this file: the text equals `nft list ruleset` (and `nft -a …`)
// byte for byte, --json equals `nft -j list ruleset` without its metainfo object; and
// `netlink-dump monitor nft` prints a rule made by nft and exits 0 on SIGTERM.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { BIN, ROOT, STACK, cli } from '../helpers/cli.js';
import { backends, enterFreshNetns } from '../helpers/live.js';

enterFreshNetns();
t.setTimeout(600_000); // a safety net (test/run.sh --timeout), not a speed check
const RULESETS = fileURLToPath(new URL('../../fixtures/nft/rulesets/', import.meta.url));
const nft = (...args: string[]): string => execFileSync('nft', args, { encoding: 'utf8' });
const nftIn = (text: string): void => { execFileSync('nft', ['-f', '-'], { input: text }); };

/** Beyond the fixtures: named sets and maps beside chains, an empty chain, priorities with offsets, a netdev-free mix of families. */
const MIXED = `table ip nat {
  set blk { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.1.1 } }
  map ports { type inet_service : ipv4_addr; elements = { 80 : 10.0.0.1, 443 : 10.0.0.2 } }
  chain postrouting { type nat hook postrouting priority srcnat; policy accept;
    ip saddr 192.168.15.0/24 oifname != "br0" masquerade
  }
  chain prerouting { type nat hook prerouting priority dstnat + 5; policy accept;
    tcp dport { 22, 80 } counter accept
    ip saddr @blk drop
  }
  chain web { }
}
table ip6 raw { chain pre { type filter hook prerouting priority -250; policy drop; }; }
table inet filter {
  set s4 { type ipv4_addr; }
  set many { type inet_service; elements = { 1, 2, 3, 4, 5, 6, 7 } }
  set hosts { type ipv4_addr; elements = { 10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5 } }
  chain input { type filter hook input priority filter - 3; policy drop;
    ct state established,related accept
    iifname "lo" accept
    tcp dport 22 accept comment "ssh"
    jump web
  }
  chain web { tcp dport vmap { 80 : accept, 443 : drop }; ip saddr @hosts tcp dport @many drop; }
}
`;

const cases: [string, () => void][] = [
  ...readdirSync(RULESETS).filter((f) => f.endsWith('.nft')).sort().map((f): [string, () => void] => [f, () => { nft('-f', `${RULESETS}${f}`); }]),
  ['mixed sets, maps, priorities', () => { nftIn(MIXED); }],
];

for (const backend of backends) {
  const run = (args: string[]) => cli(['nft', ...args], { env: { NETLINK_TS_FFI: backend } });
  for (const [name, load] of cases) {
    t.test(`${backend}: netlink-dump nft = nft list ruleset: ${name}`, async (t) => {
      nft('flush', 'ruleset');
      t.teardown(() => { nft('flush', 'ruleset'); });
      load();
      const txt = run([]);
      t.equal(txt.code, 0, txt.stderr);
      t.equal(txt.stdout, nft('list', 'ruleset'), 'text');
      const a = run(['-a']);
      t.equal(a.stdout, nft('-a', 'list', 'ruleset'), '-a: with handles');
      const j = run(['--json']);
      t.equal(j.code, 0, j.stderr);
      const theirs = (JSON.parse(nft('-j', 'list', 'ruleset')) as { nftables: Record<string, unknown>[] }).nftables.filter((o) => !('metainfo' in o));
      t.same(JSON.parse(j.stdout), { nftables: theirs }, '--json: nft -j list ruleset without metainfo');
    });
  }
}

t.test('an empty ruleset prints nothing (as nft does)', async (t) => {
  nft('flush', 'ruleset');
  const r = cli(['nft']);
  t.same([r.code, r.stdout, nft('list', 'ruleset')], [0, '', '']);
  t.same(JSON.parse(cli(['nft', '-j']).stdout), { nftables: [] });
});

t.test('nft usage errors exit 2, --help 0, an unknown namespace 1', async (t) => {
  const h = cli(['nft', '--help']);
  t.equal(h.code, 0);
  t.match(h.stdout, /usage: netlink-dump nft/);
  for (const bad of [['--bogus'], ['--netns', 'a', '--pid', '1'], ['--pid', 'x'], ['table']]) {
    const r = cli(['nft', ...bad]);
    t.equal(r.code, 2, `nft ${bad.join(' ')}: exit 2`);
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  }
  const ns = cli(['nft', '--netns', 'no-such-ns']);
  t.equal(ns.code, 1);
  t.match(ns.stderr, /no such network namespace/);
  t.notMatch(ns.stderr, STACK);
  t.equal(cli(['nft', '--pid', '999999999']).code, 1, 'no such process: exit 1');
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(10)) if (cond()) return true;
  return cond();
}
/** NETLINK_NETFILTER (12) sockets of this namespace with multicast groups joined (/proc/net/netlink: sk Eth Pid Groups …). */
const nfSubscribed = (): number => readFileSync('/proc/self/net/netlink', 'utf8').trim().split('\n').slice(1)
  .map((l) => l.trim().split(/\s+/)).filter((r) => r[1] === '12' && /[1-9a-f]/.test(r[3] ?? '')).length;

for (const backend of backends) {
  for (const json of [false, true]) {
    t.test(`${backend}: monitor nft${json ? ' --json' : ''} prints a rule made by nft, exits 0 on SIGTERM`, async (t) => {
      nft('flush', 'ruleset');
      const child: ChildProcess = spawn(process.execPath, [BIN, 'monitor', 'nft', ...(json ? ['--json'] : [])], { cwd: ROOT, env: { ...process.env, NETLINK_TS_FFI: backend }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '', err = '';
      child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
      child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
      t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL'); nft('flush', 'ruleset'); });
      t.ok(await until(() => err.includes('\n'), 60_000), 'the ready line came');
      t.equal(nfSubscribed(), 1, 'the monitor joined NFNLGRP_NFTABLES');
      nftIn('table ip nat { chain postrouting { type nat hook postrouting priority srcnat; policy accept; ip saddr 192.168.15.0/24 oifname != "br0" masquerade; }; }');
      t.ok(await until(() => out.includes('gen'), 60_000), 'the commit\'s lines arrived');
      const lines = out.trim().split('\n');
      if (json) {
        const evs = lines.map((l) => JSON.parse(l) as Record<string, any>);
        t.same(evs.map((e) => [e['kind'], e['action'], Object.keys(e).at(-1)]), [['nft', 'new', 'table'], ['nft', 'new', 'chain'], ['nft', 'new', 'rule'], ['nft', 'gen', 'gen']]);
        const theirs = (JSON.parse(nft('-j', 'list', 'ruleset')) as { nftables: Record<string, any>[] }).nftables.find((o) => o['rule'])!;
        t.same(evs[2]!['rule'], theirs['rule'], 'the rule as nft -j shapes it');
      } else {
        const handles = [...nft('-a', 'list', 'table', 'ip', 'nat').matchAll(/# handle (\d+)\n/g)].map((x) => x[1]);
        const body = lines.map((l) => l.replace(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] /, ''));
        t.ok(lines.every((l, i) => l !== body[i]), 'every line has a timestamp');
        t.same(body.slice(0, 3), [
          `nft new table ip nat handle ${handles[0]}`,
          `nft new chain ip nat postrouting handle ${handles[1]}: type nat hook postrouting priority srcnat; policy accept;`,
          `nft new rule ip nat postrouting handle ${handles[2]}: ip saddr 192.168.15.0/24 oifname != "br0" masquerade`,
        ]);
        t.match(body[3], /^nft gen \d+ by nft pid \d+$/);
      }
      child.kill('SIGTERM');
      const res = await Promise.race([exit, sleep(30_000).then(() => 'hung' as const)]);
      t.same(res, { code: 0, signal: null }, 'exit 0 on SIGTERM');
      t.equal(err, 'netlink-dump: monitoring nft in this namespace (Ctrl-C stops)\n', 'on stderr only the ready line');
      t.equal(nfSubscribed(), 0, 'its socket is gone');
    });
  }
}

t.test('monitor: nft is a kind; a misspelt one is a usage error', async (t) => {
  const h = cli(['monitor', '--help']);
  t.match(h.stdout, /nft/);
  const bad = cli(['monitor', 'nftables']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /unknown kind "nftables" \(one of link, addr, route, neigh, rule, nsid, nft, all\)/);
  t.equal(cli(['monitor', 'nft', '--netns', 'no-such-ns']).code, 1, 'an unknown namespace is exit 1');
});
