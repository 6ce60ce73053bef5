/**
 * RouteSpec: a route as `ip route add|del` takes it, checked before any syscall and encoded
 * into RTM_NEWROUTE / RTM_DELROUTE exactly as iproute2 6.1 (`ip/iproute.c` iproute_modify())
 * encodes the same command — the fixtures under fixtures/route/route/ prove it byte by byte.
 *
 * iproute2 adds most attributes in command-line order; RouteApi uses one canonical order,
 * that of `ip route add [TYPE] DST via GW src SRC metric N table T pref P dev D [onlink]
 * [METRICS…] [nexthop …]`: RTA_DST, RTA_GATEWAY, RTA_PREFSRC, RTA_PRIORITY, RTA_TABLE,
 * RTA_PREF, then — as iproute2 always does, after its argument loop — RTA_OIF, RTA_METRICS
 * (RTAX_* in number order, RTAX_LOCK last) and RTA_MULTIPATH.
 */
import type { OutMessage } from '../../netlink/message.js';
import { ipFamily } from '../../netlink/ip.js';
import { type WireWriter, ipRawOf, putIp, putU8, putU32, rawOf } from '../../netlink/wire-writer.js';
import { type Prefix, afOf, networkOf, parsePrefix } from '../prefix.js';
import { RTM_DELROUTE, RTM_NEWROUTE } from '../protocol.js';
import { checkDev } from '../devname.js';
import { RT_SCOPE, RT_TABLE, RTA, RTAX, RTN, RTNH_F, RTPROT, type RouteAttrs, type RouteMetrics, type RtMsg, type RtNextHop } from './route.schema.js';
import {
  type RoutePrefName, type RouteProtocolName, type RouteScopeName, type RouteTableName, type RouteTypeName,
  parseRoutePref, parseRouteProtocol, parseRouteScope, parseRouteTable, parseRouteType,
} from './route-names.js';

/** One path of a multipath (ECMP) route: a `nexthop via GW dev D weight W onlink` of `ip route`. */
export interface RouteNextHopSpec {
  /** Gateway address, same family as the route; `{ family: 6, address }` for another family (RTA_VIA, `via inet6 …`). */
  readonly via?: string | RouteViaSpec;
  /** Output device: name (resolved once with RTM_GETLINK) or ifindex. */
  readonly dev?: string | number;
  /** Relative weight 1..256 (sent as rtnh_hops = weight − 1). Default 1. */
  readonly weight?: number;
  /** RTNH_F_ONLINK: the gateway is on the link even without a matching connected route. */
  readonly onlink?: boolean;
}

/** A gateway of another family than the route (RTA_VIA): `ip route add 10.0.0.0/8 via inet6 fe80::1 dev eth0`. */
export interface RouteViaSpec {
  readonly family: 4 | 6;
  readonly address: string;
}

/** Route metrics (RTA_METRICS, RTAX_*) as `ip route` names them; all u32 unless noted. */
export interface RouteMetricsSpec {
  /** RTAX_MTU: path MTU. */
  readonly mtu?: number;
  /** RTAX_ADVMSS: MSS advertised to peers. */
  readonly advmss?: number;
  /** RTAX_HOPLIMIT: TTL / hop limit, 0..255. */
  readonly hoplimit?: number;
  /** RTAX_WINDOW: TCP window clamp. */
  readonly window?: number;
  /** RTAX_SSTHRESH. */
  readonly ssthresh?: number;
  /** RTAX_CWND. */
  readonly cwnd?: number;
  /** RTAX_REORDERING. */
  readonly reordering?: number;
  /** RTAX_INITCWND. */
  readonly initcwnd?: number;
  /** RTAX_INITRWND. */
  readonly initrwnd?: number;
  /** RTAX_QUICKACK: 0 or 1. */
  readonly quickack?: 0 | 1;
  /** RTAX_FASTOPEN_NO_COOKIE: 0 or 1. */
  readonly fastopenNoCookie?: 0 | 1;
  /** RTAX_CC_ALGO: congestion control name (`congctl`), e.g. `reno`. */
  readonly congctl?: string;
  /** Metrics to lock (RTAX_LOCK bits: PMTU discovery / TCP may not change them) — `mtu lock 1400`. */
  readonly lock?: readonly LockableMetric[];
}

