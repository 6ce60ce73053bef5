/** Protocol tables by the name fixtures and the CLI use (`NETLINK_ROUTE`, …). */
import type { Protocol } from './netlink/message.js';
import { nfnetlink } from './nft/protocol.js';
import { rtnetlink } from './route/protocol.js';

const BY_NAME: Readonly<Record<string, Protocol>> = { NETLINK_ROUTE: rtnetlink, NETLINK_NETFILTER: nfnetlink };

export function protocolFor(name: string): Protocol {
  const p = BY_NAME[name];
  if (!p) throw new RangeError(`no message tables for netlink protocol ${JSON.stringify(name)} (known: ${Object.keys(BY_NAME).join(', ')})`);
  return p;
}

/**
 * The registered protocol whose socket(2) protocol number is `id` (a pcap's SLL protocol
 * field, a socket's), or undefined when no tables are registered for it.
 */
export function protocolById(id: number): Protocol | undefined {
  return Object.values(BY_NAME).find((p) => p.id === id);
}
