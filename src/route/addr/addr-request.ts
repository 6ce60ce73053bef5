/**
 * Building RTM_NEWADDR / RTM_DELADDR requests from typed specs (`ip addr add|replace|del`).
 *
 * The request is the one iproute2 6.1 builds (ip/ipaddress.c `ipaddr_modify()`) for the
 * command written in this argument order:
 *
 *   ip addr add LOCAL [peer PEER] [broadcast BRD|+|-] [label LABEL] [metric N] dev DEV
 *               [scope SCOPE] [FLAG…] [valid_lft V] [preferred_lft P]
 *
 * ip appends attributes in argv order, then IFA_FLAGS, IFA_ADDRESS (a copy of the local
 * address when there is no peer), a computed broadcast (`brd +`) and IFA_CACHEINFO last;
 * test/unit/addr.test.ts holds this to requests captured from ip (fixtures/route/addr/).
 *
 * Everything is validated here, before any syscall; the device name is resolved by the
 * caller (addr.ts), since the kernel wants an ifindex.
 */
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../netlink/header.js';
import { ipFamily } from '../../netlink/ip.js';
import type { OutMessage } from '../../netlink/message.js';
import { type WireWriter } from '../../netlink/wire-writer.js';
import { type AddrAttrs, IFA, IFA_F, type IfAddrMsg } from './addr.schema.js';
import { type Prefix, afOf, broadcastOf, networkOf, parsePrefix } from '../prefix.js';
import { RTM_DELADDR, RTM_NEWADDR } from '../protocol.js';
import { RT_SCOPE } from '../route/route.schema.js';
import { IFNAMSIZ, checkDev } from '../devname.js';

/** Address lifetime in seconds, or `'forever'` (0xffffffff on the wire, INFINITY_LIFE_TIME). */
export type Lifetime = number | 'forever';

/** Scope of an address: a name as `ip … scope NAME` takes it, or a number 0..255 (RT_SCOPE_*). */
export type AddrScope = 'global' | 'site' | 'link' | 'host' | 'nowhere' | number;

/** `ip` scope names (iproute2 rt_scopes) → RT_SCOPE_* numbers. */
export const ADDR_SCOPES: Readonly<Record<Exclude<AddrScope, number>, number>> = {
  global: RT_SCOPE.RT_SCOPE_UNIVERSE,
  site: RT_SCOPE.RT_SCOPE_SITE,
  link: RT_SCOPE.RT_SCOPE_LINK,
  host: RT_SCOPE.RT_SCOPE_HOST,
  nowhere: RT_SCOPE.RT_SCOPE_NOWHERE,
};

