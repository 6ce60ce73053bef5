/**
 * What only rtnetlink needs on top of the core (src/netlink/kinds.ts, schema.ts): the options
 * all its attribute sets share, and a few kinds for payloads the kernel writes in a way the
 * core kinds cannot reproduce byte for byte.
 */
import { DecodeError } from '../netlink/errors.js';
import { bytes, lladdr, s32, u32, type Kind, type Path } from '../netlink/kinds.js';
import type { AttrSetOptions } from '../netlink/schema.js';
import { realmName } from './iproute2-tables.js';

const where = (path: Path): string => (path.length ? path.join('.') : 'value');

/**
 * Options for every rtnetlink attribute set: nested attributes are encoded WITHOUT
 * NLA_F_NESTED unless their declaration says `nestedFlag: true`.
 *
 * Every rtnetlink nest that predates Linux 5.2 (IFLA_LINKINFO, IFLA_INFO_DATA, IFLA_AF_SPEC,
 * IFLA_XDP, RTA_METRICS, …) is written by the kernel with nla_nest_start_noflag(), and its
 * legacy parsers accept it that way — it is also how iproute2 sends them. Newer nests
 * (IFLA_PROP_LIST, IFLA_PROTO_DOWN_REASON, …) use nla_nest_start() and carry the flag; their
 * declarations say so. Either way a decoded dump re-encodes byte for byte.
 */
export const RTNL_SET: AttrSetOptions = { nestedFlag: false };

/**
 * Opaque bytes of a nest whose inner attributes this library does not model
 * (IFLA_DEVLINK_PORT, IFLA_DPLL_PIN, …). It counts as nested, so a declaration with
 * `nestedFlag: true` writes NLA_F_NESTED as the kernel does.
 */
export const nestedBytes: Kind<Buffer> = { ...bytes, kindName: 'nested bytes', nested: true };

/** A 6-byte Ethernet address as a fixed struct field (ETH_ALEN), e.g. in struct ifla_bridge_id. */
export const etherAddr: Kind<string> = {
  ...lladdr,
  kindName: 'ether addr',
  fixedSize: 6,
  size(v, path) {
    const n = lladdr.size(v, path);
    if (n !== 6) throw new RangeError(`${where(path)}: "${v}" is ${n} bytes; an Ethernet address is 6`);
    return 6;
  },
  read: (buf, start) => lladdr.read(buf, start, start + 6, []),
};

/**
 * NLA_UINT (<net/netlink.h> `nla_put_uint()`): an unsigned integer the kernel writes in 4 bytes
 * when it fits and in 8 otherwise. Decoded as a number from 4 bytes and a bigint from 8, so the
 * width survives the round trip; on encode a number takes 4 bytes, a bigint 8.
 */
export const uint: Kind<number | bigint> = {
  kindName: 'uint',
  size(v, path) {
    if (typeof v === 'bigint') {
      if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError(`${where(path)}: ${v} is out of range for a u64`);
      return 8;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new TypeError(`${where(path)}: expected an integer 0..2^32-1 or a bigint, got ${String(v)}`);
    }
    return 4;
  },
  write: (v, buf, off) => (typeof v === 'bigint' ? buf.writeBigUInt64LE(v, off) : buf.writeUInt32LE(v, off)),
  read(buf, start, end, path) {
    if (end - start === 4) return buf.readUInt32LE(start);
    if (end - start === 8) return buf.readBigUInt64LE(start);
    throw new DecodeError(`an NLA_UINT is 4 or 8 bytes, got ${end - start}`, path, start);
  },
  describe: (v) => String(v),
};

/**
 * A packed C array of one fixed-size integer kind filling the whole payload — e.g.
 * IFLA_INET6_CONF (`__s32[DEVCONF_MAX]`) or IFLA_INET6_STATS (`__u64[IPSTATS_MIB_MAX]`), which
 * the kernel indexes by enum position rather than by attribute.
 */
