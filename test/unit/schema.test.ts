// The attribute-schema engine (src/netlink/schema.ts) on small attribute sets declared
// here (no dependency on src/route tables), against hand-written wire bytes.
import t, { type Test } from 'tap';
import { throwsExactly } from '../helpers/assert.js';
import {
  AttrSet, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK, array, attrs, nested, prefixed, struct, union,
} from '../../src/netlink/schema.js';
import { asciiz, be16, bytes, flag, ipaddr, s32, string0, u32, u8 } from '../../src/netlink/kinds.js';
import { DecodeError } from '../../src/netlink/errors.js';


const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const hexOf = (s: string): string => s.replace(/\s+/g, '');

// ---- the attribute sets under test ------------------------------------------------------

const INNER = attrs('INNER', {
  INNER_A: { type: 1, key: 'a', kind: u32 },
  INNER_NAME: { type: 2, key: 'name', kind: asciiz(15) },
});

/** 12-byte struct, fields at 0 (u8), 4 (s32), 8 (u32); 8 bytes is enough to decode. */
const HDR = struct('hdr', 12, { family: [0, u8], index: [4, s32], flags: [8, u32] }, { minSize: 8 });

/** 6-byte struct: its attributes start at NLA_ALIGN(6) = 8 inside a prefixed() payload. */
const PHDR = struct('phdr', 6, { family: [0, u8], id: [2, u32] });

const VX = attrs('VX', { VX_ID: { type: 1, key: 'id', kind: u32 } });
const VY = attrs('VY', { VY_NAME: { type: 1, key: 'name', kind: string0 } });

/** IFLA_LINKINFO-like: INFO_DATA's layout is chosen by INFO_KIND. */
const INFO = attrs('INFO', {
  INFO_KIND: { type: 1, key: 'kind', kind: string0 },
  INFO_DATA: { type: 2, key: 'data', kind: union('kind', () => ({ vx: nested(() => VX), vy: nested(() => VY) })) },
});

const OUTER = attrs('OUTER', {
  OUTER_MTU: { type: 1, key: 'mtu', kind: u32 },
  OUTER_SMALL: { type: 2, key: 'small', kind: u8 },
  OUTER_NEST: { type: 3, key: 'nest', kind: nested(() => INNER) },
  OUTER_ADDR: { type: 4, key: 'addr', kind: ipaddr, multi: true },
  OUTER_ON: { type: 5, key: 'on', kind: flag },
  OUTER_LIST: { type: 6, key: 'list', kind: array(u32) },
  OUTER_ELEMS: { type: 7, key: 'elems', kind: array(nested(() => INNER), { elemType: 1, name: 'ELEM' }) },
  OUTER_HDR: { type: 8, key: 'hdr', kind: HDR },
  OUTER_PEER: { type: 9, key: 'peer', kind: prefixed(PHDR, () => INNER) },
  OUTER_PORT: { type: 10, key: 'port', kind: be16, netByteOrder: true },
  OUTER_INFO: { type: 11, key: 'info', kind: nested(() => INFO) },
  OUTER_BLOB: { type: 13, key: 'blob', kind: bytes },
});

// Literal encodings of single OUTER attributes (nlattr header: u16 len LE, u16 type LE).
const W = {
  mtu1500: '08000100 dc050000',
  small7: '05000200 07000000', // len 5: 1 byte payload + 3 bytes padding
  nestA1Lo: '14000380 08000100 01000000 07000200 6c6f0000', // type 3|NLA_F_NESTED
  addrs: '08000400 0a000001 14000400 00000000000000000000000000000001',
  on: '04000500',
  list: '14000680 08000100 0a000000 08000200 14000000', // elements typed 1, 2
  elems: '1c000780 0c000180 08000100 01000000 0c000180 08000100 02000000', // elements all typed 1|NESTED
  hdr: '10000800 02000000 ffffffff 03000000',
  peer: '14000900 07000403 02010000 08000100 09000000', // struct phdr (6) + 2 pad + INNER_A
  port80: '06000a40 00500000', // type 10|NLA_F_NET_BYTEORDER, big-endian payload
  infoVx: '18000b80 07000100 76780000 0c000280 08000100 2a000000',
};

