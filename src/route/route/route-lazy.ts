/**
 * Route dump entries decoded on access (src/netlink/lazy.ts): the Route fields come from the
 * RTA_* attributes routeOf() reads, and `attrs` (with everything else the kernel sent: mark,
 * uid, encap, nexthop id, …) is decoded the first time it is read.
 */
import { lazyKind } from '../../netlink/lazy.js';
import type { IfNameOf } from '../ifnames.js';
import { RTM_NEWROUTE, rtnetlink } from '../protocol.js';
import { type Route, routeOf } from './route-decode.js';

/** The lazy Route kind: readers for `route.list()` / `route.stream()`. */
export const lazyRoutes = lazyKind<Route, IfNameOf>('Route', () => ({
  schema: rtnetlink.schema(RTM_NEWROUTE)!,
  pick: ['dst', 'src', 'gateway', 'via', 'oif', 'prefsrc', 'table', 'priority', 'multipath', 'metrics', 'pref', 'flow', 'cacheinfo'],
  build: (h, a, name) => routeOf(h, a, name),
}));
