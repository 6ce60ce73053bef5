/**
 * netlink-ts: public API. Explicit re-exports, grouped by layer; types kept apart.
 */

// FFI
export { BACKENDS, libc, loadBackend, setBackend } from './ffi/libc.js';
export type { BackendName, Libc, RecvResult } from './ffi/libc.js';

// Errors
export {
  BackendUnavailableError, BulkError, DecodeError, DecodeLimitError, DumpInterruptedError, NetlinkError, NetlinkTimeoutError, ProtocolError, SocketStateError, SyscallError,
  NetlinkTsError,
} from './netlink/errors.js';
export type { ExtAck } from './netlink/errors.js';

// Netlink core
export * from './netlink/header.js';
export { NetlinkSocket } from './netlink/socket.js';
export type { BulkOptions, BulkResult, RequestOptions, SocketOptions } from './netlink/socket.js';
export { STREAM_TURN_MS } from './netlink/socket.js';
export { LazyMismatchError, assertLazyEqual, lazyKind } from './netlink/lazy.js';
export type { LazyEntryReader, LazyKind, LazyKindSpec, PickKeys } from './netlink/lazy.js';
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
export { AttrSet, array, attrs, nested, prefixed, struct, union, MAX_NEST_DEPTH, NLA_F_NESTED, NLA_F_NET_BYTEORDER } from './netlink/schema.js';
export type { AttrDef, AttrValues, Picker, Spec, StructValue } from './netlink/schema.js';
/** The attribute and field kinds of the schema engine: u8 … be64, asciiz, bytes, flag, ipaddr, lladdr, …. */
export * as kinds from './netlink/kinds.js';
export type { Kind } from './netlink/kinds.js';
export { fromJson, toJson } from './netlink/jsonable.js';
export { netnsPath, withNetnsSync } from './netlink/nsenter.js';
export type { NetnsRef, NetnsTarget } from './netlink/nsenter.js';

// rtnetlink
export { RouteHandle } from './route/handle.js';
export { LinkApi, linkFlagNames } from './route/link/link.js';
export type { Link, LinkFilter } from './route/link/link.js';
export { LINK_TYPES, groupName, linkFlagWords, linkTypeName, operstateName, parseGroup } from './route/link/link-names.js';
export type { LinkTypeName, OperstateName } from './route/link/link-names.js';
export type { IfNameOf } from './route/ifnames.js';
export { BR_STATE_NAMES, toBridgePort } from './route/link/bridge-port.js';
export type { BridgePort } from './route/link/bridge-port.js';
export type { LinkAddSpec, LinkKindSpec, LinkSetSpec, LinkSettings, VethPeerSpec } from './route/link/link-request.js';
export type { TuntapSpec } from './route/link/tuntap.js';
export { ADDR_SCOPES, AddrApi, addrFlagNames, toAddress } from './route/addr/addr.js';
export type { AddManyOptions, AddrFilter, AddrScope, Address, AddressSpec, Lifetime } from './route/addr/addr.js';
export { addrFlagWords, scopeWord } from './route/addr/addr.js';
export type { AddrFlagWord } from './route/addr/addr.js';
export { RouteApi } from './route/route/route.js';
export type { RouteAddOptions, RouteFilter, RouteGetOptions } from './route/route/route.js';
export type { LockableMetric, RouteMetricsSpec, RouteNextHopSpec, RouteSpec, RouteViaSpec } from './route/route/route-spec.js';
export { routeFlagWords, toRoute } from './route/route/route-decode.js';
export type { Route, RouteNextHop, RouteRealms, RouteVia } from './route/route/route-decode.js';
export { ROUTE_PREFS, ROUTE_PROTOCOLS, ROUTE_SCOPES, ROUTE_TABLES, ROUTE_TYPES } from './route/route/route-names.js';
export { NEIGH_STATES, NeighApi, neighStateNames, toNeighbour } from './route/neigh/neigh.js';
export type { NeighFilter, NeighSpec, NeighStateName, Neighbour } from './route/neigh/neigh.js';
export { RULE_ACTIONS, RuleApi, toRule } from './route/rule/rule.js';
export type { Rule, RuleFilter, RuleSpec } from './route/rule/rule.js';
export { broadcastOf, networkOf, parsePrefix } from './route/prefix.js';
export type { Prefix } from './route/prefix.js';
export * from './route/protocol.js';
export { IFLA, IFLA_INFO } from './route/link/link.schema.js';
export { RTNL_SET } from './route/kinds.js';
export type { LinkAttrs } from './route/link/link.schema.js';
export { IFA, IFADDRMSG } from './route/addr/addr.schema.js';
export { RTA, RTMSG } from './route/route/route.schema.js';
export { IFINFOMSG } from './route/link/ifinfomsg.js';

