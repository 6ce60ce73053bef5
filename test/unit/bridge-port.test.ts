// Bridge ports (src/route/link/bridge-port.ts) against the capture of `bridge link show`
// (fixtures/route/link/getlink-bridge-dump): our request equals iproute2's, and the AF_BRIDGE
// replies decode field by field like `bridge -d -j link show` on the same state.
import t from 'tap';
import { type Message, decodeAll, encodeMessage } from '../../src/netlink/message.js';
import { NLM_F_DUMP, NLM_F_REQUEST } from '../../src/netlink/header.js';
import { rtnetlink } from '../../src/route/protocol.js';
import { bridgePortDumpRequest, toBridgePort } from '../../src/route/link/bridge-port.js';
import { loadFixture } from '../helpers/fixtures.js';

const fx = loadFixture('route/link/getlink-bridge-dump');
const decoded = fx.frames.map((f) => ({ dir: f.dir, messages: decodeAll(rtnetlink, f.bytes) }));

t.test('our dump request is the bytes `bridge link show` sends (but seq)', async (t) => {
  const theirs = decoded.filter((f) => f.dir === 'send').flatMap((f) => f.messages).filter((m) => m.header?.family === 7);
  t.equal(theirs.length, 1, 'iproute2 sends one AF_BRIDGE RTM_GETLINK dump');
  const m = theirs[0]!;
  const ours = encodeMessage(rtnetlink, { ...bridgePortDumpRequest(), flags: NLM_F_REQUEST | NLM_F_DUMP, seq: m.seq, pid: m.pid });
  const frame = fx.frames.find((f) => f.dir === 'send' && decodeAll(rtnetlink, f.bytes)[0]?.header?.family === 7)!;
  t.equal(ours.toString('hex'), frame.bytes.toString('hex'));
});

t.test('AF_BRIDGE replies decode like `bridge -d -j link show`', async (t) => {
  const replies: Message[] = decoded.filter((f) => f.dir === 'recv').flatMap((f) => f.messages).filter((m) => m.type === 16 && m.header.family === 7);
  const names = new Map(decoded.filter((f) => f.dir === 'recv').flatMap((f) => f.messages)
    .filter((m) => m.type === 16 && m.header.family === 0).map((m) => [m.header.index as number, m.attrs.ifname as string]));
  const ports = replies.map(toBridgePort);
  const oracle: any[] = fx.json.oracle;
  t.equal(ports.length, oracle.length, 'one message per port');
  for (const o of oracle) {
    const p = ports.find((x) => x.index === o.ifindex);
    if (!t.ok(p, `ifindex ${o.ifindex}`) || !p) continue;
    const n = o.ifname;
    t.equal(p.name, n, `${n}: name`);
    t.equal(p.mtu, o.mtu, `${n}: mtu`);
    t.equal(names.get(p.master!), o.master, `${n}: master`);
    t.equal(p.state, o.state, `${n}: state`);
    t.equal(p.cost, o.cost, `${n}: cost`);
    t.equal(p.priority, o.priority, `${n}: priority`);
    t.equal(p.learning, o.learning, `${n}: learning`);
    t.equal(p.flood, o.flood, `${n}: flood`);
    t.equal(p.mcastFlood, o.mcast_flood, `${n}: mcast_flood`);
    t.equal(p.bcastFlood, o.bcast_flood, `${n}: bcast_flood`);
    t.equal(p.hairpin, o.hairpin, `${n}: hairpin`);
    t.equal(p.guard, o.guard, `${n}: guard`);
    t.equal(p.rootBlock, o.root_block, `${n}: root_block`);
    t.equal(p.fastLeave, o.fastleave, `${n}: fastleave`);
    t.equal(p.mcastToUcast, o.mcast_to_unicast, `${n}: mcast_to_unicast`);
    t.equal(p.neighSuppress, o.neigh_suppress, `${n}: neigh_suppress`);
    t.equal(p.vlanTunnel, o.vlan_tunnel, `${n}: vlan_tunnel`);
    t.equal(p.isolated, o.isolated, `${n}: isolated`);
    t.equal(p.locked, o.locked, `${n}: locked`);
    t.equal(p.mcastRouter, o.mcast_router, `${n}: mcast_router`);
  }
  const veth0 = ports.find((p) => p.name === 'veth0');
  t.match(veth0, { cost: 7, priority: 5, learning: false }, 'the setup (`bridge link set dev veth0 cost 7 priority 5 learning off`) shows');
});
