/**
 * Addresses (rtnetlink(7) RTM_GETADDR / RTM_NEWADDR / RTM_DELADDR): typed objects out of the
 * kernel's address lists, and `ip addr add|replace|del` as typed calls (requests built in
 * addr-request.ts, byte for byte as iproute2 6.1 builds them).
 */
import { NetlinkError, named } from '../../netlink/errors.js';
import { formatBits } from '../../netlink/header.js';
import type { Message, OutMessage } from '../../netlink/message.js';
import type { BulkOptions, BulkResult, NetlinkSocket } from '../../netlink/socket.js';
import { type AddrOp, type AddrRequest, type AddrScope, type AddressSpec, type Lifetime, ADDR_SCOPES, addrMessage, addrRequest, checkDev, writeAddrMessage } from './addr-request.js';
import { WireWriter } from '../../netlink/wire-writer.js';
import { type AddrAttrs, IFA_F_NAMES, type IfAddrMsg } from './addr.schema.js';
import { AF } from '../family.js';
import { type IfNameOf, nameOf, unnamed } from '../ifnames.js';
import type { LinkApi } from '../link/link.js';
import { RTM_GETADDR } from '../protocol.js';
import { lazyAddresses } from './addr-lazy.js';

export type { AddrScope, AddressSpec, Lifetime } from './addr-request.js';
export { ADDR_SCOPES } from './addr-request.js';

/** An address, as `ip -j addr show` reports it. */
export interface Address {
  /** The device's name (`if<N>` if it cannot be named). */
  readonly dev: string;
  /** ifaddrmsg.ifa_index: the device's ifindex. */
  readonly devIndex: number;
  readonly family: 4 | 6;
  readonly prefixlen: number;
  /** The local address: IFA_LOCAL, or IFA_ADDRESS where the kernel sends only that (IPv6). */
  readonly address: string;
  /** Point-to-point peer: IFA_ADDRESS where it differs from IFA_LOCAL. */
  readonly peer?: string;
  readonly broadcast?: string;
  /** IPv4 label (IFA_LABEL); the kernel reports the device name for unlabelled IPv4 addresses. */
  readonly label?: string;
  /** ifa_scope as ip prints it: `global`, `site`, `link`, `host`, `nowhere` (a number when unnamed; {@link ADDR_SCOPES}). */
  readonly scope: Exclude<AddrScope, number> | number;
  /**
   * The flags as `ip addr` prints them, in its order: `secondary` (`temporary` for IPv6),
   * `nodad`, `optimistic`, `dadfailed`, `home`, `deprecated`, `tentative`, `mngtmpaddr`,
   * `noprefixroute`, `autojoin`, `stable-privacy`, and `dynamic` for an address without
   * IFA_F_PERMANENT (ip -j prints each as a `true` key).
   */
  readonly flags: readonly AddrFlagWord[];
  /** IFA_F_* bits: IFA_FLAGS when present (all 32 bits), else ifa_flags. See {@link addrFlagNames}. */
  readonly rawFlags: number;
  /**
   * Remaining lifetimes from IFA_CACHEINFO, in seconds; `'forever'` for 0xffffffff — the same
   * type `add()` takes (ip -j prints 4294967295).
   */
  readonly validLft?: Lifetime;
  readonly preferredLft?: Lifetime;
  /** Metric of the prefix route (IFA_RT_PRIORITY). */
  readonly metric?: number;
  /** Every attribute the kernel sent, decoded by the IFA table. */
  readonly attrs: AddrAttrs;
}

/** Which addresses `list()` / `stream()` return; both filters run in the kernel (strict checking). */
export interface AddrFilter {
  /** Only this device's addresses (ifaddrmsg.ifa_index). A name is resolved first (ENODEV if missing). */
  readonly dev?: string | number;
  /** Only IPv4 or only IPv6 (ifaddrmsg.ifa_family). Default both. */
  readonly family?: 4 | 6;
}

/** IFA_F_* names of a flags value, e.g. ['NODAD', 'PERMANENT']. */
export function addrFlagNames(flags: number): string[] {
  const s = formatBits(flags, IFA_F_NAMES);
  return s === '0' ? [] : s.split('|');
}

/** A word of {@link Address.flags}. */
export type AddrFlagWord = 'secondary' | 'temporary' | 'nodad' | 'optimistic' | 'dadfailed' | 'home' | 'deprecated' | 'tentative'
  | 'dynamic' | 'mngtmpaddr' | 'noprefixroute' | 'autojoin' | 'stable-privacy';

// iproute2 ipaddress.c ifa_flag_names[], bit i = 1 << i.
const IFA_WORDS = ['secondary', 'nodad', 'optimistic', 'dadfailed', 'home', 'deprecated', 'tentative', 'permanent',
  'mngtmpaddr', 'noprefixroute', 'autojoin', 'stable-privacy'] as const;