export function vectorOf<T>(elem: Kind<T>): Kind<T[]> {
  const n = elem.fixedSize;
  if (n === undefined) throw new Error(`vectorOf(${elem.kindName}): element kind has no fixed size`);
  const view = (elem as Kind<unknown>) === u32 ? Uint32Array : (elem as Kind<unknown>) === s32 ? Int32Array : undefined;
  return {
    kindName: `${elem.kindName}[]`,
    size(v, path) {
      if (!Array.isArray(v)) throw new TypeError(`${where(path)}: expected an array of ${elem.kindName}`);
      v.forEach((x, i) => elem.size(x, [...path, `[${i}]`]));
      return v.length * n;
    },
    write(v, buf, off) {
      for (const x of v) off = elem.write(x, buf, off);
      return off;
    },
    read(buf, start, end, path) {
      if ((end - start) % n !== 0) throw new DecodeError(`${end - start} bytes is not a whole number of ${elem.kindName}`, path, start);
      // 32-bit vectors (the devconf arrays every link dump carries: ~90 values per link) are
      // copied by a builtin through a typed-array view — host byte order, as the kernel wrote
      // them — which stays fast before V8 has optimised any of our code.
      const at = buf.byteOffset + start;
      if (view !== undefined && (at & 3) === 0) return Array.from(new view(buf.buffer as ArrayBuffer, at, (end - start) >> 2)) as T[];
      const out: T[] = [];
      for (let o = start; o < end; o += n) out.push(elem.read(buf, o, o + n, path));
      return out;
    },
    describe: (v) => `[${v.map((x) => elem.describe(x, '')).join(' ')}]`,
  };
}

/**
 * A link-layer address in a fixed zero-padded array, e.g. `__u8 mac[32]` of struct ifla_vf_mac
 * and struct ifla_vf_broadcast (the kernel copies dev->addr_len bytes and zeroes the rest).
 * Read as the address with the trailing zero bytes dropped, but never shorter than an Ethernet
 * address (`00:00:00:00:00:00` stays whole; a 20-byte InfiniBand address keeps its 20); written
 * back padded with zeros, so a decoded value re-encodes byte for byte.
 */
export function paddedLladdr(n: number): Kind<string> {
  return {
    ...lladdr,
    kindName: `lladdr[${n}]`,
    fixedSize: n,
    exact: true,
    size(v, path) {
      const len = lladdr.size(v, path);
      if (len > n) throw new RangeError(`${where(path)}: "${v}" is ${len} bytes; at most ${n} fit`);
      return n;
    },
    write(v, buf, off) {
      const end = lladdr.write(v, buf, off);
      buf.fill(0, end, off + n);
      return off + n;
    },
    read(buf, start, end, path) {
      if (end - start < n) throw new DecodeError(`lladdr[${n}] needs ${n} bytes, got ${end - start}`, path, start);
      let last = start + n;
      while (last > start + 6 && buf[last - 1] === 0) last--;
      return lladdr.read(buf, start, last, path);
    },
  };
}

/** A 16-byte UUID (IFLA_PORT_INSTANCE_UUID / IFLA_PORT_HOST_UUID) as `8-4-4-4-12` hex. */
export const uuid: Kind<string> = {
  kindName: 'uuid',
  fixedSize: 16,
  exact: true,
  size(v, path) {
    if (typeof v !== 'string' || !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(v)) {
      throw new TypeError(`${where(path)}: expected a UUID like "01234567-89ab-cdef-0123-456789abcdef", got ${JSON.stringify(v)}`);
    }
    return 16;
  },
  write(v, buf, off) {
    return off + Buffer.from(v.replace(/-/g, ''), 'hex').copy(buf, off);
  },
  read(buf, start, end, path) {
    if (end - start < 16) throw new DecodeError(`a UUID is 16 bytes, got ${end - start}`, path, start);
    const h = buf.toString('hex', start, start + 16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  },
  describe: (v) => v,
};

/**
 * RTA_FLOW / FRA_FLOW: the realms of a route or rule, `from << 16 | to`, a u32 on the wire and
 * in decoded values; described as ip prints them (`realms 3/4`, `realm cosmos`), names from
 * /etc/iproute2/rt_realms.
 */
export const realmsU32: Kind<number> = {
  ...u32,
  kindName: 'realms',
  describe(v) {
    const from = v >>> 16, to = v & 0xffff;
    return from ? `realms ${realmName(from)}/${realmName(to)} (${v})` : `realm ${realmName(to)} (${v})`;
  },
};
