/**
 * Neighbours (rtnetlink(7) RTM_GETNEIGH / RTM_NEWNEIGH / RTM_DELNEIGH; ARP and NDP caches):
 * `ip neigh show|add|replace|del` as typed calls. Requests are built in neigh-spec.ts, byte
 * for byte as iproute2 6.1 builds them; dumps are filtered in the kernel (strict checking:
 * neigh_valid_dump_req() honours the family, NDA_IFINDEX and ndm_flags NTF_PROXY).
 */
import { NetlinkError } from '../../netlink/errors.js';
import { formatBits } from '../../netlink/header.js';
import type { Message, OutMessage } from '../../netlink/message.js';
import type { BulkOptions, BulkResult, NetlinkSocket } from '../../netlink/socket.js';
import { checkDev } from '../addr/addr-request.js';
import { AF } from '../family.js';
import { type IfNameOf, unnamed } from '../ifnames.js';
import type { LinkApi } from '../link/link.js';
import { type NeighOp, type NeighRequest, type NeighSpec, type NeighStateName, neighMessage, neighRequest } from './neigh-spec.js';
import { NTF, NTF_EXT, NUD, type NdMsg, type NeighAttrs } from './neigh.schema.js';
import { afOf } from '../prefix.js';
import { RTM_GETNEIGH } from '../protocol.js';
import { lazyNeighbours } from './neigh-lazy.js';
import { type RouteProtocolName, type RouteTypeName, routeProtocolName, routeTypeName } from '../route/route-names.js';

export type { NeighSpec, NeighStateName } from './neigh-spec.js';
export { NEIGH_STATES, parseNeighState } from './neigh-spec.js';

/** Entry flags by the key `ip -j neigh` prints for them (NTF_* and, for `managed`/`locked`/`extern_valid`, NTF_EXT_*). */
export type NeighFlagName = 'use' | 'self' | 'master' | 'proxy' | 'extern_learn' | 'offload' | 'sticky' | 'router' | 'managed' | 'locked' | 'extern_valid';

const FLAG_WORDS: ReadonlyArray<readonly [number, NeighFlagName]> = [
  [NTF.NTF_USE, 'use'], [NTF.NTF_SELF, 'self'], [NTF.NTF_MASTER, 'master'], [NTF.NTF_PROXY, 'proxy'],
  [NTF.NTF_EXT_LEARNED, 'extern_learn'], [NTF.NTF_OFFLOADED, 'offload'], [NTF.NTF_STICKY, 'sticky'], [NTF.NTF_ROUTER, 'router'],
];
const EXT_WORDS: ReadonlyArray<readonly [number, NeighFlagName]> = [
  [NTF_EXT.NTF_EXT_MANAGED, 'managed'], [NTF_EXT.NTF_EXT_LOCKED, 'locked'], [NTF_EXT.NTF_EXT_EXT_VALIDATED, 'extern_valid'],
];
/** NUD bits in the order `ip neigh` prints them. */
const STATE_WORDS: ReadonlyArray<readonly [number, NeighStateName]> = [
  [NUD.NUD_INCOMPLETE, 'incomplete'], [NUD.NUD_REACHABLE, 'reachable'], [NUD.NUD_STALE, 'stale'], [NUD.NUD_DELAY, 'delay'],
  [NUD.NUD_PROBE, 'probe'], [NUD.NUD_FAILED, 'failed'], [NUD.NUD_NOARP, 'noarp'], [NUD.NUD_PERMANENT, 'permanent'],
];

/**
 * Names of a NUD_* value, as `ip neigh` prints them (lower-cased, so each can be passed back
 * as `state`): `['reachable']`, `['none']` for 0; bits without a name as `'0x100'`.
 */
export function neighStateNames(state: number): Array<NeighStateName | `0x${string}`> {
  if (state === 0) return ['none'];
  const out: Array<NeighStateName | `0x${string}`> = [];
  let rest = state;
  for (const [bit, name] of STATE_WORDS) if (state & bit) { out.push(name); rest &= ~bit; }
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out;
}

/** A neighbour entry, as `ip -j neigh show` reports it. */
export interface Neighbour {
  readonly family: 4 | 6;
  /** NDA_DST. */
  readonly dst: string;
  /** The device's name (`if<N>` if it cannot be named). */
  readonly dev: string;
  /** ndm_ifindex: the device's ifindex. */
  readonly devIndex: number;
  /** NDA_LLADDR (absent while unresolved, and on proxy entries). */
  readonly lladdr: string | undefined;
  /** ndm_state by name: `['permanent']`, `['reachable']`, `['none']` … (see {@link neighStateNames}). */
  readonly state: ReadonlyArray<NeighStateName | `0x${string}`>;
  /** ndm_flags and NDA_FLAGS_EXT by name (`router`, `proxy`, `extern_learn`, `managed`, …). */
  readonly flags: readonly NeighFlagName[];
  /** NDA_PROBES: unanswered probes so far. */
  readonly probes: number | undefined;
  /** NDA_PROTOCOL by name (`static`, …), a number when unnamed. */
  readonly protocol: RouteProtocolName | number | undefined;
  /** ndm_type (`unicast`, `multicast`, …). */
  readonly type: RouteTypeName | number;
  /** Every attribute the kernel sent, decoded by the NDA table. */
  readonly attrs: NeighAttrs;
}

