/**
 * Bridge forwarding database entries (`bridge fdb add|replace|del|show`): RTM_NEWNEIGH /
 * RTM_DELNEIGH / RTM_GETNEIGH with ndm_family AF_BRIDGE (rtnetlink(7), <linux/neighbour.h>).
 * Requests are built as iproute2 6.1's bridge/fdb.c builds them — fixtures/route/fdb/ and
 * test/unit/fdb.test.ts prove it byte by byte:
 * - ndm_state starts as NUD_NOARP; `static` adds NUD_REACHABLE (and drops PERMANENT),
 *   `dynamic` is NUD_REACHABLE alone, and with neither PERMANENT nor REACHABLE set, NUD_PERMANENT
 *   is assumed ("permanent", the default);
 * - ndm_flags NTF_MASTER (`master`: the bridge's own table) and/or NTF_SELF (`self`: the
 *   device's table), NTF_SELF when neither is given;
 * - NDA_LLADDR, then NDA_DST (a VXLAN remote) and NDA_VLAN, in that order.
 */
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../netlink/header.js';
import { ipFamily } from '../../netlink/ip.js';
import type { Message, OutMessage } from '../../netlink/message.js';
import type { NetlinkSocket } from '../../netlink/socket.js';
import { checkDev } from '../addr/addr-request.js';
import { AF } from '../family.js';
import { type IfNameOf, unnamed } from '../ifnames.js';
import type { LinkApi } from '../link/link.js';
import { NTF, NUD, type NdMsg, type NeighAttrs } from '../neigh/neigh.schema.js';
import { RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH } from '../protocol.js';

/** `bridge fdb add ADDR dev DEV [master] [self] [static|dynamic|permanent] [dst IP] [vlan VID]`. */
export interface FdbSpec {
  /** The MAC address (`02:00:00:00:00:05`). */
  readonly mac: string;
  /** The bridge port (or VXLAN device) the entry points at. */
  readonly dev: string | number;
  /** NTF_MASTER: the entry goes in the master bridge's table. Default false. */
  readonly master?: boolean;
  /** NTF_SELF: the entry goes in the device's own table. Default: true when `master` is not set. */
  readonly self?: boolean;
  /** Default `permanent` (NUD_NOARP|NUD_PERMANENT), as `bridge fdb add` assumes. */
  readonly state?: 'permanent' | 'static' | 'dynamic';
  /** NDA_DST: the remote VTEP of a VXLAN device's entry. */
  readonly dst?: string;
  /** NDA_VLAN (1..4094). The bridge refuses it unless vlan_filtering is on (EINVAL). */
  readonly vlan?: number;
  /** NDA_PORT: the remote VTEP's UDP port (`port 4789`). */
  readonly port?: number;
  /** NDA_VNI: the VNI to use towards the remote VTEP (`vni 42`). */
  readonly vni?: number;
  /** NDA_SRC_VNI: the VNI of the entry on a collect-metadata (external) device (`src_vni 42`). */
  readonly srcVni?: number;
  /** NDA_IFINDEX: the device to reach the remote VTEP through (`via DEV`), name or ifindex. */
  readonly via?: string | number;
}

/** An FDB entry, as `bridge -j fdb show` reports it. */
export interface FdbEntry {
  readonly mac: string;
  /** The port's name (`if<N>` if it cannot be named). */
  readonly dev: string;
  /** ndm_ifindex: the port's ifindex. */
  readonly devIndex: number;
  /** The bridge's name, for entries of the bridge's table. */
  readonly master: string | undefined;
  /** NDA_MASTER: the bridge's ifindex. */
  readonly masterIndex: number | undefined;
  /** NTF_* flags by name (`self`, `master`, `extern_learn`, `offload`, `sticky`, …). */
  readonly flags: readonly string[];
  /** `permanent`, `static`, `stale`, or '' for dynamic (learned) entries — bridge's words. */
  readonly state: string;
  readonly vlan: number | undefined;
  readonly dst: string | undefined;
  /** NDA_PORT / NDA_VNI / NDA_SRC_VNI of a VXLAN entry. */
  readonly port: number | undefined;
  readonly vni: number | undefined;
  readonly srcVni: number | undefined;
  /** NDA_IFINDEX (`via`): the device towards the remote VTEP, by name, its index beside it. */
  readonly via: string | undefined;
  readonly viaIndex: number | undefined;
  /** Every attribute the kernel sent. */
  readonly attrs: NeighAttrs;
}

