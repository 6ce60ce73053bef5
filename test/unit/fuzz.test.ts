// CI's short fuzz pass (issue 17 item 10): 50k inputs through every public decode path
// (bench/fuzz.ts: rtnetlink/nfnetlink decodeAll, the route monitor and nft event decoders, the
// CLI annotate path and printers, the capture readers), mutated fixtures and fast-check
// generated messages. Every exception must be a DecodeError (or a capture reader's
// CaptureError); decoded output stays within 64× its input. The long run (1M–10M inputs, the
// 100 ms per-input check) is `node dist/bench/fuzz.js --inputs N`, see docs/limits.md.
import t from 'tap';
import { runFuzz } from '../../bench/fuzz.js';

t.setTimeout(600_000);

t.test('50k fuzzed inputs: only DecodeError/CaptureError, bounded output', async (t) => {
  const rep = runFuzz({ inputs: 50_000, seed: 17 });
  t.equal(rep.inputs, 50_000);
  t.same(rep.findings, [], 'no exception other than DecodeError/CaptureError, no oversized output');
  t.ok(rep.decodeErrors > 1000 && rep.ok > 1000, `both outcomes exercised (${rep.ok} decoded, ${rep.decodeErrors} DecodeErrors)`);
  t.ok(rep.maxOutputRatio < 64, `decoded output at most ${rep.maxOutputRatio.toFixed(1)}× its input`);
  t.comment(`slowest input ${rep.maxMs.toFixed(1)} ms CPU (${rep.slowOver100ms} over 100 ms of CPU, slowest wall ${rep.maxWallMs.toFixed(1)} ms; not asserted here: a shared machine), heap max ${rep.heapMaxMiB.toFixed(1)} MiB, ${rep.ms} ms total`);
});
