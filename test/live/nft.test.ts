// Live: nftables through NftHandle in a private netns, under both FFI backends, with nft(8)
// as the oracle — rules made by `nft -f` decode here to what `nft -j` says they mean, rules
// made here read back through `nft -j list ruleset`, a failed batch leaves the ruleset
// byte-identical, and masquerade really rewrites the source of forwarded packets.
import t from 'tap';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadBackend } from '../../src/ffi/libc.js';
import { splitMessages } from '../../src/netlink/message.js';
import { RecordingTransport } from '../../src/netlink/replay.js';
import { LiveTransport } from '../../src/netlink/transport.js';
import { NftBatchError } from '../../src/nft/errors.js';
import { NftHandle } from '../../src/nft/handle.js';
import { ruleStatements, ruleText } from '../../src/nft/print.js';
import { nfnetlink } from '../../src/nft/protocol.js';
import { RuleBuilder } from '../../src/nft/rule-builder.js';
import { backends, enterFreshNetns, ip, netnsInode, openFds } from '../helpers/live.js';

const home = enterFreshNetns();
const RULESETS = fileURLToPath(new URL('../../fixtures/nft/rulesets/', import.meta.url));

const nft = (...args: string[]): string => execFileSync('nft', args, { encoding: 'utf8' });
const nftJson = (): Record<string, any>[] => JSON.parse(nft('-j', 'list', 'ruleset')).nftables;
const nftRules = (): Record<string, any>[] => nftJson().filter((o) => o['rule']).map((o) => o['rule']);
const flushAll = (): void => { nft('flush', 'ruleset'); };

