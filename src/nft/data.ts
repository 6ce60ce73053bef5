/**
 * NFTA_DATA_* (`enum nft_data_attributes`) and NFTA_VERDICT_* (`enum nft_verdict_attributes`):
 * the `struct nft_data` a cmp, immediate, range, bitwise or set element carries — either a
 * value (at most NFT_DATA_VALUE_MAXLEN = 64 bytes, in the byte order of the packet field it
 * is compared with) or a verdict.
 */
import { DecodeError } from '../netlink/errors.js';
import { be32, bytes, enumOf, string0 } from '../netlink/kinds.js';
import { attrs, nested, type AttrValues } from '../netlink/schema.js';
import { bes32 } from './kinds.js';
import { NF_ACCEPT, NF_DROP, NF_QUEUE, NF_REPEAT, NF_STOLEN, NF_STOP, NFT_BREAK, NFT_CONTINUE, NFT_GOTO, NFT_JUMP, NFT_RETURN } from './constants.js';

/** Verdict codes by name, as nft prints them. */
export const VERDICT_NAMES: Readonly<Record<number, string>> = {
  [NF_DROP]: 'drop', [NF_ACCEPT]: 'accept', [NF_STOLEN]: 'stolen', [NF_QUEUE]: 'queue', [NF_REPEAT]: 'repeat', [NF_STOP]: 'stop',
  [NFT_CONTINUE]: 'continue', [NFT_BREAK]: 'break', [NFT_JUMP]: 'jump', [NFT_GOTO]: 'goto', [NFT_RETURN]: 'return',
};

/** NFTA_VERDICT_* attributes: code and chain. */
export const NFTA_VERDICT = attrs('NFTA_VERDICT', {
  NFTA_VERDICT_CODE: { type: 1, key: 'code', kind: enumOf(bes32, VERDICT_NAMES) },
  NFTA_VERDICT_CHAIN: { type: 2, key: 'chain', kind: string0 },
  NFTA_VERDICT_CHAIN_ID: { type: 3, key: 'chainId', kind: be32 },
});
export type VerdictAttrs = AttrValues<typeof NFTA_VERDICT.spec>;

/** NFTA_DATA_* attributes: a value or a verdict. */
export const NFTA_DATA = attrs('NFTA_DATA', {
  NFTA_DATA_VALUE: { type: 1, key: 'value', kind: bytes },
  NFTA_DATA_VERDICT: { type: 2, key: 'verdict', kind: nested(() => NFTA_VERDICT) },
});
export type DataAttrs = AttrValues<typeof NFTA_DATA.spec>;

/** `#define NFT_DATA_VALUE_MAXLEN 64`. */
export const NFT_DATA_VALUE_MAXLEN = 64;

/** A value datum. */
export function value(buf: Buffer): DataAttrs {
  if (buf.length === 0 || buf.length > NFT_DATA_VALUE_MAXLEN) throw new RangeError(`data value: ${buf.length} bytes; 1..${NFT_DATA_VALUE_MAXLEN} allowed`);
  return { value: buf };
}

/**
 * A data value as `nft --debug=netlink` prints it: 32-bit words in host (little-endian) order,
 * the last one zero-padded — `0x000fa8c0` for the bytes c0 a8 0f.
 */
export function dataWords(buf: Buffer): string {
  const words: string[] = [];
  for (let i = 0; i < buf.length; i += 4) {
    const w = Buffer.alloc(4);
    buf.copy(w, 0, i, Math.min(i + 4, buf.length));
    words.push('0x' + w.readUInt32LE(0).toString(16).padStart(8, '0'));
  }
  return words.join(' ');
}

/** A datum as nft's debug output prints it: words for a value, `accept` / `jump -> chain` for a verdict. */
export function dataText(d: DataAttrs | undefined): string {
  if (!d) return '';
  if (d.value) return dataWords(d.value);
  if (d.verdict) {
    const c = d.verdict.code;
    const name = c === undefined ? '?' : VERDICT_NAMES[c] ?? String(c);
    return d.verdict.chain !== undefined ? `${name} -> ${d.verdict.chain}` : name;
  }
  return '';
}

/** The value bytes of a datum, or a DecodeError naming `what`. */
export function valueOf(d: DataAttrs | undefined, what: string): Buffer {
  if (!d?.value) throw new DecodeError('expected a data value', [what], 0);
  return d.value;
}
