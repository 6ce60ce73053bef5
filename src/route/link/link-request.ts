/**
 * Building RTM_NEWLINK / RTM_DELLINK requests from typed specs (`ip link add|set|del`).
 * Everything here is validated before any syscall; names of devices given as strings are
 * resolved by the caller (link.ts) where the kernel needs an index.
 */
import { type Libc, O_CLOEXEC, O_RDONLY } from '../../ffi/libc.js';
import { openNetnsPath } from '../../netlink/netns-errors.js';
import { type NetnsRef, netnsSource } from '../../netlink/nsenter.js';
import type { OutMessage } from '../../netlink/message.js';
import type { BondAttrs } from './link-kinds/bond.js';
import type { BridgeAttrs } from './link-kinds/bridge.js';
import type { IpvlanAttrs } from './link-kinds/ipvlan.js';
import type { MacvlanAttrs } from './link-kinds/macvlan.js';
import type { TunAttrs } from './link-kinds/tun.js';
import type { VlanAttrs } from './link-kinds/vlan.js';
import type { VxlanAttrs } from './link-kinds/vxlan.js';
import { IFF, type IfInfoMsg } from './ifinfomsg.js';
import type { LinkAttrs } from './link.schema.js';
import { RTM_DELLINK, RTM_NEWLINK } from '../protocol.js';
import { checkIfname } from '../devname.js';
import { parseGroup } from './link-names.js';

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
  /** IFLA_GROUP: a number or a name from /etc/iproute2/group (`default` = 0). */
  readonly group?: number | string;
  /** IFF_PROMISC (`promisc on|off`). */
  readonly promisc?: boolean;
  /** IFF_NOARP cleared (`arp on`) or set (`arp off`). */
  readonly arp?: boolean;
  /** IFF_MULTICAST (`multicast on|off`). */
  readonly multicast?: boolean;
  /** IFF_ALLMULTI (`allmulticast on|off`). */
  readonly allmulticast?: boolean;
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
  /** Parent device for vlan, macvlan, ipvlan (IFLA_LINK) and vxlan (its underlay: IFLA_VXLAN_LINK, as `ip link add … type vxlan … dev DEV`). */
  readonly link?: string | number;
};

/** `link.set()`: `ip link set DEV …`. */
export interface LinkSetSpec extends LinkSettings {
  /** Rename (`ip link set DEV name NEW`). */
  readonly name?: string;
  /** With `data`: `ip link set DEV type KIND …`, the kind's settings (IFLA_INFO_DATA); the kind must be the device's. */
  readonly kind?: string;
  /** The kind's attributes to change, typed by the kind's table (BridgeAttrs, VxlanAttrs, …). */
  readonly data?: BridgeAttrs | VxlanAttrs | VlanAttrs | MacvlanAttrs | IpvlanAttrs | BondAttrs | TunAttrs;
}

export { checkIfname } from '../devname.js';

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

const SETTINGS_KEYS = ['up', 'mtu', 'address', 'broadcast', 'txqlen', 'alias', 'group', 'master', 'netns', 'promisc', 'arp', 'multicast', 'allmulticast'];
const ADD_KEYS = [...SETTINGS_KEYS, 'name', 'kind', 'link', 'peer', 'data'];
const SET_KEYS = [...SETTINGS_KEYS, 'name', 'kind', 'data'];
const PEER_KEYS = ['name', 'netns', 'address', 'mtu', 'txqlen', 'up'];

/** A TypeError naming the first key of `o` that is not in `known` (a typo like `mtuu` must not pass silently). */
export function checkKeys(o: object, known: readonly string[], where: string): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new TypeError(`${where}.${k}: unknown key (one of ${known.join(', ')})`);
}

/** ifi_flags / ifi_change of the boolean settings (`ip link set DEV up|down promisc on arp off …`). */
function flagBits(s: LinkSettings, where: string): { flags: number; change: number } {
  let flags = 0, change = 0;
  const bit = (v: boolean | undefined, mask: number, field: string, inverted = false): void => {
    if (v === undefined) return;
    if (typeof v !== 'boolean') throw new TypeError(`${where}.${field}: expected a boolean`);
    change |= mask;
    if (v !== inverted) flags |= mask;
  };
  bit(s.up, IFF.IFF_UP, 'up');
  bit(s.promisc, IFF.IFF_PROMISC, 'promisc');
  bit(s.arp, IFF.IFF_NOARP, 'arp', true);
  bit(s.multicast, IFF.IFF_MULTICAST, 'multicast');
  bit(s.allmulticast, IFF.IFF_ALLMULTI, 'allmulticast');
  return { flags, change };
}

