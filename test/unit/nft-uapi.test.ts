// Cross-check every number of the nftables layer against the kernel's uapi headers
// (<linux/netfilter/nf_tables.h>, <linux/netfilter/nfnetlink.h>, <linux/netfilter.h>, …), as
// uapi-constants.test.ts does for rtnetlink: the headers are the truth (STYLE.md §2).
// Reads /usr/include, or the include root in $UAPI_INCLUDE.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttrSet } from '../../src/netlink/schema.js';
import * as constants from '../../src/nft/constants.js';
import * as nfgenmsg from '../../src/nft/nfgenmsg.js';
import * as data from '../../src/nft/data.js';
import * as tableSchema from '../../src/nft/table.schema.js';
import * as chainSchema from '../../src/nft/chain.schema.js';
import * as ruleSchema from '../../src/nft/rule.schema.js';
import * as setSchema from '../../src/nft/set.schema.js';
import * as genSchema from '../../src/nft/gen.schema.js';
import * as objSchema from '../../src/nft/obj.schema.js';
import * as flowtableSchema from '../../src/nft/flowtable.schema.js';
import * as exprSchema from '../../src/nft/expr.schema.js';
import * as payload from '../../src/nft/expr/payload.js';
import * as cmp from '../../src/nft/expr/cmp.js';
import * as bitwise from '../../src/nft/expr/bitwise.js';
import * as meta from '../../src/nft/expr/meta.js';
import * as immediate from '../../src/nft/expr/immediate.js';
import * as counter from '../../src/nft/expr/counter.js';
import * as ct from '../../src/nft/expr/ct.js';
import * as lookup from '../../src/nft/expr/lookup.js';
import * as range from '../../src/nft/expr/range.js';
import * as masq from '../../src/nft/expr/masq.js';
import * as nat from '../../src/nft/expr/nat.js';
import * as redir from '../../src/nft/expr/redir.js';
import * as reject from '../../src/nft/expr/reject.js';
import * as log from '../../src/nft/expr/log.js';
import * as limit from '../../src/nft/expr/limit.js';
import * as notrack from '../../src/nft/expr/notrack.js';
import * as exthdrExpr from '../../src/nft/expr/exthdr.js';
import * as fibExpr from '../../src/nft/expr/fib.js';
import * as byteorderExpr from '../../src/nft/expr/byteorder.js';
import * as dynsetExpr from '../../src/nft/expr/dynset.js';
import * as objrefExpr from '../../src/nft/expr/objref.js';
import * as quotaExpr from '../../src/nft/expr/quota.js';
import * as connlimitExpr from '../../src/nft/expr/connlimit.js';
import * as hashExpr from '../../src/nft/expr/hash.js';
import * as numgenExpr from '../../src/nft/expr/numgen.js';
import * as rtExpr from '../../src/nft/expr/rt.js';
import * as socketExpr from '../../src/nft/expr/socket.js';
import * as tproxyExpr from '../../src/nft/expr/tproxy.js';
import * as synproxyExpr from '../../src/nft/expr/synproxy.js';
import * as osfExpr from '../../src/nft/expr/osf.js';
import * as xfrmExpr from '../../src/nft/expr/xfrm.js';
import * as lastExpr from '../../src/nft/expr/last.js';
import * as innerExpr from '../../src/nft/expr/inner.js';
import * as queueExpr from '../../src/nft/expr/queue.js';
import * as dupExpr from '../../src/nft/expr/dup.js';
import * as fwdExpr from '../../src/nft/expr/fwd.js';
import * as flowOffloadExpr from '../../src/nft/expr/flow_offload.js';
import { EXPRS } from '../../src/nft/expr/registry.js';
import { nfnetlink } from '../../src/nft/protocol.js';

const INCLUDE = process.env['UAPI_INCLUDE'] ?? '/usr/include';
const HEADERS = ['netlink.h', 'netfilter/nf_tables.h', 'netfilter/nfnetlink.h', 'netfilter.h', 'netfilter_arp.h', 'netfilter/nf_nat.h', 'netfilter/nf_conntrack_common.h'];

