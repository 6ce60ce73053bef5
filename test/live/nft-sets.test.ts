// Live: anonymous sets, interval sets, maps and verdict maps through NftHandle in a private netns,
// under both FFI backends, with nft(8) as the oracle — the rulesets of fixtures/nft/rulesets/
// built here read back through `nft -j list ruleset` exactly as nft -j read nft's own version
// (the fixtures' oracle), the same rulesets loaded by `nft -f` decode here to nft -j's meaning,
// elements added and deleted later read back, and packets meet the sets.
import t from 'tap';
import { createSocket } from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadBackend } from '../../src/ffi/libc.js';
import type { NftBatch } from '../../src/nft/batch.js';
import { NftHandle } from '../../src/nft/handle.js';
import { ruleStatements, ruleText } from '../../src/nft/print.js';
import { RuleBuilder } from '../../src/nft/rule-builder.js';
import { loadFixture } from '../helpers/fixtures.js';
import { backends, enterFreshNetns } from '../helpers/live.js';
import { anonSetsBatch, concatBatch, intervalsBatch, mapsBatch } from '../helpers/nft-sets.js';

enterFreshNetns();
const RULESETS = fileURLToPath(new URL('../../fixtures/nft/rulesets/', import.meta.url));

const nft = (...args: string[]): string => execFileSync('nft', args, { encoding: 'utf8' });
const nftJson = (): Record<string, any>[] => JSON.parse(nft('-j', 'list', 'ruleset')).nftables;
const flushAll = (): void => { nft('flush', 'ruleset'); };

/** What nft -j says of a ruleset, handles aside: rules' expressions, sets and maps with elements. */
function meaning(objs: Record<string, any>[]): unknown {
  return {
    rules: objs.filter((o) => o['rule']).map((o) => [o['rule'].table, o['rule'].chain, o['rule'].expr]),
    sets: objs.filter((o) => o['set'] || o['map']).map((o) => { const { handle: _, ...s } = o['set'] ?? o['map']; return s; }),
  };
}

const BUILT: Record<string, (b: NftBatch) => NftBatch> = { 'anon-sets': anonSetsBatch, intervals: intervalsBatch, maps: mapsBatch, concat: concatBatch };

for (const backend of backends) {
  const open = (): NftHandle => NftHandle.open({ libc: loadBackend(backend) });

  for (const [name, build] of Object.entries(BUILT)) {
    t.test(`${backend}: ${name} built here reads back through nft -j as nft's own ${name}.nft did (fixtures/nft/batch-${name}.json oracle)`, async (t) => {
      flushAll();
      t.teardown(flushAll);
      const h = open();
      t.teardown(() => h.close());
      const res = await build(h.batch()).commit();
      t.ok(res.rules.length >= 3, `${res.rules.length} rules committed`);
      const want = meaning(loadFixture(`nft/batch-${name}`).json.oracle.nftables);
      t.same(meaning(nftJson()), want, 'nft -j list ruleset: same rules, sets, maps and elements');
      // And our own listing decodes to the same meaning.
      const rs = await h.list();
      const oracle = nftJson();
      for (const o of oracle.filter((x) => x['rule']).map((x) => x['rule'])) {
        const r = rs.rules.find((x) => Number(x.handle) === o.handle && x.table === o.table)!;
        t.same(r && ruleStatements(r), o.expr, `#${o.handle}: ${r ? ruleText(r) : '(missing)'}`);
      }
    });
  }

  t.test(`${backend}: the same rulesets loaded by nft -f decode here to nft -j's meaning (sets, maps, elements, rules)`, async (t) => {
    flushAll();
    t.teardown(flushAll);
    for (const n of ['anon-sets', 'intervals', 'maps', 'concat']) nft('-f', `${RULESETS}${n}.nft`);
    const h = open();
    t.teardown(() => h.close());
    const rs = await h.list();
    const o = nftJson();
    const oSets = o.filter((x) => x['set'] || x['map']).map((x) => x['set'] ?? x['map']);
    t.same(rs.sets.filter((s) => !s.name.startsWith('__')).map((s) => [s.table, s.name, s.type, s.map, Number(s.handle), s.elements]),
      oSets.map((s) => [s.table, s.name, s.type, s.map, s.handle, s.elem]), 'named sets and maps with elements');
    const oRules = o.filter((x) => x['rule']).map((x) => x['rule']);
    t.equal(rs.rules.length, oRules.length, `${oRules.length} rules`);
    for (const want of oRules) {
      const r = rs.rules.find((x) => Number(x.handle) === want.handle && x.table === want.table);
      t.same(r && ruleStatements(r), want.expr, `${want.table} #${want.handle}: ${r ? ruleText(r) : '(missing)'}`);
    }
    const only = await h.rules({ family: 'ip', table: 'nat', chain: 'prerouting' });
    t.equal(ruleText(only[0]!), 'tcp dport vmap { 22 : accept, 23 : drop, 80 : jump web }', 'rules() alone also fetches the anonymous map');
  });

  t.test(`${backend}: elements added to and deleted from interval sets and maps read back through nft -j`, async (t) => {
    flushAll();
    t.teardown(flushAll);
    const h = open();
    t.teardown(() => h.close());
    await h.batch().addTable({ family: 'inet', name: 'e' })
      .addChain({ family: 'inet', table: 'e', name: 'j' })
      .addSet({ family: 'inet', table: 'e', name: 'nets', type: 'ipv4_addr', interval: true, elements: ['10.0.0.0/8'] })
      .addSet({ family: 'inet', table: 'e', name: 'v6', type: 'ipv6_addr', interval: true })
      .addSet({ family: 'inet', table: 'e', name: 'ports', type: 'inet_service', interval: true, elements: [{ range: [1000, 1999] }, 65535] })
      .addSet({ family: 'inet', table: 'e', name: 'vm', type: 'inet_service', map: 'verdict', elements: [[22, 'accept']] })
      .addSet({ family: 'inet', table: 'e', name: 'fw', type: 'ipv4_addr', map: 'ipv4_addr' })
      .commit();
    await h.batch()
      .addElements({ family: 'inet', table: 'e', name: 'nets', type: 'ipv4_addr', interval: true, elements: ['172.16.0.0/12', { range: ['192.0.2.10', '192.0.2.20'] }, '198.51.100.7'] })
      .addElements({ family: 'inet', table: 'e', name: 'v6', type: 'ipv6_addr', interval: true, elements: ['2001:db8::/32', 'ff00::/8'] })
      .addElements({ family: 'inet', table: 'e', name: 'vm', type: 'inet_service', map: 'verdict', elements: [[80, { jump: 'j' }], [23, 'drop']] })
      .addElements({ family: 'inet', table: 'e', name: 'fw', type: 'ipv4_addr', map: 'ipv4_addr', elements: [['10.1.1.1', '192.168.1.1']] })
      .commit();
    await h.batch()
      .deleteElements({ family: 'inet', table: 'e', name: 'nets', type: 'ipv4_addr', interval: true, elements: ['10.0.0.0/8'] })
      .deleteElements({ family: 'inet', table: 'e', name: 'vm', type: 'inet_service', map: 'verdict', elements: [[22, 'accept']] })
      .commit();
    const elem = Object.fromEntries(nftJson().filter((x) => x['set'] || x['map']).map((x) => { const s = x['set'] ?? x['map']; return [s.name, s.elem]; }));
    t.same(elem, {
      nets: [{ prefix: { addr: '172.16.0.0', len: 12 } }, { range: ['192.0.2.10', '192.0.2.20'] }, '198.51.100.7'],
      v6: [{ prefix: { addr: '2001:db8::', len: 32 } }, { prefix: { addr: 'ff00::', len: 8 } }],
      ports: [{ range: [1000, 1999] }, 65535],
      vm: [[23, { drop: null }], [80, { jump: { target: 'j' } }]],
      fw: [['10.1.1.1', '192.168.1.1']],
    }, 'nft -j sees every change');
    const mine = Object.fromEntries((await h.sets({ family: 'inet', table: 'e' })).map((s) => [s.name, s]));
    for (const [n, want] of Object.entries(elem)) t.same(await h.elements(mine[n]!), want, `h.elements(${n}) == nft -j`);
    const bad = (): unknown => h.batch().addSet({ family: 'inet', table: 'e', name: 'x', type: 'ipv4_addr', interval: true, elements: ['10.0.0.0/8', '10.1.0.0/16'] });
    t.throws(bad, RangeError, 'overlapping intervals are refused before any syscall');
  });
}

