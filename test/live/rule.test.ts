// Live: RuleApi against iproute2 on the same state, in a private netns, under both FFI backends.
// No br0 exists here: rules name devices, and the kernel marks them IIF/OIF_DETACHED.
import t, { type Test } from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { BulkError, NetlinkError } from '../../src/netlink/errors.js';
import { RouteHandle } from '../../src/route/handle.js';
import { type Rule, type RuleSpec, RuleApi } from '../../src/route/rule/rule.js';
import { FIB_RULE } from '../../src/route/rule/rule.schema.js';
import { backends, enterFreshNetns, ip, ipJson, netnsInode } from '../helpers/live.js';

const home = enterFreshNetns();

/** The same rule made by `ip [-6] rule add ARGS` and by RuleApi (priorities keep them apart). */
const SAME: ReadonlyArray<readonly [string, RuleSpec]> = [
  ['priority 1000 from 10.0.0.0/8 to 192.168.0.0/16 fwmark 0x10/0xff iif br0 table 100',
    { priority: 1000, from: '10.0.0.0/8', to: '192.168.0.0/16', fwmark: 0x10, fwmask: 0xff, iif: 'br0', table: 100 }],
  ['priority 1100 not to 172.16.0.0/12 oif br0 protocol static table 5000', { priority: 1100, not: true, to: '172.16.0.0/12', oif: 'br0', protocol: 'static', table: 5000 }],
  ['priority 1200 tos 0x10 uidrange 0-0 ipproto 6 sport 1000-2000 dport 443 table 100 suppress_prefixlength 0',
    { priority: 1200, tos: 0x10, uidrange: [0, 0], ipproto: 6, sport: [1000, 2000], dport: 443, table: 100, suppressPrefixlength: 0 }],
  ['priority 1300 from 10.66.0.0/16 blackhole', { priority: 1300, from: '10.66.0.0/16', action: 'blackhole' }],
  ['priority 1400 fwmark 0x1 goto 1600', { priority: 1400, fwmark: 1, goto: 1600 }],
  ['priority 1500 from 10.67.0.0/16 prohibit', { priority: 1500, from: '10.67.0.0/16', action: 'prohibit' }],
  ['priority 1600 from 10.68.0.1 table main', { priority: 1600, from: '10.68.0.1', table: 'main' }],
];
const SAME6: ReadonlyArray<readonly [string, RuleSpec]> = [
  ['priority 1000 from fd00:1::/64 to fd00:2::/48 iif br0 table 100', { family: 6, priority: 1000, from: 'fd00:1::/64', to: 'fd00:2::/48', iif: 'br0', table: 100 }],
  ['priority 1100 fwmark 7 unreachable', { family: 6, priority: 1100, fwmark: 7, action: 'unreachable' }],
];

/** Our Rule in the words `ip -j rule show` prints (the common fields). */
const asIp = (r: Rule): Record<string, unknown> => {
  const [src, srclen] = r.from.split('/');
  const [dst, dstlen] = (r.to ?? '').split('/');
  const hex = (n: number): string => `0x${n.toString(16)}`;
  const names: Record<number, string> = { 255: 'local', 254: 'main', 253: 'default' };
  const host = r.family === 4 ? '32' : '128';
  return {
    priority: r.priority,
    ...(r.not ? { not: null } : {}),
    src, ...(srclen && srclen !== host ? { srclen: Number(srclen) } : {}),
    ...(r.to ? { dst, ...(dstlen !== host ? { dstlen: Number(dstlen) } : {}) } : {}),
    ...(r.tos ? { tos: hex(r.tos) } : {}),
    ...(r.fwmark !== undefined ? { fwmark: hex(r.fwmark) } : {}),
    ...(r.fwmask !== undefined && r.fwmask !== 0xffffffff ? { fwmask: hex(r.fwmask) } : {}),
    ...(r.iif ? { iif: r.iif } : {}),
    ...(r.rawFlags & FIB_RULE.FIB_RULE_IIF_DETACHED ? { iif_detached: null } : {}),
    ...(r.oif ? { oif: r.oif } : {}),
    ...(r.rawFlags & FIB_RULE.FIB_RULE_OIF_DETACHED ? { oif_detached: null } : {}),
    ...(r.uidrange ? { uid_start: r.uidrange[0], uid_end: r.uidrange[1] } : {}),
    ...(r.ipproto !== undefined ? { ipproto: r.ipproto === 6 ? 'tcp' : r.ipproto } : {}),
    ...(r.sport ? (r.sport[0] === r.sport[1] ? { sport: r.sport[0] } : { sport_start: r.sport[0], sport_end: r.sport[1] }) : {}),
    ...(r.dport ? (r.dport[0] === r.dport[1] ? { dport: r.dport[0] } : { dport_start: r.dport[0], dport_end: r.dport[1] }) : {}),
    ...(r.action === 'table' || r.table ? { table: String(r.table) } : {}),
    ...(r.suppressPrefixlength !== undefined ? { suppress_prefixlen: r.suppressPrefixlength } : {}),
    ...(r.action === 'goto' ? { goto: r.goto } : {}),
    ...(r.action !== 'table' && r.action !== 'goto' ? { action: r.action } : {}),
    ...(r.protocol !== undefined && r.protocol !== 'unspec' && r.protocol !== 'kernel' ? { protocol: r.protocol } : {}),
  };
};
/** ip -j rule show, with the fields asIp() does not model dropped (none expected here). */
const ipRules = (...opts: string[]): any[] => ipJson(...opts, 'rule', 'show');
const settle = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);
const flushOurs = (): void => {
  for (const fam of ['-4', '-6']) for (const r of ipRules(fam)) if (r.priority !== 0 && r.priority < 32766) ip(fam, 'rule', 'del', 'priority', String(r.priority));
};

