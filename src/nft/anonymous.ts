/**
 * Anonymous sets and maps — what nft creates for `tcp dport { 80, 443 }`, `tcp dport vmap
 * { 22 : accept }` or `dnat to tcp dport map { 8080 : 10.0.0.9 }`: a set named `__set%d` /
 * `__map%d` (the kernel picks the number) with NFT_SET_ANONYMOUS|NFT_SET_CONSTANT, sent with
 * its elements in the same batch just before the rule, the rule's lookup finding it by
 * NFTA_SET_ID. The kernel deletes it with the rule. RuleBuilder makes these (rule-sets.ts);
 * NftBatch.addRule sends them.
 */
import { NLM_F_CREATE } from '../netlink/header.js';
import type { OutMessage } from '../netlink/message.js';
import { NFNETLINK_V0, NFT_MSG_NEWSET, NFT_SET_ANONYMOUS, NFT_SET_CONSTANT, NFT_SET_INTERVAL, NFT_SET_MAP, nftType } from './constants.js';
import { type FamilyName, familyNumber } from './family.js';
import type { SetAttrs, SetElemAttrs } from './set.schema.js';
import { elemListMessage } from './set.js';
import { buildElements } from './set-elements.js';
import { type SetDataType, dataTypeInfo, keyInfo } from './set-types.js';
import type { LookupKey } from './set-keys.js';
import { setUdata, verdictTypeof } from './set-udata.js';
import { checkName } from './table.js';

/** The NFTA_SET_NAME nft sends for an anonymous set and map. */
export const ANON_SET_NAME = '__set%d';
export const ANON_MAP_NAME = '__map%d';

/** An anonymous set or map, ready to send. */
export interface AnonymousSet {
  readonly name: typeof ANON_SET_NAME | typeof ANON_MAP_NAME;
  readonly attrs: Omit<SetAttrs, 'table' | 'name' | 'id'>;
  readonly elements: SetElemAttrs[];
}

/** Build an anonymous set (or, with `data`, map) keyed by `key` holding `entries`. */
export function anonymousSet(key: LookupKey, entries: readonly unknown[], interval: boolean, field: string, data?: SetDataType): AnonymousSet {
  const k = keyInfo(key.type, field);
  const d = data !== undefined ? dataTypeInfo(data, field) : undefined;
  const { elems, size } = buildElements({ type: key.type, interval, leadingEnd: true, ...(data !== undefined ? { data } : {}) }, entries, field);
  const flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | (interval ? NFT_SET_INTERVAL : 0) | (d ? NFT_SET_MAP : 0);
  const attrs: { -readonly [K in keyof AnonymousSet['attrs']]: AnonymousSet['attrs'][K] } = { flags, keyType: k.id, keyLen: k.len };
  if (d) { attrs.dataType = d.id; attrs.dataLen = d.len; }
  attrs.desc = { size };
  // nft records the key's typeof for a set (for a map only when the key is a concatenation),
  // and the data's for a verdict map.
  attrs.userdata = d
    ? setUdata({
      keyByteorder: k.byteorder, dataByteorder: d.byteorder, ...(key.concat ? { keyTypeof: key.typeof } : {}),
      ...(data === 'verdict' ? { dataTypeof: verdictTypeof() } : {}), dataInterval: false,
    })
    : setUdata({ keyByteorder: k.byteorder, merge: interval, keyTypeof: key.typeof });
  return { name: d ? ANON_MAP_NAME : ANON_SET_NAME, attrs, elements: elems };
}

/** NFT_MSG_NEWSET + NFT_MSG_NEWSETELEM for an anonymous set of a rule in `family`/`table`, as set `id` of the batch. */
export function anonymousSetMessages(family: FamilyName, table: string, s: AnonymousSet, id: number): [OutMessage, OutMessage] {
  const { flags, keyType, keyLen, dataType, dataLen, desc, userdata } = s.attrs;
  const attrs: SetAttrs = { table: checkName(table, 'rule.table'), name: s.name, flags, keyType, keyLen };
  if (dataType !== undefined) { attrs.dataType = dataType; attrs.dataLen = dataLen!; }
  attrs.id = id;
  attrs.desc = desc!;
  attrs.userdata = userdata!;
  const header = { family: familyNumber(family, 'rule.family'), version: NFNETLINK_V0, resId: 0 };
  return [{ type: nftType(NFT_MSG_NEWSET), flags: NLM_F_CREATE, header, attrs }, elemListMessage('add', { family, table, name: s.name }, s.elements, id)];
}
