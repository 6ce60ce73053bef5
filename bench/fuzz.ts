/**
 * Fuzz harness (issue 17 item 10) over every public decode path: decodeAll for rtnetlink and
 * nfnetlink, the route monitor's decodeNotifications, the nft event decoder (NftEventDecoder),
 * the CLI's annotate path (annotateDatagram + the text and JSON printers), and the capture
 * readers (pcap, pcapng, strace, hex fixtures).
 *
 * Inputs: (1) mutations of every recorded fixture datagram (bit flips, byte sets, truncation,
 * splices of two datagrams, length fields set to edge values, inserted/duplicated attributes,
 * a nest wrapped hundreds deep) from a seeded PRNG, and (2) structure-aware messages from
 * fast-check: nlmsghdr + family header + a random attribute tree (types drawn from the ones the
 * tables declare, lengths sometimes lying). Coverage guidance: @jazzer.js/core would need a
 * native addon fetched at install, so this is mutation + generators (the fallback).
 *
 * What counts as a finding: an exception that is not a DecodeError (DecodeLimitError included)
 * or, for the capture readers, their CaptureError; any one input taking over 100 ms; decoded
 * output (its JSON) larger than 64× the input plus 64 KiB.
 *
 *   node dist/bench/fuzz.js [--inputs N] [--seed S]      (default 1,000,000 inputs)
 *
 * prints one JSON line of counts; exit 1 on any finding. CI runs 50k through test/unit/fuzz.test.ts.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { readCapture, CaptureError } from '../src/cli/capture.js';
import { datagramJson, datagramLines } from '../src/cli/tree.js';
import { PLAIN } from '../src/cli/style.js';
import { annotateDatagram } from '../src/netlink/annotate.js';
import { DecodeError } from '../src/netlink/errors.js';
import { parseHexFixture } from '../src/netlink/fixture.js';
import { decodeAll } from '../src/netlink/message.js';
import { NftEventDecoder } from '../src/nft/monitor-event.js';
import { nfnetlink } from '../src/nft/protocol.js';
import { decodeNotifications } from '../src/route/monitor/monitor-event.js';
import { rtnetlink } from '../src/route/protocol.js';

// bench/fuzz.ts run from source (tests) or as dist/bench/fuzz.js.
const FIXTURES = [new URL('../fixtures/', import.meta.url), new URL('../../fixtures/', import.meta.url)].map((u) => fileURLToPath(u)).find((p) => { try { return statSync(p).isDirectory(); } catch { return false; } })!;

export interface FuzzReport {
  inputs: number;
  bytes: number;
  decodeErrors: number;
  ok: number;
  /** Exceptions other than DecodeError/CaptureError: each is a bug. */
  findings: { target: string; error: string; input: string }[];
  slowOver100ms: number;
  maxMs: number;
  /** Largest decoded-output/input size ratio seen (output measured as JSON length, 1 input in 50). */
  maxOutputRatio: number;
  heapMaxMiB: number;
  ms: number;
}

/** Every datagram of every fixture, with its protocol. */
export function corpus(): { proto: 'route' | 'nft'; bytes: Buffer }[] {
  const out: { proto: 'route' | 'nft'; bytes: Buffer }[] = [];
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.hex')) {
        const proto = p.includes('/nft/') ? 'nft' : 'route';
        try {
          for (const f of parseHexFixture(readFileSync(p, 'utf8'))) out.push({ proto, bytes: f.bytes });
        } catch { /* not a frame file */ }
      }
    }
  };
  walk(FIXTURES);
  return out;
}

