/**
 * A listed Ruleset (NftHandle.list()) back into the messages that re-create it: tables (with
 * their flags and comments), named sets and maps (every attribute the kernel dumped: key/data
 * types, flags, policy, size, timeout, gc-interval, userdata with typeof/auto-merge/comment,
 * expressions) with their elements, named objects, chains, and rules with their anonymous sets
 * and maps sent just before them as nft does. Dump-only attributes are cleaned on the way:
 * handles, use counts, set backend and element count, chain counters and the kernel-set
 * NFT_CHAIN_BASE flag, element expiries, NFTA_OSF_FLAGS 0, NFTA_EXTHDR_FLAGS of an exthdr write (`tcp option maxseg size set …`: the kernel
 * dumps it but refuses it on write), and the batch-local set ids are assigned anew.
 */
import { NLM_F_APPEND, NLM_F_CREATE } from '../netlink/header.js';
import type { OutMessage } from '../netlink/message.js';
import type { Chain } from './chain.js';
import type { ChainAttrs } from './chain.schema.js';
import { NFNETLINK_V0, NFT_MSG_NEWCHAIN, NFT_MSG_NEWOBJ, NFT_MSG_NEWRULE, NFT_MSG_NEWSET, NFT_MSG_NEWSETELEM, NFT_MSG_NEWTABLE, NFT_SET_ANONYMOUS, NFT_SET_MAP, nftType } from './constants.js';
import type { ExprAttrs } from './expr.schema.js';
import { familyNumber } from './family.js';
import type { Ruleset } from './handle.js';
import type { NftObject } from './object.js';
import type { ObjAttrs } from './obj.schema.js';
import type { Rule } from './rule.js';
import type { RuleAttrs } from './rule.schema.js';
import type { NftSet } from './set.js';
import type { SetAttrs, SetElemAttrs } from './set.schema.js';
import type { Table } from './table.js';
import type { TableAttrs } from './table.schema.js';
import { hookNumber } from './family.js';

/** One message of a ruleset's batch, with the object it creates named for error reports. */
export interface LabeledMessage { readonly msg: OutMessage; readonly label: string }

/** What the batch provides: fresh NFTA_SET_IDs, and the ids of named sets it creates. */
export interface SetIds {
  /** A fresh NFTA_SET_ID for an anonymous set. */
  next(): number;
  /** The id of a named set this batch creates (`id` given: record it). */
  named(family: string, table: string, name: string, id?: number): number | undefined;
}

const header = (family: string) => ({ family: familyNumber(family as never, 'family'), version: NFNETLINK_V0, resId: 0 });
const NFT_CHAIN_HW_OFFLOAD = 2;
/** Expression attributes that refer to a set by name (lookup, dynset, objref, hash, numgen). */
const SET_NAME_KEYS = ['set'] as const;

function tableMessage(t: Table): LabeledMessage {
  const attrs: TableAttrs = { name: t.name, flags: t.flags & ~2 };
  if (t.userdata) attrs.userdata = t.userdata;
  return { msg: { type: nftType(NFT_MSG_NEWTABLE), flags: NLM_F_CREATE, header: header(t.family), attrs }, label: `NFT_MSG_NEWTABLE ${t.family} ${t.name}` };
}

function chainMessage(c: Chain): LabeledMessage {
  const attrs: ChainAttrs = { table: c.table, name: c.name };
  if (c.hook !== undefined) {
    attrs.hook = { hooknum: typeof c.hook === 'number' ? c.hook : hookNumber(c.family, c.hook, 'chain.hook'), priority: c.priority ?? 0, ...(c.device !== undefined ? { dev: c.device } : {}) };
    if (c.policy !== undefined) attrs.policy = c.policy === 'drop' ? 0 : 1;
    attrs.type = c.type ?? 'filter';
  }
  if (c.flags !== undefined && c.flags & NFT_CHAIN_HW_OFFLOAD) attrs.flags = NFT_CHAIN_HW_OFFLOAD;
  if (c.userdata) attrs.userdata = c.userdata;
  return { msg: { type: nftType(NFT_MSG_NEWCHAIN), flags: NLM_F_CREATE, header: header(c.family), attrs }, label: `NFT_MSG_NEWCHAIN ${c.family} ${c.table} ${c.name}` };
}

/** The set's attributes as they can be written (no handle; name and id given). */
function setAttrs(s: NftSet, name: string, id: number): SetAttrs {
  const { handle: _h, table: _t, name: _n, id: _i, pad: _p, backend: _b, count: _c, ...rest } = (s.attrs ?? {}) as SetAttrs;
  const out: SetAttrs = { table: s.table, name, flags: s.flags, keyType: s.keyType, keyLen: s.keyLen };
  Object.assign(out, rest);
  out.id = id;
  return out;
}

/** Elements as they can be written: no expiry (the kernel counts it from the new timeout). */
export function writableElements(els: readonly SetElemAttrs[]): SetElemAttrs[] {
  return els.map((e) => { const { expiration: _x, pad: _p, ...rest } = e; return rest; });
}

