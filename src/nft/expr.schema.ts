/**
 * NFTA_EXPR_* (`enum nft_expr_attributes`): one expression of a rule (or of a set / dynset).
 * NFTA_EXPR_DATA is laid out by the sibling NFTA_EXPR_NAME — one table per expression under
 * expr/ — and kept as raw bytes for an expression this library does not know.
 */
import { string0 } from '../netlink/kinds.js';
import { array, attrs, nested, union, type AttrValues } from '../netlink/schema.js';
import { EXPRS } from './expr/registry.js';

type Variants = { [K in keyof typeof EXPRS]: ReturnType<typeof nested<(typeof EXPRS)[K]['attrs']['spec']>> };

/** NFTA_EXPR_* attributes: an expression's name and its data (chosen by the name). */
export const NFTA_EXPR = attrs('NFTA_EXPR', {
  NFTA_EXPR_NAME: { type: 1, key: 'name', kind: string0 },
  NFTA_EXPR_DATA: {
    type: 2, key: 'data',
    kind: union('name', (): Variants => VARIANTS ??= Object.fromEntries(
      Object.entries(EXPRS).map(([name, m]) => [name, nested(() => m.attrs)])) as unknown as Variants),
  },
});
let VARIANTS: Variants | undefined;

/** One expression as decoded/encoded: `{ name: 'cmp', data: { sreg, op, data } }`. */
export type ExprAttrs = AttrValues<typeof NFTA_EXPR.spec>;

/** NFTA_LIST_ELEM (`enum nft_list_attributes`): lists of expressions are NFTA_LIST_ELEM nests. */
export const NFTA_LIST_ELEM = 1;

/** A list of expressions (NFTA_RULE_EXPRESSIONS, NFTA_SET_EXPRESSIONS, …). */
export const exprList = array(nested(() => NFTA_EXPR), { elemType: NFTA_LIST_ELEM, name: 'NFTA_LIST_ELEM' });
