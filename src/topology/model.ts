/**
 * The validated lab, resolved into what the kernel will hold: per node, the interfaces it
 * has (bridges, veth ends, vxlan devices) with their settings, routes, NAT and filter rules.
 * plan() compares this against what observe() read; apply() executes the difference.
 */
import type { LabExpect, LabFilter, LabNat, LabNodeKind, LabProcess, LabSpec } from './spec.js';

/** The ownership marker put on every link the lab creates (IFLA_IFALIAS). */
export const linkAlias = (lab: string): string => `netlink-lab:${lab}`;
/**
 * The link group (IFLA_GROUP) of the lab's links: lets destroy delete them all with one
 * request (`ip link del group N`: the kernel unregisters them in one batch, one RCU grace
 * period instead of one per link). A hash of the name, so it can collide with another lab's:
 * destroy checks every link of the group carries this lab's alias before using it.
 */
export function linkGroup(lab: string): number {
  let h = 0x811c9dc5;
  for (const c of Buffer.from(lab)) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return (0x4c000000 | (h & 0x00ffffff)) >>> 0;
}
/** The alias of lo in a namespace the lab created: marks the namespace as the lab's node. */
export const nodeAlias = (lab: string, node: string): string => `netlink-lab:${lab}:${node}`;
/** The nftables table (family ip) the lab owns in each node with NAT or filter rules. */
export const nftTableName = (lab: string): string => `netlink_lab_${lab}`;
/**
 * The regular chain of the lab's nft table that remembers, in the kernel, the value each host
 * sysctl had before the lab changed it (one rule per key, comment `sysctl KEY=VALUE`, no
 * expressions): destroy puts them back. Only for nodes the lab does not own (kind host).
 */
export const SAVED_CHAIN = 'saved_sysctls';
export const savedComment = (key: string, value: string): string => `sysctl ${key}=${value}`;
/** `sysctl KEY=VALUE` → [key, value]. */
export function parseSaved(comment: string | undefined): [string, string] | undefined {
  const m = comment === undefined ? null : /^sysctl ([^=]+)=(.*)$/s.exec(comment);
  return m ? [m[1]!, m[2]!] : undefined;
}
/** Environment marker of keepers and lab processes (read back from /proc/PID/environ). */
export const ENV_MARKER = 'NETLINK_LAB';

export interface NodeModel {
  readonly name: string;
  readonly kind: LabNodeKind;
  /** The `ip netns` name (kind netns). */
  readonly netns: string | undefined;
  readonly hostname: string | undefined;
  /** Desired lo state; undefined = leave alone (host). */
  readonly lo: 'up' | 'down' | undefined;
  readonly sysctls: ReadonlyArray<readonly [key: string, value: string]>;
  readonly processes: readonly LabProcess[];
  readonly host: string | undefined;
  readonly path: string;
}

export interface IfaceModel {
  readonly node: string;
  readonly name: string;
  readonly kind: 'bridge' | 'veth' | 'vxlan';
  /** Canonical `addr/len` texts. */
  readonly addresses: readonly string[];
  readonly master: string | undefined;
  readonly mtu: number | undefined;
  readonly mac: string | undefined;
  readonly up: boolean;
  /** Bridges. */
  readonly stp: boolean | undefined;
  /** veth: the other end. */
  readonly peer: { readonly node: string; readonly name: string } | undefined;
  /** veth: whether this end is the one whose request creates the pair (end a). */
  readonly creator: boolean;
  /** vxlan. */
  readonly vxlan: { readonly vni: number; readonly port: number; readonly local: string; readonly remotes: readonly string[]; readonly dev: string | undefined } | undefined;
  /** Spec path (`links[0].a`, `bridges[1]`, `overlays[0]`). */
  readonly path: string;
}

export interface RouteModel {
  readonly node: string;
  readonly dst: string;
  readonly family: 4 | 6;
  readonly via: string | undefined;
  readonly dev: string | undefined;
  readonly table: number;
  readonly metric: number | undefined;
  readonly path: string;
}

export interface LabModel {
  readonly name: string;
  readonly spec: LabSpec;
  /** Nodes in spec order. */
  readonly nodes: readonly NodeModel[];
  /** Interfaces in creation order: bridges, then veth ends (a then b), then vxlan. */
  readonly ifaces: readonly IfaceModel[];
  readonly routes: readonly RouteModel[];
  readonly nat: ReadonlyArray<LabNat & { readonly path: string }>;
  readonly filter: ReadonlyArray<LabFilter & { readonly path: string }>;
  readonly expect: readonly LabExpect[];
}
