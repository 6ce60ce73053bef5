/** fib: a FIB lookup for the packet (`enum nft_fib_attributes`, `enum nft_fib_result`, `enum nft_fib_flags`). */
import { be32, enumOf } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const FIB_RESULT_NAMES: Readonly<Record<number, string>> = { 1: 'oif', 2: 'oifname', 3: 'type' };
/** NFTA_FIB_F_* bits in the order nft prints them. */
export const FIB_FLAGS: ReadonlyArray<readonly [number, string]> = [[1, 'saddr'], [2, 'daddr'], [4, 'mark'], [8, 'iif'], [16, 'oif'], [32, 'present']];
export const NFTA_FIB_F_PRESENT = 32;

export const NFTA_FIB = attrs('NFTA_FIB', {
  NFTA_FIB_DREG: { type: 1, key: 'dreg', kind: reg },
  NFTA_FIB_RESULT: { type: 2, key: 'result', kind: enumOf(be32, FIB_RESULT_NAMES) },
  NFTA_FIB_FLAGS: { type: 3, key: 'flags', kind: be32 },
});
export type FibData = AttrValues<typeof NFTA_FIB.spec>;

export const fib = exprModule('fib', NFTA_FIB, (d) => {
  const flags = FIB_FLAGS.filter(([b]) => (d.flags ?? 0) & b).map(([, n]) => n).join(' . ');
  return `fib ${flags} ${FIB_RESULT_NAMES[d.result ?? 0] ?? d.result} => reg ${d.dreg}`;
});
