// monitorNft() over recorded nftables notifications (fixtures/nft/monitor-events, made by
// tools/capture-nft-monitor-fixture.ts): typed events in order, element messages joined per
// set, anonymous sets attached to their rule, kind filters, a simulated ENOBUFS, option checks,
// and the `netlink-dump monitor nft` lines for the same events. No privileges.
import t from 'tap';
import { SyscallError } from '../../src/ffi/errors.js';
import type { Frame } from '../../src/netlink/fixture.js';
import { splitMessages } from '../../src/netlink/message.js';
import { ReplayTransport } from '../../src/netlink/replay.js';
import { NFT_MSG_NEWSET } from '../../src/nft/constants.js';
import type { NftEvent, NftEventKind } from '../../src/nft/monitor-event.js';
import { monitorNft } from '../../src/nft/monitor.js';
import { ruleText } from '../../src/nft/print.js';
import { nftEventShown, nftEventText } from '../../src/cli/live/nft-events.js';
import { loadFixture } from '../helpers/fixtures.js';

const fx = loadFixture('nft/monitor-events');

function label(ev: NftEvent): string {
  switch (ev.kind) {
    case 'table': return `table ${ev.action} ${ev.table.family} ${ev.table.name}`;
    case 'chain': return `chain ${ev.action} ${ev.chain.name}`;
    case 'set': return `set ${ev.action} ${ev.set.name}`;
    case 'element': return `element ${ev.action} ${ev.set} ${JSON.stringify(ev.elements)}`;
    case 'rule': return `rule ${ev.action} ${ev.rule.handle}: ${ruleText(ev.rule)}`;
    case 'gen': return `gen by ${ev.comm}`;
    case 'lost': return 'lost';
  }
}

async function all(frames: readonly Frame[], kinds?: NftEventKind[]): Promise<NftEvent[]> {
  const out: NftEvent[] = [];
  for await (const ev of monitorNft({ transport: new ReplayTransport(frames), ...(kinds ? { kinds } : {}) })) out.push(ev);
  return out;
}

const ALL = [
  'table new ip nat',
  'chain new postrouting',
  'set new blk',
  'element new blk [{"prefix":{"addr":"10.0.0.0","len":8}},"192.168.1.1"]',
  'rule new 3: ip saddr 192.168.15.0/24 oifname != "br0" masquerade',
  'set new __set0',
  'element new __set0 [22,80]',
  'rule new 5: tcp dport { 22, 80 } ip saddr @blk drop',
  'gen by nft',
  'rule del 3: ip saddr 192.168.15.0/24 oifname != "br0" masquerade',
  'gen by nft',
  'rule del 5: tcp dport { 22, 80 } ip saddr @blk drop',
  'set del __set0',
  'set del blk',
  'chain del postrouting',
  'table del ip nat',
  'gen by nft',
];

t.test(`typed events in commit order (recorded: ${String(fx.json.provenance.command).slice(0, 50)}…)`, async (t) => {
  t.ok(fx.frames.length >= 3 && fx.frames.every((f) => f.dir === 'recv'), 'recv frames only');
  t.same((await all(fx.frames)).map(label), ALL);
});

t.test('kinds filter what is yielded, not what is remembered', async (t) => {
  t.same((await all(fx.frames, ['rule'])).map(label), ALL.filter((l) => l.startsWith('rule ')), 'rules keep their anonymous sets');
  t.same((await all(fx.frames, ['table', 'gen'])).map(label), ALL.filter((l) => /^(table|gen)/.test(l)));
});

t.test('elements of a set not seen decode to undefined, with their raw attributes', async (t) => {
  // The first datagram alone, without its NEWSET messages: elements of sets not seen.
  const first = fx.frames[0]!;
  const kept = splitMessages(first.bytes).filter(([s]) => (first.bytes.readUInt16LE(s + 4) & 0xff) !== NFT_MSG_NEWSET);
  const bytes = Buffer.concat(kept.map(([s, e]) => first.bytes.subarray(s, e)));
  const els = (await all([{ ...first, bytes }])).filter((e) => e.kind === 'element');
  t.equal(els.length, 2, 'two element events (blk, __set0)');
  for (const e of els) if (e.kind === 'element') { t.equal(e.elements, undefined, `${e.set}: not decoded`); t.ok(e.raw.length > 0, `${e.set}: raw elements kept`); }
});

class Overflowing extends ReplayTransport {
  #n = 0;
  override recv(): Buffer {
    if (this.#n++ === 1) throw new SyscallError('recvfrom', 105);
    return super.recv();
  }
}

t.test('ENOBUFS → lost, then the stream goes on', async (t) => {
  const out: string[] = [];
  for await (const ev of monitorNft({ transport: new Overflowing(fx.frames) })) out.push(label(ev));
  // The second receive fails: after the first datagram's events (the commit before its gen).
  const firstGen = ALL.indexOf('gen by nft');
  t.same(out, [...ALL.slice(0, firstGen), 'lost', ...ALL.slice(firstGen)]);
});

t.test('netlink-dump monitor nft lines', async (t) => {
  const lines = (await all(fx.frames)).filter(nftEventShown).map(nftEventText);
  t.same(lines.slice(0, 5), [
    'nft new table ip nat handle 1',
    'nft new chain ip nat postrouting handle 1: type nat hook postrouting priority srcnat; policy accept;',
    'nft new set ip nat blk handle 2: type ipv4_addr; flags interval',
    'nft new element ip nat blk: { 10.0.0.0/8, 192.168.1.1 }',
    'nft new rule ip nat postrouting handle 3: ip saddr 192.168.15.0/24 oifname != "br0" masquerade',
  ]);
  t.equal(lines[5], 'nft new rule ip nat postrouting handle 5: tcp dport { 22, 80 } ip saddr @blk drop', 'the anonymous set has no line of its own');
  t.match(lines[6], /^nft gen \d+ by nft pid \d+$/);
  t.equal(lines[7], 'nft del rule ip nat postrouting handle 3');
});

t.test('options are checked', async (t) => {
  t.throws(() => monitorNft({ kinds: [] }), RangeError);
  t.throws(() => monitorNft({ kinds: ['rules' as never] }), /unknown kind "rules"/);
  t.throws(() => monitorNft({ rcvbuf: 0 }), RangeError);
  t.throws(() => monitorNft({ knownSets: {} as never }), TypeError);
});
