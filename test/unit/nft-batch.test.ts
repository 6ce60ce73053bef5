// NftBatch and NetlinkSocket.exchangeSync over the ReplayTransport: the real seq/ACK/echo/error
// code runs against kernel answers recorded by tools/record-nft-commit.ts (Linux 6.18).
import t from 'tap';
import { NetlinkError } from '../../src/netlink/errors.js';
import { NLM_F_ACK, NLM_F_ECHO, NLM_F_REQUEST } from '../../src/netlink/header.js';
import { decodeAll, encodeMessages, splitMessages } from '../../src/netlink/message.js';
import { ReplayTransport } from '../../src/netlink/replay.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import { NftBatch } from '../../src/nft/batch.js';
import { NFT_MSG_NEWRULE, NFT_MSG_NEWTABLE, nftType } from '../../src/nft/constants.js';
import { NftBatchError } from '../../src/nft/errors.js';
import { NftHandle } from '../../src/nft/handle.js';
import { ruleText } from '../../src/nft/print.js';
import { nfnetlink } from '../../src/nft/protocol.js';
import { RuleBuilder } from '../../src/nft/rule-builder.js';
import { loadFixture } from '../helpers/fixtures.js';

const ip = (): RuleBuilder => new RuleBuilder('ip');
const replay = (name: string): { h: NftHandle; tr: ReplayTransport } => {
  const tr = new ReplayTransport(loadFixture(name).frames, { strictSend: true });
  return { h: NftHandle.open({ transport: tr }), tr };
};

t.test('commit: one datagram, NLM_F_ACK only on the last operation, echoed rules give handles (nft/commit-echo, 6.18)', async (t) => {
  const { h, tr } = replay('nft/commit-echo');
  const res = await h.batch().addTable({ family: 'ip', name: 't' })
    .addChain({ family: 'ip', table: 't', name: 'c', type: 'filter', hook: 'input', priority: 0, policy: 'accept' })
    .addRule({ family: 'ip', table: 't', chain: 'c', exprs: ip().ipSaddr('10.0.0.0/8').accept().exprs })
    .addRule({ family: 'ip', table: 't', chain: 'c', exprs: ip().tcpDport(22).drop().exprs, comment: 'no ssh' })
    .commit();
  t.equal(tr.sent.length, 1, 'one sendmsg');
  t.equal(tr.remaining, 0, 'every recorded answer consumed');
  const flags = splitMessages(tr.sent[0]!).map(([s]) => tr.sent[0]!.readUInt16LE(s + 6));
  t.same(flags.map((f) => (f & NLM_F_ACK) !== 0), [false, false, false, false, true, false], 'only the last operation asks for an ACK');
  t.ok(flags.every((f) => f & NLM_F_REQUEST), 'all are requests');
  t.equal(res.operations, 4);
  t.same(res.rules.map((r) => r.index), [2, 3], 'echoed rules map to operations 2 and 3');
  const echoed = loadFixture('nft/commit-echo').frames[1]!;
  const want = decodeAll(nfnetlink, echoed.bytes).map((m) => m.attrs.handle as bigint);
  t.same(res.rules.map((r) => r.handle), want, `handles ${want.join(', ')} from the kernel's echo`);
  t.same(res.rules.map((r) => ruleText(r)), ['ip saddr 10.0.0.0/8 accept', 'tcp dport 22 drop comment "no ssh"']);
});

