/** connlimit: match by the number of connections (`ct count [over] N`; `enum nft_connlimit_attributes`). */
import { be32 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { exprModule } from './module.js';

export const NFT_CONNLIMIT_F_INV = 1;

export const NFTA_CONNLIMIT = attrs('NFTA_CONNLIMIT', {
  NFTA_CONNLIMIT_COUNT: { type: 1, key: 'count', kind: be32 },
  NFTA_CONNLIMIT_FLAGS: { type: 2, key: 'flags', kind: be32 },
});
export type ConnlimitData = AttrValues<typeof NFTA_CONNLIMIT.spec>;

export const connlimit = exprModule('connlimit', NFTA_CONNLIMIT, (d) => `connlimit count ${d.count} flags ${d.flags ?? 0}`);
