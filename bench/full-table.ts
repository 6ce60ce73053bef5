#!/usr/bin/env node
/**
 * A full Internet table: N (default 1,000,000) IPv4 routes with a realistic prefix-length mix
 * (about 60 % /24, the rest /8../23 as a BGP table has them), over a handful of gateways on
 * four veth devices, added through `route.addMany` and read back through `route.stream()`,
 * against `ip -batch` and `ip -j route show` on the same table in the same run.
 *
 *   tools/sandbox.sh node dist/bench/full-table.js [N] [ROUNDS]        (only inside the sandbox)
 *
 * Every phase is its own process (peak RSS is per process: /usr/bin/time -v for ip, the child's
 * own resourceUsage().maxRSS for ours). Order per round: ours add → ip -j show → ours stream →
 * ours list → reset → ip -batch add → ours stream → ip -j show. The stream child samples RSS
 * every 50k routes and watches the event loop with perf_hooks.monitorEventLoopDelay (a 1 ms
 * interval timer also runs, as a server's would) — its peak RSS must not grow with the table.
 * Prints one JSON line per phase and a summary (markdown rows) at the end.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type * as Lib from '../src/index.js';

const DEVS = ['ft0', 'ft1', 'ft2', 'ft3'];
/** Two gateways per device: 10.<d>.0.2 and 10.<d>.0.3 on 10.<d>.0.1/24. */
const GWS = DEVS.flatMap((_, d) => [`10.${d + 200}.0.2`, `10.${d + 200}.0.3`]);

/** Prefix lengths of a BGP full table (roughly the shares the CIDR report shows): [length, weight]. */
const LENGTHS: ReadonlyArray<readonly [number, number]> = [
  [8, 0.002], [9, 0.002], [10, 0.004], [11, 0.01], [12, 0.03], [13, 0.06], [14, 0.12], [15, 0.2], [16, 1.4], [17, 0.8], [18, 1.4],
  [19, 2.6], [20, 4.4], [21, 4.6], [22, 10.4], [23, 9.0], [24, 59.0],
];

/** The table: N distinct prefixes (deterministic: xorshift32 from a fixed seed), each with a gateway index. */
function table(n: number): { dst: string[]; gw: Uint8Array } {
  const total = LENGTHS.reduce((a, [, w]) => a + w, 0);
  const cum: number[] = [];
  let acc = 0;
  for (const [, w] of LENGTHS) cum.push((acc += w) / total);
  let x = 0x9e3779b9;
  const rnd = (): number => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 0x100000000;
  };
  const seen = new Set<number>();
  const dst: string[] = [];
  const gw = new Uint8Array(n);
  while (dst.length < n) {
    const r = rnd();
    let k = 0;
    while (cum[k]! < r) k++;
    const len = LENGTHS[k]![0];
    // Unicast space only: 1.0.0.0 – 223.255.255.255, not 10/8, 127/8 (the devices' and lo's).
    const first = 1 + Math.floor(rnd() * 223);
    if (first === 10 || first === 127) continue;
    const net = ((first << 24) | Math.floor(rnd() * 0x1000000)) >>> 0;
    const masked = len === 0 ? 0 : (net & (~0 << (32 - len))) >>> 0;
    const key = masked * 64 + len;
    if (seen.has(key)) continue;
    seen.add(key);
    gw[dst.length] = Math.floor(rnd() * GWS.length);
    dst.push(`${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${len}`);
  }
  return { dst, gw };
}

const devOfGw = (g: number): string => DEVS[g >> 1]!;

