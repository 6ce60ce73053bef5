// Our RTM_NEWLINK / RTM_DELLINK requests against iproute2 6.1's own bytes for the same `ip link`
// command (fixtures/route/link/req-*, captured with strace by tools/capture.ts — including
// kinds this kernel refuses: the request bytes are iproute2's either way). Each request is
// built with newLinkMessage / setLinkMessage / delLinkMessage from the values iproute2 sent
// (ifindexes, the netns fd), flagged as LinkApi + the socket send it, and must encode to
// iproute2's bytes — or differ exactly as the fixture's `requestDifferences` say: each listed
// difference is needed, and together they account for every differing byte.
import t from 'tap';
import type { Libc } from '../../src/ffi/libc.js';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../../src/netlink/header.js';
import { type OutMessage, decodeAll, describeMessage, encodeMessages, splitMessages } from '../../src/netlink/message.js';
import { toJson } from '../../src/netlink/jsonable.js';
import { NLA_TYPE_MASK } from '../../src/netlink/schema.js';
import { MACVLAN_MODE } from '../../src/route/link/link-kinds/macvlan.js';
import { VETH_INFO } from '../../src/route/link/link-kinds/veth.js';
import { NetnsFds, delGroupMessage, delLinkMessage, newLinkMessage, setLinkMessage } from '../../src/route/link/link-request.js';
import { IFLA, IFLA_INFO } from '../../src/route/link/link.schema.js';
import { RTM_DELLINK, RTM_NEWLINK, rtnetlink } from '../../src/route/protocol.js';
import { loadFixture } from '../helpers/fixtures.js';

// ---- the requests, as netlink-ts builds them ------------------------------------------------

/** No libc in unit tests: every netns below is an fd number, which NetnsFds takes as is. */
const noLibc = new Proxy({}, { get: (_, k) => () => { throw new Error(`libc.${String(k)} called in a unit test`); } }) as Libc;
/** What LinkApi.addMany passes to newLinkMessage. */
const ADD = NLM_F_CREATE | NLM_F_EXCL;

interface Case {
  /** Fixture under fixtures/route/link/. */
  readonly fixture: string;
  /** The request, built as LinkApi builds it (ifindexes and fds as iproute2 sent them). */
  build(ns: NetnsFds): OutMessage;
}

