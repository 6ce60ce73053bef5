/**
 * RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE layout (rtnetlink(7)): struct rtmsg followed by
 * RTA_* attributes, from <linux/rtnetlink.h> (`enum rtattr_type_t`, RTAX_*, struct rtnexthop,
 * struct rta_cacheinfo) — the single source of truth for route attribute numbers.
 */
import { DecodeError } from '../../netlink/errors.js';
import {
  be16, be32, bytes, enumOf, flagsOf, ipaddr, s32, string0, u16, u32, u64, u8, type Kind,
} from '../../netlink/kinds.js';
import { nlaAlign } from '../../netlink/align.js';
import { ipFamily } from '../../netlink/ip.js';
import { attrs, nested, struct, type AttrValues, type Container, type StructValue } from '../../netlink/schema.js';
import { AF_NAMES } from '../family.js';
import { RTNL_SET, realmsU32 } from '../kinds.js';

const names = (o: Readonly<Record<string, number>>, prefix: string): Record<number, string> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [v, k.slice(prefix.length)]));

/** `rtm_type` values (<linux/rtnetlink.h> `enum { RTN_UNSPEC, … }`). */
export const RTN = {
  RTN_UNSPEC: 0,
  RTN_UNICAST: 1,
  RTN_LOCAL: 2,
  RTN_BROADCAST: 3,
  RTN_ANYCAST: 4,
  RTN_MULTICAST: 5,
  RTN_BLACKHOLE: 6,
  RTN_UNREACHABLE: 7,
  RTN_PROHIBIT: 8,
  RTN_THROW: 9,
  RTN_NAT: 10,
  RTN_XRESOLVE: 11,
} as const;

/** `rtm_protocol` values: who installed the route (RTPROT_*, <linux/rtnetlink.h>). */
export const RTPROT = {
  RTPROT_UNSPEC: 0,
  RTPROT_REDIRECT: 1,
  RTPROT_KERNEL: 2,
  RTPROT_BOOT: 3,
  RTPROT_STATIC: 4,
  RTPROT_GATED: 8,
  RTPROT_RA: 9,
  RTPROT_MRT: 10,
  RTPROT_ZEBRA: 11,
  RTPROT_BIRD: 12,
  RTPROT_DNROUTED: 13,
  RTPROT_XORP: 14,
  RTPROT_NTK: 15,
  RTPROT_DHCP: 16,
  RTPROT_MROUTED: 17,
  RTPROT_KEEPALIVED: 18,
  RTPROT_BABEL: 42,
  RTPROT_OVN: 84,
  RTPROT_OPENR: 99,
  RTPROT_BGP: 186,
  RTPROT_ISIS: 187,
  RTPROT_OSPF: 188,
  RTPROT_RIP: 189,
  RTPROT_EIGRP: 192,
} as const;

/** `enum rt_scope_t`: rtm_scope and ifa_scope (distance to the destination). */
export const RT_SCOPE = {
  RT_SCOPE_UNIVERSE: 0,
  RT_SCOPE_SITE: 200,
  RT_SCOPE_LINK: 253,
  RT_SCOPE_HOST: 254,
  RT_SCOPE_NOWHERE: 255,
} as const;

/**
 * `enum rt_class_t`: reserved routing table ids. rtm_table is a u8, so tables above 255 go in
 * RTA_TABLE (with rtm_table = RT_TABLE_UNSPEC); the kernel always sends RTA_TABLE.
 */
export const RT_TABLE = {
  RT_TABLE_UNSPEC: 0,
  RT_TABLE_COMPAT: 252,
  RT_TABLE_DEFAULT: 253,
  RT_TABLE_MAIN: 254,
  RT_TABLE_LOCAL: 255,
} as const;

/** `rtnh_flags` (RTNH_F_*): per-nexthop flags; the kernel also reports them in rtm_flags. */
export const RTNH_F = {
  RTNH_F_DEAD: 1,
  RTNH_F_PERVASIVE: 2,
  RTNH_F_ONLINK: 4,
  RTNH_F_OFFLOAD: 8,
  RTNH_F_LINKDOWN: 16,
  RTNH_F_UNRESOLVED: 32,
  RTNH_F_TRAP: 64,
} as const;