t.test('a failing 3rd message: NftBatchError names the operation, carries errno and the attribute (nft/commit-fail, 6.18)', async (t) => {
  const { h, tr } = replay('nft/commit-fail');
  const b = h.batch().addTable({ family: 'ip', name: 't' })
    .addChain({ family: 'ip', table: 't', name: 'c' })
    .addRule({ family: 'ip', table: 't', chain: 'missing', exprs: ip().accept().exprs })
    .addRule({ family: 'ip', table: 't', chain: 'c', exprs: ip().drop().exprs });
  const err = await b.commit().then(() => undefined, (e: unknown) => e);
  t.type(err, NftBatchError);
  const e = err as NftBatchError;
  t.equal(e.failures.length, 1, 'one failure');
  t.type(e.failures[0], NetlinkError);
  t.equal(e.failures[0]!.index, 2, 'operation #2 (the 3rd message after BATCH_BEGIN)');
  t.equal(e.failures[0]!.code, 'ENOENT');
  t.same(e.failures[0]!.attrPath, ['NFTA_RULE_CHAIN'], 'the ext-ACK offset points at NFTA_RULE_CHAIN');
  t.equal(e.operations[0], 'NFT_MSG_NEWRULE ip t missing');
  t.match(e.message, /nothing applied: operation #2 of 4 \(NFT_MSG_NEWRULE ip t missing\): NFT_MSG_NEWRULE: ENOENT/);
  t.equal(e.cause, e.failures[0]);
  t.notOk(e.generationChanged);
  t.equal(tr.remaining, 0, 'read up to the ACK of the last operation');
});

t.test('an outdated generation id: ERESTART on the batch as a whole (nft/commit-genid, 6.18)', async (t) => {
  const { h } = replay('nft/commit-genid');
  const g = await h.genid();
  t.ok(Number.isInteger(g) && g > 0, `genid ${g}`);
  await h.batch().addTable({ family: 'ip', name: 'x' }).commit();
  const err = await h.batch().addTable({ family: 'ip', name: 't' }).commit({ genid: g }).then(() => undefined, (e: unknown) => e) as NftBatchError;
  t.type(err, NftBatchError);
  t.equal(err.failures[0]!.index, -1, 'the batch as a whole');
  t.equal(err.failures[0]!.code, 'ERESTART');
  t.ok(err.generationChanged);
  t.equal(err.operations[0], 'NFNL_MSG_BATCH_BEGIN');
});

t.test('exchangeSync: answers by seq → index, abortOn ends at once, foreign seqs ignored', async (t) => {
  const frames = loadFixture('nft/commit-fail').frames;
  // The recorded answers, replayed to a raw exchange of the same messages.
  const tr = new ReplayTransport(frames);
  const sock = new NetlinkSocket(nfnetlink, tr);
  const msgs = new NftBatch(sock).addTable({ family: 'ip', name: 't' }).addChain({ family: 'ip', table: 't', name: 'c' })
    .addRule({ family: 'ip', table: 't', chain: 'missing', exprs: [] }).addRule({ family: 'ip', table: 't', chain: 'c', exprs: [] }).messages();
  const res = sock.exchangeSync(msgs, { ackIndex: 4, abortOn: [0] });
  t.same(res.failures.map((f) => f.index), [3], 'the error of message 3 of the datagram');
  t.equal(res.replies.length, 0);
  t.throws(() => sock.exchangeSync(msgs, { ackIndex: 9 }), RangeError, 'ackIndex out of range');
  t.throws(() => sock.exchangeSync([]), RangeError, 'no messages');
  // abortOn: an error for message 0 ends the exchange without waiting for the ACK index.
  const fx = loadFixture('nft/commit-genid').frames;
  const tr2 = new ReplayTransport([fx[4]!, fx[5]!]);
  const s2 = new NetlinkSocket(nfnetlink, tr2);
  const m2 = new NftBatch(s2).addTable({ family: 'ip', name: 't' }).messages({ genid: 1 });
  const r2 = s2.exchangeSync(m2, { ackIndex: 1, abortOn: [0] });
  t.same(r2.failures.map((f) => [f.index, f.code]), [[0, 'ERESTART']]);
});

t.test('NLM_F_ECHO is on NEWRULE by default, off with echo: false', async (t) => {
  const s = new NetlinkSocket(nfnetlink, new ReplayTransport([]));
  const r = { family: 'ip' as const, table: 't', chain: 'c', exprs: ip().accept().exprs };
  const flagsOf = (b: NftBatch) => b.messages().find((m) => m.type === nftType(NFT_MSG_NEWRULE))!.flags;
  t.ok(flagsOf(new NftBatch(s).addRule(r)) & NLM_F_ECHO);
  t.notOk(flagsOf(new NftBatch(s, { echo: false }).addRule(r)) & NLM_F_ECHO);
  t.same(await new NftBatch(s).commit(), { rules: [], operations: 0 }, 'an empty batch sends nothing');
});

t.test('bad input is refused with TypeError/RangeError naming the field, before any syscall', async (t) => {
  const tr = new ReplayTransport([]);
  const h = NftHandle.open({ transport: tr });
  const b = () => h.batch();
  t.throws(() => b().addTable({ family: 'ipx' as never, name: 't' }), { name: 'RangeError', message: /family: "ipx" is not an nftables family/ });
  t.throws(() => b().addTable({ family: 'ip', name: '' }), { name: 'TypeError', message: /table.name/ });
  t.throws(() => b().addChain({ family: 'ip', table: 't', name: 'c', type: 'nat', hook: 'sideways' as never }), { name: 'RangeError', message: /chain.hook: "sideways"/ });
  t.throws(() => b().addChain({ family: 'ip', table: 't', name: 'c', type: 'nat', hook: 'input', priority: 'soon' }), { name: 'RangeError', message: /chain.priority/ });
  t.throws(() => b().addChain({ family: 'ip', table: 't', name: 'c', policy: 'drop' }), { name: 'TypeError', message: /base chains only/ });
  t.throws(() => b().addRule({ family: 'ip', table: 't', chain: 'c', exprs: [], at: 'replace' }), { name: 'TypeError', message: /rule.position/ });
  t.throws(() => ip().ipSaddr('10.0.0.1/24'), { name: 'RangeError', message: /host bits/ });
  t.throws(() => ip().ipSaddr('fd00::/64'), { name: 'RangeError', message: /IPv6 match in a ip table/ });
  t.throws(() => ip().tcpDport(70000), { name: 'RangeError', message: /tcp dport: 70000/ });
  t.throws(() => ip().oifname('a-very-long-interface-name'), { name: 'RangeError', message: /oifname/ });
  t.throws(() => ip().ctState(['sleepy']), { name: 'RangeError', message: /ctState: "sleepy"/ });
  t.throws(() => ip().verdict('maybe' as never), { name: 'RangeError', message: /verdict/ });
  t.throws(() => b().addRule({ family: 'ip', table: 't', chain: 'c', exprs: [{ name: 'cmp', data: { sreg: 1, op: 99999999999 } }] }).commitSync(), { name: 'RangeError', message: /NFTA_CMP_OP/ });
  await t.rejects(h.nat.masquerade({ source: '192.168.15.1/24' }), { name: 'RangeError' });
  await t.rejects(h.nat.dnat({ port: 80, to: 'nowhere' }), { name: 'RangeError' });
  t.equal(tr.sent.length, 0, 'nothing was sent');
});

t.test('unknown expressions decode as opaque name + bytes and re-encode byte for byte', async (t) => {
  const s = new NetlinkSocket(nfnetlink, new ReplayTransport([]));
  const opaque = { name: 'xt', data: Buffer.from('0c0001006d617463680000000800020000000001', 'hex') };
  const msgs = new NftBatch(s, { echo: false }).addRule({ family: 'ip', table: 't', chain: 'c', exprs: [ip().counter().exprs[0]!, opaque as never] }).messages();
  const bytes = encodeMessages(nfnetlink, msgs).buf;
  const rule = decodeAll(nfnetlink, bytes).find((m) => m.type === nftType(NFT_MSG_NEWRULE))!;
  t.same(rule.attrs.expressions[1], opaque, 'name + raw NFTA_EXPR_DATA');
  const again = encodeMessages(nfnetlink, decodeAll(nfnetlink, bytes).map((m) => ({ type: m.type, flags: m.flags, seq: m.seq, header: m.header, ...(m.attrs ? { attrs: m.attrs } : {}) }))).buf;
  t.ok(again.equals(bytes), 'byte for byte');
  t.equal(decodeAll(nfnetlink, bytes).filter((m) => m.type === nftType(NFT_MSG_NEWTABLE)).length, 0);
});
