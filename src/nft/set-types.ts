/**
 * nft's set key and map data datatypes (nftables src/datatype.c `enum datatypes`): the number
 * nft stores in NFTA_SET_KEY_TYPE / NFTA_SET_DATA_TYPE, the length, and the byte order nft
 * records in the set's userdata (BYTEORDER_HOST_ENDIAN 1, BYTEORDER_BIG_ENDIAN 2) — plus how
 * one value of each type becomes NFTA_DATA_VALUE bytes and back. Element lists (intervals,
 * map entries) are in set-elements.ts; the userdata layout in set-udata.ts.
 */
import { formatIPv4, formatIPv6, writeIPv4, writeIPv6 } from '../netlink/ip.js';
import { NFT_DATA_VERDICT } from './constants.js';

/** A set key type name. */
export type SetKeyType = 'ipv4_addr' | 'ipv6_addr' | 'inet_service' | 'mark';
/** Map data: a value of a key type, or a verdict (a verdict map, `vmap`). */
export type SetDataType = SetKeyType | 'verdict';
/** One value of a set key (an address string, a port or mark number). */
export type SetElement = string | number;

/** One set key type: nft's type id, its length in bytes, its byte order. */
export interface TypeInfo { readonly id: number; readonly len: number; readonly byteorder: 0 | 1 | 2 }

/** The set key types nft knows by name (ipv4_addr, ipv6_addr, inet_service, mark, verdict): id, length, byte order. */
export const SET_KEY_TYPES: Readonly<Record<SetKeyType, TypeInfo>> = {
  ipv4_addr: { id: 7, len: 4, byteorder: 2 },
  ipv6_addr: { id: 8, len: 16, byteorder: 2 },
  inet_service: { id: 13, len: 2, byteorder: 2 },
  mark: { id: 19, len: 4, byteorder: 1 },
};

/** A verdict map's data: NFTA_SET_DATA_TYPE NFT_DATA_VERDICT, NFTA_SET_DATA_LEN 0, byte order unknown (0). */
export const VERDICT_DATA: TypeInfo = { id: NFT_DATA_VERDICT, len: 0, byteorder: 0 };

export function keyTypeInfo(type: unknown, field: string): TypeInfo & { readonly name: SetKeyType } {
  const info = typeof type === 'string' && Object.hasOwn(SET_KEY_TYPES, type) ? SET_KEY_TYPES[type as SetKeyType] : undefined;
  if (!info) throw new RangeError(`${field}: ${JSON.stringify(type)} is not a supported set type (${Object.keys(SET_KEY_TYPES).join(', ')})`);
  return { ...info, name: type as SetKeyType };
}

export function dataTypeInfo(type: unknown, field: string): TypeInfo & { readonly name: SetDataType } {
  if (type === 'verdict') return { ...VERDICT_DATA, name: 'verdict' };
  try {
    return keyTypeInfo(type, field);
  } catch {
    throw new RangeError(`${field}: ${JSON.stringify(type)} is not a supported map data type (verdict, ${Object.keys(SET_KEY_TYPES).join(', ')})`);
  }
}

/** A set key: one datatype, or a concatenation of several (`ipv4_addr . inet_service`). */
export type SetKeyTypes = SetKeyType | readonly SetKeyType[];

/** nft's TYPE_BITS: a concatenation's datatype packs 6 bits per component, the first highest. */
const TYPE_BITS = 6;
const round4 = (n: number): number => (n + 3) & ~3;

/**
 * The key's NFTA_SET_KEY_TYPE, NFTA_SET_KEY_LEN and byte order, and its components: a
 * concatenation packs the component types 6 bits each, pads each component to 4 bytes, and
 * has no single byte order (0).
 */
