/** Chains: the typed object, and the NFT_MSG_*CHAIN messages. */
import { NLM_F_CREATE, NLM_F_EXCL } from '../netlink/header.js';
import type { Message, OutMessage } from '../netlink/message.js';
import { NF_ACCEPT, NF_DROP, NFNETLINK_V0, NFT_MSG_DELCHAIN, NFT_MSG_DELRULE, NFT_MSG_NEWCHAIN, nftType } from './constants.js';
import type { ChainAttrs } from './chain.schema.js';
import { type FamilyName, type HookName, familyName, familyNumber, hookName, hookNumber, priorityNumber } from './family.js';
import { checkName } from './table.js';

/** A base chain's type (`filter`, `nat`, `route`). */
export type ChainType = 'filter' | 'nat' | 'route';
/** A base chain's policy. */
export type Policy = 'accept' | 'drop';

/** A chain as listed: family, table, name, handle, and for base chains type, hook, priority and policy. */
export interface Chain {
  readonly family: FamilyName;
  readonly table: string;
  readonly name: string;
  readonly handle: bigint;
  /** Base chains only. */
  readonly type?: ChainType;
  readonly hook?: HookName | number;
  readonly priority?: number;
  readonly policy?: Policy;
  /** netdev base chains: the device. */
  readonly device?: string;
  /** Number of rules and jumps referring to it. */
  readonly use: number;
  /** NFTA_CHAIN_FLAGS and NFTA_CHAIN_USERDATA (nft keeps the chain comment there), as dumped. */
  readonly flags?: number;
  readonly userdata?: Buffer;
}

/** A chain by family, table and name. */
export interface ChainRef {
  readonly family: FamilyName;
  readonly table: string;
  readonly name: string;
}

/** A regular chain needs only the ref; a base chain also `type` and `hook`. */
export interface ChainSpec extends ChainRef {
  readonly type?: ChainType;
  readonly hook?: HookName;
  /** An integer or a name (`srcnat`, `dstnat`, `filter`, …). Default 0. */
  readonly priority?: number | string;
  /** Default: the kernel's, accept. nft sends it explicitly when written. */
  readonly policy?: Policy;
  readonly device?: string;
  /** NLM_F_EXCL: fail with EEXIST if it exists. Default false. */
  readonly exclusive?: boolean;
}

const header = (family: number) => ({ family, version: NFNETLINK_V0, resId: 0 });
const CHAIN_TYPES: readonly string[] = ['filter', 'nat', 'route'];

/** NFT_MSG_NEWCHAIN with NLM_F_CREATE, attributes in the order nft 1.0 writes them. */
export function newChainMessage(c: ChainSpec): OutMessage {
  const family = familyNumber(c.family, 'chain.family');
  const attrs: ChainAttrs = { table: checkName(c.table, 'chain.table'), name: checkName(c.name, 'chain.name') };
  const base = c.hook !== undefined || c.type !== undefined;
  if (base) {
    if (c.hook === undefined) throw new TypeError('chain.hook: a base chain (with a type) needs a hook');
    const type = c.type ?? 'filter';
    if (!CHAIN_TYPES.includes(type)) throw new RangeError(`chain.type: ${JSON.stringify(type)} is not filter, nat or route`);
    attrs.type = type;
    if (c.policy !== undefined) {
      if (c.policy !== 'accept' && c.policy !== 'drop') throw new RangeError(`chain.policy: ${JSON.stringify(c.policy)} is not accept or drop`);
      attrs.policy = c.policy === 'accept' ? NF_ACCEPT : NF_DROP;
    }
    attrs.hook = { hooknum: hookNumber(c.family, c.hook, 'chain.hook'), priority: priorityNumber(c.priority ?? 0, 'chain.priority') };
    if (c.device !== undefined) attrs.hook.dev = checkName(c.device, 'chain.device');
  } else if (c.policy !== undefined || c.priority !== undefined) {
    throw new TypeError('chain: policy and priority apply to base chains only (give type and hook)');
  }
  return { type: nftType(NFT_MSG_NEWCHAIN), flags: NLM_F_CREATE | (c.exclusive ? NLM_F_EXCL : 0), header: header(family), attrs };
}

/** NFT_MSG_DELCHAIN (the chain must be empty and unreferenced), by name or handle. */
export function delChainMessage(c: ChainRef & { readonly handle?: bigint }): OutMessage {
  const attrs: ChainAttrs = { table: checkName(c.table, 'chain.table') };
  if (c.handle !== undefined) attrs.handle = c.handle; else attrs.name = checkName(c.name, 'chain.name');
  return { type: nftType(NFT_MSG_DELCHAIN), flags: 0, header: header(familyNumber(c.family, 'chain.family')), attrs };
}

/** NFT_MSG_DELRULE without a handle: flush every rule of the chain (`nft flush chain`). */
export function flushChainMessage(c: ChainRef): OutMessage {
  return {
    type: nftType(NFT_MSG_DELRULE), flags: 0, header: header(familyNumber(c.family, 'chain.family')),
    attrs: { table: checkName(c.table, 'chain.table'), chain: checkName(c.name, 'chain.name') },
  };
}

/** A decoded NFT_MSG_NEWCHAIN as an NftChain. */
export function toChain(m: Message): Chain {
  const a = m.attrs as ChainAttrs;
  const family = familyName(m.header.family);
  const out: { -readonly [K in keyof Chain]: Chain[K] } = { family, table: a.table ?? '', name: a.name ?? '', handle: a.handle ?? 0n, use: a.use ?? 0 };
  if (a.type !== undefined) out.type = a.type as ChainType;
  if (a.hook?.hooknum !== undefined) out.hook = hookName(family, a.hook.hooknum);
  if (a.hook?.priority !== undefined) out.priority = a.hook.priority;
  if (a.hook?.dev !== undefined) out.device = a.hook.dev;
  if (a.policy !== undefined) out.policy = a.policy === NF_DROP ? 'drop' : 'accept';
  if (a.flags !== undefined) out.flags = a.flags;
  if (a.userdata) out.userdata = a.userdata;
  return out;
}
