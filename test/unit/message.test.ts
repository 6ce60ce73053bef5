// Whole netlink messages (src/netlink/message.ts, header.ts) with a tiny Protocol declared
// here: encodeMessages, decode, NLMSG_ERROR/DONE, describe, against hand-built bytes.
import t, { type Test } from 'tap';
import { throwsExactly } from '../helpers/assert.js';
import {
  Protocol, decodeAll, decodeMessage, describeMessage, encodeMessage, encodeMessages, messageSize, parseErrorPayload,
  reencode, requestPathAt, splitMessages, type Message, type OutMessage,
} from '../../src/netlink/message.js';
import {
  NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_MULTI,
  NLM_F_REQUEST, formatFlags,
} from '../../src/netlink/header.js';
import { attrs, nested, struct } from '../../src/netlink/schema.js';
import { asciiz, s32, u16, u32, u8 } from '../../src/netlink/kinds.js';
import { DecodeError } from '../../src/netlink/errors.js';


const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const hexOf = (s: string): string => s.replace(/\s+/g, '');

// ---- the protocol under test ------------------------------------------------------------

const TB = attrs('TB', { TB_X: { type: 1, key: 'x', kind: u16 } });
const TA = attrs('TA', {
  TA_NAME: { type: 1, key: 'name', kind: asciiz(15) },
  TA_MTU: { type: 2, key: 'mtu', kind: u32 },
  TA_NEST: { type: 3, key: 'nest', kind: nested(() => TB) },
});
/** 8-byte family header: u8 family, 3 pad, s32 ifindex. */
const TESTMSG = struct('testmsg', 8, { family: [0, u8], ifindex: [4, s32] });
const TEST_NEW = 0x10;
const proto = new Protocol('testproto', 31).register({ name: 'TEST_NEW', type: TEST_NEW, header: TESTMSG, attrs: TA, flagClass: 'new' });

/** A 1-byte family header (like struct netconfmsg / rtgenmsg): attributes start at NLMSG_ALIGN(1) = 4. */
const ONEBYTE = struct('onebyte', 1, { family: [0, u8] });
const P1 = new Protocol('p1', 0).register(
  { name: 'ONE_NEW', type: 0x50, header: ONEBYTE, attrs: TA, flagClass: 'new' },
  { name: 'ONE_GET', type: 0x52, header: ONEBYTE, flagClass: 'get' },
);

// Three messages and their literal encodings.
const M1: OutMessage = { type: TEST_NEW, flags: 0x605, seq: 1, pid: 0, header: { family: 2, ifindex: 3 }, attrs: { name: 'eth0' } };
const M1_HEX = '24000000 1000 0506 01000000 00000000' + ' 02000000 03000000' + ' 09000100 65746830 00000000';
const M2: OutMessage = { type: TEST_NEW, flags: NLM_F_REQUEST, seq: 2, header: { family: 0, ifindex: 0 } };
const M2_HEX = '18000000 1000 0100 02000000 00000000' + ' 00000000 00000000';
const M3: OutMessage = {
  type: TEST_NEW, flags: NLM_F_REQUEST | NLM_F_ACK, seq: 0xfffffffe, pid: 4242,
  header: { family: 10, ifindex: -1 }, attrs: { mtu: 1500, nest: { x: 0x102 } },
};
const M3_HEX = '2c000000 1000 0500 feffffff 92100000' + ' 0a000000 ffffffff' + ' 08000200 dc050000' + ' 0c000380 06000100 02010000';

/** struct nlmsghdr, built with plain Buffer writes (host order = little-endian). */
function nlmsghdr(len: number, type: number, flags: number, seq: number, pid: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(len, 0);
  b.writeUInt16LE(type, 4);
  b.writeUInt16LE(flags, 6);
  b.writeUInt32LE(seq, 8);
  b.writeUInt32LE(pid, 12);
  return b;
}
const s32le = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeInt32LE(v, 0); return b; };


// ---- tests ------------------------------------------------------------------------------

