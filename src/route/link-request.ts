/**
 * Building RTM_NEWLINK / RTM_DELLINK requests from typed specs (`ip link add|set|del`).
 * Everything here is validated before any syscall; names of devices given as strings are
 * resolved by the caller (link.ts) where the kernel needs an index.
 */
import { type Libc, O_CLOEXEC, O_RDONLY } from '../ffi/libc.js';
import { openNetnsPath } from '../netlink/netns-errors.js';
import { type NetnsRef, netnsSource } from '../netlink/nsenter.js';
import type { OutMessage } from '../netlink/message.js';
import type { BondAttrs } from './link-kinds/bond.js';
import type { BridgeAttrs } from './link-kinds/bridge.js';
import type { IpvlanAttrs } from './link-kinds/ipvlan.js';
import type { MacvlanAttrs } from './link-kinds/macvlan.js';
import type { TunAttrs } from './link-kinds/tun.js';
import type { VlanAttrs } from './link-kinds/vlan.js';
import type { VxlanAttrs } from './link-kinds/vxlan.js';
import { IFF, type IfInfoMsg } from './ifinfomsg.js';
import type { LinkAttrs } from './link.schema.js';
import { RTM_DELLINK, RTM_NEWLINK } from './protocol.js';
import { checkIfname } from './devname.js';

export type { NetnsRef };

/** Settings shared by `link.add()` and `link.set()`. */
export interface LinkSettings {
  /** IFF_UP. On a new veth, only this end may be up at creation (both → ENOTCONN); see `peer.up`. */
  readonly up?: boolean;
  readonly mtu?: number;
  /** MAC address `02:00:00:00:00:01`. */
  readonly address?: string;
  readonly broadcast?: string;
  readonly txqlen?: number;
  /** IFLA_IFALIAS. */
  readonly alias?: string;
  readonly group?: number;
  /** Enslave to this device (bridge, bond). In set(): `null` or 0 releases (`nomaster`). */
  readonly master?: string | number | null;
  /** Create in, or move to, another network namespace. */
  readonly netns?: NetnsRef;
}

/** The peer end of a veth pair. */
export interface VethPeerSpec {
  readonly name: string;
  /** Create the peer directly in this netns — far cheaper than creating then moving it. */
  readonly netns?: NetnsRef;
  readonly address?: string;
  readonly mtu?: number;
  readonly txqlen?: number;
  /** Bring the peer up after creation (a second request, in the peer's netns). */
  readonly up?: boolean;
}

/** Per-kind settings (IFLA_INFO_DATA), typed by the kind's attribute table. */
export type LinkKindSpec =
  | { readonly kind: 'veth'; readonly peer?: VethPeerSpec }
  | { readonly kind: 'bridge'; readonly data?: BridgeAttrs }
  | { readonly kind: 'vxlan'; readonly data: VxlanAttrs }
  | { readonly kind: 'vlan'; readonly data: VlanAttrs }
  | { readonly kind: 'macvlan' | 'macvtap'; readonly data?: MacvlanAttrs }
  | { readonly kind: 'ipvlan' | 'ipvtap'; readonly data?: IpvlanAttrs }
  | { readonly kind: 'bond'; readonly data?: BondAttrs }
  | { readonly kind: 'tun'; readonly data?: TunAttrs }
  | { readonly kind: 'dummy' | 'ifb' | 'nlmon' };

/** `link.add()`: `ip link add NAME [link DEV] … type KIND …`. */
export type LinkAddSpec = LinkSettings & LinkKindSpec & {
  readonly name: string;
  /** Parent device (IFLA_LINK) for vlan, macvlan, ipvlan, vxlan. */
  readonly link?: string | number;
};

/** `link.set()`: `ip link set DEV …`. */
export interface LinkSetSpec extends LinkSettings {
  /** Rename (`ip link set DEV name NEW`). */
  readonly name?: string;
}

export { checkIfname } from './devname.js';

function checkUint(v: unknown, field: string, max = 0xffffffff, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new RangeError(`${field}: expected an integer ${min}..${max}, got ${String(v)}`);
  return v;
}

