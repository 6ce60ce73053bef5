/**
 * Rules back to nft's language. `ruleStatements()` reads a rule's expressions the way nft's
 * netlink_delinearize does (print/delinearize.ts: registers followed from loads to what uses
 * them, payload fields named from the protocol context, bitfields, merged loads split, the
 * dependencies nft adds itself dropped; every statement nft 1.0 prints — print/statements.ts)
 * into statements shaped like `nft -j list ruleset` prints them. `ruleText()` renders the same
 * as nft syntax (`ip saddr 192.168.15.0/24 oifname != "v-net-0" masquerade`). A rule with an
 * expression nft cannot print either falls back to `ruleDebug()`: one
 * `[ payload load 4b @ network header + 12 => reg 1 ]` line per expression, as
 * `nft --debug=netlink` prints it.
 */
import type { ExprAttrs } from './expr.schema.js';
import type { ExprModule } from './expr/module.js';
import { EXPRS } from './expr/registry.js';
import type { Json } from './print/datatype.js';
import { Delinearizer, renderOut } from './print/delinearize.js';
import { type Rendered, Unprintable } from './print/tree.js';
import type { Rule } from './rule.js';
import type { NftSet } from './set.js';
import { q } from './print-text.js';

export { statementText } from './print-text.js';

/** A statement in the shape `nft -j` uses (`{ match: { op, left, right } }`, `{ accept: null }`, …). */
export type Statement = Record<string, unknown>;

/** What the printers need of a rule: its expressions, family and any anonymous sets it uses. */
export type Printable = Pick<Rule, 'exprs' | 'family'> & { readonly anonymousSets?: readonly NftSet[] };

/**
 * The rule's statements rendered both ways, or undefined when it has an expression nft cannot
 * print. `sets`: the table's named sets (for the key length of concatenated lookups).
 */
export function ruleRendered(r: Printable, sets: readonly NftSet[] = []): Rendered[] | undefined {
  try {
    return renderOut(new Delinearizer(r.family, [...(r.anonymousSets ?? []), ...sets], r.exprs).run());
  } catch (err) {
    if (err instanceof Unprintable) return undefined;
    throw err;
  }
}

/**
 * nft-JSON statements of a rule (`nft -j list ruleset` "expr"), or undefined if it uses an
 * expression nft cannot print. Anonymous sets and maps print as `{ set: [...] }` from
 * `r.anonymousSets` (NftHandle.list and rules() fill it).
 */
export function ruleStatements(r: Printable, sets?: readonly NftSet[] | unknown): Statement[] | undefined {
  return ruleRendered(r, Array.isArray(sets) ? sets : [])?.map((s) => s.json as Statement);
}

/** `[ payload load 4b @ network header + 12 => reg 1 ]` lines, as `nft --debug=netlink` prints the rule. */
export function ruleDebug(r: Pick<Rule, 'exprs'>): string[] {
  return r.exprs.map((e) => {
    const m = (EXPRS as Record<string, ExprModule<any>>)[e.name ?? ''];
    if (!m || Buffer.isBuffer(e.data)) return Buffer.isBuffer(e.data) && e.data.length ? `[ ${e.name} ${e.data.toString('hex')} ]` : `[ ${e.name} ]`;
    return `[ ${m.debug(e.data ?? {})} ]`;
  });
}

/** The rule as nft syntax, or its debug form (lines joined with newlines) when nft could not print it either. */
export function ruleText(r: Printable & Pick<Rule, 'comment'>, sets?: readonly NftSet[] | unknown): string {
  const st = ruleRendered(r, Array.isArray(sets) ? sets : []);
  if (!st) return ruleDebug(r).join('\n');
  const text = st.map((s) => s.text).join(' ');
  return r.comment !== undefined ? `${text} comment ${q(r.comment)}` : text;
}

export type { Json, ExprAttrs };
