/**
 * netlink-ts: public API. Explicit re-exports, grouped by layer; types kept apart.
 */

// FFI
export { BACKENDS, libc, loadBackend, setBackend } from './ffi/libc.js';
export type { BackendName, Libc, RecvResult } from './ffi/libc.js';

// Errors
export {
  BulkError, DecodeError, DumpInterruptedError, NetlinkError, NetlinkTimeoutError, ProtocolError, SocketStateError, SyscallError,
} from './netlink/errors.js';
export type { ExtAck } from './netlink/errors.js';

// Netlink core
export * from './netlink/header.js';
export { NetlinkSocket } from './netlink/socket.js';
export type { BulkOptions, BulkResult, RequestOptions, SocketOptions } from './netlink/socket.js';
export { LiveTransport } from './netlink/transport.js';
export type { LiveTransportOptions, Transport } from './netlink/transport.js';
export { RecordingTransport, ReplayTransport } from './netlink/replay.js';
export type { ReplayOptions } from './netlink/replay.js';
export { formatHexFixture, parseHexFixture, selectFrames } from './netlink/fixture.js';
export type { FixtureProvenance, Frame } from './netlink/fixture.js';
export {
  Protocol, decodeAll, decodeMessage, describeMessage, encodeMessage, encodeMessages, reencode, splitMessages,
} from './netlink/message.js';
export type { ErrorPayload, Message, MessageSchema, OutMessage } from './netlink/message.js';
export { AttrSet, array, attrs, nested, prefixed, struct, union, NLA_F_NESTED, NLA_F_NET_BYTEORDER } from './netlink/schema.js';
export type { AttrDef, AttrValues, Spec, StructValue } from './netlink/schema.js';
export * as kinds from './netlink/kinds.js';
export type { Kind } from './netlink/kinds.js';
export { fromJson, toJson } from './netlink/jsonable.js';
export { netnsPath, withNetnsSync } from './netlink/nsenter.js';
export type { NetnsRef, NetnsTarget } from './netlink/nsenter.js';

// rtnetlink
export { RouteHandle } from './route/handle.js';
export { LinkApi, linkFlagNames } from './route/link.js';
export type { Link, LinkFilter } from './route/link.js';
export { BR_STATE_NAMES, toBridgePort } from './route/bridge-port.js';
export type { BridgePort } from './route/bridge-port.js';
export type { LinkAddSpec, LinkKindSpec, LinkSetSpec, LinkSettings, VethPeerSpec } from './route/link-request.js';
export { ADDR_SCOPES, AddrApi, addrFlagNames, toAddress } from './route/addr.js';
export type { AddManyOptions, AddrFilter, AddrScope, Address, AddressSpec, Lifetime } from './route/addr.js';
export { RouteApi } from './route/route.js';
export type { RouteAddOptions, RouteFilter, RouteGetOptions } from './route/route.js';
export type { LockableMetric, RouteMetricsSpec, RouteNextHopSpec, RouteSpec } from './route/route-spec.js';
export { toRoute } from './route/route-decode.js';
export type { Route, RouteNextHop } from './route/route-decode.js';
export { ROUTE_PREFS, ROUTE_PROTOCOLS, ROUTE_SCOPES, ROUTE_TABLES, ROUTE_TYPES } from './route/route-names.js';
export { NEIGH_STATES, NeighApi, neighStateNames, toNeighbour } from './route/neigh.js';
export type { NeighFilter, NeighSpec, NeighStateName, Neighbour } from './route/neigh.js';
export { RULE_ACTIONS, RuleApi, toRule } from './route/rule.js';
export type { Rule, RuleFilter, RuleSpec } from './route/rule.js';
export { broadcastOf, networkOf, parsePrefix } from './route/prefix.js';
export type { Prefix } from './route/prefix.js';
export * from './route/protocol.js';
export { IFLA, IFLA_INFO } from './route/link.schema.js';
export type { LinkAttrs } from './route/link.schema.js';
export { IFA, IFADDRMSG } from './route/addr.schema.js';
export { RTA, RTMSG } from './route/route.schema.js';
export { IFINFOMSG } from './route/ifinfomsg.js';

// Network namespaces
export { NetnsBusyError, NetnsError, NetnsExistsError, NetnsNotFoundError, NotANetnsError } from './netns/errors.js';
export { Netns, checkNetnsName, netnsInodeOfFd } from './netns/netns.js';
export type { NetnsOpenOptions, NetnsSpec } from './netns/netns.js';
export { addNetns, attachNetns, deleteNetns, identifyNetns, listNetns, netnsByNsid, netnsExists, netnsNames } from './netns/registry.js';
export type { ListNetnsOptions, NamedNetns, NetnsDirOptions } from './netns/registry.js';
export { runInNetns, spawnInNetns, spawnUnshared } from './netns/run.js';
export type { NetnsRunOptions, NetnsSpawnOptions, RunResult, UnsharedNetns, UnsharedOptions } from './netns/run.js';
export { netns, withNetns } from './netns/index.js';
export { NsidApi, NETNSA_NSID_NOT_ASSIGNED } from './route/nsid.js';
export type { NsidEntry } from './route/nsid.js';

// sysctl
export { SysctlError, UnknownSysctlError, getSysctl, parseSysctl, setSysctl, sysctl, sysctlPath } from './sysctl/sysctl.js';
export type { SysctlOptions, SysctlValue } from './sysctl/sysctl.js';

// monitoring
export { Monitor, monitor } from './route/monitor.js';
export type { MonitorOptions } from './route/monitor.js';
export { MONITOR_KINDS, decodeNotifications, monitorGroups, monitorKindOf, toMonitorEvent, toNsidEntry } from './route/monitor-event.js';
export type {
  AddrEvent, LinkEvent, LostEvent, MonitorAction, MonitorEvent, MonitorKind, NeighEvent, NsidEvent, ObjectEvent, ResyncedEvent,
  RouteEvent, RuleEvent,
} from './route/monitor-event.js';
export { Poller } from './netlink/poller.js';
export type { PollWait } from './netlink/poller.js';
