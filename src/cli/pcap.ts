/**
 * pcap and pcapng files with LINKTYPE_NETLINK (253) packets, as tcpdump/Wireshark write them
 * from an nlmon device. Per https://www.tcpdump.org/linktypes/LINKTYPE_NETLINK.html each packet
 * starts with a 16-byte Linux cooked header (SLL): 2 bytes packet type, 2 bytes ARPHRD type
 * (ARPHRD_NETLINK = 824, big-endian), 10 bytes unused (address length and address), 2 bytes
 * protocol — the netlink protocol number (NETLINK_ROUTE = 0, NETLINK_NETFILTER = 12), big-endian —
 * then the netlink messages of one datagram.
 */
import { CaptureError, type CaptureFrame } from './capture.js';

export const LINKTYPE_NETLINK = 253;
/** Size of the cooked header before each packet's netlink messages. */
export const SLL_HDRLEN = 16;
/** sll_pkttype values nlmon sets (<linux/if_packet.h>): who the datagram was delivered to. */
const PKTTYPE: Readonly<Record<number, string>> = { 0: 'PACKET_HOST', 4: 'PACKET_OUTGOING', 6: 'PACKET_USER', 7: 'PACKET_KERNEL' };

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;

export function isPcap(b: Buffer): boolean {
  if (b.length < 4) return false;
  const le = b.readUInt32LE(0), be = b.readUInt32BE(0);
  return le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS || be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS;
}

export const isPcapng = (b: Buffer): boolean => b.length >= 4 && b.readUInt32LE(0) === PCAPNG_SHB;

/** One packet: strip and read the cooked header. `where` names it in errors and labels. */
function packetFrame(data: Buffer, at: number, n: number, ts: string): CaptureFrame {
  if (data.length < SLL_HDRLEN) throw new CaptureError(`packet ${n} has ${data.length} bytes, less than the 16-byte cooked header`, at);
  const pkttype = data.readUInt16BE(0);
  const hatype = data.readUInt16BE(2);
  const protocol = data.readUInt16BE(14);
  const note = hatype === 824 ? '' : `, ARPHRD ${hatype} (not ARPHRD_NETLINK)`;
  return {
    label: `packet ${n} ${ts}, ${PKTTYPE[pkttype] ?? `pkttype ${pkttype}`}, netlink protocol ${protocol}${note}, ${data.length - SLL_HDRLEN} bytes`,
    bytes: data.subarray(SLL_HDRLEN),
    protocol,
    fileOffset: at + SLL_HDRLEN,
  };
}

/** Frames of a classic pcap file, appended to `frames` (which keeps what was read if this throws) (either byte order, µs or ns timestamps). */
export function readPcap(b: Buffer, frames: CaptureFrame[] = []): CaptureFrame[] {
  if (b.length < 24) throw new CaptureError('pcap file shorter than its 24-byte header', 0);
  const le = b.readUInt32LE(0) === PCAP_MAGIC_US || b.readUInt32LE(0) === PCAP_MAGIC_NS;
  const u32 = (o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const nano = u32(0) === PCAP_MAGIC_NS;
  const linktype = u32(20) & 0x0fffffff; // upper bits: FCS length
  if (linktype !== LINKTYPE_NETLINK) throw new CaptureError(`pcap link type ${linktype} is not LINKTYPE_NETLINK (253): not a netlink capture`, 20);
  let off = 24;
  while (off < b.length) {
    if (off + 16 > b.length) throw new CaptureError(`truncated pcap record header (${b.length - off} of 16 bytes)`, off);
    const sec = u32(off), frac = u32(off + 4), incl = u32(off + 8);
    if (off + 16 + incl > b.length) throw new CaptureError(`pcap record ${frames.length + 1} claims ${incl} bytes, ${b.length - off - 16} left: truncated`, off);
    const ts = `${sec}.${String(frac).padStart(nano ? 9 : 6, '0')}`;
    frames.push(packetFrame(b.subarray(off + 16, off + 16 + incl), off + 16, frames.length + 1, ts));
    off += 16 + incl;
  }
  return frames;
}

/** Smallest total length of the blocks read here (fixed fields + the two length words). */
const MIN_BLOCK: Readonly<Record<number, number>> = { [PCAPNG_SHB]: 28, 1: 20, 3: 16, 6: 32 };

/** Frames of a pcapng file, appended to `frames` (kept if this throws): Enhanced (and Simple) Packet Blocks on LINKTYPE_NETLINK interfaces. */
export function readPcapng(b: Buffer, frames: CaptureFrame[] = []): CaptureFrame[] {
  let le = true;
  const u32 = (o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const u16 = (o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  let links: number[] = [];
  let off = 0;
  let n = 0;
  while (off < b.length) {
    if (off + 12 > b.length) throw new CaptureError(`truncated pcapng block header (${b.length - off} bytes left)`, off);
    const type = b.readUInt32LE(off);
    if (type === PCAPNG_SHB) {
      // A new section: its byte-order magic sets the endianness of everything up to the next one.
      const bom = b.readUInt32LE(off + 8);
      if (bom === PCAPNG_BOM) le = true;
      else if (b.readUInt32BE(off + 8) === PCAPNG_BOM) le = false;
      else throw new CaptureError('pcapng section header has no byte-order magic', off + 8);
      links = [];
    }
    const btype = u32(off), len = u32(off + 4);
    if (len < 12 || len % 4 !== 0 || off + len > b.length) throw new CaptureError(`pcapng block of type ${btype} claims ${len} bytes, ${b.length - off} left: truncated or corrupt`, off);
    const least = MIN_BLOCK[btype] ?? 12;
    if (len < least) throw new CaptureError(`pcapng block of type ${btype} claims ${len} bytes, less than the ${least} its fixed fields take: corrupt`, off);
    if (btype === 1) links.push(u16(off + 8)); // Interface Description Block: LinkType
    else if (btype === 6 || btype === 3) {
      n++;
      let ifc = 0, cap: number, data: number, ts = '';
      if (btype === 6) { // Enhanced Packet Block
        ifc = u32(off + 8);
        const hi = u32(off + 12), lo = u32(off + 16);
        ts = `@${(BigInt(hi) << 32n) | BigInt(lo)}`;
        cap = u32(off + 20);
        data = off + 28;
      } else { // Simple Packet Block: interface 0, captured = min(original, block room)
        cap = Math.min(u32(off + 8), len - 16);
        data = off + 12;
      }
      if (data + cap > off + len) throw new CaptureError(`pcapng packet ${n} claims ${cap} bytes beyond its block`, off);
      const lt = links[ifc];
      if (lt === undefined) throw new CaptureError(`pcapng packet ${n} refers to interface ${ifc}, which no Interface Description Block declared`, off);
      if (lt === LINKTYPE_NETLINK) frames.push(packetFrame(b.subarray(data, data + cap), data, n, ts));
    }
    off += len;
  }
  if (links.length && !frames.length && n) throw new CaptureError(`no packet of this pcapng capture is on a LINKTYPE_NETLINK (253) interface`, 0);
  return frames;
}
