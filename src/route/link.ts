/**
 * Links (rtnetlink(7) RTM_GETLINK): typed objects out of the kernel's link table.
 * This is the read side the foundation needs (dump, stream, look-up); creating and
 * changing links builds on the same tables in the rtnetlink issue.
 */
import { type Message, type OutMessage } from '../netlink/message.js';
import type { NetlinkSocket } from '../netlink/socket.js';
import { type LinkAttrs, IFF_NAMES, RTEXT_FILTER } from './link.schema.js';
import { RTM_GETLINK } from './protocol.js';
import { formatBits } from '../netlink/header.js';

/** A network interface, as `ip -d link show` reports it. */
export interface Link {
  readonly index: number;
  readonly name: string;
  /** ARPHRD_* device type (1 = ether, 772 = loopback). */
  readonly type: number;
  /** IFF_* flags (see {@link linkFlagNames}). */
  readonly flags: number;
  readonly mtu: number | undefined;
  /** IFLA_OPERSTATE as a number (IF_OPER_*). */
  readonly operstate: number | undefined;
  readonly address: string | undefined;
  /** IFLA_INFO_KIND: 'bridge', 'veth', … (undefined for devices without rtnl_link_ops such as lo). */
  readonly kind: string | undefined;
  /** Index of the master device (bridge port → bridge). */
  readonly master: number | undefined;
  /** Every attribute the kernel sent, decoded by the IFLA table. */
  readonly attrs: LinkAttrs;
}

export interface LinkFilter {
  /**
   * Include counters (IFLA_STATS, IFLA_STATS64, IPv6 per-device stats). Default false: the
   * dump asks the kernel to skip them (RTEXT_FILTER_SKIP_STATS), as `ip link` does without
   * `-s` — they are half of every message and most of the decoding cost.
   */
  readonly stats?: boolean;
  /** Only links of this kind (IFLA_LINKINFO/IFLA_INFO_KIND, filtered in the kernel). */
  readonly kind?: string;
  /** Only ports of this master (IFLA_MASTER, filtered in the kernel). */
  readonly master?: number;
}

/** IFF_* names of a flags value, e.g. ['UP', 'BROADCAST', 'LOWER_UP']. */
export function linkFlagNames(flags: number): string[] {
  const s = formatBits(flags, IFF_NAMES);
  return s === '0' ? [] : s.split('|');
}

export function toLink(m: Message): Link {
  const h = m.header as { index: number; type: number; flags: number };
  const a = (m.attrs ?? {}) as LinkAttrs;
  return {
    index: h.index,
    name: a.ifname ?? '',
    type: h.type,
    flags: h.flags,
    mtu: a.mtu,
    operstate: a.operstate,
    address: a.address,
    kind: a.linkinfo?.kind,
    master: a.master,
    attrs: a,
  };
}

function dumpRequest(filter: LinkFilter = {}): OutMessage {
  const attrs: LinkAttrs = { extMask: RTEXT_FILTER.RTEXT_FILTER_VF | (filter.stats ? 0 : RTEXT_FILTER.RTEXT_FILTER_SKIP_STATS) };
  if (filter.master !== undefined) attrs.master = filter.master;
  if (filter.kind !== undefined) attrs.linkinfo = { kind: filter.kind };
  return { type: RTM_GETLINK, flags: 0, header: { family: 0, type: 0, index: 0, flags: 0, change: 0 }, attrs };
}

/** The link sub-API of a route handle. */
export class LinkApi {
  constructor(private readonly sock: NetlinkSocket) {}

  /** Every link (one RTM_GETLINK dump), filtered in the kernel by `filter`. */
  async list(filter?: LinkFilter): Promise<Link[]> {
    return (await this.sock.dump(dumpRequest(filter))).map(toLink);
  }

  /** Links one by one, without holding the table. */
  async *stream(filter?: LinkFilter): AsyncGenerator<Link, void, undefined> {
    for await (const m of this.sock.stream(dumpRequest(filter))) yield toLink(m);
  }

  /** One link by name or index, asked of the kernel directly (no dump). ENODEV → NetlinkError. */
  async get(nameOrIndex: string | number): Promise<Link> {
    const byIndex = typeof nameOrIndex === 'number';
    if (byIndex && (!Number.isInteger(nameOrIndex) || nameOrIndex <= 0)) throw new RangeError(`link.get: index must be a positive integer, got ${nameOrIndex}`);
    const [m] = await this.sock.request({
      type: RTM_GETLINK,
      flags: 0,
      header: { family: 0, type: 0, index: byIndex ? nameOrIndex : 0, flags: 0, change: 0 },
      attrs: byIndex ? {} : { ifname: nameOrIndex },
    }, { ack: false });
    if (!m) throw new Error(`link.get(${JSON.stringify(nameOrIndex)}): the kernel sent no reply`);
    return toLink(m);
  }
}
