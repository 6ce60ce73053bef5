// Sets and maps in RuleBuilder and NftBatch without the kernel: one-element sets compile as nft
// compiles them, bad input is refused with the field named before anything is sent, and
// element lists decode back (intervals joined whatever order the kernel dumps them in).
import t from 'tap';
import { ReplayTransport } from '../../src/netlink/replay.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import { NftBatch } from '../../src/nft/batch.js';
import { NFT_SET_ELEM_INTERVAL_END, NFT_SET_INTERVAL, NFT_SET_MAP } from '../../src/nft/constants.js';
import { ruleDebug } from '../../src/nft/print.js';
import { nfnetlink } from '../../src/nft/protocol.js';
import { RuleBuilder } from '../../src/nft/rule-builder.js';
import { buildElements, decodeElements } from '../../src/nft/set-elements.js';

const inet = (): RuleBuilder => new RuleBuilder('inet');

t.test('a one-element set compiles to the plain match, as nft 1.0.6 does (nft --debug=netlink -f, 6.18)', async (t) => {
  // The expected lines are nft's own output for `ip saddr { 10.0.0.0/8 } drop` etc. in an inet table.
  const cases: [RuleBuilder, string[]][] = [
    [inet().ipSaddrIn(['10.0.0.0/8']), ['[ meta load nfproto => reg 1 ]', '[ cmp eq reg 1 0x00000002 ]', '[ payload load 1b @ network header + 12 => reg 1 ]', '[ cmp eq reg 1 0x0000000a ]']],
    [inet().ipSaddrIn(['10.0.0.0/8'], { neq: true }), ['[ meta load nfproto => reg 1 ]', '[ cmp eq reg 1 0x00000002 ]', '[ payload load 1b @ network header + 12 => reg 1 ]', '[ cmp neq reg 1 0x0000000a ]']],
    [inet().ipDaddrIn(['fd00::/64']), ['[ meta load nfproto => reg 1 ]', '[ cmp eq reg 1 0x0000000a ]', '[ payload load 8b @ network header + 24 => reg 1 ]', '[ cmp eq reg 1 0x000000fd 0x00000000 ]']],
    [inet().in('meta mark', [5]), ['[ meta load mark => reg 1 ]', '[ cmp eq reg 1 0x00000005 ]']],
    [inet().ipSaddrIn([{ range: ['10.0.0.1', '10.0.0.5'] }]), ['[ meta load nfproto => reg 1 ]', '[ cmp eq reg 1 0x00000002 ]', '[ payload load 4b @ network header + 12 => reg 1 ]', '[ cmp gte reg 1 0x0100000a ]', '[ cmp lte reg 1 0x0500000a ]']],
  ];
  for (const [b, want] of cases) {
    t.same(ruleDebug({ exprs: b.exprs }), want, want[want.length - 1]!);
    t.same(b.sets, [], 'and no anonymous set');
  }
  // But a one-element concatenation stays an anonymous set (nft: `ip saddr . tcp dport { 10.0.0.1 . 22 }`).
  const c = inet().in(['ip saddr', 'tcp dport'], [{ concat: ['10.0.0.1', 22] }]);
  t.same(ruleDebug({ exprs: c.exprs }), ['[ meta load nfproto => reg 1 ]', '[ cmp eq reg 1 0x00000002 ]', '[ meta load l4proto => reg 1 ]', '[ cmp eq reg 1 0x00000006 ]',
    '[ payload load 4b @ network header + 12 => reg 1 ]', '[ payload load 2b @ transport header + 2 => reg 9 ]', '[ lookup reg 1 set __set%d ]'], 'one-element concatenation');
  t.equal(c.sets.length, 1);
  t.same(c.sets[0]!.elements.map((e) => e.key?.value?.toString('hex')), ['0a00000100160000'], 'its element: components padded to 4 bytes');
});

