/**
 * nftables notifications as typed events — what `nft monitor` prints. After every commit the
 * kernel sends NFNLGRP_NFTABLES (nfnetlink group 7) one NFT_MSG_NEW* / DEL* message per object
 * the batch made or removed, in batch order, then NFT_MSG_NEWGEN with the new generation
 * (nf_tables_api.c nf_tables_commit → nf_tables_*_notify, nf_tables_gen_notify).
 *
 * Set elements carry only bytes; they decode with the shape (key type, flags) of their set,
 * which NftEventDecoder learns from the set events it has seen (and from `knownSets`). Anonymous
 * sets (`{ 22, 80 }` in a rule) come before the rule that uses them, so rule events carry them
 * as `anonymousSets` and print as nft does.
 */
import { NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN } from '../netlink/header.js';
import { type Message, decodeMessage, splitMessages } from '../netlink/message.js';
import { type Chain, toChain } from './chain.js';
import {
  NFNL_SUBSYS_NFTABLES, NFT_MSG_DELCHAIN, NFT_MSG_DELRULE, NFT_MSG_DELSET, NFT_MSG_DELSETELEM, NFT_MSG_DELTABLE, NFT_MSG_NEWCHAIN,
  NFT_MSG_NEWGEN, NFT_MSG_NEWRULE, NFT_MSG_NEWSET, NFT_MSG_NEWSETELEM, NFT_MSG_NEWTABLE,
} from './constants.js';
import { type FamilyName, familyName } from './family.js';
import type { GenAttrs } from './gen.schema.js';
import { nfnetlink } from './protocol.js';
import { type Rule, toRule } from './rule.js';
import { type NftSet, toSet } from './set.js';
import type { SetElemAttrs, SetElemListAttrs } from './set.schema.js';
import { type ElementJson, decodeElements } from './set-elements.js';
import { type Table, toTable } from './table.js';

/** What an nftables monitor reports: one kind per object type, plus the generation bump. */
export type NftEventKind = 'table' | 'chain' | 'rule' | 'set' | 'element' | 'gen';

/** Every kind, in the order of nft monitor's object types. */
export const NFT_EVENT_KINDS: readonly NftEventKind[] = ['table', 'chain', 'set', 'element', 'rule', 'gen'];

interface NftEventBase<K extends string> {
  readonly kind: K;
  /** When the datagram was read (notifications carry no timestamp of their own). */
  readonly time: Date;
}
interface NftObjectEventBase<K extends NftEventKind> extends NftEventBase<K> {
  readonly action: 'new' | 'del';
}

/** A table was added or deleted. */
export interface NftTableEvent extends NftObjectEventBase<'table'> { readonly table: Table }
/** A chain was added or deleted. */
export interface NftChainEvent extends NftObjectEventBase<'chain'> { readonly chain: Chain }
/** A rule; its anonymous sets (with elements) attached when their events came first, as they do. */
export interface NftRuleEvent extends NftObjectEventBase<'rule'> { readonly rule: Rule }
/** A set or map, named or anonymous (`__set0`, flags & NFT_SET_ANONYMOUS). */
export interface NftSetEvent extends NftObjectEventBase<'set'> { readonly set: NftSet }
/** Elements added to or removed from a set. */
export interface NftElementEvent extends NftObjectEventBase<'element'> {
  readonly family: FamilyName;
  readonly table: string;
  readonly set: string;
  /** As nft -j prints them, when the set's shape is known (its set event was seen, or it was in `knownSets`). */
  readonly elements?: readonly ElementJson[];
  /** The elements as the kernel sent them. */
  readonly raw: readonly SetElemAttrs[];
}
/** NFT_MSG_NEWGEN: a commit ended; the ruleset is now generation `genid`. */
export interface NftGenEvent extends NftEventBase<'gen'> {
  readonly genid: number;
  /** The committing process (NFTA_GEN_PROC_PID / _NAME), when the kernel says. */
  readonly pid?: number;
  readonly comm?: string;
}

/** An event about one nftables object (table, chain, set, element batch, rule). */
export type NftObjectEvent = NftTableEvent | NftChainEvent | NftRuleEvent | NftSetEvent | NftElementEvent | NftGenEvent;

/** The kernel dropped notifications (ENOBUFS): what follows may have gaps. */
export interface NftLostEvent extends NftEventBase<'lost'> {}

/** Everything monitorNft yields. */
export type NftEvent = NftObjectEvent | NftLostEvent;

const TYPES: Readonly<Record<number, readonly [NftEventKind, 'new' | 'del']>> = {
  [NFT_MSG_NEWTABLE]: ['table', 'new'], [NFT_MSG_DELTABLE]: ['table', 'del'],
  [NFT_MSG_NEWCHAIN]: ['chain', 'new'], [NFT_MSG_DELCHAIN]: ['chain', 'del'],
  [NFT_MSG_NEWRULE]: ['rule', 'new'], [NFT_MSG_DELRULE]: ['rule', 'del'],
  [NFT_MSG_NEWSET]: ['set', 'new'], [NFT_MSG_DELSET]: ['set', 'del'],
  [NFT_MSG_NEWSETELEM]: ['element', 'new'], [NFT_MSG_DELSETELEM]: ['element', 'del'],
  [NFT_MSG_NEWGEN]: ['gen', 'new'],
};

