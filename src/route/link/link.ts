/**
 * Links (rtnetlink(7) RTM_GETLINK / RTM_NEWLINK / RTM_DELLINK): typed objects out of the
 * kernel's link table, and `ip link add|set|del` as typed calls (requests built in
 * link-request.ts).
 */
import { type Libc, libc } from '../../ffi/libc.js';
import { BulkError, NetlinkError, named } from '../../netlink/errors.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../../netlink/header.js';
import { type Message, type OutMessage } from '../../netlink/message.js';
import { type BulkOptions, type BulkResult, NetlinkSocket } from '../../netlink/socket.js';
import { LiveTransport } from '../../netlink/transport.js';
import {
  type LinkAddSpec, type LinkSetSpec, type NetnsRef, NetnsFds, checkIfname, delGroupMessage, delLinkMessage, newLinkMessage, setLinkMessage,
} from './link-request.js';
import { type LinkAttrs, IFF_NAMES, RTEXT_FILTER } from './link.schema.js';
import { RTM_GETLINK, rtnetlink } from '../protocol.js';
import { type BridgePort, type BridgePortFilter, bridgePortDumpRequest, toBridgePort } from './bridge-port.js';
import { formatBits } from '../../netlink/header.js';
import { type IfNameOf, ifNames, nameOf, unnamed } from '../ifnames.js';
import { type LinkTypeName, type OperstateName, groupName, linkFlagWords, linkTypeName, operstateName } from './link-names.js';
import { type TuntapSpec, createTuntap, tunIfreq } from './tuntap.js';
import { lazyLinks } from './link-lazy.js';

/**
 * A network interface, as `ip -j -d link show` reports it. Conventions shared by every typed
 * object (docs/objects.md): enums are ip's words (a number when unnamed), flag sets are ip's
 * word lists with the bits beside them in `rawFlags`, and a device reference is its name
 * with the ifindex beside it (`master` + `masterIndex`).
 */
export interface Link {
  readonly index: number;
  readonly name: string;
  /** ifi_type as ip's `link_type`: `ether`, `loopback`, `none`, … (a number when unnamed). */
  readonly type: LinkTypeName | number;
  /** ifi_flags as `ip link` prints them: `['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']`, `NO-CARRIER` first when up without carrier. */
  readonly flags: readonly string[];
  /** ifi_flags as bits (IFF_*; see {@link linkFlagNames}). */
  readonly rawFlags: number;
  readonly mtu: number | undefined;
  /** IFLA_OPERSTATE as ip prints it: `UP`, `DOWN`, `LOWERLAYERDOWN`, `UNKNOWN` (also when absent), … */
  readonly operstate: OperstateName | number;
  readonly address: string | undefined;
  readonly broadcast: string | undefined;
  /** IFLA_INFO_KIND: 'bridge', 'veth', … (undefined for devices without rtnl_link_ops such as lo). */
  readonly kind: string | undefined;
  /** IFLA_INFO_SLAVE_KIND: 'bridge' for a bridge port, … */
  readonly slaveKind: string | undefined;
  /** The master device's name (bridge port → bridge); `if<N>` if it cannot be named. */
  readonly master: string | undefined;
  /** IFLA_MASTER: the master's ifindex. */
  readonly masterIndex: number | undefined;
  /** The lower device's name (`eth0` of `eth0.10@eth0`), undefined when it lives in another namespace (see `linkNetnsid`) or is the link itself. */
  readonly link: string | undefined;
  /** IFLA_LINK: the lower device's ifindex (in the `linkNetnsid` namespace when that is set). */
  readonly linkIndex: number | undefined;
  /** IFLA_LINK_NETNSID: the namespace of the peer / lower device, by id. */
  readonly linkNetnsid: number | undefined;
  /** IFLA_GROUP as ip prints it: a name from /etc/iproute2/group (`default` for 0), else the number. */
  readonly group: string | number | undefined;
  readonly txqlen: number | undefined;
  readonly qdisc: string | undefined;
  /** IFLA_IFALIAS. */
  readonly ifalias: string | undefined;
  /** IFLA_PROMISCUITY / IFLA_ALLMULTI: counts of promiscuous / all-multicast users. */
  readonly promiscuity: number | undefined;
  readonly allmulti: number | undefined;
  /** Every attribute the kernel sent, decoded by the IFLA table (linkinfo data, GSO/GRO sizes, af_spec, …). */
  readonly attrs: LinkAttrs;
}