/**
 * RTM_NEWNEIGH → Neighbour, or undefined for families other than IPv4/IPv6 (bridge FDB
 * entries, AF_BRIDGE, are `bridge fdb`'s, not `ip neigh`'s).
 */
export function toNeighbour(m: Message, name?: IfNameOf): Neighbour | undefined {
  return neighbourOf(m.header as NdMsg, m.attrs as NeighAttrs | undefined, name);
}

/** {@link toNeighbour} from a neighbour message's decoded struct ndmsg and NDA_* attributes (dumps: NetlinkSocket.dumpEntries). */
export function neighbourOf(h: NdMsg, attrs: NeighAttrs | undefined, name: IfNameOf = unnamed): Neighbour | undefined {
  const family = h.family === AF.AF_INET ? 4 : h.family === AF.AF_INET6 ? 6 : 0;
  if (family === 0) return undefined;
  const a = attrs ?? {};
  const flags: NeighFlagName[] = [];
  for (const [bit, name] of FLAG_WORDS) if (h.flags & bit) flags.push(name);
  for (const [bit, name] of EXT_WORDS) if ((a.flagsExt ?? 0) & bit) flags.push(name);
  return {
    family,
    dst: a.dst ?? '',
    dev: name(h.ifindex),
    devIndex: h.ifindex,
    lladdr: a.lladdr,
    state: neighStateNames(h.state),
    flags,
    probes: a.probes,
    protocol: a.protocol === undefined ? undefined : routeProtocolName(a.protocol),
    type: routeTypeName(h.type),
    attrs: a,
  };
}

/** Which entries `list()` / `stream()` return; every field is a kernel-side filter. */
export interface NeighFilter {
  /** Only this device's entries (NDA_IFINDEX): name (resolved first) or ifindex. */
  readonly dev?: string | number;
  /** 4 (ARP) or 6 (NDP). Default both. */
  readonly family?: 4 | 6;
  /** The proxy entries instead (`ip neigh show proxy`, ndm_flags NTF_PROXY). Default false. */
  readonly proxy?: boolean;
}

/** Options of `addMany()`. */
export interface NeighAddManyOptions extends BulkOptions {
  /** NLM_F_REPLACE instead of NLM_F_EXCL (`ip neigh replace`). Default false. */
  readonly replace?: boolean;
}

interface CheckedFilter { readonly dev: string | number | undefined; readonly family: 4 | 6 | undefined; readonly proxy: boolean }

function checkFilter(f: NeighFilter | undefined, where: string): CheckedFilter {
  if (f === undefined) return { dev: undefined, family: undefined, proxy: false };
  if (f === null || typeof f !== 'object') throw new TypeError(`${where}: expected a filter object, got ${f === null ? 'null' : typeof f}`);
  for (const k of Object.keys(f)) if (!['dev', 'family', 'proxy'].includes(k)) throw new TypeError(`${where}.${k}: not a filter field (dev, family, proxy)`);
  if (f.family !== undefined && f.family !== 4 && f.family !== 6) throw new RangeError(`${where}.family: expected 4 or 6, got ${String(f.family)}`);
  if (f.proxy !== undefined && typeof f.proxy !== 'boolean') throw new TypeError(`${where}.proxy: expected a boolean`);
  return { dev: f.dev === undefined ? undefined : checkDev(f.dev, `${where}.dev`), family: f.family, proxy: f.proxy ?? false };
}

/**
 * The neighbour sub-API of a route handle. `list()` returns every entry the kernel holds,
 * as `ip neigh show nud all` does (plain `ip neigh show` hides NOARP and NONE entries).
 */
export class NeighApi {
  constructor(private readonly sock: NetlinkSocket, private readonly link: LinkApi) {}

  /** Entries of the ARP and NDP caches (one RTM_GETNEIGH dump), filtered in the kernel. */
  async list(filter?: NeighFilter): Promise<Neighbour[]> {
    const f = checkFilter(filter, 'neigh.list');
    const { req, ifindex } = await this.#dumpRequest(f);
    const name = await this.link.names();
    const read = lazyNeighbours.reader(name);
    return this.sock.dumpLazy(req, (buf, s, e, type) => {
      const n = read(buf, s, e, type);
      return n && keep(n, f, ifindex) ? n : undefined;
    });
  }

