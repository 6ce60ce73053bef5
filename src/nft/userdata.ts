/**
 * NFTA_RULE_USERDATA as libnftnl lays it out (libnftnl include/udata.h): a sequence of TLVs
 * `{ u8 type; u8 len; u8 value[len]; }`. NFTNL_UDATA_RULE_COMMENT (0) holds the comment
 * NUL-terminated, as nft writes it. The kernel stores the bytes without reading them.
 */
import { DecodeError } from '../netlink/errors.js';
import { NFT_USERDATA_MAXLEN } from './constants.js';

export const NFTNL_UDATA_RULE_COMMENT = 0;
export const NFTNL_UDATA_RULE_EBTABLES_POLICY = 1;

export interface UdataTlv { readonly type: number; readonly value: Buffer }

export function parseUdata(buf: Buffer): UdataTlv[] {
  const out: UdataTlv[] = [];
  for (let off = 0; off < buf.length;) {
    if (off + 2 > buf.length) throw new DecodeError('truncated userdata TLV header', ['NFTA_RULE_USERDATA'], off);
    const type = buf[off]!, len = buf[off + 1]!;
    if (off + 2 + len > buf.length) throw new DecodeError(`userdata TLV of ${len} bytes overruns`, ['NFTA_RULE_USERDATA'], off);
    out.push({ type, value: buf.subarray(off + 2, off + 2 + len) });
    off += 2 + len;
  }
  return out;
}

export function buildUdata(tlvs: readonly UdataTlv[]): Buffer {
  const parts: Buffer[] = [];
  for (const t of tlvs) {
    if (t.value.length > 255) throw new RangeError(`userdata TLV ${t.type}: ${t.value.length} bytes (at most 255)`);
    parts.push(Buffer.from([t.type, t.value.length]), t.value);
  }
  const out = Buffer.concat(parts);
  if (out.length > NFT_USERDATA_MAXLEN) throw new RangeError(`userdata: ${out.length} bytes (at most NFT_USERDATA_MAXLEN = ${NFT_USERDATA_MAXLEN})`);
  return out;
}

/** The comment in a rule's userdata, if any (NUL terminator dropped). */
export function commentOf(userdata: Buffer | undefined): string | undefined {
  if (!userdata) return undefined;
  try {
    const t = parseUdata(userdata).find((x) => x.type === NFTNL_UDATA_RULE_COMMENT);
    if (!t) return undefined;
    const nul = t.value.indexOf(0);
    return t.value.toString('utf8', 0, nul < 0 ? t.value.length : nul);
  } catch {
    return undefined;
  }
}

/** Userdata carrying `comment` (NUL-terminated, as nft writes it). */
export function commentUdata(comment: string): Buffer {
  if (typeof comment !== 'string') throw new TypeError('comment: expected a string');
  if (comment.includes('\0')) throw new RangeError('comment: contains a NUL byte');
  return buildUdata([{ type: NFTNL_UDATA_RULE_COMMENT, value: Buffer.from(comment + '\0') }]);
}
