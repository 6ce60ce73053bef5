/**
 * NeighSpec: a neighbour entry as `ip neigh add|replace|del` takes it, checked before any
 * syscall and encoded into RTM_NEWNEIGH / RTM_DELNEIGH exactly as iproute2 6.1
 * (`ip/ipneigh.c` ipneigh_modify()) encodes the same command — fixtures/route/neigh/ and
 * test/unit/neigh.test.ts prove it byte by byte.
 *
 * ipneigh_modify() fills struct ndmsg (family from the address, ifindex, ndm_state defaulting
 * to NUD_PERMANENT — also on delete —, NTF_* flags), adds NDA_PROTOCOL inside its argument
 * loop, then NDA_DST, NDA_LLADDR and NDA_FLAGS_EXT after it; that is the order used here
 * (`ip neigh add [protocol P] DST lladdr LL dev DEV nud STATE [router] [managed] …`).
 */
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../netlink/header.js';
import { ipFamily } from '../../netlink/ip.js';
import type { OutMessage } from '../../netlink/message.js';
import { checkDev } from '../addr/addr-request.js';
import { NTF, NTF_EXT, NUD, type NdMsg, type NeighAttrs } from './neigh.schema.js';
import { afOf, parsePrefix } from '../prefix.js';
import { RTM_DELNEIGH, RTM_NEWNEIGH } from '../protocol.js';
import { type RouteProtocolName, parseRouteProtocol } from '../route/route-names.js';

/** NUD_* states by the word `ip neigh … nud STATE` takes (and prints, upper-cased). */
export const NEIGH_STATES = {
  none: NUD.NUD_NONE, incomplete: NUD.NUD_INCOMPLETE, reachable: NUD.NUD_REACHABLE, stale: NUD.NUD_STALE,
  delay: NUD.NUD_DELAY, probe: NUD.NUD_PROBE, failed: NUD.NUD_FAILED, noarp: NUD.NUD_NOARP, permanent: NUD.NUD_PERMANENT,
} as const;
/** A neighbour state as ip names it after `nud` (NUD_* without the prefix). */
export type NeighStateName = keyof typeof NEIGH_STATES;

/** One neighbour for `neigh.add()` / `replace()` / `del()`: the words of `ip neigh add`. */
export interface NeighSpec {
  /** The neighbour's IPv4 or IPv6 address (no prefix length). */
  readonly dst: string;
  /** Device name (resolved with RTM_GETLINK) or ifindex (`dev DEV`). */
  readonly dev: string | number;
  /** Link-layer address (`lladdr 02:00:00:00:00:05`): NDA_LLADDR. Devices with addresses need one unless the state is `none`/`incomplete`. */
  readonly lladdr?: string;
  /** `nud STATE`: a name or NUD_* bits. Default `permanent`, as `ip neigh add` (also sent, and ignored, on delete). */
  readonly state?: NeighStateName | number;
  /** NTF_ROUTER (`router`): the neighbour is an IPv6 router. */
  readonly router?: boolean;
  /** NTF_EXT_LEARNED (`extern_learn`): learned by an external control plane. */
  readonly externLearn?: boolean;
  /** NTF_PROXY (`proxy`): a proxy-ARP/NDP entry (no lladdr). */
  readonly proxy?: boolean;
  /** NTF_EXT_MANAGED in NDA_FLAGS_EXT (`managed`): the kernel resolves the entry and keeps it reachable. */
  readonly managed?: boolean;
  /** NDA_PROTOCOL (`protocol static`): who installed the entry. */
  readonly protocol?: RouteProtocolName | number;
}

/** `add`: NLM_F_CREATE|NLM_F_EXCL; `replace`: NLM_F_CREATE|NLM_F_REPLACE; `del`: RTM_DELNEIGH. */
export type NeighOp = 'add' | 'replace' | 'del';

/** A validated request: everything but the ifindex. */
export interface NeighRequest {
  readonly dev: string | number;
  readonly type: typeof RTM_NEWNEIGH | typeof RTM_DELNEIGH;
  readonly flags: number;
  readonly header: Omit<NdMsg, 'ifindex'>;
  readonly attrs: NeighAttrs;
}

const KEYS: ReadonlySet<string> = new Set(['dst', 'dev', 'lladdr', 'state', 'router', 'externLearn', 'proxy', 'managed', 'protocol']);
const LLADDR = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){0,31}$/;