const FDB_FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [NTF.NTF_SELF, 'self'], [NTF.NTF_ROUTER, 'router'], [NTF.NTF_EXT_LEARNED, 'extern_learn'],
  [NTF.NTF_OFFLOADED, 'offload'], [NTF.NTF_MASTER, 'master'], [NTF.NTF_STICKY, 'sticky'],
];

/** bridge/fdb.c state_n2a(). */
function stateName(s: number): string {
  if (s & NUD.NUD_PERMANENT) return 'permanent';
  if (s & NUD.NUD_NOARP) return 'static';
  if (s & NUD.NUD_STALE) return 'stale';
  if (s & NUD.NUD_REACHABLE) return '';
  return String(s);
}

/** RTM_NEWNEIGH (AF_BRIDGE) → FdbEntry, or undefined for other families. */
export function toFdbEntry(m: Message, name: IfNameOf = unnamed): FdbEntry | undefined {
  const h = m.header as NdMsg;
  if (h.family !== AF.AF_BRIDGE) return undefined;
  const a = (m.attrs ?? {}) as NeighAttrs;
  return {
    mac: a.lladdr ?? '',
    dev: name(h.ifindex),
    devIndex: h.ifindex,
    master: a.master === undefined ? undefined : name(a.master),
    masterIndex: a.master,
    // bridge lists NTF_MASTER entries by their `master` device, not as a flag word.
    flags: FDB_FLAG_NAMES.filter(([bit, name]) => name !== 'master' && (h.flags & bit) !== 0).map(([, name]) => name),
    state: stateName(h.state),
    vlan: a.vlan,
    dst: a.dst,
    port: a.port,
    vni: a.vni,
    srcVni: a.srcVni,
    via: a.ifindex === undefined ? undefined : name(a.ifindex),
    viaIndex: a.ifindex,
    attrs: a,
  };
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

const FDB_KEYS = ['mac', 'dev', 'master', 'self', 'state', 'dst', 'vlan', 'port', 'vni', 'srcVni', 'via'];

/** Validate `spec` (no syscall) into the request parts; `where` names the call in errors. */
export function fdbRequest(spec: FdbSpec, where: string): { dev: string | number; via: string | number | undefined; header: Omit<NdMsg, 'ifindex'>; attrs: NeighAttrs } {
  if (spec === null || typeof spec !== 'object') throw new TypeError(`${where}: expected { mac, dev }`);
  for (const k of Object.keys(spec)) {
    if (!FDB_KEYS.includes(k)) throw new TypeError(`${where}.${k}: not an fdb field (${FDB_KEYS.join(', ')})`);
  }
  if (typeof spec.mac !== 'string' || !MAC.test(spec.mac)) throw new RangeError(`${where}.mac: expected a MAC address like "02:00:00:00:00:05", got ${JSON.stringify(spec.mac)}`);
  const dev = checkDev(spec.dev, `${where}.dev`);
  let state: number = NUD.NUD_NOARP;
  if (spec.state === 'static') state = NUD.NUD_NOARP | NUD.NUD_REACHABLE;
  else if (spec.state === 'dynamic') state = NUD.NUD_REACHABLE;
  else if (spec.state !== undefined && spec.state !== 'permanent') throw new RangeError(`${where}.state: expected permanent, static or dynamic, got ${JSON.stringify(spec.state)}`);
  if (!(state & (NUD.NUD_PERMANENT | NUD.NUD_REACHABLE))) state |= NUD.NUD_PERMANENT;
  for (const k of ['master', 'self'] as const) if (spec[k] !== undefined && typeof spec[k] !== 'boolean') throw new TypeError(`${where}.${k}: expected a boolean`);
  let flags = (spec.master ? NTF.NTF_MASTER : 0) | (spec.self ? NTF.NTF_SELF : 0);
  if (!flags) flags = NTF.NTF_SELF;
  const attrs: NeighAttrs = { lladdr: spec.mac.toLowerCase() };
  if (spec.dst !== undefined) {
    if (typeof spec.dst !== 'string' || ipFamily(spec.dst) === 0) throw new RangeError(`${where}.dst: expected an IPv4 or IPv6 address, got ${JSON.stringify(spec.dst)}`);
    attrs.dst = spec.dst;
  }
  if (spec.vlan !== undefined) {
    if (!Number.isInteger(spec.vlan) || spec.vlan < 1 || spec.vlan > 4094) throw new RangeError(`${where}.vlan: expected 1..4094, got ${String(spec.vlan)}`);
    attrs.vlan = spec.vlan;
  }
  // bridge(8) fdb_modify(): dst, [lladdr first], vlan, port, vni, src_vni, via (NDA_IFINDEX).
  if (spec.port !== undefined) {
    if (!Number.isInteger(spec.port) || spec.port < 0 || spec.port > 0xffff) throw new RangeError(`${where}.port: expected a UDP port 0..65535, got ${String(spec.port)}`);
    attrs.port = spec.port;
  }
  for (const k of ['vni', 'srcVni'] as const) {
    const v = spec[k];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 0 || v > 0xffffff) throw new RangeError(`${where}.${k}: expected a VNI 0..16777215, got ${String(v)}`);
    attrs[k] = v;
  }
  const via = spec.via === undefined ? undefined : checkDev(spec.via, `${where}.via`);
  return { dev, via, header: { family: AF.AF_BRIDGE, state, flags, type: 0 }, attrs };
}