/** Metrics `ip route` lets you `lock`. */
export type LockableMetric = 'mtu' | 'advmss' | 'hoplimit' | 'window' | 'ssthresh' | 'cwnd' | 'reordering' | 'initcwnd' | 'initrwnd' | 'congctl';

/** A route for {@link RouteApi.add}/{@link RouteApi.del}: the words of `ip route add|del`. */
export interface RouteSpec extends RouteMetricsSpec {
  /** `default`, or a prefix `10.2.0.0/16` / `fd00:2::/64` (a bare address is a host route). Host bits must be zero. */
  readonly dst: string;
  /**
   * `ip -4` / `ip -6`. Needed only when nothing else tells the family (a `default` route
   * without a gateway). As with `ip -6 route add … default`, stating it with `dst: 'default'`
   * sends an all-zero RTA_DST (plain `ip route add default` sends none; the kernel treats
   * both alike).
   */
  readonly family?: 4 | 6;
  /** rtm_type. Default `unicast` (add); `del` leaves it 0 (any type) unless given. */
  readonly type?: RouteTypeName | number;
  /** Gateway (RTA_GATEWAY), same family as `dst`; `{ family, address }` of the other family is RTA_VIA (`via inet6 …`). */
  readonly via?: string | RouteViaSpec;
  /** Source prefix of a source-specific IPv6 route (`from 2001:db8::/64`: RTA_SRC + rtm_src_len). */
  readonly from?: string;
  /** rtm_tos: the TOS / DS field byte the route matches (`tos 0x10`), 0..255. */
  readonly tos?: number;
  /** RTA_FLOW: `realm TO` (a number) or `realms FROM/TO` (`{ from, to }`), realms 0..65535. */
  readonly realms?: number | { readonly from: number; readonly to: number };
  /** RTA_EXPIRES: seconds until an IPv6 route expires (`expires 300`). */
  readonly expires?: number;
  /** Output device (RTA_OIF): name (resolved with RTM_GETLINK) or ifindex. */
  readonly dev?: string | number;
  /** Preferred source address (RTA_PREFSRC), `ip route … src`. */
  readonly src?: string;
  /**
   * Table: `main` (default), `local` (default for local/broadcast/anycast/nat routes),
   * `default`, or any id 0..2^32−1 — ids above 255 go in RTA_TABLE with rtm_table =
   * RT_TABLE_UNSPEC, as iproute2 sends them.
   */
  readonly table?: number | RouteTableName;
  /** RTA_PRIORITY (`metric`). */
  readonly metric?: number;
  /**
   * rtm_scope. Default as iproute2: IPv6 universe; IPv4 host for local/nat, link for
   * broadcast/multicast/anycast and for unicast routes without gateway, else universe; `del`
   * uses nowhere (match any) for IPv4 unicast and the error types.
   */
  readonly scope?: RouteScopeName | number;
  /** rtm_protocol. Default `boot` (add), as `ip route add`; `del` leaves it 0 (any). */
  readonly protocol?: RouteProtocolName | number;
  /** RTNH_F_ONLINK in rtm_flags (`onlink`). */
  readonly onlink?: boolean;
  /** Multipath (RTA_MULTIPATH). Not together with `via`/`dev`. */
  readonly nexthops?: readonly RouteNextHopSpec[];
  /** IPv6 router preference (RTA_PREF). */
  readonly pref?: RoutePrefName;
}

