// Live: RuleBuilder's matches and statements named after nft's (icmp type, tcp flags, ip dscp,
// th dport, comparisons, ether saddr, ct status/direction/mark/count, meta/ct mark set, fib,
// tcp option maxseg size set, quota, objref, redirect, masquerade flags, limit over, log
// options, reject with icmpx/icmp) against nft itself, under both FFI backends: for each, the
// rule nft -f makes from the nft syntax and the rule the builder makes have the same
// expressions (as the kernel dumps them), and nft lists the builder's rule as that syntax.
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { toJson } from '../../src/netlink/jsonable.js';
import { NftHandle } from '../../src/nft/handle.js';
import { RuleBuilder } from '../../src/nft/rule-builder.js';
import { backends, enterFreshNetns } from '../helpers/live.js';

enterFreshNetns();
t.setTimeout(600_000); // a safety net (test/run.sh --timeout), not a speed check
const nft = (...args: string[]): string => execFileSync('nft', args, { encoding: 'utf8' });

type Case = readonly [syntax: string, build: (b: RuleBuilder) => RuleBuilder, family?: 'inet' | 'ip' | 'ip6'];
const CASES: readonly Case[] = [
  ['icmp type echo-request accept', (b) => b.icmpType('echo-request').accept(), 'ip'],
  ['icmpv6 type nd-neighbor-solicit accept', (b) => b.icmpv6Type('nd-neighbor-solicit').accept(), 'ip6'],
  ['tcp flags syn / fin,syn,rst,ack accept', (b) => b.tcpFlags(['syn'], ['fin', 'syn', 'rst', 'ack']).accept()],
  ['tcp flags syn accept', (b) => b.tcpFlags(['syn']).accept()],
  ['ip dscp ef accept', (b) => b.ipDscp('ef').accept(), 'ip'],
  ['th dport 53 accept', (b) => b.thDport(53).accept()],
  ['tcp dport < 1024 accept', (b) => b.dportCmp('tcp', '<', 1024).accept()],
  ['udp dport >= 5000 drop', (b) => b.dportCmp('udp', '>=', 5000).drop()],
  ['ether saddr 02:00:00:00:00:01 drop', (b) => b.etherSaddr('02:00:00:00:00:01').drop()],
  ['ct status dnat accept', (b) => b.ctStatus(['dnat']).accept()],
  ['ct direction reply drop', (b) => b.ctDirection('reply').drop()],
  ['ct mark 0x00000010 accept', (b) => b.ctMark(0x10).accept()],
  ['ct mark != 0x00000010 accept', (b) => b.ctMark(0x10, { op: '!=' }).accept()],
  ['ct count over 20 drop', (b) => b.ctCount(20, { over: true }).drop()],
  ['meta mark set 0x00000001', (b) => b.metaMarkSet(1)],
  ['meta mark set ct mark', (b) => b.metaMarkSet({ from: 'ct mark' })],
  ['ct mark set 0x00000010', (b) => b.ctMarkSet(0x10)],
  ['ct mark set meta mark', (b) => b.ctMarkSet({ from: 'meta mark' })],
  ['fib saddr . iif oif missing drop', (b) => b.fib({ flags: ['saddr', 'iif'], result: 'oif', missing: true }).drop()],
  ['fib daddr type local accept', (b) => b.fib({ flags: ['daddr'], result: 'type', type: 'local' }).accept()],
  ['tcp flags syn tcp option maxseg size set 1360', (b) => b.tcpFlags(['syn']).tcpOptionMaxsegSizeSet(1360)],
  ['quota over 10 mbytes drop', (b) => b.quota(10 * 1024 * 1024, { over: true }).drop()],
  ['limit rate over 100/minute drop', (b) => b.limitOver({ rate: 100, per: 'minute' }).drop()],
  ['log prefix "in: " level debug', (b) => b.logWith({ prefix: 'in: ', level: 'debug' })],
  ['log flags all', (b) => b.logWith({ flagsAll: true })],
  ['tcp dport 5 reject with icmpx admin-prohibited', (b) => b.tcpDport(5).rejectWith('icmpx', 'admin-prohibited')],
  ['tcp dport 6 reject with icmp host-unreachable', (b) => b.tcpDport(6).rejectWith('icmp', 'host-unreachable'), 'ip'],
  ['counter name "c1"', (b) => b.objref('counter', 'c1')],
];
const NAT_CASES: readonly Case[] = [
  ['tcp dport 8080 redirect to :80', (b) => b.tcpDport(8080).redirect({ port: 80 }), 'ip'],
  ['masquerade random,persistent', (b) => b.masqueradeWith({ random: true, persistent: true }), 'ip'],
];

/** The NAT base chain a statement belongs in (redirect: prerouting; masquerade: postrouting). */
const hook = (syntax: string): string => (syntax.includes('redirect') ? 'type nat hook prerouting priority dstnat;' : 'type nat hook postrouting priority srcnat;');

for (const backend of backends) {
  t.test(`${backend}: RuleBuilder compiles as nft does and lists as the same syntax`, async (t) => {
    const h = NftHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => { h.close(); nft('flush', 'ruleset'); });
    for (const [syntax, build, family = 'inet'] of [...CASES, ...NAT_CASES]) {
      const nat = NAT_CASES.some((c) => c[0] === syntax);
      nft('flush', 'ruleset');
      execFileSync('nft', ['-f', '-'], {
        input: `table ${family} b {\n counter c1 { }\n chain c { ${nat ? hook(syntax) : ''} }\n chain d { ${nat ? hook(syntax) : ''} }\n}\n`,
      });
      nft('add', 'rule', family, 'b', 'c', ...syntax.split(' '));
      const rb = build(new RuleBuilder(family));
      await h.batch({ echo: false }).addRule({ family, table: 'b', chain: 'd', exprs: rb.exprs, sets: rb.sets }).commit();
      const rules = await h.rules({ family, table: 'b' });
      const theirs = rules.find((r) => r.chain === 'c')!, ours = rules.find((r) => r.chain === 'd')!;
      t.same(toJson(ours.exprs), toJson(theirs.exprs), `${syntax}: the same expressions as nft's`);
      const listed = nft('list', 'chain', family, 'b', 'd').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('chain') && !l.startsWith('table') && !l.startsWith('type') && l !== '}');
      t.same(listed, [syntax], `${syntax}: nft lists it as written`);
    }
  });
}