t.test('packets: UDP to ports in an anonymous set, an interval set, a verdict map and an address . port concatenation is dropped in output; other ports pass', async (t) => {
  flushAll();
  t.teardown(flushAll);
  const h = NftHandle.open();
  t.teardown(() => h.close());
  const inet = (): RuleBuilder => new RuleBuilder('inet');
  const rule = (b: RuleBuilder) => ({ family: 'inet' as const, table: 'pk', chain: 'out', exprs: b.exprs, sets: b.sets });
  await h.batch().addTable({ family: 'inet', name: 'pk' })
    .addChain({ family: 'inet', table: 'pk', name: 'out', type: 'filter', hook: 'output', priority: 'filter', policy: 'accept' })
    .addRule(rule(inet().dportIn('udp', [40101, 40103]).drop()))
    .addRule(rule(inet().dportIn('udp', [{ range: [40110, 40119] }, 40130]).drop()))
    .addRule(rule(inet().vmap('udp dport', [[40105, 'drop'], [40106, 'accept']])))
    .addRule(rule(inet().in(['ip daddr', 'udp dport'], [{ concat: ['127.0.0.1', 40140] }, { concat: ['127.0.0.2', 40141] }]).drop()))
    .commit();

  /** Whether a datagram sent to 127.0.0.1:port arrives. */
  const arrives = (port: number): Promise<boolean> => new Promise((resolve) => {
    const rx = createSocket('udp4');
    const tx = createSocket('udp4');
    let settled = false;
    const done = (v: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer); rx.close(); tx.close(); resolve(v);
    };
    // Long enough for a loaded machine to deliver a loopback datagram; the blocked cases wait it out.
    const timer = setTimeout(() => done(false), 1500);
    rx.on('message', () => done(true));
    rx.bind(port, '127.0.0.1', () => tx.send('x', port, '127.0.0.1', (err) => { if (err) done(false); }));
  });
  const got: Record<number, boolean> = {};
  for (const p of [40100, 40101, 40102, 40103, 40105, 40106, 40109, 40110, 40115, 40119, 40120, 40130, 40140, 40141]) got[p] = await arrives(p);
  t.same(got, {
    40100: true, 40101: false, 40102: true, 40103: false, 40105: false, 40106: true,
    40109: true, 40110: false, 40115: false, 40119: false, 40120: true, 40130: false,
    40140: false, 40141: true,
  }, 'dropped exactly the ports in the sets, the vmap\'s drop entry and the address . port pair (127.0.0.2 . 40141 is not 127.0.0.1)');
  const [r] = await h.rules({ family: 'inet', table: 'pk' });
  await h.deleteRule({ family: 'inet', table: 'pk', chain: 'out', handle: r!.handle });
  t.equal(await arrives(40101), true, 'with the anonymous-set rule deleted, 40101 arrives');
  t.notOk(nftJson().some((x) => x['set']), 'no set is left over (anonymous sets go with their rules)');
});