/** `rtm_flags` (RTM_F_*). */
export const RTM_F = {
  RTM_F_NOTIFY: 0x100,
  RTM_F_CLONED: 0x200,
  RTM_F_EQUALIZE: 0x400,
  RTM_F_PREFIX: 0x800,
  RTM_F_LOOKUP_TABLE: 0x1000,
  RTM_F_FIB_MATCH: 0x2000,
  RTM_F_OFFLOAD: 0x4000,
  RTM_F_TRAP: 0x8000,
  RTM_F_OFFLOAD_FAILED: 0x20000000,
} as const;

/** `enum lwtunnel_encap_types` (<linux/lwtunnel.h>): RTA_ENCAP_TYPE values. */
export const LWTUNNEL_ENCAP = {
  LWTUNNEL_ENCAP_NONE: 0,
  LWTUNNEL_ENCAP_MPLS: 1,
  LWTUNNEL_ENCAP_IP: 2,
  LWTUNNEL_ENCAP_ILA: 3,
  LWTUNNEL_ENCAP_IP6: 4,
  LWTUNNEL_ENCAP_SEG6: 5,
  LWTUNNEL_ENCAP_BPF: 6,
  LWTUNNEL_ENCAP_SEG6_LOCAL: 7,
  LWTUNNEL_ENCAP_RPL: 8,
  LWTUNNEL_ENCAP_IOAM6: 9,
  LWTUNNEL_ENCAP_XFRM: 10,
} as const;

/** Value → name tables (prefix dropped) for enumOf(): `UNICAST (1)`, `KERNEL (2)`, `LINK (253)`, `MAIN (254)`. */
export const RTN_NAMES = names(RTN, 'RTN_');
export const RTPROT_NAMES = names(RTPROT, 'RTPROT_');
export const RT_SCOPE_NAMES = names(RT_SCOPE, 'RT_SCOPE_');
export const RT_TABLE_NAMES = names(RT_TABLE, 'RT_TABLE_');
const RTNH_F_NAMES: ReadonlyArray<readonly [number, string]> = Object.entries(RTNH_F).map(([k, v]) => [v, k.slice(7)] as const);
const RTM_FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  ...RTNH_F_NAMES,
  ...Object.entries(RTM_F).map(([k, v]) => [v, k.slice(6)] as const),
];

/**
 * struct rtmsg (<linux/rtnetlink.h>):
 *
 *   struct rtmsg {
 *     unsigned char rtm_family, rtm_dst_len, rtm_src_len, rtm_tos;
 *     unsigned char rtm_table, rtm_protocol, rtm_scope, rtm_type;
 *     unsigned      rtm_flags;
 *   };
 */
export const RTMSG = struct('rtmsg', 12, {
  family: [0, enumOf(u8, AF_NAMES)],
  dst_len: [1, u8],
  src_len: [2, u8],
  tos: [3, u8],
  table: [4, enumOf(u8, RT_TABLE_NAMES)],
  protocol: [5, enumOf(u8, RTPROT_NAMES)],
  scope: [6, enumOf(u8, RT_SCOPE_NAMES)],
  type: [7, enumOf(u8, RTN_NAMES)],
  flags: [8, flagsOf(u32, RTM_FLAG_NAMES)],
});
/** Value of a struct rtmsg. */
export type RtMsg = StructValue<typeof RTMSG.fields>;

/** `RTAX_FEATURE_*` bits of RTAX_FEATURES. */
const RTAX_FEATURE_NAMES: ReadonlyArray<readonly [number, string]> = [
  [1 << 0, 'ECN'], [1 << 1, 'SACK'], [1 << 2, 'TIMESTAMP'], [1 << 3, 'ALLFRAG'], [1 << 4, 'TCP_USEC_TS'],
];

/**
 * RTAX_*: the RTA_METRICS nest, one u32 per route metric (RTAX_CC_ALGO is a congestion-control
 * name). RTAX_LOCK is a bit set indexed by RTAX number: metrics the PMTU/TCP code must not
 * override. Times (RTT, RTTVAR, RTO_MIN) are in milliseconds.
 */
