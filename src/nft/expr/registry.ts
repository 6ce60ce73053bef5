/**
 * Every expression this library lays out, by NFTA_EXPR_NAME. An expression not listed here
 * decodes with NFTA_EXPR_DATA kept as raw bytes (and re-encodes them as they came).
 */
import { bitwise } from './bitwise.js';
import { byteorder } from './byteorder.js';
import { connlimit } from './connlimit.js';
import { dup } from './dup.js';
import { dynset } from './dynset.js';
import { exthdr } from './exthdr.js';
import { fib } from './fib.js';
import { flowOffload } from './flow_offload.js';
import { fwd } from './fwd.js';
import { hash } from './hash.js';
import { inner } from './inner.js';
import { last } from './last.js';
import { numgen } from './numgen.js';
import { objref } from './objref.js';
import { osf } from './osf.js';
import { queue } from './queue.js';
import { quota } from './quota.js';
import { rt } from './rt.js';
import { socket } from './socket.js';
import { synproxy } from './synproxy.js';
import { tproxy } from './tproxy.js';
import { xfrm } from './xfrm.js';
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
  exthdr, fib, byteorder, dynset, objref, quota, connlimit, hash, numgen, rt, socket, tproxy, synproxy, osf, xfrm, last, inner,
  queue, dup, fwd, flow_offload: flowOffload,
} as const;

export type ExprName = keyof typeof EXPRS;
