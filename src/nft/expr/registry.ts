/**
 * Every expression this library lays out, by NFTA_EXPR_NAME. An expression not listed here
 * decodes with NFTA_EXPR_DATA kept as raw bytes (and re-encodes them as they came).
 */
import { bitwise } from './bitwise.js';
import { cmp } from './cmp.js';
import { counter } from './counter.js';
import { ct } from './ct.js';
import { immediate } from './immediate.js';
import { limit } from './limit.js';
import { log } from './log.js';
import { lookup } from './lookup.js';
import { masq } from './masq.js';
import { meta } from './meta.js';
import { nat } from './nat.js';
import { notrack } from './notrack.js';
import { payload } from './payload.js';
import { range } from './range.js';
import { redir } from './redir.js';
import { reject } from './reject.js';

/** Every expression module by nft name (payload, cmp, meta, …): its attribute table, decode and printing. */
export const EXPRS = {
  payload, cmp, bitwise, meta, immediate, counter, ct, lookup, range, masq, nat, redir, reject, log, limit, notrack,
} as const;

export type ExprName = keyof typeof EXPRS;
