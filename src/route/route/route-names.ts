/**
 * The words `ip route` uses for route types, scopes, protocols and tables, and their numbers
 * in struct rtmsg (<linux/rtnetlink.h>; the names are iproute2's `rtnl_rtntype_n2a`,
 * `rtnl_rtscope_n2a`, `/etc/iproute2/rt_protos` and `rt_tables`). One table per field, used
 * both to parse RouteSpec input and to name the values of decoded routes, so a value read
 * from the kernel can be passed back in.
 */
import { RT_SCOPE, RT_TABLE, RTN, RTPROT } from './route.schema.js';

const lower = <T extends Record<string, number>>(o: T, prefix: string): Record<string, number> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k.slice(prefix.length).toLowerCase(), v]));

/** `rtm_type` by name: `ip route add TYPE …`. */
export const ROUTE_TYPES = {
  unspec: RTN.RTN_UNSPEC, unicast: RTN.RTN_UNICAST, local: RTN.RTN_LOCAL, broadcast: RTN.RTN_BROADCAST,
  anycast: RTN.RTN_ANYCAST, multicast: RTN.RTN_MULTICAST, blackhole: RTN.RTN_BLACKHOLE,
  unreachable: RTN.RTN_UNREACHABLE, prohibit: RTN.RTN_PROHIBIT, throw: RTN.RTN_THROW, nat: RTN.RTN_NAT,
  xresolve: RTN.RTN_XRESOLVE,
} as const;
export type RouteTypeName = keyof typeof ROUTE_TYPES;

/**
 * `rtm_scope` by name. `ip` prints RT_SCOPE_UNIVERSE as `global` and accepts both words; the
 * library names it `universe` (the kernel's word) and accepts `global` on input.
 */
export const ROUTE_SCOPES = {
  universe: RT_SCOPE.RT_SCOPE_UNIVERSE, site: RT_SCOPE.RT_SCOPE_SITE, link: RT_SCOPE.RT_SCOPE_LINK,
  host: RT_SCOPE.RT_SCOPE_HOST, nowhere: RT_SCOPE.RT_SCOPE_NOWHERE,
} as const;
/** A route scope as ip names it (`universe`/`global`, `link`, `host`, …). */
export type RouteScopeName = keyof typeof ROUTE_SCOPES | 'global';

/** `rtm_protocol` by name (RTPROT_* lower-cased: `boot`, `static`, `kernel`, `dhcp`, `bgp`, …). */
export const ROUTE_PROTOCOLS: Readonly<Record<string, number>> = lower(RTPROT, 'RTPROT_');
/** A route protocol as ip names it (`kernel`, `boot`, `static`, …). */
export type RouteProtocolName =
  | 'unspec' | 'redirect' | 'kernel' | 'boot' | 'static' | 'gated' | 'ra' | 'mrt' | 'zebra' | 'bird' | 'dnrouted'
  | 'xorp' | 'ntk' | 'dhcp' | 'mrouted' | 'keepalived' | 'babel' | 'ovn' | 'openr' | 'bgp' | 'isis' | 'ospf'
  | 'rip' | 'eigrp';

/** Reserved table ids by name (`enum rt_class_t`). */
export const ROUTE_TABLES = { main: RT_TABLE.RT_TABLE_MAIN, local: RT_TABLE.RT_TABLE_LOCAL, default: RT_TABLE.RT_TABLE_DEFAULT } as const;
export type RouteTableName = keyof typeof ROUTE_TABLES;

/** ICMPV6_ROUTER_PREF_* (<linux/icmpv6.h>): RTA_PREF. */
export const ROUTE_PREFS = { medium: 0, high: 1, low: 3 } as const;
export type RoutePrefName = keyof typeof ROUTE_PREFS;

