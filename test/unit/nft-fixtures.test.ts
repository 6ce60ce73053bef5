// nftables against nft itself, from the fixtures under fixtures/nft/ (tools/capture-nft-fixtures.sh:
// strace of nft 1.0.6 on Linux 6.18). What we send must equal what `nft -f` sends for the same
// ruleset (seq aside), and what the kernel dumps must decode to what `nft -j` says it means.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Message, decodeAll, encodeMessages, splitMessages } from '../../src/netlink/message.js';
import { NLM_F_ECHO } from '../../src/netlink/header.js';
import { NftBatch } from '../../src/nft/batch.js';
import { toChain } from '../../src/nft/chain.js';
import { NFT_MSG_NEWCHAIN, NFT_MSG_NEWRULE, NFT_MSG_NEWTABLE, nftType } from '../../src/nft/constants.js';
import { addPlan, dnatPlan, masqueradePlan, snatPlan } from '../../src/nft/nat.js';
import { ruleStatements, ruleText } from '../../src/nft/print.js';
import { nfnetlink } from '../../src/nft/protocol.js';
import { RuleBuilder } from '../../src/nft/rule-builder.js';
import { toRule } from '../../src/nft/rule.js';
import { toTable } from '../../src/nft/table.js';
import { FIXTURES, loadFixture } from '../helpers/fixtures.js';
import { nftBatch, ours, sameBatch, socket } from '../helpers/nft-batch.js';


const NAT_PLANS = {
  'nft/batch-masquerade': masqueradePlan({ source: '192.168.15.0/24', notOutputInterface: 'v-net-0' }),
  'nft/batch-snat': snatPlan({ source: '192.168.15.0/24', outputInterface: 'eth0', to: '10.0.0.1' }),
  'nft/batch-dnat': dnatPlan({ port: 8080, to: '192.168.15.2', toPort: 80 }),
};

for (const [name, plan] of Object.entries(NAT_PLANS)) {
  t.test(`NAT helper batch == nft -f batch (${name}, nft 1.0.6 on 6.18)`, async (t) => {
    const theirs = nftBatch(name);
    sameBatch(t, ours(addPlan(new NftBatch(socket(), { echo: false }), plan).messages(), theirs), theirs, `${name} with echo: false`);
    // By default NEWRULE also asks for NLM_F_ECHO (to learn the new handle): that flag is the only difference.
    const withEcho = ours(addPlan(new NftBatch(socket()), plan).messages(), theirs);
    const bounds = splitMessages(theirs);
    const patched = Buffer.from(theirs);
    for (const [s] of bounds) if (patched.readUInt16LE(s + 4) === nftType(NFT_MSG_NEWRULE)) patched.writeUInt16LE(patched.readUInt16LE(s + 6) | NLM_F_ECHO, s + 6);
    sameBatch(t, withEcho, patched, `${name} by default (nft's bytes + NLM_F_ECHO on NEWRULE)`);
  });
}

t.test('filter ruleset built with RuleBuilder == nft -f batch (nft/batch-filter)', async (t) => {
  const inet = (): RuleBuilder => new RuleBuilder('inet');
  const b = new NftBatch(socket(), { echo: false })
    .addTable({ family: 'inet', name: 'filter' })
    .addChain({ family: 'inet', table: 'filter', name: 'input', type: 'filter', hook: 'input', priority: 'filter', policy: 'drop' })
    .addChain({ family: 'inet', table: 'filter', name: 'mychain' })
    .addChain({ family: 'inet', table: 'filter', name: 'raw', type: 'filter', hook: 'prerouting', priority: 'raw', policy: 'accept' });
  const input = (exprs: RuleBuilder, comment?: string) => b.addRule({ family: 'inet', table: 'filter', chain: 'input', exprs: exprs.exprs, ...(comment ? { comment } : {}) });
  input(inet().ctState(['established', 'related']).accept());
  input(inet().ctState(['invalid']).drop());
  input(inet().iifname('lo').accept());
  input(inet().tcpDport(22).counter().accept(), 'ssh');
  input(inet().udpDport(53).accept());
  input(inet().ipSaddr('10.1.2.0/23').drop());
  input(inet().ipSaddr('fd00::/64').accept());
  input(inet().tcpDport([1000, 2000]).drop());
  input(inet().mark(0x2a).accept());
  input(inet().limit({ rate: 10, per: 'second' }).log({ prefix: 'in: ' }).drop());
  input(inet().tcpDport(23).reject({ with: 'tcp reset' }));
  input(inet().verdict({ jump: 'mychain' }));
  b.addRule({ family: 'inet', table: 'filter', chain: 'mychain', exprs: inet().ipDaddr('10.9.9.9').verdict('return').exprs });
  b.addRule({ family: 'inet', table: 'filter', chain: 'raw', exprs: inet().udpDport(4789).notrack().exprs });
  const theirs = nftBatch('nft/batch-filter');
  sameBatch(t, ours(b.messages(), theirs), theirs, 'filter ruleset');
});

