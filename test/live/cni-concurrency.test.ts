// Live: 50 ADDs of our plugin in parallel (50 processes, one host namespace, 50 container
// namespaces, ipMasq on): 50 distinct addresses (host-local's flock), every container answers
// from the host, every masquerade rule is there; then 50 parallel DELs leave nothing — no
// reservation, no veth, no rule.
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { enterFreshNetns } from '../helpers/live.js';
import { CODE_CACHE, OURS, cniPath, dataDir, ipj, netnsAdd, netnsDel } from '../helpers/cni.js';
import { NftHandle } from '../../src/nft/handle.js';

enterFreshNetns();
const PATH = cniPath();
const P = `n${process.pid % 100000}`;
const N = 50;

function run(command: 'ADD' | 'DEL', conf: object, i: number, H: string): Promise<{ code: number; out: string }> {
  return new Promise((ok) => {
    const child = spawn('ip', ['netns', 'exec', H, process.execPath, OURS], {
      env: { PATH: process.env['PATH'], CNI_COMMAND: command, CNI_CONTAINERID: `ctr${i}`, CNI_NETNS: `/run/netns/${P}c${i}`, CNI_IFNAME: 'eth0', CNI_PATH: PATH, NETLINK_TS_CACHE_DIR: CODE_CACHE },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => ok({ code: code ?? -1, out }));
    child.stdin.end(JSON.stringify(conf));
  });
}

t.test(`${N} parallel ADDs → ${N} distinct reachable addresses; ${N} parallel DELs → nothing left`, async (t) => {
  const H = `${P}h`;
  netnsAdd(H);
  const names = Array.from({ length: N }, (_, i) => `${P}c${i}`);
  for (const n of names) netnsAdd(n);
  t.teardown(() => { for (const n of [H, ...names]) netnsDel(n); });
  const dir = dataDir();
  const conf = { cniVersion: '1.0.0', name: 'many', type: 'netlink-ts-cni', bridge: 'cni-many', isGateway: true, ipMasq: true, ipam: { type: 'host-local', subnet: '10.55.0.0/24', dataDir: dir } };

  const adds = await Promise.all(names.map((_, i) => run('ADD', conf, i, H)));
  t.equal(adds.filter((r) => r.code === 0).length, N, `all ADDs succeed ${adds.filter((r) => r.code !== 0).map((r) => r.out).join(' | ')}`);
  const addrs = adds.map((r) => { try { return JSON.parse(r.out).ips[0].address as string; } catch { return r.out; } });
  t.equal(new Set(addrs).size, N, 'no address handed out twice');
  t.equal(readdirSync(join(dir, 'many')).filter((f) => f.startsWith('10.')).length, N, `${N} reservation files`);
  t.equal(ipj('-n', H, 'link', 'show', 'master', 'cni-many').length, N, `${N} ports on the bridge`);

  // Reachability from the host: a TCP SYN to a closed port answered with RST (ECONNREFUSED) comes from the container's kernel.
  const script = `const net=require('net');const ips=${JSON.stringify(addrs.map((a) => a.split('/')[0]))};
Promise.all(ips.map((h)=>new Promise((ok)=>{const s=net.connect({host:h,port:9,timeout:10000});s.on('error',(e)=>ok(h+' '+e.code));s.on('timeout',()=>{s.destroy();ok(h+' TIMEOUT')});s.on('connect',()=>{s.destroy();ok(h+' OPEN')});}))).then((r)=>console.log(JSON.stringify(r)));`;
  const probe = spawnSync('ip', ['netns', 'exec', H, process.execPath, '-e', script], { encoding: 'utf8', timeout: 60_000 });
  const answers: string[] = JSON.parse(probe.stdout || '[]');
  t.equal(answers.filter((a) => a.endsWith(' ECONNREFUSED')).length, N, `every container answers: ${answers.filter((a) => !a.endsWith('ECONNREFUSED')).join(', ')}`);

  const nft = NftHandle.open({ netns: `/run/netns/${H}` });
  t.teardown(() => nft.close());
  const masq = () => nft.rulesSync({ family: 'ip', table: 'netlink_ts_cni' }).filter((r) => r.comment?.startsWith('netlink-ts-cni masq net=many '));
  t.equal(new Set(masq().map((r) => r.comment)).size, N, `${N} masquerade rules, one per container, from ${N} concurrent batches`);

  const dels = await Promise.all(names.map((_, i) => run('DEL', conf, i, H)));
  t.equal(dels.filter((r) => r.code === 0).length, N, `all DELs succeed ${dels.filter((r) => r.code !== 0).map((r) => r.out).join(' | ')}`);
  t.same(readdirSync(join(dir, 'many')).filter((f) => f.startsWith('10.')), [], 'every address released');
  t.equal(ipj('-n', H, 'link', 'show', 'master', 'cni-many').length, 0, 'no port left on the bridge');
  t.equal(masq().length, 0, 'no masquerade rule left');
});