t.test('Protocol: type names, schema lookup, duplicate registration', async (t) => {
  t.equal(proto.name, 'testproto');
  t.equal(proto.id, 31);
  t.equal(proto.typeName(TEST_NEW), 'TEST_NEW');
  t.equal(proto.typeName(1), 'NLMSG_NOOP');
  t.equal(proto.typeName(2), 'NLMSG_ERROR');
  t.equal(proto.typeName(3), 'NLMSG_DONE');
  t.equal(proto.typeName(4), 'NLMSG_OVERRUN');
  t.equal(proto.typeName(0x99), 'type 153');
  t.equal(proto.schema(TEST_NEW)?.name, 'TEST_NEW');
  t.equal(proto.schema(0x99), undefined);
  throwsExactly(t, () => proto.register({ name: 'AGAIN', type: TEST_NEW, header: TESTMSG, flagClass: 'other' }), Error,
    'testproto: message type 16 registered twice');
});

t.test('encodeMessage: one TEST_NEW message, nlmsghdr + testmsg + TA_NAME', async (t) => {
  t.equal(messageSize(proto, M1), 36);
  t.equal(encodeMessage(proto, M1).toString('hex'), hexOf(M1_HEX));
});

t.test('encodeMessages: three messages back to back (offsets, nlmsg_len, seq/pid defaults)', async (t) => {
  const { buf, offsets } = encodeMessages(proto, [M1, M2, M3]);
  t.strictSame(offsets, [0, 36, 60]);
  t.equal(buf.length, 104);
  t.equal(buf.toString('hex'), hexOf(M1_HEX + M2_HEX + M3_HEX));
  t.strictSame(offsets.map((o) => buf.readUInt32LE(o)), [36, 24, 44], 'nlmsg_len of each');
  t.strictSame(splitMessages(buf), [[0, 36], [36, 60], [60, 104]]);
});

t.test('encodeMessages: unaligned nlmsg_len (1-byte family header) is padded to 4 with zeros', async (t) => {
  const { buf, offsets } = encodeMessages(P1, [
    { type: 0x52, flags: NLM_F_REQUEST | NLM_F_DUMP, seq: 8, header: { family: 10 } },
    { type: 0x52, flags: NLM_F_REQUEST | NLM_F_DUMP, seq: 9, header: { family: 2 } },
  ]);
  t.strictSame(offsets, [0, 20]);
  t.equal(buf.toString('hex'), hexOf('11000000 5200 0103 08000000 00000000 0a 000000' + '11000000 5200 0103 09000000 00000000 02 000000'));
  t.strictSame(splitMessages(buf), [[0, 17], [20, 37]]);
  // ONE_NEW may carry attributes; without any it stays 17 bytes long through decode → reencode.
  const wire = '11000000 5000 0100 03000000 00000000 02 000000';
  const d = decodeMessage(P1, hex(wire), 0, 17);
  t.strictSame(d, { type: 0x50, flags: 1, seq: 3, pid: 0, name: 'ONE_NEW', header: { family: 2 }, attrs: {} });
  t.equal(reencode(P1, d).toString('hex'), hexOf(wire));
});

t.test('encode: attributes after a 1-byte family header start at NLMSG_ALIGN(1) = 4', async (t) => {
  const m: OutMessage = { type: 0x50, flags: NLM_F_REQUEST, seq: 7, header: { family: 2 }, attrs: { mtu: 9000 } };
  const wire = '1c000000 5000 0100 07000000 00000000' + ' 02 000000' + ' 08000200 28230000';
  t.equal(messageSize(P1, m), 28);
  const buf = encodeMessage(P1, m);
  t.equal(buf.toString('hex'), hexOf(wire));
  const d = decodeMessage(P1, hex(wire));
  t.strictSame(d, { type: 0x50, flags: 1, seq: 7, pid: 0, name: 'ONE_NEW', header: { family: 2 }, attrs: { mtu: 9000 } });
  t.equal(reencode(P1, d).toString('hex'), hexOf(wire));
  t.strictSame(requestPathAt(P1, buf, 17), ['header'], 'the header padding belongs to the header');
  t.strictSame(requestPathAt(P1, buf, 20), ['TA_MTU']);
});