/** A RouteSpec after checking: numbers resolved, devices still by name. Internal to route/. */
export interface CheckedRoute {
  readonly family: 4 | 6;
  readonly familyGiven: boolean;
  /** undefined = `default`. */
  readonly dst: Prefix | undefined;
  readonly type: number | undefined;
  readonly scope: number | undefined;
  readonly protocol: number | undefined;
  readonly table: number | undefined;
  readonly via: string | undefined;
  /** RTA_VIA (a gateway of the other family). */
  readonly rtvia: { readonly family: number; readonly address: string } | undefined;
  readonly from: Prefix | undefined;
  readonly tos: number;
  readonly flow: number | undefined;
  readonly expires: number | undefined;
  readonly dev: string | number | undefined;
  readonly src: string | undefined;
  readonly metric: number | undefined;
  readonly onlink: boolean;
  readonly pref: number | undefined;
  readonly nexthops: readonly CheckedNextHop[] | undefined;
  /** RTA_METRICS payload (RTAX values, in wire order), or undefined. */
  readonly metrics: RouteMetrics | undefined;
}

interface CheckedNextHop { readonly via: string | undefined; readonly rtvia: { readonly family: number; readonly address: string } | undefined; readonly dev: string | number | undefined; readonly hops: number; readonly flags: number }

/** Spec metric field → RTAX attribute; in RTAX number order, which is the order they are sent in. */
const METRICS: ReadonlyArray<readonly [keyof RouteMetricsSpec, string, number]> = [
  ['mtu', 'RTAX_MTU', 0xffffffff], ['window', 'RTAX_WINDOW', 0xffffffff], ['ssthresh', 'RTAX_SSTHRESH', 0xffffffff],
  ['cwnd', 'RTAX_CWND', 0xffffffff], ['advmss', 'RTAX_ADVMSS', 0xffffffff], ['reordering', 'RTAX_REORDERING', 0xffffffff],
  ['hoplimit', 'RTAX_HOPLIMIT', 255], ['initcwnd', 'RTAX_INITCWND', 0xffffffff], ['initrwnd', 'RTAX_INITRWND', 0xffffffff],
  ['quickack', 'RTAX_QUICKACK', 1], ['congctl', 'RTAX_CC_ALGO', 0], ['fastopenNoCookie', 'RTAX_FASTOPEN_NO_COOKIE', 1],
];
const LOCKABLE: ReadonlySet<string> = new Set<LockableMetric>(['mtu', 'advmss', 'hoplimit', 'window', 'ssthresh', 'cwnd', 'reordering', 'initcwnd', 'initrwnd', 'congctl']);
const rtax = (name: string): { type: number; key: string } => RTAX.entry(name)!;

const SPEC_KEYS: ReadonlySet<string> = new Set([
  'dst', 'family', 'type', 'via', 'dev', 'src', 'table', 'metric', 'scope', 'protocol', 'onlink', 'nexthops', 'pref', 'lock',
  'from', 'tos', 'realms', 'expires',
  ...METRICS.map(([k]) => k),
]);
const HOP_KEYS: ReadonlySet<string> = new Set(['via', 'dev', 'weight', 'onlink']);

const bare = (name: string): string => name;

/** Types the kernel answers with an error, not a path (fib_props[].error): no gateway, no nexthops. */
const ERROR_TYPES: ReadonlySet<number> = new Set([RTN.RTN_BLACKHOLE, RTN.RTN_UNREACHABLE, RTN.RTN_PROHIBIT, RTN.RTN_THROW]);

/**
 * Check `spec` (no syscall). `where` prefixes field names in errors (`route`, `routes[12]`).
 * Errors: TypeError for a wrong type or a combination `ip` forbids, RangeError for a bad value.
 */
export function checkRouteSpec(spec: RouteSpec, where: string, index?: number): CheckedRoute {
  // Checking is pure, so it runs first with bare field names (no string built per field — a
  // bulk add checks 10k specs); only a spec that fails is checked again, with `where` spelled
  // out (`where[index]` for bulk callers, formatted only for the failing spec),
  // and that second pass throws the same error worded in full.
  try {
    return check(spec, undefined);
  } catch {
    check(spec, index === undefined ? where : `${where}[${index}]`);
    throw new Error('internal: checkRouteSpec failed once and then passed');
  }
}

