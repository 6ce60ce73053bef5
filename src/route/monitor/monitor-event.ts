/**
 * Monitor events: the typed values `monitor()` (monitor.ts) yields, the rtnetlink multicast
 * groups behind each kind (`enum rtnetlink_groups`, <linux/rtnetlink.h>), and the decoding of
 * one notification datagram into events with the same converters the dumps use (toLink,
 * toAddress, toRoute, toNeighbour, toRule).
 *
 * The kernel notifies with the message types of the requests: RTM_NEWLINK for a link that
 * appeared *or changed* (`ip monitor` prints both as the object), RTM_DELLINK when it went.
 */
import { AF } from '../family.js';
import type { Message } from '../../netlink/message.js';
import { decodeMessage, splitMessages } from '../../netlink/message.js';
import { NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN } from '../../netlink/header.js';
import { type Address, toAddress } from '../addr/addr.js';
import { type Link, toLink } from '../link/link.js';
import { type Neighbour, toNeighbour } from '../neigh/neigh.js';
import type { NsidEntry } from '../nsid/nsid.js';
import type { NsidAttrs } from '../nsid/nsid.schema.js';
import {
  RTM_DELADDR, RTM_DELLINK, RTM_DELNEIGH, RTM_DELNSID, RTM_DELROUTE, RTM_DELRULE, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNEIGH,
  RTM_NEWNSID, RTM_NEWROUTE, RTM_NEWRULE, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_IFADDR,
  RTNLGRP_IPV6_ROUTE, RTNLGRP_IPV6_RULE, RTNLGRP_LINK, RTNLGRP_NEIGH, RTNLGRP_NSID, rtnetlink,
} from '../protocol.js';
import { type Route, toRoute } from '../route/route-decode.js';
import { type Rule, toRule } from '../rule/rule.js';

/** What a monitor can watch; each is one or two rtnetlink multicast groups. */
export type MonitorKind = 'link' | 'addr' | 'route' | 'neigh' | 'rule' | 'nsid';

/** Every kind, in the order `ip monitor all` lists them. */
export const MONITOR_KINDS: readonly MonitorKind[] = ['link', 'addr', 'route', 'neigh', 'rule', 'nsid'];

/**
 * The groups (RTNLGRP_*) joined for each kind, per address family. Links, neighbours and
 * namespace ids have one group for every family.
 */
export function monitorGroups(kind: MonitorKind, family?: 4 | 6): number[] {
  const pick = (v4: number, v6: number): number[] => (family === 4 ? [v4] : family === 6 ? [v6] : [v4, v6]);
  switch (kind) {
    case 'link': return [RTNLGRP_LINK];
    case 'addr': return pick(RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR);
    case 'route': return pick(RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE);
    case 'neigh': return [RTNLGRP_NEIGH];
    case 'rule': return pick(RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE);
    case 'nsid': return [RTNLGRP_NSID];
  }
}

/**
 * `new`: the object appeared or changed (RTM_NEW*); `del`: it went (RTM_DEL*); `resync`: it
 * was in the tables re-dumped after a `lost` event (see {@link ResyncedEvent}).
 */
export type MonitorAction = 'new' | 'del' | 'resync';

interface EventBase<K extends string> {
  readonly kind: K;
  /** When the datagram was read (notifications carry no timestamp of their own). */
  readonly time: Date;
}
interface ObjectEventBase<K extends MonitorKind> extends EventBase<K> {
  readonly action: MonitorAction;
}

/** A link appeared, changed or went away (RTM_NEWLINK / RTM_DELLINK). */
export interface LinkEvent extends ObjectEventBase<'link'> { readonly link: Link }
/** An address was added or removed (RTM_NEWADDR / RTM_DELADDR). */
export interface AddrEvent extends ObjectEventBase<'addr'> { readonly addr: Address }
/** A route was added or removed (RTM_NEWROUTE / RTM_DELROUTE). */
export interface RouteEvent extends ObjectEventBase<'route'> { readonly route: Route }
/** A neighbour entry changed (RTM_NEWNEIGH / RTM_DELNEIGH). */
export interface NeighEvent extends ObjectEventBase<'neigh'> { readonly neigh: Neighbour }
/** A policy rule was added or removed (RTM_NEWRULE / RTM_DELRULE). */
export interface RuleEvent extends ObjectEventBase<'rule'> { readonly rule: Rule }
/** A namespace id assigned (`new`) or released (`del`, its namespace went) in the monitored namespace. */
export interface NsidEvent extends ObjectEventBase<'nsid'> { readonly nsid: NsidEntry }

/** An event about one object of a table. */
export type ObjectEvent = LinkEvent | AddrEvent | RouteEvent | NeighEvent | RuleEvent | NsidEvent;