/** Validate and translate the settings shared by add and set into IFLA attributes. */
function settingsAttrs(s: LinkSettings, where: string, master: number | undefined, ns: NetnsFds): LinkAttrs {
  const a: LinkAttrs = {};
  if (s.mtu !== undefined) a.mtu = checkUint(s.mtu, `${where}.mtu`, 0xffffffff, 1);
  if (s.txqlen !== undefined) a.txqlen = checkUint(s.txqlen, `${where}.txqlen`);
  if (s.up !== undefined && typeof s.up !== 'boolean') throw new TypeError(`${where}.up: expected true or false, got ${JSON.stringify(s.up) ?? typeof s.up}`);
  if (s.address !== undefined) a.address = checkLinkAddress(s.address, `${where}.address`);
  if (s.broadcast !== undefined) a.broadcast = checkLinkAddress(s.broadcast, `${where}.broadcast`);
  if (s.alias !== undefined) {
    // We send it NUL-terminated (as the kernel reports it), so 254 bytes + NUL < IFALIASZ (256).
    if (typeof s.alias !== 'string' || Buffer.byteLength(s.alias) >= 255) throw new RangeError(`${where}.alias: a string of at most 254 bytes (IFALIASZ, with its NUL)`);
    a.ifalias = s.alias;
  }
  if (s.group !== undefined) a.group = parseGroup(s.group, `${where}.group`);
  if (master !== undefined) a.master = master;
  if (s.netns !== undefined) Object.assign(a, ns.attrs(s.netns, `${where}.netns`));
  return a;
}

/**
 * Link-layer address lengths a device can have (dev->addr_len): 6 Ethernet (bridge, veth,
 * vxlan, tap …), 4 / 16 IPv4 / IPv6 tunnels, 8 EUI-64 (IEEE 802.15.4, FireWire), 20
 * InfiniBand. Anything else (a 5-octet typo) cannot match any device: refused here, before the
 * kernel sees it.
 */
const LLADDR_LENGTHS: ReadonlySet<number> = new Set([4, 6, 8, 16, 20]);

function checkLinkAddress(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new TypeError(`${field}: expected a link-layer address like "02:00:00:00:00:01", got ${v === null ? 'null' : typeof v}`);
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})*$/.test(v)) throw new TypeError(`${field}: expected a link-layer address like "02:00:00:00:00:01", got ${JSON.stringify(v)}`);
  const octets = (v.length + 1) / 3;
  if (!LLADDR_LENGTHS.has(octets)) throw new RangeError(`${field}: ${JSON.stringify(v)} has ${octets} octets; a link-layer address has 6 (Ethernet), or 4, 8, 16, 20`);
  return v;
}

function upHeader(up: boolean | undefined, index = 0): IfInfoMsg {
  const bit = up === undefined ? 0 : IFF.IFF_UP;
  return { family: 0, type: 0, index, flags: up ? IFF.IFF_UP : 0, change: bit };
}

function settingsHeader(s: LinkSettings, where: string, index = 0): IfInfoMsg {
  return { family: 0, type: 0, index, ...flagBits(s, where) };
}