for (const backend of backends) {
  const open = (t: Test): RuleApi => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    return h.rule;
  };

  t.test(`${backend}: rules made by ip decode field by field like ip -j rule show`, async (t) => {
    t.teardown(flushOurs);
    const rule = open(t);
    for (const [args] of SAME) ip('rule', 'add', ...args.split(' '));
    for (const [args] of SAME6) ip('-6', 'rule', 'add', ...args.split(' '));
    t.same((await rule.list({ family: 4 })).map(asIp), ipRules('-4'), 'list({ family: 4 }) = ip -j rule show');
    t.same((await rule.list({ family: 6 })).map(asIp), ipRules('-6'), 'list({ family: 6 }) = ip -j -6 rule show');
    const all = await rule.list();
    t.same(all.map(asIp), [...ipRules('-4'), ...ipRules('-6')], 'list() = IPv4 then IPv6');
    const streamed: Rule[] = [];
    for await (const r of rule.stream({ family: 4 })) streamed.push(r);
    t.same(streamed.map(asIp), ipRules('-4'), 'stream()');
  });

  t.test(`${backend}: rules made by RuleApi read back through ip -j exactly as ip-made ones`, async (t) => {
    t.teardown(flushOurs);
    const rule = open(t);
    for (const [args] of SAME) ip('rule', 'add', ...args.split(' '));
    for (const [args] of SAME6) ip('-6', 'rule', 'add', ...args.split(' '));
    const theirs4 = ipRules('-4'), theirs6 = ipRules('-6');
    flushOurs();
    t.same(ipRules('-4').length, 3, 'back to the three default rules');
    for (const [, spec] of [...SAME, ...SAME6]) await rule.add(spec);
    t.same(ipRules('-4'), theirs4, 'ip -j rule show: identical');
    t.same(ipRules('-6'), theirs6, 'ip -j -6 rule show: identical');
    const dup = await settle(rule.add(SAME[0]![1]));
    t.type(dup, NetlinkError, 'a duplicate add is a NetlinkError');
    t.match(dup, { code: 'EEXIST', operation: 'RTM_NEWRULE' });
    await rule.del({ priority: 1000 });
    await rule.del({ family: 6, priority: 1000 });
    t.notOk(ipRules('-4').some((r) => r.priority === 1000), 'deleted by priority');
    t.notOk(ipRules('-6').some((r) => r.priority === 1000), 'IPv6 too');
    t.match(await settle(rule.del({ priority: 1000 })), { code: 'ENOENT' }, 'deleting a missing rule: ENOENT');
  });

  t.test(`${backend}: addMany with a duplicate reports it by index; default table main`, async (t) => {
    t.teardown(flushOurs);
    const rule = open(t);
    const specs: RuleSpec[] = Array.from({ length: 100 }, (_, i) => ({ priority: 2000 + i, from: `10.${i}.0.0/16` }));
    const err = await settle(rule.addMany([...specs.slice(0, 40), specs[7]!, ...specs.slice(40)], { stopOnError: false }));
    t.type(err, BulkError);
    t.equal((err as BulkError).failures.length, 1, 'exactly one failure');
    t.equal((err as BulkError).failures[0]?.index, 40, 'and it is the duplicate');
    t.equal((err as BulkError).failures[0]?.code, 'EEXIST');
    const mine = (await rule.list({ family: 4 })).filter((r) => r.priority >= 2000 && r.priority < 2100);
    t.equal(mine.length, 100, 'the others were added');
    t.ok(mine.every((r) => r.table === 'main' && r.action === 'table'), 'table main, FR_ACT_TO_TBL by default');
    t.same(await rule.delMany(specs.map((s) => ({ priority: s.priority! }))), { attempted: 100, failures: [] }, 'delMany');
  });

  t.test(`${backend}: bad input is refused before any syscall`, async (t) => {
    const rule = open(t);
    await t.rejects(rule.add({ from: '10.0.0.0/33' }), RangeError);
    await t.rejects(rule.add({ iif: 'x'.repeat(16) }), RangeError);
    await t.rejects(rule.add({ table: 'nope' as never }), RangeError);
    await t.rejects(rule.add({ from: '10.0.0.0/8', to: 'fd00::/8' }), RangeError);
    t.same(ipRules('-4').length, 3, 'nothing was added');
  });
}

t.test('still in the namespace this file created', async (t) => {
  t.equal(netnsInode(), home);
});