/** The FDB sub-API of a route handle: `bridge fdb`. */
export class FdbApi {
  constructor(private readonly sock: NetlinkSocket, private readonly link: LinkApi) {}

  async #send(type: number, flags: number, spec: FdbSpec, where: string): Promise<void> {
    const r = fdbRequest(spec, where);
    const ifindex = await this.link.index(r.dev, `${where}.dev`);
    const attrs = r.via === undefined ? r.attrs : { ...r.attrs, ifindex: await this.link.index(r.via, `${where}.via`) };
    await this.sock.request({ type, flags, header: { ...r.header, ifindex }, attrs } satisfies OutMessage);
  }

  /** `bridge fdb add` (NLM_F_CREATE|NLM_F_EXCL: an existing entry is EEXIST). */
  add(spec: FdbSpec): Promise<void> {
    return this.#send(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, spec, 'fdb.add');
  }

  /** `bridge fdb replace` (NLM_F_CREATE|NLM_F_REPLACE). */
  replace(spec: FdbSpec): Promise<void> {
    return this.#send(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, spec, 'fdb.replace');
  }

  /**
   * `bridge fdb append` (NLM_F_CREATE|NLM_F_APPEND): one more remote for the same MAC on a
   * VXLAN device — the all-zero MAC with several `dst`s is the flood list (head-end replication).
   */
  append(spec: FdbSpec): Promise<void> {
    return this.#send(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND, spec, 'fdb.append');
  }

  /** `bridge fdb del` (RTM_DELNEIGH; `master`/`self` choose the table, as for add). */
  del(spec: FdbSpec): Promise<void> {
    return this.#send(RTM_DELNEIGH, 0, spec, 'fdb.del');
  }

  /** `bridge fdb show`: every entry of every bridge port and device (one AF_BRIDGE dump). */
  async list(filter: { readonly dev?: string | number } = {}): Promise<FdbEntry[]> {
    const ifindex = filter.dev === undefined ? undefined : await this.link.index(checkDev(filter.dev, 'fdb.list.dev'), 'fdb.list.dev');
    const name = await this.link.names();
    const all = await this.sock.dump({ type: RTM_GETNEIGH, flags: 0, header: { family: AF.AF_BRIDGE, ifindex: 0, state: 0, flags: 0, type: 0 } }, (m) => toFdbEntry(m, name));
    return ifindex === undefined ? all : all.filter((e) => e.devIndex === ifindex);
  }
}