/** ip's print_ifa_flags(): words of the bits it knows (`dynamic` for the absence of PERMANENT). */
export function addrFlagWords(flags: number, family: 4 | 6): AddrFlagWord[] {
  const out: AddrFlagWord[] = [];
  IFA_WORDS.forEach((w, i) => {
    const bit = 1 << i;
    if (w === 'permanent') { if (!(flags & bit)) out.push('dynamic'); }
    else if (flags & bit) out.push(w === 'secondary' && family === 6 ? 'temporary' : w);
  });
  return out;
}

const SCOPE_WORDS: Readonly<Record<number, Exclude<AddrScope, number>>> = Object.fromEntries(Object.entries(ADDR_SCOPES).map(([k, v]) => [v, k as Exclude<AddrScope, number>]));
/** ifa_scope / rtm_scope → ip's word (`global`, `link`, `host`, …), a number when unnamed. */
export const scopeWord = (s: number): Exclude<AddrScope, number> | number => SCOPE_WORDS[s] ?? s;

const forever = (v: number): Lifetime => (v === 0xffffffff ? 'forever' : v);

/**
 * RTM_NEWADDR → Address, or undefined for a family other than IPv4/IPv6 (an AF_UNSPEC dump
 * reaches every family that registered one, e.g. phonet).
 */
export function toAddress(m: Message, name?: IfNameOf): Address | undefined {
  return addressOf(m.header as IfAddrMsg, m.attrs as AddrAttrs | undefined, name);
}

/** {@link toAddress} from an address message's decoded struct ifaddrmsg and IFA_* attributes (dumps: NetlinkSocket.dumpEntries). */
export function addressOf(h: IfAddrMsg, attrs: AddrAttrs | undefined, name: IfNameOf = unnamed): Address | undefined {
  const family = h.family === AF.AF_INET ? 4 : h.family === AF.AF_INET6 ? 6 : undefined;
  if (!family) return undefined;
  const a = attrs ?? {};
  const address = a.local ?? a.address ?? '';
  const ci = a.cacheinfo;
  const flags = a.flags ?? h.flags;
  return {
    dev: name(h.index),
    devIndex: h.index,
    family,
    prefixlen: h.prefixlen,
    address,
    ...(a.local !== undefined && a.address !== undefined && a.address !== a.local ? { peer: a.address } : {}),
    ...(a.broadcast !== undefined ? { broadcast: a.broadcast } : {}),
    ...(a.label !== undefined ? { label: a.label } : {}),
    scope: scopeWord(h.scope),
    flags: addrFlagWords(flags, family),
    rawFlags: flags,
    ...(ci ? { validLft: forever(ci.ifa_valid), preferredLft: forever(ci.ifa_prefered) } : {}),
    ...(a.rtPriority !== undefined ? { metric: a.rtPriority } : {}),
    attrs: a,
  };
}

function dumpRequest(family: 4 | 6 | undefined, index: number): OutMessage {
  // Strict checking accepts only family and index in a dump request (prefixlen, flags and scope must be 0).
  return { type: RTM_GETADDR, flags: 0, header: { family: family === 4 ? AF.AF_INET : family === 6 ? AF.AF_INET6 : AF.AF_UNSPEC, prefixlen: 0, flags: 0, scope: 0, index } };
}

/** Options of `addMany()`. */
export interface AddManyOptions extends BulkOptions {
  /** NLM_F_REPLACE instead of NLM_F_EXCL (`ip addr replace`). Default false. */
  readonly replace?: boolean;
}

/** The address sub-API of a route handle. */
export class AddrApi {
  constructor(private readonly sock: NetlinkSocket, private readonly link: LinkApi) {}

  /** Every address (one RTM_GETADDR dump), filtered in the kernel by `filter`. */
  async list(filter: AddrFilter = {}): Promise<Address[]> {
    const { family, index } = await this.#filter(filter);
    const name = await this.#names(filter, index);
    const read = lazyAddresses.reader(name);
    return this.sock.dumpLazy(dumpRequest(family, index), (buf, s, e, type) => {
      const a = read(buf, s, e, type);
      return a && keep(a, family, index) ? a : undefined;
    });
  }

  /** Addresses one by one, without holding the table. */
  async *stream(filter: AddrFilter = {}): AsyncGenerator<Address, void, undefined> {
    const { family, index } = await this.#filter(filter);
    const name = await this.#names(filter, index);
    for await (const a of this.sock.streamLazy(dumpRequest(family, index), lazyAddresses.reader(name))) {
      if (keep(a, family, index)) yield a;
    }
  }