t.test('named sets, elements and lookups == nft -f batch (nft/batch-sets): NFTA_SET_ID numbering, key byte order userdata', async (t) => {
  const inet = (): RuleBuilder => new RuleBuilder('inet');
  const b = new NftBatch(socket(), { echo: false })
    .addTable({ family: 'inet', name: 'filter' })
    .addChain({ family: 'inet', table: 'filter', name: 'input', type: 'filter', hook: 'input', priority: 'filter', policy: 'accept' })
    .addSet({ family: 'inet', table: 'filter', name: 'blocked', type: 'ipv4_addr', elements: ['10.0.0.1', '10.0.0.2'] })
    .addSet({ family: 'inet', table: 'filter', name: 'ports', type: 'inet_service', elements: [22, 80, 443] })
    .addRule({ family: 'inet', table: 'filter', chain: 'input', exprs: inet().ipSaddrIn('@blocked').drop().exprs })
    .addRule({ family: 'inet', table: 'filter', chain: 'input', exprs: inet().dportIn('tcp', '@ports').accept().exprs });
  const theirs = nftBatch('nft/batch-sets');
  sameBatch(t, ours(b.messages(), theirs), theirs, 'sets ruleset');
});

t.test('deleteTable == nft delete table (nft/delete-table)', async (t) => {
  const theirs = nftBatch('nft/delete-table');
  sameBatch(t, ours(new NftBatch(socket()).deleteTable({ family: 'ip', name: 'nat' }).messages(), theirs), theirs, 'delete table ip nat');
});

t.test('kernel messages that do not re-encode differ only by NLA_F_NESTED (fixtures/nft/*.json roundTripExceptions)', async (t) => {
  let n = 0;
  for (const name of ['nft/list-ruleset', 'nft/delete-table']) {
    const fx = loadFixture(name);
    for (const ex of fx.json.roundTripExceptions as { frame: number; message: number }[]) {
      const bytes = fx.frames[ex.frame]!.bytes;
      const [s, e] = splitMessages(bytes)[ex.message]!;
      const orig = bytes.subarray(s, e);
      const m = decodeAll(nfnetlink, bytes)[ex.message]!;
      const again = encodeMessages(nfnetlink, [{ type: m.type, flags: m.flags, seq: m.seq, pid: m.pid, header: m.header, attrs: m.attrs }]).buf;
      t.equal(again.length, orig.length, `${name} frame ${ex.frame} message ${ex.message}: same length`);
      let onlyNested = again.length === orig.length;
      for (let i = 0; i < orig.length && onlyNested; i++) if ((orig[i]! ^ again[i]!) !== 0 && ((orig[i]! ^ again[i]!) !== 0x80 || (i - 3) % 4 !== 0)) onlyNested = false;
      t.ok(onlyNested, `${name} frame ${ex.frame} message ${ex.message} (${m.name}): only NLA_F_NESTED bits differ`);
      n++;
    }
  }
  t.ok(n >= 10, `${n} kernel messages checked`);
});