/** Two element messages about the same set with the same action. */
function sameElementList(a: Message, b: Message): boolean {
  if (a.type !== b.type || ((a.type & 0xff) !== NFT_MSG_NEWSETELEM && (a.type & 0xff) !== NFT_MSG_DELSETELEM)) return false;
  const x = a.attrs as SetElemListAttrs, y = b.attrs as SetElemListAttrs;
  return a.header.family === b.header.family && x.table === y.table && x.set === y.set;
}

const setKey = (family: string, table: string, name: string): string => `${family}\0${table}\0${name}`;

/**
 * Turns nftables notification datagrams into events, remembering set shapes (for elements)
 * and anonymous sets (for rules) across datagrams. One per subscription.
 */
export class NftEventDecoder {
  readonly #kinds: ReadonlySet<NftEventKind>;
  readonly #sets = new Map<string, NftSet>();

  /** `knownSets`: sets that exist already (e.g. from NftHandle.sets()), so their element events decode. */
  constructor(kinds: Iterable<NftEventKind> = NFT_EVENT_KINDS, knownSets: Iterable<NftSet> = []) {
    this.#kinds = new Set(kinds);
    for (const s of knownSets) this.#sets.set(setKey(s.family, s.table, s.name), s);
  }

  /**
   * The events of one datagram, in message order. The kernel sends one message per element;
   * consecutive element messages of one set and action are joined into one event, so an
   * interval's start and end decode together (`10.0.0.0/8`, not two half-intervals).
   */
  decode(dgram: Buffer, time: Date): NftObjectEvent[] {
    const msgs: Message[] = [];
    // The joined element list of the last message (appended to in place: joining by copying
    // was quadratic in the elements of a datagram).
    let joined: SetElemAttrs[] | undefined;
    for (const [s, e] of splitMessages(dgram)) {
      const type = dgram.readUInt16LE(s + 4);
      if (type === NLMSG_NOOP || type === NLMSG_DONE || type === NLMSG_ERROR || type === NLMSG_OVERRUN) continue;
      if (type >> 8 !== NFNL_SUBSYS_NFTABLES || !TYPES[type & 0xff]) continue;
      const m = decodeMessage(nfnetlink, dgram, s, e);
      const prev = msgs[msgs.length - 1];
      if (prev && sameElementList(prev, m)) {
        if (!joined) {
          const pa = prev.attrs as SetElemListAttrs;
          joined = [...(pa.elements ?? [])];
          msgs[msgs.length - 1] = { ...prev, attrs: { ...pa, elements: joined } };
        }
        for (const el of (m.attrs as SetElemListAttrs).elements ?? []) joined.push(el);
      } else {
        msgs.push(m);
        joined = undefined;
      }
    }
    const out: NftObjectEvent[] = [];
    for (const m of msgs) {
      const ev = this.#event(m, time);
      if (ev && this.#kinds.has(ev.kind)) out.push(ev);
    }
    return out;
  }

  #event(m: Message, time: Date): NftObjectEvent | undefined {
    const [kind, action] = TYPES[m.type & 0xff]!;
    switch (kind) {
      case 'table': return { kind, action, table: toTable(m), time };
      case 'chain': return { kind, action, chain: toChain(m), time };
      case 'set': {
        const set = toSet(m);
        const k = setKey(set.family, set.table, set.name);
        if (action === 'new') this.#sets.set(k, set);
        else this.#sets.delete(k);
        return { kind, action, set, time };
      }
      case 'element': {
        const a = m.attrs as SetElemListAttrs;
        const family = familyName(m.header.family), table = a.table ?? '', name = a.set ?? '';
        const raw = a.elements ?? [];
        const k = setKey(family, table, name);
        const set = this.#sets.get(k);
        const elements = set ? decodeElements(set, raw) : undefined;
        // Keep an anonymous set's elements for the rule that follows.
        if (set && elements && action === 'new' && name.startsWith('__')) this.#sets.set(k, { ...set, elements: [...(set.elements ?? []), ...elements], rawElements: [...(set.rawElements ?? []), ...raw] });
        return { kind, action, family, table, set: name, raw, time, ...(elements ? { elements } : {}) };
      }
      case 'rule': {
        const rule = toRule(m);
        const names = rule.exprs.flatMap((x) => {
          const set = x.name === 'lookup' && x.data && !Buffer.isBuffer(x.data) ? (x.data as { set?: unknown }).set : undefined;
          return typeof set === 'string' && set.startsWith('__') ? [set] : [];
        });
        const anon = names.map((n) => this.#sets.get(setKey(rule.family, rule.table, n))).filter((x): x is NftSet => x !== undefined);
        return { kind, action, rule: anon.length ? { ...rule, anonymousSets: anon } : rule, time };
      }
      case 'gen': {
        const a = m.attrs as GenAttrs;
        return { kind: 'gen', genid: a.id ?? 0, time, ...(a.procPid !== undefined ? { pid: a.procPid } : {}), ...(a.procName !== undefined ? { comm: a.procName } : {}) };
      }
    }
  }
}
