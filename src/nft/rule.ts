/** Rules: the typed object, and the NFT_MSG_*RULE messages. */
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_ECHO, NLM_F_REPLACE } from '../netlink/header.js';
import type { Message, OutMessage } from '../netlink/message.js';
import { NFNETLINK_V0, NFT_MSG_DELRULE, NFT_MSG_NEWRULE, nftType } from './constants.js';
import type { AnonymousSet } from './anonymous.js';
import type { ExprAttrs } from './expr.schema.js';
import { type FamilyName, familyName, familyNumber } from './family.js';
import type { RuleAttrs } from './rule.schema.js';
import type { NftSet } from './set.js';
import { checkName } from './table.js';
import { commentOf, commentUdata } from './userdata.js';

/** A rule as listed: family, table, chain, handle, expressions, comment. */
export interface Rule {
  readonly family: FamilyName;
  readonly table: string;
  readonly chain: string;
  readonly handle: bigint;
  /** The expressions, as decoded: `{ name, data }` each (data raw bytes for unknown expressions). */
  readonly exprs: readonly ExprAttrs[];
  /** NFTNL_UDATA_RULE_COMMENT from the userdata. */
  readonly comment?: string;
  /** The raw NFTA_RULE_USERDATA. */
  readonly userdata?: Buffer;
  /**
   * The anonymous sets and maps (`__set0`, …) the rule's lookups use, with their elements —
   * filled by NftHandle.list() and rules() so the rule prints as `tcp dport { 22, 80 }`.
   */
  readonly anonymousSets?: readonly NftSet[];
}

/** A rule to add: where, its expressions (and anonymous sets), position, comment. */
export interface RuleSpec {
  readonly family: FamilyName;
  readonly table: string;
  readonly chain: string;
  readonly exprs: readonly ExprAttrs[];
  /**
   * The anonymous sets and maps the rule's `__set%d` / `__map%d` lookups use, in lookup order
   * (RuleBuilder.sets). NftBatch.addRule sends them just before the rule.
   */
  readonly sets?: readonly AnonymousSet[];
  /** Stored as libnftnl userdata (NFTNL_UDATA_RULE_COMMENT), as `nft add rule … comment "…"`. */
  readonly comment?: string;
  /**
   * Where: `append` (default, `nft add rule`) after `position` or at the end; `insert`
   * (`nft insert rule`) before `position` or at the start; `replace` the rule with handle `position`.
   */
  readonly at?: 'append' | 'insert' | 'replace';
  /** A rule handle (NFTA_RULE_POSITION, or NFTA_RULE_HANDLE for replace). */
  readonly position?: bigint;
}

const header = (family: number) => ({ family, version: NFNETLINK_V0, resId: 0 });

/**
 * NFT_MSG_NEWRULE. `echo` sets NLM_F_ECHO so the kernel sends the created rule back on commit —
 * how commit() learns new rule handles.
 */
export function newRuleMessage(r: RuleSpec, echo: boolean): OutMessage {
  const family = familyNumber(r.family, 'rule.family');
  if (!Array.isArray(r.exprs)) throw new TypeError('rule.exprs: expected an array of expressions');
  r.exprs.forEach((e, i) => {
    if (!e || typeof e.name !== 'string') throw new TypeError(`rule.exprs[${i}]: expected { name, data }`);
  });
  const at = r.at ?? 'append';
  if (at !== 'append' && at !== 'insert' && at !== 'replace') throw new RangeError(`rule.at: ${JSON.stringify(at)} is not append, insert or replace`);
  if (r.position !== undefined && typeof r.position !== 'bigint') throw new TypeError('rule.position: expected a bigint rule handle');
  if (at === 'replace' && r.position === undefined) throw new TypeError('rule.position: replace needs the handle of the rule to replace');
  const attrs: RuleAttrs = { table: checkName(r.table, 'rule.table'), chain: checkName(r.chain, 'rule.chain') };
  if (at === 'replace') attrs.handle = r.position!;
  else if (r.position !== undefined) attrs.position = r.position;
  attrs.expressions = r.exprs as ExprAttrs[];
  if (r.comment !== undefined) attrs.userdata = commentUdata(r.comment);
  const flags = NLM_F_CREATE | (at === 'append' ? NLM_F_APPEND : at === 'replace' ? NLM_F_REPLACE : 0) | (echo ? NLM_F_ECHO : 0);
  return { type: nftType(NFT_MSG_NEWRULE), flags, header: header(family), attrs };
}

/** A rule by family, table, chain and handle. */
export interface RuleRef {
  readonly family: FamilyName;
  readonly table: string;
  readonly chain: string;
  readonly handle: bigint;
}

/** NFT_MSG_DELRULE by handle. */
export function delRuleMessage(r: RuleRef): OutMessage {
  if (typeof r.handle !== 'bigint') throw new TypeError('rule.handle: expected a bigint');
  return {
    type: nftType(NFT_MSG_DELRULE), flags: 0, header: header(familyNumber(r.family, 'rule.family')),
    attrs: { table: checkName(r.table, 'rule.table'), chain: checkName(r.chain, 'rule.chain'), handle: r.handle },
  };
}

/** A decoded NFT_MSG_NEWRULE as an NftRule. */
export function toRule(m: Message): Rule {
  const a = m.attrs as RuleAttrs;
  const out: { -readonly [K in keyof Rule]: Rule[K] } = {
    family: familyName(m.header.family), table: a.table ?? '', chain: a.chain ?? '', handle: a.handle ?? 0n, exprs: a.expressions ?? [],
  };
  if (a.userdata) {
    out.userdata = a.userdata;
    const c = commentOf(a.userdata);
    if (c !== undefined) out.comment = c;
  }
  return out;
}