/** One address for `addr.add()` / `addr.del()`: the arguments of `ip addr add`. */
export interface AddressSpec {
  /** Device name or ifindex (`dev DEV`). */
  readonly dev: string | number;
  /**
   * The local address with its prefix length: `'192.168.15.1/24'`, `'fd00::1/64'`; a bare
   * address is a host prefix (/32, /128) — also on delete, where ip 6.1 would instead do a
   * deprecated wildcard delete of a bare IPv4 address (see fixtures/route/addr/deladdr-v4-bare.json).
   */
  readonly address: string;
  /**
   * Point-to-point peer (`peer PREFIX`, sent as IFA_ADDRESS). As in ip, the prefix length
   * then comes from the peer (`'10.9.0.2/30'`; bare = host prefix).
   */
  readonly peer?: string;
  /**
   * IPv4 broadcast: an address, or `'+'` / `'-'` to set / clear the host bits of the prefix
   * (`brd +`, `brd -`). Like ip, `+`/`-` add nothing for prefixes longer than /30, and
   * nothing on delete.
   */
  readonly broadcast?: string;
  /** IPv4 label (`eth0:1` style), at most 15 bytes. iproute2 ≥ 5.17 no longer requires the device-name prefix, nor does this. */
  readonly label?: string;
  /** Default: `'host'` for 127.0.0.0/8, else `'global'` (ip's default_scope()); none on delete. */
  readonly scope?: AddrScope;
  /** IFA_F_NOPREFIXROUTE: add no prefix route for this address. */
  readonly noprefixroute?: boolean;
  /** IFA_F_NODAD (IPv6): skip duplicate address detection. */
  readonly nodad?: boolean;
  /** IFA_F_OPTIMISTIC (IPv6): optimistic DAD (RFC 4429). */
  readonly optimistic?: boolean;
  /** IFA_F_HOMEADDRESS (IPv6, `ip … home`): Mobile IPv6 home address. */
  readonly homeaddress?: boolean;
  /** IFA_F_MANAGETEMPADDR (IPv6): the kernel manages privacy addresses from this prefix. */
  readonly managetempaddr?: boolean;
  /** Same as `managetempaddr` (ip's name for it). */
  readonly mngtmpaddr?: boolean;
  /** IFA_F_MCAUTOJOIN: join this multicast group (the address must be multicast). */
  readonly autojoin?: boolean;
  /** Valid lifetime (IFA_CACHEINFO). Default `'forever'` when either lifetime is given. */
  readonly validLft?: Lifetime;
  /** Preferred lifetime, ≤ validLft. Default `'forever'` (as in ip: give both when limiting valid). */
  readonly preferredLft?: Lifetime;
  /** Metric of the prefix route (`metric N`, IFA_RT_PRIORITY). */
  readonly metric?: number;
}

/** What the request becomes once validated: everything but the ifindex. */
export interface AddrRequest {
  readonly dev: string | number;
  readonly type: typeof RTM_NEWADDR | typeof RTM_DELADDR;
  readonly flags: number;
  readonly header: Omit<IfAddrMsg, 'index'>;
  readonly attrs: AddrAttrs;
}

/** `add`: NLM_F_CREATE|NLM_F_EXCL; `replace`: NLM_F_CREATE|NLM_F_REPLACE; `del`: RTM_DELADDR (as `ip addr add|replace|del`). */
export type AddrOp = 'add' | 'replace' | 'del';

const INFINITY_LIFE_TIME = 0xffffffff;

/**
 * Flag options → [IFA_F_* bit, IPv6 only]. ip ignores an IPv6-only flag on an IPv4 address
 * with a warning (ifa_flag_data[].v6only); a typed call makes it a RangeError instead.
 */
const FLAG_BITS = {
  noprefixroute: [IFA_F.IFA_F_NOPREFIXROUTE, false],
  nodad: [IFA_F.IFA_F_NODAD, true],
  optimistic: [IFA_F.IFA_F_OPTIMISTIC, true],
  homeaddress: [IFA_F.IFA_F_HOMEADDRESS, true],
  managetempaddr: [IFA_F.IFA_F_MANAGETEMPADDR, true],
  mngtmpaddr: [IFA_F.IFA_F_MANAGETEMPADDR, true],
  autojoin: [IFA_F.IFA_F_MCAUTOJOIN, false],
} as const satisfies Record<string, readonly [number, boolean]>;

const KNOWN_KEYS = new Set(['dev', 'address', 'peer', 'broadcast', 'label', 'scope', 'validLft', 'preferredLft', 'metric', ...Object.keys(FLAG_BITS)]);

export { checkDev } from '../devname.js';