// Network namespaces
export { NetnsBusyError, NetnsError, NetnsExistsError, NetnsNotFoundError, NotANetnsError } from './netns/errors.js';
export { Netns, checkNetnsName, netnsInodeOfFd } from './netns/netns.js';
export type { NetnsOpenOptions, NetnsSpec } from './netns/netns.js';
export { addNetns, attachNetns, deleteNetns, identifyNetns, listNetns, netnsByNsid, netnsExists, netnsNames } from './netns/registry.js';
export type { ListNetnsOptions, NamedNetns, NetnsDirOptions } from './netns/registry.js';
export { runInNetns, spawnInNetns, spawnUnshared } from './netns/run.js';
export type { NetnsRunOptions, NetnsSpawnOptions, RunResult, UnsharedNetns, UnsharedOptions } from './netns/run.js';
export { netns, withNetns } from './netns/index.js';
export { DEFAULT_UNSHARED_DIR, findUnshared, stopUnshared } from './netns/unshared-owner.js';
export type { FoundUnshared, UnsharedTarget } from './netns/unshared-owner.js';
export { NsidApi, NETNSA_NSID_NOT_ASSIGNED } from './route/nsid/nsid.js';
export { FdbApi, fdbRequest, toFdbEntry } from './route/fdb/fdb.js';
export type { FdbEntry, FdbSpec } from './route/fdb/fdb.js';
export type { NsidEntry } from './route/nsid/nsid.js';

// sysctl
export { SysctlError, UnknownSysctlError, getSysctl, parseSysctl, setSysctl, sysctl, sysctlPath } from './sysctl/sysctl.js';
export type { SysctlOptions, SysctlValue } from './sysctl/sysctl.js';

