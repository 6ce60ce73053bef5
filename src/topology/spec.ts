/**
 * The lab spec, defined ONCE with TypeBox: the TypeScript types (`Static<>`), the structural
 * validator (`Value.Errors`) and the published JSON Schema (schema/netlink-lab.schema.json,
 * written by tools/gen-lab-schema.ts) all come from the schemas below.
 *
 * Shape (containerlab-like: nodes by name, links as endpoint pairs):
 *   name, nodes{NAME: {kind, netns?, hostname?, lo?, sysctls?, processes?, host?}},
 *   bridges[{name, node, addresses?, stp?, mtu?, up?}],
 *   links[{kind: veth, a: endpoint, b: endpoint}], routes[{node, dst, via?, dev?, table?, metric?}],
 *   nat[{node, kind: masquerade|snat|dnat, …}], filter[{node, chain?, hook?, rules: [...]}],
 *   expect[{from, to, proto, port, ok, seen?}], hosts{TAG: {underlay}}, overlays[{name, vni, bridges}].
 * Semantic checks (names, references, subnets) live in validate.ts.
 */
import { type Static, Type } from '@sinclair/typebox';

/** Lab names go into link aliases, nft table names and process markers: short and plain. */
export const LAB_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$';
/** Node names: usable as an `ip netns` name and inside markers. */
export const NODE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';

const Address = Type.String({ description: 'IPv4 or IPv6 address with prefix length, e.g. 10.0.0.1/24 or fd00::1/64', minLength: 3 });
const Addresses = Type.Array(Address, { description: 'Addresses to put on the interface' });
const Ifname = Type.String({ description: 'Interface name (1–15 bytes, IFNAMSIZ)', minLength: 1 });
const NodeRef = Type.String({ description: 'Name of a node in `nodes`', minLength: 1 });
const Mtu = Type.Integer({ minimum: 68, maximum: 65535 });
const SysctlValue = Type.Union([Type.Integer(), Type.String(), Type.Boolean()]);

export const ProcessSchema = Type.Object({
  name: Type.String({ description: 'Process name, unique in its node', pattern: '^[A-Za-z0-9_.-]{1,32}$' }),
  cmd: Type.Array(Type.String(), { minItems: 1, description: 'argv: executable then arguments (no shell)' }),
  env: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Extra environment' })),
}, { additionalProperties: false, description: 'A process started inside the node after apply; killed by destroy' });

export const NodeSchema = Type.Object({
  kind: Type.Union([Type.Literal('host'), Type.Literal('netns'), Type.Literal('unshared')], {
    description: 'host: the namespace netlink-lab runs in; netns: a named namespace (ip netns); unshared: an unnamed namespace held by a keeper process',
  }),
  netns: Type.Optional(Type.String({ description: 'For kind netns: the ip netns name. Default: the node name', minLength: 1 })),
  hostname: Type.Optional(Type.String({ description: 'For kind unshared: a UTS namespace with this hostname', minLength: 1, maxLength: 64 })),
  lo: Type.Optional(Type.Union([Type.Literal('up'), Type.Literal('down')], { description: 'Loopback state. Default up (host: left alone)' })),
  sysctls: Type.Optional(Type.Record(Type.String(), SysctlValue, { description: 'sysctl key → value inside the node, e.g. net.ipv4.ip_forward: 1' })),
  processes: Type.Optional(Type.Array(ProcessSchema)),
  host: Type.Optional(Type.String({ description: 'Machine tag (key of `hosts`) for multi-host labs', minLength: 1 })),
}, { additionalProperties: false });

export const BridgeSchema = Type.Object({
  name: Ifname,
  node: NodeRef,
  addresses: Type.Optional(Addresses),
  stp: Type.Optional(Type.Boolean({ description: 'Spanning tree. Default false' })),
  mtu: Type.Optional(Mtu),
  up: Type.Optional(Type.Boolean({ description: 'Default true' })),
}, { additionalProperties: false });

export const EndpointSchema = Type.Object({
  node: NodeRef,
  ifname: Ifname,
  addresses: Type.Optional(Addresses),
  master: Type.Optional(Type.String({ description: 'Bridge (in the same node) to enslave this end to', minLength: 1 })),
  mtu: Type.Optional(Mtu),
  mac: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$' })),
  up: Type.Optional(Type.Boolean({ description: 'Default true' })),
}, { additionalProperties: false });

export const LinkSchema = Type.Object({
  kind: Type.Literal('veth'),
  a: EndpointSchema,
  b: EndpointSchema,
}, { additionalProperties: false, description: 'A veth cable between two endpoints' });

export const RouteSchema = Type.Object({
  node: NodeRef,
  dst: Type.String({ description: '"default" or a prefix (10.1.0.0/16, fd00::/64)', minLength: 1 }),
  via: Type.Optional(Type.String({ description: 'Gateway address (must be in a subnet connected to the node)' })),
  dev: Type.Optional(Ifname),
  table: Type.Optional(Type.Integer({ minimum: 1, maximum: 0xfffffffe, description: 'Routing table id. Default main (254)' })),
  metric: Type.Optional(Type.Integer({ minimum: 0 })),
}, { additionalProperties: false });

