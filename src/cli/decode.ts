/**
 * `netlink-dump decode FILE|-`: explain captured netlink bytes as an annotated tree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { NLMSG_HDRLEN, nlmsgAlign } from '../netlink/align.js';
import { type DatagramNode, annotateDatagram, faultsOf } from '../netlink/annotate.js';
import type { Protocol } from '../netlink/message.js';
import { protocolById, protocolFor } from '../protocols.js';
import { bool, parse, str } from './args.js';
import { CaptureError, type CaptureFrame, FORMATS, type Format, readCapture } from './capture.js';
import { CliError, UsageError } from './errors.js';
import type { Io } from './io.js';
import { datagramJson, datagramLines } from './tree.js';

export const HELP = `usage: netlink-dump decode [--format FORMAT] [--protocol PROTO] [--json] FILE|-

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

function readInput(file: string): Buffer {
  try {
    return file === '-' ? readFileSync(0) : readFileSync(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : e.code ?? e.message;
    throw new CliError(`decode: cannot read ${file === '-' ? 'standard input' : file}: ${why}`);
  }
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
  const p = parse(argv, { format: { type: 'string' }, protocol: { type: 'string' }, json: { type: 'boolean', short: 'j' } }, 'decode');
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
  const bytes = readInput(file);
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
      lines.push(...datagramLines(r.tree, st));
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