function check(spec: RouteSpec, where: string | undefined): CheckedRoute {
  if (spec === null || typeof spec !== 'object') throw new TypeError(`${where}: expected a route object like { dst: '10.2.0.0/16', via: '10.1.0.2' }`);
  for (const k in spec) if (!SPEC_KEYS.has(k)) throw new TypeError(`${where}.${k}: not a route field (known: ${[...SPEC_KEYS].join(', ')})`);
  const f = where === undefined ? bare : (name: string): string => `${where}.${name}`;

  if (spec.family !== undefined && spec.family !== 4 && spec.family !== 6) throw new RangeError(`${f('family')}: must be 4 or 6, got ${String(spec.family)}`);
  if (typeof spec.dst !== 'string') throw new TypeError(`${f('dst')}: expected 'default' or a prefix like "10.2.0.0/16", got ${typeof spec.dst}`);
  let dst: Prefix | undefined;
  if (spec.dst !== 'default') {
    dst = parsePrefix(spec.dst, f('dst'));
    const net = networkOf(dst);
    // The kernel's words for it (fib_table_insert, IPv4); IPv6 would silently mask instead.
    if (net !== dst.address) throw new RangeError(`${f('dst')}: Invalid prefix for given prefix length: "${spec.dst}" has host bits set (the network is ${net}/${dst.prefixlen})`);
    if (spec.family !== undefined && spec.family !== dst.family) throw new RangeError(`${f('dst')}: "${spec.dst}" is IPv${dst.family} but family is ${spec.family}`);
  }
  const hopsIn = spec.nexthops;
  const family: 4 | 6 = dst?.family ?? spec.family ?? addrFamily(spec.via) ?? addrFamily(spec.src)
    ?? (Array.isArray(hopsIn) ? hopsIn.map((h) => addrFamily(h?.via)).find((x) => x !== undefined) : undefined) ?? 4;
  const sameFamily = (v: unknown, name: string): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new TypeError(`${name}: expected an address string, got ${typeof v}`);
    const fam = ipFamily(v);
    if (fam === 0) throw new RangeError(`${name}: "${v}" is not an IPv4 or IPv6 address`);
    if (fam !== family) throw new RangeError(`${name}: "${v}" is IPv${fam} but the route is IPv${family}`);
    return v;
  };

  const type = spec.type === undefined ? undefined : parseRouteType(spec.type, f('type'));
  const otherFamily = (v: unknown, name: string): { family: number; address: string } | undefined => {
    const o = v as RouteViaSpec;
    if (o.family !== 4 && o.family !== 6) throw new RangeError(`${name}.family: must be 4 or 6, got ${String(o.family)}`);
    for (const k of Object.keys(o)) if (k !== 'family' && k !== 'address') throw new TypeError(`${name}.${k}: not a via field (family, address)`);
    if (typeof o.address !== 'string' || ipFamily(o.address) !== o.family) throw new RangeError(`${name}.address: expected an IPv${o.family} address, got ${JSON.stringify(o.address)}`);
    return { family: o.family === 4 ? 2 : 10, address: o.address };
  };
  const isObj = (v: unknown): boolean => v !== null && typeof v === 'object';
  const via = isObj(spec.via) ? undefined : sameFamily(spec.via, f('via'));
  const rtvia = isObj(spec.via) ? otherFamily(spec.via, f('via')) : undefined;
  let from: Prefix | undefined;
  if (spec.from !== undefined) {
    if (typeof spec.from !== 'string') throw new TypeError(`${f('from')}: expected a prefix like "2001:db8::/64"`);
    from = parsePrefix(spec.from, f('from'));
    if (from.family !== family) throw new RangeError(`${f('from')}: "${spec.from}" is IPv${from.family} but the route is IPv${family}`);
    if (family !== 6) throw new TypeError(`${f('from')}: source-specific routes are IPv6 only (the IPv4 FIB refuses RTA_SRC)`);
  }
  const tos = spec.tos === undefined ? 0 : u8(spec.tos, f('tos'));
  let flow: number | undefined;
  if (spec.realms !== undefined) {
    const r = spec.realms;
    const realm = (v: unknown, n: string): number => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`${n}: a realm is 0..65535, got ${String(v)}`);
      return v;
    };
    flow = typeof r === 'number' ? realm(r, f('realms')) : isObj(r) ? ((realm(r.from, `${f('realms')}.from`) << 16) | realm(r.to, `${f('realms')}.to`)) >>> 0 : realm(r, f('realms'));
  }
  const expires = spec.expires === undefined ? undefined : u32(spec.expires, f('expires'));
  if (expires !== undefined && family !== 6) throw new TypeError(`${f('expires')}: only IPv6 routes expire (RTA_EXPIRES)`);
  const src = sameFamily(spec.src, f('src'));
  const dev = spec.dev === undefined ? undefined : checkDev(spec.dev, f('dev'));
  if (spec.onlink !== undefined && typeof spec.onlink !== 'boolean') throw new TypeError(`${f('onlink')}: expected a boolean`);
  const metric = spec.metric === undefined ? undefined : u32(spec.metric, f('metric'));
  const table = spec.table === undefined ? undefined : parseRouteTable(spec.table, f('table'));
  const scope = spec.scope === undefined ? undefined : parseRouteScope(spec.scope, f('scope'));
  const protocol = spec.protocol === undefined ? undefined : parseRouteProtocol(spec.protocol, f('protocol'));
  let pref: number | undefined;
  if (spec.pref !== undefined) {
    pref = parseRoutePref(spec.pref, f('pref'));
    if (family !== 6) throw new TypeError(`${f('pref')}: only IPv6 routes have a router preference`);
  }

  let nexthops: CheckedNextHop[] | undefined;
  if (hopsIn !== undefined) {
    if (!Array.isArray(hopsIn) || hopsIn.length === 0) throw new TypeError(`${f('nexthops')}: expected a non-empty array of { via?, dev?, weight?, onlink? }`);
    if (via !== undefined || rtvia !== undefined || dev !== undefined) throw new TypeError(`${f('nexthops')}: cannot be combined with via/dev — give each nexthop its own`);
    nexthops = hopsIn.map((h: RouteNextHopSpec, i) => {
      const p = `${f('nexthops')}[${i}]`;
      if (h === null || typeof h !== 'object') throw new TypeError(`${p}: expected { via?, dev?, weight?, onlink? }`);
      for (const k of Object.keys(h)) if (!HOP_KEYS.has(k)) throw new TypeError(`${p}.${k}: not a nexthop field (via, dev, weight, onlink)`);
      if (h.via === undefined && h.dev === undefined) throw new TypeError(`${p}: a nexthop needs via or dev`);
      const weight = h.weight ?? 1;
      if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 256) throw new RangeError(`${p}.weight: must be an integer 1..256, got ${String(weight)}`);
      if (h.onlink !== undefined && typeof h.onlink !== 'boolean') throw new TypeError(`${p}.onlink: expected a boolean`);
      return {
        via: isObj(h.via) ? undefined : sameFamily(h.via, `${p}.via`),
        rtvia: isObj(h.via) ? otherFamily(h.via, `${p}.via`) : undefined,
        dev: h.dev === undefined ? undefined : checkDev(h.dev, `${p}.dev`),
        hops: weight - 1,
        flags: h.onlink ? RTNH_F.RTNH_F_ONLINK : 0,
      };
    });
  }
  if (type !== undefined && ERROR_TYPES.has(type)) {
    if (via !== undefined || rtvia !== undefined || nexthops) throw new TypeError(`${f('type')}: a ${String(spec.type)} route takes no gateway or nexthops`);
    // IPv4 refuses a device too ("Gateway, device and multipath can not be specified for this route type").
    if (family === 4 && dev !== undefined) throw new TypeError(`${f('type')}: an IPv4 ${String(spec.type)} route takes no device`);
  }
  return {
    family, familyGiven: spec.family !== undefined, dst, type, scope, protocol, table, via, rtvia, from, tos, flow, expires, dev, src, metric,
    onlink: spec.onlink === true, pref, nexthops, metrics: checkMetrics(spec, f),
  };
}

