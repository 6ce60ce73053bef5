/**
 * Address/prefix text as `ip` accepts it: `192.168.15.1/24`, `fd00::1/64`, a bare address
 * (a host prefix: /32 or /128), and `default` for routes. Parsed before any syscall; bad
 * input is a RangeError naming the field.
 */
import { formatIPv4, ipFamily, writeIPv4, writeIPv6, formatIPv6 } from '../netlink/ip.js';

/** An address with its prefix length and family, parsed by {@link parsePrefix}. */
export interface Prefix {
  /** 4 or 6. */
  readonly family: 4 | 6;
  /** The address as written (canonical text), host bits kept: `192.168.15.1`. */
  readonly address: string;
  readonly prefixlen: number;
}

/** AF_INET / AF_INET6 for a family number. */
export const afOf = (family: 4 | 6): number => (family === 4 ? 2 : 10);

/**
 * Parse `addr[/len]`. `field` names the argument in errors. With `defaultFamily`, the word
 * `default` (or `any`) means 0.0.0.0/0 or ::/0.
 */
export function parsePrefix(text: string, field: string, defaultFamily?: 4 | 6): Prefix {
  if (typeof text !== 'string') throw new TypeError(`${field}: expected a string like "192.168.15.1/24", got ${typeof text}`);
  if (defaultFamily && (text === 'default' || text === 'any' || text === 'all')) {
    return { family: defaultFamily, address: defaultFamily === 4 ? '0.0.0.0' : '::', prefixlen: 0 };
  }
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text : text.slice(0, slash);
  const family = ipFamily(addr);
  if (family === 0) throw new RangeError(`${field}: "${addr}" is not an IPv4 or IPv6 address`);
  const max = family === 4 ? 32 : 128;
  let prefixlen = max;
  if (slash !== -1) {
    const lenText = text.slice(slash + 1);
    // No leading zeros: `ip` would read "/024" as octal (strtoul base 0); refuse the ambiguity.
    if (!/^(0|[1-9]\d{0,2})$/.test(lenText) || Number(lenText) > max) throw new RangeError(`${field}: prefix length "${lenText}" must be 0..${max} in "${text}"`);
    prefixlen = Number(lenText);
  }
  return { family, address: canonical(addr, family), prefixlen };
}

/** One scratch buffer for the parse → format round trips below (each call is synchronous). */
const SCRATCH = Buffer.alloc(16);

function canonical(addr: string, family: 4 | 6): string {
  const b = SCRATCH;
  // writeIPv4 accepts only the canonical dotted quad (4 parts, 0..255, no leading zeros), so a
  // valid IPv4 text is already its canonical form.
  if (family === 4) return addr;
  writeIPv6(addr, b, 0);
  return formatIPv6(b, 0);
}

/** The IPv4 broadcast of a prefix (`ip addr add … brd +`): host bits all ones. */
export function broadcastOf(p: Prefix): string {
  if (p.family !== 4) throw new RangeError('broadcast: IPv6 has no broadcast address');
  const b = SCRATCH;
  writeIPv4(p.address, b, 0);
  const v = b.readUInt32BE(0);
  const host = p.prefixlen === 32 ? 0 : (0xffffffff >>> p.prefixlen);
  b.writeUInt32BE((v | host) >>> 0, 0);
  return formatIPv4(b, 0);
}

/** The network address of a prefix (host bits cleared), e.g. for route destinations. */
export function networkOf(p: Prefix): string {
  // A host prefix is its own network (the common bulk case: no second parse).
  if (p.prefixlen === (p.family === 4 ? 32 : 128)) return p.address;
  if (p.family === 4) {
    // Integer arithmetic: the common bulk case (10k /32 routes) then allocates nothing.
    writeIPv4(p.address, SCRATCH, 0);
    const v = SCRATCH.readUInt32BE(0);
    const net = p.prefixlen === 0 ? 0 : (v & (0xffffffff << (32 - p.prefixlen))) >>> 0;
    if (net === v) return p.address;
    SCRATCH.writeUInt32BE(net, 0);
    return formatIPv4(SCRATCH, 0);
  }
  const n = 16;
  const b = SCRATCH;
  writeIPv6(p.address, b, 0);
  for (let i = 0; i < n; i++) {
    const bits = Math.max(0, Math.min(8, p.prefixlen - 8 * i));
    b[i] = b[i]! & ((0xff << (8 - bits)) & 0xff);
  }
  return formatIPv6(b, 0);
}
