// MessageSchema.attrsFor (src/netlink/message.ts): the attribute set chosen from the decoded
// fixed header, alike for decode, encode (size + write), requestPathAt and describe — on a
// tiny protocol declared here, then on rtnetlink's AF_BRIDGE link messages (IFLA_BR_MSG).
import t from 'tap';
import {
  Protocol, attrsOf, decodeMessage, describeMessage, encodeMessage, messageSize, reencode, requestAttrs, requestPathAt, type OutMessage,
} from '../../src/netlink/message.js';
import { NLM_F_REQUEST } from '../../src/netlink/header.js';
import { attrs, nested, struct } from '../../src/netlink/schema.js';
import { u16, u32, u8 } from '../../src/netlink/kinds.js';
import { rtnetlink, RTM_NEWLINK } from '../../src/route/protocol.js';
import { IFLA, IFLA_BR_MSG, IFLA_INET6_MSG } from '../../src/route/link/link.schema.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// Family 0: type 1 is a u32 `a`; family 7: type 1 is a nest of u16 `y`, type 2 a u8 `b`.
const INNER = attrs('IN', { IN_Y: { type: 1, key: 'y', kind: u16 } });
const PLAIN = attrs('PA', { PA_A: { type: 1, key: 'a', kind: u32 } });
const ALT = attrs('AL', { AL_N: { type: 1, key: 'n', kind: nested(() => INNER) }, AL_B: { type: 2, key: 'b', kind: u8 } });
const HDR = struct('fam', 4, { family: [0, u8] });
const proto = new Protocol('attrsfor', 30).register({
  name: 'T_MSG', type: 0x20, header: HDR, attrs: PLAIN, flagClass: 'new',
  attrsFor: (h: { family: number }) => (h.family === 7 ? ALT : undefined),
});
const noAttrs = new Protocol('none', 29).register({
  name: 'N_MSG', type: 0x20, header: HDR, flagClass: 'new', attrsFor: (h: { family: number }) => (h.family === 7 ? ALT : undefined),
});

const PLAIN_MSG: OutMessage = { type: 0x20, flags: NLM_F_REQUEST, seq: 1, header: { family: 0 }, attrs: { a: 0x01020304 } };
const PLAIN_HEX = '1c000000 2000 0100 01000000 00000000' + ' 00000000' + ' 08000100 04030201';
const ALT_MSG: OutMessage = { type: 0x20, flags: NLM_F_REQUEST, seq: 1, header: { family: 7 }, attrs: { n: { y: 0x0a0b }, b: 5 } };
// AL_N has NLA_F_NESTED (the attrs() default), then AL_B.
const ALT_HEX = '28000000 2000 0100 01000000 00000000' + ' 07000000' + ' 0c000180 06000100 0b0a0000' + ' 05000200 05000000';

t.test('fallback: attrsFor returns undefined → attrs', async (t) => {
  t.equal(encodeMessage(proto, PLAIN_MSG).toString('hex'), hex(PLAIN_HEX).toString('hex'));
  t.equal(messageSize(proto, PLAIN_MSG), 28);
  const m = decodeMessage(proto, hex(PLAIN_HEX));
  t.strictSame(m.attrs, { a: 0x01020304 });
  t.equal(attrsOf(proto.schema(0x20)!, m.header), PLAIN);
});

t.test('the header picks the set: encode, size, decode, round-trip', async (t) => {
  t.equal(messageSize(proto, ALT_MSG), 40);
  t.equal(encodeMessage(proto, ALT_MSG).toString('hex'), hex(ALT_HEX).toString('hex'), 'encoded with ALT from the OutMessage header');
  const m = decodeMessage(proto, hex(ALT_HEX));
  t.strictSame(m.header, { family: 7 });
  t.strictSame(m.attrs, { n: { y: 0x0a0b }, b: 5 }, 'decoded with ALT from the decoded header');
  t.ok(reencode(proto, m).equals(hex(ALT_HEX)), 'round-trips');
  // The same bytes under family 0 read type 1 as PLAIN's u32 (kept raw: a 8-byte payload is not a u32).
  const other = hex(ALT_HEX);
  other[16] = 0;
  t.not(JSON.stringify(decodeMessage(proto, other).attrs), JSON.stringify(m.attrs), 'family 0 reads the same bytes with PLAIN');
});

t.test('a schema with only attrsFor: attributes for family 7, none otherwise', async (t) => {
  t.ok(encodeMessage(noAttrs, ALT_MSG).equals(hex(ALT_HEX)));
  t.strictSame(decodeMessage(noAttrs, hex(ALT_HEX)).attrs, { n: { y: 0x0a0b }, b: 5 });
  t.throws(() => messageSize(noAttrs, PLAIN_MSG), TypeError, 'family 0 carries no attributes');
});

t.test('requestPathAt and requestAttrs use the request\'s header', async (t) => {
  const req = hex(ALT_HEX);
  // 0..16 nlmsghdr | 16..20 header | 20..32 AL_N [24..32 IN_Y] | 32..40 AL_B
  t.strictSame(requestPathAt(proto, req, 18), ['header']);
  t.strictSame(requestPathAt(proto, req, 20), ['AL_N']);
  t.strictSame(requestPathAt(proto, req, 28), ['AL_N', 'IN_Y']);
  t.strictSame(requestPathAt(proto, req, 32), ['AL_B']);
  t.strictSame(requestPathAt(proto, hex(PLAIN_HEX), 20), ['PA_A'], 'family 0: PLAIN');
  t.equal(requestAttrs(proto.schema(0x20)!, req), ALT);
  t.equal(requestAttrs(proto.schema(0x20)!, req.subarray(0, 18)), PLAIN, 'a request too short for its header falls back');
});

