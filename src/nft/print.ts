/**
 * Rules back to nft's language. `ruleStatements()` reads a rule's expressions the way nft's
 * netlink_delinearize does for the common cases — it follows registers from payload/meta/ct
 * loads through bitwise to cmp/range/lookup, drops the dependency matches nft itself hides
 * (`meta nfproto ipv4` before an ip match in inet, `meta l4proto tcp` before `tcp dport`) and
 * names fields and values — into statements shaped like `nft -j list ruleset` prints them.
 * `ruleText()` renders those as nft syntax (`ip saddr 192.168.15.0/24 oifname != "v-net-0"
 * masquerade`). A rule with anything else falls back to `ruleDebug()`: one
 * `[ payload load 4b @ network header + 12 => reg 1 ]` line per expression, as
 * `nft --debug=netlink` prints it.
 */
import { formatIPv4, formatIPv6 } from '../netlink/ip.js';
import { NF_ACCEPT, NF_DROP, NFPROTO_IPV4, NFPROTO_IPV6, NFT_GOTO, NFT_JUMP, NFT_REG_VERDICT, NFT_RETURN } from './constants.js';
import type { DataAttrs } from './data.js';
import type { ExprAttrs } from './expr.schema.js';
import type { ExprModule } from './expr/module.js';
import { EXPRS } from './expr/registry.js';
import { CT_STATES, L4PROTOS } from './rule-builder.js';
import type { Rule } from './rule.js';
import type { NftSet } from './set.js';
import { q, statementText } from './print-text.js';

export { statementText } from './print-text.js';

/** A statement in the shape `nft -j` uses (`{ match: { op, left, right } }`, `{ accept: null }`, …). */
export type Statement = Record<string, unknown>;

type Source =
  | { kind: 'payload'; base: number; offset: number; len: number; mask?: Buffer }
  | { kind: 'meta'; key: number }
  | { kind: 'ct'; key: number; mask?: Buffer }
  | { kind: 'imm'; value: Buffer }
  | { kind: 'map'; key: Statement; data: unknown };

class Unprintable extends Error {}

const META_JSON: Readonly<Record<number, string>> = {
  0: 'length', 1: 'protocol', 2: 'priority', 3: 'mark', 4: 'iif', 5: 'oif', 6: 'iifname', 7: 'oifname', 8: 'iiftype', 9: 'oiftype',
  10: 'skuid', 11: 'skgid', 12: 'nftrace', 15: 'nfproto', 16: 'l4proto', 19: 'pkttype', 20: 'cpu', 21: 'iifgroup', 22: 'oifgroup',
};
const PROTO_NAMES = Object.fromEntries(Object.entries(L4PROTOS).map(([k, v]) => [v, k])) as Record<number, string>;
const CT_STATE_NAMES = Object.entries(CT_STATES) as [string, number][];

const dataValue = (d: unknown): Buffer => {
  const v = (d as DataAttrs | undefined)?.value;
  if (!v) throw new Unprintable('not a value');
  return v;
};

/** Which nft field a payload load reads, given the table family and the rule's context. */
function payloadField(src: Extract<Source, { kind: 'payload' }>, ctx: { nfproto?: number; l4proto?: number }): { protocol: string; field: string; size: number } {
  if (src.base === 1) {
    const v6 = ctx.nfproto === NFPROTO_IPV6;
    const fields: Record<number, [string, number]> = v6 ? { 6: ['nexthdr', 1], 7: ['hoplimit', 1], 8: ['saddr', 16], 24: ['daddr', 16] } : { 9: ['protocol', 1], 8: ['ttl', 1], 12: ['saddr', 4], 16: ['daddr', 4] };
    const f = fields[src.offset];
    if (!f || src.len > f[1]) throw new Unprintable('network header field');
    return { protocol: v6 ? 'ip6' : 'ip', field: f[0], size: f[1] };
  }
  if (src.base === 2 && (ctx.l4proto === 6 || ctx.l4proto === 17) && src.len === 2 && (src.offset === 0 || src.offset === 2)) {
    return { protocol: ctx.l4proto === 6 ? 'tcp' : 'udp', field: src.offset === 0 ? 'sport' : 'dport', size: 2 };
  }
  throw new Unprintable('payload field');
}

function fieldValue(protocol: string, field: string, v: Buffer): unknown {
  if (field === 'saddr' || field === 'daddr') {
    const full = Buffer.alloc(protocol === 'ip6' ? 16 : 4);
    v.copy(full);
    return protocol === 'ip6' ? formatIPv6(full, 0) : formatIPv4(full, 0);
  }
  if (field === 'sport' || field === 'dport') return v.readUInt16BE(0);
  if (field === 'protocol' || field === 'nexthdr') return PROTO_NAMES[v[0]!] ?? v[0];
  return v.length === 1 ? v[0] : v.toString('hex');
}

