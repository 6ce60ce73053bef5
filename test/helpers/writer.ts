/**
 * Holding a WireWriter fast path to the table-driven encoder: each case's bytes written alone
 * must equal `want` (the encoder's bytes for the same message), and all cases written back to
 * back into one growing writer must equal their concatenation, with the right offsets.
 */
import type { Test } from 'tap';
import { WireWriter } from '../../src/netlink/wire-writer.js';

export interface WriterCase {
  readonly name: string;
  /** The general encoder's bytes for this message. */
  readonly want: Buffer;
  readonly write: (w: WireWriter) => void;
}

export function checkWriter(t: Test, cases: readonly WriterCase[]): void {
  const all = new WireWriter(16);
  for (const c of cases) {
    const w = new WireWriter(8);
    c.write(w);
    const got = w.finish();
    t.same(got.offsets, [0], `${c.name}: one message at 0`);
    t.equal(got.buf.toString('hex'), c.want.toString('hex'), c.name);
    c.write(all);
  }
  const { buf, offsets } = all.finish();
  t.equal(buf.toString('hex'), Buffer.concat(cases.map((c) => c.want)).toString('hex'), 'back to back in one growing writer');
  let at = 0;
  t.same(offsets, cases.map((c) => { const o = at; at += c.want.length; return o; }), 'with each message\'s offset');
}