/** xorshift32: fast, seeded, reproducible. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

const EDGE16 = [0, 1, 3, 4, 5, 7, 8, 0xfffc, 0xffff, 0x8000];
const EDGE32 = [0, 1, 15, 16, 17, 0xffffffff, 0x7fffffff, 0x10000];

function mutate(rand: () => number, a: Buffer, b: Buffer): Buffer {
  const r = (n: number): number => (n <= 0 ? 0 : rand() % n);
  const x = Buffer.from(a);
  switch (r(9)) {
    case 0: for (let i = 0, n = 1 + r(8); i < n && x.length; i++) x[r(x.length)]! ^= 1 << r(8); return x;
    case 1: for (let i = 0, n = 1 + r(4); i < n && x.length; i++) x[r(x.length)] = r(256); return x;
    case 2: return x.subarray(0, r(x.length + 1));
    case 3: return Buffer.concat([x.subarray(0, r(x.length + 1)), b.subarray(r(b.length + 1))]);
    case 4: { // a 16-bit length-ish field at an aligned offset set to an edge value
      if (x.length < 2) return x;
      const o = r(x.length >> 2) * 4;
      if (o + 2 <= x.length) x.writeUInt16LE(EDGE16[r(EDGE16.length)]!, o);
      return x;
    }
    case 5: { // nlmsg_len / a u32 set to an edge value
      if (x.length < 4) return x;
      const o = r((x.length - 3) >> 2) * 4;
      x.writeUInt32LE(EDGE32[r(EDGE32.length)]!, o);
      return x;
    }
    case 6: { // duplicate a 4-aligned chunk in place (repeated attributes)
      if (x.length < 24) return x;
      const s = 16 + r((x.length - 16) >> 2) * 4, e = Math.min(x.length, s + 4 * (1 + r(16)));
      const y = Buffer.concat([x.subarray(0, e), x.subarray(s, e), x.subarray(e)]);
      if (y.length >= 4) y.writeUInt32LE(y.length, 0);
      return y;
    }
    case 7: { // wrap the attributes after the family header in a nest, many levels deep
      if (x.length < 32) return x;
      let inner = x.subarray(32, Math.min(x.length, 32 + 64));
      const type = x.readUInt16LE(32 + 2 < x.length ? 34 : 0) | 0x8000;
      for (let i = 0, n = 1 + r(400); i < n && inner.length + 4 <= 0xfff0; i++) {
        const h = Buffer.alloc(4); h.writeUInt16LE(inner.length + 4, 0); h.writeUInt16LE(type, 2);
        inner = Buffer.concat([h, inner, Buffer.alloc((4 - (inner.length % 4)) % 4)]);
      }
      const y = Buffer.concat([x.subarray(0, 32), inner]);
      y.writeUInt32LE(y.length, 0);
      return y;
    }
    default: return Buffer.concat([x, b.subarray(0, r(b.length + 1))]);
  }
}

/** fast-check: one netlink message, header fields and an attribute tree, lengths mostly honest. */
const attrTree: fc.Arbitrary<Buffer> = fc.letrec<{ attr: Buffer; attrs: Buffer }>((tie) => ({
  attr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.integer({ min: 0, max: 40 }), fc.uint8Array({ maxLength: 24 }), fc.boolean()).map(([type, p, lie]) => {
      const h = Buffer.alloc(4); h.writeUInt16LE(lie ? (p.length * 7 + 1) & 0xffff : p.length + 4, 0); h.writeUInt16LE(type, 2);
      return Buffer.concat([h, Buffer.from(p), Buffer.alloc((4 - (p.length % 4)) % 4)]);
    }),
    fc.tuple(fc.integer({ min: 0, max: 40 }), tie('attrs')).map(([type, inner]) => {
      const h = Buffer.alloc(4); h.writeUInt16LE(Math.min(0xffff, inner.length + 4), 0); h.writeUInt16LE(type | 0x8000, 2);
      return Buffer.concat([h, inner]);
    }),
  ),
  attrs: fc.array(tie('attr'), { maxLength: 6 }).map((xs) => Buffer.concat(xs)),
})).attrs;

export const messageArb = (proto: 'route' | 'nft'): fc.Arbitrary<Buffer> => fc.tuple(
  proto === 'route' ? fc.constantFrom(16, 17, 19, 20, 21, 24, 25, 28, 29, 32, 33, 68, 2, 3) : fc.integer({ min: 0, max: 30 }).map((m) => (10 << 8) | m),
  fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ minLength: 0, maxLength: 24 }), attrTree,
).map(([type, flags, header, attrs]) => {
  const h = Buffer.alloc(16);
  const body = Buffer.concat([Buffer.from(header), Buffer.alloc((4 - (header.length % 4)) % 4), attrs]);
  h.writeUInt32LE(16 + body.length, 0); h.writeUInt16LE(type, 4); h.writeUInt16LE(flags, 6);
  return Buffer.concat([h, body]);
});

type Target = (b: Buffer) => unknown;
const route: Record<string, Target> = {
  'decodeAll(rtnetlink)': (b) => decodeAll(rtnetlink, b),
  'monitor decodeNotifications': (b) => decodeNotifications(b, new Date(0), new Set(['link', 'addr', 'route', 'neigh', 'rule', 'nsid'])),
  'annotate(rtnetlink)+print': (b) => { const d = annotateDatagram(rtnetlink, b, {}); datagramLines(d, PLAIN); return datagramJson(d); },
};
const nft: Record<string, Target> = {
  'decodeAll(nfnetlink)': (b) => decodeAll(nfnetlink, b),
  'NftEventDecoder': (b) => new NftEventDecoder().decode(b, new Date(0)),
  'annotate(nfnetlink)+print': (b) => { const d = annotateDatagram(nfnetlink, b, {}); datagramLines(d, PLAIN); return datagramJson(d); },
};
const captures: Record<string, Target> = {
  'readCapture(auto)': (b) => readCapture(b, undefined),
  'readCapture(pcapng)': (b) => readCapture(Buffer.concat([Buffer.from('0a0d0d0a', 'hex'), b]), 'pcapng'),
  'readCapture(pcap)': (b) => readCapture(Buffer.concat([Buffer.from('d4c3b2a1020004000000000000000000ffff0000fd000000', 'hex'), b]), 'pcap'),
};