const prefixLen = (mask: Buffer): number => {
  let n = 0;
  for (const b of mask) for (let bit = 7; bit >= 0; bit--) if (b & (1 << bit)) n++;
  return n;
};

function metaValue(key: number, v: Buffer): unknown {
  const name = META_JSON[key];
  if (name === 'iifname' || name === 'oifname') {
    const nul = v.indexOf(0);
    return v.toString('utf8', 0, nul < 0 ? v.length : nul);
  }
  if (name === 'l4proto') return PROTO_NAMES[v[0]!] ?? v[0];
  if (name === 'nfproto') return v[0] === NFPROTO_IPV4 ? 'ipv4' : v[0] === NFPROTO_IPV6 ? 'ipv6' : v[0];
  if (v.length === 4) return v.readUInt32LE(0);
  if (v.length === 1) return v[0];
  throw new Unprintable('meta value');
}

/** Bytes a source puts in its register. */
function srcLen(s: Source): number {
  if (s.kind === 'payload') return s.len;
  if (s.kind === 'imm') return s.value.length;
  if (s.kind === 'meta') return s.key === 6 || s.key === 7 ? 16 : s.key === 15 || s.key === 16 ? 1 : 4;
  return 4;
}

const OPS: Readonly<Record<number, string>> = { 0: '==', 1: '!=', 2: '<', 3: '<=', 4: '>', 5: '>=' };

