/**
 * NAT helpers — the seed labs' `iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE`
 * in one call each. Each makes table + base chain + rule in ONE batch, and is idempotent: a rule
 * that already means the same (compared as nft statements, counters ignored) is not added again.
 * The batch carries the generation id the check was made against, so a concurrent change makes
 * it fail with ERESTART instead of duplicating; it is then re-checked and retried.
 */
import type { CommitResult, NftBatch } from './batch.js';
import type { ChainSpec } from './chain.js';
import { NftBatchError } from './errors.js';
import type { NftHandle } from './handle.js';
import { ruleStatements } from './print.js';
import type { ExprAttrs } from './expr.schema.js';
import { RuleBuilder } from './rule-builder.js';
import type { Rule, RuleSpec } from './rule.js';
import type { TableSpec } from './table.js';
import { toJson } from '../netlink/jsonable.js';
import { NetlinkError } from '../netlink/errors.js';

/** Where the rule goes. Defaults per helper: table `nat`, family `ip`, chain `postrouting` (srcnat) or `prerouting` (dstnat). */
export interface NatPlacement {
  readonly family?: 'ip' | 'ip6' | 'inet';
  readonly table?: string;
  readonly chain?: string;
  /** Chain priority. Default `srcnat` (100) for snat/masquerade, `dstnat` (-100) for dnat. */
  readonly priority?: number | string;
  readonly comment?: string;
}

export interface MasqueradeOptions extends NatPlacement {
  /** `ip saddr PREFIX`. */
  readonly source?: string;
  /** `oifname "NAME"`. */
  readonly outputInterface?: string;
  /** `oifname != "NAME"`. */
  readonly notOutputInterface?: string;
}

export interface SnatOptions extends MasqueradeOptions {
  /** `snat to ADDR`. */
  readonly to: string;
  /** `snat to ADDR:PORT`. */
  readonly toPort?: number;
}

export interface DnatOptions extends NatPlacement {
  /** `tcp` (default) or `udp`. */
  readonly protocol?: 'tcp' | 'udp';
  /** `tcp dport PORT`. */
  readonly port: number;
  /** `ip daddr ADDR` (optional). */
  readonly destination?: string;
  /** `iifname "NAME"` (optional). */
  readonly inputInterface?: string;
  /** `dnat to ADDR[:toPort]`. */
  readonly to: string;
  readonly toPort?: number;
}

/** What a NAT helper did: whether it created the table/chain, and the rule. */
export interface NatResult {
  /** True if the rule was added, false if an equivalent rule was already there. */
  readonly created: boolean;
  /** The rule (as echoed by the kernel, or the existing one). */
  readonly rule: Rule;
}

/** Canonical meaning of a rule's expressions: nft statements with counters zeroed, else the raw expressions. */
function meaning(family: Rule['family'], exprs: readonly ExprAttrs[]): string {
  const st = ruleStatements({ family, exprs });
  if (!st) return JSON.stringify(toJson(exprs));
  return JSON.stringify(st.map((s) => ('counter' in s ? { counter: null } : s)));
}

/** What a NAT helper commits: table, base chain and rule (one batch). */
export interface NatPlan {
  readonly table: TableSpec;
  readonly chain: ChainSpec;
  readonly rule: RuleSpec;
}

function plan(o: NatPlacement, defChain: 'postrouting' | 'prerouting', defPrio: string, build: (b: RuleBuilder) => RuleBuilder): NatPlan {
  const family = o.family ?? 'ip';
  const table = o.table ?? 'nat';
  const chain = o.chain ?? defChain;
  const exprs = build(new RuleBuilder(family)).exprs;
  return {
    table: { family, name: table },
    chain: { family, table, name: chain, type: 'nat', hook: defChain, priority: o.priority ?? defPrio, policy: 'accept' },
    rule: { family, table, chain, exprs, ...(o.comment !== undefined ? { comment: o.comment } : {}) },
  };
}

