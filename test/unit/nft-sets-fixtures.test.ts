// Anonymous sets, interval sets, maps and verdict maps against nft itself (fixtures/nft/batch-
// anon-sets, batch-intervals, batch-maps: strace of `nft -f fixtures/nft/rulesets/*.nft`, nft
// 1.0.6 on Linux 6.18, tools/capture-nft-fixtures.sh). What RuleBuilder + NftBatch send must
// equal nft's batch byte for byte (seq aside).
import t from 'tap';
import { type Message, decodeAll, encodeMessages, splitMessages } from '../../src/netlink/message.js';
import { NftBatch } from '../../src/nft/batch.js';
import { NFT_MSG_NEWRULE, NFT_MSG_NEWSET, NFT_MSG_NEWSETELEM, nftType } from '../../src/nft/constants.js';
import { ruleStatements, ruleText } from '../../src/nft/print.js';
import { toRule } from '../../src/nft/rule.js';
import { toSet } from '../../src/nft/set.js';
import type { SetElemListAttrs } from '../../src/nft/set.schema.js';
import { decodeElements } from '../../src/nft/set-elements.js';
import { nfnetlink } from '../../src/nft/protocol.js';
import { loadFixture } from '../helpers/fixtures.js';
import { nftBatch, ours, sameBatch, socket } from '../helpers/nft-batch.js';
import { anonSetsBatch, concatBatch, intervalsBatch, mapsBatch } from '../helpers/nft-sets.js';


t.test('anonymous sets == nft -f batch (nft/batch-anon-sets): __set%d ANONYMOUS|CONSTANT, desc size, typeof userdata, NFTA_SET_ID links, one element → cmp', async (t) => {
  const theirs = nftBatch('nft/batch-anon-sets');
  sameBatch(t, ours(anonSetsBatch(new NftBatch(socket(), { echo: false })).messages(), theirs), theirs, 'anon-sets ruleset');
});

t.test('interval sets == nft -f batch (nft/batch-intervals): sorted, leading INTERVAL_END at 0, open top interval, single range → cmp', async (t) => {
  const theirs = nftBatch('nft/batch-intervals');
  sameBatch(t, ours(intervalsBatch(new NftBatch(socket(), { echo: false })).messages(), theirs), theirs, 'intervals ruleset');
});

t.test('maps and verdict maps == nft -f batch (nft/batch-maps): named map/vmap, anonymous vmap and dnat map, lookup dreg', async (t) => {
  const theirs = nftBatch('nft/batch-maps');
  sameBatch(t, ours(mapsBatch(new NftBatch(socket(), { echo: false })).messages(), theirs), theirs, 'maps ruleset');
});

t.test('concatenations == nft -f batch (nft/batch-concat): packed key type, 4-byte-padded components, registers 1 and 9, concat typeof', async (t) => {
  const theirs = nftBatch('nft/batch-concat');
  sameBatch(t, ours(concatBatch(new NftBatch(socket(), { echo: false })).messages(), theirs), theirs, 'concat ruleset');
});

/** Kernel messages of one type from a fixture's recv frames. */
const received = (name: string, type: number): Message[] =>
  loadFixture(name).frames.filter((f) => f.dir === 'recv').flatMap((f) => decodeAll(nfnetlink, f.bytes)).filter((m) => m.type === nftType(type));

/** The list-sets dump decoded: sets with their elements, rules with their anonymous sets. */
function listing() {
  const elemMsgs = received('nft/list-sets', NFT_MSG_NEWSETELEM);
  const sets = received('nft/list-sets', NFT_MSG_NEWSET).map(toSet).map((s) => {
    const raw = elemMsgs.filter((m) => (m.attrs as SetElemListAttrs).set === s.name && (m.attrs as SetElemListAttrs).table === s.table)
      .flatMap((m) => (m.attrs as SetElemListAttrs).elements ?? []);
    return { ...s, elements: decodeElements(s, raw), rawElements: raw };
  });
  const rules = received('nft/list-sets', NFT_MSG_NEWRULE).map(toRule).map((r) => ({
    ...r, anonymousSets: sets.filter((x) => x.family === r.family && x.table === r.table && x.name.startsWith('__')),
  }));
  return { sets, rules };
}