/** Which links `link.list()` / `stream()` return (kind, master, …); filters the kernel applies where it can. */
export interface LinkFilter {
  /**
   * Include counters (IFLA_STATS, IFLA_STATS64, IPv6 per-device stats). Default false: the
   * dump asks the kernel to skip them (RTEXT_FILTER_SKIP_STATS), as `ip link` does without
   * `-s` — they are half of every message and most of the decoding cost.
   */
  readonly stats?: boolean;
  /** Only links of this kind (IFLA_LINKINFO/IFLA_INFO_KIND, filtered in the kernel). */
  readonly kind?: string;
  /** Only ports of this master, by name or ifindex (IFLA_MASTER, filtered in the kernel). */
  readonly master?: string | number;
}

const LOOKUP_EXT_MASK = RTEXT_FILTER.RTEXT_FILTER_VF | RTEXT_FILTER.RTEXT_FILTER_SKIP_STATS;

/** IFF_* names of a flags value, e.g. ['UP', 'BROADCAST', 'LOWER_UP']. */
export function linkFlagNames(flags: number): string[] {
  const s = formatBits(flags, IFF_NAMES);
  return s === '0' ? [] : s.split('|');
}

export function toLink(m: Message, name?: IfNameOf): Link {
  return linkOf(m.header as LinkHeader, m.attrs as LinkAttrs | undefined, name);
}

type LinkHeader = { index: number; type: number; flags: number };

/**
 * {@link toLink} from a link message's decoded struct ifinfomsg and IFLA_* attributes (dumps:
 * NetlinkSocket.dumpEntries). `name` names the master and lower devices; without it they are
 * `if<N>` until {@link nameLinks} names them from a whole dump.
 */
export function linkOf(h: LinkHeader, attrs: LinkAttrs | undefined, name: IfNameOf = unnamed): Link {
  const a = attrs ?? {};
  const up = a.link;
  const ownLower = up === undefined || (up === h.index && a.linkNetnsid === undefined);
  return {
    index: h.index,
    name: a.ifname ?? '',
    type: linkTypeName(h.type),
    flags: linkFlagWords(h.flags),
    rawFlags: h.flags,
    mtu: a.mtu,
    operstate: operstateName(a.operstate),
    address: a.address,
    broadcast: a.broadcast,
    kind: a.linkinfo?.kind,
    slaveKind: a.linkinfo?.slaveKind,
    master: a.master === undefined ? undefined : name(a.master),
    masterIndex: a.master,
    link: ownLower || a.linkNetnsid !== undefined ? undefined : name(up!),
    linkIndex: up,
    linkNetnsid: a.linkNetnsid,
    group: a.group === undefined ? undefined : groupName(a.group),
    txqlen: a.txqlen,
    qdisc: a.qdisc,
    ifalias: a.ifalias,
    promiscuity: a.promiscuity,
    allmulti: a.allmulti,
    attrs: a,
  };
}