function checkU32(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${field}: expected an integer 0..4294967295, got ${String(v)}`);
  return v;
}

function lifetime(v: Lifetime | undefined, field: string): number {
  if (v === undefined || v === 'forever') return INFINITY_LIFE_TIME;
  return checkU32(v, field);
}

function scopeOf(v: AddrScope, field: string): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`${field}: a scope number is 0..255, got ${v}`);
    return v;
  }
  const n = Object.hasOwn(ADDR_SCOPES, v) ? (ADDR_SCOPES as Record<string, number>)[v] : undefined;
  if (n === undefined) throw new RangeError(`${field}: unknown scope "${String(v)}" (global, site, link, host, nowhere or 0..255)`);
  return n;
}

function isMulticast(p: Prefix): boolean {
  if (p.family === 4) return (Number(p.address.split('.')[0]) & 0xf0) === 0xe0;
  return p.address.startsWith('ff');
}

/**
 * Validate `spec` and build its request (all but the ifindex), as ip 6.1 does for the same
 * command. `field` names the argument in errors (`addr.add`, `addr.addMany[3]`).
 */
export function addrRequest(op: AddrOp, spec: AddressSpec, field: string, index?: number): AddrRequest {
  // Checking is pure: first with bare field names (nothing formatted per spec — a bulk add
  // checks thousands), and only for a spec that fails again with the field spelled out
  // (`field[index]` for bulk callers), which throws the same error worded in full.
  try {
    return build(op, spec, undefined);
  } catch {
    build(op, spec, index === undefined ? field : `${field}[${index}]`);
    throw new Error('internal: addrRequest failed once and then passed');
  }
}

const bareName = (name: string): string => name;
const FLAG_ENTRIES = Object.entries(FLAG_BITS);

function build(op: AddrOp, spec: AddressSpec, field: string | undefined): AddrRequest {
  const f = field === undefined ? bareName : (name: string): string => `${field}.${name}`;
  if (typeof spec !== 'object' || spec === null) throw new TypeError(`${field}: expected an address spec object, got ${spec === null ? 'null' : typeof spec}`);
  for (const k of Object.keys(spec)) if (!KNOWN_KEYS.has(k)) throw new TypeError(`${field}: unknown option "${k}"`);
  const dev = checkDev(spec.dev, f('dev'));
  const del = op === 'del';

  const local = parsePrefix(spec.address, f('address'));
  const peer = spec.peer === undefined ? undefined : parsePrefix(spec.peer, f('peer'));
  if (peer && peer.family !== local.family) throw new RangeError(`${field}.peer: "${spec.peer}" is IPv${peer.family}, the address is IPv${local.family}`);
  // ip: the peer's length wins; a /0 peer falls back to the local one.
  const prefixlen = peer && peer.prefixlen ? peer.prefixlen : local.prefixlen;
  if (peer && spec.address.includes('/') && local.prefixlen !== prefixlen) {
    throw new RangeError(`${field}.address: with a peer the prefix length is the peer's (ip addr add LOCAL peer PEER/LEN): write "/${local.prefixlen}" on peer, not on address`);
  }

  let broadcast: 'set' | 'clear' | string | undefined;
  if (spec.broadcast !== undefined) {
    if (typeof spec.broadcast !== 'string') throw new TypeError(`${field}.broadcast: expected an IPv4 address, '+' or '-', got ${typeof spec.broadcast}`);
    if (local.family !== 4) throw new RangeError(`${field}.broadcast: IPv6 has no broadcast address`);
    if (spec.broadcast === '+') broadcast = 'set';
    else if (spec.broadcast === '-') broadcast = 'clear';
    else if (ipFamily(spec.broadcast) === 4) broadcast = parsePrefix(spec.broadcast, f('broadcast')).address;
    else throw new RangeError(`${field}.broadcast: "${spec.broadcast}" is not an IPv4 address, '+' or '-'`);
  }

  if (spec.label !== undefined) {
    if (typeof spec.label !== 'string') throw new TypeError(`${field}.label: expected a string, got ${typeof spec.label}`);
    const n = Buffer.byteLength(spec.label);
    if (n === 0 || n >= IFNAMSIZ || spec.label.includes('\0')) throw new RangeError(`${field}.label: "${spec.label}" must be 1..${IFNAMSIZ - 1} bytes without NUL, is ${n}`);
    // The kernel keeps labels for IPv4 only and silently drops IFA_LABEL on IPv6.
    if (local.family !== 4) throw new RangeError(`${field}.label: labels exist for IPv4 addresses only`);
  }

  let ifaFlags = 0;
  for (const [name, [bit, v6only]] of FLAG_ENTRIES) {
    const v = (spec as unknown as Record<string, unknown>)[name];
    if (v === undefined || v === false) continue;
    if (v !== true) throw new TypeError(`${field}.${name}: expected a boolean, got ${typeof v}`);
    if (v6only && local.family !== 6) throw new RangeError(`${field}.${name}: can be set only for IPv6 addresses`);
    ifaFlags |= bit;
  }
  if (ifaFlags & IFA_F.IFA_F_MCAUTOJOIN && !isMulticast(local)) throw new RangeError(`${field}.autojoin: needs a multicast address, got ${local.address}`);

  let cacheinfo: AddrAttrs['cacheinfo'];
  if (spec.validLft !== undefined || spec.preferredLft !== undefined) {
    const valid = lifetime(spec.validLft, f('validLft'));
    const preferred = lifetime(spec.preferredLft, f('preferredLft'));
    if (valid === 0) throw new RangeError(`${field}.validLft: must not be 0`);
    if (preferred > valid) {
      throw new RangeError(`${field}.preferredLft: ${spec.preferredLft ?? "'forever' (the default)"} is greater than validLft ${spec.validLft ?? "'forever'"}`);
    }
    cacheinfo = { ifa_prefered: preferred, ifa_valid: valid, cstamp: 0, tstamp: 0 };
  }
  const metric = spec.metric === undefined ? undefined : checkU32(spec.metric, f('metric'));
  const scope = spec.scope !== undefined ? scopeOf(spec.scope, f('scope'))
    : del ? 0
    : local.family === 4 && local.address.startsWith('127.') ? RT_SCOPE.RT_SCOPE_HOST : RT_SCOPE.RT_SCOPE_UNIVERSE;

  // Attribute order is ip's: argv order, then what ipaddr_modify() appends after its loop.
  const attrs: AddrAttrs = { local: local.address };
  if (peer) attrs.address = peer.address;
  if (broadcast !== undefined && broadcast !== 'set' && broadcast !== 'clear') attrs.broadcast = broadcast;
  if (spec.label !== undefined) attrs.label = spec.label;
  if (metric !== undefined) attrs.rtPriority = metric;
  if (ifaFlags > 0xff) attrs.flags = ifaFlags;
  if (!peer) attrs.address = local.address;
  if ((broadcast === 'set' || broadcast === 'clear') && !del) {
    // ip computes it from the peer prefix when there is one (`brd = peer`), and only up to /30.
    const base = peer ?? local;
    if (base.prefixlen <= 30) attrs.broadcast = broadcast === 'set' ? broadcastOf(base) : networkOf(base);
  }
  if (cacheinfo) attrs.cacheinfo = cacheinfo;

  return {
    dev,
    type: del ? RTM_DELADDR : RTM_NEWADDR,
    flags: op === 'add' ? NLM_F_CREATE | NLM_F_EXCL : op === 'replace' ? NLM_F_CREATE | NLM_F_REPLACE : 0,
    header: { family: afOf(local.family), prefixlen, flags: ifaFlags > 0xff ? 0 : ifaFlags, scope },
    attrs,
  };
}

/**
 * addrMessage() written straight into `w` (bulk adds and deletes): the same bytes, without the
 * message object or a second validation (test/unit/addr-writer.test.ts holds them equal).
 */
export function writeAddrMessage(w: WireWriter, req: AddrRequest, index: number): void {
  const at = w.begin(req.type, req.flags, 8, 0);
  const h = req.header;
  w.u8At(at, h.family); w.u8At(at + 1, h.prefixlen); w.u8At(at + 2, h.flags); w.u8At(at + 3, h.scope); w.u32At(at + 4, index);
  w.attrs(IFA, req.attrs);
  w.end();
}

/** The message of a validated request for the device with this ifindex. */
export function addrMessage(req: AddrRequest, index: number): OutMessage {
  return { type: req.type, flags: req.flags, header: { ...req.header, index }, attrs: req.attrs };
}
