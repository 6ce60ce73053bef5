/**
 * The nftables ruleset as `nft list ruleset` prints it (text, with `-a` handles), and as
 * `nft -j list ruleset` shapes it (JSON, without its metainfo object), from a listing
 * (NftHandle.list() or rulesetFromMessages): tables with flags and comments, named sets and
 * maps, named objects, chains, rules. `netlink-dump nft` prints these.
 */
import type { Chain } from '../chain.js';
import type { Ruleset } from '../handle.js';
import { elementsPerLine, elementsText } from '../print-text.js';
import type { NftObject } from '../object.js';
import { ruleDebug, ruleRendered, ruleStatements, ruleText } from '../print.js';
import { objectJson, objectText } from './objects.js';
import { setBlockJson, setBlockText } from './set-print.js';
import { Unprintable } from './tree.js';
import { parseUdata } from '../userdata.js';
import type { Rule } from '../rule.js';
import type { NftSet } from '../set.js';
import type { Table } from '../table.js';
export type { NftObject };
/** A JSON object in `nft -j` shape. */
export type JsonObject = Record<string, unknown>;

const NFT_SET_ANONYMOUS = 1;
/** NFT_SET_* flag bits nft prints after `flags` (constant, interval, timeout, dynamic), in nft's order. */
const SET_FLAGS: readonly [number, string][] = [[0x2, 'constant'], [0x4, 'interval'], [0x10, 'timeout'], [0x20, 'dynamic']];
/** nft's standard priority names per family (nftables src/rule.c std_prios / bridge_std_prios). */
const PRIO_NAMES: readonly [number, string][] = [[-300, 'raw'], [-150, 'mangle'], [-100, 'dstnat'], [0, 'filter'], [50, 'security'], [100, 'srcnat']];
const BRIDGE_PRIO_NAMES: readonly [number, string][] = [[-300, 'dstnat'], [-200, 'filter'], [100, 'out'], [300, 'srcnat']];

/** `priority srcnat`, `priority filter + 5`, `priority -200` (named within ±10 as nft 1.0 does). */
export function priorityText(c: Pick<Chain, 'family' | 'priority' | 'hook'>): string {
  const p = c.priority ?? 0;
  let names: readonly [number, string][] = [];
  if (c.family === 'ip' || c.family === 'ip6' || c.family === 'inet') {
    names = PRIO_NAMES.filter(([, n]) => !((n === 'dstnat' && c.hook !== 'prerouting') || (n === 'srcnat' && c.hook !== 'postrouting')));
  } else if (c.family === 'bridge') names = BRIDGE_PRIO_NAMES;
  else if (c.family === 'arp' || c.family === 'netdev') names = [[0, 'filter']];
  for (const [v, name] of names) if (p === v) return name;
  for (const [v, name] of names) if (Math.abs(p - v) <= 10) return p > v ? `${name} + ${p - v}` : `${name} - ${v - p}`;
  return String(p);
}

/** The NFT_SET_* flags nft prints (`constant`, `interval`, …). */
export const setFlagNames = (s: Pick<NftSet, 'flags'>): string[] => SET_FLAGS.filter(([b]) => s.flags & b).map(([, n]) => n);

const isAnon = (s: NftSet): boolean => (s.flags & NFT_SET_ANONYMOUS) !== 0 || s.name.startsWith('__');
const typeName = (s: NftSet): string => (Array.isArray(s.type) ? s.type.join(' . ') : String(s.type ?? `0x${s.keyType.toString(16)}`));
const handleNote = (h: bigint, on: boolean): string => (on ? ` # handle ${h}` : '');
const sameTable = (t: Table) => (x: { family: string; table: string }): boolean => x.family === t.family && x.table === t.name;

/** A rule's text: nft syntax, or (for an expression nft cannot print either) its expressions as `nft --debug=netlink` shows them. */
export function ruleLine(r: Rule, sets: readonly NftSet[] = []): string {
  return ruleRendered(r, sets) ? ruleText(r, sets) : `# not printable as nft syntax: ${ruleDebug(r).join(' ')}`;
}

/** The comment nft keeps in table and chain userdata (NFTNL_UDATA_TABLE_COMMENT / CHAIN_COMMENT, type 0). */
function udataComment(u: Buffer | undefined): string | undefined {
  if (!u) return undefined;
  try {
    const t = parseUdata(u).find((x) => x.type === 0);
    if (!t) return undefined;
    const n = t.value.indexOf(0);
    return t.value.toString('utf8', 0, n < 0 ? t.value.length : n);
  } catch {
    return undefined;
  }
}

/** A named set's block; a set this printer cannot type falls back to the short form. */
function setText(s: NftSet, handles: boolean): string[] {
  try {
    return setBlockText(s, handles);
  } catch (err) {
    if (!(err instanceof Unprintable)) throw err;
    const kw = s.map !== undefined || s.dataType !== undefined ? 'map' : 'set';
    const lines = [`\t${kw} ${s.name} {${handleNote(s.handle, handles)}`, `\t\ttype ${typeName(s)}${kw === 'map' ? ` : ${s.map ?? `0x${(s.dataType ?? 0).toString(16)}`}` : ''}`];
    const flags = setFlagNames(s);
    if (flags.length) lines.push(`\t\tflags ${flags.join(',')}`);
    if (s.elements?.length) lines.push(`\t\telements = ${elementsText(s.elements, Array.isArray(s.type) ? undefined : String(s.type), elementsPerLine(s.type))}`);
    lines.push('\t}');
    return lines;
  }
}

