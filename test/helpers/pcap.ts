/**
 * Writers for pcap and pcapng files with LINKTYPE_NETLINK packets, to turn fixtures into
 * captures as tcpdump -i nlmon0 would write them (layout per tcpdump.org's LINKTYPE_NETLINK
 * page: a 16-byte cooked header — pkttype, ARPHRD_NETLINK (824), 10 unused bytes, the netlink
 * protocol, all big-endian — then the datagram).
 */
export interface Packet { readonly bytes: Buffer; readonly protocol: number; readonly pkttype?: number }

function sll(p: Packet): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(p.pkttype ?? 0, 0);
  h.writeUInt16BE(824, 2);
  h.writeUInt16BE(p.protocol, 14);
  return Buffer.concat([h, p.bytes]);
}

/** A classic pcap file (microsecond timestamps) in the given byte order. */
export function pcap(packets: readonly Packet[], bigEndian = false): Buffer {
  const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); if (bigEndian) b.writeUInt32BE(v); else b.writeUInt32LE(v); return b; };
  const u16 = (v: number): Buffer => { const b = Buffer.alloc(2); if (bigEndian) b.writeUInt16BE(v); else b.writeUInt16LE(v); return b; };
  const parts = [u32(0xa1b2c3d4), u16(2), u16(4), u32(0), u32(0), u32(262144), u32(253)];
  packets.forEach((p, i) => {
    const d = sll(p);
    parts.push(u32(1700000000 + i), u32(i * 1000), u32(d.length), u32(d.length), d);
  });
  return Buffer.concat(parts);
}

const pad4 = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);

function block(type: number, body: Buffer): Buffer {
  const len = 12 + body.length;
  const h = Buffer.alloc(8); h.writeUInt32LE(type, 0); h.writeUInt32LE(len, 4);
  const t = Buffer.alloc(4); t.writeUInt32LE(len, 0);
  return Buffer.concat([h, body, t]);
}

/** A little-endian pcapng file: SHB, one IDB (LINKTYPE_NETLINK), one EPB per packet. */
export function pcapng(packets: readonly Packet[]): Buffer {
  const shb = Buffer.alloc(16); shb.writeUInt32LE(0x1a2b3c4d, 0); shb.writeUInt16LE(1, 4); shb.writeUInt16LE(0, 6); shb.writeBigInt64LE(-1n, 8);
  const idb = Buffer.alloc(8); idb.writeUInt16LE(253, 0); idb.writeUInt32LE(0, 4);
  const blocks = [block(0x0a0d0d0a, shb), block(1, idb)];
  packets.forEach((p, i) => {
    const d = sll(p);
    const h = Buffer.alloc(20); h.writeUInt32LE(0, 0); h.writeUInt32LE(0, 4); h.writeUInt32LE(i, 8); h.writeUInt32LE(d.length, 12); h.writeUInt32LE(d.length, 16);
    blocks.push(block(6, Buffer.concat([h, pad4(d)])));
  });
  return Buffer.concat(blocks);
}