const METRIC_KEYS: ReadonlySet<string> = new Set([...METRICS.map(([k]) => k), 'lock']);

function checkMetrics(spec: RouteSpec, f: (n: string) => string): RouteMetrics | undefined {
  // Most routes carry no metrics: look at the spec's own few keys before walking the table.
  let has = false;
  for (const k in spec) if (METRIC_KEYS.has(k)) { has = true; break; }
  if (!has) return undefined;
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [field, name, max] of METRICS) {
    const v = spec[field];
    if (v === undefined) continue;
    any = true;
    if (field === 'congctl') {
      if (typeof v !== 'string' || v.length === 0 || v.length > 15 || !/^[\x21-\x7e]+$/.test(v)) throw new RangeError(`${f(field)}: expected a congestion control name (1..15 printable characters), got ${JSON.stringify(v)}`);
      // iproute2 sends the name without its NUL (rta_addattr_l(…, strlen)); the kernel copies
      // it with nla_strscpy either way. Raw `$16` keeps those bytes; decode still says ccAlgo.
      out[`$${rtax(name).type}`] = Buffer.from(v, 'latin1');
    } else {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${f(field)}: must be an integer 0..${max}, got ${String(v)}`);
      out[rtax(name).key] = v;
    }
  }
  if (spec.lock !== undefined) {
    if (!Array.isArray(spec.lock)) throw new TypeError(`${f('lock')}: expected an array of metric names`);
    let bits = 0;
    for (const m of spec.lock as readonly string[]) {
      if (!LOCKABLE.has(m)) throw new RangeError(`${f('lock')}: "${m}" cannot be locked (${[...LOCKABLE].join(', ')})`);
      if (spec[m as LockableMetric] === undefined) throw new TypeError(`${f('lock')}: "${m}" is locked but not set`);
      bits |= 1 << rtax(METRICS.find(([k]) => k === m)![1]).type;
    }
    // iproute2 appends RTAX_LOCK after the metrics it locks.
    if (bits) out[rtax('RTAX_LOCK').key] = bits >>> 0;
  }
  // Keys come from the RTAX table itself (entry().key / `$type`), so this is a RouteMetrics.
  return any ? out as RouteMetrics : undefined;
}

const addrFamily = (v: unknown): 4 | 6 | undefined => {
  if (typeof v !== 'string') return undefined;
  const fam = ipFamily(v);
  return fam === 0 ? undefined : fam;
};

function u8(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`${field}: must be an integer 0..255, got ${String(v)}`);
  return v;
}

function u32(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${field}: must be an integer 0..4294967295, got ${String(v)}`);
  return v;
}