// ---- helpers ----------------------------------------------------------------------------

/** Two-pass encode at offset `off` of a 0xee-filled buffer; checks size() == bytes written. */
function encode(t: Test, set: AttrSet<any>, values: Record<string, unknown>, off = 0): string {
  const n = set.size(values);
  const buf = Buffer.alloc(off + n + 4, 0xee);
  const end = set.write(values, buf, off);
  t.equal(end - off, n, 'size() equals the bytes written');
  t.equal(buf.subarray(off + n).toString('hex'), 'eeeeeeee', 'nothing written past size()');
  t.equal(buf.subarray(0, off).toString('hex'), 'ee'.repeat(off), 'nothing written before the offset');
  return buf.subarray(off, off + n).toString('hex');
}

/** Decode hex placed at offset 4 of a buffer with guard bytes on both sides. */
function decode(set: AttrSet<any>, h: string, path: string[] = []): Record<string, unknown> {
  const p = hex(h);
  return set.read(Buffer.concat([hex('eeeeeeee'), p, hex('eeee')]), 4, 4 + p.length, path);
}

/** decode(wire) == value, and encode(value) == wire byte for byte. */
function roundTrip(t: Test, set: AttrSet<any>, value: Record<string, unknown>, wire: string): Record<string, unknown> {
  const got = decode(set, wire);
  t.strictSame(got, value, 'decode gives the expected value');
  t.equal(encode(t, set, value), hexOf(wire), 'encode gives the wire bytes');
  t.equal(encode(t, set, got), hexOf(wire), 'decode → encode reproduces the wire bytes');
  return got;
}


// ---- tests ------------------------------------------------------------------------------

t.test('nlattr flag constants match <linux/netlink.h>', async (t) => {
  t.equal(NLA_F_NESTED, 0x8000);
  t.equal(NLA_F_NET_BYTEORDER, 0x4000);
  t.equal(NLA_TYPE_MASK, 0x3fff);
});

t.test('a 1-byte u8 attribute takes 8 bytes: header 4, payload 1, zero padding 3', async (t) => {
  t.equal(OUTER.size({ small: 7 }), 8);
  roundTrip(t, OUTER, { small: 7 }, W.small7);
});

t.test('write() at buffer offset 1: padding is relative to the attribute start, not the buffer', async (t) => {
  t.equal(encode(t, OUTER, { small: 7, mtu: 1500 }, 1), hexOf(`${W.small7} ${W.mtu1500}`));
});

t.test('u32 attribute OUTER_MTU=1500', async (t) => {
  roundTrip(t, OUTER, { mtu: 1500 }, W.mtu1500);
});

t.test('nested set: NLA_F_NESTED on the header, inner attributes aligned', async (t) => {
  roundTrip(t, OUTER, { nest: { a: 1, name: 'lo' } }, W.nestA1Lo);
  roundTrip(t, OUTER, { nest: {} }, '04000380');
});

t.test('multi attribute OUTER_ADDR repeats once per element, in order', async (t) => {
  roundTrip(t, OUTER, { addr: ['10.0.0.1', '::1'] }, W.addrs);
  t.equal(encode(t, OUTER, { addr: [] }), '', 'an empty array encodes to nothing');
  t.strictSame(decode(OUTER, `${W.addrs} 08000400 c0000201`), { addr: ['10.0.0.1', '::1', '192.0.2.1'] });
});

t.test('flag attribute: header only', async (t) => {
  roundTrip(t, OUTER, { on: true }, W.on);
});

t.test('netByteOrder: NLA_F_NET_BYTEORDER set on encode, masked off on decode', async (t) => {
  roundTrip(t, OUTER, { port: 80 }, W.port80);
});

t.test('array() without elemType: element i has type i+1', async (t) => {
  roundTrip(t, OUTER, { list: [10, 20] }, W.list);
  roundTrip(t, OUTER, { list: [] }, '04000680');
});