export const RTAX = attrs('RTAX', {
  RTAX_LOCK: { type: 1, key: 'lock', kind: u32 },
  RTAX_MTU: { type: 2, key: 'mtu', kind: u32 },
  RTAX_WINDOW: { type: 3, key: 'window', kind: u32 },
  RTAX_RTT: { type: 4, key: 'rtt', kind: u32 },
  RTAX_RTTVAR: { type: 5, key: 'rttvar', kind: u32 },
  RTAX_SSTHRESH: { type: 6, key: 'ssthresh', kind: u32 },
  RTAX_CWND: { type: 7, key: 'cwnd', kind: u32 },
  RTAX_ADVMSS: { type: 8, key: 'advmss', kind: u32 },
  RTAX_REORDERING: { type: 9, key: 'reordering', kind: u32 },
  RTAX_HOPLIMIT: { type: 10, key: 'hoplimit', kind: u32 },
  RTAX_INITCWND: { type: 11, key: 'initcwnd', kind: u32 },
  RTAX_FEATURES: { type: 12, key: 'features', kind: flagsOf(u32, RTAX_FEATURE_NAMES) },
  RTAX_RTO_MIN: { type: 13, key: 'rtoMin', kind: u32 },
  RTAX_INITRWND: { type: 14, key: 'initrwnd', kind: u32 },
  RTAX_QUICKACK: { type: 15, key: 'quickack', kind: u32 },
  RTAX_CC_ALGO: { type: 16, key: 'ccAlgo', kind: string0 },
  RTAX_FASTOPEN_NO_COOKIE: { type: 17, key: 'fastopenNoCookie', kind: u32 },
}, RTNL_SET);

/** struct rta_cacheinfo (<linux/rtnetlink.h>): RTA_CACHEINFO. Times in jiffies/clock ticks. */
export const RTA_CACHEINFO_STRUCT = struct('rta_cacheinfo', 32, {
  rta_clntref: [0, u32],
  rta_lastuse: [4, u32],
  rta_expires: [8, s32],
  rta_error: [12, u32],
  rta_used: [16, u32],
  rta_id: [20, u32],
  rta_ts: [24, u32],
  rta_tsage: [28, u32],
});

/** struct rta_mfc_stats (<linux/rtnetlink.h>): RTA_MFC_STATS of multicast routes. */
export const RTA_MFC_STATS_STRUCT = struct('rta_mfc_stats', 24, {
  mfcs_packets: [0, u64],
  mfcs_bytes: [8, u64],
  mfcs_wrong_if: [16, u64],
});

/** One `struct rtnexthop` of RTA_MULTIPATH with the RTA_* attributes that follow it. */
export interface RtNextHop {
  /** rtnh_flags: RTNH_F_* bits. */
  flags: number;
  /** rtnh_hops: the weight minus one. */
  hops: number;
  /** rtnh_ifindex: the output device. */
  ifindex: number;
  /** RTA_GATEWAY, RTA_VIA, RTA_NEWDST, RTA_ENCAP_TYPE/RTA_ENCAP, RTA_FLOW of this hop. */
  attrs: RouteAttrs;
}

const RTNH_FLAGS_KIND = flagsOf(u8, RTNH_F_NAMES);

/** sizeof(struct rtnexthop) = RTNH_ALIGN(8). */
const RTNH_HDRLEN = 8;

/**
 * RTA_MULTIPATH: not a nest of attributes but packed
 *
 *   struct rtnexthop { unsigned short rtnh_len; unsigned char rtnh_flags;
 *                      unsigned char rtnh_hops; int rtnh_ifindex; };
 *
 * each followed by RTA_* attributes, rtnh_len covering both, the next at RTNH_ALIGN(rtnh_len).
 * Annotated (not inferred) because its values contain RTA's own value type.
 */
