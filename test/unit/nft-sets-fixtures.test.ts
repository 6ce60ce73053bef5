// Anonymous sets, interval sets, maps and verdict maps against nft itself (fixtures/nft/batch-
// anon-sets, batch-intervals, batch-maps: strace of `nft -f fixtures/nft/rulesets/*.nft`, nft
// 1.0.6 on Linux 6.18, tools/capture-nft-fixtures.sh). What RuleBuilder + NftBatch send must
// equal nft's batch byte for byte (seq aside).
import t, { type Test } from 'tap';
import { decodeAll, describeMessage, encodeMessages, splitMessages, type OutMessage } from '../../src/netlink/message.js';
import { ReplayTransport } from '../../src/netlink/replay.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import { NftBatch } from '../../src/nft/batch.js';
import { NFNL_MSG_BATCH_BEGIN } from '../../src/nft/constants.js';
import { nfnetlink } from '../../src/nft/protocol.js';
import { RuleBuilder } from '../../src/nft/rule-builder.js';
import { loadFixture } from '../helpers/fixtures.js';

const socket = (): NetlinkSocket => new NetlinkSocket(nfnetlink, new ReplayTransport([]));

function nftBatch(name: string): Buffer {
  const f = loadFixture(name).frames.find((fr) => fr.dir === 'send' && fr.bytes.readUInt16LE(4) === NFNL_MSG_BATCH_BEGIN);
  if (!f) throw new Error(`${name}: no batch frame`);
  return f.bytes;
}

function ours(msgs: OutMessage[], theirs: Buffer): Buffer {
  const seqs = splitMessages(theirs).map(([s]) => theirs.readUInt32LE(s + 8));
  return encodeMessages(nfnetlink, msgs.map((m, i) => ({ ...m, seq: seqs[i] ?? 0 }))).buf;
}

function sameBatch(t: Test, got: Buffer, want: Buffer, what: string): void {
  if (got.equals(want)) { t.pass(`${what}: ${want.length} bytes identical to nft's`); return; }
  t.fail(`${what} differs from nft's batch`, {
    found: decodeAll(nfnetlink, got).map((m) => describeMessage(nfnetlink, m)).join('\n'),
    wanted: decodeAll(nfnetlink, want).map((m) => describeMessage(nfnetlink, m)).join('\n'),
  });
}

/** Add a RuleBuilder's rule (expressions and anonymous sets) to a chain. */
const add = (b: NftBatch, family: 'inet' | 'ip', table: string, chain: string, r: RuleBuilder): NftBatch =>
  b.addRule({ family, table, chain, exprs: r.exprs, sets: r.sets });

export function anonSetsBatch(b: NftBatch): NftBatch {
  const inet = (): RuleBuilder => new RuleBuilder('inet');
  b.addTable({ family: 'inet', name: 'filter' })
    .addChain({ family: 'inet', table: 'filter', name: 'input', type: 'filter', hook: 'input', priority: 'filter', policy: 'accept' });
  add(b, 'inet', 'filter', 'input', inet().dportIn('tcp', [80, 443, 22]).accept());
  add(b, 'inet', 'filter', 'input', inet().ipSaddrIn(['10.0.0.1', '10.0.0.2']).drop());
  add(b, 'inet', 'filter', 'input', inet().ipSaddrIn(['10.0.0.3', '10.0.0.4'], { neq: true }).dportIn('udp', [53, 853]).accept());
  add(b, 'inet', 'filter', 'input', inet().ipDaddrIn(['fd00::2', 'fd00::1']).drop());
  add(b, 'inet', 'filter', 'input', inet().in('meta mark', [1, 2]).accept());
  add(b, 'inet', 'filter', 'input', inet().dportIn('udp', [5353]).drop());
  return b;
}

export function intervalsBatch(b: NftBatch): NftBatch {
  const inet = (): RuleBuilder => new RuleBuilder('inet');
  b.addTable({ family: 'inet', name: 'filter' })
    .addChain({ family: 'inet', table: 'filter', name: 'input', type: 'filter', hook: 'input', priority: 'filter', policy: 'accept' })
    .addSet({ family: 'inet', table: 'filter', name: 'nets', type: 'ipv4_addr', interval: true, elements: ['192.168.0.0/16', '10.0.0.0/8'] });
  add(b, 'inet', 'filter', 'input', inet().ipSaddrIn(['10.0.0.0/8', '192.168.0.0/16']).accept());
  add(b, 'inet', 'filter', 'input', inet().dportIn('tcp', [{ range: [3000, 3005] }, 22, { range: [1000, 2000] }]).drop());
  add(b, 'inet', 'filter', 'input', inet().ipSaddrIn('@nets').accept());
  add(b, 'inet', 'filter', 'input', inet().ipSaddrIn(['fd00::/64', '2001:db8::1']).drop());
  add(b, 'inet', 'filter', 'input', inet().ipDaddrIn(['0.0.0.0/8', '224.0.0.0/3']).drop());
  add(b, 'inet', 'filter', 'input', inet().dportIn('tcp', [{ range: [60000, 65535] }]).drop());
  return b;
}

export function mapsBatch(b: NftBatch): NftBatch {
  const ip = (): RuleBuilder => new RuleBuilder('ip');
  b.addTable({ family: 'ip', name: 'nat' })
    .addChain({ family: 'ip', table: 'nat', name: 'web' })
    .addChain({ family: 'ip', table: 'nat', name: 'prerouting', type: 'nat', hook: 'prerouting', priority: 'dstnat', policy: 'accept' })
    .addSet({ family: 'ip', table: 'nat', name: 'm', type: 'ipv4_addr', map: 'ipv4_addr', elements: [['10.0.0.1', '192.168.0.1'], ['10.0.0.2', '192.168.0.2']] })
    .addSet({ family: 'ip', table: 'nat', name: 'svc', type: 'inet_service', map: 'verdict', elements: [[25, 'drop'], [443, { jump: 'web' }]] });
  add(b, 'ip', 'nat', 'prerouting', ip().vmap('tcp dport', [[22, 'accept'], [80, { jump: 'web' }], [23, 'drop']]));
  add(b, 'ip', 'nat', 'prerouting', ip().dnatMap('ip daddr', '@m'));
  add(b, 'ip', 'nat', 'prerouting', ip().dnatMap('tcp dport', [[8080, '10.0.0.9'], [8081, '10.0.0.10']]));
  add(b, 'ip', 'nat', 'prerouting', ip().vmap('udp dport', '@svc'));
  return b;
}

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