  /** Entries one by one, without holding the table (the socket is reserved meanwhile). */
  async *stream(filter?: NeighFilter): AsyncGenerator<Neighbour, void, undefined> {
    const f = checkFilter(filter, 'neigh.stream');
    const { req, ifindex } = await this.#dumpRequest(f);
    const name = await this.link.names();
    for await (const n of this.sock.streamLazy(req, lazyNeighbours.reader(name))) {
      if (keep(n, f, ifindex)) yield n;
    }
  }

  /** Add an entry (`ip neigh add DST lladdr LL dev DEV nud STATE`); an existing one → NetlinkError EEXIST. */
  async add(spec: NeighSpec): Promise<void> {
    await this.#one('add', spec, 'neigh');
  }

  /** Add or overwrite an entry (`ip neigh replace …`: NLM_F_CREATE|NLM_F_REPLACE). */
  async replace(spec: NeighSpec): Promise<void> {
    await this.#one('replace', spec, 'neigh');
  }

  /** Delete an entry (`ip neigh del DST dev DEV`); a missing one → NetlinkError ENOENT. */
  async del(spec: Pick<NeighSpec, 'dst' | 'dev'> & Partial<NeighSpec>): Promise<void> {
    await this.#one('del', spec, 'neigh');
  }

  /**
   * Add many entries in few syscalls (NetlinkSocket.bulk). Every spec is checked first and
   * each distinct device name resolved once; kernel refusals come back as one BulkError whose
   * `failures[i].index` indexes `specs`.
   */
  addMany(specs: readonly NeighSpec[], opts: NeighAddManyOptions = {}): Promise<BulkResult> {
    const { replace, ...bulk } = opts;
    return this.#many(replace ? 'replace' : 'add', specs, bulk);
  }

  /** Delete many entries in one bulk request; failure indices refer to `specs`. */
  delMany(specs: ReadonlyArray<Pick<NeighSpec, 'dst' | 'dev'> & Partial<NeighSpec>>, opts: BulkOptions = {}): Promise<BulkResult> {
    return this.#many('del', specs as readonly NeighSpec[], opts);
  }

  async #one(op: NeighOp, spec: NeighSpec, field: string): Promise<void> {
    const r = neighRequest(op, spec, field);
    const idx = await this.#resolve([r.dev]);
    await this.sock.request(neighMessage(r, idx(r.dev)));
  }

  async #many(op: NeighOp, specs: readonly NeighSpec[], bulk: BulkOptions): Promise<BulkResult> {
    if (!Array.isArray(specs)) throw new TypeError('neighs: expected an array of neighbour specs');
    const reqs: NeighRequest[] = specs.map((s, i) => neighRequest(op, s, `neighs[${i}]`));
    const idx = await this.#resolve(reqs.map((r) => r.dev));
    return this.sock.bulk(reqs.map((r) => neighMessage(r, idx(r.dev))), bulk);
  }

  async #dumpRequest(f: CheckedFilter): Promise<{ req: OutMessage; ifindex: number }> {
    const ifindex = f.dev === undefined ? 0 : (await this.#resolve([f.dev]))(f.dev);
    // As iproute2's ipneigh_dump_filter(): the family and NTF_PROXY in the header, NDA_IFINDEX.
    const attrs: NeighAttrs = {};
    if (ifindex) attrs.ifindex = ifindex;
    return {
      req: {
        type: RTM_GETNEIGH,
        flags: 0,
        header: { family: f.family ? afOf(f.family) : AF.AF_UNSPEC, ifindex: 0, state: 0, flags: f.proxy ? NTF.NTF_PROXY : 0, type: 0 },
        attrs,
      },
      ifindex,
    };
  }

  /** Ifindex of each distinct device name, asked of the kernel once (RTM_GETLINK by name). */
  async #resolve(devs: ReadonlyArray<string | number>): Promise<(dev: string | number) => number> {
    const byName = new Map<string, number>();
    for (const d of devs) {
      if (typeof d !== 'string' || byName.has(d)) continue;
      byName.set(d, (await this.link.get(d)).index); // ENODEV: `Cannot find device "d"`
    }
    return (d) => (typeof d === 'number' ? d : byName.get(d)!);
  }
}

/** Strict checking filters in the kernel; a socket opened with `strict: false` gets everything. */
function keep(n: Neighbour, f: CheckedFilter, ifindex: number): boolean {
  return (f.family === undefined || n.family === f.family) && (ifindex === 0 || n.devIndex === ifindex);
}

/** NUD_*|… text of a state value (`REACHABLE|NOARP`), for messages. */
export const formatNeighState = (state: number): string => formatBits(state, STATE_WORDS.map(([b, n]) => [b, n.toUpperCase()] as const));
