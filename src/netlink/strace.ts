/**
 * strace output → the netlink syscalls it shows, with their bytes: the capture method that
 * works on kernels without nlmon (STYLE.md §4). Used by tools/capture.ts (recording
 * fixtures) and netlink-dump decode (explaining someone's trace).
 *
 * Reads what `strace [-f] [-yy] [-x|-xx] [-t|-tt|-ttt] -e trace=sendto,sendmsg,recvmsg[,recvfrom]
 * -e write=FD|all -e read=FD|all [-o FILE]` prints. Lines look like
 *   4536  sendto(3<NETLINK:[ROUTE:4536]>, ..., 32, 0, NULL, 0) = 32
 *    | 00000  20 00 00 00 10 00 05 00  00 00 00 00 00 00 00 00   ............... |
 *   4536  recvmsg(4<NETLINK:[ROUTE:2932912392]>, {...}, MSG_PEEK|MSG_TRUNC) = 1100
 *    * 1100 bytes in buffer 0
 * with the pid column from `-f -o`, `[pid N] ` from `-f` on stderr, none without `-f`; and,
 * when processes interleave, `… <unfinished ...>` / `<... recvmsg resumed>…`.
 */
import { NetlinkTsError } from '../ffi/errors.js';

/** One traced send/receive call. */
export interface Syscall {
  /** The traced process (0 when strace printed no pid column). */
  pid: number;
  name: string;
  fd: number;
  /**
   * Netlink protocol from `-yy` (`ROUTE` of `3<NETLINK:[ROUTE:4536]>`); `?` for a netlink
   * socket strace saw before it was bound (resolved from the same fd where possible);
   * undefined when the fd is not shown as netlink.
   */
  family?: string;
  /** strace's `<…>` annotation of the fd, as printed (undefined without -y/-yy). */
  annotation?: string;
  ret: number;
  /** MSG_PEEK: a buffer-sizing read whose bytes are read again. */
  peek: boolean;
  /** The bytes dumped (`-e write=`/`-e read=`): sendto's buffer, or the iovecs concatenated. */
  bytes: number[];
  /** 1-based line of the call in the trace. */
  line: number;
}

export interface StraceParse {
  readonly calls: Syscall[];
  /** pid → `exited with 0` / `killed by SIGKILL`. */
  readonly exits: Map<number, string>;
  /** Calls on sockets that are not netlink, and other things worth saying. */
  readonly warnings: string[];
}

/** The trace does not parse (a hex dump out of sequence). */
export class StraceParseError extends NetlinkTsError {
  override readonly name = 'StraceParseError';
  constructor(message: string, readonly line: number) {
    super(`strace output line ${line}: ${message}`, 'ERR_STRACE_PARSE');
  }
}

const CALLS = new Set(['sendto', 'sendmsg', 'recvmsg', 'recvfrom']);
/** sendto and sendmsg carry the bytes we sent; the rest what the kernel returned. */
export const SEND_CALLS: ReadonlySet<string> = new Set(['sendto', 'sendmsg']);

const DUMP = /^ \| ([0-9a-f]{5,}) {2}(.*)$/;
const IOV = /^ \* \d+ bytes in buffer \d+$/;
const PREFIX = /^(?:\[pid\s+(\d+)\]\s+|(\d+)\s+)?(?:(?:\d{2}:\d{2}:\d{2}(?:\.\d+)?|\d+\.\d+)\s+)?(.*)$/;

