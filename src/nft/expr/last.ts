/** last: when the rule last matched (`enum nft_last_attributes`; nft 1.0.6 cannot write it, but the kernel has it). */
import { be32, be64, bytes } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { exprModule } from './module.js';

export const NFTA_LAST = attrs('NFTA_LAST', {
  // 1 once the rule has matched.
  NFTA_LAST_SET: { type: 1, key: 'set', kind: be32 },
  // Milliseconds since then.
  NFTA_LAST_MSECS: { type: 2, key: 'msecs', kind: be64 },
  NFTA_LAST_PAD: { type: 3, key: 'pad', kind: bytes },
});
export type LastData = AttrValues<typeof NFTA_LAST.spec>;

export const last = exprModule('last', NFTA_LAST, (d) => (d.set ? `last ${d.msecs ?? 0n}` : 'last never'));
