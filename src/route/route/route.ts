/**
 * Routes (rtnetlink(7) RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE): `ip route show|add|
 * replace|append|del|get` as typed calls. Requests are byte-identical to iproute2 6.1's for
 * the same command (fixtures/route/route/, test/unit/route.test.ts); dumps are filtered in the
 * kernel (strict checking: ip_valid_fib_dump_req() honours rtm_table/RTA_TABLE, RTA_OIF,
 * rtm_protocol, rtm_type and the family).
 */
import { NetlinkError, ProtocolError, named } from '../../netlink/errors.js';
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../netlink/header.js';
import type { OutMessage } from '../../netlink/message.js';
import type { BulkOptions, BulkResult, NetlinkSocket } from '../../netlink/socket.js';
import type { LinkApi } from '../link/link.js';
import { afOf, parsePrefix } from '../prefix.js';
import { RTM_DELROUTE, RTM_GETROUTE, RTM_NEWROUTE } from '../protocol.js';
import { RTM_F, type RouteAttrs } from './route.schema.js';
import { type Route, toRoute } from './route-decode.js';
import {
  type RouteProtocolName, type RouteTableName, type RouteTypeName, parseRouteProtocol, parseRouteTable, parseRouteType,
} from './route-names.js';
import { type CheckedRoute, type RouteSpec, checkDev, checkRouteSpec, routeDevices, routeMessage, writeRouteMessage } from './route-spec.js';
import { WireWriter } from '../../netlink/wire-writer.js';
import { lazyRoutes } from './route-lazy.js';

/** Which routes `list()`/`stream()` return; every field is a kernel-side filter. */
export interface RouteFilter {
  /** A table id or name, or `all`. Default `main`, as `ip route show`. A table that does not exist lists as empty. */
  readonly table?: number | RouteTableName | 'all';
  /** 4 (`ip -4`) or 6 (`ip -6`). Default: both (IPv4 first, then IPv6). */
  readonly family?: 4 | 6;
  /** Only routes out of this device (name or ifindex; any nexthop counts). */
  readonly dev?: string | number;
  /** Only routes of this protocol (`kernel`, `boot`, `static`, … or a number). */
  readonly protocol?: RouteProtocolName | number;
  /** Only routes of this type (`unicast`, `blackhole`, …). */
  readonly type?: RouteTypeName | number;
}

/** `ip route get` options beyond the destination. */
export interface RouteGetOptions {
  /** Source address of the looked-up flow (RTA_SRC). */
  readonly from?: string;
  /** Input device, as if the packet arrived there (RTA_IIF; needs `from`). */
  readonly iif?: string | number;
  /** Output device to force (RTA_OIF). */
  readonly oif?: string | number;
  /** Firewall mark of the flow (RTA_MARK). */
  readonly mark?: number;
  /** Return the FIB entry that matched instead of the resolved route (RTM_F_FIB_MATCH, `ip route get fibmatch`). */
  readonly fibmatch?: boolean;
}

/** How `add()` treats an existing route with the same key. Default: fail with EEXIST. */
export interface RouteAddOptions {
  /** NLM_F_CREATE|NLM_F_REPLACE (`ip route replace`): replace it, or create. */
  readonly replace?: boolean;
  /** NLM_F_CREATE|NLM_F_APPEND (`ip route append`): add another route next to it. */
  readonly append?: boolean;
}

function addFlags(opts: RouteAddOptions | undefined, where: string): number {
  const replace = opts?.replace ?? false, append = opts?.append ?? false;
  if (typeof replace !== 'boolean' || typeof append !== 'boolean') throw new TypeError(`${where}: replace/append must be booleans`);
  if (replace && append) throw new TypeError(`${where}: replace and append exclude each other`);
  return NLM_F_CREATE | (replace ? NLM_F_REPLACE : append ? NLM_F_APPEND : NLM_F_EXCL);
}

interface CheckedFilter {
  readonly table: number | undefined;
  readonly family: 4 | 6 | undefined;
  readonly dev: string | number | undefined;
  readonly protocol: number;
  readonly type: number;
}

function checkFilter(f: RouteFilter = {}): CheckedFilter {
  if (f === null || typeof f !== 'object') throw new TypeError('route.list: filter must be an object');
  if (f.family !== undefined && f.family !== 4 && f.family !== 6) throw new RangeError(`route.list: family must be 4 or 6, got ${String(f.family)}`);
  return {
    table: f.table === 'all' ? undefined : parseRouteTable(f.table ?? 'main', 'route.list: table'),
    family: f.family,
    dev: f.dev === undefined ? undefined : checkDev(f.dev, 'route.list: dev'),
    protocol: f.protocol === undefined ? 0 : parseRouteProtocol(f.protocol, 'route.list: protocol'),
    type: f.type === undefined ? 0 : parseRouteType(f.type, 'route.list: type'),
  };
}

