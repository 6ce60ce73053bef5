/**
 * Alignment, as the kernel's macros in <linux/netlink.h>:
 *   #define NLMSG_ALIGNTO 4U
 *   #define NLMSG_ALIGN(len) ( ((len)+NLMSG_ALIGNTO-1) & ~(NLMSG_ALIGNTO-1) )
 *   #define NLA_ALIGNTO   4
 *   #define NLA_ALIGN(len) (((len) + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1))
 */
export const NLMSG_ALIGNTO = 4;
export const NLA_ALIGNTO = 4;
export const nlmsgAlign = (len: number): number => (len + 3) & ~3;
export const nlaAlign = (len: number): number => (len + 3) & ~3;
/** sizeof(struct nlmsghdr) = NLMSG_HDRLEN */
export const NLMSG_HDRLEN = 16;
/** NLA_HDRLEN: sizeof(struct nlattr) aligned. */
export const NLA_HDRLEN = 4;

/** Zero `buf[from, to)`: a loop for alignment padding (≤3 bytes), where Buffer.fill's native call costs more. */
export function zeroPad(buf: Buffer, from: number, to: number): void {
  if (to - from > 16) buf.fill(0, from, to);
  else for (let i = from; i < to; i++) buf[i] = 0;
}