const invert = (o: Readonly<Record<string, number>>, skip: readonly string[] = []): string[] => {
  const out: string[] = [];
  for (const [k, v] of Object.entries(o)) if (!skip.includes(k)) out[v] = k;
  return out;
};
const TYPE_NAMES = invert(ROUTE_TYPES);
const TABLE_NAMES = invert(ROUTE_TABLES);
const SCOPE_NAMES = invert(ROUTE_SCOPES);
const PROTOCOL_NAMES = invert(ROUTE_PROTOCOLS);
const PREF_NAMES = invert(ROUTE_PREFS);

// Name of a value, or the number itself when the table has no name for it (kept, not lost).
/** rtm_type → `unicast`, `blackhole`, … (a number if unnamed). */
export const routeTypeName = (v: number): RouteTypeName | number => (TYPE_NAMES[v] as RouteTypeName | undefined) ?? v;
/** rtm_scope as ip prints it: `global` (RT_SCOPE_UNIVERSE), `site`, `link`, `host`, `nowhere`. */
export type RouteScopeWord = Exclude<RouteScopeName, 'universe'>;
/** rtm_scope → `global`, `link`, `host`, … as ip prints it (a number if unnamed). */
export const routeScopeWord = (v: number): RouteScopeWord | number => (v === 0 ? 'global' : (SCOPE_NAMES[v] as RouteScopeWord | undefined) ?? v);
/** Table id → `main`, `local`, `default`, or the number. */
export const routeTableName = (v: number): RouteTableName | number => (TABLE_NAMES[v] as RouteTableName | undefined) ?? v;
/** rtm_scope → `universe`, `link`, `host`, … (a number if unnamed). */
export const routeScopeName = (v: number): Exclude<RouteScopeName, 'global'> | number => (SCOPE_NAMES[v] as Exclude<RouteScopeName, 'global'> | undefined) ?? v;
/** rtm_protocol → `kernel`, `boot`, `static`, … (a number if unnamed). */
export const routeProtocolName = (v: number): RouteProtocolName | number => (PROTOCOL_NAMES[v] as RouteProtocolName | undefined) ?? v;
/** RTA_PREF → `low`, `medium`, `high` (a number if unnamed). */
export const routePrefName = (v: number): RoutePrefName | number => (PREF_NAMES[v] as RoutePrefName | undefined) ?? v;

function byName(table: Readonly<Record<string, number>>, what: string, field: string, v: unknown, max: number): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${field}: ${v} is not a ${what} number (0..${max})`);
    return v;
  }
  if (typeof v === 'string' && Object.hasOwn(table, v)) return table[v]!;
  throw new RangeError(`${field}: unknown ${what} ${JSON.stringify(v)} (one of ${Object.keys(table).join(', ')}, or a number 0..${max})`);
}

/** `rtm_type` of a type name or number; RangeError naming `field` otherwise. */
export const parseRouteType = (v: unknown, field: string): number => byName(ROUTE_TYPES, 'route type', field, v, 255);
/** `rtm_scope` of a scope name (`global` = `universe`, as `ip` accepts) or number. */
export const parseRouteScope = (v: unknown, field: string): number =>
  byName(v === 'global' ? { global: 0 } : ROUTE_SCOPES, 'scope', field, v, 255);
/** `rtm_protocol` of a protocol name or number. */
export const parseRouteProtocol = (v: unknown, field: string): number => byName(ROUTE_PROTOCOLS, 'route protocol', field, v, 255);
/** A 32-bit table id of `main`/`local`/`default` or a number. */
export const parseRouteTable = (v: unknown, field: string): number => byName(ROUTE_TABLES, 'routing table', field, v, 0xffffffff);
/** RTA_PREF value of `low`/`medium`/`high`. */
export function parseRoutePref(v: unknown, field: string): number {
  if (typeof v === 'string' && Object.hasOwn(ROUTE_PREFS, v)) return ROUTE_PREFS[v as RoutePrefName];
  throw new RangeError(`${field}: ${JSON.stringify(v)} is not a router preference (low, medium or high)`);
}