// A small reader for uapi enums and integer #defines (enough for these headers).
const values = new Map<string, number>();
const enums: { name: string; members: string[] }[] = [];
function evalExpr(expr: string): number {
  const sub = expr.replace(/\b([A-Za-z_]\w*)\b/g, (id) => {
    const v = values.get(id);
    if (v === undefined) throw new Error(`unknown identifier ${id}`);
    return `(${v})`;
  }).replace(/\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b/g, '$1');
  if (!/^[\s0-9a-fA-FxX()+\-|&<>~*]+$/.test(sub)) throw new Error(`not an integer expression: ${expr}`);
  const v: unknown = Function(`"use strict"; return (${sub});`)();
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`not an integer: ${expr}`);
  return v;
}
const missing: string[] = [];
for (const h of HEADERS) {
  const p = join(INCLUDE, 'linux', h);
  if (!existsSync(p)) { missing.push(p); continue; }
  const src = readFileSync(p, 'utf8').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '').replace(/\\\n/g, ' ');
  for (const m of src.matchAll(/enum\s*(\w*)\s*\{([^}]*)\}/g)) {
    const members: string[] = [];
    let next = 0;
    for (const item of m[2]!.replace(/^[ \t]*#[^\n]*$/gm, '').split(',')) {
      const s = item.trim();
      if (!s) continue;
      const mm = /^(\w+)\s*(?:=\s*([\s\S]+))?$/.exec(s);
      if (!mm) throw new Error(`cannot read enum member "${s}"`);
      const v = mm[2] !== undefined ? evalExpr(mm[2].trim()) : next;
      values.set(mm[1]!, v);
      members.push(mm[1]!);
      next = v + 1;
    }
    enums.push({ name: m[1] ?? '', members });
  }
  for (const m of src.matchAll(/^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+([^\n]+)$/gm)) {
    if (values.has(m[1]!)) continue;
    try { values.set(m[1]!, evalExpr(m[2]!.trim())); } catch { /* not an integer macro */ }
  }
}
const enumOf = new Map<string, { name: string; members: string[] }>();
for (const e of enums) for (const m of e.members) enumOf.set(m, e);
const excluded = (n: string): boolean => n.startsWith('__') || /_UNSPEC$/.test(n) || /_MAX$/.test(n);

t.test(`netfilter uapi headers are readable under ${INCLUDE}`, async (t) => {
  t.same(missing, [], 'every header exists (install linux-libc-dev, or set UAPI_INCLUDE)');
  t.equal(values.get('NFTA_RULE_EXPRESSIONS'), 4, 'the reader finds NFTA_RULE_EXPRESSIONS = 4');
  t.equal(values.get('NFT_DATA_VERDICT'), 0xffffff00, 'U-suffixed enum values resolve');
  t.equal(values.get('NFT_JUMP'), -3, 'negative enum values resolve');
});

const modules: Record<string, Record<string, unknown>> = {
  nfgenmsg, data, tableSchema, chainSchema, ruleSchema, setSchema, genSchema, objSchema, flowtableSchema, exprSchema,
  payload, cmp, bitwise, meta, immediate, counter, ct, lookup, range, masq, nat, redir, reject, log, limit, notrack,
  exthdrExpr, fibExpr, byteorderExpr, dynsetExpr, objrefExpr, quotaExpr, connlimitExpr, hashExpr, numgenExpr, rtExpr, socketExpr, tproxyExpr, synproxyExpr, osfExpr, xfrmExpr, lastExpr, innerExpr, queueExpr, dupExpr, fwdExpr, flowOffloadExpr,
};
const sets = new Map<string, AttrSet>();
for (const [file, mod] of Object.entries(modules)) for (const [name, v] of Object.entries(mod)) if (v instanceof AttrSet) sets.set(`${file}:${name}`, v);

