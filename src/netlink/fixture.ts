/**
 * The fixture file format (see README "Fixtures"): one exchange with the kernel as a pair
 * `NAME.hex` (the bytes) + `NAME.json` (provenance and expectations).
 *
 * `.hex` holds frames — one per syscall buffer — in order. A frame starts at a line
 * `# >>> send …` (bytes we/the tool sent) or `# <<< recv …` (bytes the kernel returned);
 * every other `#` line is a comment; hex digits may be grouped by any whitespace.
 */
import { type Json, toJson } from './jsonable.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Protocol, decodeAll, describeMessage } from './message.js';

/** Which way a fixture frame went: sent to the kernel or received from it. */
export type FrameDir = 'send' | 'recv';

/** One datagram of a fixture: its direction, bytes, and the marker line's label. */
export interface Frame {
  readonly dir: FrameDir;
  readonly bytes: Buffer;
  /** Text after the `>>>`/`<<<` marker. */
  readonly label?: string;
}

/** Provenance of a captured fixture (kept in `NAME.json`). */
export interface FixtureProvenance {
  /** `uname -r` of the capturing kernel. */
  readonly kernel: string;
  /** Version line of the tool that made the exchange (`ip -V`, `nft -v`, or `netlink-ts x.y`). */
  readonly tool: string;
  /** The exact command whose exchange was captured. */
  readonly command: string;
  /** Commands run before it, uncaptured, to build the state. */
  readonly setup?: readonly string[];
  /** How the bytes were captured (the strace command line, or the recording transport). */
  readonly captured: string;
  readonly date: string;
}

const MARK = /^#\s*(>>>|<<<)\s?(.*)$/;

/** Parse a `.hex` fixture (frames of hex bytes after `# >>> send` / `# <<< recv` markers, `#` comments) into frames. */
export function parseHexFixture(text: string): Frame[] {
  const frames: Frame[] = [];
  let cur: { dir: FrameDir; label: string; hex: string[] } | undefined;
  const flush = (): void => {
    if (!cur) return;
    const hex = cur.hex.join('');
    if (hex.length % 2 !== 0) throw new SyntaxError(`fixture frame "${cur.label}" has an odd number of hex digits`);
    frames.push({ dir: cur.dir, label: cur.label, bytes: Buffer.from(hex, 'hex') });
  };
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const m = MARK.exec(line);
    if (m) {
      flush();
      cur = { dir: m[1] === '>>>' ? 'send' : 'recv', label: m[2] ?? '', hex: [] };
      continue;
    }
    if (line.startsWith('#')) continue;
    if (!cur) throw new SyntaxError(`fixture line ${i + 1}: bytes before the first frame marker`);
    const digits = line.replace(/\s+/g, '');
    if (!/^[0-9a-fA-F]*$/.test(digits)) throw new SyntaxError(`fixture line ${i + 1}: not hex: ${line}`);
    cur.hex.push(digits);
  }
  flush();
  return frames;
}

/**
 * Write frames as `.hex` text: 16 bytes a line in groups of 4. `comment(frame, i)` may
 * return extra `#` lines (e.g. a decoded summary) placed under each frame marker.
 */
export function formatHexFixture(
  frames: readonly Frame[],
  header: readonly string[] = [],
  comment?: (frame: Frame, index: number) => readonly string[],
): string {
  const out: string[] = header.map((h) => `# ${h}`);
  frames.forEach((f, i) => {
    out.push(`# ${f.dir === 'send' ? '>>>' : '<<<'} ${f.label ?? `${f.dir} ${i + 1}`}`.trimEnd());
    for (const c of comment?.(f, i) ?? []) out.push(`#   ${c}`);
    for (let o = 0; o < f.bytes.length; o += 16) {
      const row = f.bytes.subarray(o, o + 16).toString('hex');
      out.push(row.replace(/(.{8})(?!$)/g, '$1 '));
    }
  });
  return out.join('\n') + '\n';
}

/** Parse a capture label (`send 3: sendmsg fd=4 (NETLINK_ROUTE), 48 bytes`) for its number and fd. */
export function frameInfo(f: Frame): { n?: number; fd?: number } {
  const m = /^(?:send|recv) (\d+):.*?\bfd=(\d+)/.exec(f.label ?? '');
  return m ? { n: Number(m[1]), fd: Number(m[2]) } : {};
}

/**
 * The frames of one socket (`fd`), from capture frame number `from` on — to replay one
 * conversation out of a capture of a tool that used several sockets or probed first.
 */
export function selectFrames(frames: readonly Frame[], sel: { readonly fd?: number; readonly from?: number }): Frame[] {
  return frames.filter((f) => {
    const i = frameInfo(f);
    return (sel.fd === undefined || i.fd === sel.fd) && (sel.from === undefined || (i.n ?? 0) >= sel.from);
  });
}

/**
 * The `expected` entry of a fixture's .json: every frame's messages as decoded by `proto`,
 * in lossless JSON (see jsonable.ts). Written by the capture tools; review the diff.
 */
export function fixtureExpected(proto: Protocol, frames: readonly Frame[]): Array<{ frame: number; dir: FrameDir; messages: Json[] }> {
  return frames.map((f, i) => ({ frame: i, dir: f.dir, messages: decodeAll(proto, f.bytes).map(toJson) }));
}

/**
 * Write a fixture pair: `base.hex` (frames, with describe() comments when `proto` is given)
 * and `base.json` (provenance, protocol name, and the decoded `expected`). Used with a
 * RecordingTransport to turn a real exchange into a fixture.
 */
export function saveFixture(base: string, frames: readonly Frame[], meta: {
  readonly provenance: FixtureProvenance;
  readonly protocolName: string;
  readonly proto?: Protocol;
  readonly description?: string;
}): void {
  const { proto } = meta;
  const comment = proto
    ? (f: Frame): string[] => decodeAll(proto, f.bytes).map((m) => describeMessage(proto, m).split('\n')[0]!)
    : undefined;
  mkdirSync(dirname(base), { recursive: true });
  writeFileSync(`${base}.hex`, formatHexFixture(frames, [`recorded by netlink-ts RecordingTransport`, `command: ${meta.provenance.command}`], comment));
  const json = {
    description: meta.description ?? meta.provenance.command,
    provenance: meta.provenance,
    protocol: meta.protocolName,
    volatile: ['nlmsg_seq', 'nlmsg_pid'],
    roundTrip: true,
    ...(proto ? { expected: fixtureExpected(proto, frames) } : {}),
  };
  writeFileSync(`${base}.json`, `${JSON.stringify(json, null, 2)}\n`);
}
