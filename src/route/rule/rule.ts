/**
 * Policy routing rules (rtnetlink(7) RTM_GETRULE / RTM_NEWRULE / RTM_DELRULE, <linux/fib_rules.h>):
 * `ip rule show|add|del` as typed calls. Requests are built in rule-spec.ts, byte for byte as
 * iproute2 6.1 builds them. A rule dump filters only by family in the kernel
 * (fib_valid_dumprule_req() refuses anything else in the request).
 */
import { NetlinkError } from '../../netlink/errors.js';
import type { Message, OutMessage } from '../../netlink/message.js';
import type { BulkOptions, BulkResult, NetlinkSocket } from '../../netlink/socket.js';
import { AF } from '../family.js';
import type { LinkApi } from '../link/link.js';
import { afOf } from '../prefix.js';
import { RTM_GETRULE } from '../protocol.js';
import { type RouteProtocolName, type RouteTableName, routeProtocolName, routeTableName } from '../route/route-names.js';
import { type RuleActionName, RULE_ACTIONS, type RuleRequest, type RuleSpec, ruleMessage, ruleRequest } from './rule-spec.js';
import { FIB_RULE, FIB_RULE_NAMES, type FibRuleHdr, type RuleAttrs } from './rule.schema.js';
import { lazyRules } from './rule-lazy.js';

export type { PortRange, RuleActionName, RuleSpec } from './rule-spec.js';
export { RULE_ACTIONS } from './rule-spec.js';

const ACTION_NAMES: string[] = [];
for (const [k, v] of Object.entries(RULE_ACTIONS)) ACTION_NAMES[v] = k;

/** A rule, as `ip -j rule show` reports it. */
export interface Rule {
  readonly family: 4 | 6;
  /** FRA_PRIORITY (the kernel always reports it). */
  readonly priority: number;
  /** FIB_RULE_INVERT. */
  readonly not: boolean;
  /** `all`, or the source prefix `10.0.0.0/8`. */
  readonly from: string;
  /** The destination prefix, or undefined for all. */
  readonly to: string | undefined;
  readonly tos: number;
  readonly fwmark: number | undefined;
  readonly fwmask: number | undefined;
  /** FRA_IIFNAME / FRA_OIFNAME. */
  readonly iif: string | undefined;
  readonly oif: string | undefined;
  /** The table looked up (`main`, `local`, `default` or the id): FRA_TABLE (always sent by the kernel), else the header's; 0 for non-table actions. */
  readonly table: RouteTableName | number;
  /** fib_rule_hdr.action by name (`table`, `goto`, `nop`, `blackhole`, `unreachable`, `prohibit`), a number when unnamed. */
  readonly action: RuleActionName | number;
  /** FRA_GOTO target. */
  readonly goto: number | undefined;
  /** FRA_PROTOCOL by name (`kernel` for the default rules, `unspec` unless the adder said, …). */
  readonly protocol: RouteProtocolName | number | undefined;
  readonly uidrange: readonly [number, number] | undefined;
  readonly ipproto: number | undefined;
  readonly sport: readonly [number, number] | undefined;
  readonly dport: readonly [number, number] | undefined;
  readonly suppressPrefixlength: number | undefined;
  readonly suppressIfgroup: number | undefined;
  readonly l3mdev: boolean;
  /** fib_rule_hdr.flags by word: `permanent`, `invert`, `unresolved`, `iif_detached`, `oif_detached`, `find_saddr`. */
  readonly flags: readonly string[];
  /** fib_rule_hdr.flags as bits (FIB_RULE_*). */
  readonly rawFlags: number;
  /** FRA_FLOW: realms (`realms FROM/TO`). */
  readonly realms: { readonly from: number; readonly to: number } | undefined;
  /** Every attribute the kernel sent, decoded by the FRA table. */
  readonly attrs: RuleAttrs;
}

/**
 * RTM_NEWRULE → Rule, or undefined for families other than IPv4/IPv6 (an AF_UNSPEC dump also
 * reaches the IPMR/IP6MR rule families, which are not `ip rule`'s).
 */
export function toRule(m: Message): Rule | undefined {
  return ruleOf(m.header as FibRuleHdr, m.attrs as RuleAttrs | undefined);
}

/** {@link toRule} from a rule message's decoded struct fib_rule_hdr and FRA_* attributes (dumps: NetlinkSocket.dumpEntries). */
export function ruleOf(h: FibRuleHdr, attrs: RuleAttrs | undefined): Rule | undefined {
  const family = h.family === AF.AF_INET ? 4 : h.family === AF.AF_INET6 ? 6 : 0;
  if (family === 0) return undefined;
  const a = attrs ?? {};
  const range = (r: { start: number; end: number } | undefined): readonly [number, number] | undefined => (r ? [r.start, r.end] : undefined);
  return {
    family,
    priority: a.priority ?? 0,
    not: (h.flags & FIB_RULE.FIB_RULE_INVERT) !== 0,
    from: h.src_len === 0 ? 'all' : `${a.src ?? (family === 4 ? '0.0.0.0' : '::')}/${h.src_len}`,
    to: h.dst_len === 0 ? undefined : `${a.dst ?? (family === 4 ? '0.0.0.0' : '::')}/${h.dst_len}`,
    tos: h.tos,
    fwmark: a.fwmark,
    fwmask: a.fwmask,
    iif: a.iifname,
    oif: a.oifname,
    table: routeTableName(a.table ?? h.table),
    action: (ACTION_NAMES[h.action] as RuleActionName | undefined) ?? h.action,
    goto: a.goto,
    protocol: a.protocol === undefined ? undefined : routeProtocolName(a.protocol),
    uidrange: range(a.uidRange),
    ipproto: a.ipProto,
    sport: range(a.sportRange),
    dport: range(a.dportRange),
    suppressPrefixlength: a.suppressPrefixlen === undefined || a.suppressPrefixlen === 0xffffffff ? undefined : a.suppressPrefixlen,
    suppressIfgroup: a.suppressIfgroup === undefined || a.suppressIfgroup === 0xffffffff ? undefined : a.suppressIfgroup,
    l3mdev: (a.l3mdev ?? 0) !== 0,
    flags: FIB_RULE_NAMES.filter(([b]) => h.flags & b).map(([, n]) => n.toLowerCase()),
    rawFlags: h.flags,
    realms: a.flow === undefined ? undefined : { from: a.flow >>> 16, to: a.flow & 0xffff },
    attrs: a,
  };
}

