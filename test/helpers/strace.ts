/**
 * Render fixture frames as strace would print them with `-e write=all -e read=all` (the
 * layout of strace 6.1's hex dumps: ` | OFFSET  16 hex bytes in two groups of 8  ASCII |`),
 * in the three prefix styles: `-f -o FILE` (pid column), `-f` to stderr (`[pid N] `), no `-f`.
 */
import type { Frame } from '../../src/netlink/fixture.js';

export type PrefixStyle = 'pid' | 'bracket' | 'none';

function hexdump(b: Buffer): string[] {
  const out: string[] = [];
  for (let o = 0; o < b.length; o += 16) {
    const row = [...b.subarray(o, o + 16)].map((x) => x.toString(16).padStart(2, '0'));
    const hex = `${row.slice(0, 8).join(' ')}  ${row.slice(8).join(' ')}`.padEnd(49);
    const ascii = [...b.subarray(o, o + 16)].map((x) => (x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.')).join('').padEnd(16);
    out.push(` | ${o.toString(16).padStart(5, '0')}  ${hex}  ${ascii} |`);
  }
  return out;
}

export function straceText(frames: readonly Frame[], opts: { readonly style?: PrefixStyle; readonly yy?: boolean; readonly time?: boolean; readonly family?: string } = {}): string {
  const pid = 4242;
  const style = opts.style ?? 'pid';
  const pre = style === 'pid' ? `${pid}  ` : style === 'bracket' ? `[pid ${pid}] ` : '';
  const ts = opts.time ? '14:09:47.102115 ' : '';
  const fd = (opts.yy ?? true) ? `3<NETLINK:[${opts.family ?? 'ROUTE'}:${pid}]>` : '3';
  const lines: string[] = [];
  for (const f of frames) {
    if (f.dir === 'send') {
      lines.push(`${pre}${ts}sendto(${fd}, [{nlmsg_len=${f.bytes.length}, ...}], ${f.bytes.length}, 0, NULL, 0) = ${f.bytes.length}`);
    } else {
      // A peek first, as iproute2 does, then the real read.
      lines.push(`${pre}${ts}recvmsg(${fd}, {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, msg_namelen=12, msg_iov=[{iov_base=NULL, iov_len=0}], msg_iovlen=1, msg_controllen=0, msg_flags=MSG_TRUNC}, MSG_PEEK|MSG_TRUNC) = ${f.bytes.length}`);
      lines.push(`${pre}${ts}recvmsg(${fd}, {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, msg_namelen=12, msg_iov=[{iov_base=[...], iov_len=32768}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = ${f.bytes.length}`);
      lines.push(` * ${f.bytes.length} bytes in buffer 0`);
    }
    lines.push(...hexdump(f.bytes));
  }
  lines.push(`${pre}+++ exited with 0 +++`);
  return lines.join('\n') + '\n';
}