export { checkDev } from '../devname.js';

/** Device names a checked route refers to (to resolve each once). */
export function routeDevices(r: CheckedRoute): string[] {
  const out: string[] = [];
  if (typeof r.dev === 'string') out.push(r.dev);
  for (const h of r.nexthops ?? []) if (typeof h.dev === 'string') out.push(h.dev);
  return out;
}

/** Defaults of iproute_modify() for an unstated scope. */
function defaultScope(cmd: number, r: CheckedRoute, type: number): number {
  if (r.family === 6) return RT_SCOPE.RT_SCOPE_UNIVERSE;
  if (type === RTN.RTN_LOCAL || type === RTN.RTN_NAT) return RT_SCOPE.RT_SCOPE_HOST;
  if (type === RTN.RTN_BROADCAST || type === RTN.RTN_MULTICAST || type === RTN.RTN_ANYCAST) return RT_SCOPE.RT_SCOPE_LINK;
  if (cmd === RTM_DELROUTE) return RT_SCOPE.RT_SCOPE_NOWHERE;
  if (type === RTN.RTN_UNICAST || type === RTN.RTN_UNSPEC) return r.via === undefined && r.rtvia === undefined && !r.nexthops ? RT_SCOPE.RT_SCOPE_LINK : RT_SCOPE.RT_SCOPE_UNIVERSE;
  return RT_SCOPE.RT_SCOPE_UNIVERSE;
}

const LOCAL_TABLE_TYPES: ReadonlySet<number> = new Set([RTN.RTN_LOCAL, RTN.RTN_BROADCAST, RTN.RTN_NAT, RTN.RTN_ANYCAST]);

