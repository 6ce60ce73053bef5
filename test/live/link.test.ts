// Live: `ip link add|set|del` as typed calls, checked against `ip -j -d link show`, under both backends.
import t from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { BulkError, NetlinkError } from '../../src/netlink/errors.js';
import { RouteHandle } from '../../src/route/handle.js';
import { backends, enterFreshNetns, ip, ipJson } from '../helpers/live.js';

enterFreshNetns();
const link = (name: string, netns?: string): any => (netns ? ipJson('-n', netns, '-d', 'link', 'show', 'dev', name) : ipJson('-d', 'link', 'show', 'dev', name))[0];
const names = (netns?: string): string[] => (netns ? ipJson('-n', netns, 'link', 'show') : ipJson('link', 'show')).map((l: any) => l.ifname).sort();

for (const backend of backends) {
  const b = backend === 'koffi' ? 'k' : 'f';

  t.test(`${backend}: add a bridge with options, up — as ip -d sees it`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    await h.link.add({ name: `br${b}`, kind: 'bridge', up: true, mtu: 1400, data: { stpState: 1, forwardDelay: 400, ageingTime: 1000 } });
    t.teardown(() => h.link.del(`br${b}`));
    const l = link(`br${b}`);
    t.equal(l.linkinfo.info_kind, 'bridge');
    t.ok(l.flags.includes('UP'), 'UP');
    t.equal(l.mtu, 1400);
    t.equal(l.linkinfo.info_data.stp_state, 1);
    t.equal(l.linkinfo.info_data.forward_delay, 400);
    t.equal(l.linkinfo.info_data.ageing_time, 1000);
    const mine = await h.link.get(`br${b}`);
    t.equal(mine.attrs.linkinfo?.data && (mine.attrs.linkinfo.data as { forwardDelay?: number }).forwardDelay, 400, 'and our decode agrees');
  });

  t.test(`${backend}: delGroup deletes every link of a group in one request (ip link del group N)`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    await h.link.addMany([1, 2, 3].map((k) => ({ name: `g${k}${b}`, kind: 'veth' as const, group: 77, peer: { name: `gp${k}${b}` } })));
    await h.link.add({ name: `keep${b}`, kind: 'bridge' });
    t.teardown(() => h.link.del(`keep${b}`));
    t.same([1, 2, 3].map((k) => link(`g${k}${b}`).group), ['77', '77', '77'], 'ip sees group 77 on the three');
    await h.link.delGroup(77);
    t.same(names().filter((n) => n.includes(b) && /^g/.test(n)), [], 'all three pairs are gone');
    t.ok(names().includes(`keep${b}`), 'a link outside the group stays');
    await t.rejects(h.link.delGroup(0), RangeError, 'group 0 (every link) is refused before any request');
  });

  t.test(`${backend}: veth pair with both ends up (peer brought up after creation)`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    await h.link.add({ name: `va${b}`, kind: 'veth', up: true, peer: { name: `vb${b}`, up: true, mtu: 1300 } });
    t.teardown(() => h.link.del(`va${b}`));
    t.ok(link(`va${b}`).flags.includes('UP'));
    t.ok(link(`vb${b}`).flags.includes('UP'));
    t.equal(link(`vb${b}`).mtu, 1300, 'peer attributes applied');
    t.equal(link(`va${b}`).link, `vb${b}`, 'peers of each other');
  });

  t.test(`${backend}: veth peer created directly inside another netns (path), up there`, async (t) => {
    const ns = `peer-${b}`;
    ip('netns', 'add', ns);
    t.teardown(() => { ip('netns', 'del', ns); });
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    // koffi run: by path; ffi-napi run: by `ip netns` name.
    await h.link.add({ name: `vh${b}`, kind: 'veth', peer: { name: `vn${b}`, netns: b === 'k' ? `/run/netns/${ns}` : ns, up: true } });
    t.ok(names().includes(`vh${b}`) && !names().includes(`vn${b}`), 'host end here, peer not here');
    t.ok(link(`vn${b}`, ns).flags.includes('UP'), 'peer is inside the netns, and up');
    await h.link.del(`vh${b}`);
    t.same(names(ns), ['lo'], 'deleting one end deleted the pair');
  });

  t.test(`${backend}: set — mtu, address, txqlen, alias, down/up, master/nomaster, rename, move to a netns`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    await h.link.addMany([
      { name: `sb${b}`, kind: 'bridge' },
      { name: `sx${b}`, kind: 'veth', peer: { name: `sy${b}` } },
    ]);
    await h.link.set(`sx${b}`, { mtu: 1280, address: '02:00:00:00:00:2a', txqlen: 77, alias: 'uplink', up: true, master: `sb${b}` });
    let l = link(`sx${b}`);
    t.equal(l.mtu, 1280);
    t.equal(l.address, '02:00:00:00:00:2a');
    t.equal(l.txqlen, 77);
    t.equal(l.ifalias, 'uplink');
    t.equal(l.master, `sb${b}`, 'enslaved to the bridge');
    t.ok(l.flags.includes('UP'));
    await h.link.set(`sx${b}`, { up: false, master: null });
    l = link(`sx${b}`);
    t.notOk(l.flags.includes('UP'), 'down');
    t.equal(l.master, undefined, 'nomaster');
    await h.link.set(`sx${b}`, { name: `sz${b}` });
    t.ok(names().includes(`sz${b}`) && !names().includes(`sx${b}`), 'renamed');
    const ns = `mv-${b}`;
    ip('netns', 'add', ns);
    t.teardown(() => { ip('netns', 'del', ns); });
    await h.link.set(`sz${b}`, { netns: `/run/netns/${ns}` });
    t.ok(names(ns).includes(`sz${b}`), 'moved into the netns');
    await h.link.delMany([`sb${b}`, `sy${b}`]);
    t.notOk(names().some((n) => n.endsWith(b) && /^s[bxyz]/.test(n)), 'all gone here');
  });

  t.test(`${backend}: addMany — 100 veth pairs in one bulk request, a duplicate reported by index`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    const specs = Array.from({ length: 100 }, (_, i) => ({ name: `m${b}${i}a`, kind: 'veth' as const, up: true, peer: { name: `m${b}${i}b`, up: true } }));
    specs.splice(60, 0, { ...specs[7]! });
    const err = await h.link.addMany(specs, { stopOnError: false }).then(() => undefined, (e: unknown) => e);
    t.type(err, BulkError);
    t.same((err as BulkError).failures.map((f) => [f.index, f.code]), [[60, 'EEXIST']]);
    const up = ipJson('link', 'show', 'type', 'veth').filter((l: any) => l.ifname.startsWith(`m${b}`) && l.flags.includes('UP'));
    t.equal(up.length, 200, 'all 200 ends exist and are up');
    const del = await h.link.delMany(specs.filter((_, i) => i !== 60).map((s) => s.name));
    t.same(del, { attempted: 100, failures: [] });
  });

  t.test(`${backend}: bad input is refused before any syscall; kernel refusals carry its text`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    const before = names();
    await t.rejects(h.link.add({ name: 'x'.repeat(16), kind: 'bridge' }), RangeError, '16-byte name');
    await t.rejects(h.link.add({ name: 'a/b', kind: 'bridge' }), RangeError, 'slash in a name');
    await t.rejects(h.link.add({ name: 'ok', kind: '' as never }), TypeError, 'empty kind');
    await t.rejects(h.link.add({ name: 'ok', kind: 'veth', peer: { name: 'y'.repeat(20) } }), RangeError, 'bad peer name');
    await t.rejects(h.link.add({ name: 'ok', kind: 'bridge', mtu: -5 }), RangeError, 'mtu');
    await t.rejects(h.link.set('ok', { name: 'new' }).then(() => undefined), NetlinkError, 'rename of a missing device: ENODEV from the look-up');
    t.same(names(), before, 'nothing was created');
    const unknown = await h.link.add({ name: 'nk0', kind: 'nosuchkind' as never }).then(() => undefined, (e: unknown) => e);
    t.type(unknown, NetlinkError);
    t.equal((unknown as NetlinkError).code, 'EOPNOTSUPP');
    const missing = await h.link.add({ name: 'mm0', kind: 'bridge', master: 'nosuchdev' }).then(() => undefined, (e: unknown) => e);
    t.equal((missing as NetlinkError).code, 'ENODEV', 'a missing master');
  });
}
