/**
 * Bridge ports as `bridge link show` reports them: an RTM_GETLINK dump whose ifinfomsg family
 * is AF_BRIDGE (handled by the kernel's rtnl_bridge_getlink(), one RTM_NEWLINK per bridge
 * port, IFLA_BRPORT_* in IFLA_PROTINFO). Those replies decode with IFLA_BR_MSG, chosen from the
 * header by the rtnetlink message table.
 */
import type { Message, OutMessage } from '../../netlink/message.js';
import { AF } from '../family.js';
import type { BridgeLinkAttrs } from './link.schema.js';
import { RTM_GETLINK } from '../protocol.js';

/** BR_STATE_* (<linux/if_bridge.h>) as `bridge link` prints them. */
export const BR_STATE_NAMES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'] as const;
export type BridgePortState = (typeof BR_STATE_NAMES)[number];

/** One bridge port, field by field what `bridge -d -j link show` prints. */
export interface BridgePort {
  readonly index: number;
  readonly name: string;
  /** ifindex of the bridge (IFLA_MASTER). */
  readonly master: number | undefined;
  /** IFF_* flags of the port device. */
  readonly flags: number;
  readonly mtu: number | undefined;
  /** Spanning-tree state by name; a number the kernel adds later stays a number. */
  readonly state: BridgePortState | number | undefined;
  readonly cost: number | undefined;
  readonly priority: number | undefined;
  /** IFLA_BRPORT_LEARNING. */
  readonly learning: boolean | undefined;
  /** IFLA_BRPORT_UNICAST_FLOOD (`flood`). */
  readonly flood: boolean | undefined;
  readonly mcastFlood: boolean | undefined;
  readonly bcastFlood: boolean | undefined;
  /** IFLA_BRPORT_MODE (`hairpin`). */
  readonly hairpin: boolean | undefined;
  /** IFLA_BRPORT_GUARD (BPDU guard). */
  readonly guard: boolean | undefined;
  /** IFLA_BRPORT_PROTECT (`root_block`). */
  readonly rootBlock: boolean | undefined;
  readonly fastLeave: boolean | undefined;
  readonly mcastToUcast: boolean | undefined;
  readonly neighSuppress: boolean | undefined;
  readonly vlanTunnel: boolean | undefined;
  readonly isolated: boolean | undefined;
  readonly locked: boolean | undefined;
  /** IFLA_BRPORT_MULTICAST_ROUTER (MDB_RTR_TYPE_*: 0 disabled, 1 temp_query, 2 perm, 3 temp). */
  readonly mcastRouter: number | undefined;
  /** Every attribute the kernel sent (AF_BRIDGE layout: `protinfo` is IFLA_BRPORT_*). */
  readonly attrs: BridgeLinkAttrs;
}

/** Which bridge ports `link.bridgePorts()` returns: those of one bridge (`master`, by name or index) or one device. */
export interface BridgePortFilter {
  /** Only ports of this bridge (name or ifindex). Filtered here: the kernel's AF_BRIDGE dump takes no filter. */
  readonly master?: string | number;
}

/** What `bridge link show` sends: an RTM_GETLINK dump, ifi_family AF_BRIDGE, no attributes. */
export function bridgePortDumpRequest(): OutMessage {
  return { type: RTM_GETLINK, flags: 0, header: { family: AF.AF_BRIDGE, type: 0, index: 0, flags: 0, change: 0 } };
}

const bool = (v: number | undefined): boolean | undefined => (v === undefined ? undefined : v !== 0);

/** A decoded AF_BRIDGE RTM_NEWLINK as a BridgePort. */
export function toBridgePort(m: Message): BridgePort {
  const h = m.header as { index: number; flags: number };
  const a = (m.attrs ?? {}) as BridgeLinkAttrs;
  const p = a.protinfo ?? {};
  return {
    index: h.index,
    name: a.ifname ?? '',
    master: a.master,
    flags: h.flags,
    mtu: a.mtu,
    state: p.state === undefined ? undefined : BR_STATE_NAMES[p.state] ?? p.state,
    cost: p.cost,
    priority: p.priority,
    learning: bool(p.learning),
    flood: bool(p.unicastFlood),
    mcastFlood: bool(p.mcastFlood),
    bcastFlood: bool(p.bcastFlood),
    hairpin: bool(p.mode),
    guard: bool(p.guard),
    rootBlock: bool(p.protect),
    fastLeave: bool(p.fastLeave),
    mcastToUcast: bool(p.mcastToUcast),
    neighSuppress: bool(p.neighSuppress),
    vlanTunnel: bool(p.vlanTunnel),
    isolated: bool(p.isolated),
    locked: bool(p.locked),
    mcastRouter: p.multicastRouter,
    attrs: a,
  };
}
