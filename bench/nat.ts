/**
 * nftables benchmark (the shared harness's W6 `nat`, plus a large batch), under each FFI backend:
 *
 *  1. W6: K = 200 iterations of one transaction — delete table `ip nat` (not in iteration 0),
 *     add the table, chain `postrouting { type nat hook postrouting priority 100; policy accept; }`
 *     and rule `ip saddr 192.168.15.0/24 oifname != "br0" masquerade` — then list tables, chains
 *     and rules back and verify exactly that (one table, one chain, one rule printing as above).
 *     One NftHandle (socket) for the whole run. Peers here: nft -f 4,406 ms, google/nftables
 *     2,779 ms, pyroute2 370 ms.
 *  1b. Apply (table + chain + rule) and delete the table as two commits per iteration, each
 *     verified by listing — K times.
 *  2. W6 with a new socket per iteration (closed after its commit), to show the ~11 ms
 *     RCU grace period a close after a deleting commit costs (fewer iterations).
 *  3. 10,000 rules committed in one batch (one sendmsg), with and without NLM_F_ECHO, then
 *     listed back and counted.
 * Changes nftables state: run inside tools/sandbox.sh (it unshares a fresh netns of its own).
 *   node dist/bench/nat.js [K] [RULES]
 */
import { execFileSync } from 'node:child_process';
import { BACKENDS, CLONE_NEWNET, loadBackend } from '../src/ffi/libc.js';
import { NftHandle } from '../src/nft/handle.js';
import { addPlan, masqueradePlan } from '../src/nft/nat.js';
import { ruleText } from '../src/nft/print.js';
import { RuleBuilder } from '../src/nft/rule-builder.js';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') throw new Error('changes nftables state: run inside tools/sandbox.sh');
const K = Number(process.argv[2] ?? 200);
const RULES = Number(process.argv[3] ?? 10_000);
loadBackend('koffi').unshare(CLONE_NEWNET);

const SEED = 'ip saddr 192.168.15.0/24 oifname != "br0" masquerade';
const plan = masqueradePlan({ source: '192.168.15.0/24', notOutputInterface: 'br0', priority: 100 });
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

function iteration(h: NftHandle, i: number): void {
  const b = h.batch();
  if (i > 0) b.deleteTable({ family: 'ip', name: 'nat' });
  addPlan(b, plan).commitSync();
  const tables = h.tablesSync(), chains = h.chainsSync(), rules = h.rulesSync();
  if (tables.length !== 1 || tables[0]!.name !== 'nat' || chains.length !== 1 || chains[0]!.hook !== 'postrouting' || chains[0]!.priority !== 100
    || rules.length !== 1 || ruleText(rules[0]!) !== SEED) {
    throw new Error(`iteration ${i}: unexpected state: ${JSON.stringify({ tables, chains, rules: rules.map(ruleText) }, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
  }
}

function checkNft(): void {
  const rules = (JSON.parse(execFileSync('nft', ['-j', 'list', 'ruleset'], { encoding: 'utf8' })).nftables as Record<string, any>[]).filter((o) => o['rule']);
  if (rules.length !== 1 || !/masquerade/.test(execFileSync('nft', ['list', 'ruleset'], { encoding: 'utf8' }))) throw new Error('nft does not see exactly the one rule');
}

const results: Record<string, unknown>[] = [];
for (const backend of BACKENDS) {
  const libc = loadBackend(backend);
  execFileSync('nft', ['flush', 'ruleset']);
  // 1. W6 on one socket.
  const h = NftHandle.open({ libc });
  iteration(h, 0); // warm-up (JIT, module autoload), not timed
  let t0 = process.hrtime.bigint();
  for (let i = 1; i <= K; i++) iteration(h, i);
  const w6 = ms(t0);
  h.close();
  checkNft();
  // 1b. Apply and delete as two commits per iteration, each verified.
  execFileSync('nft', ['flush', 'ruleset']);
  const h2 = NftHandle.open({ libc });
  t0 = process.hrtime.bigint();
  for (let i = 0; i < K; i++) {
    addPlan(h2.batch(), plan).commitSync();
    const rules = h2.rulesSync();
    if (rules.length !== 1 || ruleText(rules[0]!) !== SEED || h2.chainsSync().length !== 1) throw new Error(`apply ${i}: unexpected state`);
    h2.batch().deleteTable({ family: 'ip', name: 'nat' }).commitSync();
    if (h2.tablesSync().length !== 0) throw new Error(`delete ${i}: table still there`);
  }
  const applyDelete = ms(t0);
  h2.close();
  // 2. A socket per iteration.
  const K2 = Math.min(K, 50);
  t0 = process.hrtime.bigint();
  for (let i = 0; i < K2; i++) { const hh = NftHandle.open({ libc }); iteration(hh, i); hh.close(); }
  const transient = ms(t0);
  checkNft();
  execFileSync('nft', ['flush', 'ruleset']);
  // 3. RULES rules in one batch.
  const big = NftHandle.open({ libc });
  const exprs = Array.from({ length: RULES }, (_, i) => new RuleBuilder('ip').ipSaddr(`10.${(i >> 8) & 255}.${i & 255}.0/24`).counter().drop().exprs);
  const big1 = (echo: boolean): { build: number; commit: number; list: number; handles: number } => {
    let t = process.hrtime.bigint();
    const b = big.batch({ echo }).addTable({ family: 'ip', name: 'big' }).addChain({ family: 'ip', table: 'big', name: 'c', type: 'filter', hook: 'input', priority: 0 });
    for (const e of exprs) b.addRule({ family: 'ip', table: 'big', chain: 'c', exprs: e });
    const build = ms(t);
    t = process.hrtime.bigint();
    const res = b.commitSync();
    const commit = ms(t);
    t = process.hrtime.bigint();
    const n = big.rulesSync({ family: 'ip', table: 'big' }).length;
    const list = ms(t);
    if (n !== RULES) throw new Error(`listed ${n} rules, expected ${RULES}`);
    big.batch().deleteTable({ family: 'ip', name: 'big' }).commitSync();
    return { build, commit, list, handles: res.rules.length };
  };
  const noEcho = big1(false), echo = big1(true);
  big.close();
  const r = { backend, K, w6_ms: w6, w6_per_iter_ms: w6 / K, apply_delete_ms: applyDelete, transient_K: K2, transient_ms: transient, transient_per_iter_ms: transient / K2, rules: RULES, noEcho, echo };
  results.push(r);
  console.log(`${backend}: W6 nat ${K} iterations (delete+add table/chain/rule in one batch, list back, verify): ${w6.toFixed(0)} ms (${(w6 / K).toFixed(2)} ms/iter; pyroute2 370 ms, google/nftables 2,779 ms, nft -f 4,406 ms)`);
  console.log(`${backend}: apply (table+chain+rule) and delete table as two verified commits, ${K} times: ${applyDelete.toFixed(0)} ms (${(applyDelete / K).toFixed(2)} ms/iter)`);
  console.log(`${backend}:   same with a new socket per iteration: ${(transient / K2).toFixed(2)} ms/iter (${K2} iterations)`);
  console.log(`${backend}: ${RULES} rules in one batch: commit ${noEcho.commit.toFixed(0)} ms without echo, ${echo.commit.toFixed(0)} ms with NLM_F_ECHO (${echo.handles} handles back); building the batch ${noEcho.build.toFixed(0)} ms; listing them back ${noEcho.list.toFixed(0)} ms`);
}
console.log(JSON.stringify(results));
