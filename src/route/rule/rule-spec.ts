/**
 * RuleSpec: a policy routing rule as `ip rule add|del` takes it, checked before any syscall
 * and encoded into RTM_NEWRULE / RTM_DELRULE exactly as iproute2 6.1 (`ip/iprule.c`
 * iprule_modify()) encodes the same command — fixtures/route/rule/ and test/unit/rule.test.ts
 * prove it byte by byte.
 *
 * iproute2 adds attributes in command-line order; RuleApi uses one canonical order, that of
 * `ip rule add priority N [not] from SRC to DST tos T fwmark M/MASK iif I oif O uidrange A-B
 * ipproto P sport S dport D protocol PROTO table T suppress_prefixlength L suppress_ifgroup G
 * l3mdev tun_id ID [TYPE | goto N]`. Defaults as iprule_modify(): family AF_INET unless an
 * address says otherwise, action FR_ACT_TO_TBL and table main on add (table 0 when a type,
 * goto or l3mdev is given), FR_ACT_UNSPEC and table 0 on delete (match any).
 */
import { NLM_F_CREATE, NLM_F_EXCL } from '../../netlink/header.js';
import type { OutMessage } from '../../netlink/message.js';
import { type Prefix, afOf, parsePrefix } from '../prefix.js';
import { RTM_DELRULE, RTM_NEWRULE } from '../protocol.js';
import { type RouteProtocolName, type RouteTableName, parseRouteProtocol, parseRouteTable } from '../route/route-names.js';
import { RT_TABLE } from '../route/route.schema.js';
import { FIB_RULE, FR_ACT, type FibRuleHdr, type RuleAttrs } from './rule.schema.js';

/** What a rule does when it matches (fib_rule_hdr.action), by `ip rule`'s words; `table` is FR_ACT_TO_TBL. */
export const RULE_ACTIONS = {
  table: FR_ACT.FR_ACT_TO_TBL, goto: FR_ACT.FR_ACT_GOTO, nop: FR_ACT.FR_ACT_NOP,
  blackhole: FR_ACT.FR_ACT_BLACKHOLE, unreachable: FR_ACT.FR_ACT_UNREACHABLE, prohibit: FR_ACT.FR_ACT_PROHIBIT,
} as const;
export type RuleActionName = keyof typeof RULE_ACTIONS;

/** A port or an inclusive range `[start, end]` (FRA_SPORT_RANGE / FRA_DPORT_RANGE). */
export type PortRange = number | readonly [number, number];

/** A rule for {@link RuleApi.add}/{@link RuleApi.del}: the words of `ip rule add|del`. */
export interface RuleSpec {
  /** `ip -4` / `ip -6`. Default: the family of `from`/`to`, else 4 (as `ip rule`). */
  readonly family?: 4 | 6;
  /** FRA_PRIORITY (`priority`/`pref`). Default on add: the kernel picks one below the last rule. */
  readonly priority?: number;
  /** FIB_RULE_INVERT (`not`): the rule applies when the selector does NOT match. */
  readonly not?: boolean;
  /** Source prefix (`from 10.0.0.0/8`; a bare address is a host prefix). Default all. */
  readonly from?: string;
  /** Destination prefix (`to 192.168.0.0/16`). Default all. */
  readonly to?: string;
  /** TOS / DS field to match (`tos 0x10`), 0..255. */
  readonly tos?: number;
  /** Firewall mark to match (FRA_FWMARK, `fwmark 0x10`). */
  readonly fwmark?: number;
  /** Mask for `fwmark` (FRA_FWMASK, `fwmark 0x10/0xff`); needs `fwmark`. */
  readonly fwmask?: number;
  /** Input interface name (FRA_IIFNAME, `iif br0`), or an ifindex to look its name up. The device need not exist. */
  readonly iif?: string | number;
  /** Output interface name (FRA_OIFNAME, `oif br0`), or an ifindex. */
  readonly oif?: string | number;
  /** UID range, inclusive (FRA_UID_RANGE, `uidrange 1000-2000`). */
  readonly uidrange?: readonly [number, number];
  /** IP protocol number (FRA_IP_PROTO, `ipproto 6`). */
  readonly ipproto?: number;
  /** Source port or range (`sport 1000-2000`). */
  readonly sport?: PortRange;
  /** Destination port or range (`dport 443`). */
  readonly dport?: PortRange;
  /** Who installed the rule (FRA_PROTOCOL, `protocol static`). */
  readonly protocol?: RouteProtocolName | number;
  /** Table to look up (`table 100`): `main` by default on add; ids above 255 go in FRA_TABLE. */
  readonly table?: number | RouteTableName;
  /** FRA_SUPPRESS_PREFIXLEN (`suppress_prefixlength 0`): reject routes with a prefix this long or shorter. */
  readonly suppressPrefixlength?: number;
  /** FRA_SUPPRESS_IFGROUP (`suppress_ifgroup G`). */
  readonly suppressIfgroup?: number;
  /** FRA_FLOW: `realms TO` (a number) or `realms FROM/TO` (`{ from, to }`), realms 0..65535. */
  readonly realms?: number | { readonly from: number; readonly to: number };
  /** FRA_L3MDEV (`l3mdev`): look up the table of the VRF the packet's device belongs to. */
  readonly l3mdev?: boolean;
  /** FRA_TUN_ID (`tun_id`): tunnel id, big-endian 64 bits. */
  readonly tunId?: bigint;
  /** The action (`blackhole`, `unreachable`, `prohibit`, `nop`, `goto`); default `table` on add. */
  readonly action?: RuleActionName;
  /** FRA_GOTO target priority (`goto N`); implies action `goto`. */
  readonly goto?: number;
}