/** Kernel messages of one type from the fixture's recv frames. */
const received = (name: string, type: number): Message[] =>
  loadFixture(name).frames.filter((f) => f.dir === 'recv').flatMap((f) => decodeAll(nfnetlink, f.bytes)).filter((m) => m.type === nftType(type));

t.test('a dumped ruleset decodes to what nft -j list ruleset says (nft/list-ruleset)', async (t) => {
  const { json } = loadFixture('nft/list-ruleset');
  const oracle = (json.oracle.nftables as Record<string, any>[]);
  const tables = received('nft/list-ruleset', NFT_MSG_NEWTABLE).map(toTable);
  const chains = received('nft/list-ruleset', NFT_MSG_NEWCHAIN).map(toChain);
  const rules = received('nft/list-ruleset', NFT_MSG_NEWRULE).map(toRule);
  const oTables = oracle.filter((o) => o['table']).map((o) => o['table']);
  const oChains = oracle.filter((o) => o['chain']).map((o) => o['chain']);
  const oRules = oracle.filter((o) => o['rule']).map((o) => o['rule']);
  t.same(tables.map((x) => ({ family: x.family, name: x.name, handle: Number(x.handle) })), oTables.map((o) => ({ family: o.family, name: o.name, handle: o.handle })), 'tables');
  t.same(chains.map((c) => ({ family: c.family, table: c.table, name: c.name, handle: Number(c.handle), ...(c.type ? { type: c.type, hook: c.hook, prio: c.priority, policy: c.policy } : {}) })),
    oChains, 'chains (type, hook, priority, policy)');
  t.equal(rules.length, oRules.length, `${oRules.length} rules`);
  for (const o of oRules) {
    const r = rules.find((x) => Number(x.handle) === o.handle && x.table === o.table && x.family === o.family)!;
    t.ok(r, `rule handle ${o.handle}`);
    if (!r) continue;
    t.same(ruleStatements(r), o.expr, `${o.family} ${o.table} ${o.chain} handle ${o.handle}: ${ruleText(r)}`);
    t.equal(r.comment, o.comment, `handle ${o.handle}: comment`);
  }
});

t.test('rules print as nft syntax; unknown expressions fall back to the debug form', async (t) => {
  const rules = received('nft/list-ruleset', NFT_MSG_NEWRULE).map(toRule);
  const texts = rules.map(ruleText);
  for (const want of [
    'ip saddr 192.168.15.0/24 oifname != "v-net-0" masquerade',
    'ct state established,related accept',
    'iifname "lo" accept',
    'tcp dport 22 counter packets 0 bytes 0 accept comment "ssh"',
    'ip saddr 10.1.2.0/23 drop',
    'ip6 saddr fd00::/64 accept',
    'tcp dport 1000-2000 drop',
    'meta mark 0x0000002a accept',
    'limit rate 10/second log prefix "in: " drop',
    'tcp dport 23 reject with tcp reset',
    'jump mychain',
    'ip daddr 10.9.9.9 return',
    'udp dport 4789 notrack',
  ]) t.ok(texts.includes(want), want);
  // A payload write is outside the common set: the whole rule prints as nft --debug=netlink does.
  const odd = { family: 'ip' as const, exprs: [
    { name: 'payload', data: { dreg: 1, base: 1, offset: 12, len: 4 } },
    { name: 'payload', data: { sreg: 1, base: 1, offset: 16, len: 4, csumType: 1, csumOffset: 10, csumFlags: 0 } },
    { name: 'xt', data: Buffer.from('abcd', 'hex') },
  ] as never };
  t.equal(ruleText(odd), [
    '[ payload load 4b @ network header + 12 => reg 1 ]',
    '[ payload write reg 1 => 4b @ network header + 16 csum_type 1 csum_off 10 csum_flags 0x0 ]',
    '[ xt abcd ]',
  ].join('\n'));
});

t.test('the rulesets the fixtures were made from are in the repository', async (t) => {
  for (const n of ['masquerade', 'snat', 'dnat', 'filter']) t.ok(readFileSync(join(FIXTURES, 'nft', 'rulesets', `${n}.nft`), 'utf8').includes('table '), `${n}.nft`);
});
