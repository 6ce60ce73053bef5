/**
 * Link dump entries decoded on access (src/netlink/lazy.ts): the Link fields come from the
 * IFLA_* attributes linkOf() reads (a dozen of the ~40 a link message carries; IFLA_LINKINFO
 * only for its kind words), and `attrs` — af_spec, map, xdp, linkinfo data, counters, … — is
 * decoded the first time it is read.
 */
import { lazyKind } from '../../netlink/lazy.js';
import type { IfNameOf } from '../ifnames.js';
import { RTM_NEWLINK, rtnetlink } from '../protocol.js';
import { type Link, linkOf } from './link.js';

/** The lazy Link kind: readers for `link.list()` / `link.stream()`. */
export const lazyLinks = lazyKind<Link, IfNameOf | undefined>('Link', () => ({
  schema: rtnetlink.schema(RTM_NEWLINK)!,
  pick: [
    'ifname', 'mtu', 'operstate', 'address', 'broadcast', 'master', 'link', 'linkNetnsid', 'group', 'txqlen', 'qdisc', 'ifalias',
    'promiscuity', 'allmulti', { linkinfo: ['kind', 'slaveKind'] },
  ],
  build: (h, a, name) => linkOf(h, a, name),
}));
