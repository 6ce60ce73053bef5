/**
 * The first handle of a process, in-process: each sample is a fresh `node` that imports the
 * library bundle (dist/bundle/index.js, what `import 'netlink-ts'` loads) and times, with
 * performance.now(): the import; the first `RouteHandle.open()` (or `NftHandle.open()`), then
 * a second one; the first request on it (link dump / table list). A third kind of child times
 * the pieces of a first open on their own: the FFI backend load (`libc()`: the native module and
 * its symbols) and then the socket set-up. Samples of every kind, backend and build are
 * interleaved (one of each per round). Read-only: sockets in the caller's own namespace, dumps.
 *
 *   node dist/bench/startup-open.js [ROUNDS=20] [BEFORE_ROOT]
 *
 * BEFORE_ROOT: another build (its dist/bundle/index.js) timed in the same rounds as "before".
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

type Kind = 'route' | 'nft' | 'split';
const HERE = fileURLToPath(import.meta.url);

async function child(root: string, kind: Kind): Promise<void> {
  const t0 = performance.now();
  const m = await import(pathToFileURL(resolve(root, 'dist/bundle/index.js')).href) as typeof import('../src/index.js');
  const t1 = performance.now();
  const out: Record<string, number> = { boot: t0, import: t1 - t0 };
  if (kind === 'split') {
    const lib = m.libc();
    const t2 = performance.now();
    const h = m.RouteHandle.open();
    const t3 = performance.now();
    h.close();
    Object.assign(out, { backendLoad: t2 - t1, socketSetup: t3 - t2, backend: lib.backend === 'koffi' ? 0 : 1 });
  } else if (kind === 'route') {
    const h = m.RouteHandle.open();
    const t2 = performance.now();
    const h2 = m.RouteHandle.open();
    const t3 = performance.now();
    await h.link.list();
    const t4 = performance.now();
    h.close(); h2.close();
    Object.assign(out, { firstOpen: t2 - t1, secondOpen: t3 - t2, firstRequest: t4 - t3 });
  } else {
    const h = m.NftHandle.open();
    const t2 = performance.now();
    const h2 = m.NftHandle.open();
    const t3 = performance.now();
    await h.list();
    const t4 = performance.now();
    h.close(); h2.close();
    Object.assign(out, { firstOpen: t2 - t1, secondOpen: t3 - t2, firstRequest: t4 - t3 });
  }
  process.stdout.write(JSON.stringify(out));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function parent(): void {
  const rounds = Number(process.argv[2] ?? 20);
  const roots: [string, string][] = [['', resolve(HERE, '../../..')]];
  if (process.argv[3]) { roots[0]![0] = 'after: '; roots.unshift(['before: ', resolve(process.argv[3])]); }
  const cases: { label: string; root: string; kind: Kind; ffi: string }[] = [];
  for (const [p, root] of roots) {
    for (const ffi of ['koffi', 'ffi-napi']) {
      for (const kind of ['route', 'nft', 'split'] as const) cases.push({ label: `${p}${kind} ${ffi}`, root, kind, ffi });
    }
  }
  const samples = new Map<string, Record<string, number[]>>();
  for (let r = 0; r < rounds + 1; r++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(k + r) % cases.length]!;
      const res = spawnSync(process.execPath, [HERE, '--child', c.root, c.kind], { encoding: 'utf8', env: { ...process.env, NETLINK_TS_FFI: c.ffi } });
      if (res.status !== 0) throw new Error(`${c.label}: ${res.stderr}`);
      if (r === 0) continue; // warm-up round (page cache)
      const o = JSON.parse(res.stdout) as Record<string, number>;
      const s = samples.get(c.label) ?? {};
      for (const [key, v] of Object.entries(o)) (s[key] ??= []).push(v);
      samples.set(c.label, s);
    }
  }
  console.log(`node ${process.version}; ${rounds} interleaved rounds; ms, min / median`);
  for (const c of cases) {
    const s = samples.get(c.label)!;
    const cols = Object.entries(s).filter(([k]) => k !== 'backend' && k !== 'boot').map(([k, v]) => `${k} ${Math.min(...v).toFixed(2)} / ${median(v).toFixed(2)}`);
    console.log(`${c.label.padEnd(24)} ${cols.join('   ')}`);
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4] as Kind);
else parent();
