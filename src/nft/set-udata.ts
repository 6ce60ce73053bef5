/**
 * NFTA_SET_USERDATA and NFTA_SET_ELEM_USERDATA as nft 1.0 writes them (libnftnl udata TLVs,
 * userdata.ts): the key/data byte order, `auto-merge` (nft sets it on anonymous interval
 * sets), the `typeof` of the key or data (the expression it came from: a payload field by
 * protocol and field id, a meta key, a verdict), whether map data are intervals; and the
 * element flag nft uses to mark an interval open to the top of the key range. The kernel
 * keeps these bytes without reading them; nft reads them back to print the set.
 */
import { buildUdata, parseUdata, type UdataTlv } from './userdata.js';

/** `enum nftnl_udata_set_types` (libnftnl include/libnftnl/udata.h). */
export const NFTNL_UDATA_SET_KEYBYTEORDER = 0;
export const NFTNL_UDATA_SET_DATABYTEORDER = 1;
export const NFTNL_UDATA_SET_MERGE_ELEMENTS = 2;
export const NFTNL_UDATA_SET_KEY_TYPEOF = 3;
export const NFTNL_UDATA_SET_DATA_TYPEOF = 4;
export const NFTNL_UDATA_SET_DATA_INTERVAL = 6;
/** `enum nftnl_udata_set_elem_types` and `enum nftnl_udata_set_elem_flags`. */
export const NFTNL_UDATA_SET_ELEM_FLAGS = 1;
export const NFTNL_SET_ELEM_F_INTERVAL_OPEN = 0x1;
/** nft's `enum expr_types` ids recorded in a typeof (src/expression.h). */
export const EXPR_VERDICT = 1;
export const EXPR_PAYLOAD = 7;
export const EXPR_META = 9;
export const EXPR_CONCAT = 13;

const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; };

/** The typeof of a payload field: nft's proto_desc id (`enum proto_desc_id`) and header field id. */
export const payloadTypeof = (desc: number, field: number): Buffer =>
  buildUdata([{ type: 0, value: u32(EXPR_PAYLOAD) }, { type: 1, value: buildUdata([{ type: 0, value: u32(desc) }, { type: 1, value: u32(field) }]) }]);
/** The typeof of a meta key (`enum nft_meta_keys`). */
export const metaTypeof = (key: number): Buffer =>
  buildUdata([{ type: 0, value: u32(EXPR_META) }, { type: 1, value: buildUdata([{ type: 0, value: u32(key) }]) }]);
/** The typeof of a concatenation: its components' typeofs numbered 0, 1, … (nft writes none for a named set's `type a . b`). */
export const concatTypeof = (parts: readonly Buffer[]): Buffer =>
  buildUdata([{ type: 0, value: u32(EXPR_CONCAT) }, { type: 1, value: buildUdata(parts.map((value, type) => ({ type, value }))) }]);
/** The typeof of a verdict map's data. */
export const verdictTypeof = (): Buffer => buildUdata([{ type: 0, value: u32(EXPR_VERDICT) }, { type: 1, value: Buffer.alloc(0) }]);

export interface SetUdataOptions {
  readonly keyByteorder: number;
  /** Maps: the data byte order (0 for verdicts). */
  readonly dataByteorder?: number;
  /** `auto-merge`. */
  readonly merge?: boolean;
  readonly keyTypeof?: Buffer;
  readonly dataTypeof?: Buffer;
  /** Maps: NFTNL_UDATA_SET_DATA_INTERVAL (nft writes 0 for every map). */
  readonly dataInterval?: boolean;
}

/** The set userdata, in nft's order. */
export function setUdata(o: SetUdataOptions): Buffer {
  const tlvs: UdataTlv[] = [{ type: NFTNL_UDATA_SET_KEYBYTEORDER, value: u32(o.keyByteorder) }];
  if (o.dataByteorder !== undefined) tlvs.push({ type: NFTNL_UDATA_SET_DATABYTEORDER, value: u32(o.dataByteorder) });
  if (o.merge) tlvs.push({ type: NFTNL_UDATA_SET_MERGE_ELEMENTS, value: u32(1) });
  if (o.keyTypeof) tlvs.push({ type: NFTNL_UDATA_SET_KEY_TYPEOF, value: o.keyTypeof });
  if (o.dataTypeof) tlvs.push({ type: NFTNL_UDATA_SET_DATA_TYPEOF, value: o.dataTypeof });
  if (o.dataInterval !== undefined) tlvs.push({ type: NFTNL_UDATA_SET_DATA_INTERVAL, value: u32(o.dataInterval ? 1 : 0) });
  return buildUdata(tlvs);
}

/** Element userdata marking an interval that runs to the top of the key range (no end element is sent). */
export const openIntervalUdata = (): Buffer => buildUdata([{ type: NFTNL_UDATA_SET_ELEM_FLAGS, value: u32(NFTNL_SET_ELEM_F_INTERVAL_OPEN) }]);

/** Whether an element's userdata marks it open-ended. */
export function isOpenInterval(udata: Buffer | undefined): boolean {
  if (!udata) return false;
  try {
    const t = parseUdata(udata).find((x) => x.type === NFTNL_UDATA_SET_ELEM_FLAGS);
    return !!t && t.value.length === 4 && (t.value.readUInt32LE(0) & NFTNL_SET_ELEM_F_INTERVAL_OPEN) !== 0;
  } catch {
    return false;
  }
}
