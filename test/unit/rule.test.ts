// RuleApi against iproute2: each call must send the bytes `ip rule …` sent for the same
// command (captured with strace: fixtures/route/rule/, tools/capture-neigh-rule-fixtures.sh),
// ignoring seq and pid; the kernel's recorded replies are replayed and decoded.
import t from 'tap';
import { NetlinkError } from '../../src/netlink/errors.js';
import { decodeAll, describeMessage, splitMessages } from '../../src/netlink/message.js';
import { ReplayTransport } from '../../src/netlink/replay.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import { LinkApi } from '../../src/route/link/link.js';
import { rtnetlink } from '../../src/route/protocol.js';
import { type Rule, RuleApi } from '../../src/route/rule/rule.js';
import type { Frame } from '../../src/netlink/fixture.js';
import { loadFixture } from '../helpers/fixtures.js';

const api = (frames: readonly Frame[]): { r: RuleApi; tr: ReplayTransport } => {
  const tr = new ReplayTransport(frames);
  const sock = new NetlinkSocket(rtnetlink, tr);
  return { r: new RuleApi(sock, new LinkApi(sock)), tr };
};
const stable = (b: Buffer): Buffer => {
  const c = Buffer.from(b);
  for (const [s] of splitMessages(c)) c.fill(0, s + 8, s + 16);
  return c;
};

interface Case { readonly fx: string; readonly call: string; readonly run: (r: RuleApi) => Promise<unknown> }
const CASES: Case[] = [
  { fx: 'newrule-full', call: "add({ priority: 1000, from: '10.0.0.0/8', to: '192.168.0.0/16', fwmark: 0x10, fwmask: 0xff, iif: 'br0', table: 100 })",
    run: (r) => r.add({ priority: 1000, from: '10.0.0.0/8', to: '192.168.0.0/16', fwmark: 0x10, fwmask: 0xff, iif: 'br0', table: 100 }) },
  { fx: 'newrule-default-table', call: "add({ from: '10.9.0.0/16' })", run: (r) => r.add({ from: '10.9.0.0/16' }) },
  { fx: 'newrule-table5000', call: "add({ priority: 2000, not: true, to: '172.16.0.0/12', oif: 'br0', protocol: 'static', table: 5000 })",
    run: (r) => r.add({ priority: 2000, not: true, to: '172.16.0.0/12', oif: 'br0', protocol: 'static', table: 5000 }) },
  { fx: 'newrule-ports', call: 'add({ priority: 3000, tos: 0x10, uidrange: [0, 0], ipproto: 6, sport: [1000, 2000], dport: 443, table: 100, suppressPrefixlength: 0 })',
    run: (r) => r.add({ priority: 3000, tos: 0x10, uidrange: [0, 0], ipproto: 6, sport: [1000, 2000], dport: 443, table: 100, suppressPrefixlength: 0 }) },
  { fx: 'newrule-blackhole', call: "add({ priority: 4000, from: '10.66.0.0/16', action: 'blackhole' })", run: (r) => r.add({ priority: 4000, from: '10.66.0.0/16', action: 'blackhole' }) },
  { fx: 'newrule-goto', call: 'add({ priority: 5000, fwmark: 1, goto: 6000 })', run: (r) => r.add({ priority: 5000, fwmark: 1, goto: 6000 }) },
  { fx: 'newrule-ipv6', call: "add({ family: 6, priority: 1000, from: 'fd00:1::/64', to: 'fd00:2::/48', iif: 'br0', table: 100 })",
    run: (r) => r.add({ family: 6, priority: 1000, from: 'fd00:1::/64', to: 'fd00:2::/48', iif: 'br0', table: 100 }) },
  { fx: 'newrule-exists', call: "add({ priority: 1000, from: '10.0.0.0/8', to: '192.168.0.0/16', fwmark: 0x10, fwmask: 0xff, iif: 'br0', table: 100 })",
    run: (r) => r.add({ priority: 1000, from: '10.0.0.0/8', to: '192.168.0.0/16', fwmark: 0x10, fwmask: 0xff, iif: 'br0', table: 100 }).then(() => undefined, (e: unknown) => e) },
  { fx: 'delrule', call: 'del({ priority: 1000 })', run: (r) => r.del({ priority: 1000 }) },
  { fx: 'delrule-ipv6', call: "del({ family: 6, priority: 1000, from: 'fd00:1::/64', table: 100 })", run: (r) => r.del({ family: 6, priority: 1000, from: 'fd00:1::/64', table: 100 }) },
  { fx: 'getrule-dump', call: 'list({ family: 4 })', run: (r) => r.list({ family: 4 }) },
  { fx: 'getrule-dump-ipv6', call: 'list({ family: 6 })', run: (r) => r.list({ family: 6 }) },
];