// nftables
export { NftHandle } from './nft/handle.js';
export type { ListFilter as NftListFilter, NftHandleOptions, Ruleset as NftRuleset } from './nft/handle.js';
export { NftBatch } from './nft/batch.js';
export type { BatchOptions as NftBatchOptions, CommitOptions as NftCommitOptions, CommitResult as NftCommitResult } from './nft/batch.js';
export { NftBatchError, NftBatchTooLargeError } from './nft/errors.js';
export { NatApi, addPlan as addNatPlan, dnatPlan, masqueradePlan, snatPlan } from './nft/nat.js';
export type { DnatOptions, MasqueradeOptions, NatPlacement, NatPlan, NatResult, SnatOptions } from './nft/nat.js';
export { RuleBuilder, rule as nftRule } from './nft/rule-builder.js';
export type { MatchOptions as NftMatchOptions } from './nft/rule-builder.js';
export { ruleDebug as nftRuleDebug, ruleStatements as nftRuleStatements, ruleText as nftRuleText, statementText as nftStatementText } from './nft/print.js';
export type { Statement as NftStatement } from './nft/print.js';
export { toTable as toNftTable } from './nft/table.js';
export type { Table as NftTable, TableRef as NftTableRef, TableSpec as NftTableSpec } from './nft/table.js';
export { toChain as toNftChain } from './nft/chain.js';
export type { Chain as NftChain, ChainRef as NftChainRef, ChainSpec as NftChainSpec, ChainType as NftChainType, Policy as NftPolicy } from './nft/chain.js';
export { toRule as toNftRule } from './nft/rule.js';
export type { Rule as NftRule, RuleRef as NftRuleRef, RuleSpec as NftRuleSpec } from './nft/rule.js';
export { toSet as toNftSet } from './nft/set.js';
export type { ElementTarget as NftElementTarget, NftSet, SetRef as NftSetRef, SetSpec as NftSetSpec } from './nft/set.js';
export { SET_KEY_TYPES as NFT_SET_KEY_TYPES } from './nft/set-types.js';
export type { SetDataType as NftSetDataType, SetElement as NftSetElement, SetKeyType as NftSetKeyType } from './nft/set-types.js';
export { decodeElements as nftDecodeElements } from './nft/set-elements.js';
export type { ElementJson as NftElementJson, KeyValue as NftKeyValue, MapData as NftMapData, MapEntry as NftMapEntry } from './nft/set-elements.js';
export { SET_KEYS as NFT_SET_KEYS } from './nft/set-keys.js';
export type { SetKeyName as NftSetKeyName } from './nft/set-keys.js';
export type { AnonymousSet as NftAnonymousSet } from './nft/anonymous.js';
export { FAMILIES as NFT_FAMILIES, PRIORITIES as NFT_PRIORITIES } from './nft/family.js';
export type { FamilyName as NftFamily, HookName as NftHook } from './nft/family.js';
export { verdict as nftVerdict } from './nft/expr/immediate.js';
export { rulesetJson as nftRulesetJson, rulesetText as nftRulesetText } from './nft/print/ruleset.js';
export { ruleRendered as nftRuleRendered } from './nft/print.js';
export { rulesetFromMessages as nftRulesetFromMessages } from './nft/ruleset.js';
export { rulesetMessages as nftRulesetMessages } from './nft/ruleset-write.js';
export { delObjMessage as nftDelObjMessage, newObjMessage as nftNewObjMessage, toObject as toNftObject } from './nft/object.js';
export type { NftObject, ObjectSpec as NftObjectSpec, ObjectType as NftObjectType } from './nft/object.js';
export type { Rendered as NftRendered } from './nft/print/tree.js';
export type { JsonObject as NftJsonObject } from './nft/print/ruleset.js';
export type { Json as NftJson } from './nft/print/datatype.js';
export type { LabeledMessage as NftLabeledMessage, SetIds as NftSetIds } from './nft/ruleset-write.js';
export type { Printable as NftPrintable } from './nft/print.js';
export type { RtVia } from './route/route/route.schema.js';
export type { CmpOp as NftCmpOp } from './nft/rule-builder.js';
export type { Verdict as NftVerdict } from './nft/expr/immediate.js';
export { EXPRS as NFT_EXPRS } from './nft/expr/registry.js';
export { nfnetlink } from './nft/protocol.js';
/** nfnetlink / nf_tables numbers (NFT_MSG_*, NFTA_*, NFPROTO_*, …) from the uapi headers. */
export * as nftConstants from './nft/constants.js';
export { NFGENMSG, NFNL_BATCH } from './nft/nfgenmsg.js';
export { NFTA_TABLE } from './nft/table.schema.js';
export { NFTA_CHAIN, NFTA_HOOK } from './nft/chain.schema.js';
export { NFTA_RULE } from './nft/rule.schema.js';
export { NFTA_EXPR } from './nft/expr.schema.js';
export type { ExprAttrs as NftExpr } from './nft/expr.schema.js';
export { NFTA_SET, NFTA_SET_ELEM, NFTA_SET_ELEM_LIST } from './nft/set.schema.js';
export { NFTA_DATA, NFTA_VERDICT } from './nft/data.js';
export { NFTA_GEN } from './nft/gen.schema.js';
export { commentOf as nftCommentOf, commentUdata as nftCommentUdata } from './nft/userdata.js';