/** Fds opened for IFLA_NET_NS_FD while a request is built; closed by the caller after sending. */
export class NetnsFds {
  readonly #open: number[] = [];
  constructor(private readonly lib: Libc) {}
  /** IFLA_NET_NS_FD / IFLA_NET_NS_PID attributes for `ref`. */
  attrs(ref: NetnsRef, field: string): Pick<LinkAttrs, 'netnsFd' | 'netnsPid'> {
    // A pid goes to the kernel as IFLA_NET_NS_PID, as `ip link … netns PID` sends it.
    if (ref !== null && typeof ref === 'object' && 'pid' in ref) return { netnsPid: checkUint(ref.pid, `${field}.pid`, 0x7fffffff, 1) };
    const src = netnsSource(ref, field);
    if (src.fd !== undefined) return { netnsFd: src.fd };
    const fd = openNetnsPath(this.lib, src.path, O_RDONLY | O_CLOEXEC, ref);
    this.#open.push(fd);
    return { netnsFd: fd };
  }
  close(): void {
    for (const fd of this.#open.splice(0)) this.lib.close(fd);
  }
}

/** Validate and translate the settings shared by add and set into IFLA attributes. */
function settingsAttrs(s: LinkSettings, where: string, master: number | undefined, ns: NetnsFds): LinkAttrs {
  const a: LinkAttrs = {};
  if (s.mtu !== undefined) a.mtu = checkUint(s.mtu, `${where}.mtu`, 0xffffffff, 1);
  if (s.txqlen !== undefined) a.txqlen = checkUint(s.txqlen, `${where}.txqlen`);
  if (s.address !== undefined) a.address = s.address;
  if (s.broadcast !== undefined) a.broadcast = s.broadcast;
  if (s.alias !== undefined) {
    // We send it NUL-terminated (as the kernel reports it), so 254 bytes + NUL < IFALIASZ (256).
    if (typeof s.alias !== 'string' || Buffer.byteLength(s.alias) >= 255) throw new RangeError(`${where}.alias: a string of at most 254 bytes (IFALIASZ, with its NUL)`);
    a.ifalias = s.alias;
  }
  if (s.group !== undefined) a.group = checkUint(s.group, `${where}.group`);
  if (master !== undefined) a.master = master;
  if (s.netns !== undefined) Object.assign(a, ns.attrs(s.netns, `${where}.netns`));
  return a;
}

function upHeader(up: boolean | undefined, index = 0): IfInfoMsg {
  const bit = up === undefined ? 0 : IFF.IFF_UP;
  return { family: 0, type: 0, index, flags: up ? IFF.IFF_UP : 0, change: bit };
}

/** RTM_NEWLINK creating a link. `master`/`link` are already resolved to indices. */
export function newLinkMessage(spec: LinkAddSpec, resolved: { master?: number; link?: number }, ns: NetnsFds, flags: number): OutMessage {
  if (!spec || typeof spec !== 'object') throw new TypeError('link.add: expected a spec object');
  const name = checkIfname(spec.name, 'link.add.name');
  if (typeof spec.kind !== 'string' || (spec.kind as string) === '') throw new TypeError('link.add.kind: expected a link kind such as "bridge" or "veth"');
  const attrs: LinkAttrs = { ifname: name, ...settingsAttrs(spec, 'link.add', resolved.master ?? undefined, ns) };
  if (resolved.link !== undefined) attrs.link = resolved.link;
  const info: NonNullable<LinkAttrs['linkinfo']> = { kind: spec.kind };
  if (spec.kind === 'veth') {
    const p = spec.peer;
    if (p !== undefined) {
      const peerAttrs: LinkAttrs = { ifname: checkIfname(p.name, 'link.add.peer.name') };
      if (p.mtu !== undefined) peerAttrs.mtu = checkUint(p.mtu, 'link.add.peer.mtu', 0xffffffff, 1);
      if (p.txqlen !== undefined) peerAttrs.txqlen = checkUint(p.txqlen, 'link.add.peer.txqlen');
      if (p.address !== undefined) peerAttrs.address = p.address;
      if (p.netns !== undefined) Object.assign(peerAttrs, ns.attrs(p.netns, 'link.add.peer.netns'));
      info.data = { peer: { header: upHeader(undefined), attrs: peerAttrs } };
    }
  } else if ('data' in spec && spec.data !== undefined) {
    info.data = spec.data as never;
  }
  attrs.linkinfo = info;
  return { type: RTM_NEWLINK, flags, header: upHeader(spec.up), attrs };
}

/**
 * RTM_NEWLINK changing an existing link (iproute2 uses NEWLINK, not SETLINK, for `ip link set`).
 * `dev` by index, or by name — the kernel then finds it by IFLA_IFNAME, so no look-up is
 * needed; a rename must give the index, since IFLA_IFNAME then carries the new name.
 */
export function setLinkMessage(dev: number | string, spec: LinkSetSpec, master: number | undefined, ns: NetnsFds, field = 'link.set'): OutMessage {
  if (!spec || typeof spec !== 'object') throw new TypeError(`${field}: expected an object of changes`);
  const attrs: LinkAttrs = typeof dev === 'string' ? { ifname: checkIfname(dev, field) } : {};
  Object.assign(attrs, settingsAttrs(spec, field, master, ns));
  if (spec.name !== undefined) {
    if (typeof dev === 'string') throw new TypeError(`${field}: a rename needs the device's index`);
    attrs.ifname = checkIfname(spec.name, `${field}.name`);
  }
  const index = typeof dev === 'number' ? checkUint(dev, field, 0x7fffffff, 1) : 0;
  return { type: RTM_NEWLINK, flags: 0, header: upHeader(spec.up, index), attrs };
}

/** RTM_DELLINK by index, or by name when `index` is 0. */
/**
 * `ip link del group N`: one RTM_DELLINK (ifi_index 0, IFLA_GROUP) that deletes every link of
 * the group. The kernel unregisters them as one batch — one RCU grace period for all, where
 * a DELLINK per link waits for one each: the fast way to tear a lab down.
 */
export function delGroupMessage(group: number): OutMessage {
  return { type: RTM_DELLINK, flags: 0, header: upHeader(undefined), attrs: { group: checkUint(group, 'link.delGroup', 0xffffffff) } };
}

export function delLinkMessage(dev: string | number): OutMessage {
  if (typeof dev === 'number') return { type: RTM_DELLINK, flags: 0, header: upHeader(undefined, checkUint(dev, 'link.del', 0x7fffffff, 1)), attrs: {} };
  return { type: RTM_DELLINK, flags: 0, header: upHeader(undefined), attrs: { ifname: checkIfname(dev, 'link.del') } };
}