export function keyInfo(type: unknown, field: string): TypeInfo & { readonly parts: readonly SetKeyType[]; readonly concat: boolean } {
  if (!Array.isArray(type)) {
    const i = keyTypeInfo(type, field);
    return { id: i.id, len: i.len, byteorder: i.byteorder, parts: [i.name], concat: false };
  }
  if (type.length < 2) throw new RangeError(`${field}: a concatenation needs at least two types`);
  const parts = type.map((x, i) => keyTypeInfo(x, `${field}[${i}]`));
  if (parts.length * TYPE_BITS > 32) throw new RangeError(`${field}: at most 5 concatenated types`);
  return {
    id: parts.reduce((acc, p) => (acc * (1 << TYPE_BITS) + p.id) >>> 0, 0), len: parts.reduce((n, p) => n + round4(p.len), 0), byteorder: 0,
    parts: parts.map((p) => p.name), concat: true,
  };
}

/** The component types of a key type id, when all are known (one for a plain key). */
export function keyParts(id: number, len: number): SetKeyType[] | undefined {
  const one = keyTypeName(id);
  if (one) return SET_KEY_TYPES[one].len === len ? [one] : undefined;
  const parts: SetKeyType[] = [];
  for (let rest = id; rest > 0; rest = Math.floor(rest / (1 << TYPE_BITS))) {
    const t = keyTypeName(rest % (1 << TYPE_BITS));
    if (!t) return undefined;
    parts.unshift(t);
  }
  return parts.length > 1 && parts.reduce((n, p) => n + round4(SET_KEY_TYPES[p].len), 0) === len ? parts : undefined;
}

/** A key's bytes: one value, or for a concatenation `{ concat: [v1, v2, …] }`, each component padded to 4 bytes. */
export function encodeKey(type: SetKeyTypes, v: unknown, field: string): Buffer {
  if (!Array.isArray(type)) return encodeElement(type as SetKeyType, v, field);
  const parts = (v && typeof v === 'object' && 'concat' in v) ? (v as { concat: unknown }).concat : undefined;
  if (!Array.isArray(parts) || parts.length !== type.length) throw new TypeError(`${field}: expected { concat: [${type.join(', ')}] }`);
  return Buffer.concat(type.map((t: SetKeyType, i) => {
    const b = encodeElement(t, parts[i], `${field}.concat[${i}]`);
    return Buffer.concat([b, Buffer.alloc(round4(b.length) - b.length)]);
  }));
}

/** A key's bytes back: a value, or `{ concat: [...] }` (hex when the type is unknown). */
export function decodeKey(keyType: number, keyLen: number, v: Buffer): SetElement | { readonly concat: SetElement[] } {
  const parts = keyParts(keyType, keyLen);
  if (!parts || parts.length === 1) return decodeElement(keyType, v);
  let off = 0;
  return {
    concat: parts.map((p) => {
      const len = SET_KEY_TYPES[p].len;
      const out = decodeElement(SET_KEY_TYPES[p].id, v.subarray(off, off + len));
      off += round4(len);
      return out;
    }),
  };
}

export function keyTypeName(id: number): SetKeyType | undefined {
  for (const [k, v] of Object.entries(SET_KEY_TYPES)) if (v.id === id) return k as SetKeyType;
  return undefined;
}

export function dataTypeName(id: number): SetDataType | undefined {
  return id === NFT_DATA_VERDICT ? 'verdict' : keyTypeName(id);
}

export function encodeElement(type: SetKeyType, v: unknown, field: string): Buffer {
  const b = Buffer.alloc(SET_KEY_TYPES[type].len);
  switch (type) {
    case 'ipv4_addr': if (typeof v === 'string' && writeIPv4(v, b, 0)) return b; break;
    case 'ipv6_addr': if (typeof v === 'string' && writeIPv6(v, b, 0)) return b; break;
    case 'inet_service': if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535) { b.writeUInt16BE(v); return b; } break;
    case 'mark': if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) { b.writeUInt32LE(v); return b; } break;
  }
  throw new RangeError(`${field}: ${JSON.stringify(v)} is not a ${type} element`);
}

export function decodeElement(keyType: number, v: Buffer): SetElement {
  const t = keyTypeName(keyType);
  if (t === 'ipv4_addr' && v.length === 4) return formatIPv4(v, 0);
  if (t === 'ipv6_addr' && v.length === 16) return formatIPv6(v, 0);
  if (t === 'inet_service' && v.length === 2) return v.readUInt16BE(0);
  if (t === 'mark' && v.length === 4) return v.readUInt32LE(0);
  return v.toString('hex');
}