/**
 * The kernel dropped notifications: the socket's receive buffer overflowed (recvmsg(2)
 * failed with ENOBUFS). Unless resync is off, `resync` events for every subscribed table
 * follow, then a {@link ResyncedEvent}.
 */
export interface LostEvent extends EventBase<'lost'> {}

/**
 * The re-dump after a {@link LostEvent} is complete: the `resync` events since that `lost`
 * event are the whole state of `kinds` (anything not among them is gone). Notifications still
 * queued at the overflow were dropped (the snapshot supersedes them); those that arrived during
 * the re-dump follow, and applied in order bring the state up to date.
 */
export interface ResyncedEvent extends EventBase<'resynced'> {
  readonly kinds: readonly MonitorKind[];
  /**
   * Tables whose re-dump the kernel interrupted (NLM_F_DUMP_INTR) on every try: their `resync`
   * events are the last try's, possibly inconsistent. Absent when the snapshot is whole.
   */
  readonly interrupted?: readonly MonitorKind[];
}

/** Everything a monitor yields. */
export type MonitorEvent = ObjectEvent | LostEvent | ResyncedEvent;

const TYPES: Readonly<Record<number, readonly [MonitorKind, 'new' | 'del']>> = {
  [RTM_NEWLINK]: ['link', 'new'], [RTM_DELLINK]: ['link', 'del'],
  [RTM_NEWADDR]: ['addr', 'new'], [RTM_DELADDR]: ['addr', 'del'],
  [RTM_NEWROUTE]: ['route', 'new'], [RTM_DELROUTE]: ['route', 'del'],
  [RTM_NEWNEIGH]: ['neigh', 'new'], [RTM_DELNEIGH]: ['neigh', 'del'],
  [RTM_NEWRULE]: ['rule', 'new'], [RTM_DELRULE]: ['rule', 'del'],
  [RTM_NEWNSID]: ['nsid', 'new'], [RTM_DELNSID]: ['nsid', 'del'],
};

/** The kind a notification's message type belongs to (RTM_NEWROUTE → `route`), if any. */
export function monitorKindOf(type: number): MonitorKind | undefined {
  return TYPES[type]?.[0];
}

/** NETNSA_* of an RTM_NEWNSID / RTM_DELNSID message as an {@link NsidEntry}. */
export function toNsidEntry(m: Message): NsidEntry | undefined {
  const a = m.attrs as NsidAttrs | undefined;
  if (a?.nsid === undefined) return undefined;
  return { nsid: a.nsid, currentNsid: a.currentNsid };
}

/**
 * One decoded rtnetlink message as an event, or undefined when it is not one a monitor
 * reports: another message type, or an object outside `ip`'s view that the converters leave
 * out (AF_BRIDGE FDB entries and bridge-port link messages, multicast-router routes and
 * rules, which share the groups). `action` overrides the one the type implies (resync dumps).
 */
export function toMonitorEvent(m: Message, time: Date, action?: MonitorAction): ObjectEvent | undefined {
  const t = TYPES[m.type];
  if (!t) return undefined;
  const act = action ?? t[1];
  switch (t[0]) {
    case 'link': {
      // Link notifications in RTNLGRP_LINK are AF_UNSPEC; AF_BRIDGE ones describe bridge ports.
      if ((m.header as { family: number }).family !== AF.AF_UNSPEC) return undefined;
      return { kind: 'link', action: act, link: toLink(m), time };
    }
    case 'addr': { const v = toAddress(m); return v && { kind: 'addr', action: act, addr: v, time }; }
    case 'route': { const v = toRoute(m); return v && { kind: 'route', action: act, route: v, time }; }
    case 'neigh': { const v = toNeighbour(m); return v && { kind: 'neigh', action: act, neigh: v, time }; }
    case 'rule': { const v = toRule(m); return v && { kind: 'rule', action: act, rule: v, time }; }
    case 'nsid': { const v = toNsidEntry(m); return v && { kind: 'nsid', action: act, nsid: v, time }; }
  }
}

/**
 * Every event in one notification datagram, in order, keeping only `kinds`. Control messages
 * (NLMSG_NOOP, NLMSG_DONE, …) are skipped; a malformed message throws DecodeError.
 */
export function decodeNotifications(dgram: Buffer, time: Date, kinds: ReadonlySet<MonitorKind>): ObjectEvent[] {
  const out: ObjectEvent[] = [];
  for (const [s, e] of splitMessages(dgram)) {
    const type = dgram.readUInt16LE(s + 4);
    if (type === NLMSG_NOOP || type === NLMSG_DONE || type === NLMSG_ERROR || type === NLMSG_OVERRUN) continue;
    const kind = monitorKindOf(type);
    if (kind === undefined || !kinds.has(kind)) continue;
    const ev = toMonitorEvent(decodeMessage(rtnetlink, dgram, s, e), time);
    if (ev) out.push(ev);
  }
  return out;
}