// monitoring
export { Monitor, monitor } from './route/monitor/monitor.js';
export type { MonitorOptions } from './route/monitor/monitor.js';
export { MONITOR_KINDS, decodeNotifications, monitorGroups, monitorKindOf, toMonitorEvent, toNsidEntry } from './route/monitor/monitor-event.js';
export type {
  AddrEvent, LinkEvent, LostEvent, MonitorAction, MonitorEvent, MonitorKind, NeighEvent, NsidEvent, ObjectEvent, ResyncedEvent,
  RouteEvent, RuleEvent,
} from './route/monitor/monitor-event.js';
export { Poller } from './netlink/poller.js';
export type { PollWait } from './netlink/poller.js';

// nftables monitoring
export { NftMonitor, monitorNft } from './nft/monitor.js';
export type { NftMonitorOptions } from './nft/monitor.js';
export { NFT_EVENT_KINDS, NftEventDecoder } from './nft/monitor-event.js';
export type {
  NftChainEvent, NftElementEvent, NftEvent, NftEventKind, NftGenEvent, NftLostEvent, NftObjectEvent, NftRuleEvent, NftSetEvent, NftTableEvent,
} from './nft/monitor-event.js';
export { NotificationStream } from './netlink/notifications.js';
export { elementsPerLine as nftElementsPerLine, elementsText as nftElementsText } from './nft/print-text.js';

// Types reachable from the API above (so users can name them; typedoc checks none is left out)
export type { AddrAttrs } from './route/addr/addr.schema.js';
export type { AttrSetOptions, Container, Entry, UnknownAttrs, ValueOfDef } from './netlink/schema.js';
export type { BondAttrs } from './route/link/link-kinds/bond.js';
export type { BridgeAttrs } from './route/link/link-kinds/bridge.js';
export type { BridgeLinkAttrs } from './route/link/link.schema.js';
export type { BridgePortFilter } from './route/link/bridge-port.js';
export type { EncodeStamp } from './netlink/message.js';
export type { EncodedMessages } from './netlink/wire-writer.js';
export type { EntryReader, ExchangeOptions, ExchangeReply, ExchangeResult } from './netlink/socket.js';
export type { ExprModule } from './nft/expr/module.js';
export type { Fields } from './netlink/struct.js';
export type { FrameDir } from './netlink/fixture.js';
export type { ImmediateData } from './nft/expr/immediate.js';
export type { IpvlanAttrs } from './route/link/link-kinds/ipvlan.js';
export type { Json } from './netlink/jsonable.js';
export type { MacvlanAttrs } from './route/link/link-kinds/macvlan.js';
export type { NdMsg, NeighAttrs } from './route/neigh/neigh.schema.js';
export type { NeighAddManyOptions, NeighFlagName } from './route/neigh/neigh.js';
export type { NetlinkErrorInit } from './netlink/errors.js';
export type { PortRange } from './route/rule/rule-spec.js';
export type { RouteAttrs, RouteMetrics, RtNextHop } from './route/route/route.schema.js';
export type { RouteProtocolName, RouteScopeName, RouteScopeWord } from './route/route/route-names.js';
export type { RuleAttrs } from './route/rule/rule.schema.js';
export type { SetAttrs, SetElemAttrs } from './nft/set.schema.js';
export type { SetKeyDef } from './nft/set-keys.js';
export type { SetKeyTypes, TypeInfo } from './nft/set-types.js';
export type { SetShape, VerdictJson } from './nft/set-elements.js';
export type { TunAttrs } from './route/link/link-kinds/tun.js';
export type { VlanAttrs } from './route/link/link-kinds/vlan.js';
export type { VxlanAttrs } from './route/link/link-kinds/vxlan.js';
export type { AttrNode, WalkFault, WalkItem, Walkable } from './netlink/walk.js';