t.test('decodeAll of three TEST_NEW messages, and reencode() reproduces each byte for byte', async (t) => {
  const wire = hex(M1_HEX + M2_HEX + M3_HEX);
  const msgs = decodeAll(proto, wire);
  t.strictSame(msgs, [
    { type: 16, flags: 0x605, seq: 1, pid: 0, name: 'TEST_NEW', header: { family: 2, ifindex: 3 }, attrs: { name: 'eth0' } },
    { type: 16, flags: 1, seq: 2, pid: 0, name: 'TEST_NEW', header: { family: 0, ifindex: 0 }, attrs: {} },
    { type: 16, flags: 5, seq: 0xfffffffe, pid: 4242, name: 'TEST_NEW', header: { family: 10, ifindex: -1 }, attrs: { mtu: 1500, nest: { x: 0x102 } } },
  ]);
  t.equal(reencode(proto, msgs[0]!).toString('hex'), hexOf(M1_HEX));
  t.equal(reencode(proto, msgs[1]!).toString('hex'), hexOf(M2_HEX));
  t.equal(reencode(proto, msgs[2]!).toString('hex'), hexOf(M3_HEX));
});

t.test('decodeMessage of one message inside a larger buffer uses [start, end)', async (t) => {
  const wire = hex(M1_HEX + M3_HEX);
  const m = decodeMessage(proto, wire, 36, 80);
  t.equal(m.seq, 0xfffffffe);
  t.strictSame(m.attrs, { mtu: 1500, nest: { x: 0x102 } });
});

t.test('decodeMessage: header shorter than the family struct, and a bad attribute, are DecodeErrors', async (t) => {
  const short = Buffer.concat([nlmsghdr(20, TEST_NEW, 0, 1, 0), hex('02000000')]);
  const e = throwsExactly(t, () => decodeMessage(proto, short), DecodeError, 'TEST_NEW: TEST_NEW shorter than its struct testmsg (at byte 16)') as DecodeError | undefined;
  t.strictSame(e?.path, ['TEST_NEW']);
  t.equal(e?.offset, 16);
  const bad = Buffer.concat([nlmsghdr(32, TEST_NEW, 0, 1, 0), hex('02000000 03000000 0c000200 dc050000')]);
  const e2 = throwsExactly(t, () => decodeMessage(proto, bad), DecodeError, 'TEST_NEW: attribute length 12 overruns TA (8 bytes left) (at byte 24)') as DecodeError | undefined;
  t.equal(e2?.offset, 24);
});

t.test('messageSize/encodeMessages validation errors name the message and field', async (t) => {
  throwsExactly(t, () => encodeMessages(proto, [{ type: 0x99, flags: 0, header: {} }]), RangeError, 'testproto: unknown message type 153');
  throwsExactly(t, () => encodeMessages(proto, [M1, { ...M2, header: { family: 256 } }]), RangeError,
    'TEST_NEW.header.family: 256 is out of range for u8 (0..255)');
  throwsExactly(t, () => encodeMessage(proto, { ...M1, attrs: { mtu: -1 } }), RangeError, 'TEST_NEW.TA_MTU: -1 is out of range for u32 (0..4294967295)');
  throwsExactly(t, () => encodeMessage(P1, { type: 0x52, flags: 1, header: { family: 0 }, attrs: { mtu: 1 } }), TypeError, 'ONE_GET carries no attributes');
});

t.test('NLMSG_ERROR with EEXIST, not capped: the request header and payload are echoed', async (t) => {
  const request = hex(M1_HEX);
  const wire = Buffer.concat([nlmsghdr(16 + 4 + 36, NLMSG_ERROR, 0, 1, 1234), s32le(-17), request]);
  const m = decodeMessage(proto, wire);
  t.equal(m.type, NLMSG_ERROR);
  t.equal(m.name, 'NLMSG_ERROR');
  t.equal(m.seq, 1);
  t.equal(m.pid, 1234);
  t.equal(m.header, undefined);
  t.equal(m.payload, undefined);
  const e = m.error!;
  t.equal(e.error, -17);
  t.strictSame(e.request, { len: 36, type: TEST_NEW, flags: 0x605, seq: 1, pid: 0 });
  t.equal(e.requestPayload?.toString('hex'), hexOf('02000000 03000000 09000100 65746830 00000000'));
  t.equal(e.tlvs.size, 0);
  t.equal(describeMessage(proto, m), 'NLMSG_ERROR flags=0 seq=1 pid=1234\n  error: -17 for TEST_NEW seq=1');
  throwsExactly(t, () => reencode(proto, m), TypeError, 'NLMSG_ERROR: only schema-decoded messages re-encode');
});

