// Live: `netlink-dump nft` (the spawned binary, both FFI backends) against nft(8) on the same
// ruleset in a fresh netns of this file: the text equals `nft list ruleset` (and `nft -a …`)
// byte for byte, --json equals `nft -j list ruleset` without its metainfo object.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { STACK, cli } from '../helpers/cli.js';
import { backends, enterFreshNetns } from '../helpers/live.js';

enterFreshNetns();
t.setTimeout(300_000);
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