export const NatSchema = Type.Object({
  node: NodeRef,
  kind: Type.Union([Type.Literal('masquerade'), Type.Literal('snat'), Type.Literal('dnat')]),
  source: Type.Optional(Type.String({ description: 'masquerade/snat: ip saddr PREFIX' })),
  outputInterface: Type.Optional(Ifname),
  notOutputInterface: Type.Optional(Ifname),
  to: Type.Optional(Type.String({ description: 'snat/dnat: the address to translate to' })),
  toPort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  protocol: Type.Optional(Type.Union([Type.Literal('tcp'), Type.Literal('udp')])),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'dnat: destination port matched' })),
  destination: Type.Optional(Type.String({ description: 'dnat: ip daddr ADDR' })),
  inputInterface: Type.Optional(Ifname),
}, { additionalProperties: false, description: 'NAT rule in the node\'s lab table (ip family)' });

export const FilterRuleSchema = Type.Object({
  protocol: Type.Optional(Type.Union([Type.Literal('tcp'), Type.Literal('udp')])),
  source: Type.Optional(Type.String()),
  destination: Type.Optional(Type.String()),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'destination port' })),
  inputInterface: Type.Optional(Ifname),
  outputInterface: Type.Optional(Ifname),
  verdict: Type.Union([Type.Literal('accept'), Type.Literal('drop')]),
}, { additionalProperties: false, description: 'One filter rule (a typed subset of nft syntax)' });

export const FilterSchema = Type.Object({
  node: NodeRef,
  hook: Type.Optional(Type.Union([Type.Literal('input'), Type.Literal('forward'), Type.Literal('output')], { description: 'Default forward' })),
  policy: Type.Optional(Type.Union([Type.Literal('accept'), Type.Literal('drop')], { description: 'Default accept' })),
  rules: Type.Array(FilterRuleSchema),
}, { additionalProperties: false });

export const ExpectSchema = Type.Object({
  from: NodeRef,
  to: Type.String({ description: 'A node name (its first address) or an address', minLength: 1 }),
  proto: Type.Union([Type.Literal('tcp'), Type.Literal('udp')]),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  ok: Type.Boolean({ description: 'Whether the connection must succeed' }),
  seen: Type.Optional(Type.String({ description: 'The source address the listener must see' })),
}, { additionalProperties: false });

export const HostSchema = Type.Object({
  underlay: Type.String({ description: 'This machine\'s underlay address (VXLAN local/remote)' }),
  dev: Type.Optional(Ifname),
}, { additionalProperties: false });

export const OverlaySchema = Type.Object({
  name: Ifname,
  vni: Type.Integer({ minimum: 1, maximum: 0xffffff }),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'UDP port. Default 4789' })),
  bridges: Type.Array(Type.String({ minLength: 1 }), { minItems: 2, description: 'Bridges (one per host) joined into one segment' }),
}, { additionalProperties: false, description: 'A VXLAN overlay: one vxlan device per bridge, fdb entries for the other hosts' });

export const LabSpecSchema = Type.Object({
  $schema: Type.Optional(Type.String()),
  name: Type.String({ pattern: LAB_NAME_PATTERN, description: 'Lab name (1–16 of A-Z a-z 0-9 _ -): the ownership marker' }),
  nodes: Type.Record(Type.String({ pattern: NODE_NAME_PATTERN }), NodeSchema),
  bridges: Type.Optional(Type.Array(BridgeSchema)),
  links: Type.Optional(Type.Array(LinkSchema)),
  routes: Type.Optional(Type.Array(RouteSchema)),
  nat: Type.Optional(Type.Array(NatSchema)),
  filter: Type.Optional(Type.Array(FilterSchema)),
  expect: Type.Optional(Type.Array(ExpectSchema)),
  hosts: Type.Optional(Type.Record(Type.String({ pattern: NODE_NAME_PATTERN }), HostSchema)),
  overlays: Type.Optional(Type.Array(OverlaySchema)),
}, {
  additionalProperties: false,
  $id: 'https://github.com/netlink-ts/netlink-ts/schema/netlink-lab.schema.json',
  title: 'netlink-lab topology',
  description: 'A namespace lab for netlink-lab / netlink-ts topology: plan, apply, destroy',
});

export type LabSpec = Static<typeof LabSpecSchema>;
export type LabNode = Static<typeof NodeSchema>;
export type LabNodeKind = LabNode['kind'];
export type LabProcess = Static<typeof ProcessSchema>;
export type LabBridge = Static<typeof BridgeSchema>;
export type LabEndpoint = Static<typeof EndpointSchema>;
export type LabLink = Static<typeof LinkSchema>;
export type LabRoute = Static<typeof RouteSchema>;
export type LabNat = Static<typeof NatSchema>;
export type LabFilter = Static<typeof FilterSchema>;
export type LabFilterRule = Static<typeof FilterRuleSchema>;
export type LabExpect = Static<typeof ExpectSchema>;
export type LabHost = Static<typeof HostSchema>;
export type LabOverlay = Static<typeof OverlaySchema>;

/** The JSON Schema document for lab files (what schema/netlink-lab.schema.json holds). */
export function labJsonSchema(): Record<string, unknown> {
  // TypeBox schemas are JSON Schema; JSON round trip drops its symbol-keyed metadata.
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(LabSpecSchema)) as Record<string, unknown> };
}
