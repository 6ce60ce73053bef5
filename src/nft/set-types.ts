/**
 * nft's set key datatypes (nftables src/datatype.c `enum datatypes`): the number nft stores in
 * NFTA_SET_KEY_TYPE, the key length, and the byte order nft records in the set's userdata
 * (NFTNL_UDATA_SET_KEYBYTEORDER = 0; BYTEORDER_HOST_ENDIAN 1, BYTEORDER_BIG_ENDIAN 2) —
 * plus how an element value of each type becomes NFTA_DATA_VALUE bytes and back.
 */
import { formatIPv4, formatIPv6, writeIPv4, writeIPv6 } from '../netlink/ip.js';
import { buildUdata } from './userdata.js';

export type SetKeyType = 'ipv4_addr' | 'ipv6_addr' | 'inet_service' | 'mark';
export type SetElement = string | number;

interface TypeInfo { readonly id: number; readonly len: number; readonly byteorder: 1 | 2 }

export const SET_KEY_TYPES: Readonly<Record<SetKeyType, TypeInfo>> = {
  ipv4_addr: { id: 7, len: 4, byteorder: 2 },
  ipv6_addr: { id: 8, len: 16, byteorder: 2 },
  inet_service: { id: 13, len: 2, byteorder: 2 },
  mark: { id: 19, len: 4, byteorder: 1 },
};

/** NFTNL_UDATA_SET_KEYBYTEORDER. */
export const NFTNL_UDATA_SET_KEYBYTEORDER = 0;

export function keyTypeInfo(type: unknown, field: string): TypeInfo & { readonly name: SetKeyType } {
  const info = typeof type === 'string' ? SET_KEY_TYPES[type as SetKeyType] : undefined;
  if (!info) throw new RangeError(`${field}: ${JSON.stringify(type)} is not a supported set type (${Object.keys(SET_KEY_TYPES).join(', ')})`);
  return { ...info, name: type as SetKeyType };
}

export function keyTypeName(id: number): SetKeyType | undefined {
  for (const [k, v] of Object.entries(SET_KEY_TYPES)) if (v.id === id) return k as SetKeyType;
  return undefined;
}

/** The set userdata nft writes: the key byte order, u32 in host order. */
export function setUdata(info: TypeInfo): Buffer {
  const v = Buffer.alloc(4);
  v.writeUInt32LE(info.byteorder);
  return buildUdata([{ type: NFTNL_UDATA_SET_KEYBYTEORDER, value: v }]);
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
