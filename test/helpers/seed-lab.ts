/**
 * The life of a seed lab as a user drives it, under one FFI backend, in a LabHost of its own:
 * `netlink-lab up` → `check` (real packets: every expectation answered as the file says, with
 * the seen addresses) → `plan` (nothing to do) → `status` (every node there, no drift) →
 * `down` → the machine's whole network state equals what it was before `up`.
 */
import type { Test } from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { LABS, LabHost } from './lab-host.js';

export interface CheckRowJson {
  index: number; result: string; seen?: string; pass: boolean; address: string; toNode?: string;
  expect: { from: string; to: string; proto: string; port: number; ok: boolean; seen?: string };
}

export interface SeedLabContext {
  readonly host: LabHost;
  readonly ffi: string;
  readonly file: string;
}

/**
 * Run the seed lab `name` (examples/labs/NAME.yaml) through up/check/plan/status/down.
 * `whileUp` runs extra assertions while the lab is up (drift, hostnames, …).
 */
export async function seedLab(t: Test, name: string, ffi: string, whileUp?: (c: SeedLabContext) => Promise<void> | void): Promise<void> {
  const file = `${LABS}${name}.yaml`;
  const spec = parse(readFileSync(file, 'utf8')) as { name: string; nodes: Record<string, unknown>; expect: CheckRowJson['expect'][] };
  const host = await LabHost.start(`h-${name}`.slice(0, 20));
  t.teardown(() => host.stop());
  const before = host.snapshot();
  let restored: string[] = [];

  const up = host.lab(['up', file], ffi);
  t.equal(up.code, 0, `up exits 0${up.stderr ? `: ${up.stderr.trim()}` : ''}`);
  t.match(up.stdout, new RegExp(`^lab ${spec.name}: applied \\d+ changes? in \\d+ steps? \\(`, 'm'), 'up reports what it applied');
  t.match(up.stdout, /^ {2}\[ *1\/\d+\] /m, 'up prints progress lines');

  try {
    const chk = host.lab(['check', file, '--json'], ffi);
    t.equal(chk.code, 0, `check exits 0${chk.code ? `:\n${chk.stdout}${chk.stderr}` : ''}`);
    const report = JSON.parse(chk.stdout) as { rows: CheckRowJson[]; failed: number; passed: number };
    t.equal(report.failed, 0, 'check: no expectation failed');
    t.equal(report.rows.length, spec.expect.length, 'one row per expect: line');
    for (const r of report.rows) {
      const e = r.expect;
      const what = `${e.from} → ${e.to} ${e.proto}/${e.port}`;
      if (e.ok) {
        t.equal(r.result, 'ok', `${what}: a reply came back`);
        if (e.seen) t.equal(r.seen, e.seen, `${what}: the listener saw ${e.seen}`);
      } else {
        t.ok(['refused', 'unreachable', 'timeout'].includes(r.result), `${what}: no connection (${r.result})`);
      }
      t.ok(r.pass, `${what}: holds`);
    }

    const plan = host.labJson<{ changes: unknown[]; conflicts: unknown[]; summary: string }>(['plan', file], ffi);
    t.same(plan.changes, [], 'plan: nothing to do');
    t.same(plan.conflicts, [], 'plan: no conflicts');

    const st = host.labJson<{ nodes: Array<{ name: string; present: boolean; links: unknown[] }>; drift: unknown[] }>(['status', file], ffi);
    t.same(st.nodes.map((n) => [n.name, n.present]), Object.keys(spec.nodes).map((n) => [n, true]), 'status: every node is there');
    t.same(st.drift, [], 'status: no drift');
    const text = host.lab(['status', file], ffi);
    t.equal(text.code, 0);
    t.match(text.stdout, /^lab \S+: no changes, the kernel matches the lab$/m, 'status text ends with plan\'s summary');

    await whileUp?.({ host, ffi, file });
  } finally {
    const down = host.lab(['down', file, '--json'], ffi);
    t.equal(down.code, 0, `down exits 0${down.stderr ? `: ${down.stderr.trim()}` : ''}`);
    const r = JSON.parse(down.stdout || '{}') as { lab?: string; namespaces?: string[]; links?: string[]; sysctls?: string[] };
    t.equal(r.lab, spec.name, 'down --json names the lab');
    restored = r.sysctls ?? [];
  }
  const after = host.snapshot();
  // Host sysctls the lab set: down puts back the ones it reports restoring (`sysctls` in its
  // JSON: values apply saved in the kernel); any it does not report keep the lab's value.
  // Everything else must be exactly as before — namespaces' own sysctls go with the namespaces.
  const { sysctls: sysBefore, ...restBefore } = before as { sysctls: Record<string, string> };
  const { sysctls: sysAfter, ...restAfter } = after as { sysctls: Record<string, string> };
  t.same(restAfter, restBefore, 'after down the machine is exactly as before up (links, addresses, routes, neighbours, rules, nft, /run/netns, processes)');
  const hostSet = Object.values(spec.nodes as Record<string, { kind: string; sysctls?: Record<string, unknown> }>).find((n) => n.kind === 'host')?.sysctls ?? {};
  const keyOf: Record<string, string> = { ip_forward: 'net.ipv4.ip_forward', v6forwarding: 'net.ipv6.conf.all.forwarding' };
  for (const [k, v] of Object.entries(sysBefore)) {
    const set = hostSet[keyOf[k]!];
    if (set === undefined) t.equal(sysAfter[k], v, `${keyOf[k]} untouched`);
    else if (restored.some((x) => x.startsWith(`${keyOf[k]}=`))) t.equal(sysAfter[k], v, `${keyOf[k]} restored by down to its value before up`);
    else t.equal(sysAfter[k], String(Number(set)), `${keyOf[k]} keeps the value the lab set on the host node`);
  }
  const again = host.lab(['down', file], ffi);
  t.equal(again.code, 0, 'down again: nothing to do, still exit 0');
  t.match(again.stdout, /nothing to destroy/);
}