t.test('array() with elemType 1 of nested sets: every element typed 1|NLA_F_NESTED', async (t) => {
  roundTrip(t, OUTER, { elems: [{ a: 1 }, { a: 2 }] }, W.elems);
});

t.test('array() decode ignores element types and keeps wire order', async (t) => {
  t.strictSame(decode(OUTER, '14000680 08000500 07000000 08000100 08000000'), { list: [7, 8] });
});

t.test('array() validation: element path in the error; not an array is a TypeError', async (t) => {
  const BYTES = attrs('B', { B_L: { type: 1, key: 'l', kind: array(u8) } });
  throwsExactly(t, () => BYTES.size({ l: [1, 300] }), RangeError, 'B_L.[1]: 300 is out of range for u8 (0..255)');
  throwsExactly(t, () => BYTES.size({ l: 5 }), TypeError, 'B_L: expected an array');
  throwsExactly(t, () => OUTER.size({ elems: [{ a: 1 }, { name: 'x'.repeat(16) }] }), RangeError,
    'OUTER_ELEMS.ELEM.INNER_NAME: "xxxxxxxxxxxxxxxx" is 16 bytes; at most 15 allowed');
});

t.test('array() decode: element overrunning its nest is a DecodeError with the array path', async (t) => {
  const e = throwsExactly(t, () => decode(OUTER, '0c000680 10000100 0a000000'), DecodeError,
    'OUTER_LIST: array element length 16 overruns its nest (at byte 8)') as DecodeError | undefined;
  t.strictSame(e?.path, ['OUTER_LIST']);
  t.equal(e?.offset, 8);
});

t.test('struct(): fields at their offsets, gaps zeroed', async (t) => {
  roundTrip(t, OUTER, { hdr: { family: 2, index: -1, flags: 3 } }, W.hdr);
  // Fields left out are zero (the buffer was 0xee-filled, so zeros were written).
  t.equal(encode(t, OUTER, { hdr: { family: 10 } }), hexOf('10000800 0a000000 00000000 00000000'));
  t.equal(HDR.fixedSize, 12);
  t.equal(HDR.structSize, 12);
  t.equal(HDR.kindName, 'struct hdr');
});

t.test('struct(): input longer than the struct keeps the rest as $tail and writes it back', async (t) => {
  const got = roundTrip(t, OUTER, { hdr: { family: 2, index: -1, flags: 3, $tail: hex('aabbccdd') } },
    '14000800 02000000 ffffffff 03000000 aabbccdd');
  t.equal(HDR.describe(got['hdr'] as never, ''), '{ family=2 index=-1 flags=3 $tail=aabbccdd }');
});

t.test('struct(): fewer bytes than minSize is a DecodeError; between minSize and size decodes the fields that fit', async (t) => {
  const e = throwsExactly(t, () => decode(OUTER, '0b000800 02000000 ffffff00'), DecodeError,
    'OUTER_HDR: struct hdr needs 8 bytes, got 7 (at byte 8)') as DecodeError | undefined;
  t.strictSame(e?.path, ['OUTER_HDR']);
  t.equal(e?.offset, 8);
  const v = decode(OUTER, '0c000800 02000000 ffffffff');
  t.strictSame(v, { hdr: { family: 2, index: -1 } });
  t.notOk('flags' in (v['hdr'] as object), 'a field beyond the input is absent, not 0');
});

t.test('struct(): field validation names the field; construction rejects fields that do not fit', async (t) => {
  throwsExactly(t, () => OUTER.size({ hdr: { family: 256 } }), RangeError, 'OUTER_HDR.family: 256 is out of range for u8 (0..255)');
  throwsExactly(t, () => OUTER.size({ hdr: 5 }), TypeError, 'OUTER_HDR: expected struct hdr');
  throwsExactly(t, () => struct('bad', 12, { x: [10, u32] }), Error, 'struct bad.x: field does not fit');
  throwsExactly(t, () => struct('bad', 12, { s: [0, asciiz(3)] }), Error, 'struct bad.s: field does not fit');
  t.equal(HDR.describe({ family: 2, index: -1, flags: 3 }, ''), '{ family=2 index=-1 flags=3 }');
});