/** A table filter the kernel refused because the table does not exist (inet_dump_fib: ENOENT). */
const missingTable = (e: unknown, f: CheckedFilter): boolean => f.table !== undefined && e instanceof NetlinkError && e.code === 'ENOENT';

/** The route sub-API of a route handle. */
export class RouteApi {
  constructor(private readonly sock: NetlinkSocket, private readonly link: LinkApi) {}

  /** Routes of one table (default main) or all, filtered in the kernel (one RTM_GETROUTE dump). */
  async list(filter?: RouteFilter): Promise<Route[]> {
    const f = checkFilter(filter);
    const req = await this.#dumpRequest(f);
    const name = await this.link.names();
    try {
      return await this.sock.dumpLazy(req, lazyRoutes.reader(name));
    } catch (e) {
      if (missingTable(e, f)) return [];
      throw e; // DumpInterruptedError's `partial` already holds Routes
    }
  }

  /** Routes one by one, without holding the table (the socket is reserved meanwhile). */
  async *stream(filter?: RouteFilter): AsyncGenerator<Route, void, undefined> {
    const f = checkFilter(filter);
    const req = await this.#dumpRequest(f);
    const name = await this.link.names();
    try {
      yield* this.sock.streamLazy(req, lazyRoutes.reader(name));
    } catch (e) {
      if (!missingTable(e, f)) throw e;
    }
  }

  /**
   * Add a route (`ip route add`; with `replace`/`append`, `ip route replace|append`).
   * The spec is checked before any syscall; device names are resolved with RTM_GETLINK.
   */
  async add(spec: RouteSpec, opts?: RouteAddOptions): Promise<void> {
    const flags = addFlags(opts, 'route.add');
    const r = checkRouteSpec(spec, 'route');
    const idx = await this.#resolve([r]);
    try {
      await this.sock.request(routeMessage(RTM_NEWROUTE, r, idx, flags));
    } catch (err) {
      throw named(err, `cannot add route ${String(spec.dst)}`);
    }
  }

  /** Delete a route (`ip route del`): unstated protocol, type and (IPv4) scope match any. */
  async del(spec: RouteSpec): Promise<void> {
    const r = checkRouteSpec(spec, 'route');
    const idx = await this.#resolve([r]);
    try {
      await this.sock.request(routeMessage(RTM_DELROUTE, r, idx, 0));
    } catch (err) {
      throw named(err, `cannot delete route ${String(spec.dst)}`);
    }
  }

  /**
   * Add many routes in few syscalls (NetlinkSocket.bulk: up to `chunk` per sendmsg, ACK on
   * the last). Every spec is checked first, each distinct device name resolved once. Kernel
   * refusals → BulkError whose `failures[].index` is the position in `specs`.
   */
  async addMany(specs: readonly RouteSpec[], opts: BulkOptions & RouteAddOptions = {}): Promise<BulkResult> {
    const { replace, append, ...bulk } = opts;
    const flags = addFlags({ replace: replace ?? false, append: append ?? false }, 'route.addMany');
    return this.#many(RTM_NEWROUTE, specs, flags, bulk);
  }

  /** Delete many routes in few syscalls; see {@link addMany}. */
  async delMany(specs: readonly RouteSpec[], opts: BulkOptions = {}): Promise<BulkResult> {
    return this.#many(RTM_DELROUTE, specs, 0, opts);
  }

  /**
   * Look a destination up (`ip route get`): RTM_GETROUTE without NLM_F_DUMP, answered with
   * one RTM_NEWROUTE. IPv4 lookups carry RTM_F_LOOKUP_TABLE, as iproute2 sends them, so the
   * answer names the FIB table that matched.
   */
  async get(dst: string, opts: RouteGetOptions = {}): Promise<Route> {
    const p = parsePrefix(dst, 'route.get: dst');
    const max = p.family === 4 ? 32 : 128;
    if (p.prefixlen !== max) throw new RangeError(`route.get: dst: looks up one address; "${dst}" is a /${p.prefixlen} prefix`);
    for (const k of Object.keys(opts)) if (!['from', 'iif', 'oif', 'mark', 'fibmatch'].includes(k)) throw new TypeError(`route.get: ${k}: not an option (from, iif, oif, mark, fibmatch)`);
    let from: string | undefined;
    if (opts.from !== undefined) {
      const s = parsePrefix(opts.from, 'route.get: from');
      if (s.family !== p.family || s.prefixlen !== max) throw new RangeError(`route.get: from: expected one IPv${p.family} address, got "${opts.from}"`);
      from = s.address;
    }
    const iif = opts.iif === undefined ? undefined : checkDev(opts.iif, 'route.get: iif');
    const oif = opts.oif === undefined ? undefined : checkDev(opts.oif, 'route.get: oif');
    if (opts.mark !== undefined && (!Number.isInteger(opts.mark) || opts.mark < 0 || opts.mark > 0xffffffff)) throw new RangeError(`route.get: mark must be an integer 0..4294967295, got ${opts.mark}`);
    if (opts.fibmatch !== undefined && typeof opts.fibmatch !== 'boolean') throw new TypeError('route.get: fibmatch must be a boolean');

    const idx = await this.#resolveNames([iif, oif]);
    // iproute_get(): RTA_DST (and RTA_SRC) in the argument loop, then RTA_IIF, RTA_OIF, RTA_MARK.
    const attrs: RouteAttrs = { dst: p.address };
    if (from !== undefined) attrs.src = from;
    if (iif !== undefined) attrs.iif = idx(iif);
    if (oif !== undefined) attrs.oif = idx(oif);
    if (opts.mark) attrs.mark = opts.mark; // iproute2 sends no RTA_MARK for mark 0
    const [m] = await this.sock.request({
      type: RTM_GETROUTE,
      flags: 0,
      header: {
        family: afOf(p.family), dst_len: max, src_len: from === undefined ? 0 : max, tos: 0, table: 0, protocol: 0, scope: 0, type: 0,
        // "Only IPv4 supports the RTM_F_LOOKUP_TABLE flag" (iproute2).
        flags: (p.family === 4 ? RTM_F.RTM_F_LOOKUP_TABLE : 0) | (opts.fibmatch ? RTM_F.RTM_F_FIB_MATCH : 0),
      },
      attrs,
    }, { ack: false });
    const raw = m && toRoute(m);
    if (!raw) throw new ProtocolError(`route.get(${JSON.stringify(dst)}): the kernel sent no route`);
    // Name the devices of the answer (ip names them from its link table too).
    return raw.devIndex === undefined && !raw.nexthops ? raw : toRoute(m, await this.link.names())!;
  }