function setMessages(s: NftSet, name: string, id: number): LabeledMessage[] {
  const out: LabeledMessage[] = [{ msg: { type: nftType(NFT_MSG_NEWSET), flags: NLM_F_CREATE, header: header(s.family), attrs: setAttrs(s, name, id) }, label: `NFT_MSG_NEWSET ${s.family} ${s.table} ${s.name}` }];
  const els = writableElements(s.rawElements ?? []);
  // A generous chunk per message (the kernel takes any number; nft splits by buffer size).
  for (let i = 0; i < els.length; i += 512) {
    out.push({
      msg: { type: nftType(NFT_MSG_NEWSETELEM), flags: NLM_F_CREATE, header: header(s.family), attrs: { table: s.table, set: name, setId: id, elements: els.slice(i, i + 512) } },
      label: `NFT_MSG_NEWSETELEM ${s.family} ${s.table} ${s.name}`,
    });
  }
  return out;
}

function objectMessage(o: NftObject): LabeledMessage {
  const attrs: ObjAttrs = { table: o.table, name: o.name, type: o.typeId, data: o.data as ObjAttrs['data'] };
  if (o.userdata) attrs.userdata = o.userdata;
  return { msg: { type: nftType(NFT_MSG_NEWOBJ), flags: NLM_F_CREATE, header: header(o.family), attrs }, label: `NFT_MSG_NEWOBJ ${o.family} ${o.table} ${o.type} ${o.name}` };
}

/** An expression as it can be written: dump-only attributes dropped, set references given their batch ids. */
export function writableExpr(e: ExprAttrs, ref: (name: string) => { name: string; id?: number } | undefined): ExprAttrs {
  if (!e.data || Buffer.isBuffer(e.data)) return e;
  let d = { ...(e.data as Record<string, unknown>) };
  if (e.name === 'exthdr' && d['sreg'] !== undefined) delete d['flags'];
  // osf dumps NFTA_OSF_FLAGS 0, but refuses any value other than NFT_OSF_F_VERSION on write.
  if (e.name === 'osf' && !d['flags']) delete d['flags'];
  if (e.name === 'dynset') {
    // The kernel dumps a single expression both ways; write it once.
    if (Array.isArray(d['expressions']) && d['expr'] !== undefined) delete d['expr'];
    if (Array.isArray(d['expressions'])) d['expressions'] = (d['expressions'] as ExprAttrs[]).map((x) => writableExpr(x, ref));
    if (d['timeout'] === 0n) delete d['timeout'];
  }
  for (const k of SET_NAME_KEYS) {
    const name = d[k];
    if (typeof name !== 'string') continue;
    const r = ref(name);
    if (!r) continue;
    const idKey = 'setId';
    const next: Record<string, unknown> = {};
    // Keep nft's attribute order: the id right after the name.
    for (const [key, v] of Object.entries(d)) {
      if (key === idKey) continue;
      next[key] = key === k ? r.name : v;
      if (key === k && r.id !== undefined) next[idKey] = r.id;
    }
    d = next;
  }
  return { ...e, data: d } as ExprAttrs;
}

function ruleMessages(r: Rule, sets: readonly NftSet[], ids: SetIds): LabeledMessage[] {
  const out: LabeledMessage[] = [];
  const anon = new Map<string, { name: string; id: number }>();
  const ref = (name: string): { name: string; id?: number } | undefined => {
    if (name.startsWith('__')) {
      let a = anon.get(name);
      if (!a) {
        const s = sets.find((x) => x.family === r.family && x.table === r.table && x.name === name);
        if (!s) throw new RangeError(`rule ${r.family} ${r.table} ${r.chain} handle ${r.handle}: anonymous set ${name} is not in the listing`);
        a = { name: (s.flags & NFT_SET_MAP) !== 0 ? '__map%d' : '__set%d', id: ids.next() };
        anon.set(name, a);
        out.push(...setMessages({ ...s, flags: s.flags | NFT_SET_ANONYMOUS }, a.name, a.id));
      }
      return a;
    }
    const id = ids.named(r.family, r.table, name);
    return id !== undefined ? { name, id } : undefined;
  };
  const exprs = r.exprs.map((e) => writableExpr(e, ref));
  const attrs: RuleAttrs = { table: r.table, chain: r.chain, expressions: exprs };
  if (r.userdata) attrs.userdata = r.userdata;
  out.push({ msg: { type: nftType(NFT_MSG_NEWRULE), flags: NLM_F_CREATE | NLM_F_APPEND, header: header(r.family), attrs }, label: `NFT_MSG_NEWRULE ${r.family} ${r.table} ${r.chain}` });
  return out;
}

/** Every message that re-creates `rs`, in the order nft writes a ruleset file (table, chains, sets with elements, objects, rules). */
export function rulesetMessages(rs: Pick<Ruleset, 'tables' | 'chains' | 'sets' | 'rules'> & Partial<Pick<Ruleset, 'objects'>>, ids: SetIds): LabeledMessage[] {
  const out: LabeledMessage[] = [];
  const same = (t: Table) => (x: { family: string; table: string }): boolean => x.family === t.family && x.table === t.name;
  for (const t of rs.tables) {
    out.push(tableMessage(t));
    // Chains first (as nft does): map elements may jump to them.
    for (const c of rs.chains.filter(same(t))) out.push(chainMessage(c));
    const sets = rs.sets.filter(same(t));
    for (const s of sets) {
      if ((s.flags & NFT_SET_ANONYMOUS) !== 0 || s.name.startsWith('__')) continue;
      const id = ids.next();
      ids.named(s.family, s.table, s.name, id);
      out.push(...setMessages(s, s.name, id));
    }
    for (const o of (rs.objects ?? []).filter(same(t))) out.push(objectMessage(o));
    for (const r of rs.rules.filter(same(t))) out.push(...ruleMessages(r, sets, ids));
  }
  return out;
}
