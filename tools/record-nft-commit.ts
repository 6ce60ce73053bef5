/**
 * Record netlink-ts's own nftables commits as fixtures (RecordingTransport), to replay the
 * batch/ACK/echo/error logic without privileges (test/unit/nft-batch.test.ts):
 *   fixtures/nft/commit-echo      table + chain + 2 rules, NLM_F_ECHO → new rule handles
 *   fixtures/nft/commit-fail      3rd message invalid (rule in a missing chain) → ENOENT, nothing applied
 *   fixtures/nft/commit-genid     NFNL_BATCH_GENID of an old generation → ERESTART
 * Re-executes itself under tools/sandbox.sh.   node dist/tools/record-nft-commit.js
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { saveFixture } from '../src/netlink/fixture.js';
import { RecordingTransport } from '../src/netlink/replay.js';
import { LiveTransport } from '../src/netlink/transport.js';
import { NftHandle } from '../src/nft/handle.js';
import { nfnetlink } from '../src/nft/protocol.js';
import { RuleBuilder } from '../src/nft/rule-builder.js';

if (process.env['NETLINK_TS_SANDBOX'] !== '1') {
  const sandbox = fileURLToPath(new URL('../../tools/sandbox.sh', import.meta.url));
  process.exit(spawnSync(sandbox, [process.execPath, fileURLToPath(import.meta.url)], { stdio: 'inherit' }).status ?? 1);
}
const root = fileURLToPath(new URL('../../fixtures/nft/', import.meta.url));
const provenance = (command: string) => ({
  kernel: execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim(), tool: 'netlink-ts (NftHandle)', command,
  captured: 'RecordingTransport around LiveTransport(NETLINK_NETFILTER) in tools/sandbox.sh', date: new Date().toISOString(),
});
function record(name: string, command: string, description: string, fn: (h: NftHandle) => void): void {
  const rec = new RecordingTransport(new LiveTransport(nfnetlink.id, { sndbuf: 1 << 20, rcvbuf: 1 << 20 }));
  const h = NftHandle.open({ transport: rec });
  try { fn(h); } finally { h.close(); }
  saveFixture(`${root}${name}`, rec.frames, { provenance: provenance(command), protocolName: 'NETLINK_NETFILTER', proto: nfnetlink, description });
  console.log(`${name}: ${rec.frames.length} frames`);
}
const ip = (): RuleBuilder => new RuleBuilder('ip');

record('commit-echo', "batch().addTable(ip t).addChain(ip t c, filter input).addRule(×2).commitSync()",
  'a successful commit: one ACK (on the last rule) and the two NLM_F_ECHO rules with their handles', (h) => {
    h.batch().addTable({ family: 'ip', name: 't' })
      .addChain({ family: 'ip', table: 't', name: 'c', type: 'filter', hook: 'input', priority: 0, policy: 'accept' })
      .addRule({ family: 'ip', table: 't', chain: 'c', exprs: ip().ipSaddr('10.0.0.0/8').accept().exprs })
      .addRule({ family: 'ip', table: 't', chain: 'c', exprs: ip().tcpDport(22).drop().exprs, comment: 'no ssh' })
      .commitSync();
  });
record('commit-fail', "batch().addTable(ip t).addChain(ip t c).addRule(ip t missing …).addRule(ip t c …).commitSync()",
  'a batch whose 3rd message is invalid: ENOENT with ext-ack for that message, the ACK of the last, nothing applied', (h) => {
    try {
      h.batch().addTable({ family: 'ip', name: 't' })
        .addChain({ family: 'ip', table: 't', name: 'c' })
        .addRule({ family: 'ip', table: 't', chain: 'missing', exprs: ip().accept().exprs })
        .addRule({ family: 'ip', table: 't', chain: 'c', exprs: ip().drop().exprs })
        .commitSync();
    } catch { /* expected */ }
  });
record('commit-genid', 'genidSync(); batch().addTable(ip t).commitSync({ genid: old })',
  'a batch with an outdated NFNL_BATCH_GENID: ERESTART on BATCH_BEGIN, nothing else answered', (h) => {
    const g = h.genidSync();
    h.batch().addTable({ family: 'ip', name: 'x' }).commitSync();
    try { h.batch().addTable({ family: 'ip', name: 't' }).commitSync({ genid: g }); } catch { /* expected */ }
  });
