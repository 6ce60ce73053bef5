/**
 * `netlink-dump decode FILE|-`: explain captured netlink bytes as an annotated tree.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { NLMSG_HDRLEN, nlmsgAlign } from '../netlink/align.js';
import { type DatagramNode, annotateDatagram, faultsOf } from '../netlink/annotate.js';
import type { Protocol } from '../netlink/message.js';
import { protocolById, protocolFor } from '../protocols.js';
import { bool, parse, str } from './args.js';
import { CaptureError, type CaptureFrame, FORMATS, type Format, readCapture } from './capture.js';
import { CliError, UsageError } from './errors.js';
import type { Io } from './io.js';
import { datagramJson, datagramLines } from './tree.js';

export const HELP = `usage: netlink-dump decode [--format FORMAT] [--protocol PROTO] [--json] [--max-bytes N] FILE|-

Decode captured netlink messages into an annotated tree: every message header (type and
flags by name, seq, pid, length), the family header field by field, every attribute with
its byte offset, length, kernel name and value (nests indented, unknown attributes as hex),
and errors/ACKs with errno name and extended-ACK text.

Input formats (detected unless --format says):
  hex      the fixture format of fixtures/ (# >>> send / # <<< recv frames of hex bytes)
  binary   raw netlink messages back to back
  strace   output of strace -f -yy -e trace=sendto,sendmsg,recvmsg -e write=FD -e read=FD
           (with or without -f, -o, -x/-xx, -t)
  pcap     pcap / pcapng with LINKTYPE_NETLINK (253), e.g. tcpdump -i nlmon0 -w FILE
  pcapng

Options:
  --format FORMAT    force the input format (${FORMATS.join(', ')})
  --protocol PROTO   route, netfilter, a NETLINK_* name or number; default: what the
                     capture says (strace -yy, pcap header, the fixture's .json), else route
  --json             the same tree as JSON (bigints as strings, bytes as hex)
  --max-bytes N      refuse input larger than N bytes (K/M/G suffixes; default 64M):
                     /dev/zero or an endless pipe exits 1 instead of filling memory
  -h, --help         this text

Exit status: 0 when everything decoded; 1 when the input is truncated or corrupt (what
is valid is still printed, and the point of failure is marked with its byte offset);
2 for a usage error.`;

const ALIASES: Readonly<Record<string, string>> = { route: 'NETLINK_ROUTE', rtnetlink: 'NETLINK_ROUTE', netfilter: 'NETLINK_NETFILTER', nft: 'NETLINK_NETFILTER', nfnetlink: 'NETLINK_NETFILTER', generic: 'NETLINK_GENERIC' };

interface Resolved { readonly proto: Protocol | undefined; readonly name: string }

/** A protocol named on the command line: an alias, a NETLINK_* name or a number. */
function resolveProtocol(spec: string | number): Resolved {
  if (typeof spec === 'number' || /^\d+$/.test(spec)) {
    const id = Number(spec);
    const p = protocolById(id);
    return { proto: p, name: p ? protocolNameOf(p) : `netlink protocol ${id}` };
  }
  const name = ALIASES[spec.toLowerCase()] ?? (spec.toUpperCase().startsWith('NETLINK_') ? spec.toUpperCase() : `NETLINK_${spec.toUpperCase()}`);
  try {
    return { proto: protocolFor(name), name };
  } catch {
    return { proto: undefined, name };
  }
}

const protocolNameOf = (p: Protocol): string => {
  for (const n of Object.values(ALIASES)) {
    try { if (protocolFor(n) === p) return n; } catch { /* not registered */ }
  }
  return p.name;
};

/** The fixture's .json names its protocol; a `.hex` file given by path may have one beside it. */
function fixtureProtocol(file: string): string | undefined {
  if (!file.endsWith('.hex')) return undefined;
  const json = `${file.slice(0, -4)}.json`;
  if (!existsSync(json)) return undefined;
  try {
    const p = (JSON.parse(readFileSync(json, 'utf8')) as { protocol?: unknown }).protocol;
    return typeof p === 'string' ? p : undefined;
  } catch {
    return undefined;
  }
}

/** Default for --max-bytes: a capture this large is a mistake (`decode /dev/zero`, an endless pipe). */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** `--max-bytes`: a byte count, optionally with a K/M/G (KiB/MiB/GiB) suffix. */
export function parseMaxBytes(spec: string): number {
  const m = /^(\d+)\s*([kmg]i?b?)?$/i.exec(spec.trim());
  const n = m ? Number(m[1]) * (m[2] ? 1024 ** ('kmg'.indexOf(m[2][0]!.toLowerCase()) + 1) : 1) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`decode: --max-bytes wants a positive byte count such as 1048576 or 64M (got "${spec}")`);
  return n;
}

const tooBig = (what: string, max: number): CliError =>
  new CliError(`decode: ${what} is larger than --max-bytes ${max} (${(max / 1048576).toFixed(max % 1048576 ? 2 : 0)} MiB); raise --max-bytes to decode it`);

/**
 * The input's bytes, reading at most `max` + 1 of them: a file larger than `max`, or a pipe or
 * device (`/dev/zero`, an endless stdin) that does not end within `max` bytes, is refused with
 * a CliError instead of being read into memory.
 */
function readInput(file: string, max: number, stdin: Buffer | undefined): Buffer {
  const what = file === '-' ? 'standard input' : file;
  if (file === '-' && stdin) {
    if (stdin.length > max) throw tooBig(what, max);
    return stdin;
  }
  let fd: number;
  try {
    fd = file === '-' ? 0 : openSync(file, 'r');
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (err) {
    throw cannotRead(what, err);
  }
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size > max) throw tooBig(what, max);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, max + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        // A non-blocking stdin (a TTY or pipe Node set O_NONBLOCK on): wait a little and retry.
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); continue; }
        throw cannotRead(what, err);
      }
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > max) throw tooBig(what, max);
    }
    return Buffer.concat(chunks, total);
  } finally {
    if (file !== '-') closeSync(fd);
  }
}

