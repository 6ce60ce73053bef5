/**
 * dynset: add, update or delete an element of a set from the packet path (`set add @s { ip saddr }`),
 * optionally with a timeout and per-element expressions. `enum nft_dynset_attributes`, `enum nft_dynset_ops`.
 */
import { be32, be64, bytes, enumOf, string0 } from '../../netlink/kinds.js';
import { array, attrs, nested, type AttrValues } from '../../netlink/schema.js';
import { NFTA_EXPR } from '../expr.schema.js';
import type { AttrSet, Spec } from '../../netlink/schema.js';

/** A nested expression (typed loosely: its own table is defined by the registry this file is part of). */
const anyExpr = (): AttrSet<Spec> => NFTA_EXPR as unknown as AttrSet<Spec>;
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const DYNSET_OP_NAMES: Readonly<Record<number, string>> = { 0: 'add', 1: 'update', 2: 'delete' };
export const NFT_DYNSET_F_INV = 1;
export const NFT_DYNSET_F_EXPR = 2;

export const NFTA_DYNSET = attrs('NFTA_DYNSET', {
  NFTA_DYNSET_SET_NAME: { type: 1, key: 'set', kind: string0 },
  NFTA_DYNSET_SET_ID: { type: 2, key: 'setId', kind: be32 },
  NFTA_DYNSET_OP: { type: 3, key: 'op', kind: enumOf(be32, DYNSET_OP_NAMES) },
  NFTA_DYNSET_SREG_KEY: { type: 4, key: 'sregKey', kind: reg },
  NFTA_DYNSET_SREG_DATA: { type: 5, key: 'sregData', kind: reg },
  // Milliseconds.
  NFTA_DYNSET_TIMEOUT: { type: 6, key: 'timeout', kind: be64 },
  NFTA_DYNSET_EXPR: { type: 7, key: 'expr', kind: nested(anyExpr) },
  NFTA_DYNSET_PAD: { type: 8, key: 'pad', kind: bytes },
  NFTA_DYNSET_FLAGS: { type: 9, key: 'flags', kind: be32 },
  NFTA_DYNSET_EXPRESSIONS: { type: 10, key: 'expressions', kind: array(nested(anyExpr), { elemType: 1, name: 'NFTA_LIST_ELEM' }) },
});
export type DynsetData = AttrValues<typeof NFTA_DYNSET.spec>;

export const dynset = exprModule('dynset', NFTA_DYNSET, (d) =>
  `dynset ${DYNSET_OP_NAMES[d.op ?? 0] ?? d.op} reg_key ${d.sregKey}${d.sregData !== undefined ? ` reg_data ${d.sregData}` : ''} set ${d.set}${d.timeout ? ` timeout ${d.timeout}ms` : ''}`);