const multipath: Kind<RtNextHop[]> & Container = {
  kindName: 'rtnexthop[]',
  size(v, path) {
    if (!Array.isArray(v)) throw new TypeError(`${path.join('.')}: expected an array of { flags, hops, ifindex, attrs }`);
    let n = 0;
    v.forEach((h, i) => {
      const p = [...path, `[${i}]`];
      u8.size(h.flags, [...p, 'flags']);
      u8.size(h.hops, [...p, 'hops']);
      s32.size(h.ifindex, [...p, 'ifindex']);
      const len = RTNH_HDRLEN + RTA.size((h.attrs ?? {}) as Record<string, unknown>, p);
      if (len > 0xffff) throw new RangeError(`${p.join('.')}: nexthop of ${len} bytes does not fit rtnh_len`);
      n += nlaAlign(len);
    });
    return n;
  },
  write(v, buf, off) {
    for (const h of v) {
      const start = off;
      buf.writeUInt8(h.flags, start + 2);
      buf.writeUInt8(h.hops, start + 3);
      buf.writeInt32LE(h.ifindex, start + 4);
      const end = RTA.write((h.attrs ?? {}) as Record<string, unknown>, buf, start + RTNH_HDRLEN);
      buf.writeUInt16LE(end - start, start);
      off = nlaAlign(end);
      buf.fill(0, end, off);
    }
    return off;
  },
  read(buf, start, end, path) {
    const out: RtNextHop[] = [];
    let off = start;
    while (off + RTNH_HDRLEN <= end) {
      const len = buf.readUInt16LE(off);
      const p = [...path, `[${out.length}]`];
      if (len < RTNH_HDRLEN || off + len > end) throw new DecodeError(`rtnh_len ${len} overruns RTA_MULTIPATH (${end - off} bytes left)`, p, off);
      out.push({
        flags: buf.readUInt8(off + 2),
        hops: buf.readUInt8(off + 3),
        ifindex: buf.readInt32LE(off + 4),
        attrs: RTA.read(buf, off + RTNH_HDRLEN, off + len, p),
      });
      off += nlaAlign(len);
    }
    if (off < end) throw new DecodeError(`${end - off} trailing bytes in RTA_MULTIPATH`, path, off);
    return out;
  },
  describe(v, indent) {
    return '\n' + v.map((h, i) => {
      const head = `${indent}nexthop[${i}]: ifindex=${h.ifindex} hops=${h.hops} flags=${RTNH_FLAGS_KIND.describe(h.flags, '')}`;
      const body = RTA.describe(h.attrs as Record<string, unknown>, indent + '  ');
      return body ? `${head}\n${body}` : head;
    }).join('\n');
  },
  pathInto(buf, start, end, target, path) {
    let off = start, i = 0;
    while (off + RTNH_HDRLEN <= end) {
      const len = buf.readUInt16LE(off);
      if (len < RTNH_HDRLEN) break;
      if (target >= off && target < off + len) {
        const p = [...path, `nexthop[${i}]`];
        return target < off + RTNH_HDRLEN ? p : RTA.pathAt(buf, off + RTNH_HDRLEN, off + len, target, p);
      }
      off += nlaAlign(len); i++;
    }
    return undefined;
  },
};

/** RTA_VIA's value: `struct rtvia { __kernel_sa_family_t rtvia_family; __u8 rtvia_addr[]; }`. */
export interface RtVia {
  /** rtvia_family: AF_INET (2) or AF_INET6 (10); other families keep their bytes in `raw`. */
  readonly family: number;
  /** The gateway as text for AF_INET / AF_INET6. */
  readonly address?: string;
  /** rtvia_addr of other families. */
  readonly raw?: Buffer;
}

/** RTA_VIA (`ip route add … via inet6 ADDR`): a gateway of another family than the route's. */
export const rtvia: Kind<RtVia> = {
  kindName: 'rtvia',
  size(v, path) {
    if (v === null || typeof v !== 'object') throw new TypeError(`${path.join('.')}: expected { family, address }`);
    if (v.address !== undefined) {
      const fam = ipFamily(v.address);
      const want = v.family === AF_INET ? 4 : v.family === AF_INET6 ? 6 : 0;
      if (fam === 0 || fam !== want) throw new RangeError(`${path.join('.')}.address: ${JSON.stringify(v.address)} is not an address of family ${v.family}`);
      return 2 + (fam === 4 ? 4 : 16);
    }
    if (!Buffer.isBuffer(v.raw)) throw new TypeError(`${path.join('.')}: needs an address or raw bytes`);
    return 2 + v.raw.length;
  },
  write(v, buf, off) {
    buf.writeUInt16LE(v.family, off);
    if (v.address !== undefined) return ipaddr.write(v.address, buf, off + 2);
    return off + 2 + v.raw!.copy(buf, off + 2);
  },
  read(buf, start, end, path) {
    if (end - start < 2) throw new DecodeError(`rtvia of ${end - start} bytes`, path, start);
    const family = buf.readUInt16LE(start);
    const n = end - start - 2;
    if ((family === AF_INET && n === 4) || (family === AF_INET6 && n === 16)) return { family, address: ipaddr.read(buf, start + 2, end, path) };
    return { family, raw: Buffer.from(buf.subarray(start + 2, end)) };
  },
  describe: (v) => `${AF_NAMES[v.family] ?? v.family} ${v.address ?? v.raw?.toString('hex') ?? ''}`,
};
const AF_INET = 2, AF_INET6 = 10;

/** ICMPV6_ROUTER_PREF_* (<linux/icmpv6.h>): RTA_PREF of IPv6 routes learnt from RAs. */
const ROUTER_PREF_NAMES = { 0: 'MEDIUM', 1: 'HIGH', 2: 'INVALID', 3: 'LOW' } as const;