function cannotRead(what: string, err: unknown): CliError {
  if (err instanceof CliError) return err;
  const e = err as NodeJS.ErrnoException;
  const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : e.code ?? e.message;
  return new CliError(`decode: cannot read ${what}: ${why}`, 1, { cause: err });
}

/** Requests by seq, so a capped NLMSG_ERROR's ext-ACK offset can be named from the request. */
function requestsBySeq(frames: readonly CaptureFrame[]): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (const f of frames) {
    if (f.dir !== 'send') continue;
    let off = 0;
    while (off + NLMSG_HDRLEN <= f.bytes.length) {
      const len = f.bytes.readUInt32LE(off);
      if (len < NLMSG_HDRLEN || off + len > f.bytes.length) break;
      out.set(f.bytes.readUInt32LE(off + 8), f.bytes.subarray(off, off + len));
      off += nlmsgAlign(len);
    }
  }
  return out;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const p = parse(argv, { format: { type: 'string' }, protocol: { type: 'string' }, json: { type: 'boolean', short: 'j' }, 'max-bytes': { type: 'string' } }, 'decode');
  if (p.help) { io.out(HELP); return 0; }
  const format = str(p, 'format');
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) throw new UsageError(`decode: unknown format "${format}" (one of ${FORMATS.join(', ')})`);
  if (p.positionals.length !== 1) throw new UsageError(p.positionals.length ? `decode: one FILE at a time (got ${p.positionals.length})` : 'decode: which file? (FILE, or - for standard input)');
  const file = p.positionals[0]!;
  const forced = str(p, 'protocol');
  let forcedProto: Resolved | undefined;
  if (forced !== undefined) {
    forcedProto = resolveProtocol(forced);
    if (!forcedProto.proto) {
      let known = '';
      try { protocolFor(forcedProto.name); } catch (err) { known = ((err as Error).message.match(/\(known: (.*)\)/)?.[1]) ?? ''; }
      throw new UsageError(`decode: no message tables for ${forcedProto.name}${known ? ` (known: ${known})` : ''}`);
    }
  }
  const maxSpec = str(p, 'max-bytes');
  const bytes = readInput(file, maxSpec === undefined ? DEFAULT_MAX_BYTES : parseMaxBytes(maxSpec), io.stdin);
  if (bytes.length === 0) throw new CliError(`decode: ${file === '-' ? 'standard input' : file} is empty: nothing to decode`);
  let cap;
  try {
    cap = readCapture(bytes, format as Format | undefined);
  } catch (err) {
    if (err instanceof CaptureError) {
      io.err(`decode: ${file}: ${err.message} (at ${err.unit} ${err.offset})`);
      return 1;
    }
    throw err;
  }
  const fileProto = fixtureProtocol(file);
  const requests = requestsBySeq(cap.frames);
  const results: Array<{ frame: CaptureFrame; protocol: string; tree: DatagramNode }> = [];
  for (const frame of cap.frames) {
    const r = forcedProto ?? resolveProtocol(frame.protocol ?? fileProto ?? 'NETLINK_ROUTE');
    const tree = annotateDatagram(r.proto, frame.bytes, { findRequest: (seq) => requests.get(seq) });
    results.push({ frame, protocol: r.name + (r.proto ? '' : ' (no message tables: headers only)'), tree });
  }
  const faults = results.flatMap((r, i) => faultsOf(r.tree).map((f) => ({ frame: i + 1, fileOffset: r.frame.fileOffset, ...f })));
  if (bool(p, 'json')) {
    io.out(JSON.stringify({
      file, format: cap.format, notes: cap.notes,
      frames: results.map((r, i) => ({ index: i + 1, ...(r.frame.dir ? { dir: r.frame.dir } : {}), label: r.frame.label, protocol: r.protocol, ...(r.frame.fileOffset !== undefined ? { fileOffset: r.frame.fileOffset } : {}), ...(datagramJson(r.tree) as object) })),
      ...(cap.fault ? { captureFault: { fault: cap.fault.message, offset: cap.fault.offset } } : {}),
      ok: faults.length === 0 && !cap.fault,
    }, null, 2));
  } else {
    const st = io.style;
    const lines: string[] = [st.dim(`# ${file === '-' ? 'stdin' : file}: ${cap.format}, ${cap.frames.length} frame(s)`)];
    for (const n of cap.notes) lines.push(st.dim(`# note: ${n}`));
    results.forEach((r, i) => {
      lines.push(st.bold(`frame ${i + 1} ${r.frame.label}`) + st.dim(` [${r.protocol}]`));
      for (const l of datagramLines(r.tree, st)) lines.push(l);
    });
    if (cap.fault) lines.push(st.bad(`!! ${cap.fault.message} (at ${cap.fault.unit} ${cap.fault.offset})`));
    io.out(lines.join('\n'));
  }
  for (const f of faults) {
    io.err(`decode: frame ${f.frame}: byte ${f.offset}${f.fileOffset !== undefined ? ` (file byte ${f.fileOffset + f.offset})` : ''}: ${f.fault}`);
  }
  if (cap.fault) io.err(`decode: ${file}: ${cap.fault.message} (at ${cap.fault.unit} ${cap.fault.offset})`);
  return faults.length || cap.fault ? 1 : 0;
}