t.test('prefixed(): struct, NLA_ALIGN padding, then attributes, in a non-nested attribute', async (t) => {
  roundTrip(t, OUTER, { peer: { header: { family: 7, id: 0x01020304 }, attrs: { a: 9 } } }, W.peer);
  t.equal(encode(t, OUTER, { peer: { header: { family: 7, id: 0x01020304 } } }), hexOf('0c000900 07000403 02010000'),
    'attrs omitted: header only');
});

t.test('prefixed(): size() validates the header (RangeError/TypeError naming it)', async (t) => {
  throwsExactly(t, () => OUTER.size({ peer: { header: { family: 300, id: 1 }, attrs: {} } }), RangeError,
    'OUTER_PEER.header.family: 300 is out of range for u8 (0..255)');
  throwsExactly(t, () => OUTER.size({ peer: { attrs: { a: 1 } } }), TypeError, 'OUTER_PEER.header: expected struct phdr');
  throwsExactly(t, () => OUTER.size({ peer: { header: { family: 1 }, attrs: { a: -1 } } }), RangeError,
    'OUTER_PEER.INNER_A: -1 is out of range for u32 (0..4294967295)');
  throwsExactly(t, () => OUTER.size({ peer: { header: { family: 1, $tail: hex('00') } } }), RangeError,
    'OUTER_PEER.header: a struct phdr here takes exactly 6 bytes (no $tail)');
});

t.test('prefixed(): payload shorter than its struct is a DecodeError', async (t) => {
  const e = throwsExactly(t, () => decode(OUTER, '09000900 0700040302 000000'), DecodeError,
    'OUTER_PEER: shorter than its struct phdr (at byte 8)') as DecodeError | undefined;
  t.strictSame(e?.path, ['OUTER_PEER']);
});

t.test('union() with its selector BEFORE it on the wire', async (t) => {
  const wire = '07000100 76780000 0c000280 08000100 2a000000';
  const v = roundTrip(t, INFO, { kind: 'vx', data: { id: 42 } }, wire);
  t.strictSame(Object.keys(v), ['kind', 'data']);
  roundTrip(t, INFO, { kind: 'vy', data: { name: 'a' } }, '07000100 76790000 0c000280 06000100 61000000');
});

t.test('union() with its selector AFTER it on the wire: decoded after its siblings, keeps its position', async (t) => {
  const wire = '0c000280 08000100 2a000000 07000100 76780000';
  const v = roundTrip(t, INFO, { data: { id: 42 }, kind: 'vx' }, wire);
  t.strictSame(Object.keys(v), ['data', 'kind'], 'wire order kept');
});

t.test('union() inside a nested set (OUTER_INFO)', async (t) => {
  roundTrip(t, OUTER, { info: { kind: 'vx', data: { id: 42 } } }, W.infoVx);
});

t.test('union() with an unknown selector keeps the payload as a Buffer and round-trips', async (t) => {
  const wire = '07000100 767a0000 0c000280 deadbeef 01020304';
  const v = roundTrip(t, INFO, { kind: 'vz', data: hex('deadbeef01020304') }, wire);
  t.ok(Buffer.isBuffer(v['data']));
  t.equal(INFO.describe(v), 'INFO_KIND: "vz"\nINFO_DATA: deadbeef01020304');
  // No selector at all: also raw bytes.
  t.strictSame(decode(INFO, '0c000280 08000100 2a000000'), { data: hex('080001002a000000') });
});

t.test('union() encode without a usable selector: TypeError asking for a Buffer', async (t) => {
  throwsExactly(t, () => INFO.size({ data: { id: 1 } }), TypeError, 'INFO_DATA: no layout for kind=undefined; pass the payload as a Buffer');
  throwsExactly(t, () => INFO.size({ kind: 'vz', data: { id: 1 } }), TypeError, 'INFO_DATA: no layout for kind="vz"; pass the payload as a Buffer');
  throwsExactly(t, () => INFO.size({ kind: 'vx', data: { id: -1 } }), RangeError, 'INFO_DATA.VX_ID: -1 is out of range for u32 (0..4294967295)');
});