/** RTM_NEWLINK creating a link. `master`/`link` are already resolved to indices. */
export function newLinkMessage(spec: LinkAddSpec, resolved: { master?: number; link?: number }, ns: NetnsFds, flags: number): OutMessage {
  if (!spec || typeof spec !== 'object') throw new TypeError('link.add: expected a spec object');
  checkKeys(spec, spec.kind === 'veth' ? ADD_KEYS.filter((k) => k !== 'data') : ADD_KEYS.filter((k) => k !== 'peer'), 'link.add');
  const name = checkIfname(spec.name, 'link.add.name');
  if (typeof spec.kind !== 'string' || (spec.kind as string) === '') throw new TypeError('link.add.kind: expected a link kind such as "bridge" or "veth"');
  const attrs: LinkAttrs = { ifname: name, ...settingsAttrs(spec, 'link.add', resolved.master ?? undefined, ns) };
  // vxlan takes its underlay device as IFLA_VXLAN_LINK inside IFLA_INFO_DATA (iproute2's
  // `type vxlan … dev DEV`); the driver ignores IFLA_LINK. Every other kind: IFLA_LINK.
  const vxlanLink = spec.kind === 'vxlan' && resolved.link !== undefined;
  if (resolved.link !== undefined && !vxlanLink) attrs.link = resolved.link;
  const info: NonNullable<LinkAttrs['linkinfo']> = { kind: spec.kind };
  if (spec.kind === 'veth') {
    const p = spec.peer;
    if (p !== undefined) {
      if (p === null || typeof p !== 'object') throw new TypeError('link.add.peer: expected { name, … }');
      checkKeys(p, PEER_KEYS, 'link.add.peer');
      const peerAttrs: LinkAttrs = { ifname: checkIfname(p.name, 'link.add.peer.name') };
      if (p.mtu !== undefined) peerAttrs.mtu = checkUint(p.mtu, 'link.add.peer.mtu', 0xffffffff, 1);
      if (p.txqlen !== undefined) peerAttrs.txqlen = checkUint(p.txqlen, 'link.add.peer.txqlen');
      if (p.address !== undefined) peerAttrs.address = checkLinkAddress(p.address, 'link.add.peer.address');
      if (p.up !== undefined && typeof p.up !== 'boolean') throw new TypeError(`link.add.peer.up: expected true or false, got ${JSON.stringify(p.up) ?? typeof p.up}`);
      if (p.netns !== undefined) Object.assign(peerAttrs, ns.attrs(p.netns, 'link.add.peer.netns'));
      info.data = { peer: { header: upHeader(undefined), attrs: peerAttrs } };
    }
  } else if ('data' in spec && spec.data !== undefined) {
    info.data = spec.data as never;
    // iproute2: `external` (collect metadata) turns learning off unless `learning` is given.
    if (spec.kind === 'vxlan' && spec.data.collectMetadata && spec.data.learning === undefined) info.data = { ...spec.data, learning: 0 } as never;
  }
  if (vxlanLink) {
    const d = (info.data ?? {}) as VxlanAttrs;
    if (d.link !== undefined && d.link !== resolved.link) throw new TypeError(`link.add.link: the underlay is given twice (link and data.link ${d.link}); give one`);
    info.data = { link: resolved.link, ...d } as never;
  }
  attrs.linkinfo = info;
  return { type: RTM_NEWLINK, flags, header: settingsHeader(spec, 'link.add'), attrs };
}

/**
 * RTM_NEWLINK changing an existing link (iproute2 uses NEWLINK, not SETLINK, for `ip link set`).
 * `dev` by index, or by name — the kernel then finds it by IFLA_IFNAME, so no look-up is
 * needed; a rename must give the index, since IFLA_IFNAME then carries the new name.
 */
export function setLinkMessage(dev: number | string, spec: LinkSetSpec, master: number | undefined, ns: NetnsFds, field = 'link.set'): OutMessage {
  if (!spec || typeof spec !== 'object') throw new TypeError(`${field}: expected an object of changes`);
  checkKeys(spec, SET_KEYS, field);
  const attrs: LinkAttrs = typeof dev === 'string' ? { ifname: checkIfname(dev, field) } : {};
  Object.assign(attrs, settingsAttrs(spec, field, master, ns));
  if (spec.name !== undefined) {
    if (typeof dev === 'string') throw new TypeError(`${field}: a rename needs the device's index`);
    attrs.ifname = checkIfname(spec.name, `${field}.name`);
  }
  // `ip link set DEV type KIND …`: the kind's IFLA_INFO_DATA changes (the kind must be the device's).
  if (spec.kind !== undefined || spec.data !== undefined) {
    if (typeof spec.kind !== 'string' || spec.kind === '') throw new TypeError(`${field}.kind: kind data needs the device's kind ("bridge", "vxlan", …)`);
    if (spec.data === null || typeof spec.data !== 'object') throw new TypeError(`${field}.data: expected the kind's attributes`);
    attrs.linkinfo = { kind: spec.kind, data: spec.data as never };
  }
  const index = typeof dev === 'number' ? checkUint(dev, field, 0x7fffffff, 1) : 0;
  return { type: RTM_NEWLINK, flags: 0, header: settingsHeader(spec, field, index), attrs };
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
