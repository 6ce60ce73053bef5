/**
 * NAT helpers — the seed labs' `iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE`
 * in one call each. Each makes table + base chain + rule in ONE batch, and is idempotent: a rule
 * that already means the same (compared as nft statements, counters ignored) is not added again.
 * The batch carries the generation id the check was made against, so a concurrent change makes
 * it fail with ERESTART instead of duplicating; it is then re-checked and retried.
 */
import type { CommitResult } from './batch.js';
import type { ChainType } from './chain.js';
import { NftBatchError } from './errors.js';
import type { HookName } from './family.js';
import type { NftHandle } from './handle.js';
import { ruleStatements } from './print.js';
import type { ExprAttrs } from './expr.schema.js';
import { RuleBuilder } from './rule-builder.js';
import type { Rule } from './rule.js';
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

export class NatApi {
  constructor(private readonly h: NftHandle) {}

  /** `ip saddr SOURCE oifname != "IF" masquerade` in `nat`/`postrouting`. */
  masquerade(o: MasqueradeOptions = {}): Promise<NatResult> {
    return this.#apply(o, 'postrouting', 'srcnat', (b) => this.#srcMatch(b, o).masquerade());
  }

  /** `ip saddr SOURCE oifname "IF" snat to ADDR[:PORT]`. */
  snat(o: SnatOptions): Promise<NatResult> {
    if (!o || typeof o.to !== 'string') return Promise.reject(new TypeError('snat.to: expected an address'));
    return this.#apply(o, 'postrouting', 'srcnat', (b) => this.#srcMatch(b, o).snat(o.to, o.toPort));
  }

  /** Port forward: `[iifname IF] [ip daddr D] tcp dport PORT dnat to ADDR[:toPort]` in `nat`/`prerouting`. */
  dnat(o: DnatOptions): Promise<NatResult> {
    if (!o || typeof o.to !== 'string') return Promise.reject(new TypeError('dnat.to: expected an address'));
    return this.#apply(o, 'prerouting', 'dstnat', (b) => {
      if (o.inputInterface !== undefined) b.iifname(o.inputInterface);
      if (o.destination !== undefined) b.ipDaddr(o.destination);
      const proto = o.protocol ?? 'tcp';
      if (proto !== 'tcp' && proto !== 'udp') throw new RangeError(`dnat.protocol: ${JSON.stringify(proto)} is not tcp or udp`);
      (proto === 'tcp' ? b.tcpDport(o.port) : b.udpDport(o.port));
      return b.dnat(o.to, o.toPort);
    });
  }

  #srcMatch(b: RuleBuilder, o: MasqueradeOptions): RuleBuilder {
    if (o.source !== undefined) b.ipSaddr(o.source);
    if (o.outputInterface !== undefined) b.oifname(o.outputInterface);
    if (o.notOutputInterface !== undefined) b.oifname(o.notOutputInterface, { neq: true });
    return b;
  }

  async #apply(o: NatPlacement, defChain: string, defPrio: string, build: (b: RuleBuilder) => RuleBuilder): Promise<NatResult> {
    const family = o.family ?? 'ip';
    const table = o.table ?? 'nat';
    const chain = o.chain ?? defChain;
    // Everything is validated before the first syscall.
    const exprs = build(new RuleBuilder(family)).exprs;
    const want = meaning(family, exprs);
    const chainSpec = { family, table, name: chain, type: 'nat' as ChainType, hook: defChain as HookName, priority: o.priority ?? defPrio, policy: 'accept' as const };
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
        res = this.h.batch()
          .addTable({ family, name: table })
          .addChain(chainSpec)
          .addRule({ family, table, chain, exprs, ...(o.comment !== undefined ? { comment: o.comment } : {}) })
          .commitSync({ genid });
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