/**
 * The RTM_NEWROUTE / RTM_DELROUTE message for a checked route, as iproute_modify() builds it.
 * `ifindex` maps a device (name or index) to its ifindex; `flags` are the NLM_F_* modifiers.
 */
export function routeMessage(cmd: typeof RTM_NEWROUTE | typeof RTM_DELROUTE, r: CheckedRoute, ifindex: (dev: string | number) => number, flags: number): OutMessage {
  const header = routeHeader(cmd, r);
  const attrs: RouteAttrs = {};
  // `default` has no RTA_DST unless the family was stated (`ip -6 … default` sends ::).
  if (r.dst) attrs.dst = r.dst.address;
  else if (r.familyGiven) attrs.dst = r.family === 4 ? '0.0.0.0' : '::';
  if (r.from) attrs.src = r.from.address;
  if (r.via !== undefined) attrs.gateway = r.via;
  if (r.rtvia !== undefined) attrs.via = r.rtvia;
  if (r.src !== undefined) attrs.prefsrc = r.src;
  if (r.metric !== undefined) attrs.priority = r.metric;
  if (header.fullTable > 255) attrs.table = header.fullTable;
  if (r.pref !== undefined) attrs.pref = r.pref;
  if (r.flow !== undefined) attrs.flow = r.flow;
  if (r.expires !== undefined) attrs.expires = r.expires;
  if (r.dev !== undefined) attrs.oif = ifindex(r.dev);
  if (r.metrics) attrs.metrics = r.metrics;
  if (r.nexthops) attrs.multipath = nexthopsOf(r.nexthops, ifindex);
  const { fullTable: _, ...rtmsg } = header;
  return { type: cmd, flags, header: rtmsg, attrs };
}

function nexthopsOf(hops: readonly CheckedNextHop[], ifindex: (dev: string | number) => number): RtNextHop[] {
  return hops.map((h): RtNextHop => ({
    flags: h.flags, hops: h.hops, ifindex: h.dev === undefined ? 0 : ifindex(h.dev),
    attrs: h.via !== undefined ? { gateway: h.via } : h.rtvia !== undefined ? { via: h.rtvia } : {},
  }));
}

/** struct rtmsg of iproute_modify() for a checked route; `fullTable` is the table id (> 255 goes in RTA_TABLE, rtm_table 0). */
function routeHeader(cmd: number, r: CheckedRoute, out: RtMsg & { fullTable: number } = { ...HEADER }): RtMsg & { fullTable: number } {
  const add = cmd === RTM_NEWROUTE;
  const type = r.type ?? (add ? RTN.RTN_UNICAST : RTN.RTN_UNSPEC);
  const table = r.table ?? (LOCAL_TABLE_TYPES.has(type) ? RT_TABLE.RT_TABLE_LOCAL : RT_TABLE.RT_TABLE_MAIN);
  out.family = afOf(r.family);
  out.dst_len = r.dst?.prefixlen ?? 0;
  out.src_len = r.from?.prefixlen ?? 0;
  out.tos = r.tos;
  out.table = table > 255 ? RT_TABLE.RT_TABLE_UNSPEC : table;
  out.protocol = r.protocol ?? (add ? RTPROT.RTPROT_BOOT : RTPROT.RTPROT_UNSPEC);
  out.scope = r.scope ?? defaultScope(cmd, r, type);
  out.type = type;
  out.flags = r.onlink ? RTNH_F.RTNH_F_ONLINK : 0;
  out.fullTable = table;
  return out;
}

/** Field order of struct rtmsg (the order routeMessage() lists them in). */
const HEADER: RtMsg & { fullTable: number } = { family: 0, dst_len: 0, src_len: 0, tos: 0, table: 0, protocol: 0, scope: 0, type: 0, flags: 0, fullTable: 0 };
/** writeRouteMessage()'s header, refilled per message (nothing allocated per route). */
const SCRATCH_HEADER: RtMsg & { fullTable: number } = { ...HEADER };

