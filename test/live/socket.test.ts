// Live: the netlink socket under both FFI backends, in a private netns.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { loadBackend } from '../../src/ffi/libc.js';
import { SyscallError } from '../../src/ffi/errors.js';
import { BulkError, NetlinkError } from '../../src/netlink/errors.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../../src/netlink/header.js';
import { NetnsNotFoundError } from '../../src/netlink/netns-errors.js';
import type { OutMessage } from '../../src/netlink/message.js';
import { RouteHandle } from '../../src/route/handle.js';
import { RTM_DELLINK, RTM_NEWLINK } from '../../src/route/protocol.js';
import { backends, enterFreshNetns, ip, ipJson, netnsInode, openFds } from '../helpers/live.js';

const home = enterFreshNetns();

const NO_HDR = { family: 0, type: 0, index: 0, flags: 0, change: 0 };
const newBridge = (name: string): OutMessage => ({
  type: RTM_NEWLINK, flags: NLM_F_CREATE | NLM_F_EXCL, header: NO_HDR, attrs: { ifname: name, linkinfo: { kind: 'bridge' } },
});
const delLink = (name: string): OutMessage => ({ type: RTM_DELLINK, flags: 0, header: NO_HDR, attrs: { ifname: name } });

for (const backend of backends) {
  t.test(`${backend}: route socket dumps links; lo matches ip -j link`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    t.ok(h.socket.portId > 0, 'bound with a kernel-assigned port id');
    const links = await h.link.list();
    const lo = links.find((l) => l.name === 'lo');
    t.ok(lo, 'lo is in the dump');
    t.equal(lo?.index, 1);
    t.equal(lo?.type, 'loopback', 'ARPHRD_LOOPBACK (ip -j: loopback)');
    const oracle = ipJson('link', 'show');
    t.same(links.map((l) => [l.index, l.name, l.mtu]), oracle.map((l: any) => [l.ifindex, l.ifname, l.mtu]), 'same links as ip -j link');
  });

  t.test(`${backend}: hand-built RTM_NEWLINK creates a bridge seen by dump, get and ip -j`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    const name = `br-${backend}`;
    const acked = await h.socket.request(newBridge(name));
    t.same(acked, [], 'ACKed with no reply body');
    const listed = (await h.link.list()).find((l) => l.name === name);
    t.equal(listed?.kind, 'bridge', 'the dump decodes IFLA_INFO_KIND');
    const got = await h.link.get(name);
    t.equal(got.index, listed?.index, 'link.get by name agrees with the dump');
    t.same((await h.link.get(got.index)).name, name, 'link.get by index');
    const viaIp = ipJson('-d', 'link', 'show', 'dev', name)[0];
    t.equal(viaIp.ifindex, got.index);
    t.equal(viaIp.linkinfo.info_kind, 'bridge', 'ip -d sees a bridge');
    t.equal(viaIp.address, got.address, 'same MAC address');
    const onlyBridges = await h.link.list({ kind: 'bridge' });
    t.same(onlyBridges.map((l) => l.name), [name], 'kernel-side kind filter (strict checking)');

    const dup = await h.socket.request(newBridge(name)).then(() => undefined, (e: unknown) => e);
    t.type(dup, NetlinkError, 'creating it twice fails');
    t.equal((dup as NetlinkError).code, 'EEXIST');
    t.equal((dup as NetlinkError).operation, 'RTM_NEWLINK');

    await h.socket.request(delLink(name));
    t.notOk((await h.link.list()).some((l) => l.name === name), 'RTM_DELLINK removed it');
    const gone = await h.link.get(name).then(() => undefined, (e: unknown) => e);
    t.equal((gone as NetlinkError).code, 'ENODEV', 'get of a missing link → ENODEV');
  });

  t.test(`${backend}: abandoning a stream half-way leaves the socket usable for the next dump`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    const names = Array.from({ length: 150 }, (_, i) => `s${backend[0]}${i}`);
    await h.socket.bulk(names.map(newBridge));
    t.teardown(async () => { await h.socket.bulk(names.map(delLink)); });
    let seen = 0;
    for await (const _ of h.link.stream()) if (++seen === 3) break; // 150 bridges span ~10 datagrams
    t.equal(seen, 3);
    const all = await h.link.list();
    t.equal(all.length, 151, 'a full dump right after (no EBUSY from the abandoned one)');
  });

  t.test(`${backend}: a refused request carries the kernel's extended ACK and the field it points at`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    const err = await h.socket.request({ type: RTM_NEWLINK, flags: 0, header: { ...NO_HDR, index: 1 }, attrs: { gsoMaxSize: 1 } })
      .then(() => undefined, (e: unknown) => e);
    t.type(err, NetlinkError);
    const e = err as NetlinkError;
    t.equal(e.code, 'ERANGE');
    t.equal(e.extAck.message, 'integer out of range', 'NLMSGERR_ATTR_MSG');
    t.equal(e.extAck.offset, 32, 'NLMSGERR_ATTR_OFFS: the first attribute after ifinfomsg');
    t.same(e.attrPath, ['IFLA_GSO_MAX_SIZE'], 'offset mapped to the attribute name');
    t.match(e.message, /integer out of range.*IFLA_GSO_MAX_SIZE/);

    const long = await h.socket.request(newBridge('x'.repeat(16))).then(() => undefined, (e: unknown) => e);
    t.type(long, RangeError, 'a 16-byte name is refused before any syscall');
    t.match((long as Error).message, /IFLA_IFNAME.*at most 15/);
  });

  t.test(`${backend}: bulk — many requests per sendmsg, failures reported by index`, async (t) => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    const names = Array.from({ length: 300 }, (_, i) => `b${backend[0]}${i}`);
    const msgs = names.map(newBridge);
    msgs.splice(150, 0, newBridge(names[10]!)); // a duplicate at index 150
    const err = await h.socket.bulk(msgs, { stopOnError: false }).then(() => undefined, (e: unknown) => e);
    t.type(err, BulkError);
    const be = err as BulkError;
    t.equal(be.failures.length, 1, 'exactly one message failed');
    t.equal(be.failures[0]?.index, 150, 'and it is the duplicate, by index');
    t.equal(be.failures[0]?.code, 'EEXIST');
    t.equal(be.attempted, 301);
    const present = new Set(ipJson('link', 'show', 'type', 'bridge').map((l: any) => l.ifname));
    t.ok(names.every((n) => present.has(n)), 'all 300 bridges exist (ack on the last message only)');

    const res = await h.socket.bulk(names.map(delLink), { ack: 'all', chunk: 64 });
    t.same(res, { attempted: 300, failures: [] }, 'bulk delete with an ACK per message');
    t.equal(ipJson('link', 'show', 'type', 'bridge').length, 0);

    const stop = await h.socket.bulk([delLink('nope0'), delLink('nope1')], { chunk: 1 }).then(() => undefined, (e: unknown) => e);
    t.equal((stop as BulkError).attempted, 1, 'stopOnError (default) sends no chunk after a failing one');
  });

  t.test(`${backend}: a handle opened on another netns sees that netns; the thread returns home`, async (t) => {
    ip('netns', 'add', `nlts-${backend}`);
    t.teardown(() => { ip('netns', 'del', `nlts-${backend}`); });
    execFileSync('ip', ['-n', `nlts-${backend}`, 'link', 'add', 'inside0', 'type', 'bridge']);
    const h = RouteHandle.open({ libc: loadBackend(backend), netns: `/run/netns/nlts-${backend}` });
    t.teardown(() => h.close());
    t.equal(netnsInode(), home, 'back in our own netns after opening');
    t.same((await h.link.list()).map((l) => l.name).sort(), ['inside0', 'lo'], 'the socket lives in the other netns');
    const byName = RouteHandle.open({ libc: loadBackend(backend), netns: `nlts-${backend}` });
    t.teardown(() => byName.close());
    t.same((await byName.link.list()).map((l) => l.name).sort(), ['inside0', 'lo'], 'an `ip netns` name means /run/netns/NAME');
    const fds = openFds();
    const bad = (() => { try { RouteHandle.open({ libc: loadBackend(backend), netns: '/run/netns/does-not-exist' }); } catch (e) { return e; } return undefined; })();
    t.type(bad, NetnsNotFoundError, 'a missing namespace is NetnsNotFoundError');
    t.equal((bad as NetnsNotFoundError).code, 'ENOENT');
    t.equal((bad as Error).message, 'network namespace /run/netns/does-not-exist not found (/run/netns/does-not-exist)');
    t.type((bad as Error).cause, SyscallError, 'caused by the open(2) SyscallError');
    t.equal(netnsInode(), home, 'a failed switch leaves us home');
    t.equal(openFds(), fds, 'and leaks no fd');
  });

  t.test(`${backend}: 10,000 open/close cycles leak no fd`, async (t) => {
    const lib = loadBackend(backend);
    const warm = RouteHandle.open({ libc: lib });
    warm.close();
    const before = openFds();
    for (let i = 0; i < 10_000; i++) RouteHandle.open({ libc: lib }).close();
    t.equal(openFds(), before, '/proc/self/fd count unchanged');
  });
}
