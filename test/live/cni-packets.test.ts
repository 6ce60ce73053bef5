// Live: traffic through CNI attachments. Two containers on our bridge reach each other and the
// gateway with their own addresses (masquerade excludes the bridge subnet, although bridged IPv4
// passes the ip hooks here: br_netfilter); with ipMasq a third namespace playing the outside world
// sees the host's address; port mappings (our netlink-ts-portmap, and the reference portmap
// chained after our bridge + the reference tuning) reach the container from outside, hairpin
// and localhost. Every observation is also made with the reference bridge + portmap and must
// match. DEL of the conflists leaves no rule in our table.
import t, { type Test } from 'tap';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { backends, enterFreshNetns } from '../helpers/live.js';
import { type ConfList, cniPath, confListAdd, confListRun, dataDir, echoServer, netnsAdd, netnsDel, probe } from '../helpers/cni.js';
import { NftHandle } from '../../src/nft/handle.js';
import { loadBackend } from '../../src/ffi/libc.js';

enterFreshNetns();
const PATH = cniPath();
const P = `p${process.pid % 100000}`;

const list = (bridgeType: string, extra: ReadonlyArray<Record<string, unknown>>, dir: string): ConfList => ({
  cniVersion: '1.0.0', name: 'pk',
  plugins: [
    { type: bridgeType, bridge: 'cni-pk', hairpinMode: true, isGateway: true, isDefaultGateway: true, ipMasq: true, ipam: { type: 'host-local', ranges: [[{ subnet: '10.66.0.0/24' }]], dataDir: dir } },
    ...extra,
  ],
});

/** Host namespace H with an "outside" namespace O behind veth: H 203.0.113.1/24 — O 203.0.113.2/24. */
function world(tag: string): { H: string; O: string; c: string[] } {
  const H = `${P}h${tag}`, O = `${P}o${tag}`, c = [1, 2].map((i) => `${P}c${i}${tag}`);
  for (const n of [H, O, ...c]) netnsAdd(n);
  execFileSync('ip', ['-n', H, 'link', 'add', 'up0', 'type', 'veth', 'peer', 'name', 'down0', 'netns', O]);
  execFileSync('ip', ['-n', H, 'addr', 'add', '203.0.113.1/24', 'dev', 'up0']);
  execFileSync('ip', ['-n', H, 'link', 'set', 'up0', 'up']);
  execFileSync('ip', ['-n', O, 'addr', 'add', '203.0.113.2/24', 'dev', 'down0']);
  execFileSync('ip', ['-n', O, 'link', 'set', 'down0', 'up']);
  return { H, O, c };
}

interface Observed { [k: string]: string }

/** Bring two containers up with `conf`, observe who sees what, tear down; returns observations and leftover rules. */
async function observe(t: Test, tag: string, conf: ConfList, backend: string): Promise<Observed> {
  const w = world(tag);
  const servers: ChildProcess[] = [];
  t.teardown(() => { for (const s of servers) s.kill(); for (const n of [w.H, w.O, ...w.c]) netnsDel(n); });
  const rc = { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }] };
  const inv = (i: number) => ({ containerId: `${tag}-${i}`, netns: `/run/netns/${w.c[i]}`, ifname: 'eth0', path: PATH, inNetns: w.H, backend: backend as never });
  const results = [];
  for (const i of [0, 1]) {
    // Only the first container has the port mapping.
    const r = confListAdd(conf, inv(i), i === 0 ? rc : {});
    t.equal(r.code, 0, `${tag}: ADD container ${i + 1} ${r.stdout}${r.stderr}`);
    results.push(r.json);
  }
  const ip1 = results[0]?.ips?.[0]?.address?.split('/')[0] ?? '?';
  const ip2 = results[1]?.ips?.[0]?.address?.split('/')[0] ?? '?';
  for (const ns of [w.c[0]!, w.c[1]!]) servers.push(await echoServer(ns, 80));
  servers.push(await echoServer(w.H, 81), await echoServer(w.O, 82));
  const name = (a: string) => ({ [ip1]: 'c1', [ip2]: 'c2', '10.66.0.1': 'gateway', '203.0.113.1': 'host', '203.0.113.2': 'outside', '127.0.0.1': 'localhost' }[a] ?? a);
  const obs: Observed = {
    'c1 → c2': name(probe(w.c[0]!, ip2, 80)),
    'c1 → gateway': name(probe(w.c[0]!, '10.66.0.1', 81)),
    'c1 → outside': name(probe(w.c[0]!, '203.0.113.2', 82)),
    'outside → host:8080': name(probe(w.O, '203.0.113.1', 8080)),
    'c2 → host:8080 (hairpin)': name(probe(w.c[1]!, '203.0.113.1', 8080)),
    'c1 → host:8080 (own port, hairpin)': name(probe(w.c[0]!, '203.0.113.1', 8080)),
    'host → 127.0.0.1:8080': name(probe(w.H, '127.0.0.1', 8080)),
  };
  for (const i of [0, 1]) {
    const dels = confListRun('DEL', conf, inv(i), results[i], i === 0 ? rc : {});
    t.ok(dels.every((d) => d.code === 0), `${tag}: DEL container ${i + 1} ${dels.map((d) => d.stdout).join('')}`);
  }
  const nft = NftHandle.open({ netns: `/run/netns/${w.H}`, libc: loadBackend(backend as never) });
  try {
    const left = nft.listSync().rules.filter((r) => r.table === 'netlink_ts_cni');
    t.equal(left.length, 0, `${tag}: no rule of ours left after DEL`);
  } finally {
    nft.close();
  }
  return obs;
}

const EXPECTED: Observed = {
  'c1 → c2': 'c1', 'c1 → gateway': 'c1', 'c1 → outside': 'host', 'outside → host:8080': 'outside',
  'c2 → host:8080 (hairpin)': 'gateway', 'c1 → host:8080 (own port, hairpin)': 'gateway', 'host → 127.0.0.1:8080': 'gateway',
};

const refPortmap = { type: 'portmap', capabilities: { portMappings: true } };
const ourPortmap = { type: 'netlink-ts-portmap', capabilities: { portMappings: true } };
const tuning = { type: 'tuning', sysctl: { 'net.ipv4.conf.eth0.arp_accept': '1' } };

t.test('reference bridge + reference portmap: the observations every other combination must match', async (t) => {
  const obs = await observe(t, 'ref', list('bridge', [refPortmap], dataDir()), 'koffi');
  t.same(obs, EXPECTED);
});

for (const backend of backends) {
  const b = backend === 'koffi' ? 'k' : 'f';
  t.test(`${backend}: our bridge + our portmap`, async (t) => {
    t.same(await observe(t, `o${b}`, list('netlink-ts-cni', [ourPortmap], dataDir()), backend), EXPECTED);
  });
}
// The chains with reference plugins run the default backend only (the plugin is a process; the
// two backends are compared above and in cni-bridge.test.ts) to keep this file's time modest.
t.test('our bridge, then reference tuning and reference portmap (they take our result as prevResult)', async (t) => {
  t.same(await observe(t, 'tk', list('netlink-ts-cni', [tuning, refPortmap], dataDir()), 'koffi'), EXPECTED);
});
t.test('reference bridge, then our portmap', async (t) => {
  t.same(await observe(t, 'rk', list('bridge', [ourPortmap], dataDir()), 'koffi'), EXPECTED);
});