  async #many(cmd: typeof RTM_NEWROUTE | typeof RTM_DELROUTE, specs: readonly RouteSpec[], flags: number, bulk: BulkOptions): Promise<BulkResult> {
    if (!Array.isArray(specs)) throw new TypeError('routes: expected an array of route specs');
    // Written straight into one buffer (writeRouteMessage: routeMessage()'s bytes, no message
    // objects); nothing is sent until every spec has been checked.
    const w = new WireWriter(specs.length * 64);
    if (!specs.some(namesDevice)) {
      // Devices by ifindex only: check and write each spec in one pass, so no checked route
      // outlives its iteration (10k of them kept alive cost more in GC than checking them).
      for (let i = 0; i < specs.length; i++) writeRouteMessage(w, cmd, checkRouteSpec(specs[i]!, 'routes', i), byIndex, flags);
    } else {
      // Device names: check everything first, then resolve each name once, then write.
      const checked = new Array<CheckedRoute>(specs.length);
      for (let i = 0; i < specs.length; i++) checked[i] = checkRouteSpec(specs[i]!, 'routes', i);
      const idx = await this.#resolve(checked);
      for (const r of checked) writeRouteMessage(w, cmd, r, idx, flags);
    }
    return this.sock.bulkEncoded(w.finish(), bulk);
  }

  async #dumpRequest(f: CheckedFilter): Promise<OutMessage> {
    const idx = await this.#resolveNames([f.dev]);
    // iproute_dump_filter(): the table always as RTA_TABLE (rtm_table 0), then RTA_OIF.
    const attrs: RouteAttrs = {};
    if (f.table !== undefined) attrs.table = f.table;
    if (f.dev !== undefined) attrs.oif = idx(f.dev);
    return {
      type: RTM_GETROUTE,
      flags: 0,
      header: { family: f.family ? afOf(f.family) : 0, dst_len: 0, src_len: 0, tos: 0, table: 0, protocol: f.protocol, scope: 0, type: f.type, flags: 0 },
      attrs,
    };
  }

  #resolve(routes: readonly CheckedRoute[]): Promise<(dev: string | number) => number> {
    return this.#resolveNames(routes.flatMap(routeDevices));
  }

  /** Ifindex of each distinct device name, asked of the kernel once (RTM_GETLINK by name). */
  async #resolveNames(devs: ReadonlyArray<string | number | undefined>): Promise<(dev: string | number) => number> {
    const byName = new Map<string, number>();
    for (const d of devs) {
      if (typeof d !== 'string' || byName.has(d)) continue;
      byName.set(d, (await this.link.get(d)).index); // ENODEV: `Cannot find device "d"`
    }
    return (d) => (typeof d === 'number' ? d : byName.get(d)!);
  }
}

/** Does this (unchecked) spec name a device, at the top or in a nexthop? Never throws. */
function namesDevice(s: unknown): boolean {
  if (s === null || typeof s !== 'object') return false;
  const r = s as { dev?: unknown; nexthops?: unknown };
  return typeof r.dev === 'string' || (Array.isArray(r.nexthops) && r.nexthops.some((h: unknown) => typeof (h as { dev?: unknown } | null)?.dev === 'string'));
}

/** The ifindex of a checked device that is one already (routes without device names). */
function byIndex(dev: string | number): number {
  if (typeof dev !== 'number') throw new Error(`internal: device "${dev}" was not resolved`);
  return dev;
}