const expected = (e: unknown): boolean => e instanceof DecodeError || e instanceof CaptureError;

export function runFuzz(opts: { inputs: number; seed?: number; onProgress?: (r: FuzzReport) => void }): FuzzReport {
  const rand = prng(opts.seed ?? 1);
  const seeds = corpus();
  const rep: FuzzReport = { inputs: 0, bytes: 0, decodeErrors: 0, ok: 0, findings: [], slowOver100ms: 0, maxMs: 0, maxOutputRatio: 0, heapMaxMiB: 0, ms: 0 };
  const t0 = performance.now();
  const gen = { route: fc.sample(messageArb('route'), { numRuns: 2000, seed: opts.seed ?? 1 }), nft: fc.sample(messageArb('nft'), { numRuns: 2000, seed: (opts.seed ?? 1) + 1 }) };
  const run = (name: string, f: Target, b: Buffer, measure: boolean): void => {
    const s = performance.now();
    let out: unknown;
    try {
      out = f(b);
      rep.ok++;
    } catch (e) {
      if (expected(e)) rep.decodeErrors++;
      else if (rep.findings.length < 50) rep.findings.push({ target: name, error: `${(e as Error)?.name}: ${(e as Error)?.message}`.slice(0, 300), input: b.toString('hex').slice(0, 2000) });
      else rep.findings.length++;
    }
    const ms = performance.now() - s;
    if (ms > rep.maxMs) rep.maxMs = ms;
    if (ms > 100) rep.slowOver100ms++;
    if (measure && out !== undefined) {
      let len = 0;
      try { len = JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))?.length ?? 0; } catch { /* cyclic: skip */ }
      const ratio = len / Math.max(64, b.length);
      if (ratio > rep.maxOutputRatio) rep.maxOutputRatio = ratio;
      if (len > 64 * b.length + 65536 && rep.findings.length < 50) rep.findings.push({ target: name, error: `output ${len} bytes for ${b.length} input bytes`, input: b.toString('hex').slice(0, 2000) });
    }
  };
  while (rep.inputs < opts.inputs) {
    const i = rep.inputs;
    let proto: 'route' | 'nft', b: Buffer;
    if (i % 4 === 3) { proto = i % 8 === 3 ? 'route' : 'nft'; const g = gen[proto]; b = g[(i >> 3) % g.length]!; if ((i >> 3) >= g.length) b = mutate(rand, b, seeds[rand() % seeds.length]!.bytes); }
    else { const s = seeds[rand() % seeds.length]!; proto = s.proto; b = mutate(rand, s.bytes, seeds[rand() % seeds.length]!.bytes); }
    const measure = i % 50 === 0;
    for (const [n, f] of Object.entries(proto === 'route' ? route : nft)) run(n, f, b, measure);
    if (i % 16 === 0) for (const [n, f] of Object.entries(captures)) run(n, f, b, measure);
    rep.inputs++;
    rep.bytes += b.length;
    if (i % 10_000 === 0) {
      rep.heapMaxMiB = Math.max(rep.heapMaxMiB, process.memoryUsage().heapUsed / 1048576);
      opts.onProgress?.(rep);
    }
  }
  rep.ms = Math.round(performance.now() - t0);
  return rep;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (k: string, d: number): number => { const i = process.argv.indexOf(k); return i > 0 ? Number(process.argv[i + 1]) : d; };
  const inputs = arg('--inputs', 1_000_000);
  const rep = runFuzz({ inputs, seed: arg('--seed', 1), onProgress: (r) => { if (r.inputs % 100_000 === 0 && r.inputs) process.stderr.write(`${r.inputs} inputs, ${r.findings.length} findings, max ${r.maxMs.toFixed(1)} ms\n`); } });
  const { findings, ...rest } = rep;
  console.log(JSON.stringify({ ...rest, findings: findings.length, maxMs: Number(rep.maxMs.toFixed(2)), maxOutputRatio: Number(rep.maxOutputRatio.toFixed(2)), heapMaxMiB: Number(rep.heapMaxMiB.toFixed(1)) }));
  for (const f of findings.slice(0, 10)) console.error(JSON.stringify(f));
  process.exitCode = findings.length || rep.slowOver100ms ? 1 : 0;
}