const results = new Map<string, unknown>();
for (const c of CASES) {
  t.test(`rule.${c.call} sends what iproute2 sent (6.18, strace of ${c.fx})`, async (t) => {
    const fx = loadFixture(`route/rule/${c.fx}`);
    t.equal(fx.json.netlinkTs?.call, c.call, 'the fixture names this call');
    t.equal(fx.json.netlinkTs?.sameBytes, true, 'and expects the same bytes');
    const { r, tr } = api(fx.frames);
    results.set(c.fx, await c.run(r));
    const [ours, ...more] = tr.sent;
    t.equal(more.length, 0, 'one request');
    const theirs = fx.frames.find((f) => f.dir === 'send')!.bytes;
    if (!ours || !stable(ours).equals(stable(theirs))) {
      t.fail('request bytes differ from iproute2', {
        found: ours && describeMessage(rtnetlink, decodeAll(rtnetlink, ours)[0]!),
        wanted: describeMessage(rtnetlink, decodeAll(rtnetlink, theirs)[0]!),
      });
    } else t.pass(`${ours.length} bytes identical to \`${fx.json.provenance.command}\` (seq/pid aside)`);
    t.equal(tr.remaining, 0, 'the whole recorded exchange was used');
  });
}

/** Our Rule in the words `ip -j rule show` prints. */
const asIp = (r: Rule): Record<string, unknown> => {
  const [src, srclen] = r.from.split('/');
  const [dst, dstlen] = (r.to ?? '').split('/');
  const hex = (n: number): string => `0x${n.toString(16)}`;
  const names: Record<number, string> = { 255: 'local', 254: 'main', 253: 'default' };
  return {
    priority: r.priority,
    ...(r.not ? { not: null } : {}),
    src, ...(srclen ? { srclen: Number(srclen) } : {}),
    ...(r.to ? { dst, dstlen: Number(dstlen) } : {}),
    ...(r.tos ? { tos: hex(r.tos) } : {}),
    ...(r.fwmark !== undefined ? { fwmark: hex(r.fwmark) } : {}),
    ...(r.fwmask !== undefined && r.fwmask !== 0xffffffff ? { fwmask: hex(r.fwmask) } : {}),
    ...(r.iif ? { iif: r.iif } : {}),
    ...(r.oif ? { oif: r.oif } : {}),
    ...(r.action === 'table' ? { table: String(r.table) } : {}),
  };
};

t.test('list() decodes the dumps like `ip -j rule show` / `ip -j -6 rule show` (6.18)', async (t) => {
  for (const fx of ['getrule-dump', 'getrule-dump-ipv6']) {
    const rules = results.get(fx) as Rule[];
    t.same(rules.map(asIp), loadFixture(`route/rule/${fx}`).json.oracle, `${fx}: ${rules.length} rules`);
  }
  const [local, mine, inv] = results.get('getrule-dump') as Rule[];
  t.match(local, { priority: 0, from: 'all', table: 'local', action: 'table', protocol: 'kernel' });
  t.match(mine, { priority: 1000, from: '10.0.0.0/8', to: '192.168.0.0/16', fwmark: 0x10, fwmask: 0xff, iif: 'br0', table: 100, protocol: 'unspec' });
  t.match(inv, { priority: 2000, not: true, oif: 'br0', table: 5000 });
});

