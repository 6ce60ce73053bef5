/**
 * Route objects out of RTM_NEWROUTE messages (dump entries, `route.get()` answers): struct
 * rtmsg and the RTA_* attributes of <linux/rtnetlink.h> in the shape `ip -j route` prints,
 * with types, scopes and protocols named as RouteSpec takes them.
 */
import type { Message } from '../netlink/message.js';
import { AF } from './family.js';
import type { RouteAttrs, RouteMetrics, RtMsg, RtNextHop } from './route.schema.js';
import {
  type RoutePrefName, type RouteProtocolName, type RouteScopeName, type RouteTypeName,
  routePrefName, routeProtocolName, routeScopeName, routeTypeName,
} from './route-names.js';

/** One path of a multipath route (a `struct rtnexthop` of RTA_MULTIPATH). */
export interface RouteNextHop {
  /** RTA_GATEWAY of this hop. */
  readonly gateway: string | undefined;
  /** rtnh_ifindex (undefined when 0). */
  readonly dev: number | undefined;
  /** rtnh_hops + 1, as `ip route` prints `weight`. */
  readonly weight: number;
  /** rtnh_flags: RTNH_F_* (ONLINK, DEAD, LINKDOWN, …). */
  readonly flags: number;
}

/** A route, as `ip -j route show` reports it. */
export interface Route {
  readonly family: 4 | 6;
  /** `default` (rtm_dst_len 0) or `network/len` — host routes too keep their `/32` or `/128`. */
  readonly dst: string;
  /** RTA_GATEWAY. */
  readonly gateway: string | undefined;
  /** RTA_OIF: the output device's ifindex. */
  readonly dev: number | undefined;
  /** RTA_PREFSRC. */
  readonly prefsrc: string | undefined;
  /** The full table id: RTA_TABLE (always sent by the kernel), else rtm_table. */
  readonly table: number;
  /** rtm_protocol by name (`kernel`, `boot`, `static`, …), a number when unnamed. */
  readonly protocol: RouteProtocolName | number;
  /** rtm_scope by name (`universe`, `link`, `host`, …). */
  readonly scope: Exclude<RouteScopeName, 'global'> | number;
  /** rtm_type by name (`unicast`, `local`, `blackhole`, …). */
  readonly type: RouteTypeName | number;
  /** RTA_PRIORITY (`metric`). */
  readonly metric: number | undefined;
  /** rtm_flags: RTNH_F_* and RTM_F_* bits. */
  readonly flags: number;
  /** RTA_MULTIPATH. */
  readonly nexthops: readonly RouteNextHop[] | undefined;
  /** RTA_METRICS (RTAX_* values). */
  readonly metrics: RouteMetrics | undefined;
  /** RTA_PREF of an IPv6 route. */
  readonly pref: RoutePrefName | number | undefined;
  /** rtm_tos. */
  readonly tos: number;
  /** Every attribute the kernel sent, decoded by the RTA table. */
  readonly attrs: RouteAttrs;
}

const toHop = (h: RtNextHop): RouteNextHop => ({
  gateway: h.attrs.gateway, dev: h.ifindex === 0 ? undefined : h.ifindex, weight: h.hops + 1, flags: h.flags,
});

/**
 * Route of an RTM_NEWROUTE message, or undefined for families other than IPv4/IPv6 (an
 * AF_UNSPEC dump also reaches the IPMR/IP6MR/MPLS tables, which are not `ip route`'s).
 */
export function toRoute(m: Message): Route | undefined {
  return routeOf(m.header as RtMsg, m.attrs as RouteAttrs | undefined);
}

/** {@link toRoute} from a route message's decoded struct rtmsg and RTA_* attributes (dumps: NetlinkSocket.dumpEntries). */
export function routeOf(h: RtMsg, attrs: RouteAttrs | undefined): Route | undefined {
  const family = h.family === AF.AF_INET ? 4 : h.family === AF.AF_INET6 ? 6 : 0;
  if (family === 0) return undefined;
  const a = attrs ?? {};
  return {
    family,
    dst: h.dst_len === 0 ? 'default' : `${a.dst ?? (family === 4 ? '0.0.0.0' : '::')}/${h.dst_len}`,
    gateway: a.gateway,
    dev: a.oif,
    prefsrc: a.prefsrc,
    table: a.table ?? h.table,
    protocol: routeProtocolName(h.protocol),
    scope: routeScopeName(h.scope),
    type: routeTypeName(h.type),
    metric: a.priority,
    flags: h.flags,
    nexthops: a.multipath?.map(toHop),
    metrics: a.metrics,
    pref: a.pref === undefined ? undefined : routePrefName(a.pref),
    tos: h.tos,
    attrs: a,
  };
}
