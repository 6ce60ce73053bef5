// Live: the netlink-dump binary's monitor and record subcommands as a user runs them (spawned
// process, stdout/stderr, exit status), monitor under both FFI backends (NETLINK_TS_FFI).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseHexFixture } from '../../src/netlink/fixture.js';
import { BIN, ROOT, cli } from '../helpers/cli.js';
import { backends, enterFreshNetns, ip } from '../helpers/live.js';

enterFreshNetns();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Port ids with multicast groups joined, from /proc/net/netlink of this namespace (columns: sk Eth Pid Groups …). */
function subscribed(): Set<number> {
  const rows = readFileSync('/proc/self/net/netlink', 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
  return new Set(rows.filter((r) => r[1] === '0' && /[1-9a-f]/.test(r[3] ?? '')).map((r) => Number(r[2])));
}

interface Run { child: ChildProcess; out: () => string; err: () => string; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }
function start(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, out: () => out, err: () => err, exit };
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(10)) if (cond()) return true;
  return cond();
}

for (const backend of backends) {
  const b = backend[0]!;
  for (const [sig, json] of [['SIGTERM', false], ['SIGINT', true]] as const) {
    t.test(`${backend}: monitor${json ? ' --json' : ''} prints a link made by ip, exits 0 on ${sig}`, async (t) => {
      const r = start(['monitor', 'link', ...(json ? ['--json'] : [])], { NETLINK_TS_FFI: backend });
      t.teardown(() => { if (r.child.exitCode === null) r.child.kill('SIGKILL'); });
      // The child's netlink socket shows up with its groups once it listens (its first socket's port id is its pid).
      t.ok(await until(() => r.err().includes('\n'), 60_000), 'the ready line came');
      t.equal(r.err(), 'netlink-dump: monitoring link in this namespace (Ctrl-C stops)\n', 'on stderr, once subscribed');
      t.ok(subscribed().has(r.child.pid!), 'the monitor subscribed');
      const dev = `cm${b}${json ? 'j' : 't'}`;
      ip('link', 'add', dev, 'type', 'bridge');
      t.teardown(() => { ip('link', 'del', dev); });
      t.ok(await until(() => r.out().includes(dev), 60_000), 'an event line for the new link arrived');
      const line = r.out().split('\n').find((l) => l.includes(dev)) ?? '';
      if (json) {
        const ev = JSON.parse(line) as { time: string; kind: string; action: string; link: { ifname: string } };
        t.match(ev, { kind: 'link', action: 'new', link: { ifname: dev } }, 'NDJSON with the link as ip -j shapes it');
        t.ok(!Number.isNaN(Date.parse(ev.time)), 'with an ISO time');
      } else {
        t.match(line, new RegExp(`^\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\] link new \\d+: ${dev}: <`), `a timestamped ip-monitor line: ${line}`);
        ip('link', 'add', `${dev}p`, 'type', 'veth', 'peer', 'name', `${dev}q`);
        t.teardown(() => { ip('link', 'del', `${dev}p`); });
        ip('link', 'set', `${dev}p`, 'master', dev);
        t.ok(await until(() => new RegExp(`link new \\d+: ${dev}p@${dev}q: <[^>]*> mtu \\d+ master ${dev} state`).test(r.out()), 60_000), 'a port\'s line names its master by name (master BRIDGE)');
      }
      const t0 = Date.now();
      r.child.kill(sig);
      const res = await Promise.race([r.exit, sleep(30_000).then(() => 'hung' as const)]);
      t.same(res, { code: 0, signal: null }, `exit 0 on ${sig} (${Date.now() - t0} ms)`);
      t.equal(r.err(), 'netlink-dump: monitoring link in this namespace (Ctrl-C stops)\n', 'nothing else on stderr');
      t.notOk(subscribed().has(r.child.pid!), 'its socket is gone');
    });
  }
}

t.test('monitor usage errors exit 2, --help exits 0', async (t) => {
  const bad = cli(['monitor', 'links']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /unknown kind "links"/);
  t.equal(cli(['monitor', '--netns', 'a', '--pid', '1']).code, 2);
  t.equal(cli(['monitor', '--bogus']).code, 2);
  const h = cli(['monitor', '--help']);
  t.equal(h.code, 0);
  t.match(h.stdout, /usage: netlink-dump monitor/);
  const ns = cli(['monitor', '--netns', 'no-such-ns']);
  t.equal(ns.code, 1, 'an unknown namespace is exit 1');
  t.match(ns.stderr, /no such network namespace/);
});

t.test('record writes a fixture pair with provenance through tools/capture', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-record-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const base = join(dir, 'getlink');
  const r = cli(['record', '-o', base, '--setup', 'ip link add rb0 type bridge', '--description', 'record test', '--', 'ip', 'link', 'show', 'rb0']);
  t.equal(r.code, 0, `exit 0 (${r.stderr.trim().split('\n').at(-1)})`);
  t.ok(existsSync(`${base}.hex`) && existsSync(`${base}.json`), `${readdirSync(dir).join(', ')}`);
  const json = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { description: string; provenance: { command: string; captured: string } };
  t.equal(json.description, 'record test');
  t.equal(json.provenance.command, 'ip link show rb0');
  t.match(json.provenance.captured, /^strace /);
  const frames = parseHexFixture(readFileSync(`${base}.hex`, 'utf8'));
  t.ok(frames.some((f) => f.dir === 'send') && frames.some((f) => f.dir === 'recv' && f.bytes.includes(Buffer.from('rb0\0'))), 'the request and a reply naming rb0');
  const bad = cli(['record', '-o', base, 'ip', 'link']);
  t.equal(bad.code, 2, 'a command without -- is a usage error');
});
