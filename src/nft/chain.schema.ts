/**
 * NFTA_CHAIN_* (`enum nft_chain_attributes`) and NFTA_HOOK_* (`enum nft_hook_attributes`):
 * NFT_MSG_NEWCHAIN / GETCHAIN / DELCHAIN. A base chain has a hook, a type and a policy.
 */
import { be32, be64, bytes, enumOf, flagsOf, string0 } from '../netlink/kinds.js';
import { array, attrs, nested, type AttrValues } from '../netlink/schema.js';
import { NF_ACCEPT, NF_DROP, NFT_CHAIN_BASE, NFT_CHAIN_BINDING, NFT_CHAIN_HW_OFFLOAD } from './constants.js';
import { NFTA_COUNTER } from './expr/counter.js';
import { bes32 } from './kinds.js';
import { nftName } from './table.schema.js';

/** NFTA_HOOK_* attributes (a base chain's hook, priority, device). */
export const NFTA_HOOK = attrs('NFTA_HOOK', {
  // NF_INET_* / NF_NETDEV_* / NF_ARP_* by the table's family.
  NFTA_HOOK_HOOKNUM: { type: 1, key: 'hooknum', kind: be32 },
  NFTA_HOOK_PRIORITY: { type: 2, key: 'priority', kind: bes32 },
  NFTA_HOOK_DEV: { type: 3, key: 'dev', kind: string0 },
  // A list of NFTA_DEVICE_NAME (1) strings.
  NFTA_HOOK_DEVS: { type: 4, key: 'devs', kind: array(string0, { elemType: 1, name: 'NFTA_DEVICE_NAME' }) },
});
export type HookAttrs = AttrValues<typeof NFTA_HOOK.spec>;

/** NFTA_CHAIN_* attributes. */
export const NFTA_CHAIN = attrs('NFTA_CHAIN', {
  NFTA_CHAIN_TABLE: { type: 1, key: 'table', kind: nftName },
  NFTA_CHAIN_HANDLE: { type: 2, key: 'handle', kind: be64 },
  NFTA_CHAIN_NAME: { type: 3, key: 'name', kind: nftName },
  NFTA_CHAIN_HOOK: { type: 4, key: 'hook', kind: nested(() => NFTA_HOOK) },
  NFTA_CHAIN_POLICY: { type: 5, key: 'policy', kind: enumOf(be32, { [NF_DROP]: 'drop', [NF_ACCEPT]: 'accept' }) },
  // Number of rules and jumps referring to the chain.
  NFTA_CHAIN_USE: { type: 6, key: 'use', kind: be32 },
  // "filter", "nat" or "route".
  NFTA_CHAIN_TYPE: { type: 7, key: 'type', kind: string0 },
  NFTA_CHAIN_COUNTERS: { type: 8, key: 'counters', kind: nested(() => NFTA_COUNTER) },
  NFTA_CHAIN_PAD: { type: 9, key: 'pad', kind: bytes },
  NFTA_CHAIN_FLAGS: { type: 10, key: 'flags', kind: flagsOf(be32, [[NFT_CHAIN_BASE, 'BASE'], [NFT_CHAIN_HW_OFFLOAD, 'HW_OFFLOAD'], [NFT_CHAIN_BINDING, 'BINDING']]) },
  NFTA_CHAIN_ID: { type: 11, key: 'id', kind: be32 },
  NFTA_CHAIN_USERDATA: { type: 12, key: 'userdata', kind: bytes },
});
export type ChainAttrs = AttrValues<typeof NFTA_CHAIN.spec>;