t.test('bad set input is refused with the field named, before anything is sent; the builder is left as it was', async (t) => {
  const b = inet().accept();
  const before = b.exprs;
  t.throws(() => b.in('meta mark', ['10.0.0.0/8', '10.1.0.0/16']), { name: 'RangeError', message: /meta mark\[0\]/ }, 'a prefix on a mark');
  t.throws(() => b.ipSaddrIn(['10.0.0.0/8', '10.1.0.0/16']), { name: 'RangeError', message: /ip saddr: .*overlap/ }, 'overlapping intervals');
  t.throws(() => b.ipSaddrIn(['10.0.0.0/24', '10.0.1.0/24']), { name: 'RangeError', message: /touch/ }, 'adjacent intervals (merge them)');
  t.throws(() => b.ipSaddrIn(['10.0.0.1/8', '10.2.0.0/16']), { name: 'RangeError', message: /host bits/ }, 'host bits in a prefix');
  t.throws(() => b.dportIn('tcp', [{ range: [2000, 1000] }, 5]), { name: 'RangeError', message: /tcp dport\[0\]: range .* is empty/ });
  t.throws(() => b.dportIn('tcp', [70000, 5]), { name: 'RangeError', message: /tcp dport\[0\]/ });
  t.throws(() => b.in('ip6 saddr', ['10.0.0.1', '10.0.0.2']), { name: 'RangeError', message: /ip6 saddr\[0\]/ }, 'IPv4 in an ip6 key');
  t.throws(() => b.in('tcp flags' as never, [1, 2]), { name: 'RangeError', message: /in\.key: "tcp flags" is not a set key/ });
  t.throws(() => b.in('tcp dport', []), { name: 'TypeError', message: /tcp dport: expected a set name or a non-empty array/ });
  t.throws(() => b.vmap('tcp dport', [[22, 'allow' as never], [23, 'drop']]), { name: 'RangeError', message: /tcp dport vmap\[0\]\[1\]: verdict/ });
  t.throws(() => b.vmap('tcp dport', [22 as never]), { name: 'TypeError', message: /tcp dport vmap\[0\]: expected a map entry/ });
  t.throws(() => b.vmap('tcp dport', [[{ range: [1, 5] }, 'drop'], [9, 'drop']]), { name: 'RangeError', message: /needs an interval set/ }, 'interval maps are not built');
  t.throws(() => inet().dnatMap('tcp dport', [[80, '10.0.0.1'], [81, '10.0.0.2']]), { name: 'RangeError', message: /dnat: .*ip and ip6 tables/ });
  t.throws(() => new RuleBuilder('ip').dnatMap('tcp dport', [[80, 'fd00::1'], [81, '10.0.0.2']]), { name: 'RangeError', message: /dnat map\[0\]\[1\]/ });
  t.throws(() => b.in(['ip saddr', 'tcp dport'], [['10.0.0.1', 22] as never, { concat: ['10.0.0.2', 22] }]), { name: 'TypeError', message: /ip saddr \. tcp dport\[0\]: expected \{ concat: \[ipv4_addr, inet_service\] \}/ });
  t.throws(() => b.in(['ip saddr', 'tcp dport'], [{ concat: ['10.0.0.0/8', 22] }, { concat: ['10.0.0.2', 22] }]), { name: 'RangeError', message: /concat\[0\]/ }, 'no prefixes inside a concatenation');
  t.throws(() => b.in(['ip saddr'], [{ concat: ['10.0.0.1'] }]), { name: 'RangeError', message: /in\.key: a concatenation needs at least two keys/ });
  t.same(b.exprs, before, 'no expression was added');
  t.same(b.sets, [], 'no set was added');

  const batch = new NftBatch(new NetlinkSocket(nfnetlink, new ReplayTransport([])));
  const r = inet().dportIn('tcp', [80, 443]).accept();
  t.throws(() => batch.addRule({ family: 'inet', table: 'f', chain: 'c', exprs: r.exprs }), { name: 'TypeError', message: /rule\.exprs\[3\]: a lookup of __set%d with no matching anonymous set/ }, 'sets forgotten');
  t.throws(() => batch.addRule({ family: 'inet', table: 'f', chain: 'c', exprs: inet().accept().exprs, sets: r.sets }), { name: 'TypeError', message: /rule\.sets: 1 anonymous sets but 0 lookups/ });
  t.throws(() => batch.addSet({ family: 'inet', table: 'f', name: 's', type: 'ipv4_addr', map: 'verdict', interval: true }), { name: 'RangeError', message: /set\.interval: interval maps/ });
  t.throws(() => batch.addSet({ family: 'inet', table: 'f', name: 's', type: 'ipv4_addr', map: 'ether_addr' as never }), { name: 'RangeError', message: /set\.map: "ether_addr"/ });
  t.throws(() => batch.addSet({ family: 'inet', table: 'f', name: 's', type: 'ipv4_addr', elements: ['10.0.0.0/8'] }), { name: 'RangeError', message: /set\.elements\[0\]: a prefix or range needs an interval set/ });
  t.equal(batch.length, 0, 'nothing queued');
});

t.test('interval elements decode back to prefixes and ranges from any dump order; maps to [key, data]', async (t) => {
  const { elems } = buildElements({ type: 'ipv4_addr', interval: true, leadingEnd: true }, ['192.0.2.0/24', { range: ['10.0.0.1', '10.0.0.6'] }, '224.0.0.0/3', '8.8.8.8'], 'x');
  t.equal(elems[0]!.flags, NFT_SET_ELEM_INTERVAL_END, 'leading end element at 0');
  const set = { keyType: 7, keyLen: 4, flags: NFT_SET_INTERVAL };
  const want = ['8.8.8.8', { range: ['10.0.0.1', '10.0.0.6'] }, { prefix: { addr: '192.0.2.0', len: 24 } }, { prefix: { addr: '224.0.0.0', len: 3 } }];
  t.same(decodeElements(set, elems), want, 'as sent');
  t.same(decodeElements(set, [...elems].reverse()), want, 'reversed (the kernel dumps an rbtree from the top)');
  const ports = buildElements({ type: 'inet_service', interval: true }, [{ range: [1024, 2047] }, 65535], 'p');
  t.same(decodeElements({ keyType: 13, keyLen: 2, flags: NFT_SET_INTERVAL }, ports.elems), [{ range: [1024, 2047] }, 65535], 'ports stay ranges even when prefix-aligned (as nft prints them)');
  const vm = buildElements({ type: 'inet_service', data: 'verdict', interval: false }, [[80, { goto: 'web' }], [22, 'accept']], 'm');
  t.same(decodeElements({ keyType: 13, keyLen: 2, flags: NFT_SET_MAP, dataType: 0xffffff00 }, vm.elems), [[22, { accept: null }], [80, { goto: { target: 'web' } }]], 'verdict map, sorted by key');
  const marks = buildElements({ type: 'mark', interval: false }, [256, 1], 'k');
  t.same(decodeElements({ keyType: 19, keyLen: 4, flags: 0 }, marks.elems), [1, 256], 'host-order marks sort by value');
});
