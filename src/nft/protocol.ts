/**
 * nfnetlink (NETLINK_NETFILTER = 12) with the nftables subsystem's message table: every
 * nftables message is struct nfgenmsg + attributes, type `(NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_*`;
 * batches are framed by NFNL_MSG_BATCH_BEGIN / NFNL_MSG_BATCH_END (NLMSG_MIN_TYPE, +1).
 * Flowtable messages are not laid out: they decode with their payload as bytes.
 */
import { NETLINK_NETFILTER } from '../netlink/header.js';
import { type MessageSchema, Protocol } from '../netlink/message.js';
import type { AttrSet } from '../netlink/schema.js';
import * as C from './constants.js';
import { NFTA_CHAIN } from './chain.schema.js';
import { NFTA_GEN } from './gen.schema.js';
import { NFTA_OBJ } from './obj.schema.js';
import { NFGENMSG, NFNL_BATCH } from './nfgenmsg.js';
import { NFTA_RULE } from './rule.schema.js';
import { NFTA_SET, NFTA_SET_ELEM_LIST } from './set.schema.js';
import { NFTA_TABLE } from './table.schema.js';
import { NFTA_FLOWTABLE } from './flowtable.schema.js';

const msg = (name: string, type: number, attrs: AttrSet, flagClass: MessageSchema['flagClass']): MessageSchema =>
  ({ name, type, header: NFGENMSG, attrs, flagClass });
const nft = (name: string, n: number, attrs: AttrSet, flagClass: MessageSchema['flagClass']): MessageSchema =>
  msg(name, C.nftType(n), attrs, flagClass);

/** The nfnetlink protocol (NETLINK_NETFILTER) with the nftables message table. */
export const nfnetlink = new Protocol('nfnetlink', NETLINK_NETFILTER).register(
  msg('NFNL_MSG_BATCH_BEGIN', C.NFNL_MSG_BATCH_BEGIN, NFNL_BATCH, 'other'),
  msg('NFNL_MSG_BATCH_END', C.NFNL_MSG_BATCH_END, NFNL_BATCH, 'other'),
  nft('NFT_MSG_NEWTABLE', C.NFT_MSG_NEWTABLE, NFTA_TABLE, 'new'),
  nft('NFT_MSG_GETTABLE', C.NFT_MSG_GETTABLE, NFTA_TABLE, 'get'),
  nft('NFT_MSG_DELTABLE', C.NFT_MSG_DELTABLE, NFTA_TABLE, 'del'),
  nft('NFT_MSG_NEWCHAIN', C.NFT_MSG_NEWCHAIN, NFTA_CHAIN, 'new'),
  nft('NFT_MSG_GETCHAIN', C.NFT_MSG_GETCHAIN, NFTA_CHAIN, 'get'),
  nft('NFT_MSG_DELCHAIN', C.NFT_MSG_DELCHAIN, NFTA_CHAIN, 'del'),
  nft('NFT_MSG_NEWRULE', C.NFT_MSG_NEWRULE, NFTA_RULE, 'new'),
  nft('NFT_MSG_GETRULE', C.NFT_MSG_GETRULE, NFTA_RULE, 'get'),
  nft('NFT_MSG_DELRULE', C.NFT_MSG_DELRULE, NFTA_RULE, 'del'),
  nft('NFT_MSG_NEWSET', C.NFT_MSG_NEWSET, NFTA_SET, 'new'),
  nft('NFT_MSG_GETSET', C.NFT_MSG_GETSET, NFTA_SET, 'get'),
  nft('NFT_MSG_DELSET', C.NFT_MSG_DELSET, NFTA_SET, 'del'),
  nft('NFT_MSG_NEWSETELEM', C.NFT_MSG_NEWSETELEM, NFTA_SET_ELEM_LIST, 'new'),
  nft('NFT_MSG_GETSETELEM', C.NFT_MSG_GETSETELEM, NFTA_SET_ELEM_LIST, 'get'),
  nft('NFT_MSG_DELSETELEM', C.NFT_MSG_DELSETELEM, NFTA_SET_ELEM_LIST, 'del'),
  nft('NFT_MSG_NEWGEN', C.NFT_MSG_NEWGEN, NFTA_GEN, 'new'),
  nft('NFT_MSG_GETGEN', C.NFT_MSG_GETGEN, NFTA_GEN, 'get'),
  nft('NFT_MSG_NEWOBJ', C.NFT_MSG_NEWOBJ, NFTA_OBJ, 'new'),
  nft('NFT_MSG_GETOBJ', C.NFT_MSG_GETOBJ, NFTA_OBJ, 'get'),
  nft('NFT_MSG_DELOBJ', C.NFT_MSG_DELOBJ, NFTA_OBJ, 'del'),
  nft('NFT_MSG_GETOBJ_RESET', C.NFT_MSG_GETOBJ_RESET, NFTA_OBJ, 'get'),
  nft('NFT_MSG_NEWFLOWTABLE', C.NFT_MSG_NEWFLOWTABLE, NFTA_FLOWTABLE, 'new'),
  nft('NFT_MSG_GETFLOWTABLE', C.NFT_MSG_GETFLOWTABLE, NFTA_FLOWTABLE, 'get'),
  nft('NFT_MSG_DELFLOWTABLE', C.NFT_MSG_DELFLOWTABLE, NFTA_FLOWTABLE, 'del'),
);