t.test('unknown attributes decode as $<rawtype> Buffers and re-encode byte for byte in place', async (t) => {
  // mtu, unknown type 20 (2-byte payload), unknown type 12|NLA_F_NESTED, small.
  const wire = `${W.mtu1500} 06001400 abcd0000 0c000c80 08000100 05000000 ${W.small7}`;
  const src = hex(wire);
  const v = OUTER.read(src, 0, src.length);
  t.strictSame(Object.keys(v), ['mtu', '$20', '$32780', 'small'], 'wire order, raw type incl. NLA_F_NESTED');
  t.strictSame(v, { mtu: 1500, $20: hex('abcd'), $32780: hex('0800010005000000'), small: 7 });
  t.equal(encode(t, OUTER, v), hexOf(wire));
  src.fill(0);
  t.equal((v as Record<string, Buffer>)['$20']!.toString('hex'), 'abcd', 'unknown payload copied, not a view of the source');
  t.equal(OUTER.describe(v),
    'OUTER_MTU: 1500\nOUTER_UNKNOWN(20): abcd\nOUTER_UNKNOWN(12,nested): 0800010005000000\nOUTER_SMALL: 7');
});

t.test('unknown attributes inside a nest round-trip', async (t) => {
  const wire = '1c000380 08000100 01000000 05006300 ff000000 05000200 00000000';
  roundTrip(t, OUTER, { nest: { a: 1, $99: hex('ff'), name: '' } }, wire);
});

t.test('size() rejects unknown keys and non-Buffer unknown attribute values', async (t) => {
  throwsExactly(t, () => OUTER.size({ bogus: 1 }), TypeError, /^bogus: not an attribute of OUTER \(known: mtu, small, nest, addr, on, list, elems, hdr, peer, port, info, blob\)$/);
  throwsExactly(t, () => OUTER.size({ nest: { bogus: 1 } }), TypeError, 'OUTER_NEST.bogus: not an attribute of INNER (known: a, name)');
  throwsExactly(t, () => OUTER.size({ $20: 'ab' }), TypeError, '$20: an unknown attribute\'s value must be a Buffer');
  throwsExactly(t, () => OUTER.size(null as never), TypeError, 'OUTER: expected an object of OUTER attributes');
  throwsExactly(t, () => OUTER.size({ nest: 5 }), TypeError, 'OUTER_NEST: expected an object of INNER attributes');
  throwsExactly(t, () => OUTER.size({ addr: '10.0.0.1' }), TypeError, 'OUTER_ADDR: expected an array (the attribute may repeat)');
  throwsExactly(t, () => OUTER.size({ addr: ['10.0.0.1', '10.0.0'] }), RangeError, 'OUTER_ADDR: "10.0.0" is not an IPv4 or IPv6 address');
});

t.test('size() rejects a payload over 65531 bytes; 65531 fits', async (t) => {
  throwsExactly(t, () => OUTER.size({ blob: Buffer.alloc(65532) }), RangeError, 'OUTER_BLOB: 65532 bytes do not fit one attribute (max 65531)');
  t.equal(OUTER.size({ blob: Buffer.alloc(65531) }), 65536);
  const buf = Buffer.alloc(65536);
  OUTER.write({ blob: Buffer.alloc(65531, 1) }, buf, 0);
  t.equal(buf.readUInt16LE(0), 65535, 'nla_len');
});

t.test('undefined values are skipped by size(), write() and describe()', async (t) => {
  t.equal(encode(t, OUTER, { mtu: undefined, small: 1 }), hexOf('05000200 01000000'));
  t.equal(OUTER.describe({ mtu: undefined, small: 1 }), 'OUTER_SMALL: 1');
});