/** nft-JSON statements for a rule's expressions; throws if any expression is outside the common set. */
function statements(exprs: readonly ExprAttrs[], family: string, sets: readonly NftSet[] | undefined): Statement[] {
  const regs = new Map<number, Source>();
  /** When each register was last written (to find the later components of a concatenation). */
  const written = new Map<number, number>();
  let clock = 0;
  const load = (k: number, v: Source): void => { regs.set(k, v); written.set(k, ++clock); };
  const out: (Statement & { $dep?: 'l3' | 'l4' })[] = [];
  const ctx: { nfproto?: number; l4proto?: number } = family === 'ip' ? { nfproto: NFPROTO_IPV4 } : family === 'ip6' ? { nfproto: NFPROTO_IPV6 } : {};
  const dropDep = (layer: 'l3' | 'l4'): void => {
    const i = out.findIndex((s) => s.$dep === layer);
    if (i >= 0) out.splice(i, 1);
  };
  const reg = (n: unknown): Source => {
    const s = regs.get(n as number);
    if (!s) throw new Unprintable('register not loaded');
    return s;
  };
  for (let i = 0; i < exprs.length; i++) {
    const e = exprs[i]!;
    const d = (e.data ?? {}) as Record<string, any>;
    if (Buffer.isBuffer(e.data)) throw new Unprintable('opaque expression');
    switch (e.name) {
      case 'payload':
        if (d['sreg'] !== undefined) throw new Unprintable('payload write');
        load(d['dreg'], { kind: 'payload', base: d['base'], offset: d['offset'], len: d['len'] });
        break;
      case 'meta':
        if (d['sreg'] !== undefined) throw new Unprintable('meta set');
        load(d['dreg'], { kind: 'meta', key: d['key'] });
        break;
      case 'ct':
        if (d['sreg'] !== undefined || d['direction'] !== undefined) throw new Unprintable('ct set/direction');
        load(d['dreg'], { kind: 'ct', key: d['key'] });
        break;
      case 'bitwise': {
        const s = reg(d['sreg']);
        if ((d['op'] ?? 0) !== 0 || s.kind === 'meta' || s.kind === 'imm' || s.kind === 'map' || dataValue(d['xor']).some((b) => b !== 0)) throw new Unprintable('bitwise');
        load(d['dreg'], { ...s, mask: dataValue(d['mask']) });
        break;
      }
      case 'immediate':
        if (d['dreg'] === NFT_REG_VERDICT) {
          const v = d['data']?.verdict;
          if (!v) throw new Unprintable('verdict');
          const code = v.code;
          if (code === NF_ACCEPT) out.push({ accept: null });
          else if (code === NF_DROP) out.push({ drop: null });
          else if (code === NFT_RETURN) out.push({ return: null });
          else if (code === NFT_JUMP) out.push({ jump: { target: v.chain } });
          else if (code === NFT_GOTO) out.push({ goto: { target: v.chain } });
          else throw new Unprintable('verdict code');
        } else load(d['dreg'], { kind: 'imm', value: dataValue(d['data']) });
        break;
      case 'cmp': {
        const s = reg(d['sreg']);
        const v = dataValue(d['data']);
        let op = OPS[d['op']];
        if (!op) throw new Unprintable('cmp op');
        if (s.kind === 'meta') {
          const key = META_JSON[s.key];
          if (!key) throw new Unprintable('meta key');
          const right = metaValue(s.key, v);
          if (key === 'nfproto' && op === '==') { ctx.nfproto = v[0]; out.push({ match: { op, left: { meta: { key } }, right }, $dep: 'l3' }); break; }
          if (key === 'l4proto' && op === '==') { ctx.l4proto = v[0]; out.push({ match: { op, left: { meta: { key } }, right }, $dep: 'l4' }); break; }
          out.push({ match: { op, left: { meta: { key } }, right } });
        } else if (s.kind === 'ct') {
          if (s.key !== 0 || !s.mask || op !== '!=' || v.some((b) => b !== 0)) throw new Unprintable('ct match');
          const bits = s.mask.readUInt32LE(0);
          const names = CT_STATE_NAMES.filter(([, b]) => bits & b).map(([n]) => n);
          out.push({ match: { op: 'in', left: { ct: { key: 'state' } }, right: names.length === 1 ? names[0] : names } });
        } else if (s.kind === 'payload') {
          const f = payloadField(s, ctx);
          dropDep(s.base === 1 ? 'l3' : 'l4');
          if (f.protocol === 'ip' && f.field === 'protocol' && op === '==') ctx.l4proto = v[0];
          let right: unknown = fieldValue(f.protocol, f.field, v);
          if (s.mask) right = { prefix: { addr: right, len: prefixLen(s.mask) } };
          else if (s.len < f.size) right = { prefix: { addr: right, len: s.len * 8 } };
          // nft writes `dport 1000-2000` as `>= 1000` then `<= 2000` on the same register.
          const next = exprs[i + 1];
          const nd = next?.data as Record<string, any> | undefined;
          if (op === '>=' && next?.name === 'cmp' && nd?.['sreg'] === d['sreg'] && nd?.['op'] === 3) {
            right = { range: [right, fieldValue(f.protocol, f.field, dataValue(nd['data']))] };
            op = '==';
            i++;
          }
          out.push({ match: { op, left: { payload: { protocol: f.protocol, field: f.field } }, right } });
        } else throw new Unprintable('cmp on immediate');
        break;
      }
      case 'lookup': {
        if (typeof d['set'] !== 'string') throw new Unprintable('lookup');
        const set = d['set'].startsWith('__') ? sets?.find((x) => x.name === d['set']) : undefined;
        // The key: the source register, and for a concatenation the 32-bit registers after it
        // loaded after it (nft puts field i at NFT_REG32_00 + the rounded length before it).
        const first = d['sreg'] as number;
        const comps: Source[] = [reg(first)];
        let words = (srcLen(comps[0]!) + 3) >> 2;
        const base = first >= 8 ? first - 8 : (first - 1) * 4;
        for (let prev = first; ;) {
          const next = 8 + base + words;
          const src = regs.get(next);
          if (!src || (written.get(next) ?? 0) <= (written.get(prev) ?? 0) || (set && words * 4 >= set.keyLen)) break;
          comps.push(src);
          words += (srcLen(src) + 3) >> 2;
          prev = next;
        }
        if (set && words * 4 !== set.keyLen && comps.length > 1) throw new Unprintable('concatenation length');
        const lefts = comps.map((c): Statement => {
          if (c.kind === 'payload' && !c.mask) {
            const f = payloadField(c, ctx);
            dropDep(c.base === 1 ? 'l3' : 'l4');
            return { payload: { protocol: f.protocol, field: f.field } };
          }
          if (c.kind === 'meta' && META_JSON[c.key]) return { meta: { key: META_JSON[c.key] } };
          throw new Unprintable('lookup key');
        });
        const left: Statement = lefts.length > 1 ? { concat: lefts } : lefts[0]!;
        let right: unknown = `@${d['set']}`;
        if (d['set'].startsWith('__')) {
          // An anonymous set: its elements come from the listing (NftHandle.list fetches them).
          if (!set?.elements) throw new Unprintable('anonymous set contents');
          right = { set: set.elements };
        }
        if (d['dreg'] === undefined) out.push({ match: { op: d['flags'] & 1 ? '!=' : '==', left, right } });
        else if (d['dreg'] === NFT_REG_VERDICT) out.push({ vmap: { key: left, data: right } });
        else load(d['dreg'], { kind: 'map', key: left, data: right });
        break;
      }
      case 'counter':
        out.push({ counter: { packets: Number(d['packets'] ?? 0n), bytes: Number(d['bytes'] ?? 0n) } });
        break;
      case 'masq':
        if (d['regProtoMin'] !== undefined || d['flags']) throw new Unprintable('masq options');
        out.push({ masquerade: null });
        break;
      case 'nat': {
        const addr = d['regAddrMin'] !== undefined ? reg(d['regAddrMin']) : undefined;
        const port = d['regProtoMin'] !== undefined ? reg(d['regProtoMin']) : undefined;
        // The kernel reports REG_*_MAX equal to REG_*_MIN when only the minimum was given.
        if ((d['regAddrMax'] !== undefined && d['regAddrMax'] !== d['regAddrMin']) || (d['regProtoMax'] !== undefined && d['regProtoMax'] !== d['regProtoMin'])
          || (addr && addr.kind !== 'imm' && addr.kind !== 'map') || (port && port.kind !== 'imm')) throw new Unprintable('nat range');
        const body: Record<string, unknown> = {};
        if (addr?.kind === 'map') body['addr'] = { map: { key: addr.key, data: addr.data } };
        if (addr?.kind === 'imm') body['addr'] = addr.value.length === 4 ? formatIPv4(addr.value, 0) : formatIPv6(addr.value, 0);
        if (port?.kind === 'imm') body['port'] = port.value.readUInt16BE(0);
        out.push({ [d['type'] === 1 ? 'dnat' : 'snat']: body });
        break;
      }
      case 'redir':
        if (d['regProtoMin'] !== undefined || d['flags']) throw new Unprintable('redir options');
        out.push({ redirect: null });
        break;
      case 'notrack':
        out.push({ notrack: null });
        break;
      case 'log': {
        const body: Record<string, unknown> = {};
        if (d['prefix'] !== undefined) body['prefix'] = d['prefix'];
        if (d['group'] !== undefined) body['group'] = d['group'];
        // NFT_LOGLEVEL_WARNING (4) is the default the kernel reports back.
        if (d['level'] !== undefined && d['level'] !== 4) body['level'] = ({ 0: 'emerg', 1: 'alert', 2: 'crit', 3: 'err', 5: 'notice', 6: 'info', 7: 'debug', 8: 'audit' } as Record<number, string>)[d['level']] ?? d['level'];
        out.push({ log: Object.keys(body).length ? body : null });
        break;
      }
      case 'limit': {
        const per = ({ '1': 'second', '60': 'minute', '3600': 'hour', '86400': 'day', '604800': 'week' } as Record<string, string>)[String(d['unit'])];
        if (!per || d['type'] || d['flags']) throw new Unprintable('limit');
        out.push({ limit: { rate: Number(d['rate']), burst: d['burst'] ?? 0, per } });
        break;
      }
      case 'reject':
        if (d['type'] === 1) out.push({ reject: { type: 'tcp reset' } });
        else throw new Unprintable('reject type');
        break;
      default:
        throw new Unprintable(e.name ?? '?');
    }
  }
  return out.map(({ $dep: _, ...s }) => s);
}