const srcMatch = (b: RuleBuilder, o: MasqueradeOptions): RuleBuilder => {
  if (o.source !== undefined) b.ipSaddr(o.source);
  if (o.outputInterface !== undefined) b.oifname(o.outputInterface);
  if (o.notOutputInterface !== undefined) b.oifname(o.notOutputInterface, { neq: true });
  return b;
};

/** The batch `masquerade()` commits: `ip saddr SOURCE oifname != "IF" masquerade` in `nat`/`postrouting` (srcnat). */
export function masqueradePlan(o: MasqueradeOptions = {}): NatPlan {
  return plan(o, 'postrouting', 'srcnat', (b) => srcMatch(b, o).masquerade());
}

/** The batch `snat()` commits: `ip saddr SOURCE oifname "IF" snat to ADDR[:PORT]`. */
export function snatPlan(o: SnatOptions): NatPlan {
  if (!o || typeof o.to !== 'string') throw new TypeError('snat.to: expected an address');
  return plan(o, 'postrouting', 'srcnat', (b) => srcMatch(b, o).snat(o.to, o.toPort));
}

/** The batch `dnat()` commits: `[iifname IF] [ip daddr D] tcp dport PORT dnat to ADDR[:toPort]` in `nat`/`prerouting` (dstnat). */
export function dnatPlan(o: DnatOptions): NatPlan {
  if (!o || typeof o.to !== 'string') throw new TypeError('dnat.to: expected an address');
  return plan(o, 'prerouting', 'dstnat', (b) => {
    if (o.inputInterface !== undefined) b.iifname(o.inputInterface);
    if (o.destination !== undefined) b.ipDaddr(o.destination);
    const proto = o.protocol ?? 'tcp';
    if (proto !== 'tcp' && proto !== 'udp') throw new RangeError(`dnat.protocol: ${JSON.stringify(proto)} is not tcp or udp`);
    (proto === 'tcp' ? b.tcpDport(o.port) : b.udpDport(o.port));
    return b.dnat(o.to, o.toPort);
  });
}

/** Add a plan's table, chain and rule to a batch. */
export function addPlan(b: NftBatch, p: NatPlan): NftBatch {
  return b.addTable(p.table).addChain(p.chain).addRule(p.rule);
}

/** NAT in one call each (`nft.nat.masquerade()`, `snat()`, `dnat()`): table, chain and rule in one idempotent batch. */
export class NatApi {
  constructor(private readonly h: NftHandle) {}

  /** `ip saddr SOURCE oifname != "IF" masquerade` in `nat`/`postrouting`. */
  masquerade(o: MasqueradeOptions = {}): Promise<NatResult> {
    return settle(() => this.applySync(masqueradePlan(o)));
  }

  /** `ip saddr SOURCE oifname "IF" snat to ADDR[:PORT]`. */
  snat(o: SnatOptions): Promise<NatResult> {
    return settle(() => this.applySync(snatPlan(o)));
  }

  /** Port forward: `[iifname IF] [ip daddr D] tcp dport PORT dnat to ADDR[:toPort]` in `nat`/`prerouting`. */
  dnat(o: DnatOptions): Promise<NatResult> {
    return settle(() => this.applySync(dnatPlan(o)));
  }

  /** Commit a plan unless an equivalent rule is already in its chain. */
  applySync(p: NatPlan): NatResult {
    const { family, table, chain } = p.rule;
    const want = meaning(family, p.rule.exprs);
    for (let attempt = 0; ; attempt++) {
      const genid = this.h.genidSync();
      let existing: Rule[] = [];
      try {
        existing = this.h.rulesSync({ family, table, chain });
      } catch (err) {
        if (!(err instanceof NetlinkError && err.code === 'ENOENT')) throw err;
      }
      const same = existing.find((r) => meaning(r.family, r.exprs) === want);
      if (same) return { created: false, rule: same };
      let res: CommitResult;
      try {
        res = addPlan(this.h.batch(), p).commitSync({ genid });
      } catch (err) {
        if (err instanceof NftBatchError && err.generationChanged && attempt < 5) continue;
        throw err;
      }
      const rule = res.rules[0];
      if (!rule) throw new Error('internal: the kernel echoed no rule');
      return { created: true, rule };
    }
  }
}

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}