for (const backend of backends) {
  const open = (): NftHandle => NftHandle.open({ libc: loadBackend(backend) });

  t.test(`${backend}: rules made by nft -f decode to the meaning nft -j gives them`, async (t) => {
    flushAll();
    t.teardown(flushAll);
    nft('-f', `${RULESETS}filter.nft`);
    nft('-f', `${RULESETS}masquerade.nft`);
    const h = open();
    t.teardown(() => h.close());
    const rs = await h.list();
    const o = nftJson();
    t.same(rs.tables.map((x) => [x.family, x.name, Number(x.handle)]), o.filter((x) => x['table']).map((x) => [x['table'].family, x['table'].name, x['table'].handle]), 'tables');
    t.same(rs.chains.map((c) => [c.family, c.table, c.name, c.type, c.hook, c.priority, c.policy]),
      o.filter((x) => x['chain']).map((x) => { const c = x['chain']; return [c.family, c.table, c.name, c.type, c.hook, c.prio, c.policy]; }), 'chains');
    const oracle = nftRules();
    t.equal(rs.rules.length, oracle.length, `${oracle.length} rules`);
    for (const want of oracle) {
      const r = rs.rules.find((x) => Number(x.handle) === want.handle && x.table === want.table && x.family === want.family);
      t.same(r && ruleStatements(r), want.expr, `${want.family} ${want.table} ${want.chain} #${want.handle}: ${r ? ruleText(r) : '(missing)'}`);
    }
    t.equal(rs.genid, await h.genid(), 'the listing carries the current generation');
  });

  t.test(`${backend}: NAT helpers build table + chain + rule in one batch, idempotently, as nft -j reads them`, async (t) => {
    flushAll();
    t.teardown(flushAll);
    const h = open();
    t.teardown(() => h.close());
    const g0 = await h.genid();
    const m1 = await h.nat.masquerade({ source: '192.168.15.0/24', notOutputInterface: 'v-net-0' });
    t.ok(m1.created, 'masquerade created');
    t.equal(await h.genid(), g0 + 1, 'one commit (one generation) for table + chain + rule');
    const m2 = await h.nat.masquerade({ source: '192.168.15.0/24', notOutputInterface: 'v-net-0' });
    t.notOk(m2.created, 're-running does not duplicate');
    t.equal(m2.rule.handle, m1.rule.handle, 'and finds the same rule');
    await h.nat.snat({ source: '10.10.0.0/16', outputInterface: 'eth9', to: '10.0.0.1' });
    await h.nat.dnat({ port: 8080, to: '192.168.15.2', toPort: 80 });
    t.notOk((await h.nat.dnat({ port: 8080, to: '192.168.15.2', toPort: 80 })).created, 'dnat twice: once');
    const rules = nftRules();
    t.same(rules.map((r) => [r.table, r.chain, r.handle, r.expr]), [
      ['nat', 'postrouting', Number(m1.rule.handle), [
        { match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: { prefix: { addr: '192.168.15.0', len: 24 } } } },
        { match: { op: '!=', left: { meta: { key: 'oifname' } }, right: 'v-net-0' } },
        { masquerade: null }]],
      ['nat', 'postrouting', rules[1]?.handle, [
        { match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: { prefix: { addr: '10.10.0.0', len: 16 } } } },
        { match: { op: '==', left: { meta: { key: 'oifname' } }, right: 'eth9' } },
        { snat: { addr: '10.0.0.1' } }]],
      ['nat', 'prerouting', rules[2]?.handle, [
        { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 8080 } },
        { dnat: { addr: '192.168.15.2', port: 80 } }]],
    ], 'nft -j list ruleset reads back the three rules');
    const chains = nftJson().filter((x) => x['chain']).map((x) => x['chain']);
    t.same(chains.map((c) => [c.name, c.type, c.hook, c.prio, c.policy]), [['postrouting', 'nat', 'postrouting', 100, 'accept'], ['prerouting', 'nat', 'prerouting', -100, 'accept']], 'base chains as nft sees them');
    t.match(nft('list', 'ruleset'), /ip saddr 192\.168\.15\.0\/24 oifname != "v-net-0" masquerade/, 'nft prints the seed rule');
  });

  t.test(`${backend}: a batch whose 3rd message is invalid changes nothing (kernel dump byte-identical)`, async (t) => {
    flushAll();
    t.teardown(flushAll);
    nft('-f', `${RULESETS}filter.nft`);
    nft('-f', `${RULESETS}masquerade.nft`);
    /** The kernel's dump of the whole ruleset, seq and port id zeroed. */
    const snapshot = (): Buffer => {
      const rec = new RecordingTransport(new LiveTransport(nfnetlink.id, { libc: loadBackend(backend) }));
      const h = NftHandle.open({ transport: rec });
      try { h.listSync(); } finally { h.close(); }
      const bytes = Buffer.concat(rec.frames.filter((f) => f.dir === 'recv').map((f) => f.bytes));
      for (const [s] of splitMessages(bytes)) bytes.fill(0, s + 8, s + 16);
      return bytes;
    };
    const before = snapshot();
    const textBefore = nft('-a', 'list', 'ruleset');
    const h = open();
    t.teardown(() => h.close());
    const err = await h.batch()
      .addTable({ family: 'ip', name: 'extra' })
      .addChain({ family: 'ip', table: 'extra', name: 'c' })
      .addRule({ family: 'inet', table: 'filter', chain: 'no-such-chain', exprs: new RuleBuilder('inet').accept().exprs })
      .addRule({ family: 'ip', table: 'nat', chain: 'postrouting', exprs: new RuleBuilder('ip').masquerade().exprs })
      .deleteTable({ family: 'inet', name: 'filter' })
      .commit().then(() => undefined, (e: unknown) => e) as NftBatchError;
    t.type(err, NftBatchError, 'the commit fails');
    t.same(err.failures.map((f) => [f.index, f.code]), [[2, 'ENOENT']], 'operation #2 (the 3rd message) is named, ENOENT');
    t.equal(err.operations[0], 'NFT_MSG_NEWRULE inet filter no-such-chain');
    t.same(err.failures[0]!.attrPath, ['NFTA_RULE_CHAIN'], 'the ext-ACK points at NFTA_RULE_CHAIN');
    const after = snapshot();
    t.ok(after.length > 1000 && after.equals(before), `the kernel's ruleset dump is byte-identical (${after.length} bytes)`);
    t.equal(nft('-a', 'list', 'ruleset'), textBefore, 'nft -a list ruleset is identical');
  });

  t.test(`${backend}: commit returns rule handles; delete/flush by handle; genid guards the commit; one socket across commits`, async (t) => {
    flushAll();
    t.teardown(flushAll);
    const fds = openFds();
    const h = open();
    const inet = (): RuleBuilder => new RuleBuilder('inet');
    const res = await h.batch()
      .addTable({ family: 'inet', name: 'f' })
      .addChain({ family: 'inet', table: 'f', name: 'in', type: 'filter', hook: 'input', priority: 'filter', policy: 'accept' })
      .addChain({ family: 'inet', table: 'f', name: 'sub' })
      .addRule({ family: 'inet', table: 'f', chain: 'in', exprs: inet().tcpDport(22).counter().accept().exprs, comment: 'ssh' })
      .addRule({ family: 'inet', table: 'f', chain: 'in', exprs: inet().verdict({ jump: 'sub' }).exprs })
      .addRule({ family: 'inet', table: 'f', chain: 'sub', exprs: inet().ipSaddr('10.0.0.0/8').drop().exprs })
      .commit();
    t.same(res.rules.map((r) => r.index), [3, 4, 5]);
    const byNft = nftRules();
    t.same(res.rules.map((r) => Number(r.handle)), byNft.map((r) => r.handle), 'the echoed handles are the kernel\'s (as nft -a sees them)');
    t.equal(byNft[0]?.comment, 'ssh', 'comment stored as libnftnl userdata, read by nft');
    // Insert before the first rule, by position.
    await h.batch().addRule({ family: 'inet', table: 'f', chain: 'in', exprs: inet().iifname('lo').accept().exprs, at: 'insert', position: res.rules[0]!.handle }).commit();
    t.match(nft('list', 'chain', 'inet', 'f', 'in'), /iifname "lo" accept\s+tcp dport 22 counter packets 0 bytes 0 accept comment "ssh"/, 'inserted before handle');
    await h.deleteRule({ family: 'inet', table: 'f', chain: 'in', handle: res.rules[0]!.handle });
    t.notOk(nftRules().some((r) => r.handle === Number(res.rules[0]!.handle)), 'rule deleted by handle');
    // genid: an old generation is refused, the current one accepted.
    const g = await h.genid();
    await h.batch().addChain({ family: 'inet', table: 'f', name: 'other' }).commit();
    const stale = await h.batch().addChain({ family: 'inet', table: 'f', name: 'x' }).commit({ genid: g }).then(() => undefined, (e: unknown) => e) as NftBatchError;
    t.ok(stale instanceof NftBatchError && stale.generationChanged, 'ERESTART with an outdated genid');
    await h.batch().addChain({ family: 'inet', table: 'f', name: 'x' }).commit({ genid: await h.genid() });
    t.ok(nftJson().some((x) => x['chain']?.name === 'x'), 'accepted with the current genid');
    await h.flushChain({ family: 'inet', table: 'f', name: 'sub' });
    t.equal((await h.rules({ family: 'inet', table: 'f', chain: 'sub' })).length, 0, 'chain flushed');
    await h.deleteChain({ family: 'inet', table: 'f', name: 'x' });
    await h.flushTable({ family: 'inet', name: 'f' });
    t.equal((await h.rules({ family: 'inet', table: 'f' })).length, 0, 'table flushed');
    const tbl = (await h.tables()).find((x) => x.name === 'f')!;
    await h.deleteTable({ family: 'inet', name: 'f', handle: tbl.handle });
    t.same(await h.tables(), [], 'table deleted by handle');
    t.same(nftJson().filter((x) => !x['metainfo']), [], 'nft sees an empty ruleset');
    h.close();
    t.equal(openFds(), fds, 'no descriptor leaked');
    t.equal(netnsInode(), home, 'still in the test netns');
  });

  t.test(`${backend}: named sets — nft -f sets decode like nft -j; sets and elements made here read back through nft -j`, async (t) => {
    flushAll();
    t.teardown(flushAll);
    nft('-f', `${RULESETS}sets.nft`);
    const h = open();
    t.teardown(() => h.close());
    const oSets = nftJson().filter((x) => x['set']).map((x) => x['set']);
    const sets = await h.sets();
    t.same(sets.map((s) => [s.family, s.table, s.name, s.type, Number(s.handle)]), oSets.map((o) => [o.family, o.table, o.name, o.type, o.handle]), 'sets');
    // A hash set has no order: the kernel dumps in hash order, nft sorts.
    const sorted = (xs: readonly unknown[]): string[] => xs.map(String).sort();
    for (const o of oSets) t.same(sorted(await h.elements({ family: o.family, table: o.table, name: o.name })), sorted(o.elem), `${o.name} elements`);
    const rs = await h.list();
    for (const want of nftRules()) t.same(ruleStatements(rs.rules.find((r) => Number(r.handle) === want.handle)!), want.expr, `rule #${want.handle}: lookup`);
    flushAll();
    const inet = (): RuleBuilder => new RuleBuilder('inet');
    await h.batch().addTable({ family: 'inet', name: 's' })
      .addChain({ family: 'inet', table: 's', name: 'in', type: 'filter', hook: 'input', priority: 0, policy: 'accept' })
      .addSet({ family: 'inet', table: 's', name: 'bad', type: 'ipv4_addr', elements: ['192.0.2.1', '192.0.2.7'] })
      .addSet({ family: 'inet', table: 's', name: 'svc', type: 'inet_service', elements: [53] })
      .addSet({ family: 'inet', table: 's', name: 'v6', type: 'ipv6_addr', elements: ['2001:db8::1'] })
      .addRule({ family: 'inet', table: 's', chain: 'in', exprs: inet().ipSaddrIn('@bad').drop().exprs })
      .addRule({ family: 'inet', table: 's', chain: 'in', exprs: inet().dportIn('udp', '@svc').accept().exprs })
      .commit();
    await h.batch().addElements({ family: 'inet', table: 's', name: 'svc', type: 'inet_service', elements: [853] })
      .deleteElements({ family: 'inet', table: 's', name: 'bad', type: 'ipv4_addr', elements: ['192.0.2.1'] }).commit();
    const after = nftJson();
    t.same(after.filter((x) => x['set']).map((x) => [x['set'].name, x['set'].type, x['set'].elem]),
      [['bad', 'ipv4_addr', ['192.0.2.7']], ['svc', 'inet_service', [53, 853]], ['v6', 'ipv6_addr', ['2001:db8::1']]], 'nft -j sees the sets and elements');
    t.same(nftRules().map((r) => r.expr[0].match.right), ['@bad', '@svc'], 'nft -j sees the lookups');
    await h.batch().flushTable({ family: 'inet', name: 's' }).deleteSet({ family: 'inet', table: 's', name: 'bad' }).commit();
    t.same((await h.sets()).map((s) => s.name), ['svc', 'v6'], 'set deleted');
  });

  t.test(`${backend}: 2,000 rules in one commit, listed back`, async (t) => {
    flushAll();
    t.teardown(flushAll);
    const h = open();
    t.teardown(() => h.close());
    const b = h.batch({ echo: false }).addTable({ family: 'ip', name: 'big' }).addChain({ family: 'ip', table: 'big', name: 'c' });
    for (let i = 0; i < 2000; i++) b.addRule({ family: 'ip', table: 'big', chain: 'c', exprs: new RuleBuilder('ip').ipSaddr(`10.${i >> 8}.${i & 255}.0/24`).drop().exprs });
    const res = await b.commit();
    t.equal(res.operations, 2002);
    const rules = await h.rules({ family: 'ip', table: 'big' });
    t.equal(rules.length, 2000);
    t.equal(ruleText(rules[1999]!), 'ip saddr 10.7.207.0/24 drop');
  });
}