/**
 * nft-JSON statements of a rule (`nft -j list ruleset` "expr"), or undefined if it uses
 * expressions outside the common set. Anonymous sets and maps print as `{ set: [...] }` from
 * `r.anonymousSets` (NftHandle.list and rules() fill it).
 */
export function ruleStatements(r: Pick<Rule, 'exprs' | 'family' | 'anonymousSets'>): Statement[] | undefined {
  try {
    return statements(r.exprs, r.family, r.anonymousSets);
  } catch (err) {
    if (err instanceof Unprintable) return undefined;
    throw err;
  }
}

/** `[ payload load 4b @ network header + 12 => reg 1 ]` lines, as `nft --debug=netlink` prints the rule. */
export function ruleDebug(r: Pick<Rule, 'exprs'>): string[] {
  return r.exprs.map((e) => {
    const m = (EXPRS as Record<string, ExprModule<any>>)[e.name ?? ''];
    if (!m || Buffer.isBuffer(e.data)) return Buffer.isBuffer(e.data) && e.data.length ? `[ ${e.name} ${e.data.toString('hex')} ]` : `[ ${e.name} ]`;
    return `[ ${m.debug(e.data ?? {})} ]`;
  });
}

/** The rule as nft syntax, or its debug form (lines joined with newlines) when outside the common set. */
export function ruleText(r: Pick<Rule, 'exprs' | 'family' | 'comment' | 'anonymousSets'>): string {
  const st = ruleStatements(r);
  if (!st) return ruleDebug(r).join('\n');
  const text = st.map(statementText).join(' ');
  return r.comment !== undefined ? `${text} comment ${q(r.comment)}` : text;
}