async function child(phase: string, n: number): Promise<void> {
  // The library as a user imports it: the published bundle (NETLINK_TS_UNBUNDLED=1: tsc's build).
  const lib = await import(process.env['NETLINK_TS_UNBUNDLED'] === '1' ? '../src/index.js' : '../bundle/index.js') as typeof Lib;
  const h = lib.RouteHandle.open();
  const out: Record<string, unknown> = { impl: 'netlink-ts', phase, n };
  try {
    if (phase === 'add') {
      const { dst, gw } = table(n);
      const idx = await Promise.all(DEVS.map((d) => h.link.index(d)));
      const specs = dst.map((d, i) => ({ dst: d, via: GWS[gw[i]!]!, dev: idx[gw[i]! >> 1]! }));
      out['rss_before_mb'] = process.memoryUsage.rss() / 2 ** 20;
      const t0 = performance.now();
      const r = await h.route.addMany(specs);
      out['ms'] = performance.now() - t0;
      out['count'] = r.attempted;
    } else if (phase === 'stream' || phase === 'list') {
      await h.link.names(); // warm: the name table every list/stream reads first
      const rss0 = process.memoryUsage.rss();
      out['rss_before_mb'] = rss0 / 2 ** 20;
      const eld = monitorEventLoopDelay({ resolution: 1 });
      let t0 = performance.now();
      // A timer as a server would have one: proves timers fire while the table streams.
      let ticks = 0, maxGap = 0, maxGapAt = 0, over20 = 0, last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        if (now - last > 20) over20++;
        if (now - last > maxGap) { maxGap = now - last; maxGapAt = now - t0; }
        last = now;
        ticks++;
      }, 1);
      // The stream's own turns (it gives the loop one by setImmediate): the longest synchronous
      // stretch between two of them, in wall time and in process CPU time (on a loaded machine
      // wall time also counts the time the scheduler gave to others; CPU time does not).
      // Main-thread CPU time: /proc/<pid>/task/<pid>/schedstat (ns on CPU) — process.cpuUsage() would
      // also count V8's compiler and GC helper threads.
      const schedstat = `/proc/${process.pid}/task/${process.pid}/schedstat`;
      const cpuNow = (): number => Number(readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6;
      let resumed = performance.now(), cpuAt = cpuNow(), maxStretch = 0, maxStretchCpu = 0, turns = 0;
      const realSetImmediate = globalThis.setImmediate;
      globalThis.setImmediate = ((cb: (...a: unknown[]) => void, ...args: unknown[]) => {
        const now = performance.now(), c = cpuNow() - cpuAt;
        maxStretch = Math.max(maxStretch, now - resumed);
        maxStretchCpu = Math.max(maxStretchCpu, c);
        if (process.env['FT_DEBUG'] && c > 8) console.error(`turn ${turns}: stretch ${(now - resumed).toFixed(1)} ms wall, ${c.toFixed(1)} ms main-thread CPU`);
        turns++;
        return realSetImmediate(() => { resumed = performance.now(); cpuAt = cpuNow(); cb(...args); });
      }) as typeof setImmediate;
      eld.enable();
      const samples: number[] = [];
      let count = 0, withGw = 0;
      t0 = performance.now();
      last = t0;
      if (phase === 'stream') {
        for await (const r of h.route.stream({ family: 4 })) {
          if (r.gateway !== undefined && r.dst.length > 0) withGw++;
          if (++count % 50_000 === 0) samples.push(process.memoryUsage.rss());
        }
      } else {
        const all = await h.route.list({ family: 4 });
        for (const r of all) if (r.gateway !== undefined && r.dst.length > 0) withGw++;
        count = all.length;
        samples.push(process.memoryUsage.rss());
      }
      out['ms'] = performance.now() - t0;
      eld.disable();
      clearInterval(timer);
      out['count'] = count;
      out['with_gateway'] = withGw;
      out['eventloop_max_delay_ms'] = eld.max / 1e6;
      out['eventloop_p99_delay_ms'] = eld.percentile(99) / 1e6;
      out['timer_ticks'] = ticks;
      globalThis.setImmediate = realSetImmediate;
      out['stream_turns'] = turns;
      out['stream_max_stretch_ms'] = maxStretch;
      out['stream_max_stretch_cpu_ms'] = maxStretchCpu;
      out['timer_max_gap_ms'] = maxGap;
      out['timer_max_gap_at_ms'] = maxGapAt;
      out['timer_gaps_over_20ms'] = over20;
      out['rss_samples_mb'] = samples.map((s) => Math.round(s / 2 ** 20));
      const mid = samples.slice(Math.floor(samples.length / 5));
      out['rss_growth_after_first_fifth_mb'] = mid.length ? (Math.max(...mid) - Math.min(...mid)) / 2 ** 20 : 0;
    } else if (phase === 'control') {
      // The machine's own noise: a loop doing allocation-heavy work for as long as a stream
      // takes, yielding (setImmediate) every 5 ms as the stream does — what gaps does a 1 ms timer see?
      const ms = n;
      const eld = monitorEventLoopDelay({ resolution: 1 });
      let over20 = 0, maxGap = 0, ticks = 0, last = performance.now();
      const timer = setInterval(() => { const now = performance.now(); if (now - last > 20) over20++; maxGap = Math.max(maxGap, now - last); last = now; ticks++; }, 1);
      eld.enable();
      const t0 = performance.now();
      let turn = t0;
      const keep: object[] = [];
      while (performance.now() - t0 < ms) {
        for (let i = 0; i < 1000; i++) { keep.push({ a: i, b: `x${i}` }); if (keep.length > 5000) keep.length = 0; }
        if (performance.now() - turn >= 5) { await new Promise((r) => setImmediate(r)); turn = performance.now(); }
      }
      eld.disable();
      clearInterval(timer);
      Object.assign(out, { ms, eventloop_max_delay_ms: eld.max / 1e6, eventloop_p99_delay_ms: eld.percentile(99) / 1e6, timer_ticks: ticks, timer_max_gap_ms: maxGap, timer_gaps_over_20ms: over20 });
    } else throw new Error(`unknown phase ${phase}`);
    out['max_rss_mb'] = process.resourceUsage().maxRSS / 1024;
  } finally {
    h.close();
  }
  console.log(JSON.stringify(out));
}