/** A validated rule request; iif/oif still as given (an ifindex is named by the caller). */
export interface RuleRequest {
  readonly type: typeof RTM_NEWRULE | typeof RTM_DELRULE;
  readonly flags: number;
  readonly header: FibRuleHdr;
  readonly attrs: RuleAttrs;
  readonly iif: string | number | undefined;
  readonly oif: string | number | undefined;
}

const KEYS: ReadonlySet<string> = new Set(['family', 'priority', 'not', 'from', 'to', 'tos', 'fwmark', 'fwmask', 'iif', 'oif', 'uidrange', 'ipproto',
  'sport', 'dport', 'protocol', 'table', 'suppressPrefixlength', 'suppressIfgroup', 'l3mdev', 'tunId', 'action', 'goto', 'realms']);

function int(v: unknown, field: string, max: number, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new RangeError(`${field}: expected an integer ${min}..${max}, got ${String(v)}`);
  return v;
}

function ifname(v: unknown, field: string): string | number {
  if (typeof v === 'number') return int(v, field, 0x7fffffff, 1);
  if (typeof v !== 'string') throw new TypeError(`${field}: expected an interface name or ifindex, got ${v === null ? 'null' : typeof v}`);
  const n = Buffer.byteLength(v);
  if (n === 0 || n > 15 || v.includes('\0') || v.includes('/') || /\s/.test(v)) throw new RangeError(`${field}: "${v}" is not an interface name (1..15 bytes, no '/', whitespace or NUL)`);
  return v;
}