t.test('NLMSG_ERROR with NLM_F_CAPPED: only the request header, no payload', async (t) => {
  const wire = Buffer.concat([nlmsghdr(36, NLMSG_ERROR, NLM_F_CAPPED, 5, 1234), s32le(-1), hex(M1_HEX).subarray(0, 16)]);
  const e = decodeMessage(proto, wire).error!;
  t.equal(e.error, -1);
  t.strictSame(e.request, { len: 36, type: TEST_NEW, flags: 0x605, seq: 1, pid: 0 });
  t.notOk('requestPayload' in e, 'no requestPayload');
  t.equal(e.tlvs.size, 0);
});

t.test('NLMSG_ERROR ACK (error 0, capped) describes as ACK', async (t) => {
  const wire = Buffer.concat([nlmsghdr(36, NLMSG_ERROR, NLM_F_CAPPED, 1, 1234), s32le(0), hex(M1_HEX).subarray(0, 16)]);
  const m = decodeMessage(proto, wire);
  t.equal(m.error?.error, 0);
  t.equal(describeMessage(proto, m), 'NLMSG_ERROR flags=CAPPED seq=1 pid=1234\n  error: 0 (ACK) for TEST_NEW seq=1');
});

t.test('NLMSG_ERROR with NLM_F_CAPPED|NLM_F_ACK_TLVS: extended-ACK TLVs (MSG, OFFS)', async (t) => {
  const tlvs = hex('10000100' + Buffer.from('MTU too low\0').toString('hex') + '08000200 1c000000');
  const wire = Buffer.concat([nlmsghdr(16 + 4 + 16 + tlvs.length, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 1, 1234),
    s32le(-22), hex(M1_HEX).subarray(0, 16), tlvs]);
  const m = decodeMessage(proto, wire);
  const e = m.error!;
  t.equal(e.error, -22);
  t.notOk('requestPayload' in e);
  t.strictSame([...e.tlvs.keys()], [1, 2]);
  t.equal(e.tlvs.get(1)?.toString('latin1'), 'MTU too low\0');
  t.equal(e.tlvs.get(2)?.toString('hex'), '1c000000');
  t.equal(describeMessage(proto, m), [
    'NLMSG_ERROR flags=CAPPED|ACK_TLVS seq=1 pid=1234',
    '  error: -22 for TEST_NEW seq=1',
    '  NLMSGERR_ATTR_MSG: "MTU too low"',
    '  NLMSGERR_ATTR_OFFS: 1c000000',
  ].join('\n'));
});

t.test('NLMSG_ERROR with NLM_F_ACK_TLVS, not capped: TLVs start after the NLMSG_ALIGNed echoed payload', async (t) => {
  // The request: nlmsg_len 18 (2 payload bytes), echoed as 2 bytes + 2 padding.
  const req = Buffer.concat([nlmsghdr(18, TEST_NEW, NLM_F_REQUEST, 3, 0), hex('abcd')]);
  const wire = Buffer.concat([nlmsghdr(16 + 4 + 16 + 4 + 8, NLMSG_ERROR, NLM_F_ACK_TLVS, 3, 1234), s32le(-22),
    req, hex('0000'), hex('08000200 10000000')]);
  const e = decodeMessage(proto, wire).error!;
  t.equal(e.request.len, 18);
  t.equal(e.requestPayload?.toString('hex'), 'abcd');
  t.strictSame([...e.tlvs.keys()], [2]);
  t.equal(e.tlvs.get(2)?.toString('hex'), '10000000');
});

t.test('parseErrorPayload: shorter than struct nlmsgerr is a DecodeError', async (t) => {
  const wire = Buffer.concat([nlmsghdr(24, NLMSG_ERROR, 0, 1, 0), s32le(-1), hex('00000000')]);
  const e = throwsExactly(t, () => decodeMessage(proto, wire), DecodeError, 'NLMSG_ERROR: NLMSG_ERROR payload shorter than struct nlmsgerr (at byte 16)') as DecodeError | undefined;
  t.equal(e?.offset, 16);
  throwsExactly(t, () => parseErrorPayload(hex('ffffffff'), 0, 4, 0), DecodeError, /shorter than struct nlmsgerr \(at byte 0\)$/);
});