const cases: Case[] = [
  // Kinds this kernel lacks (the capture's reply is -EOPNOTSUPP "Unknown device type").
  { fixture: 'req-dummy', build: (ns) => newLinkMessage({ name: 'd0', kind: 'dummy' }, {}, ns, ADD) },
  // `link br0` → IFLA_LINK 2 (br0's ifindex in the capture).
  { fixture: 'req-vlan', build: (ns) => newLinkMessage({ name: 'br0.10', link: 2, kind: 'vlan', data: { id: 10 } }, { link: 2 }, ns, ADD) },
  // iproute2 always sends IFLA_IPVLAN_FLAGS (0 here) next to the mode; so does this spec.
  { fixture: 'req-ipvlan', build: (ns) => newLinkMessage({ name: 'ipv0', link: 2, kind: 'ipvlan', data: { mode: 0 /* l2 */, flags: 0 } }, { link: 2 }, ns, ADD) },
  { fixture: 'req-bond', build: (ns) => newLinkMessage({ name: 'bond0', kind: 'bond', data: { mode: 1 /* active-backup */, miimon: 100 } }, {}, ns, ADD) },
  // vlan_filtering is refused here (-EOPNOTSUPP: no CONFIG_BRIDGE_VLAN_FILTERING). Kind data
  // is the caller's object and is written in its key order: here iproute2's option order.
  { fixture: 'req-bridge-opts', build: (ns) => newLinkMessage({ name: 'br2', kind: 'bridge', data: { stpState: 1, forwardDelay: 400, vlanFiltering: 1 } }, {}, ns, ADD) },
  // Kinds this kernel has.
  { fixture: 'req-macvlan', build: (ns) => newLinkMessage({ name: 'mv0', link: 2, kind: 'macvlan', data: { mode: MACVLAN_MODE.MACVLAN_MODE_BRIDGE } }, { link: 2 }, ns, ADD) },
  { fixture: 'req-veth', build: (ns) => newLinkMessage({ name: 'veth0', kind: 'veth', peer: { name: 'veth1' } }, {}, ns, ADD) },
  // `netns ns1` → IFLA_NET_NS_FD 4, the fd iproute2 had opened on /run/netns/ns1.
  {
    fixture: 'req-veth-netns',
    build: (ns) => newLinkMessage({ name: 'veth0', mtu: 1400, address: '02:00:00:00:00:01', kind: 'veth', peer: { name: 'veth1', netns: 4 } }, {}, ns, ADD),
  },
  // `dev br0` → IFLA_VXLAN_LINK 2; IFLA_VXLAN_LEARNING 1 is iproute2's default, sent explicitly.
  {
    fixture: 'req-vxlan',
    build: (ns) => newLinkMessage({ name: 'vx0', kind: 'vxlan', data: { link: 2, id: 42, local: '10.1.0.1', learning: 1, port: 4789 } }, {}, ns, ADD),
  },
  // `ip link set`: by ifindex, as iproute2 sends it (br0 = 2, veth0 = 4 in the captures).
  { fixture: 'req-set-mtu-up', build: (ns) => setLinkMessage(2, { mtu: 1400, up: true }, undefined, ns) },
  { fixture: 'req-set-master', build: (ns) => setLinkMessage(4, { master: 2 }, 2, ns) },
  { fixture: 'req-set-nomaster', build: (ns) => setLinkMessage(4, { master: null }, 0, ns) },
  { fixture: 'req-set-name', build: (ns) => setLinkMessage(2, { name: 'br9' }, undefined, ns) },
  { fixture: 'req-set-address', build: (ns) => setLinkMessage(2, { address: '02:00:00:00:00:09' }, undefined, ns) },
  { fixture: 'req-del', build: () => delLinkMessage(2) },
  { fixture: 'req-del-group', build: () => delGroupMessage(99) },
];

// ---- a bare TLV view of a link request, independent of the encoder under test -------------

interface Tlv {
  /** nla_type as on the wire (NLA_F_* bits included). */
  readonly type: number;
  readonly name?: string;
  /** Leaf payload, exactly nla_len - 4 bytes (alignment padding not included). */
  payload?: Buffer;
  /** Nests: a fixed header before the attributes (VETH_INFO_PEER's ifinfomsg), and the attributes. */
  head?: Buffer;
  children?: Tlv[];
}

interface Req {
  readonly nlmsghdr: Buffer;
  readonly ifinfomsg: Buffer;
  attrs: Tlv[];
}

const IFINFOMSG_LEN = 16;
const T_LINKINFO = IFLA.spec.IFLA_LINKINFO.type;
const T_INFO_KIND = IFLA_INFO.spec.IFLA_INFO_KIND.type;
const T_INFO_DATA = IFLA_INFO.spec.IFLA_INFO_DATA.type;
const T_VETH_PEER = VETH_INFO.spec.VETH_INFO_PEER.type;

/** Which attributes of a level are nests (and how their body starts); the others stay leaves. */
type Level = 'IFLA' | 'IFLA_INFO' | `data:${string}`;
function nestOf(level: Level, type: number, siblings: readonly Tlv[]): { name: string; level: Level; head: number } | undefined {
  if (level === 'IFLA' && type === T_LINKINFO) return { name: 'IFLA_LINKINFO', level: 'IFLA_INFO', head: 0 };
  if (level === 'IFLA_INFO' && type === T_INFO_DATA) {
    const kind = siblings.find((s) => s.type === T_INFO_KIND)?.payload?.toString('latin1').replace(/\0+$/, '');
    return { name: 'IFLA_INFO_DATA', level: `data:${kind}`, head: 0 };
  }
  if (level === 'data:veth' && type === T_VETH_PEER) return { name: 'VETH_INFO_PEER', level: 'IFLA', head: IFINFOMSG_LEN };
  return undefined;
}
const leafName = (level: Level, type: number): string | undefined =>
  level === 'IFLA_INFO' && type === T_INFO_KIND ? 'IFLA_INFO_KIND' : undefined;