  /**
   * Add an address: `ip addr add …`, or `ip addr replace …` with `{ replace: true }`
   * (create it, or update lifetimes/metric/flags of the existing one). An existing address
   * without `replace` → NetlinkError EEXIST.
   */
  async add(spec: AddressSpec, opts: { readonly replace?: boolean } = {}): Promise<void> {
    const req = addrRequest(opts.replace ? 'replace' : 'add', spec, opts.replace ? 'addr.replace' : 'addr.add');
    try {
      await this.sock.request(addrMessage(req, await this.#index(req.dev, 'addr.add.dev')));
    } catch (err) {
      throw named(err, `cannot add address ${spec.address} to ${typeof req.dev === 'string' ? `"${req.dev}"` : `ifindex ${req.dev}`}`, req.dev);
    }
  }

  /** Delete an address (`ip addr del ADDRESS/LEN dev DEV`); missing → NetlinkError EADDRNOTAVAIL. */
  async del(spec: AddressSpec): Promise<void> {
    const req = addrRequest('del', spec, 'addr.del');
    try {
      await this.sock.request(addrMessage(req, await this.#index(req.dev, 'addr.del.dev')));
    } catch (err) {
      throw named(err, `cannot delete address ${spec.address} from ${typeof req.dev === 'string' ? `"${req.dev}"` : `ifindex ${req.dev}`}`, req.dev);
    }
  }

  /**
   * Add many addresses with few syscalls (one bulk request, see NetlinkSocket.bulk). Every
   * spec is validated before anything is sent; each distinct device name is resolved once.
   * Failures come back as one BulkError whose `failures[i].index` indexes `specs`.
   */
  addMany(specs: readonly AddressSpec[], opts: AddManyOptions = {}): Promise<BulkResult> {
    const { replace, ...bulk } = opts;
    return this.#many(replace ? 'replace' : 'add', specs, bulk, replace ? 'addr.addMany(replace)' : 'addr.addMany');
  }

  /** Delete many addresses in one bulk request; failure indices refer to `specs`. */
  delMany(specs: readonly AddressSpec[], opts: BulkOptions = {}): Promise<BulkResult> {
    return this.#many('del', specs, opts, 'addr.delMany');
  }

  async #many(op: AddrOp, specs: readonly AddressSpec[], opts: BulkOptions, field: string): Promise<BulkResult> {
    if (!Array.isArray(specs)) throw new TypeError(`${field}: expected an array of address specs`);
    if (!specs.some((x: unknown) => typeof (x as { dev?: unknown } | null)?.dev === 'string')) {
      // Devices by ifindex only: check and write each spec in one pass (no request outlives
      // its iteration); nothing is sent until every spec has been checked.
      const w = new WireWriter(specs.length * 64);
      for (let i = 0; i < specs.length; i++) {
        const r = addrRequest(op, specs[i]!, field, i);
        if (typeof r.dev !== 'number') throw new Error(`internal: ${field}[${i}].dev was not an ifindex`);
        writeAddrMessage(w, r, r.dev);
      }
      return this.sock.bulkEncoded(w.finish(), opts);
    }
    const reqs = new Array<AddrRequest>(specs.length);
    for (let i = 0; i < specs.length; i++) reqs[i] = addrRequest(op, specs[i]!, field, i);
    const names = new Map<string, number>();
    for (const [i, r] of reqs.entries()) {
      if (typeof r.dev !== 'string' || names.has(r.dev)) continue;
      try {
        names.set(r.dev, await this.#index(r.dev, `${field}[${i}].dev`));
      } catch (e) {
        // Say which spec named the missing device (the first one that did).
        if (e instanceof NetlinkError) throw e.withSubject(undefined, i);
        throw e;
      }
    }
    // Written straight into one buffer (writeAddrMessage: addrMessage()'s bytes, no message objects).
    const w = new WireWriter(reqs.length * 64);
    for (const r of reqs) writeAddrMessage(w, r, typeof r.dev === 'number' ? r.dev : names.get(r.dev)!);
    return this.sock.bulkEncoded(w.finish(), opts);
  }

  async #filter(f: AddrFilter): Promise<{ family: 4 | 6 | undefined; index: number }> {
    if (typeof f !== 'object' || f === null) throw new TypeError(`addr.list: expected a filter object, got ${f === null ? 'null' : typeof f}`);
    if (f.family !== undefined && f.family !== 4 && f.family !== 6) throw new RangeError(`addr.list.family: expected 4 or 6, got ${String(f.family)}`);
    const index = f.dev === undefined ? 0 : await this.#index(checkDev(f.dev, 'addr.list.dev'), 'addr.list.dev');
    return { family: f.family, index };
  }

  /** Names for a dump: one device's (known, or asked by index as ip asks), or every link's. */
  async #names(f: AddrFilter, index: number): Promise<IfNameOf> {
    if (index === 0) return this.link.names();
    return nameOf(new Map([[index, typeof f.dev === 'string' ? f.dev : await this.link.nameOf(index, 'addr.list.dev')]]));
  }

  /** ifindex of a device: a number as is, a name asked of the kernel (RTM_GETLINK, no dump). */
  async #index(dev: string | number, field: string): Promise<number> {
    return typeof dev === 'number' ? dev : this.link.index(checkDev(dev, field), field);
  }
}

/**
 * The kernel filters only on sockets with strict checking (the default); a socket opened
 * with `strict: false` gets everything, so the filter is applied here too.
 */
function keep(a: Address, family: 4 | 6 | undefined, index: number): boolean {
  return (family === undefined || a.family === family) && (index === 0 || a.devIndex === index);
}
