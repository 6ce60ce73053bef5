/**
 * What every expression file under src/nft/expr/ exports: the kernel's name for it
 * (NFTA_EXPR_NAME), its attribute table (the layout of NFTA_EXPR_DATA) and how
 * `nft --debug=netlink` prints it (`[ payload load 4b @ network header + 12 => reg 1 ]`,
 * without the brackets).
 */
import type { AttrSet, AttrValues, Spec } from '../../netlink/schema.js';

/** One nftables expression: its name, attribute table, and how it prints. */
export interface ExprModule<S extends Spec = Spec> {
  readonly name: string;
  readonly attrs: AttrSet<S>;
  /** The expression as `nft --debug=netlink` prints it. */
  debug(data: AttrValues<S>): string;
}

export function exprModule<S extends Spec>(name: string, set: AttrSet<S>, debug: (d: AttrValues<S>) => string): ExprModule<S> {
  return { name, attrs: set, debug };
}

/** ` flags 0x2`, or nothing when the flags are absent. */
export const flagsText = (f: number | undefined): string => (f ? ` flags 0x${f.toString(16)}` : '');
