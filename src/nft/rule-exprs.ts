/**
 * The small pieces RuleBuilder compiles matches from: prefix and port parsing, the protocol and
 * conntrack-state names, and the load/compare expressions nft emits (always into NFT_REG_1).
 */
import { writeIPv4, writeIPv6 } from '../netlink/ip.js';
import { NFT_REG_1 } from './constants.js';
import type { ExprAttrs } from './expr.schema.js';
import { META_KEY_NAMES } from './expr/meta.js';

/** IPPROTO_* by name. */
export const L4PROTOS: Readonly<Record<string, number>> = { icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, icmpv6: 58, sctp: 132, udplite: 136 };
/** NF_CT_STATE_* bits. */
export const CT_STATES: Readonly<Record<string, number>> = { invalid: 1, established: 2, related: 4, new: 8, untracked: 64 };
export const LIMIT_UNITS: Readonly<Record<string, bigint>> = { second: 1n, minute: 60n, hour: 3600n, day: 86400n, week: 604800n };

/** Parse `a.b.c.d/len` or `x::/len` (a bare address is /32 or /128). Host bits must be zero, as nft requires. */
export function parsePrefix(cidr: unknown, field: string): { v6: boolean; addr: Buffer; len: number } {
  if (typeof cidr !== 'string') throw new TypeError(`${field}: expected an address or prefix string`);
  const [a, l, extra] = cidr.split('/');
  const buf = Buffer.alloc(16);
  let v6 = false;
  if (writeIPv4(a ?? '', buf, 0)) v6 = false;
  else if (writeIPv6(a ?? '', buf, 0)) v6 = true;
  else throw new RangeError(`${field}: ${JSON.stringify(cidr)} is not an IP address or prefix`);
  const max = v6 ? 128 : 32;
  const len = l === undefined ? max : Number(l);
  if (extra !== undefined || !Number.isInteger(len) || len < 0 || len > max || (l !== undefined && !/^\d+$/.test(l))) {
    throw new RangeError(`${field}: ${JSON.stringify(cidr)}: prefix length must be 0..${max}`);
  }
  const addr = buf.subarray(0, max / 8);
  for (let bit = len; bit < max; bit++) {
    if (addr[bit >> 3]! & (0x80 >> (bit & 7))) throw new RangeError(`${field}: ${JSON.stringify(cidr)} has host bits set`);
  }
  return { v6, addr: Buffer.from(addr), len };
}

export function checkPort(p: unknown, field: string): number {
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 65535) throw new RangeError(`${field}: ${JSON.stringify(p)} is not a port (0..65535)`);
  return p;
}
export const be16 = (n: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
export const le32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; };

export const cmp = (op: number, value: Buffer): ExprAttrs => ({ name: 'cmp', data: { sreg: NFT_REG_1, op, data: { value } } });
export const metaLoad = (key: number): ExprAttrs => ({ name: 'meta', data: { key, dreg: NFT_REG_1 } });
export const payloadLoad = (base: number, offset: number, len: number): ExprAttrs => ({ name: 'payload', data: { dreg: NFT_REG_1, base, offset, len } });
export const META = Object.fromEntries(Object.entries(META_KEY_NAMES).map(([k, v]) => [v, Number(k)])) as Record<string, number>;