/** Does `text` look like strace output with netlink hex dumps? (Format detection.) */
export function looksLikeStrace(text: string): boolean {
  if (/(^|\n)(?:\[pid\s+\d+\]\s+|\d+\s+)?(?:[\d:.]+\s+)?(sendto|sendmsg|recvmsg|recvfrom)\(\d+/.test(text) && /\n \| 0{5,} {2}/.test(text)) return true;
  // Any strace log, also one without netlink calls or taken without -e write/-e read (most
  // are): lines of `name(args) = result`, `+++ exited with N +++`, `--- SIGCHLD {…} ---`.
  const lines = text.split('\n', 200).filter((l) => l.trim() !== '');
  if (!lines.length) return false;
  const call = /^(?:\[pid\s+\d+\]\s+|\d+\s+)?(?:[\d:.]+\s+)?(?:[a-z_][a-z0-9_]*\(.*(?:\)\s+=\s+(?:-?\d+|0x[0-9a-f]+|\?)|<unfinished \.\.\.>$)|<\.\.\. [a-z_0-9]+ resumed>|\+\+\+ (?:exited with \d+|killed by \w+)|--- SIG\w+ )/;
  const hits = lines.filter((l) => call.test(l)).length;
  return hits >= Math.max(1, Math.ceil(lines.length / 2));
}

/** Parse an strace log; see the module comment for what it reads. */
export function parseStrace(text: string): StraceParse {
  const calls: Syscall[] = [];
  const exits = new Map<number, string>();
  const warnings: string[] = [];
  const unfinished = new Map<number, string>();
  let cur: Syscall | undefined;
  let expectOffset = 0;
  const lines = text.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!.replace(/\r$/, '');
    const dump = DUMP.exec(line);
    if (dump) {
      if (!cur) continue; // dump of a syscall we do not keep
      const off = parseInt(dump[1]!, 16);
      if (off !== expectOffset) throw new StraceParseError(`hex dump offset ${dump[1]} where ${expectOffset.toString(16).padStart(5, '0')} was expected`, ln + 1);
      // 16 slots of "xx " with one extra space after the 8th: 49 columns, then the ASCII column.
      const bytes = dump[2]!.slice(0, 49).trim().split(/\s+/).filter((t) => t !== '');
      for (const b of bytes) {
        if (!/^[0-9a-f]{2}$/.test(b)) throw new StraceParseError(`bad hex dump line: ${line.trim()}`, ln + 1);
        cur.bytes.push(parseInt(b, 16));
      }
      expectOffset += bytes.length;
      continue;
    }
    if (IOV.test(line)) {
      // sendmsg/recvmsg: one dump per iovec, each from offset 0; the buffers concatenate in order.
      expectOffset = 0;
      continue;
    }
    cur = undefined;
    expectOffset = 0;
    const m = PREFIX.exec(line);
    if (!m || m[3] === undefined || m[3] === '') continue;
    const pid = Number(m[1] ?? m[2] ?? 0);
    let body = m[3];
    const exit = /^\+\+\+ (exited with \d+|killed by .*) \+\+\+$/.exec(body);
    if (exit) { exits.set(pid, exit[1]!); continue; }
    if (body.endsWith('<unfinished ...>')) {
      unfinished.set(pid, body.slice(0, -'<unfinished ...>'.length).trimEnd());
      continue;
    }
    const resumed = /^<\.\.\. (\w+) resumed>(.*)$/.exec(body);
    if (resumed) {
      body = `${unfinished.get(pid) ?? `${resumed[1]}(?`}${resumed[2]}`;
      unfinished.delete(pid);
    }
    const call = /^(\w+)\((\d+)(?:<([^>]*)>)?,(.*)\)\s+=\s+(-?\d+)/.exec(body);
    if (!call || !CALLS.has(call[1]!)) continue;
    const annot = call[3];
    // `NETLINK:[ROUTE:4536]` (protocol:port id); a socket not yet bound (autobind happens on
    // the first send) shows only `NETLINK:[inode]` — its protocol is filled in below.
    const nl = annot !== undefined ? /^NETLINK:\[(?:([A-Za-z0-9_]+):)?\d+\]$/.exec(annot) : null;
    // MSG_PEEK is a flag argument; ignore msg_flags=… (returned flags) when looking for it.
    const peek = /\bMSG_PEEK\b/.test(call[4]!.replace(/msg_flags=[A-Z_|0-9x]+/g, ''));
    cur = {
      pid, name: call[1]!, fd: Number(call[2]), ret: Number(call[5]), peek, bytes: [], line: ln + 1,
      ...(annot !== undefined && { annotation: annot }), ...(nl && { family: nl[1] ?? '?' }),
    };
    if (annot !== undefined && !nl) warnings.push(`${call[1]} on fd ${call[2]} is not a netlink socket (${annot}); skipped`);
    calls.push(cur);
  }
  // Unbound sockets: take the protocol strace shows for the same fd later (else earlier).
  calls.forEach((c, i) => {
    if (c.family !== '?') return;
    const same = (o: Syscall): boolean => o.fd === c.fd && o.family !== undefined && o.family !== '?';
    const later = calls.slice(i + 1);
    const earlier = calls.slice(0, i).reverse();
    const found = later.find((o) => same(o) && o.pid === c.pid) ?? later.find(same)
      ?? earlier.find((o) => same(o) && o.pid === c.pid) ?? earlier.find(same);
    c.family = found?.family ?? 'UNKNOWN';
  });
  return { calls, exits, warnings };
}
