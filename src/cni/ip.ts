/** Address arithmetic for IPAM: addresses as bigints, text in Go's net.IP.String() form (RFC 5952). */
import { formatIPv6, writeIPv4, writeIPv6 } from '../netlink/ip.js';

export interface Ip {
  readonly v6: boolean;
  readonly n: bigint;
}

export interface IpNet {
  readonly ip: Ip;
  readonly len: number;
}

const SCRATCH = Buffer.alloc(16);

/** Parse an address; undefined if it is neither IPv4 nor IPv6 text. */
export function parseIp(s: unknown): Ip | undefined {
  if (typeof s !== 'string') return undefined;
  if (writeIPv4(s, SCRATCH, 0)) return { v6: false, n: BigInt(SCRATCH.readUInt32BE(0)) };
  if (writeIPv6(s, SCRATCH, 0)) {
    // An IPv4-mapped IPv6 address is the IPv4 address (Go's To4()).
    if (SCRATCH.readBigUInt64BE(0) === 0n && SCRATCH.readUInt32BE(8) === 0xffff) return { v6: false, n: BigInt(SCRATCH.readUInt32BE(12)) };
    return { v6: true, n: (SCRATCH.readBigUInt64BE(0) << 64n) | SCRATCH.readBigUInt64BE(8) };
  }
  return undefined;
}

/** Parse `ADDR/LEN`; undefined when malformed. */
export function parseIpNet(s: unknown): IpNet | undefined {
  if (typeof s !== 'string') return undefined;
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(s.slice(0, slash));
  const lenText = s.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(lenText)) return undefined;
  const len = Number(lenText);
  if (len > bits(ip)) return undefined;
  return { ip, len };
}

export const bits = (ip: Ip): number => (ip.v6 ? 128 : 32);

export function formatIp(ip: Ip): string {
  if (!ip.v6) {
    const n = Number(ip.n);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  SCRATCH.writeBigUInt64BE(ip.n >> 64n, 0);
  SCRATCH.writeBigUInt64BE(ip.n & 0xffffffffffffffffn, 8);
  return formatIPv6(SCRATCH, 0);
}

export const formatIpNet = (n: IpNet): string => `${formatIp(n.ip)}/${n.len}`;

export function maskOf(v6: boolean, len: number): bigint {
  const b = BigInt(v6 ? 128 : 32);
  return ((1n << b) - 1n) ^ ((1n << (b - BigInt(len))) - 1n);
}

export const networkOf = (n: IpNet): IpNet => ({ ip: { v6: n.ip.v6, n: n.ip.n & maskOf(n.ip.v6, n.len) }, len: n.len });

export function contains(net: IpNet, ip: Ip): boolean {
  return net.ip.v6 === ip.v6 && (ip.n & maskOf(ip.v6, net.len)) === (net.ip.n & maskOf(ip.v6, net.len));
}

export const sameIp = (a: Ip | undefined, b: Ip | undefined): boolean => !!a && !!b && a.v6 === b.v6 && a.n === b.n;
export const nextIp = (ip: Ip): Ip => ({ v6: ip.v6, n: ip.n + 1n });
