// link.add({ kind: 'vxlan', link: DEV }): the underlay goes where iproute2 puts it for
// `ip link add vx0 type vxlan … dev br0` — IFLA_VXLAN_LINK inside IFLA_INFO_DATA — and NOT as
// IFLA_LINK, which the vxlan driver ignores (a lab's `hosts.H.dev` was silently dropped that way).
// Proven against the captured iproute2 request (fixtures/route/link/req-vxlan, `dev br0`, br0
// being ifindex 2 in the capture): the same decoded message, and the same bytes as the request
// test/unit/link-request.test.ts already proves equal to iproute2's (up to the NUL after the
// kind that fixture's requestDifferences explain).
import t from 'tap';
import type { Libc } from '../../src/ffi/libc.js';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../../src/netlink/header.js';
import { decodeAll, encodeMessages, splitMessages } from '../../src/netlink/message.js';
import { toJson } from '../../src/netlink/jsonable.js';
import { NetnsFds, newLinkMessage } from '../../src/route/link/link-request.js';
import { rtnetlink } from '../../src/route/protocol.js';
import { loadFixture } from '../helpers/fixtures.js';

const noLibc = new Proxy({}, { get: (_, k) => () => { throw new Error(`libc.${String(k)} called in a unit test`); } }) as Libc;
const ADD = NLM_F_CREATE | NLM_F_EXCL;

t.test('vxlan `link` (the underlay) is IFLA_VXLAN_LINK, as iproute2 sends `dev br0`', async (t) => {
  const fx = loadFixture('route/link/req-vxlan');
  const req = fx.json.request as { frame: number; message: number };
  const frame = fx.frames[req.frame]!;
  const [s, e] = splitMessages(frame.bytes)[req.message]!;
  const theirs = frame.bytes.subarray(s, e);
  const theirMsg = decodeAll(rtnetlink, theirs)[0]!;
  const ns = new NetnsFds(noLibc);
  // What LinkApi.addMany passes: `link: 'br0'` resolved to ifindex 2.
  const msg = newLinkMessage({ name: 'vx0', kind: 'vxlan', link: 'br0', data: { id: 42, local: '10.1.0.1', learning: 1, port: 4789 } }, { link: 2 }, ns, ADD);
  // The request with the underlay written by hand as IFLA_VXLAN_LINK (link-request.test.ts's case).
  const byHand = newLinkMessage({ name: 'vx0', kind: 'vxlan', data: { link: 2, id: 42, local: '10.1.0.1', learning: 1, port: 4789 } }, {}, ns, ADD);
  ns.close();
  const enc = (m: typeof msg): Buffer => encodeMessages(rtnetlink, [{ ...m, flags: m.flags | NLM_F_REQUEST | NLM_F_ACK, seq: theirMsg.seq, pid: 0 }]).buf;
  const ours = enc(msg);
  t.same(toJson(decodeAll(rtnetlink, ours)[0]!), toJson(theirMsg), 'decodes to iproute2\'s request');
  t.ok(ours.equals(enc(byHand)), 'the same bytes as data.link written by hand');
  const attrs = decodeAll(rtnetlink, ours)[0]!.attrs as { link?: number; linkinfo?: { data?: { link?: number } } };
  t.equal(attrs.link, undefined, 'no IFLA_LINK');
  t.equal(attrs.linkinfo?.data?.link, 2, 'IFLA_VXLAN_LINK = the underlay\'s ifindex');
});

t.test('vxlan: the underlay given twice, differently, is refused naming the field', async (t) => {
  const ns = new NetnsFds(noLibc);
  t.throws(() => newLinkMessage({ name: 'vx0', kind: 'vxlan', link: 'br0', data: { id: 1, link: 7 } }, { link: 2 }, ns, ADD), /link\.add\.link: the underlay is given twice/);
  // The same index both ways is fine.
  const m = newLinkMessage({ name: 'vx0', kind: 'vxlan', link: 2, data: { id: 1, link: 2 } }, { link: 2 }, ns, ADD);
  t.equal((m.attrs as { linkinfo: { data: { link: number } } }).linkinfo.data.link, 2);
  ns.close();
});

t.test('other kinds keep IFLA_LINK (vlan over br0)', async (t) => {
  const ns = new NetnsFds(noLibc);
  const m = newLinkMessage({ name: 'br0.10', link: 'br0', kind: 'vlan', data: { id: 10 } }, { link: 2 }, ns, ADD);
  ns.close();
  t.equal((m.attrs as { link?: number }).link, 2);
});