function sh(cmd: string, args: string[], input?: string): void {
  execFileSync(cmd, args, { input, stdio: ['pipe', 'ignore', 'inherit'] });
}

/** /usr/bin/time -v around a command: wall ms (ns clock) and max RSS MiB. */
function timed(cmd: string[], stdoutFile?: string): { ms: number; max_rss_mb: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...cmd], { stdio: ['ignore', stdoutFile ? 'pipe' : 'ignore', 'pipe'], maxBuffer: 2 ** 31 - 1 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')}: exit ${r.status}: ${r.stderr}`);
  const lines = r.stderr.toString().trim().split('\n');
  return { ms, max_rss_mb: Number(lines[lines.length - 1]) / 1024 };
}

function reset(): void {
  for (const d of DEVS) spawnSync('ip', ['link', 'del', `${d}`], { stdio: 'ignore' });
  DEVS.forEach((d, i) => {
    sh('ip', ['link', 'add', d, 'type', 'veth', 'peer', 'name', `${d}p`]);
    sh('ip', ['link', 'set', d, 'up']);
    sh('ip', ['link', 'set', `${d}p`, 'up']);
    sh('ip', ['addr', 'add', `10.${i + 200}.0.1/24`, 'dev', d]);
  });
}

function routeCount(): number {
  const r = spawnSync('sh', ['-c', 'ip route show table main | wc -l'], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

async function parent(n: number, rounds: number): Promise<void> {
  if (process.env['NETLINK_TS_SANDBOX'] !== '1') throw new Error('full-table: run inside tools/sandbox.sh (it adds a million routes)');
  const self = fileURLToPath(import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), 'nlts-fulltable-'));
  const rows: Record<string, unknown>[] = [];
  const run = (phase: string, arg = n): void => {
    const r = spawnSync(process.execPath, ['--max-old-space-size=8192', self, '--phase', phase, String(arg)], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`phase ${phase}: exit ${r.status}\n${r.stderr}`);
    const row = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    if (phase !== 'control') row['table_routes'] = routeCount();
    else row['impl'] = 'control (no netlink)';
    rows.push(row);
    console.log(JSON.stringify(row));
  };
  const ip = (what: string, f: () => { ms: number; max_rss_mb: number }): void => {
    const row = { impl: 'ip', phase: what, n, ...f(), table_routes: 0 };
    row.table_routes = routeCount();
    rows.push(row);
    console.log(JSON.stringify(row));
  };
  try {
    const { dst, gw } = table(n);
    const batch = join(dir, 'routes.batch');
    writeFileSync(batch, dst.map((d, i) => `route add ${d} via ${GWS[gw[i]!]} dev ${devOfGw(gw[i]!)}\n`).join(''));
    for (let round = 0; round < rounds; round++) {
      reset();
      run('add');
      ip('show -j', () => timed(['ip', '-j', 'route', 'show', 'table', 'main']));
      run('stream');
      run('control', Math.round(Number(rows[rows.length - 1]!['ms'])));
      run('list');
      reset();
      ip('-batch add', () => timed(['ip', '-batch', batch]));
      run('stream');
      ip('show -j', () => timed(['ip', '-j', 'route', 'show', 'table', 'main']));
    }
  } finally {
    for (const d of DEVS) spawnSync('ip', ['link', 'del', d], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('\n| impl | phase | ms | peak RSS MiB | RSS before MiB | event loop max delay ms (p99) | 1 ms timer gaps > 20 ms | longest stretch between turns, wall / CPU ms | routes in table |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const f = (v: unknown): string => (typeof v === 'number' ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '');
    const eld = r['eventloop_max_delay_ms'] === undefined ? '' : `${f(r['eventloop_max_delay_ms'])} (${f(r['eventloop_p99_delay_ms'])})`;
    const stretch = r['stream_max_stretch_ms'] === undefined ? '' : `${f(r['stream_max_stretch_ms'])} / ${f(r['stream_max_stretch_cpu_ms'])}`;
    console.log(`| ${r['impl']} | ${r['phase']} | ${f(r['ms'])} | ${f(r['max_rss_mb'])} | ${f(r['rss_before_mb'])} | ${eld} | ${r['timer_gaps_over_20ms'] ?? ''} | ${stretch} | ${r['table_routes'] ?? ''} |`);
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--phase') await child(argv[1]!, Number(argv[2]));
else await parent(Number(argv[0] ?? 1_000_000), Number(argv[1] ?? 1));