/** Name every link's master and lower device from the links of the same dump (in place; returns `links`). */
export function nameLinks(links: Link[], name?: IfNameOf): Link[] {
  const of = name ?? nameOf(new Map(links.map((l) => [l.index, l.name])));
  for (const l of links as Mutable<Link>[]) {
    if (l.masterIndex !== undefined) l.master = of(l.masterIndex);
    if (l.link !== undefined) l.link = of(l.linkIndex!);
  }
  return links;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function dumpRequest(filter: LinkFilter = {}, master?: number): OutMessage {
  const attrs: LinkAttrs = { extMask: RTEXT_FILTER.RTEXT_FILTER_VF | (filter.stats ? 0 : RTEXT_FILTER.RTEXT_FILTER_SKIP_STATS) };
  if (master !== undefined) attrs.master = master;
  if (filter.kind !== undefined) attrs.linkinfo = { kind: filter.kind };
  return { type: RTM_GETLINK, flags: 0, header: { family: 0, type: 0, index: 0, flags: 0, change: 0 }, attrs };
}

/** The link sub-API of a route handle. */
export class LinkApi {
  constructor(private readonly sock: NetlinkSocket) {}

  /** The libc behind the socket (for opening netns paths); the default one for replayed sockets. */
  get #lib(): Libc {
    const tr = this.sock.transport;
    return tr instanceof LiveTransport ? tr.lib : libc();
  }

  /** Index of a device given by name (asked of the kernel) or index (taken as is). */
  async index(dev: string | number, field = 'dev'): Promise<number> {
    if (typeof dev === 'number') {
      if (!Number.isInteger(dev) || dev <= 0) throw new RangeError(`${field}: an ifindex is a positive integer, got ${dev}`);
      return dev;
    }
    return (await this.#get(checkIfname(dev, field))).index;
  }

  /** Name of a device given by index (RTM_GETLINK, no dump); ENODEV → NetlinkError. */
  async nameOf(index: number, field = 'dev'): Promise<string> {
    return (await this.#get(await this.index(index, field))).name;
  }

  /**
   * Create a link: `ip link add NAME [link DEV] [master M] [netns NS] … type KIND …`.
   * A veth peer can be created directly inside another netns (`peer.netns`), which costs
   * a fraction of moving it there afterwards.
   */
  async add(spec: LinkAddSpec): Promise<void> {
    try {
      await single(this.addMany([spec]));
    } catch (err) {
      throw named(err, `cannot add link "${spec?.name}"`);
    }
  }

  /**
   * Create many links with few syscalls (one bulk request). Failures come back as one
   * BulkError whose `failures[i].index` is the index into `specs`. Peers asked to be `up`
   * are brought up afterwards (the kernel refuses IFF_UP on both ends at creation).
   */
  async addMany(specs: readonly LinkAddSpec[], opts: BulkOptions = {}): Promise<BulkResult> {
    const names = new Map<string, number>();
    const resolve = async (dev: string | number | null | undefined, field: string): Promise<number | undefined> => {
      if (dev === undefined || dev === null) return undefined;
      if (typeof dev === 'number') return this.index(dev, field);
      let i = names.get(dev);
      if (i === undefined) names.set(dev, i = await this.index(dev, field));
      return i;
    };
    const ns = new NetnsFds(this.#lib);
    try {
      const msgs: OutMessage[] = [];
      if (!Array.isArray(specs)) throw new TypeError(`link.addMany: expected an array of link specs, got ${specs === null ? 'null' : typeof specs}`);
      // Every spec is an object before any name is resolved (a resolve is a syscall).
      specs.forEach((spec, i) => {
        if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new TypeError(`link.add${specs.length > 1 ? `[${i}]` : ''}: expected a spec object like { name: 'br0', kind: 'bridge' }, got ${spec === null ? 'null' : Array.isArray(spec) ? 'an array' : typeof spec}`);
      });
      for (const [i, spec] of specs.entries()) {
        const master = await resolve(spec.master, `link.add[${i}].master`);
        const link = await resolve(spec.link, `link.add[${i}].link`);
        msgs.push(newLinkMessage(spec, { ...(master !== undefined ? { master } : {}), ...(link !== undefined ? { link } : {}) }, ns, NLM_F_CREATE | NLM_F_EXCL));
      }
      // Links that were created are completed (peers brought up) even when others failed;
      // then the failures are reported as the caller asked.
      const created = await this.sock.bulk(msgs, { ...opts, throwOnError: false });
      await this.#peersUp(specs, created, opts);
      if (created.failures.length && (opts.throwOnError ?? true)) throw new BulkError('RTM_NEWLINK', created.failures, created.attempted, specs.length);
      return created;
    } finally {
      ns.close();
    }
  }

  /** Bring up the veth peers that asked for it, in their own netns where they live elsewhere. */
  async #peersUp(specs: readonly LinkAddSpec[], created: BulkResult, opts: BulkOptions): Promise<void> {
    const failed = new Set(created.failures.map((f) => f.index));
    const byNetns = new Map<NetnsRef | undefined, { index: number; name: string }[]>();
    specs.forEach((spec, index) => {
      if (spec.kind !== 'veth' || !spec.peer?.up || failed.has(index) || index >= created.attempted) return;
      const key = spec.peer.netns;
      const list = byNetns.get(key) ?? [];
      list.push({ index, name: spec.peer.name });
      byNetns.set(key, list);
    });
    for (const [ref, peers] of byNetns) {
      const sock = ref === undefined ? this.sock : NetlinkSocket.open(rtnetlink, { netns: ref, libc: this.#lib });
      try {
        const ns = new NetnsFds(this.#lib);
        const res = await sock.bulk(peers.map((p) => setLinkMessage(p.name, { up: true }, undefined, ns)), { ...opts, throwOnError: false });
        if (res.failures.length) {
          const failures = res.failures.map((f) => new NetlinkError({ errno: f.errno, operation: `${f.operation} (peer up)`, seq: f.seq, extAck: f.extAck, index: peers[f.index ?? 0]!.index }));
          throw new BulkError('RTM_NEWLINK (veth peer up)', failures, res.attempted, peers.length);
        }
      } finally {
        if (sock !== this.sock) sock.close();
      }
    }
  }

  /** Change a link: `ip link set DEV [up|down] [mtu N] [address A] [master M|nomaster] [netns NS] [name NEW] …`. */
  async set(dev: string | number, changes: LinkSetSpec): Promise<void> {
    try {
      await single(this.setMany([[dev, changes]]));
    } catch (err) {
      throw named(err, `cannot change link "${dev}"`, dev);
    }
  }

  /** Many `set`s in one bulk request; failure indices refer to `changes`. */
  async setMany(changes: ReadonlyArray<readonly [dev: string | number, changes: LinkSetSpec]>, opts: BulkOptions = {}): Promise<BulkResult> {
    const ns = new NetnsFds(this.#lib);
    try {
      const msgs: OutMessage[] = [];
      if (!Array.isArray(changes)) throw new TypeError(`link.setMany: expected an array of [dev, changes] pairs, got ${changes === null ? 'null' : typeof changes}`);
      changes.forEach((pair, i) => {
        const c = Array.isArray(pair) ? pair[1] : undefined;
        if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new TypeError(`link.set${changes.length > 1 ? `[${i}]` : ''}: expected a changes object like { up: true }, got ${c === null ? 'null' : Array.isArray(c) ? 'an array' : typeof c}`);
      });
      for (const [i, [dev, c]] of changes.entries()) {
        const target = c?.name !== undefined ? await this.index(dev, `link.set[${i}]`) : dev;
        const master = c?.master === null || c?.master === 0 ? 0 : c?.master === undefined ? undefined : await this.index(c.master, `link.set[${i}].master`);
        msgs.push(setLinkMessage(target, c, master, ns, `link.set[${i}]`));
      }
      return await this.sock.bulk(msgs, opts);
    } finally {
      ns.close();
    }
  }

  /** Delete a link (`ip link del DEV`); deleting one end of a veth pair deletes both. */
  async del(dev: string | number): Promise<void> {
    try {
      await this.sock.request(delLinkMessage(dev));
    } catch (err) {
      throw named(err, `cannot delete link "${dev}"`, dev);
    }
  }

  /**
   * Create a persistent tun or tap device (`ip tuntap add dev NAME mode tun|tap …`) in this
   * handle's namespace: the kernel makes them only through /dev/net/tun ioctls (see tuntap.ts),
   * not RTM_NEWLINK. A name that exists already fails with NetlinkError EEXIST (TUNSETIFF would
   * silently attach to it) — checked with RTM_GETLINK just before, so a tun/tap device of the
   * same name created by someone else in between would be attached to, not refused (the ioctl
   * interface has no exclusive create). Returns the new link; delete it with `del()`.
   */
  async addTuntap(spec: TuntapSpec): Promise<Link> {
    const ifr = tunIfreq(spec, checkIfname);
    const tr = this.sock.transport;
    if (!(tr instanceof LiveTransport)) throw new TypeError('link.addTuntap: needs a live socket (tun/tap devices are made with ioctls, not messages)');
    const exists = await this.#get(spec.name).then(() => true, (e: unknown) => {
      if (e instanceof NetlinkError && e.code === 'ENODEV') return false;
      throw e;
    });
    if (exists) throw new NetlinkError({ errno: 17, operation: `TUNSETIFF (${spec.name})`, seq: 0 });
    createTuntap(tr.lib, tr.fd, spec, ifr);
    return this.get(spec.name);
  }

  /**
   * Delete every link in group `group` with one request (`ip link del group N`): far faster
   * than deleting them one by one, because the kernel unregisters them together. Group 0 (the
   * default group, where every link starts) is refused: it would delete everything.
   */
  async delGroup(group: number): Promise<void> {
    if (group === 0) throw new RangeError('link.delGroup: group 0 is the default group of every link; refusing to delete them all');
    await this.sock.request(delGroupMessage(group));
  }

  /** Delete many links in one bulk request; failure indices refer to `devs`. */
  async delMany(devs: ReadonlyArray<string | number>, opts: BulkOptions = {}): Promise<BulkResult> {
    return this.sock.bulk(devs.map(delLinkMessage), opts);
  }

  /**
   * Every link (one RTM_GETLINK dump), filtered in the kernel by `filter`. Masters and lower
   * devices are named from the same dump (a filtered dump names them with one more dump).
   */
  async list(filter?: LinkFilter): Promise<Link[]> {
    const master = filter?.master === undefined ? undefined : await this.index(filter.master, 'link.list.master');
    const filtered = master !== undefined || filter?.kind !== undefined;
    const name = filtered ? await this.names() : undefined;
    return nameLinks(await this.sock.dumpLazy(dumpRequest(filter, master), lazyLinks.reader(undefined)), name);
  }

  /** Links one by one, without holding the table (names from a dump taken first). */
  async *stream(filter?: LinkFilter): AsyncGenerator<Link, void, undefined> {
    const master = filter?.master === undefined ? undefined : await this.index(filter.master, 'link.stream.master');
    const name = await this.names();
    yield* this.sock.streamLazy(dumpRequest(filter, master), lazyLinks.reader(name));
  }

  /**
   * ifindex → name of every link now (one dump without counters), as `ip` reads the link
   * table before it prints addresses, routes or neighbours. Unknown indexes read `if<N>`.
   */
  names(): Promise<IfNameOf> {
    return ifNames(this.sock);
  }

  /**
   * Bridge ports with their STP state, cost, priority and port flags (`bridge -d link show`):
   * one RTM_GETLINK dump with ifi_family AF_BRIDGE, as iproute2 sends it. `master` (a bridge's
   * name or index) is applied here, the kernel's AF_BRIDGE dump taking no filter.
   */
  async bridgePorts(filter: BridgePortFilter = {}): Promise<BridgePort[]> {
    const master = filter.master === undefined ? undefined : await this.index(filter.master, 'bridgePorts.master');
    const ports = (await this.sock.dump(bridgePortDumpRequest())).map(toBridgePort);
    return master === undefined ? ports : ports.filter((p) => p.master === master);
  }

  /** One link by name or index, asked of the kernel directly (no dump). ENODEV → NetlinkError. */
  async get(nameOrIndex: string | number): Promise<Link> {
    const l = await this.#get(nameOrIndex);
    // The master's and lower device's names: one more look-up each, as ip does by index.
    if (l.masterIndex !== undefined || l.link !== undefined) {
      const names = new Map<number, string>();
      for (const i of [l.masterIndex, l.link !== undefined ? l.linkIndex : undefined]) {
        if (i === undefined || names.has(i)) continue;
        const other = await this.#get(i).then((x) => x.name, (e: unknown) => { if (e instanceof NetlinkError && e.code === 'ENODEV') return `if${i}`; throw e; });
        names.set(i, other);
      }
      nameLinks([l], nameOf(names));
    }
    return l;
  }

  async #get(nameOrIndex: string | number): Promise<Link> {
    const byIndex = typeof nameOrIndex === 'number';
    if (byIndex && (!Number.isInteger(nameOrIndex) || nameOrIndex <= 0)) throw new RangeError(`link.get: index must be a positive integer, got ${nameOrIndex}`);
    let m: Message | undefined;
    try {
      [m] = await this.sock.request({
        type: RTM_GETLINK,
        flags: 0,
        header: { family: 0, type: 0, index: byIndex ? nameOrIndex : 0, flags: 0, change: 0 },
        // As ip does: no counters in the answer (a look-up needs none; they are half the bytes).
        attrs: byIndex ? { extMask: LOOKUP_EXT_MASK } : { extMask: LOOKUP_EXT_MASK, ifname: nameOrIndex },
      }, { ack: false });
    } catch (err) {
      throw named(err, `cannot look up link "${nameOrIndex}"`, nameOrIndex);
    }
    if (!m) throw new Error(`link.get(${JSON.stringify(nameOrIndex)}): the kernel sent no reply`);
    return toLink(m);
  }
}

/** A one-message bulk: its failure is the NetlinkError itself, not a BulkError around it. */
async function single(p: Promise<BulkResult>): Promise<void> {
  try {
    await p;
  } catch (err) {
    throw err instanceof BulkError && err.failures.length === 1 ? err.failures[0] : err;
  }
}
