/**
 * A Ruleset from the kernel's dump replies (NFT_MSG_NEWTABLE / NEWCHAIN / NEWSET / NEWSETELEM /
 * NEWRULE / NEWOBJ messages, in any order): what NftHandle.list() assembles from its own dumps,
 * and what a replay of recorded `nft list ruleset` replies gives (test/unit/nft-corpus.test.ts).
 */
import type { Message } from '../netlink/message.js';
import { NFT_MSG_NEWCHAIN, NFT_MSG_NEWOBJ, NFT_MSG_NEWRULE, NFT_MSG_NEWSET, NFT_MSG_NEWSETELEM, NFT_MSG_NEWTABLE, nftType } from './constants.js';
import { toChain } from './chain.js';
import { familyName } from './family.js';
import { type NftObject, toObject } from './object.js';
import type { Ruleset } from './handle.js';
import { type Rule, toRule } from './rule.js';
import { type NftSet, toSet } from './set.js';
import type { SetElemAttrs, SetElemListAttrs } from './set.schema.js';
import { decodeElements } from './set-elements.js';
import { toTable } from './table.js';

const setKey = (family: string, table: string, name: string): string => `${family}\0${table}\0${name}`;

/** The anonymous sets (`__set%d`, `__map%d`) a rule's expressions refer to. */
export function anonymousSetNames(r: Pick<Rule, 'exprs'>): string[] {
  const out: string[] = [];
  for (const e of r.exprs) {
    const d = e.data as Record<string, unknown> | undefined;
    if (!d || Buffer.isBuffer(d)) continue;
    const set = d['set'];
    if (typeof set === 'string' && set.startsWith('__') && !out.includes(set)) out.push(set);
  }
  return out;
}

/** Sets get their elements (as `elements`, nft -j shape, and `rawElements`), rules their anonymous sets. */
export function assembleRuleset(parts: { genid: number; tables: Ruleset['tables']; chains: Ruleset['chains']; sets: readonly NftSet[]; rules: readonly Rule[]; elements: ReadonlyMap<string, SetElemAttrs[]> } & Partial<Pick<Ruleset, 'objects'>>): Ruleset {
  const sets = parts.sets.map((s) => {
    const raw = parts.elements.get(setKey(s.family, s.table, s.name)) ?? [];
    return { ...s, elements: decodeElements(s, raw), rawElements: raw };
  });
  const byKey = new Map(sets.map((s) => [setKey(s.family, s.table, s.name), s]));
  const rules = parts.rules.map((r) => {
    const names = anonymousSetNames(r);
    if (!names.length) return r;
    const anon = names.map((n) => byKey.get(setKey(r.family, r.table, n))).filter((s): s is NonNullable<typeof s> => s !== undefined);
    return { ...r, anonymousSets: anon };
  });
  return { genid: parts.genid, tables: parts.tables, chains: parts.chains, sets, rules, objects: parts.objects ?? [] };
}

/** A Ruleset from dump replies; messages of other types are ignored. */
export function rulesetFromMessages(msgs: readonly Message[], genid = 0): Ruleset {
  const tables = [], chains = [], sets = [], rules = [], objects: NftObject[] = [];
  const elements = new Map<string, SetElemAttrs[]>();
  for (const m of msgs) {
    switch (m.type) {
      case nftType(NFT_MSG_NEWTABLE): tables.push(toTable(m)); break;
      case nftType(NFT_MSG_NEWCHAIN): chains.push(toChain(m)); break;
      case nftType(NFT_MSG_NEWSET): sets.push(toSet(m)); break;
      case nftType(NFT_MSG_NEWRULE): rules.push(toRule(m)); break;
      case nftType(NFT_MSG_NEWOBJ): objects.push(toObject(m)); break;
      case nftType(NFT_MSG_NEWSETELEM): {
        const a = m.attrs as SetElemListAttrs;
        const k = setKey(familyName(m.header.family), a.table ?? '', a.set ?? '');
        elements.set(k, [...(elements.get(k) ?? []), ...(a.elements ?? [])]);
        break;
      }
    }
  }
  return assembleRuleset({ genid, tables, chains, sets, rules, elements, objects });
}