t.test('two-pass encode of every attribute kind at offset 7: size() == bytes written == literal bytes', async (t) => {
  const value = {
    mtu: 1500, small: 7, nest: { a: 1, name: 'lo' }, addr: ['10.0.0.1', '::1'], on: true as const, list: [10, 20],
    elems: [{ a: 1 }, { a: 2 }], hdr: { family: 2, index: -1, flags: 3 }, peer: { header: { family: 7, id: 0x01020304 }, attrs: { a: 9 } },
    port: 80, info: { kind: 'vx', data: { id: 42 } },
  };
  const wire = [W.mtu1500, W.small7, W.nestA1Lo, W.addrs, W.on, W.list, W.elems, W.hdr, W.peer, W.port80, W.infoVx].join(' ');
  t.equal(OUTER.size(value), hex(wire).length);
  t.equal(encode(t, OUTER, value, 7), hexOf(wire));
  t.strictSame(decode(OUTER, wire), value);
});

t.test('decode: attribute length overrunning its nest is a DecodeError with the nested path', async (t) => {
  // OUTER_NEST (12 bytes) holds an attribute claiming 16.
  const e = throwsExactly(t, () => decode(OUTER, '0c000380 10000100 01000000'), DecodeError,
    'OUTER_NEST: attribute length 16 overruns INNER (8 bytes left) (at byte 8)') as DecodeError | undefined;
  t.strictSame(e?.path, ['OUTER_NEST']);
  t.equal(e?.offset, 8);
  // nla_len below the header size.
  throwsExactly(t, () => decode(OUTER, '0c000380 02000100 01000000'), DecodeError,
    'OUTER_NEST: attribute length 2 overruns INNER (8 bytes left) (at byte 8)');
  // Top level, with a caller-supplied path.
  const top = throwsExactly(t, () => decode(OUTER, `${W.mtu1500} 0c000200 07000000`, ['RTM_NEWLINK']), DecodeError,
    'RTM_NEWLINK: attribute length 12 overruns OUTER (8 bytes left) (at byte 12)') as DecodeError | undefined;
  t.strictSame(top?.path, ['RTM_NEWLINK']);
});

t.test('decode: short payload inside a nest is a DecodeError naming the attribute', async (t) => {
  const e = throwsExactly(t, () => decode(OUTER, '0c000380 06000100 01000000'), DecodeError,
    'OUTER_NEST.INNER_A: u32 needs 4 bytes, got 2 (at byte 12)') as DecodeError | undefined;
  t.strictSame(e?.path, ['OUTER_NEST', 'INNER_A']);
  t.equal(e?.offset, 12);
});

t.test('decode: fewer than 4 bytes after the last attribute are ignored (as the kernel\'s nla_for_each_attr)', async (t) => {
  t.strictSame(decode(OUTER, `${W.mtu1500} 0000`), { mtu: 1500 });
  t.strictSame(decode(OUTER, '05000200 07'), { small: 7 }, 'last attribute without its padding');
});

t.test('pathAt() names the attribute containing a byte, through nests', async (t) => {
  // 0..8 OUTER_MTU | 8..32 OUTER_NEST [12..20 INNER_A, 20..29 INNER_NAME + 3 pad] | 32..40 OUTER_SMALL
  const buf = hex(`${W.mtu1500} 18000380 08000100 05000000 09000200 65746830 00000000 ${W.small7}`);
  t.strictSame(OUTER.read(buf, 0, buf.length), { mtu: 1500, nest: { a: 5, name: 'eth0' }, small: 7 });
  const at = (off: number): string[] => OUTER.pathAt(buf, 0, buf.length, off);
  t.strictSame(at(3), ['OUTER_MTU']);
  t.strictSame(at(8), ['OUTER_NEST'], 'the nest header');
  t.strictSame(at(12), ['OUTER_NEST', 'INNER_A'], 'inner attribute header');
  t.strictSame(at(17), ['OUTER_NEST', 'INNER_A'], 'inner payload');
  t.strictSame(at(24), ['OUTER_NEST', 'INNER_NAME']);
  t.strictSame(at(33), ['OUTER_SMALL']);
  t.strictSame(at(40), [], 'past the end');
  t.strictSame(OUTER.pathAt(buf, 0, buf.length, 17, ['RTM_NEWLINK']), ['RTM_NEWLINK', 'OUTER_NEST', 'INNER_A']);
});

