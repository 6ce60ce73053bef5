/** counter: packets and bytes (`enum nft_counter_attributes`; also NFTA_CHAIN_COUNTERS). */
import { be64, bytes } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { exprModule } from './module.js';

export const NFTA_COUNTER = attrs('NFTA_COUNTER', {
  NFTA_COUNTER_BYTES: { type: 1, key: 'bytes', kind: be64 },
  NFTA_COUNTER_PACKETS: { type: 2, key: 'packets', kind: be64 },
  // 64-bit alignment padding (nla_put_64bit); empty.
  NFTA_COUNTER_PAD: { type: 3, key: 'pad', kind: bytes },
});
export type CounterData = AttrValues<typeof NFTA_COUNTER.spec>;

export const counter = exprModule('counter', NFTA_COUNTER, (d) => `counter pkts ${d.packets ?? 0n} bytes ${d.bytes ?? 0n}`);

/** `counter` starting from zero. */
export function counterExpr(): { name: 'counter'; data: CounterData } {
  return { name: 'counter', data: { bytes: 0n, packets: 0n } };
}
