/**
 * What a set lookup, map or verdict map can be keyed by in a rule (`ip saddr`, `tcp dport`,
 * `meta mark`, …): the packet field each loads, the dependency nft matches first, the set key
 * datatype, and the `typeof` nft records in an anonymous set's userdata (set-udata.ts).
 */
import { NFT_META_MARK } from './expr/meta.js';
import { NFT_PAYLOAD_NETWORK_HEADER, NFT_PAYLOAD_TRANSPORT_HEADER } from './expr/payload.js';
import type { SetKeyType, SetKeyTypes } from './set-types.js';
import { concatTypeof, metaTypeof, payloadTypeof } from './set-udata.js';

/** A match key name (`ip saddr`, `tcp dport`, …). */
export type SetKeyName = 'ip saddr' | 'ip daddr' | 'ip6 saddr' | 'ip6 daddr' | 'tcp sport' | 'tcp dport' | 'udp sport' | 'udp dport' | 'meta mark';

/** How one match key is loaded into a register: payload or meta, offset, length, key type. */
export interface SetKeyDef {
  readonly type: SetKeyType;
  /** Network-layer dependency (`meta nfproto` in inet tables). */
  readonly l3?: 4 | 6;
  /** Transport-layer dependency (`meta l4proto`). */
  readonly l4?: 'tcp' | 'udp';
  readonly payload?: { readonly base: number; readonly offset: number; readonly len: number };
  readonly meta?: number;
  /** NFTNL_UDATA_SET_KEY_TYPEOF of an anonymous set keyed by this. */
  readonly typeof: Buffer;
}

/** nft's `enum proto_desc_id` and header field ids (nftables src/proto.c). */
const PROTO_DESC = { udp: 6, tcp: 8, ip: 12, ip6: 13 } as const;
const IPHDR_SADDR = 11, IPHDR_DADDR = 12, IP6HDR_SADDR = 8, IP6HDR_DADDR = 9, TH_SPORT = 1, TH_DPORT = 2;

const net = (v: 4 | 6, offset: number, field: number): SetKeyDef => ({
  type: v === 4 ? 'ipv4_addr' : 'ipv6_addr', l3: v, payload: { base: NFT_PAYLOAD_NETWORK_HEADER, offset, len: v === 4 ? 4 : 16 },
  typeof: payloadTypeof(v === 4 ? PROTO_DESC.ip : PROTO_DESC.ip6, field),
});
const port = (proto: 'tcp' | 'udp', which: 'sport' | 'dport'): SetKeyDef => ({
  type: 'inet_service', l4: proto, payload: { base: NFT_PAYLOAD_TRANSPORT_HEADER, offset: which === 'sport' ? 0 : 2, len: 2 },
  typeof: payloadTypeof(PROTO_DESC[proto], which === 'sport' ? TH_SPORT : TH_DPORT),
});

/** The match keys a set lookup can use (`ip saddr`, `tcp dport`, `meta mark`, …) and how each is loaded. */
export const SET_KEYS: Readonly<Record<SetKeyName, SetKeyDef>> = {
  'ip saddr': net(4, 12, IPHDR_SADDR),
  'ip daddr': net(4, 16, IPHDR_DADDR),
  'ip6 saddr': net(6, 8, IP6HDR_SADDR),
  'ip6 daddr': net(6, 24, IP6HDR_DADDR),
  'tcp sport': port('tcp', 'sport'),
  'tcp dport': port('tcp', 'dport'),
  'udp sport': port('udp', 'sport'),
  'udp dport': port('udp', 'dport'),
  'meta mark': { type: 'mark', meta: NFT_META_MARK, typeof: metaTypeof(NFT_META_MARK) },
};

export function setKey(name: unknown, field: string): SetKeyDef & { readonly name: SetKeyName } {
  const def = typeof name === 'string' && Object.hasOwn(SET_KEYS, name) ? SET_KEYS[name as SetKeyName] : undefined;
  if (!def) throw new RangeError(`${field}: ${JSON.stringify(name)} is not a set key (${Object.keys(SET_KEYS).join(', ')})`);
  return { ...def, name: name as SetKeyName };
}

/** What a rule looks up: one field, or a concatenation (`ip saddr . tcp dport`). */
export interface LookupKey {
  /** As nft writes it: `ip saddr . tcp dport`. */
  readonly name: string;
  readonly fields: readonly (SetKeyDef & { readonly name: SetKeyName })[];
  readonly type: SetKeyTypes;
  readonly typeof: Buffer;
  readonly concat: boolean;
}

/** A key name, or a list of two or more for a concatenation. */
export function lookupKey(key: unknown, field: string): LookupKey {
  if (!Array.isArray(key)) {
    const k = setKey(key, field);
    return { name: k.name, fields: [k], type: k.type, typeof: k.typeof, concat: false };
  }
  if (key.length < 2) throw new RangeError(`${field}: a concatenation needs at least two keys`);
  const fields = key.map((k, i) => setKey(k, `${field}[${i}]`));
  return { name: fields.map((f) => f.name).join(' . '), fields, type: fields.map((f) => f.type), typeof: concatTypeof(fields.map((f) => f.typeof)), concat: true };
}
