/**
 * Neighbour dump entries decoded on access (src/netlink/lazy.ts): the Neighbour fields come
 * from the NDA_* attributes neighbourOf() reads, and `attrs` (cacheinfo, vlan, master, …) is
 * decoded the first time it is read.
 */
import { lazyKind } from '../../netlink/lazy.js';
import type { IfNameOf } from '../ifnames.js';
import { RTM_NEWNEIGH, rtnetlink } from '../protocol.js';
import { type Neighbour, neighbourOf } from './neigh.js';

/** The lazy Neighbour kind: readers for `neigh.list()` / `neigh.stream()`. */
export const lazyNeighbours = lazyKind<Neighbour, IfNameOf>('Neighbour', () => ({
  schema: rtnetlink.schema(RTM_NEWNEIGH)!,
  pick: ['dst', 'lladdr', 'flagsExt', 'probes', 'protocol'],
  build: (h, a, name) => neighbourOf(h, a, name),
}));