function ports(v: unknown, field: string): { start: number; end: number } {
  if (typeof v === 'number') { const p = int(v, field, 0xffff); return { start: p, end: p }; }
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${field}: expected a port or [start, end]`);
  const start = int(v[0], `${field}[0]`, 0xffff), end = int(v[1], `${field}[1]`, 0xffff);
  if (start > end) throw new RangeError(`${field}: start ${start} is above end ${end}`);
  return { start, end };
}

/** Check `spec` (no syscall) and build the request; `field` prefixes errors (`rule`, `rules[3]`). */
export function ruleRequest(del: boolean, spec: RuleSpec, field: string): RuleRequest {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new TypeError(`${field}: expected a rule spec object, got ${spec === null ? 'null' : Array.isArray(spec) ? 'an array' : typeof spec}`);
  for (const k of Object.keys(spec)) if (!KEYS.has(k)) throw new TypeError(`${field}.${k}: not a rule field (${[...KEYS].join(', ')})`);
  if (spec.family !== undefined && spec.family !== 4 && spec.family !== 6) throw new RangeError(`${field}.family: expected 4 or 6, got ${String(spec.family)}`);
  let family = spec.family;
  const prefix = (k: 'from' | 'to'): Prefix | undefined => {
    const v = spec[k];
    if (v === undefined || v === 'all') return undefined;
    if (typeof v !== 'string') throw new TypeError(`${field}.${k}: expected a prefix like "10.0.0.0/8", got ${typeof v}`);
    const p = parsePrefix(v, `${field}.${k}`);
    if (family !== undefined && p.family !== family) throw new RangeError(`${field}.${k}: "${v}" is IPv${p.family} but the rule is IPv${family}`);
    family = p.family;
    return p;
  };
  const from = prefix('from'), to = prefix('to');
  for (const k of ['not', 'l3mdev'] as const) if (spec[k] !== undefined && typeof spec[k] !== 'boolean') throw new TypeError(`${field}.${k}: expected a boolean`);
  if (spec.fwmask !== undefined && spec.fwmark === undefined) throw new TypeError(`${field}.fwmask: needs fwmark (fwmark M/MASK)`);
  let action: number | undefined;
  if (spec.action !== undefined) {
    if (typeof spec.action !== 'string' || !Object.hasOwn(RULE_ACTIONS, spec.action)) throw new RangeError(`${field}.action: unknown rule action ${JSON.stringify(spec.action)} (one of ${Object.keys(RULE_ACTIONS).join(', ')})`);
    action = RULE_ACTIONS[spec.action];
  }
  if (spec.goto !== undefined) {
    if (action !== undefined && action !== FR_ACT.FR_ACT_GOTO) throw new TypeError(`${field}.goto: only with action 'goto' (got '${spec.action}')`);
    action = FR_ACT.FR_ACT_GOTO;
  } else if (action === FR_ACT.FR_ACT_GOTO) throw new TypeError(`${field}.goto: action 'goto' needs a target priority`);
  const table = spec.table === undefined ? undefined : parseRouteTable(spec.table, `${field}.table`);
  if (spec.l3mdev && table !== undefined && table !== 0) throw new TypeError(`${field}.table: l3mdev takes the table from the VRF; give no table`);
  if (spec.tunId !== undefined && (typeof spec.tunId !== 'bigint' || spec.tunId < 0n || spec.tunId > 0xffffffffffffffffn)) throw new RangeError(`${field}.tunId: expected a bigint 0..2^64-1`);
  let uidRange: { start: number; end: number } | undefined;
  if (spec.uidrange !== undefined) {
    if (!Array.isArray(spec.uidrange) || spec.uidrange.length !== 2) throw new TypeError(`${field}.uidrange: expected [start, end]`);
    uidRange = { start: int(spec.uidrange[0], `${field}.uidrange[0]`, 0xffffffff), end: int(spec.uidrange[1], `${field}.uidrange[1]`, 0xffffffff) };
    if (uidRange.start > uidRange.end) throw new RangeError(`${field}.uidrange: start ${uidRange.start} is above end ${uidRange.end}`);
  }

  // Attribute order: see the file comment.
  const attrs: RuleAttrs = {};
  if (spec.priority !== undefined) attrs.priority = int(spec.priority, `${field}.priority`, 0xffffffff);
  if (from) attrs.src = from.address;
  if (to) attrs.dst = to.address;
  const tos = spec.tos === undefined ? 0 : int(spec.tos, `${field}.tos`, 0xff);
  if (spec.fwmark !== undefined) attrs.fwmark = int(spec.fwmark, `${field}.fwmark`, 0xffffffff);
  if (spec.fwmask !== undefined) attrs.fwmask = int(spec.fwmask, `${field}.fwmask`, 0xffffffff);
  const iif = spec.iif === undefined ? undefined : ifname(spec.iif, `${field}.iif`);
  const oif = spec.oif === undefined ? undefined : ifname(spec.oif, `${field}.oif`);
  if (iif !== undefined) attrs.iifname = typeof iif === 'string' ? iif : '';
  if (oif !== undefined) attrs.oifname = typeof oif === 'string' ? oif : '';
  if (uidRange) attrs.uidRange = uidRange;
  if (spec.ipproto !== undefined) attrs.ipProto = int(spec.ipproto, `${field}.ipproto`, 0xff);
  if (spec.sport !== undefined) attrs.sportRange = ports(spec.sport, `${field}.sport`);
  if (spec.dport !== undefined) attrs.dportRange = ports(spec.dport, `${field}.dport`);
  if (spec.protocol !== undefined) attrs.protocol = parseRouteProtocol(spec.protocol, `${field}.protocol`);
  if (table !== undefined && table > 255) attrs.table = table;
  if (spec.suppressPrefixlength !== undefined) attrs.suppressPrefixlen = int(spec.suppressPrefixlength, `${field}.suppressPrefixlength`, 0x7fffffff);
  if (spec.suppressIfgroup !== undefined) attrs.suppressIfgroup = int(spec.suppressIfgroup, `${field}.suppressIfgroup`, 0xffffffff);
  if (spec.l3mdev) attrs.l3mdev = 1;
  if (spec.tunId !== undefined) attrs.tunId = spec.tunId;
  if (spec.goto !== undefined) attrs.goto = int(spec.goto, `${field}.goto`, 0xffffffff);
  if (spec.realms !== undefined) {
    const r = spec.realms;
    attrs.flow = typeof r === 'object' && r !== null
      ? ((int(r.from, `${field}.realms.from`, 0xffff) << 16) | int(r.to, `${field}.realms.to`, 0xffff)) >>> 0
      : int(r, `${field}.realms`, 0xffff);
  }

  // iprule_modify(): table_ok when a table, a type/goto or l3mdev was given; else main on add.
  const tableOk = table !== undefined || action !== undefined || spec.l3mdev === true;
  const headerTable = table !== undefined ? (table > 255 ? RT_TABLE.RT_TABLE_UNSPEC : table) : !tableOk && !del ? RT_TABLE.RT_TABLE_MAIN : 0;
  return {
    type: del ? RTM_DELRULE : RTM_NEWRULE,
    flags: del ? 0 : NLM_F_CREATE | NLM_F_EXCL,
    header: {
      family: afOf(family ?? 4), dst_len: to?.prefixlen ?? 0, src_len: from?.prefixlen ?? 0, tos, table: headerTable, res1: 0, res2: 0,
      action: action ?? (del ? FR_ACT.FR_ACT_UNSPEC : FR_ACT.FR_ACT_TO_TBL), flags: spec.not ? FIB_RULE.FIB_RULE_INVERT : 0,
    },
    attrs,
    iif,
    oif,
  };
}

/** The message of a validated request, with iif/oif given as ifindex replaced by their names. */
export function ruleMessage(req: RuleRequest, name: (dev: string | number) => string): OutMessage {
  const attrs: RuleAttrs = { ...req.attrs };
  if (req.iif !== undefined) attrs.iifname = name(req.iif);
  if (req.oif !== undefined) attrs.oifname = name(req.oif);
  return { type: req.type, flags: req.flags, header: req.header, attrs };
}
