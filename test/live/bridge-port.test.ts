// Live: link.bridgePorts() against `bridge -d -j link show` on the same state, under both backends.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { loadBackend } from '../../src/ffi/libc.js';
import { RouteHandle } from '../../src/route/handle.js';
import { backends, enterFreshNetns, ip } from '../helpers/live.js';

enterFreshNetns();
const bridgeJson = (): any[] => JSON.parse(execFileSync('bridge', ['-d', '-j', 'link', 'show'], { encoding: 'utf8' }) || '[]');

for (const backend of backends) {
  const b = backend === 'koffi' ? 'k' : 'f';

  t.test(`${backend}: bridgePorts() == bridge -d -j link show`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    const br = `br${b}`, other = `bo${b}`;
    ip('link', 'add', br, 'type', 'bridge');
    t.teardown(() => { ip('link', 'del', br); });
    ip('link', 'add', other, 'type', 'bridge');
    t.teardown(() => { ip('link', 'del', other); });
    ip('link', 'set', br, 'up');
    for (const [a, z] of [[`p0${b}`, `p1${b}`], [`q0${b}`, `q1${b}`]] as const) {
      ip('link', 'add', a, 'type', 'veth', 'peer', 'name', z);
      t.teardown(() => { ip('link', 'del', a); });
    }
    ip('link', 'set', `p0${b}`, 'master', br);
    ip('link', 'set', `p1${b}`, 'master', br);
    ip('link', 'set', `q0${b}`, 'master', other);
    ip('link', 'set', `p0${b}`, 'up');
    ip('link', 'set', `p1${b}`, 'up');
    execFileSync('bridge', ['link', 'set', 'dev', `p0${b}`, 'cost', '7', 'priority', '5', 'learning', 'off', 'flood', 'off', 'hairpin', 'on']);

    const ports = await h.link.bridgePorts();
    const oracle = bridgeJson();
    t.equal(ports.length, oracle.length, 'as many ports as bridge lists');
    const index = new Map((await h.link.list()).map((l) => [l.index, l.name]));
    for (const o of oracle) {
      const p = ports.find((x) => x.index === o.ifindex);
      if (!t.ok(p, `${o.ifname}`) || !p) continue;
      t.same(
        [p.name, index.get(p.master!), p.state, p.cost, p.priority, p.learning, p.flood, p.mcastFlood, p.bcastFlood, p.hairpin, p.guard, p.rootBlock, p.fastLeave, p.isolated, p.locked, p.mcastRouter],
        [o.ifname, o.master, o.state, o.cost, o.priority, o.learning, o.flood, o.mcast_flood, o.bcast_flood, o.hairpin, o.guard, o.root_block, o.fastleave, o.isolated, o.locked, o.mcast_router],
        `${o.ifname}: name master state cost priority learning flood mcast_flood bcast_flood hairpin guard root_block fastleave isolated locked mcast_router`,
      );
    }
    t.match(ports.find((p) => p.name === `p0${b}`), { cost: 7, priority: 5, learning: false, flood: false, hairpin: true });

    const mine = await h.link.bridgePorts({ master: br });
    t.same(mine.map((p) => p.name).sort(), [`p0${b}`, `p1${b}`], 'master by name filters');
    const brIndex = (await h.link.get(other)).index;
    t.same((await h.link.bridgePorts({ master: brIndex })).map((p) => p.name), [`q0${b}`], 'master by index filters');
    await t.rejects(h.link.bridgePorts({ master: 'nosuchbr' }), 'an unknown master is an error');
  });
}
