/**
 * Printing annotated datagrams (src/netlink/annotate.ts): an indented tree with byte offsets
 * in a left column, or the same tree as JSON (bigints as strings, bytes as hex).
 */
import type { DatagramNode, MessageNode } from '../netlink/annotate.js';
import { type WalkItem, isFault } from '../netlink/walk.js';
import type { Style } from './style.js';

/** Decoded values as plain JSON: bigint → decimal string, Buffer → hex string. */
export function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = jsonValue(x);
    return out;
  }
  return v;
}

/** JSON of a datagram: the annotate tree with values made JSON-safe. */
export function datagramJson(d: DatagramNode): unknown {
  return jsonValue(d);
}

/** Lines of text for one datagram; `width` pads the offset column. */
export function datagramLines(d: DatagramNode, st: Style, indent = '  '): string[] {
  const w = Math.max(4, String(d.length).length + 1);
  const at = (o: number): string => st.dim(`@${o}`.padEnd(w + 1));
  const out: string[] = [];
  for (const m of d.messages) messageLines(m, st, at, indent, out);
  for (const f of d.faults) out.push(`${at(f.offset)}${indent}${st.bad(`!! ${f.fault}`)}`);
  if (d.padding) out.push(`${at(d.length - d.padding)}${indent}${st.dim(`(${d.padding} zero bytes of padding after the last message)`)}`);
  return out;
}

function messageLines(m: MessageNode, st: Style, at: (o: number) => string, ind: string, out: string[]): void {
  out.push(`${at(m.offset)}${ind}${st.bold(st.name(m.name))} len=${m.length} flags=${m.flagText} seq=${m.seq} pid=${m.pid}`);
  const i2 = ind + '  ';
  if (m.header) {
    const fields = m.header.fields.map((f) => `${f.name}=${f.text}`).join(' ');
    out.push(`${at(m.header.offset)}${i2}${st.name(m.header.name)} ${st.dim(`(${m.header.length} bytes)`)} ${fields}`);
  }
  if (m.error) {
    const e = m.error;
    if (m.type === 3) out.push(`${at(m.offset + 16)}${i2}status ${m.done ?? 0}`);
    else {
      const what = e.error === 0 ? st.name('ACK') : `${e.error} ${st.bad(e.code)} (${e.message})`;
      const echoed = e.echoed !== undefined ? `, ${e.echoed} bytes of it echoed` : ', capped';
      out.push(`${at(m.offset + 16)}${i2}error: ${what} for ${st.name(e.request.name)} flags=${e.request.flags} seq=${e.request.seq} pid=${e.request.pid}${st.dim(echoed)}`);
    }
    for (const x of e.extAck) out.push(`${at(x.offset)}${i2}${st.name(x.name)}: ${x.text}`);
    // The request the error answers, as the kernel echoed it (decoded like any message).
    if (e.requestMessage) messageLines(e.requestMessage, st, at, `${i2}  `, out);
  } else if (m.done !== undefined) out.push(`${at(m.offset + 16)}${i2}status ${m.done}`);
  if (m.attrs) itemLines(m.attrs, st, at, i2, out);
  if (m.payload !== undefined) out.push(`${at(m.offset + 16)}${i2}payload: ${m.payload}`);
  if (m.fault) out.push(`${at(m.fault.offset)}${i2}${st.bad(`!! ${m.fault.fault}`)}`);
}

function itemLines(items: readonly WalkItem[], st: Style, at: (o: number) => string, ind: string, out: string[]): void {
  for (const it of items) {
    if (isFault(it)) {
      out.push(`${at(it.offset)}${ind}${st.bad(`!! ${it.fault}`)}`);
      continue;
    }
    const meta = st.dim(`(len ${it.length}${it.flags.length ? `, ${it.flags.join(', ')}` : ''})`);
    const name = it.known ? st.name(it.name) : st.bad(it.name);
    if (it.children) {
      out.push(`${at(it.offset)}${ind}${name} ${meta}`);
      itemLines(it.children, st, at, ind + '  ', out);
    } else if (it.text !== undefined) {
      // Multi-line describe() text (a kind that prints its own nesting): indent the rest.
      const text = it.text.includes('\n') ? it.text.replace(/\n/g, `\n${' '.repeat(8)}${ind}  `) : it.text;
      out.push(`${at(it.offset)}${ind}${name} ${meta}: ${text}`);
    } else out.push(`${at(it.offset)}${ind}${name} ${meta}: ${it.hex ? `hex ${it.hex}` : '(empty)'}`);
    if (it.note) out.push(`${at(it.offset)}${ind}  ${st.dim(`(${it.note})`)}`);
    if (it.fault) out.push(`${at(it.fault.offset)}${ind}  ${st.bad(`!! ${it.fault.fault}`)}`);
  }
}
