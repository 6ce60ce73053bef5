/**
 * Capture files → frames (one netlink datagram each) for `netlink-dump decode`. Formats:
 * the fixture `.hex` text (src/netlink/fixture.ts), raw binary messages, strace output
 * (src/netlink/strace.ts) and pcap / pcapng with LINKTYPE_NETLINK (pcap.ts). The format is
 * detected from the bytes unless forced.
 */
import { NetlinkTsError } from '../ffi/errors.js';
import { parseHexFixture } from '../netlink/fixture.js';
import { SEND_CALLS, StraceParseError, looksLikeStrace, parseStrace } from '../netlink/strace.js';
import { isPcap, isPcapng, readPcap, readPcapng } from './pcap.js';

export const FORMATS = ['hex', 'binary', 'strace', 'pcap', 'pcapng'] as const;
export type Format = (typeof FORMATS)[number];

/** One datagram of a capture. */
export interface CaptureFrame {
  /** Who sent it, where the capture says. */
  readonly dir?: 'send' | 'recv';
  readonly label: string;
  readonly bytes: Buffer;
  /** Netlink protocol the capture names: `NETLINK_ROUTE`, or a number (pcap). */
  readonly protocol?: string | number;
  /** Where the frame's bytes start in a binary file (pcap, raw). */
  readonly fileOffset?: number;
}

export interface Capture {
  readonly format: Format;
  readonly frames: CaptureFrame[];
  /** Things the reader skipped or doubts (peeked reads, failed calls, non-netlink sockets). */
  readonly notes: string[];
  /** The file stops making sense here; `frames` holds what was read before. */
  readonly fault?: CaptureError;
}

/** The file is not the format it claims or seems to be. `offset`: byte (binary) or line (text) of the failure. */
export class CaptureError extends NetlinkTsError {
  override readonly name = 'CaptureError';
  constructor(message: string, readonly offset: number, readonly unit: 'byte' | 'line' = 'byte') {
    super(message, 'ERR_CAPTURE');
  }
}

/** Which format `b` is in. Text that is neither a fixture nor strace output is taken as binary. */
export function detectFormat(b: Buffer): Format {
  if (isPcapng(b)) return 'pcapng';
  if (isPcap(b)) return 'pcap';
  const head = b.subarray(0, 64 * 1024);
  if (head.includes(0)) return 'binary';
  const text = head.toString('utf8');
  if (looksLikeStrace(text)) return 'strace';
  if (/^\s*#\s*(>>>|<<<)/m.test(text) || /^[\s0-9a-fA-F]+$/.test(text.replace(/^\s*#.*$/gm, ''))) return 'hex';
  return 'binary';
}

/** Read `b` as `format` (detected when undefined). */
export function readCapture(b: Buffer, format: Format | undefined): Capture {
  const f = format ?? detectFormat(b);
  switch (f) {
    case 'pcap':
    case 'pcapng': {
      const frames: CaptureFrame[] = [];
      try {
        (f === 'pcap' ? readPcap : readPcapng)(b, frames);
      } catch (err) {
        if (!(err instanceof CaptureError) || !frames.length) throw err;
        return { format: f, frames, notes: [], fault: err };
      }
      return { format: f, frames, notes: [] };
    }
    case 'binary': return { format: f, frames: [{ label: `${b.length} bytes`, bytes: b, fileOffset: 0 }], notes: [] };
    case 'hex': return readHex(b.toString('utf8'));
    case 'strace': return readStrace(b.toString('utf8'));
  }
}

function readHex(text: string): Capture {
  let frames;
  try {
    frames = parseHexFixture(text);
  } catch (err) {
    const line = /line (\d+)/.exec((err as Error).message)?.[1];
    throw new CaptureError(`not a fixture .hex file: ${(err as Error).message}`, Number(line ?? 0), 'line');
  }
  if (!frames.length) {
    // Bare hex with no frame markers: one datagram.
    const digits = text.replace(/^\s*#.*$/gm, '').replace(/\s+/g, '');
    if (digits.length % 2) throw new CaptureError('odd number of hex digits', 0, 'line');
    return { format: 'hex', frames: [{ label: `${digits.length / 2} bytes`, bytes: Buffer.from(digits, 'hex') }], notes: [] };
  }
  return {
    format: 'hex',
    frames: frames.map((f) => {
      const proto = /\((NETLINK_[A-Z0-9_]+)\)/.exec(f.label ?? '')?.[1];
      return { dir: f.dir, label: `${f.dir === 'send' ? '>>>' : '<<<'} ${f.label ?? ''}`.trimEnd(), bytes: f.bytes, ...(proto ? { protocol: proto } : {}) };
    }),
    notes: [],
  };
}

function readStrace(text: string): Capture {
  let parsed;
  try {
    parsed = parseStrace(text);
  } catch (err) {
    if (err instanceof StraceParseError) throw new CaptureError(err.message, err.line, 'line');
    throw err;
  }
  const notes = [...parsed.warnings];
  const frames: CaptureFrame[] = [];
  let peeks = 0, failed = 0, undumped = 0;
  for (const c of parsed.calls) {
    if (c.annotation !== undefined && c.family === undefined) continue; // not netlink (warned)
    if (c.ret < 0) { failed++; continue; }
    if (c.peek) { peeks++; continue; }
    if (c.bytes.length === 0 && c.ret > 0) { undumped++; continue; }
    const dir = SEND_CALLS.has(c.name) ? 'send' : 'recv';
    const short = c.bytes.length < c.ret ? ` (strace dumped only ${c.bytes.length})` : '';
    const fam = c.family && c.family !== 'UNKNOWN' && c.family !== '?' ? `NETLINK_${c.family}` : undefined;
    frames.push({
      dir,
      label: `${dir === 'send' ? '>>>' : '<<<'} line ${c.line}: ${c.pid ? `pid ${c.pid} ` : ''}${c.name} fd=${c.fd}${fam ? ` (${fam})` : ''}, ${c.ret} bytes${short}`,
      bytes: Buffer.from(c.bytes),
      ...(fam ? { protocol: fam } : {}),
    });
  }
  if (peeks) notes.push(`${peeks} MSG_PEEK read(s) skipped (buffer-sizing peeks; the real reads follow)`);
  if (failed) notes.push(`${failed} failed call(s) skipped`);
  if (undumped) notes.push(`${undumped} call(s) without a hex dump skipped (trace with -e write=FD -e read=FD)`);
  if (!frames.length) throw new CaptureError(`no netlink sendto/sendmsg/recvmsg with a hex dump in this strace output (${parsed.calls.length} calls seen; trace with -e write=FD -e read=FD)`, 0, 'line');
  return { format: 'strace', frames, notes };
}