t.test('packets: client → router (masquerade, ip_forward) → server; the server sees the router, then the client once the rule is deleted', async (t) => {
  flushAll();
  t.teardown(() => {
    flushAll();
    for (const ns of ['nft-cl', 'nft-sv']) try { ip('netns', 'del', ns); } catch { /* gone */ }
  });
  // This netns is the router: client side 192.168.15.1 on v-cl, server side 10.77.0.1 on v-sv.
  for (const [ns, dev, rAddr, addr] of [['nft-cl', 'v-cl', '192.168.15.1/24', '192.168.15.2/24'], ['nft-sv', 'v-sv', '10.77.0.1/24', '10.77.0.2/24']] as const) {
    ip('netns', 'add', ns);
    ip('link', 'add', dev, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
    ip('addr', 'add', rAddr, 'dev', dev);
    ip('link', 'set', dev, 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('-n', ns, 'addr', 'add', addr, 'dev', 'eth0');
    ip('-n', ns, 'link', 'set', 'eth0', 'up');
  }
  ip('-n', 'nft-cl', 'route', 'add', 'default', 'via', '192.168.15.1');
  // The server routes the client's network back through the router, so without NAT it answers the client directly.
  ip('-n', 'nft-sv', 'route', 'add', '192.168.15.0/24', 'via', '10.77.0.1');
  execFileSync('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);

  /** Send one UDP datagram client → server; resolve with the source address the server saw. */
  const sourceSeen = async (port: number): Promise<string> => {
    const srv = spawn('ip', ['netns', 'exec', 'nft-sv', process.execPath, '-e',
      `const s=require('dgram').createSocket('udp4');s.on('message',(m,r)=>{console.log(r.address);process.exit(0)});s.bind(${port},()=>console.log('ready'));setTimeout(()=>process.exit(3),5000)`]);
    let out = '';
    const ready = new Promise<void>((res) => srv.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('ready')) res(); }));
    const done = new Promise<void>((res) => srv.on('exit', () => res()));
    await ready;
    execFileSync('ip', ['netns', 'exec', 'nft-cl', process.execPath, '-e',
      `const s=require('dgram').createSocket('udp4');s.send('hi',${port},'10.77.0.2',()=>s.close())`]);
    await done;
    return out.replace('ready', '').trim();
  };

  const h = NftHandle.open();
  t.teardown(() => h.close());
  t.equal(await sourceSeen(40001), '192.168.15.2', 'without NAT the server sees the client');
  const m = await h.nat.masquerade({ source: '192.168.15.0/24', notOutputInterface: 'v-cl' });
  t.equal(await sourceSeen(40002), '10.77.0.1', 'with masquerade the server sees the router\'s address');
  await h.deleteRule({ family: 'ip', table: 'nat', chain: 'postrouting', handle: m.rule.handle });
  t.equal(await sourceSeen(40003), '192.168.15.2', 'rule deleted: the client\'s address again');
});