/** Which rules `list()` / `stream()` return. */
export interface RuleFilter {
  /** 4 (`ip rule`) or 6 (`ip -6 rule`). Default both, IPv4 first. */
  readonly family?: 4 | 6;
}

function checkFilter(f: RuleFilter | undefined, where: string): 4 | 6 | undefined {
  if (f === undefined) return undefined;
  if (f === null || typeof f !== 'object') throw new TypeError(`${where}: expected a filter object`);
  for (const k of Object.keys(f)) if (k !== 'family') throw new TypeError(`${where}.${k}: not a filter field (family)`);
  if (f.family !== undefined && f.family !== 4 && f.family !== 6) throw new RangeError(`${where}.family: expected 4 or 6, got ${String(f.family)}`);
  return f.family;
}

const dumpRequest = (family: 4 | 6 | undefined): OutMessage => ({
  type: RTM_GETRULE,
  flags: 0,
  // Strict checking: everything but the family must be 0 and no attribute may follow.
  header: { family: family ? afOf(family) : AF.AF_UNSPEC, dst_len: 0, src_len: 0, tos: 0, table: 0, res1: 0, res2: 0, action: 0, flags: 0 },
});

/** The rule sub-API of a route handle. */
export class RuleApi {
  constructor(private readonly sock: NetlinkSocket, private readonly link: LinkApi) {}

  /** Every rule of one family or both (one RTM_GETRULE dump), in priority order per family. */
  async list(filter?: RuleFilter): Promise<Rule[]> {
    const family = checkFilter(filter, 'rule.list');
    const read = lazyRules.reader(undefined);
    return this.sock.dumpLazy(dumpRequest(family), (buf, s, e, type) => {
      const r = read(buf, s, e, type);
      return r && (family === undefined || r.family === family) ? r : undefined;
    });
  }

  /** Rules one by one (the socket is reserved meanwhile). */
  async *stream(filter?: RuleFilter): AsyncGenerator<Rule, void, undefined> {
    const family = checkFilter(filter, 'rule.stream');
    for await (const r of this.sock.streamLazy(dumpRequest(family), lazyRules.reader(undefined))) {
      if (family === undefined || r.family === family) yield r;
    }
  }

  /** Add a rule (`ip rule add …`); an identical one → NetlinkError EEXIST. */
  async add(spec: RuleSpec): Promise<void> {
    const r = ruleRequest(false, spec, 'rule');
    await this.sock.request(ruleMessage(r, await this.#names([r])));
  }

  /** Delete the first rule matching every given field (`ip rule del …`); none → NetlinkError ENOENT. */
  async del(spec: RuleSpec): Promise<void> {
    const r = ruleRequest(true, spec, 'rule');
    await this.sock.request(ruleMessage(r, await this.#names([r])));
  }

  /** Add many rules in few syscalls; kernel refusals → BulkError with `failures[].index` into `specs`. */
  addMany(specs: readonly RuleSpec[], opts: BulkOptions = {}): Promise<BulkResult> {
    return this.#many(false, specs, opts);
  }

  /** Delete many rules in few syscalls; see {@link addMany}. */
  delMany(specs: readonly RuleSpec[], opts: BulkOptions = {}): Promise<BulkResult> {
    return this.#many(true, specs, opts);
  }

  async #many(del: boolean, specs: readonly RuleSpec[], opts: BulkOptions): Promise<BulkResult> {
    if (!Array.isArray(specs)) throw new TypeError('rules: expected an array of rule specs');
    const reqs = specs.map((s, i) => ruleRequest(del, s, `rules[${i}]`));
    const name = await this.#names(reqs);
    return this.sock.bulk(reqs.map((r) => ruleMessage(r, name)), opts);
  }

  /** Rules match devices by name: an iif/oif given as ifindex is named once with RTM_GETLINK. */
  async #names(reqs: readonly RuleRequest[]): Promise<(dev: string | number) => string> {
    const byIndex = new Map<number, string>();
    for (const r of reqs) {
      for (const d of [r.iif, r.oif]) {
        if (typeof d !== 'number' || byIndex.has(d)) continue;
        try {
          byIndex.set(d, await this.link.nameOf(d));
        } catch (e) {
          if (e instanceof NetlinkError) e.message = `device ${d}: ${e.message}`;
          throw e;
        }
      }
    }
    return (d) => (typeof d === 'string' ? d : byIndex.get(d)!);
  }
}