t.test('set, map and rule dumps decode to what nft -j list ruleset says (nft/list-sets): elements, intervals as prefixes/ranges, anonymous sets, vmaps, dnat maps, concatenations', async (t) => {
  const { json } = loadFixture('nft/list-sets');
  const oracle = json.oracle.nftables as Record<string, any>[];
  const { sets, rules } = listing();
  const named = sets.filter((x) => !x.name.startsWith('__'));
  const oSets = oracle.filter((o) => o['set'] || o['map']).map((o) => o['set'] ?? o['map']);
  t.same(named.map((x) => ({ name: x.name, type: x.type, ...(x.map ? { map: x.map } : {}), handle: Number(x.handle), elem: x.elements })),
    oSets.map((o) => ({ name: o.name, type: o.type, ...(o.map ? { map: o.map } : {}), handle: o.handle, elem: o.elem })), 'named sets and maps with their elements');
  t.ok(sets.some((x) => x.name.startsWith('__set') && x.flags === 7), 'an anonymous interval set is listed (ANONYMOUS|CONSTANT|INTERVAL)');
  const oRules = oracle.filter((o) => o['rule']).map((o) => o['rule']);
  t.equal(rules.length, oRules.length, `${oRules.length} rules`);
  for (const o of oRules) {
    const r = rules.find((x) => Number(x.handle) === o.handle && x.table === o.table)!;
    t.same(ruleStatements(r), o.expr, `${o.table} ${o.chain} #${o.handle}: ${ruleText(r)}`);
  }
});

t.test('rules with sets and maps print as nft list ruleset printed them (nft/list-sets)', async (t) => {
  const texts = listing().rules.map(ruleText);
  // Copied from the output of `nft list ruleset` in the capture sandbox.
  for (const want of [
    'tcp dport { 22, 80, 443 } accept',
    'ip saddr { 10.0.0.1, 10.0.0.2 } drop',
    'ip saddr != { 10.0.0.3, 10.0.0.4 } udp dport { 53, 853 } accept',
    'ip6 daddr { fd00::1, fd00::2 } drop',
    'meta mark { 0x00000001, 0x00000002 } accept',
    'ip saddr { 10.0.0.0/8, 192.168.0.0/16 } accept',
    'tcp dport { 22, 1000-2000, 3000-3005 } drop',
    'ip saddr @nets accept',
    'ip6 saddr { 2001:db8::1, fd00::/64 } drop',
    'ip daddr { 0.0.0.0/8, 224.0.0.0/3 } drop',
    'tcp dport vmap { 22 : accept, 23 : drop, 80 : jump web }',
    'dnat to ip daddr map @m',
    'dnat to tcp dport map { 8080 : 10.0.0.9, 8081 : 10.0.0.10 }',
    'udp dport vmap @svc',
    'ip saddr . tcp dport { 10.0.0.1 . 22, 10.0.0.2 . 443 } accept',
    'ip saddr . tcp dport @pairs accept',
    'ip daddr . udp dport vmap { 10.0.0.9 . 53 : accept, 10.0.0.9 . 54 : drop }',
  ]) t.ok(texts.includes(want), want);
  // Without its anonymous set's elements, a rule falls back to the debug form.
  const r = listing().rules.find((x) => ruleText(x) === 'tcp dport { 22, 80, 443 } accept')!;
  t.match(ruleText({ ...r, anonymousSets: [] }), /\[ lookup reg 1 set __set0 \]/);
});

t.test('kernel set element dumps that do not re-encode differ only by NLA_F_NESTED and NFTA_LIST_ELEM numbering; nft\'s requests only by padding (nft/list-sets)', async (t) => {
  const fx = loadFixture('nft/list-sets');
  let n = 0;
  for (const ex of fx.json.roundTripExceptions as { frame: number; message: number; why: string }[]) {
    const bytes = fx.frames[ex.frame]!.bytes;
    const [s, e] = splitMessages(bytes)[ex.message]!;
    const orig = bytes.subarray(s, e);
    const m = decodeAll(nfnetlink, bytes)[ex.message]!;
    const again = encodeMessages(nfnetlink, [{ type: m.type, flags: m.flags, seq: m.seq, pid: m.pid, header: m.header, attrs: m.attrs }]).buf;
    t.equal(again.length, orig.length, `frame ${ex.frame} message ${ex.message}: same length`);
    const diffs = [...orig.keys()].filter((i) => orig[i] !== again[i]);
    const nestedOrList = diffs.every((i) => ((orig[i]! ^ again[i]!) === 0x80 && (i - 3) % 4 === 0) || (orig[i] === 1 && (i - 2) % 4 === 0));
    // Padding: the bytes after an attribute's nla_len up to the 4-byte boundary (we write zeros).
    const pads = new Set<number>();
    for (let off = 20; off + 4 <= orig.length;) {
      const len = orig.readUInt16LE(off), aligned = off + ((len + 3) & ~3);
      for (let i = off + len; i < aligned; i++) pads.add(i);
      off = aligned;
    }
    const padding = diffs.every((i) => again[i] === 0 && pads.has(i));
    t.ok(diffs.length > 0 && (nestedOrList || padding), `frame ${ex.frame} message ${ex.message} (${m.name}): ${padding ? 'padding' : 'NLA_F_NESTED / list numbering'} only`);
    n++;
  }
  t.ok(n >= 40, `${n} messages checked`);
});
