// Live: seed lab 1 (examples/labs/lab1.yaml: A, B, C on bridge_0 with the host's address,
// default routes, NAT + ip_forward towards `outside`) driven through netlink-lab under both FFI
// backends — up, check with real packets (masqueraded source seen by outside), plan empty,
// status, drift made by hand (an address flushed, a link deleted, the nft table flushed) shown
// by plan/status and repaired by up, then down leaves the machine exactly as before.
import t from 'tap';
import { backends } from '../helpers/live.js';
import { seedLab } from '../helpers/seed-lab.js';

for (const ffi of backends) {
  t.test(`${ffi}: lab1 — up, check, plan, status, drift repaired, down`, async (t) => {
    await seedLab(t, 'lab1', ffi, ({ host, file }) => {
      // Drift by hand: an address removed, a cable cut, the NAT rules flushed.
      host.ip('-n', 'A', 'addr', 'flush', 'dev', 'eth0');
      host.ip('link', 'del', 'veth-c');
      host.lib(`const h = nl.NftHandle.open(); h.batch().flushTable({ family: 'ip', name: 'netlink_lab_lab1' }).commitSync(); h.close();`);
      const plan = host.labJson<{ changes: Array<{ op: string; kind: string; object: string }> }>(['plan', file], ffi);
      const lines = plan.changes.map((c) => `${c.op} ${c.kind} ${c.object}`);
      t.ok(lines.includes('+ address A/eth0 10.0.0.2/24'), 'plan: the flushed address is to be added back');
      t.ok(lines.some((l) => /^\+ veth host\/veth-c/.test(l)), 'plan: the deleted cable is to be made again');
      t.ok(lines.some((l) => /^[+~] nft host/.test(l)), 'plan: the flushed NAT rules are to be put back');
      const st = host.lab(['status', file], ffi);
      t.match(st.stdout, /eth0@if\d+ +UP +veth, peer veth-a in host {2}← \+ address A\/eth0 10\.0\.0\.2\/24/, 'status marks the drift on the interface');
      t.match(st.stdout, /^ {2}drift: \+ veth host\/veth-c/m, 'status lists drift on interfaces that are not there');
      t.match(st.stdout, /^lab lab1: \d+ to add/m, 'status ends with the plan summary');
      const fix = host.lab(['up', file], ffi);
      t.equal(fix.code, 0, `up repairs it${fix.stderr ? `: ${fix.stderr}` : ''}`);
      t.same(host.labJson<{ changes: unknown[] }>(['plan', file], ffi).changes, [], 'plan after the repair: nothing to do');
      const chk = host.lab(['check', file], ffi);
      t.equal(chk.code, 0, 'check after the repair: every expectation holds again');
      t.match(chk.stdout, /^A +✓ tcp\/8080 seen 192\.168\.100\.1/m, 'the matrix: A reaches outside, masqueraded');
      t.match(chk.stdout, /^5 expectations: 5 ✓, 0 ✗$/m, 'the matrix\'s summary');
    });
  });
}
