/**
 * immediate: load a constant into a register — a value, or, into NFT_REG_VERDICT, a verdict
 * (accept, drop, jump/goto CHAIN, return). `enum nft_immediate_attributes`.
 */
import { attrs, nested, type AttrValues } from '../../netlink/schema.js';
import { NF_ACCEPT, NF_DROP, NFT_CONTINUE, NFT_GOTO, NFT_JUMP, NFT_REG_VERDICT, NFT_RETURN } from '../constants.js';
import { NFTA_DATA, dataText } from '../data.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NFTA_IMMEDIATE = attrs('NFTA_IMMEDIATE', {
  NFTA_IMMEDIATE_DREG: { type: 1, key: 'dreg', kind: reg },
  NFTA_IMMEDIATE_DATA: { type: 2, key: 'data', kind: nested(() => NFTA_DATA) },
});
/** Decoded NFTA_IMMEDIATE_* attributes (a register load or a verdict). */
export type ImmediateData = AttrValues<typeof NFTA_IMMEDIATE.spec>;

export const immediate = exprModule('immediate', NFTA_IMMEDIATE, (d) => `immediate reg ${d.dreg} ${dataText(d.data)}`);

/** A verdict statement. `jump`/`goto` need the target chain name. */
export type Verdict = 'accept' | 'drop' | 'return' | 'continue' | { readonly jump: string } | { readonly goto: string };

const CODES = { accept: NF_ACCEPT, drop: NF_DROP, return: NFT_RETURN, continue: NFT_CONTINUE } as const;

/** `immediate reg 0 VERDICT`. */
export function verdict(v: Verdict): { name: 'immediate'; data: ImmediateData } {
  let verdictAttrs;
  if (typeof v === 'string') {
    const code = CODES[v];
    if (code === undefined) throw new RangeError(`verdict: unknown verdict ${JSON.stringify(v)} (accept, drop, return, continue, { jump }, { goto })`);
    verdictAttrs = { code };
  } else if (v && typeof v === 'object' && ('jump' in v || 'goto' in v)) {
    const chain = 'jump' in v ? v.jump : v.goto;
    if (typeof chain !== 'string' || !chain) throw new TypeError('verdict: jump/goto needs a chain name');
    verdictAttrs = { code: 'jump' in v ? NFT_JUMP : NFT_GOTO, chain };
  } else throw new TypeError(`verdict: expected a verdict, got ${JSON.stringify(v)}`);
  return { name: 'immediate', data: { dreg: NFT_REG_VERDICT, data: { verdict: verdictAttrs } } };
}

/** `immediate reg DREG VALUE` (a constant for nat addresses and ports). */
export function immediateValue(value: Buffer, dreg = 1): { name: 'immediate'; data: ImmediateData } {
  return { name: 'immediate', data: { dreg, data: { value } } };
}