t.test('a duplicate add is a NetlinkError EEXIST', async (t) => {
  t.match(results.get('newrule-exists'), { code: 'EEXIST', operation: 'RTM_NEWRULE' });
  t.type(results.get('newrule-exists'), NetlinkError);
});

t.test('list() without family dumps AF_UNSPEC; only rtm family differs from `ip rule show`, as the fixture says', async (t) => {
  const fx = loadFixture('route/rule/getrule-dump');
  const [d] = fx.json.netlinkTs.differences;
  const tr = new ReplayTransport([]);
  await new RuleApi(new NetlinkSocket(rtnetlink, tr), new LinkApi(new NetlinkSocket(rtnetlink, tr))).list().catch(() => undefined);
  const ours = stable(tr.sent[0]!), theirs = stable(fx.frames[0]!.bytes);
  t.equal(ours.length, theirs.length, 'same length');
  t.same([...ours.keys()].filter((i) => ours[i] !== theirs[i]), [d.offset], `only byte ${d.offset} (${d.field}) differs`);
  t.equal(ours[d.offset], d.ours);
  t.equal(theirs[d.offset], d.iproute2);
});

t.test('bad rule specs throw TypeError/RangeError naming the field, with nothing sent', async (t) => {
  const bad: Array<[unknown, ErrorConstructor, RegExp]> = [
    [{ from: '10.0.0.0/33' }, RangeError, /^rule\.from: prefix length "33"/],
    [{ from: '10.0.0.0/8', to: 'fd00::/8' }, RangeError, /^rule\.to: "fd00::\/8" is IPv6 but the rule is IPv4/],
    [{ family: 6, from: '10.0.0.0/8' }, RangeError, /^rule\.from: "10\.0\.0\.0\/8" is IPv4 but the rule is IPv6/],
    [{ priority: -1 }, RangeError, /^rule\.priority: expected an integer 0\.\.4294967295/],
    [{ fwmask: 0xff }, TypeError, /^rule\.fwmask: needs fwmark/],
    [{ iif: 'a-very-long-name0' }, RangeError, /^rule\.iif: "a-very-long-name0" is not an interface name/],
    [{ oif: 0 }, RangeError, /^rule\.oif: expected an integer 1\.\./],
    [{ table: 'mian' }, RangeError, /^rule\.table: unknown routing table "mian"/],
    [{ action: 'drop' }, RangeError, /^rule\.action: unknown rule action "drop"/],
    [{ action: 'goto' }, TypeError, /^rule\.goto: action 'goto' needs a target priority/],
    [{ sport: [2000, 1000] }, RangeError, /^rule\.sport: start 2000 is above end 1000/],
    [{ dport: 70000 }, RangeError, /^rule\.dport: expected an integer 0\.\.65535/],
    [{ uidrange: [5, 1] }, RangeError, /^rule\.uidrange: start 5 is above end 1/],
    [{ tos: 256 }, RangeError, /^rule\.tos: /],
    [{ lookup: 100 }, TypeError, /^rule\.lookup: not a rule field/],
  ];
  for (const [spec, cls, re] of bad) {
    const { r, tr } = api([]);
    await t.rejects(r.add(spec as never), cls, `${JSON.stringify(spec)} → ${cls.name}`);
    await t.rejects(r.add(spec as never), re);
    t.equal(tr.sent.length, 0, 'nothing sent');
  }
  const { r, tr } = api([]);
  await t.rejects(r.addMany([{ priority: 1 }, { priority: 1.5 }]), /^rules\[1\]\.priority: /);
  await t.rejects(r.list({ family: 5 as 4 }), /^rule\.list\.family: expected 4 or 6/);
  t.equal(tr.sent.length, 0, 'nothing sent');
});