t.test('NLMSG_DONE with its int, and bare', async (t) => {
  const done = Buffer.concat([nlmsghdr(20, NLMSG_DONE, NLM_F_MULTI, 5, 77), s32le(0)]);
  const m = decodeMessage(proto, done);
  t.strictSame(m, { type: 3, flags: 2, seq: 5, pid: 77, name: 'NLMSG_DONE', payload: hex('00000000') });
  t.equal(describeMessage(proto, m), 'NLMSG_DONE flags=MULTI seq=5 pid=77\n  payload: 00000000');
  t.strictSame(decodeMessage(proto, nlmsghdr(16, NLMSG_DONE, NLM_F_MULTI, 6, 77)), { type: 3, flags: 2, seq: 6, pid: 77, name: 'NLMSG_DONE' });
});

t.test('a message of an unknown type keeps its payload bytes', async (t) => {
  const wire = Buffer.concat([nlmsghdr(20, 0x99, NLM_F_REQUEST, 9, 1), hex('deadbeef')]);
  const m = decodeMessage(proto, wire);
  t.strictSame(m, { type: 0x99, flags: 1, seq: 9, pid: 1, name: 'type 153', payload: hex('deadbeef') });
  wire.fill(0, 16);
  t.equal(m.payload?.toString('hex'), 'deadbeef', 'payload copied out of the receive buffer');
  t.equal(describeMessage(proto, m), 'type 153 flags=REQUEST seq=9 pid=1\n  payload: deadbeef');
  throwsExactly(t, () => reencode(proto, m), TypeError, 'type 153: only schema-decoded messages re-encode');
});

t.test('decodeAll of a multipart datagram: messages, then NLMSG_DONE', async (t) => {
  const wire = Buffer.concat([hex(M1_HEX), nlmsghdr(20, NLMSG_DONE, NLM_F_MULTI, 1, 0), s32le(0)]);
  const msgs: Message[] = decodeAll(proto, wire);
  t.strictSame(msgs.map((m) => m.name), ['TEST_NEW', 'NLMSG_DONE']);
});

t.test('splitMessages: nlmsg_len below 16 or past the datagram is a DecodeError', async (t) => {
  const e = throwsExactly(t, () => splitMessages(nlmsghdr(8, TEST_NEW, 0, 0, 0)), DecodeError,
    'nlmsghdr: nlmsg_len 8 overruns the datagram (16 bytes left) (at byte 0)') as DecodeError | undefined;
  t.strictSame(e?.path, ['nlmsghdr']);
  t.equal(e?.offset, 0);
  const two = Buffer.concat([hex(M1_HEX), nlmsghdr(100, TEST_NEW, 0, 0, 0), Buffer.alloc(8)]);
  const e2 = throwsExactly(t, () => splitMessages(two), DecodeError,
    'nlmsghdr: nlmsg_len 100 overruns the datagram (24 bytes left) (at byte 36)') as DecodeError | undefined;
  t.equal(e2?.offset, 36);
  throwsExactly(t, () => decodeAll(proto, two), DecodeError, /^nlmsghdr: nlmsg_len 100 overruns/);
  t.strictSame(splitMessages(two, 0, 36), [[0, 36]], 'an explicit end stops before the bad message');
  t.strictSame(splitMessages(Buffer.alloc(10)), [], 'fewer than 16 bytes: no message');
});

t.test('requestPathAt: nlmsghdr, header, attributes, nested attributes', async (t) => {
  const req = hex(M3_HEX);
  // 0..16 nlmsghdr | 16..24 testmsg | 24..32 TA_MTU | 32..44 TA_NEST [36..44 TB_X]
  t.strictSame(requestPathAt(proto, req, 0), ['nlmsghdr']);
  t.strictSame(requestPathAt(proto, req, 15), ['nlmsghdr']);
  t.strictSame(requestPathAt(proto, req, 16), ['header']);
  t.strictSame(requestPathAt(proto, req, 23), ['header']);
  t.strictSame(requestPathAt(proto, req, 24), ['TA_MTU']);
  t.strictSame(requestPathAt(proto, req, 32), ['TA_NEST']);
  t.strictSame(requestPathAt(proto, req, 40), ['TA_NEST', 'TB_X']);
  t.strictSame(requestPathAt(proto, req, 44), [], 'past the end');
  t.strictSame(requestPathAt(proto, Buffer.concat([nlmsghdr(16, 0x99, 0, 0, 0)]), 0), [], 'unknown type');
  t.strictSame(requestPathAt(proto, Buffer.alloc(8), 0), [], 'shorter than nlmsghdr');
});