t.test('pathAt() into arrays, prefixed, unknown attributes and a union decided by a later sibling', async (t) => {
  const buf = hex(`${W.list} ${W.elems} ${W.peer} 06001400 abcd0000 18000b80 0c000280 08000100 2a000000 07000100 76780000`);
  // OUTER_LIST 0..20, OUTER_ELEMS 20..48, OUTER_PEER 48..68, $20 68..76, OUTER_INFO 76..100.
  const at = (off: number): string[] => OUTER.pathAt(buf, 0, buf.length, off);
  t.strictSame(at(16), ['OUTER_LIST', '[1]']);
  t.strictSame(at(44), ['OUTER_ELEMS', 'ELEM', 'INNER_A'], 'second element\'s payload');
  t.strictSame(at(53), ['OUTER_PEER', 'header']);
  t.strictSame(at(64), ['OUTER_PEER', 'INNER_A']);
  t.strictSame(at(70), ['OUTER_20']);
  t.strictSame(at(88), ['OUTER_INFO', 'INFO_DATA', 'VX_ID']);
  t.strictSame(at(96), ['OUTER_INFO', 'INFO_KIND']);
});

t.test('describe() of a decoded nested value: exact text', async (t) => {
  const v = decode(OUTER, [W.mtu1500, W.nestA1Lo, W.addrs, W.on, W.hdr, W.infoVx, W.list, W.elems, W.peer, W.port80].join(' '));
  t.equal(OUTER.describe(v), [
    'OUTER_MTU: 1500',
    'OUTER_NEST:',
    '  INNER_A: 1',
    '  INNER_NAME: "lo"',
    'OUTER_ADDR: 10.0.0.1',
    'OUTER_ADDR: ::1',
    'OUTER_ON: true',
    'OUTER_HDR: { family=2 index=-1 flags=3 }',
    'OUTER_INFO:',
    '  INFO_KIND: "vx"',
    '  INFO_DATA:',
    '    VX_ID: 42',
    'OUTER_LIST:',
    '  [0]: 10',
    '  [1]: 20',
    'OUTER_ELEMS:',
    '  ELEM:',
    '    INNER_A: 1',
    '  ELEM:',
    '    INNER_A: 2',
    'OUTER_PEER:',
    '  header: { family=7 id=16909060 }',
    '  INNER_A: 9',
    'OUTER_PORT: 80',
  ].join('\n'));
  t.equal(INNER.describe({ a: 1, name: 'x' }, '    '), '    INNER_A: 1\n    INNER_NAME: "x"', 'indent argument');
});

t.test('AttrSet construction: duplicate type or key is an Error', async (t) => {
  throwsExactly(t, () => attrs('DUP', { DUP_A: { type: 1, key: 'a', kind: u8 }, DUP_B: { type: 1, key: 'b', kind: u8 } }), Error,
    'DUP: attribute type 1 declared twice (DUP_A, DUP_B)');
  throwsExactly(t, () => attrs('DUP', { DUP_A: { type: 1, key: 'x', kind: u8 }, DUP_B: { type: 2, key: 'x', kind: u8 } }), Error,
    'DUP: key x declared twice');
  t.ok(new AttrSet('OK', { OK_A: { type: 1, key: 'a', kind: u8 } }) instanceof AttrSet);
});

t.test('entry() by kernel name or type; entries() in declaration order', async (t) => {
  t.equal(OUTER.entry('OUTER_NEST')?.type, 3);
  t.equal(OUTER.entry(3)?.name, 'OUTER_NEST');
  t.equal(OUTER.entry(8)?.key, 'hdr');
  t.equal(OUTER.entry(99), undefined);
  t.equal(OUTER.entry('NOPE'), undefined);
  t.strictSame(INNER.entries().map((e) => e.name), ['INNER_A', 'INNER_NAME']);
  t.equal(OUTER.name, 'OUTER');
});