// Wire types of the attributes writeRouteMessage() writes, from the RTA table (checked at load).
const W_DST = ipRawOf(RTA, 'RTA_DST');
const W_GATEWAY = ipRawOf(RTA, 'RTA_GATEWAY');
const W_PREFSRC = ipRawOf(RTA, 'RTA_PREFSRC');
const W_PRIORITY = rawOf(RTA, 'RTA_PRIORITY', 4);
const W_TABLE = rawOf(RTA, 'RTA_TABLE', 4);
const W_PREF = rawOf(RTA, 'RTA_PREF', 1);
const W_OIF = rawOf(RTA, 'RTA_OIF', 4);
const W_SRC = ipRawOf(RTA, 'RTA_SRC');
const W_FLOW = rawOf(RTA, 'RTA_FLOW', 4);
const W_EXPIRES = rawOf(RTA, 'RTA_EXPIRES', 4);
const E_VIA = RTA.entry('RTA_VIA')!;
const E_METRICS = RTA.entry('RTA_METRICS')!;
const E_MULTIPATH = RTA.entry('RTA_MULTIPATH')!;

/**
 * routeMessage() written straight into `w` (bulk adds and deletes): the same bytes — the
 * same header, attributes in the same order — without building the message object and
 * without validating again what checkRouteSpec() checked. test/unit/route-writer.test.ts
 * holds the two byte-identical over every kind of route.
 */
export function writeRouteMessage(w: WireWriter, cmd: typeof RTM_NEWROUTE | typeof RTM_DELROUTE, r: CheckedRoute, ifindex: (dev: string | number) => number, flags: number): void {
  const h = routeHeader(cmd, r, SCRATCH_HEADER);
  const fam = r.family;
  // Room for the fixed-size attributes (4 addresses, 6 numbers, an RTA_VIA), stored straight into the
  // buffer (few calls per route: this runs 10k times before V8 optimises it); nests after.
  const at = w.begin(cmd, flags, 12, 4 * 20 + 6 * 8 + 24);
  let b = w.buf;
  b[at] = h.family; b[at + 1] = h.dst_len; b[at + 2] = h.src_len; b[at + 3] = h.tos; b[at + 4] = h.table; b[at + 5] = h.protocol; b[at + 6] = h.scope; b[at + 7] = h.type;
  b[at + 8] = h.flags & 255; b[at + 9] = (h.flags >>> 8) & 255; b[at + 10] = (h.flags >>> 16) & 255; b[at + 11] = h.flags >>> 24;
  let o = w.off;
  if (r.dst) o = putIp(b, o, W_DST, r.dst.address, fam);
  else if (r.familyGiven) o = putIp(b, o, W_DST, fam === 4 ? '0.0.0.0' : '::', fam);
  if (r.from) o = putIp(b, o, W_SRC, r.from.address, fam);
  if (r.via !== undefined) o = putIp(b, o, W_GATEWAY, r.via, fam);
  if (r.rtvia !== undefined) { w.off = o; w.attrKind(E_VIA.raw, E_VIA.kind, r.rtvia); o = w.off; b = w.buf; }
  if (r.src !== undefined) o = putIp(b, o, W_PREFSRC, r.src, fam);
  if (r.metric !== undefined) o = putU32(b, o, W_PRIORITY, r.metric);
  if (h.fullTable > 255) o = putU32(b, o, W_TABLE, h.fullTable);
  if (r.pref !== undefined) o = putU8(b, o, W_PREF, r.pref);
  if (r.flow !== undefined) o = putU32(b, o, W_FLOW, r.flow);
  if (r.expires !== undefined) o = putU32(b, o, W_EXPIRES, r.expires);
  if (r.dev !== undefined) o = putU32(b, o, W_OIF, typeof r.dev === 'number' ? r.dev : ifindex(r.dev));
  w.off = o;
  if (r.metrics) w.attrKind(E_METRICS.raw, E_METRICS.kind, r.metrics);
  if (r.nexthops) w.attrKind(E_MULTIPATH.raw, E_MULTIPATH.kind, nexthopsOf(r.nexthops, ifindex));
  w.end();
}