/** NUD_* bits of a state name or number; RangeError naming `field` otherwise. */
export function parseNeighState(v: unknown, field: string): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`${field}: ${v} is not a NUD_* value (0..65535)`);
    return v;
  }
  if (typeof v === 'string' && Object.hasOwn(NEIGH_STATES, v)) return NEIGH_STATES[v as NeighStateName];
  throw new RangeError(`${field}: unknown neighbour state ${JSON.stringify(v)} (one of ${Object.keys(NEIGH_STATES).join(', ')}, or NUD_* bits)`);
}

function bool(spec: NeighSpec, key: 'router' | 'externLearn' | 'proxy' | 'managed', field: string): boolean {
  const v = spec[key];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new TypeError(`${field}.${key}: expected a boolean, got ${typeof v}`);
  return v;
}

/** Check `spec` (no syscall) and build the request; `field` prefixes errors (`neigh`, `neighs[3]`). */
export function neighRequest(op: NeighOp, spec: NeighSpec, field: string): NeighRequest {
  if (spec === null || typeof spec !== 'object') throw new TypeError(`${field}: expected a neighbour spec object, got ${spec === null ? 'null' : typeof spec}`);
  for (const k of Object.keys(spec)) if (!KEYS.has(k)) throw new TypeError(`${field}.${k}: not a neighbour field (${[...KEYS].join(', ')})`);
  if (typeof spec.dst !== 'string') throw new TypeError(`${field}.dst: expected an IPv4 or IPv6 address, got ${typeof spec.dst}`);
  if (spec.dst.includes('/') || ipFamily(spec.dst) === 0) throw new RangeError(`${field}.dst: "${spec.dst}" is not an IPv4 or IPv6 address`);
  const dst = parsePrefix(spec.dst, `${field}.dst`);
  const dev = checkDev(spec.dev, `${field}.dev`);
  if (spec.lladdr !== undefined) {
    if (typeof spec.lladdr !== 'string') throw new TypeError(`${field}.lladdr: expected a link-layer address like "02:00:00:00:00:05", got ${typeof spec.lladdr}`);
    if (!LLADDR.test(spec.lladdr)) throw new RangeError(`${field}.lladdr: "${spec.lladdr}" is not a link-layer address like "02:00:00:00:00:05"`);
    // dev->addr_len of some device: 6 Ethernet, 4/16 IP tunnels, 8 EUI-64, 20 InfiniBand (a 5-octet typo matches none).
    const octets = spec.lladdr.split(':').length;
    if (![4, 6, 8, 16, 20].includes(octets)) throw new RangeError(`${field}.lladdr: "${spec.lladdr}" has ${octets} octets; a link-layer address has 6 (Ethernet), or 4, 8, 16, 20`);
  }
  const state = spec.state === undefined ? NUD.NUD_PERMANENT : parseNeighState(spec.state, `${field}.state`);
  const protocol = spec.protocol === undefined ? undefined : parseRouteProtocol(spec.protocol, `${field}.protocol`);
  let flags = 0;
  if (bool(spec, 'router', field)) flags |= NTF.NTF_ROUTER;
  if (bool(spec, 'externLearn', field)) flags |= NTF.NTF_EXT_LEARNED;
  if (bool(spec, 'proxy', field)) flags |= NTF.NTF_PROXY;
  const managed = bool(spec, 'managed', field);
  if (managed && state & (NUD.NUD_PERMANENT | NUD.NUD_NOARP)) {
    // The kernel's words (neigh_add: "Invalid NTF_* flag combination"), said before any syscall.
    throw new RangeError(`${field}.managed: a managed entry cannot be ${state & NUD.NUD_PERMANENT ? 'permanent' : 'noarp'} (give state 'none' or another dynamic state)`);
  }

  const attrs: NeighAttrs = {};
  if (protocol !== undefined) attrs.protocol = protocol;
  attrs.dst = dst.address;
  if (spec.lladdr !== undefined) attrs.lladdr = spec.lladdr.toLowerCase();
  if (managed) attrs.flagsExt = NTF_EXT.NTF_EXT_MANAGED;
  return {
    dev,
    type: op === 'del' ? RTM_DELNEIGH : RTM_NEWNEIGH,
    flags: op === 'add' ? NLM_F_CREATE | NLM_F_EXCL : op === 'replace' ? NLM_F_CREATE | NLM_F_REPLACE : 0,
    header: { family: afOf(dst.family), state, flags, type: 0 },
    attrs,
  };
}

/** The message of a validated request for the device with this ifindex. */
export function neighMessage(req: NeighRequest, ifindex: number): OutMessage {
  return { type: req.type, flags: req.flags, header: { ...req.header, ifindex }, attrs: req.attrs };
}
