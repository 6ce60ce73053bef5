/**
 * Route objects out of RTM_NEWROUTE messages (dump entries, `route.get()` answers): struct
 * rtmsg and the RTA_* attributes of <linux/rtnetlink.h> in the shape `ip -j route` prints,
 * with types, scopes, protocols and tables named as RouteSpec takes them.
 */
import type { Message } from '../../netlink/message.js';
import { AF } from '../family.js';
import { type IfNameOf, unnamed } from '../ifnames.js';
import { RTM_F, RTNH_F, type RouteAttrs, type RouteMetrics, type RtMsg, type RtNextHop } from './route.schema.js';
import {
  type RoutePrefName, type RouteProtocolName, type RouteScopeWord, type RouteTableName, type RouteTypeName,
  routePrefName, routeProtocolName, routeScopeWord, routeTableName, routeTypeName,
} from './route-names.js';

/** RTA_VIA of a route: a gateway of another family (`via inet6 fe80::1` on an IPv4 route). */
export interface RouteVia {
  readonly family: 4 | 6;
  readonly address: string;
}

/** RTA_FLOW: realms (`realm TO` / `realms FROM/TO`), numbers as in /etc/iproute2/rt_realms. */
export interface RouteRealms {
  readonly from: number;
  readonly to: number;
}

/** One path of a multipath route (a `struct rtnexthop` of RTA_MULTIPATH). */
export interface RouteNextHop {
  /** RTA_GATEWAY of this hop. */
  readonly gateway: string | undefined;
  /** RTA_VIA of this hop. */
  readonly via: RouteVia | undefined;
  /** The output device's name (`if<N>` if it cannot be named); undefined when rtnh_ifindex is 0. */
  readonly dev: string | undefined;
  /** rtnh_ifindex (undefined when 0). */
  readonly devIndex: number | undefined;
  /** rtnh_hops + 1, as `ip route` prints `weight`. */
  readonly weight: number;
  /** rtnh_flags as ip prints them: `onlink`, `linkdown`, `dead`, … */
  readonly flags: readonly string[];
  /** rtnh_flags as bits (RTNH_F_*). */
  readonly rawFlags: number;
  /** RTA_FLOW of this hop. */
  readonly realms: RouteRealms | undefined;
}

/** A route, as `ip -j route show` reports it. */
export interface Route {
  readonly family: 4 | 6;
  /** `default` (rtm_dst_len 0) or `network/len` — host routes too keep their `/32` or `/128`. */
  readonly dst: string;
  /** The source prefix of a source-specific IPv6 route (`from 2001:db8::/64`: RTA_SRC + rtm_src_len). */
  readonly from: string | undefined;
  /** RTA_GATEWAY. */
  readonly gateway: string | undefined;
  /** RTA_VIA (`via inet6 …`). */
  readonly via: RouteVia | undefined;
  /** The output device's name (`if<N>` if it cannot be named). */
  readonly dev: string | undefined;
  /** RTA_OIF: the output device's ifindex. */
  readonly devIndex: number | undefined;
  /** RTA_PREFSRC. */
  readonly prefsrc: string | undefined;
  /** The table: `main`, `local`, `default` or the id (RTA_TABLE, always sent by the kernel, else rtm_table). */
  readonly table: RouteTableName | number;
  /** rtm_protocol by name (`kernel`, `boot`, `static`, …), a number when unnamed. */
  readonly protocol: RouteProtocolName | number;
  /** rtm_scope as ip prints it (`global`, `link`, `host`, …). */
  readonly scope: RouteScopeWord | number;
  /** rtm_type by name (`unicast`, `local`, `blackhole`, …). */
  readonly type: RouteTypeName | number;
  /** RTA_PRIORITY (`metric`). */
  readonly metric: number | undefined;
  /** rtm_flags as ip prints them: `onlink`, `linkdown`, `pervasive`, `offload`, `trap`, `notify`, `rt_offload`, … */
  readonly flags: readonly string[];
  /** rtm_flags as bits (RTNH_F_* and RTM_F_*). */
  readonly rawFlags: number;
  /** RTA_MULTIPATH. */
  readonly nexthops: readonly RouteNextHop[] | undefined;
  /** RTA_METRICS (RTAX_* values). */
  readonly metrics: RouteMetrics | undefined;
  /** RTA_PREF of an IPv6 route. */
  readonly pref: RoutePrefName | number | undefined;
  /** rtm_tos (the DSCP/TOS byte the route matches). */
  readonly tos: number;
  /** RTA_FLOW (`realm` / `realms`). */
  readonly realms: RouteRealms | undefined;
  /** Seconds left before the route expires (RTA_CACHEINFO rta_expires / USER_HZ), as `ip` prints `expires`. */
  readonly expires: number | undefined;
  /** Every attribute the kernel sent, decoded by the RTA table. */
  readonly attrs: RouteAttrs;
}

