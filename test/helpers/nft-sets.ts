// The rulesets of fixtures/nft/rulesets/{anon-sets,intervals,maps}.nft built with RuleBuilder and
// NftBatch (the unit test proves each batch byte-identical to nft's; the live test commits them).
import type { NftBatch } from '../../src/nft/batch.js';
import { RuleBuilder } from '../../src/nft/rule-builder.js';

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

export function concatBatch(b: NftBatch): NftBatch {
  const inet = (): RuleBuilder => new RuleBuilder('inet');
  b.addTable({ family: 'inet', name: 'filter' })
    .addChain({ family: 'inet', table: 'filter', name: 'input', type: 'filter', hook: 'input', priority: 'filter', policy: 'accept' })
    .addSet({ family: 'inet', table: 'filter', name: 'pairs', type: ['ipv4_addr', 'inet_service'], elements: [{ concat: ['10.0.0.1', 22] }, { concat: ['10.0.0.2', 80] }] });
  add(b, 'inet', 'filter', 'input', inet().in(['ip saddr', 'tcp dport'], [{ concat: ['10.0.0.1', 22] }, { concat: ['10.0.0.2', 443] }]).accept());
  add(b, 'inet', 'filter', 'input', inet().in(['ip saddr', 'tcp dport'], '@pairs').accept());
  add(b, 'inet', 'filter', 'input', inet().vmap(['ip daddr', 'udp dport'], [[{ concat: ['10.0.0.9', 53] }, 'accept'], [{ concat: ['10.0.0.9', 54] }, 'drop']]));
  return b;
}
