/** NFTA_TABLE_* (`enum nft_table_attributes`): NFT_MSG_NEWTABLE / GETTABLE / DELTABLE. */
import { be32, be64, bytes, flagsOf, asciiz } from '../netlink/kinds.js';
import { attrs, type AttrValues } from '../netlink/schema.js';
import { NFT_NAME_MAXLEN, NFT_TABLE_F_DORMANT, NFT_TABLE_F_OWNER } from './constants.js';

/** Table, chain and set names: at most NFT_NAME_MAXLEN bytes with the NUL. */
export const nftName = asciiz(NFT_NAME_MAXLEN - 1);

/** NFTA_TABLE_* attributes (<linux/netfilter/nf_tables.h>). */
export const NFTA_TABLE = attrs('NFTA_TABLE', {
  NFTA_TABLE_NAME: { type: 1, key: 'name', kind: nftName },
  NFTA_TABLE_FLAGS: { type: 2, key: 'flags', kind: flagsOf(be32, [[NFT_TABLE_F_DORMANT, 'DORMANT'], [NFT_TABLE_F_OWNER, 'OWNER']]) },
  // Number of chains in the table.
  NFTA_TABLE_USE: { type: 3, key: 'use', kind: be32 },
  NFTA_TABLE_HANDLE: { type: 4, key: 'handle', kind: be64 },
  NFTA_TABLE_PAD: { type: 5, key: 'pad', kind: bytes },
  NFTA_TABLE_USERDATA: { type: 6, key: 'userdata', kind: bytes },
  // Port id of the owning socket (NFT_TABLE_F_OWNER).
  NFTA_TABLE_OWNER: { type: 7, key: 'owner', kind: be32 },
});
export type TableAttrs = AttrValues<typeof NFTA_TABLE.spec>;