/** Bits of rtm_flags / rtnh_flags by ip's word, in iproute2 print_rt_flags() order. */
const RT_FLAG_WORDS: ReadonlyArray<readonly [number, string]> = [
  [RTNH_F.RTNH_F_DEAD, 'dead'], [RTNH_F.RTNH_F_ONLINK, 'onlink'], [RTNH_F.RTNH_F_PERVASIVE, 'pervasive'],
  [RTNH_F.RTNH_F_OFFLOAD, 'offload'], [RTNH_F.RTNH_F_TRAP, 'trap'], [RTM_F.RTM_F_NOTIFY, 'notify'],
  [RTNH_F.RTNH_F_LINKDOWN, 'linkdown'], [RTNH_F.RTNH_F_UNRESOLVED, 'unresolved'], [RTM_F.RTM_F_OFFLOAD, 'rt_offload'],
  [RTM_F.RTM_F_TRAP, 'rt_trap'], [RTM_F.RTM_F_OFFLOAD_FAILED, 'rt_offload_failed'],
];

/** ip's words for route / nexthop flags (bits it prints no word for are left out, as ip leaves them). */
export const routeFlagWords = (flags: number): string[] => (flags === 0 ? [] : RT_FLAG_WORDS.filter(([b]) => flags & b).map(([, w]) => w));

/** USER_HZ: the unit of rta_cacheinfo times (clock_t), as iproute2's get_user_hz() reads it. */
const USER_HZ = 100;

const via = (v: RouteAttrs['via']): RouteVia | undefined =>
  v?.address === undefined ? undefined : { family: v.family === AF.AF_INET6 ? 6 : 4, address: v.address };
const realms = (f: number | undefined): RouteRealms | undefined => (f === undefined ? undefined : { from: f >>> 16, to: f & 0xffff });

const toHop = (h: RtNextHop, name: IfNameOf): RouteNextHop => ({
  gateway: h.attrs.gateway, via: via(h.attrs.via),
  dev: h.ifindex === 0 ? undefined : name(h.ifindex), devIndex: h.ifindex === 0 ? undefined : h.ifindex,
  weight: h.hops + 1, flags: routeFlagWords(h.flags), rawFlags: h.flags, realms: realms(h.attrs.flow),
});

/**
 * Route of an RTM_NEWROUTE message, or undefined for families other than IPv4/IPv6 (an
 * AF_UNSPEC dump also reaches the IPMR/IP6MR/MPLS tables, which are not `ip route`'s).
 */
export function toRoute(m: Message, name?: IfNameOf): Route | undefined {
  return routeOf(m.header as RtMsg, m.attrs as RouteAttrs | undefined, name);
}

/** {@link toRoute} from a route message's decoded struct rtmsg and RTA_* attributes (dumps: NetlinkSocket.dumpEntries). */
export function routeOf(h: RtMsg, attrs: RouteAttrs | undefined, name: IfNameOf = unnamed): Route | undefined {
  const family = h.family === AF.AF_INET ? 4 : h.family === AF.AF_INET6 ? 6 : 0;
  if (family === 0) return undefined;
  const a = attrs ?? {};
  const any = family === 4 ? '0.0.0.0' : '::';
  const exp = a.cacheinfo?.rta_expires;
  return {
    family,
    dst: h.dst_len === 0 ? 'default' : `${a.dst ?? any}/${h.dst_len}`,
    from: h.src_len === 0 ? undefined : `${a.src ?? any}/${h.src_len}`,
    gateway: a.gateway,
    via: via(a.via),
    dev: a.oif === undefined ? undefined : name(a.oif),
    devIndex: a.oif,
    prefsrc: a.prefsrc,
    table: routeTableName(a.table ?? h.table),
    protocol: routeProtocolName(h.protocol),
    scope: routeScopeWord(h.scope),
    type: routeTypeName(h.type),
    metric: a.priority,
    flags: routeFlagWords(h.flags),
    rawFlags: h.flags,
    nexthops: a.multipath?.map((x) => toHop(x, name)),
    metrics: a.metrics,
    pref: a.pref === undefined ? undefined : routePrefName(a.pref),
    tos: h.tos,
    realms: realms(a.flow),
    expires: exp === undefined || exp === 0 ? undefined : Math.trunc(exp / USER_HZ),
    attrs: a,
  };
}