t.test('describeMessage names attributes from the chosen set', async (t) => {
  const text = describeMessage(proto, decodeMessage(proto, hex(ALT_HEX)));
  t.match(text, /AL_N:\n {4}IN_Y: 2571/);
  t.match(text, /AL_B: 5/);
});

// ---- rtnetlink: AF_BRIDGE link messages -----------------------------------------------------

t.test('IFLA_BR_MSG is IFLA with IFLA_AF_SPEC and IFLA_PROTINFO re-laid out, every other entry shared', async (t) => {
  t.equal(IFLA_BR_MSG.entries().length, IFLA.entries().length, 'same attributes');
  for (const e of IFLA.entries()) {
    const b = IFLA_BR_MSG.entry(e.name)!;
    t.equal(b.type, e.type, `${e.name}: same number`);
    if (e.name !== 'IFLA_AF_SPEC' && e.name !== 'IFLA_PROTINFO') t.equal(b.kind, e.kind, `${e.name}: same kind`);
  }
  t.not(IFLA_BR_MSG.entry('IFLA_AF_SPEC')!.kind, IFLA.entry('IFLA_AF_SPEC')!.kind);
  t.equal(IFLA_BR_MSG.entry('IFLA_PROTINFO')!.raw, 12 | 0x8000, 'IFLA_PROTINFO: NLA_F_NESTED (br_fill_ifinfo: nla_nest_start)');
  t.equal(IFLA_BR_MSG.entry('IFLA_AF_SPEC')!.raw, 26, 'IFLA_AF_SPEC: no NLA_F_NESTED (nla_nest_start_noflag)');
  const s = rtnetlink.schema(RTM_NEWLINK)!;
  t.equal(attrsOf(s, { family: 7 }), IFLA_BR_MSG, 'AF_BRIDGE → IFLA_BR_MSG');
  t.equal(attrsOf(s, { family: 0 }), IFLA, 'AF_UNSPEC → IFLA');
  t.equal(attrsOf(s, { family: 10 }), IFLA_INET6_MSG, 'AF_INET6 → IFLA_INET6_MSG');
  for (const type of [16, 17, 18, 19]) t.equal(attrsOf(rtnetlink.schema(type)!, { family: 7 }), IFLA_BR_MSG, `${rtnetlink.typeName(type)}`);
});

// An AF_BRIDGE RTM_NEWLINK as br_fill_ifinfo() writes it with RTEXT_FILTER_BRVLAN: IFLA_AF_SPEC
// holding IFLA_BRIDGE_VLAN_INFO directly (this kernel lacks vlan filtering, so hand-built).
const BR_NEWLINK_HEX =
  '38000000 1000 0200 05000000 00000000' +
  ' 07000100 04000000 43100100 00000000' + // ifinfomsg: AF_BRIDGE, ARPHRD_ETHER, ifindex 4, flags
  ' 0a000300 76657468 30000000' + //          IFLA_IFNAME "veth0"
  ' 0c001a00 08000200 06000a00'; //           IFLA_AF_SPEC { IFLA_BRIDGE_VLAN_INFO { PVID|UNTAGGED, vid 10 } }

t.test('AF_BRIDGE RTM_NEWLINK: IFLA_AF_SPEC holds IFLA_BRIDGE_* directly', async (t) => {
  const bytes = hex(BR_NEWLINK_HEX);
  const m = decodeMessage(rtnetlink, bytes);
  t.equal(m.header.family, 7);
  t.strictSame(m.attrs.afSpec, { vlanInfo: [{ flags: 6, vid: 10 }] });
  t.ok(reencode(rtnetlink, m).equals(bytes), 'round-trips');
  // Read with the AF_UNSPEC layout (what the IFLA table alone did), type 2 would be the AF_INET
  // nest and its u16 payload a malformed IFLA_INET attribute.
  const unspec = Buffer.from(bytes);
  unspec[16] = 0;
  t.throws(() => decodeMessage(rtnetlink, unspec), /IFLA_AF_SPEC\.AF_INET/, 'the per-family layout cannot read it');
  t.match(describeMessage(rtnetlink, m), /IFLA_AF_SPEC:\n {4}IFLA_BRIDGE_VLAN_INFO/);
  t.strictSame(requestPathAt(rtnetlink, bytes, 48), ['IFLA_AF_SPEC', 'IFLA_BRIDGE_VLAN_INFO']);
});

t.test('AF_INET6 link messages: IFLA_PROTINFO holds IFLA_INET6_* (6.18, recorded RTM_GETLINK dump, family AF_INET6)', async (t) => {
  const { decodeAll } = await import('../../src/netlink/message.js');
  const { rtnetlink } = await import('../../src/route/protocol.js');
  const { loadFixture } = await import('../helpers/fixtures.js');
  const fx = loadFixture('route/link/getlink-inet6-dump');
  const links = fx.frames.filter((f) => f.dir === 'recv').flatMap((f) => decodeAll(rtnetlink, f.bytes)).filter((m) => m.type === 16);
  const br0 = links.find((m) => m.attrs.ifname === 'br0');
  t.ok(br0, 'br0 is in the AF_INET6 dump');
  t.equal(br0?.header.family, 10);
  const p = br0?.attrs.protinfo as Record<string, unknown>;
  t.equal(p['addrGenMode'], 0, 'IFLA_INET6_ADDR_GEN_MODE: eui64');
  t.equal(p['token'], '::', 'IFLA_INET6_TOKEN');
  t.ok(Array.isArray(p['conf']) && (p['conf'] as number[]).length > 50, 'IFLA_INET6_CONF: the devconf array');
  t.equal((p['conf'] as number[])[2], 1500, 'DEVCONF_MTU6 = 1500');
});
