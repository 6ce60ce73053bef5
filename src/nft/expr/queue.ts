/** queue: hand the packet to userspace (`enum nft_queue_attributes`; NFT_QUEUE_FLAG_BYPASS 1, CPU_FANOUT 2). */
import { be16 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NFTA_QUEUE = attrs('NFTA_QUEUE', {
  NFTA_QUEUE_NUM: { type: 1, key: 'num', kind: be16 },
  NFTA_QUEUE_TOTAL: { type: 2, key: 'total', kind: be16 },
  NFTA_QUEUE_FLAGS: { type: 3, key: 'flags', kind: be16 },
  NFTA_QUEUE_SREG_QNUM: { type: 4, key: 'sregQnum', kind: reg },
});
export type QueueData = AttrValues<typeof NFTA_QUEUE.spec>;

export const queue = exprModule('queue', NFTA_QUEUE, (d) => `queue num ${d.num ?? 0} total ${d.total ?? 1} flags ${d.flags ?? 0}`);