t.test('every attribute table the brief names is declared', async (t) => {
  const names = [...sets.keys()].map((k) => k.split(':')[1]);
  for (const n of ['NFNL_BATCH', 'NFTA_TABLE', 'NFTA_CHAIN', 'NFTA_HOOK', 'NFTA_RULE', 'NFTA_EXPR', 'NFTA_SET', 'NFTA_SET_ELEM', 'NFTA_SET_ELEM_LIST',
    'NFTA_DATA', 'NFTA_VERDICT', 'NFTA_GEN', 'NFTA_PAYLOAD', 'NFTA_CMP', 'NFTA_BITWISE', 'NFTA_META', 'NFTA_IMMEDIATE', 'NFTA_COUNTER', 'NFTA_CT',
    'NFTA_LOOKUP', 'NFTA_RANGE', 'NFTA_MASQ', 'NFTA_NAT', 'NFTA_REDIR', 'NFTA_REJECT', 'NFTA_LOG', 'NFTA_LIMIT']) t.ok(names.includes(n), n);
  t.same(Object.keys(EXPRS).sort(), ['bitwise', 'byteorder', 'cmp', 'connlimit', 'counter', 'ct', 'dup', 'dynset', 'exthdr', 'fib', 'flow_offload', 'fwd', 'hash', 'immediate',
    'inner', 'last', 'limit', 'log', 'lookup', 'masq', 'meta', 'nat', 'notrack', 'numgen', 'objref', 'osf', 'payload', 'queue', 'quota', 'range', 'redir', 'reject', 'rt', 'socket',
    'synproxy', 'tproxy', 'xfrm'], 'one module per expression');
  for (const n of ['NFTA_EXTHDR', 'NFTA_FIB', 'NFTA_BYTEORDER', 'NFTA_DYNSET', 'NFTA_OBJREF', 'NFTA_QUOTA', 'NFTA_CONNLIMIT', 'NFTA_HASH', 'NFTA_NG', 'NFTA_RT', 'NFTA_SOCKET',
    'NFTA_TPROXY', 'NFTA_SYNPROXY', 'NFTA_OSF', 'NFTA_XFRM', 'NFTA_LAST', 'NFTA_QUEUE', 'NFTA_DUP', 'NFTA_FWD', 'NFTA_FLOW', 'NFTA_OBJ', 'NFTA_CT_HELPER', 'NFTA_CT_TIMEOUT',
    'NFTA_CT_EXPECT', 'NFTA_SECMARK']) t.ok(names.includes(n), n);
});

/**
 * Attributes of the running kernel (6.18) newer than the installed uapi headers (Debian 12's
 * linux-libc-dev is 6.1), with the Linux release that added each: checked against the headers
 * when they have them, else allowed on a number the headers leave free. NFTA_SET_TYPE and
 * NFTA_SET_COUNT came with "netfilter: nf_tables: export set count and backend name to
 * userspace" (net-next of April 2025, released in 6.16); NFTA_INNER_* with nft_inner (6.2).
 */
const NEWER_THAN_HEADERS: Readonly<Record<string, string>> = {
  NFTA_SET_TYPE: '6.16', NFTA_SET_COUNT: '6.16',
  NFTA_INNER_NUM: '6.2', NFTA_INNER_TYPE: '6.2', NFTA_INNER_FLAGS: '6.2', NFTA_INNER_HDRSIZE: '6.2', NFTA_INNER_EXPR: '6.2',
};

const versionCode = (v: string): number => { const [a = 0, b = 0, c = 0] = v.split('.').map(Number); return (a << 16) + (b << 8) + c; };
const HEADER_VERSION = ((): number => {
  try { return Number(/LINUX_VERSION_CODE\s+(\d+)/.exec(readFileSync(join(INCLUDE, 'linux/version.h'), 'utf8'))?.[1]); } catch { return NaN; }
})();
const versionText = (code: number): string => `${code >> 16}.${(code >> 8) & 255}.${code & 255}`;

t.test('which headers were checked, and the versions of the newer attributes agree with them', async (t) => {
  t.ok(HEADER_VERSION > 0, 'LINUX_VERSION_CODE read from linux/version.h');
  t.comment(`uapi headers checked: ${INCLUDE}, Linux ${versionText(HEADER_VERSION)}`);
  for (const [name, since] of Object.entries(NEWER_THAN_HEADERS)) {
    // In the headers exactly when the headers are at least as new as the attribute.
    const inHeaders = values.has(name);
    t.equal(inHeaders, HEADER_VERSION >= versionCode(since), `${name} (Linux ${since}) is ${inHeaders ? '' : 'not '}in the ${versionText(HEADER_VERSION)} headers`);
  }
});

