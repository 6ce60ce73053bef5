/**
 * Device names beside indexes: objects that refer to a device (Address, Route, Neighbour,
 * FdbEntry, a Link's master) carry both the ifindex and the name, as `ip -j` prints the name.
 * A list/stream call takes one RTM_GETLINK dump (no counters) for the names, then decodes its
 * own dump with them; an index with no link in this namespace (a device just deleted, a
 * monitor event about a departed link) is named `if<N>`, as ip prints it.
 */
import type { NetlinkSocket } from '../netlink/socket.js';
import { RTEXT_FILTER } from './link/link.schema.js';
import { RTM_GETLINK } from './protocol.js';

/** ifindex → device name (`if<N>` when unknown). */
export type IfNameOf = (index: number) => string;

/** The resolver of last resort: `if<N>` for every index (ip's word for a device it cannot name). */
export const unnamed: IfNameOf = (i) => `if${i}`;

/** A resolver over a name map. */
export const nameOf = (names: ReadonlyMap<number, string>): IfNameOf => (i) => names.get(i) ?? `if${i}`;

/** Every link's name in the socket's namespace (one dump, counters skipped). */
export async function ifNames(sock: NetlinkSocket): Promise<IfNameOf> {
  const pairs = await sock.dumpEntries(
    { type: RTM_GETLINK, flags: 0, header: { family: 0, type: 0, index: 0, flags: 0, change: 0 }, attrs: { extMask: RTEXT_FILTER.RTEXT_FILTER_SKIP_STATS } },
    (h: { index: number }, a: { ifname?: string } | undefined) => [h.index, a?.ifname ?? ''] as const,
  );
  return nameOf(new Map(pairs));
}