/** RTA_*: attributes of a route message (<linux/rtnetlink.h> `enum rtattr_type_t`). */
export const RTA = attrs('RTA', {
  RTA_DST: { type: 1, key: 'dst', kind: ipaddr },
  RTA_SRC: { type: 2, key: 'src', kind: ipaddr },
  // Input interface (policy routing / route lookups by RTM_GETROUTE).
  RTA_IIF: { type: 3, key: 'iif', kind: u32 },
  RTA_OIF: { type: 4, key: 'oif', kind: u32 },
  RTA_GATEWAY: { type: 5, key: 'gateway', kind: ipaddr },
  // The route metric (`ip route … metric N`), not RTA_METRICS.
  RTA_PRIORITY: { type: 6, key: 'priority', kind: u32 },
  RTA_PREFSRC: { type: 7, key: 'prefsrc', kind: ipaddr },
  RTA_METRICS: { type: 8, key: 'metrics', kind: nested(() => RTAX) },
  RTA_MULTIPATH: { type: 9, key: 'multipath', kind: multipath },
  // PROTOINFO, SESSION and MP_ALGO are in the enum but no longer used by the kernel.
  RTA_PROTOINFO: { type: 10, key: 'protoinfo', kind: bytes },
  // Routing realms: (from << 16) | to.
  RTA_FLOW: { type: 11, key: 'flow', kind: realmsU32 },
  RTA_CACHEINFO: { type: 12, key: 'cacheinfo', kind: RTA_CACHEINFO_STRUCT },
  RTA_SESSION: { type: 13, key: 'session', kind: bytes },
  RTA_MP_ALGO: { type: 14, key: 'mpAlgo', kind: bytes },
  // The full 32-bit table id (rtm_table only holds 8 bits).
  RTA_TABLE: { type: 15, key: 'table', kind: enumOf(u32, RT_TABLE_NAMES) },
  RTA_MARK: { type: 16, key: 'mark', kind: u32 },
  RTA_MFC_STATS: { type: 17, key: 'mfcStats', kind: RTA_MFC_STATS_STRUCT },
  // struct rtvia { __kernel_sa_family_t rtvia_family; __u8 rtvia_addr[]; } — a gateway of
  // another family (IPv6 nexthop for an IPv4 route, MPLS). Kept as bytes.
  RTA_VIA: { type: 18, key: 'via', kind: rtvia },
  // MPLS label stack to swap in (network-order label entries).
  RTA_NEWDST: { type: 19, key: 'newdst', kind: bytes },
  RTA_PREF: { type: 20, key: 'pref', kind: enumOf(u8, ROUTER_PREF_NAMES) },
  RTA_ENCAP_TYPE: { type: 21, key: 'encapType', kind: enumOf(u16, names(LWTUNNEL_ENCAP, 'LWTUNNEL_ENCAP_')) },
  // Layout chosen by RTA_ENCAP_TYPE (MPLS_IPTUNNEL_*, LWTUNNEL_IP_*, SEG6_*, …); a legacy
  // (flagless) nest, kept as bytes until the encap tables exist.
  RTA_ENCAP: { type: 22, key: 'encap', kind: bytes },
  // Seconds until an IPv6 route (or IPv4 exception) expires.
  RTA_EXPIRES: { type: 23, key: 'expires', kind: u32 },
  RTA_PAD: { type: 24, key: 'pad', kind: bytes, multi: true },
  // RTM_GETROUTE: the uid the lookup is done for.
  RTA_UID: { type: 25, key: 'uid', kind: u32 },
  RTA_TTL_PROPAGATE: { type: 26, key: 'ttlPropagate', kind: u8 },
  // RTM_GETROUTE flow keys: L4 protocol and ports (network order) of the looked-up flow.
  RTA_IP_PROTO: { type: 27, key: 'ipProto', kind: u8 },
  RTA_SPORT: { type: 28, key: 'sport', kind: be16 },
  RTA_DPORT: { type: 29, key: 'dport', kind: be16 },
  // Nexthop object id (RTM_NEWNEXTHOP) the route uses.
  RTA_NH_ID: { type: 30, key: 'nhId', kind: u32 },
  RTA_FLOWLABEL: { type: 31, key: 'flowlabel', kind: be32 },
}, RTNL_SET);

/** Values of a route message's attributes. */
export type RouteAttrs = AttrValues<typeof RTA.spec>;
/** Values of the RTA_METRICS nest. */
export type RouteMetrics = AttrValues<typeof RTAX.spec>;