t.test('describeMessage: flag names by the message\'s class, header and attributes', async (t) => {
  const [m1, , m3] = decodeAll(proto, hex(M1_HEX + M2_HEX + M3_HEX));
  t.equal(describeMessage(proto, m1!), [
    'TEST_NEW flags=REQUEST|ACK|EXCL|CREATE seq=1 pid=0',
    '  header: { family=2 ifindex=3 }',
    '  TA_NAME: "eth0"',
  ].join('\n'));
  t.equal(describeMessage(proto, m3!), [
    'TEST_NEW flags=REQUEST|ACK seq=4294967294 pid=4242',
    '  header: { family=10 ifindex=-1 }',
    '  TA_MTU: 1500',
    '  TA_NEST:',
    '    TB_X: 258',
  ].join('\n'));
  const get = decodeMessage(P1, hex('11000000 5200 0103 08000000 00000000 0a 000000'));
  t.strictSame(get, { type: 0x52, flags: 0x301, seq: 8, pid: 0, name: 'ONE_GET', header: { family: 10 } });
  t.equal(describeMessage(P1, get), 'ONE_GET flags=REQUEST|DUMP seq=8 pid=0\n  header: { family=10 }');
});

t.test('flag constants match <linux/netlink.h>', async (t) => {
  t.strictSame([NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP, NLM_F_EXCL, NLM_F_CREATE, NLM_F_CAPPED, NLM_F_ACK_TLVS],
    [0x1, 0x2, 0x4, 0x300, 0x200, 0x400, 0x100, 0x200]);
  t.strictSame([NLMSG_ERROR, NLMSG_DONE], [2, 3]);
});

t.test('formatFlags, class other (default): base flags only, the rest in hex', async (t) => {
  t.equal(formatFlags(0), '0');
  t.equal(formatFlags(0x1), 'REQUEST');
  t.equal(formatFlags(0x3f), 'REQUEST|MULTI|ACK|ECHO|DUMP_INTR|DUMP_FILTERED');
  t.equal(formatFlags(0x305), 'REQUEST|ACK|0x300');
  t.equal(formatFlags(0x305, 'other'), 'REQUEST|ACK|0x300');
});

t.test('formatFlags, class get: DUMP before ROOT/MATCH, ATOMIC', async (t) => {
  t.equal(formatFlags(0x301, 'get'), 'REQUEST|DUMP');
  t.equal(formatFlags(0x101, 'get'), 'REQUEST|ROOT');
  t.equal(formatFlags(0x201, 'get'), 'REQUEST|MATCH');
  t.equal(formatFlags(0x701, 'get'), 'REQUEST|DUMP|ATOMIC');
  t.equal(formatFlags(0x1301, 'get'), 'REQUEST|DUMP|0x1000');
});

t.test('formatFlags, class new: REPLACE EXCL CREATE APPEND', async (t) => {
  t.equal(formatFlags(0x605, 'new'), 'REQUEST|ACK|EXCL|CREATE');
  t.equal(formatFlags(0x501, 'new'), 'REQUEST|REPLACE|CREATE');
  t.equal(formatFlags(0x801, 'new'), 'REQUEST|APPEND');
});

t.test('formatFlags, class del: NONREC BULK; 0x400 unnamed', async (t) => {
  t.equal(formatFlags(0x105, 'del'), 'REQUEST|ACK|NONREC');
  t.equal(formatFlags(0x201, 'del'), 'REQUEST|BULK');
  t.equal(formatFlags(0x401, 'del'), 'REQUEST|0x400');
});

t.test('formatFlags, class ack: CAPPED ACK_TLVS', async (t) => {
  t.equal(formatFlags(0x100, 'ack'), 'CAPPED');
  t.equal(formatFlags(0x300, 'ack'), 'CAPPED|ACK_TLVS');
  t.equal(formatFlags(0x202, 'ack'), 'MULTI|ACK_TLVS');
  t.equal(formatFlags(0x10100, 'ack'), 'CAPPED|0x10000');
});