function parseTlvs(buf: Buffer, level: Level): Tlv[] {
  const out: Tlv[] = [];
  for (let off = 0; off + 4 <= buf.length;) {
    const len = buf.readUInt16LE(off);
    const type = buf.readUInt16LE(off + 2);
    if (len < 4 || off + len > buf.length) throw new Error(`bad nla_len ${len} at ${off} (${level})`);
    const body = buf.subarray(off + 4, off + len);
    const nest = nestOf(level, type & NLA_TYPE_MASK, out);
    if (nest) {
      out.push({ type, name: nest.name, head: Buffer.from(body.subarray(0, nest.head)), children: parseTlvs(body.subarray(nest.head), nest.level) });
    } else {
      const name = leafName(level, type & NLA_TYPE_MASK);
      out.push({ type, ...(name && { name }), payload: Buffer.from(body) });
    }
    off += (len + 3) & ~3;
  }
  return out;
}

function serTlvs(list: readonly Tlv[]): Buffer {
  return Buffer.concat(list.map((a) => {
    const body = a.children ? Buffer.concat([a.head ?? Buffer.alloc(0), serTlvs(a.children)]) : a.payload!;
    const hdr = Buffer.alloc(4);
    hdr.writeUInt16LE(4 + body.length, 0);
    hdr.writeUInt16LE(a.type, 2);
    return Buffer.concat([hdr, body, Buffer.alloc(((body.length + 3) & ~3) - body.length)]);
  }));
}

function parseReq(msg: Buffer): Req {
  return { nlmsghdr: msg.subarray(0, 16), ifinfomsg: msg.subarray(16, 16 + IFINFOMSG_LEN), attrs: parseTlvs(msg.subarray(16 + IFINFOMSG_LEN), 'IFLA') };
}

function serReq(r: Req): Buffer {
  const attrs = serTlvs(r.attrs);
  const hdr = Buffer.from(r.nlmsghdr);
  hdr.writeUInt32LE(16 + IFINFOMSG_LEN + attrs.length, 0);
  return Buffer.concat([hdr, r.ifinfomsg, attrs]);
}

const cloneReq = (r: Req): Req => parseReq(serReq(r));

/** The attribute list at `at` (attribute names from the message top; [] = the message's own). */
function listAt(r: Req, at: readonly string[]): Tlv[] {
  let list = r.attrs;
  for (const name of at) {
    const next = list.find((a) => a.name === name);
    if (!next?.children) throw new Error(`no nest ${name} on the path ${at.join('/')}`);
    list = next.children;
  }
  return list;
}

// ---- the differences a fixture may declare --------------------------------------------------

interface Difference {
  readonly difference: 'nul-terminator' | 'attribute-order';
  readonly at: readonly string[];
  readonly why: string;
}

/** Apply one declared difference to both sides (each a fresh copy), so that they compare equal on that point. */
function normalise(d: Difference, ours: Req, theirs: Req): void {
  switch (d.difference) {
    case 'nul-terminator': {
      // iproute2 sends the string without its NUL: add it on iproute2's side.
      const name = d.at[d.at.length - 1]!;
      const leaf = listAt(theirs, d.at.slice(0, -1)).find((a) => a.name === name);
      if (!leaf?.payload) throw new Error(`no attribute ${d.at.join('/')} in iproute2's request`);
      if (leaf.payload.at(-1) !== 0) leaf.payload = Buffer.concat([leaf.payload, Buffer.alloc(1)]);
      return;
    }
    case 'attribute-order': {
      // Same attributes in another order: sort both lists by type (stable).
      for (const r of [ours, theirs]) listAt(r, d.at).sort((a, b) => (a.type & NLA_TYPE_MASK) - (b.type & NLA_TYPE_MASK));
      return;
    }
    default:
      throw new Error(`unknown requestDifferences entry ${JSON.stringify(d)}`);
  }
}

function compareAfter(diffs: readonly Difference[], ours: Req, theirs: Req): boolean {
  const a = cloneReq(ours);
  const b = cloneReq(theirs);
  for (const d of diffs) normalise(d, a, b);
  return serReq(a).equals(serReq(b));
}

const describe = (bytes: Buffer): string => decodeAll(rtnetlink, bytes).map((m) => describeMessage(rtnetlink, m)).join('\n');