for (const [label, set] of sets) {
  const entries = set.entries().filter((e) => values.has(e.name) || NEWER_THAN_HEADERS[e.name] === undefined);
  if (entries.length === 0) continue; // NFTA_NOTRACK: the expression has no attributes (NFTA_INNER: newer than the headers)
  t.test(`${label}: numbers match the headers, and the whole enum is declared`, async (t) => {
    let anchor: { members: string[] } | undefined;
    const newer: Array<{ name: string; type: number }> = [];
    for (const e of entries) {
      const hv = values.get(e.name);
      // Newer than the installed headers (the tables follow the 6.18 uapi): checked below.
      if (hv === undefined) { newer.push(e); continue; }
      t.equal(e.type, hv, `${e.name} = ${hv}`);
      anchor ??= enumOf.get(e.name);
    }
    t.ok(anchor, 'the table is one enum of the headers');
    for (const e of newer) {
      const holder = anchor?.members.find((m) => !m.startsWith('__') && values.get(m) === e.type);
      t.notOk(holder, `${e.name} (${e.type}) is newer than the installed headers: its number is free there${holder ? ` (it is ${holder}'s)` : ''}`);
    }
    if (newer.length) t.comment(`newer than the installed headers: ${newer.map((e) => e.name).join(' ')}`);
    const declared = new Set(entries.map((e) => e.name));
    for (const m of anchor?.members ?? []) if (!excluded(m)) t.ok(declared.has(m), `${m} is declared`);
  });
}

t.test('exported constants equal the headers', async (t) => {
  let checked = 0;
  const all: Record<string, unknown> = { ...constants };
  for (const mod of [payload, cmp, bitwise, meta, ct, lookup, range, nat, reject, limit]) Object.assign(all, mod);
  for (const [k, v] of Object.entries(all)) {
    if (typeof v !== 'number' || !/^[A-Z][A-Z0-9_]+$/.test(k)) continue;
    const hv = values.get(k);
    if (hv === undefined) { t.fail(`${k}: not in the headers`); continue; }
    t.equal(v, hv, `${k} = ${hv}`);
    checked++;
  }
  t.ok(checked > 100, `${checked} constants checked`);
});

t.test('message table: every NFT_MSG_* name has the header number under NFNL_SUBSYS_NFTABLES', async (t) => {
  for (let type = 0; type < 0x10000; type++) {
    const s = nfnetlink.schema(type);
    if (!s) continue;
    if (s.name.startsWith('NFNL_MSG_')) t.equal(type, values.get(s.name), `${s.name} = ${type}`);
    else t.equal(type, ((values.get('NFNL_SUBSYS_NFTABLES')! << 8) | values.get(s.name)!), `${s.name} = (NFNL_SUBSYS_NFTABLES << 8) | ${values.get(s.name)}`);
  }
});

t.test('name tables follow the header enums (meta keys, ct keys, payload bases, cmp ops)', async (t) => {
  const check = (table: Readonly<Record<number, string>>, enumMember: string): void => {
    const en = enumOf.get(enumMember)!;
    const members = en.members.filter((m) => !excluded(m) && !m.startsWith('__'));
    t.equal(Object.keys(table).length, members.length, `${en.name}: ${members.length} names`);
    for (const m of members) t.ok(table[values.get(m)!] !== undefined, `${m} (${values.get(m)}) has a name`);
  };
  check(meta.META_KEY_NAMES, 'NFT_META_LEN');
  check(ct.CT_KEY_NAMES, 'NFT_CT_STATE');
  check(payload.PAYLOAD_BASE_NAMES, 'NFT_PAYLOAD_LL_HEADER');
  check(cmp.CMP_OP_NAMES, 'NFT_CMP_EQ');
  // NF_CT_STATE_BIT(ctinfo) = 1 << (ctinfo + 1); INVALID and UNTRACKED have their own macros.
  const want: Record<string, number | undefined> = {
    invalid: values.get('NF_CT_STATE_INVALID_BIT'), untracked: values.get('NF_CT_STATE_UNTRACKED_BIT'),
    established: 1 << (values.get('IP_CT_ESTABLISHED')! + 1), related: 1 << (values.get('IP_CT_RELATED')! + 1), new: 1 << (values.get('IP_CT_NEW')! + 1),
  };
  for (const [bit, name] of ct.CT_STATE_BITS) t.equal(bit, want[name], `ct state ${name} = ${want[name]}`);
});