function chainText(c: Chain, rules: readonly Rule[], sets: readonly NftSet[], handles: boolean): string[] {
  const lines = [`\tchain ${c.name} {${handleNote(c.handle, handles)}`];
  const comment = udataComment(c.userdata);
  if (comment !== undefined) lines.push(`\t\tcomment "${comment}"`);
  if (c.hook !== undefined) {
    const dev = c.device !== undefined ? ` device ${JSON.stringify(c.device)}` : '';
    lines.push(`\t\ttype ${c.type ?? 'filter'} hook ${c.hook}${dev} priority ${priorityText(c)}; policy ${c.policy ?? 'accept'};`);
  }
  for (const r of rules) lines.push(`\t\t${ruleLine(r, sets)}${handleNote(r.handle, handles)}`);
  lines.push('\t}');
  return lines;
}

/** The ruleset as `nft list ruleset` (with `handles`: `nft -a list ruleset`) prints it; '' when empty. */
export function rulesetText(rs: Ruleset, handles = false): string {
  const out: string[] = [];
  for (const t of rs.tables) {
    const blocks: string[][] = [];
    const sets = rs.sets.filter(sameTable(t));
    for (const s of sets) if (!isAnon(s)) blocks.push(setText(s, handles));
    for (const o of (rs.objects ?? []).filter(sameTable(t))) blocks.push(objectText(o, handles));
    for (const c of rs.chains.filter(sameTable(t))) {
      blocks.push(chainText(c, rs.rules.filter((r) => r.family === c.family && r.table === c.table && r.chain === c.name), sets, handles));
    }
    out.push(`table ${t.family} ${t.name} {${handleNote(t.handle, handles)}`);
    const comment = udataComment(t.userdata);
    if (t.flags & 1) { out.push('\tflags dormant'); if (blocks.length) out.push(''); }
    if (comment !== undefined) out.push(`\tcomment "${comment}"`);
    blocks.forEach((b, i) => { if (i) out.push(''); out.push(...b); });
    out.push('}');
  }
  return out.join('\n');
}

/** One table as an `nft -j` object. */
export const tableJson = (t: Table): JsonObject => ({ table: { family: t.family, name: t.name, handle: Number(t.handle), ...(t.flags & 1 ? { flags: t.name } : {}) } });

/** One chain as an `nft -j` object (`prio` a number, and no `dev` for netdev chains: nft 1.0.6 -j leaves it out). */
export function chainJson(c: Chain): JsonObject {
  const base = c.hook !== undefined ? { type: c.type ?? 'filter', hook: c.hook, prio: c.priority ?? 0, policy: c.policy ?? 'accept' } : {};
  return { chain: { family: c.family, table: c.table, name: c.name, handle: Number(c.handle), ...base } };
}

/** A named set or map as an `nft -j` object. */
export function setJson(s: NftSet): JsonObject {
  const kw = s.map !== undefined || s.dataType !== undefined ? 'map' : 'set';
  const flags = setFlagNames(s);
  return {
    [kw]: {
      family: s.family, name: s.name, table: s.table, type: Array.isArray(s.type) ? [...s.type] : typeName(s), handle: Number(s.handle),
      ...(kw === 'map' ? { map: s.map ?? s.dataType } : {}),
      ...(flags.length ? { flags } : {}),
      ...(s.elements?.length ? { elem: s.elements } : {}),
    },
  };
}

/**
 * A rule as an `nft -j` object (comment before expr, as nft orders them). A rule nft itself
 * could not print keeps `expr`, with each expression as `{ "expr": { name, debug } }` (its
 * `nft --debug=netlink` line), so JSON never loses it.
 */
export function ruleJson(r: Rule, sets: readonly NftSet[] = []): JsonObject {
  const expr = ruleStatements(r, sets) ?? r.exprs.map((e, i) => ({ expr: { name: e.name ?? '', debug: ruleDebug({ exprs: [e] })[0]!.slice(2, -2), index: i } }));
  return { rule: { family: r.family, table: r.table, chain: r.chain, handle: Number(r.handle), ...(r.comment !== undefined ? { comment: r.comment } : {}), expr: expr as unknown as JsonObject } };
}

/** A named set as nft -j prints it (typeof, size, timeouts, element options), or the short form if it cannot be typed. */
function setJsonFull(s: NftSet): JsonObject {
  try {
    return setBlockJson(s) as JsonObject;
  } catch (err) {
    if (!(err instanceof Unprintable)) throw err;
    return setJson(s);
  }
}

/**
 * The ruleset as `nft -j list ruleset` shapes it: `{ nftables: [ {table}, {set|map}…, {chain}…, {rule}… ] }`
 * per table, but without nft's leading `metainfo` object.
 */
export function rulesetJson(rs: Ruleset): JsonObject {
  const items: JsonObject[] = [];
  for (const t of rs.tables) {
    items.push(tableJson(t));
    const sets = rs.sets.filter(sameTable(t));
    for (const s of sets) if (!isAnon(s)) items.push(setJsonFull(s));
    for (const o of (rs.objects ?? []).filter(sameTable(t))) items.push(objectJson(o) as JsonObject);
    for (const c of rs.chains.filter(sameTable(t))) items.push(chainJson(c));
    for (const r of rs.rules.filter(sameTable(t))) items.push(ruleJson(r, sets));
  }
  return { nftables: items };
}