// ---- the tests -----------------------------------------------------------------------------

for (const c of cases) {
  const fx = loadFixture(`route/link/${c.fixture}`);
  const { json } = fx;
  const prov = json.provenance;
  const refused = json.exitCode !== 0 ? `, kernel refused: ${String(json.stderr).trim()}` : '';
  t.test(`request == iproute2's: ${prov.command} (${prov.tool.split(',')[0]}, strace on ${prov.kernel}${refused})`, async (t) => {
    // iproute2's request: the frame the fixture names, checked to be the one that carries the change.
    const req = json.request as { frame: number; message: number };
    const frame = fx.frames[req.frame]!;
    t.equal(frame.dir, 'send', `frame ${req.frame} is a request (${frame.label})`);
    const [s, e] = splitMessages(frame.bytes)[req.message]!;
    const theirsBytes = frame.bytes.subarray(s, e);
    const theirMsg = decodeAll(rtnetlink, theirsBytes)[0]!;
    t.ok(theirMsg.type === RTM_NEWLINK || theirMsg.type === RTM_DELLINK, `${theirMsg.name}`);
    t.not(theirMsg.seq, 0, 'not iproute2\'s RTM_NEWLINK support probe (seq 0)');
    const others = fx.frames.filter((f, i) => i !== req.frame && f.dir === 'send')
      .flatMap((f) => decodeAll(rtnetlink, f.bytes)).filter((m) => (m.type === RTM_NEWLINK || m.type === RTM_DELLINK) && m.seq !== 0);
    t.equal(others.length, 0, 'the capture holds no other RTM_NEWLINK/RTM_DELLINK request');

    // Ours: as LinkApi builds it, with the flags the socket adds (NLM_F_REQUEST, and NLM_F_ACK
    // on a lone request) and iproute2's seq, so that the headers compare too.
    const ns = new NetnsFds(noLibc);
    const msg = c.build(ns);
    ns.close();
    const oursBytes = encodeMessages(rtnetlink, [{ ...msg, flags: msg.flags | NLM_F_REQUEST | NLM_F_ACK, seq: theirMsg.seq, pid: 0 }]).buf;

    const diffs = (json.requestDifferences ?? []) as Difference[];
    t.ok(Array.isArray(json.requestDifferences), 'the fixture lists its requestDifferences (possibly none)');
    for (const d of diffs) t.ok(typeof d.why === 'string' && d.why.length > 20, `difference ${d.difference} at ${d.at.join('/') || 'top level'} says why`);

    // Both decode to the same value whatever the bytes.
    t.same(toJson(decodeAll(rtnetlink, oursBytes)[0]!), toJson(theirMsg), 'both requests decode to the same message');

    if (diffs.length === 0) {
      if (oursBytes.equals(theirsBytes)) t.pass(`identical: ${theirsBytes.length} bytes`);
      else t.fail('bytes differ, and the fixture declares no difference', { found: describe(oursBytes), wanted: describe(theirsBytes) });
      return;
    }

    const ours = parseReq(oursBytes);
    const theirs = parseReq(theirsBytes);
    t.ok(serReq(ours).equals(oursBytes) && serReq(theirs).equals(theirsBytes), 'the TLV view re-serialises both requests byte for byte');
    t.not(oursBytes.toString('hex'), theirsBytes.toString('hex'), 'bytes differ, as the fixture says');
    if (compareAfter(diffs, ours, theirs)) t.pass(`identical once normalised for: ${diffs.map((d) => `${d.difference} at ${d.at.join('/') || 'top level'}`).join('; ')}`);
    else {
      t.fail('bytes differ beyond the declared differences', {
        found: describe(oursBytes), wanted: describe(theirsBytes), declared: diffs.map((d) => `${d.difference} at ${d.at.join('/') || 'top level'}`),
      });
    }
    // Each declared difference is real: leave any one out and the requests differ.
    diffs.forEach((d, i) => {
      t.notOk(compareAfter(diffs.filter((_, k) => k !== i), ours, theirs), `needed: ${d.difference} at ${d.at.join('/') || 'top level'}`);
    });
  });
}
