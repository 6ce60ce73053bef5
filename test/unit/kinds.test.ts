// Attribute value kinds (src/netlink/kinds.ts): sizing, writing, reading and describe()
// of every kind, on hand-written bytes. No sockets, no privileges.
import t, { type Test } from 'tap';
import { throwsExactly } from '../helpers/assert.js';
import {
  asciiz, be16, be32, be64, bytes, enumOf, fixedBytes, flag, flagsOf, ipaddr, lladdr, s16, s32, s8,
  string, string0, u16, u32, u64, u8, type Kind, type Path,
} from '../../src/netlink/kinds.js';
import { DecodeError } from '../../src/netlink/errors.js';


/** Hex text with optional spaces → Buffer. */
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const PATH: Path = ['LINK', 'IFLA_X'];

/**
 * Encode `v` with `kind` (size, then write at offset 3 of a buffer filled with 0xee) and
 * check: size() == expected length, write() returns the end offset, the bytes written are
 * exactly `expectHex`, and nothing outside [3, 3+size) was touched.
 */
function checkEncode<T>(t: Test, kind: Kind<T>, v: T, expectHex: string): void {
  const want = hex(expectHex);
  const n = kind.size(v, PATH);
  t.equal(n, want.length, 'size() is the payload length');
  const buf = Buffer.alloc(n + 6, 0xee);
  const end = kind.write(v, buf, 3);
  t.equal(end, 3 + n, 'write() returns the offset just past the payload');
  t.equal(buf.subarray(3, 3 + n).toString('hex'), want.toString('hex'), 'bytes written');
  t.equal(buf.subarray(0, 3).toString('hex'), 'eeeeee', 'bytes before the payload untouched');
  t.equal(buf.subarray(3 + n).toString('hex'), 'eeeeee', 'bytes after the payload untouched');
}

/** Decode `payloadHex` placed at offset 2 of a buffer with 0xee guard bytes on both sides. */
function decodeAt<T>(kind: Kind<T>, payloadHex: string, path: Path = PATH): T {
  const p = hex(payloadHex);
  const buf = Buffer.concat([hex('eeee'), p, hex('eeee')]);
  return kind.read(buf, 2, 2 + p.length, path);
}

/** Encode then decode: the bytes are `expectHex` and decoding them gives `decoded` (default: `v`). */
function roundTrip<T>(t: Test, kind: Kind<T>, v: T, expectHex: string, decoded: T = v): void {
  checkEncode(t, kind, v, expectHex);
  t.strictSame(decodeAt(kind, expectHex), decoded, 'decode gives the value back');
}

/** `fn` throws an instance of `cls` whose message equals `message` (string) or matches it (RegExp). */

t.test('kindName and fixedSize of the fixed-size kinds', async (t) => {
  const table: Array<[Kind<any>, string, number]> = [
    [u8, 'u8', 1], [s8, 's8', 1], [u16, 'u16', 2], [s16, 's16', 2], [u32, 'u32', 4], [s32, 's32', 4],
    [be16, 'be16', 2], [be32, 'be32', 4], [u64, 'u64', 8], [be64, 'be64', 8], [fixedBytes(6), 'bytes[6]', 6],
  ];
  for (const [k, name, size] of table) {
    t.equal(k.kindName, name, `${name} kindName`);
    t.equal(k.fixedSize, size, `${name} fixedSize`);
  }
  for (const k of [asciiz(15), string0, string, bytes, flag, ipaddr, lladdr]) {
    t.equal(k.fixedSize, undefined, `${k.kindName} has no fixed size`);
  }
});

t.test('encode/decode u8 (0, 0x7f, 255)', async (t) => {
  roundTrip(t, u8, 0, '00');
  roundTrip(t, u8, 0x7f, '7f');
  roundTrip(t, u8, 255, 'ff');
});

t.test('encode/decode s8 two\'s complement (-1, -128, 127)', async (t) => {
  roundTrip(t, s8, -1, 'ff');
  roundTrip(t, s8, -128, '80');
  roundTrip(t, s8, 127, '7f');
});

t.test('encode/decode u16 little-endian (0x1234, 0xffff)', async (t) => {
  roundTrip(t, u16, 0x1234, '3412');
  roundTrip(t, u16, 0xffff, 'ffff');
  roundTrip(t, u16, 1, '0100');
});

t.test('encode/decode s16 little-endian (-2, -32768, 32767)', async (t) => {
  roundTrip(t, s16, -2, 'feff');
  roundTrip(t, s16, -32768, '0080');
  roundTrip(t, s16, 32767, 'ff7f');
});

t.test('encode/decode u32 little-endian (0x12345678, 1500, 0xffffffff)', async (t) => {
  roundTrip(t, u32, 0x12345678, '78563412');
  roundTrip(t, u32, 1500, 'dc050000');
  roundTrip(t, u32, 0xffffffff, 'ffffffff');
});

t.test('encode/decode s32 little-endian (-1, -2^31, 2^31-1, -17)', async (t) => {
  roundTrip(t, s32, -1, 'ffffffff');
  roundTrip(t, s32, -0x80000000, '00000080');
  roundTrip(t, s32, 0x7fffffff, 'ffffff7f');
  roundTrip(t, s32, -17, 'efffffff');
});

t.test('encode/decode be16 big-endian (port 80, 0x1234)', async (t) => {
  roundTrip(t, be16, 80, '0050');
  roundTrip(t, be16, 0x1234, '1234');
});

t.test('encode/decode be32 big-endian (0x0a000001, 0xfffffffe)', async (t) => {
  roundTrip(t, be32, 0x0a000001, '0a000001');
  roundTrip(t, be32, 0xfffffffe, 'fffffffe');
});

t.test('encode/decode u64 little-endian as bigint (beyond 2^53, max)', async (t) => {
  roundTrip(t, u64, 0x0102030405060708n, '0807060504030201');
  roundTrip(t, u64, (1n << 63n) + 1n, '0100000000000080');
  roundTrip(t, u64, 0xffffffffffffffffn, 'ffffffffffffffff');
  roundTrip(t, u64, 0n, '0000000000000000');
});

t.test('encode/decode be64 big-endian as bigint', async (t) => {
  roundTrip(t, be64, 0x0102030405060708n, '0102030405060708');
  roundTrip(t, be64, (1n << 63n) + 1n, '8000000000000001');
});

t.test('decode u32 from a longer payload reads its first 4 bytes', async (t) => {
  t.equal(decodeAt(u32, '01000000 02000000'), 1);
  t.equal(decodeAt(be16, '0102 0304'), 0x0102);
});

t.test('integer kinds describe() as decimal', async (t) => {
  t.equal(u32.describe(1500, ''), '1500');
  t.equal(s32.describe(-17, ''), '-17');
  t.equal(be16.describe(80, ''), '80');
  t.equal(u64.describe(18446744073709551615n, ''), '18446744073709551615');
});

t.test('integer out of range: RangeError naming the path, from size()', async (t) => {
  const cases: Array<[Kind<number>, number, string]> = [
    [u8, 256, '256 is out of range for u8 (0..255)'],
    [u8, -1, '-1 is out of range for u8 (0..255)'],
    [s8, 128, '128 is out of range for s8 (-128..127)'],
    [s8, -129, '-129 is out of range for s8 (-128..127)'],
    [u16, 65536, '65536 is out of range for u16 (0..65535)'],
    [s16, 32768, '32768 is out of range for s16 (-32768..32767)'],
    [s16, -32769, '-32769 is out of range for s16 (-32768..32767)'],
    [u32, 2 ** 32, '4294967296 is out of range for u32 (0..4294967295)'],
    [u32, -1, '-1 is out of range for u32 (0..4294967295)'],
    [s32, 2 ** 31, '2147483648 is out of range for s32 (-2147483648..2147483647)'],
    [s32, -(2 ** 31) - 1, '-2147483649 is out of range for s32 (-2147483648..2147483647)'],
    [be16, 65536, '65536 is out of range for be16 (0..65535)'],
    [be32, -1, '-1 is out of range for be32 (0..4294967295)'],
  ];
  for (const [k, v, msg] of cases) throwsExactly(t, () => k.size(v, PATH), RangeError, `LINK.IFLA_X: ${msg}`);
});

t.test('integer of the wrong type: TypeError naming the path, from size()', async (t) => {
  throwsExactly(t, () => u32.size(1.5, PATH), TypeError, 'LINK.IFLA_X: expected an integer (u32), got 1.5');
  throwsExactly(t, () => u32.size(NaN, PATH), TypeError, 'LINK.IFLA_X: expected an integer (u32), got NaN');
  throwsExactly(t, () => u16.size('80' as never, PATH), TypeError, 'LINK.IFLA_X: expected an integer (u16), got string');
  throwsExactly(t, () => u8.size(1n as never, PATH), TypeError, 'LINK.IFLA_X: expected an integer (u8), got bigint');
  throwsExactly(t, () => u8.size(300, []), RangeError, 'value: 300 is out of range for u8 (0..255)');
});

t.test('u64/be64 validation: number is a TypeError, negative or ≥2^64 a RangeError', async (t) => {
  throwsExactly(t, () => u64.size(1 as never, PATH), TypeError, 'LINK.IFLA_X: expected a bigint (u64), got number');
  throwsExactly(t, () => u64.size(-1n, PATH), RangeError, 'LINK.IFLA_X: -1 is out of range for u64');
  throwsExactly(t, () => be64.size(1n << 64n, PATH), RangeError, 'LINK.IFLA_X: 18446744073709551616 is out of range for be64');
});

t.test('decode integer from a short payload: DecodeError with path and offset', async (t) => {
  const buf = hex('eeee 010203 eeee');
  const cases: Array<[Kind<any>, string]> = [[u32, 'u32 needs 4 bytes, got 3'], [s32, 's32 needs 4 bytes, got 3'], [be32, 'be32 needs 4 bytes, got 3']];
  for (const [k, msg] of cases) {
    const e = throwsExactly(t, () => k.read(buf, 2, 5, PATH), DecodeError, `LINK.IFLA_X: ${msg} (at byte 2)`) as DecodeError | undefined;
    t.strictSame(e?.path, ['LINK', 'IFLA_X'], `${k.kindName} error path`);
    t.equal(e?.offset, 2, `${k.kindName} error offset`);
    t.equal(e?.name, 'DecodeError');
  }
  throwsExactly(t, () => u16.read(buf, 4, 5, ['A']), DecodeError, 'A: u16 needs 2 bytes, got 1 (at byte 4)');
  throwsExactly(t, () => u8.read(buf, 3, 3, ['A']), DecodeError, 'A: u8 needs 1 bytes, got 0 (at byte 3)');
  const big = throwsExactly(t, () => u64.read(hex('00000000000000'), 0, 7, ['S', 'RX']), DecodeError, 'S.RX: u64 needs 8 bytes, got 7 (at byte 0)') as DecodeError | undefined;
  t.strictSame(big?.path, ['S', 'RX']);
  throwsExactly(t, () => be64.read(hex('0000'), 0, 2, []), DecodeError, 'be64 needs 8 bytes, got 2 (at byte 0)');
});

t.test('asciiz: "eth0" encodes with one NUL and decodes back', async (t) => {
  roundTrip(t, asciiz(15), 'eth0', '65746830 00');
  roundTrip(t, string0, '', '00');
  t.equal(asciiz().kindName, 'asciiz');
});

t.test('asciiz maxLen 15: 15 characters accepted, 16 rejected', async (t) => {
  checkEncode(t, asciiz(15), 'abcdefghijklmno', '6162636465666768696a6b6c6d6e6f 00');
  throwsExactly(t, () => asciiz(15).size('abcdefghijklmnop', PATH), RangeError, 'LINK.IFLA_X: "abcdefghijklmnop" is 16 bytes; at most 15 allowed');
});

t.test('asciiz maxLen counts UTF-8 bytes, not characters ("é" is 2 bytes)', async (t) => {
  throwsExactly(t, () => asciiz(1).size('é', PATH), RangeError, 'LINK.IFLA_X: "é" is 2 bytes; at most 1 allowed');
  roundTrip(t, asciiz(2), 'é', 'c3a9 00');
});

t.test('asciiz rejects a NUL byte inside the string and non-strings', async (t) => {
  throwsExactly(t, () => asciiz(15).size('a\0b', PATH), RangeError, 'LINK.IFLA_X: string contains a NUL byte');
  throwsExactly(t, () => string0.size(5 as never, PATH), TypeError, 'LINK.IFLA_X: expected a string, got number');
});

t.test('asciiz decode stops at the first NUL, or at the payload end without one', async (t) => {
  t.equal(decodeAt(string0, '6c6f 00 00 7878'), 'lo', 'padding and garbage after the NUL ignored');
  t.equal(decodeAt(string0, '616263'), 'abc', 'no NUL in the payload: all of it (guard bytes after it not read)');
  const buf = hex('616263 00');
  t.equal(string0.read(buf, 0, 2, PATH), 'ab', 'a NUL beyond `end` does not extend the string');
  t.equal(decodeAt(string0, ''), '', 'empty payload');
});

t.test('asciiz describe() is JSON-quoted', async (t) => {
  t.equal(asciiz(15).describe('eth0', ''), '"eth0"');
  t.equal(string0.describe('a"b', ''), '"a\\"b"');
});

t.test('string: encodes without a NUL; decode drops trailing NULs', async (t) => {
  roundTrip(t, string, 'nft', '6e6674');
  t.equal(decodeAt(string, '616263 0000'), 'abc', 'two trailing NULs dropped');
  t.equal(decodeAt(string, '0000'), '', 'only NULs');
  t.equal(decodeAt(string, '61 00 62'), 'a\u0000b', 'an inner NUL is kept');
  t.equal(string.describe('x', ''), '"x"');
  throwsExactly(t, () => string.size(null as never, PATH), TypeError, 'LINK.IFLA_X: expected a string, got object');
});

t.test('bytes: round trip, and the decoded Buffer does not alias the source', async (t) => {
  roundTrip(t, bytes, hex('deadbeef01'), 'deadbeef01');
  roundTrip(t, bytes, Buffer.alloc(0), '');
  const src = hex('0102030405');
  const v = bytes.read(src, 1, 4, PATH);
  t.equal(v.toString('hex'), '020304');
  src.fill(0xff);
  t.equal(v.toString('hex'), '020304', 'decoded value unchanged after the source is overwritten');
  v[0] = 0x77;
  t.equal(src.toString('hex'), 'ffffffffff', 'source unchanged after the decoded value is written');
});

t.test('bytes describe() groups hex by 4 bytes; empty prints (empty)', async (t) => {
  t.equal(bytes.describe(hex('deadbeef01020304ff'), ''), 'deadbeef 01020304 ff');
  t.equal(bytes.describe(hex('deadbeef'), ''), 'deadbeef');
  t.equal(bytes.describe(Buffer.alloc(0), ''), '(empty)');
  throwsExactly(t, () => bytes.size('ab' as never, PATH), TypeError, 'LINK.IFLA_X: expected a Buffer, got string');
});

t.test('fixedBytes(6): exactly 6 bytes encode; other lengths are a TypeError', async (t) => {
  const k = fixedBytes(6);
  roundTrip(t, k, hex('020000000001'), '020000000001');
  throwsExactly(t, () => k.size(hex('0200000000'), PATH), TypeError, 'LINK.IFLA_X: expected a Buffer of 6 bytes');
  throwsExactly(t, () => k.size('020000000001' as never, PATH), TypeError, 'LINK.IFLA_X: expected a Buffer of 6 bytes');
});

t.test('fixedBytes(4) decode: short payload is a DecodeError, a longer one yields its first 4 bytes', async (t) => {
  const k = fixedBytes(4);
  const e = throwsExactly(t, () => decodeAt(k, '010203'), DecodeError, 'LINK.IFLA_X: bytes[4] needs 4 bytes, got 3 (at byte 2)') as DecodeError | undefined;
  t.equal(e?.offset, 2);
  const v = decodeAt(k, '01020304 0506');
  t.equal(v.toString('hex'), '01020304');
  t.equal(k.size(v, PATH), 4, 'the decoded value encodes again');
});

t.test('flag: true has an empty payload; anything else is a TypeError', async (t) => {
  roundTrip(t, flag, true, '');
  t.equal(flag.read(hex('00'), 0, 1, PATH), true, 'a payload, if any, is ignored');
  t.equal(flag.describe(true, ''), 'true');
  throwsExactly(t, () => flag.size(false as never, PATH), TypeError, 'LINK.IFLA_X: a flag attribute is set with true (omit it to leave it unset)');
  throwsExactly(t, () => flag.size(1 as never, PATH), TypeError, /^LINK\.IFLA_X: a flag attribute is set with true/);
});

t.test('ipaddr IPv4: 4 bytes in network order', async (t) => {
  roundTrip(t, ipaddr, '192.0.2.1', 'c0000201');
  roundTrip(t, ipaddr, '0.0.0.0', '00000000');
  roundTrip(t, ipaddr, '255.255.255.255', 'ffffffff');
  roundTrip(t, ipaddr, '10.0.0.1', '0a000001');
  t.equal(ipaddr.describe('10.0.0.1', ''), '10.0.0.1');
});

t.test('ipaddr IPv6: 16 bytes in network order (::, ::1, fe80::1, 2001:db8::, ::ffff:1.2.3.4)', async (t) => {
  roundTrip(t, ipaddr, '::', '00000000000000000000000000000000');
  roundTrip(t, ipaddr, '::1', '00000000000000000000000000000001');
  roundTrip(t, ipaddr, 'fe80::1', 'fe800000000000000000000000000001');
  roundTrip(t, ipaddr, '2001:db8::', '20010db8000000000000000000000000');
  roundTrip(t, ipaddr, '::ffff:1.2.3.4', '00000000000000000000ffff01020304');
  roundTrip(t, ipaddr, '2001:db8:1:2:3:4:5:6', '20010db8000100020003000400050006');
  roundTrip(t, ipaddr, '1:2:3:4:5:6:7::', '00010002000300040005000600070000', '1:2:3:4:5:6:7:0');
});

t.test('ipaddr IPv6 decode canonicalises per RFC 5952', async (t) => {
  const cases: Array<[string, string, string]> = [
    // [input text, wire bytes, canonical text]
    ['2001:0db8:0:0:1:0:0:1', '20010db8000000000001000000000001', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:db8:0:0:0:0:0:1', '20010db8000000000000000000000001', '2001:db8::1'],
    ['1:0:0:2:0:0:0:3', '00010000000000020000000000000003', '1:0:0:2::3'], // the longest run, not the first
    ['1:0:2:3:4:5:6:7', '00010000000200030004000500060007', '1:0:2:3:4:5:6:7'], // one zero word is not ::
    ['FE80::ABCD', 'fe80000000000000000000000000abcd', 'fe80::abcd'], // lower case
    ['0:0:0:0:0:0:0:0', '00000000000000000000000000000000', '::'],
    ['0:0:0:0:0:ffff:102:304', '00000000000000000000ffff01020304', '::ffff:1.2.3.4'], // v4-mapped as dotted quad
    ['::1.2.3.4', '00000000000000000000000001020304', '::102:304'], // only ::ffff: prints dotted
    ['2001:db8::0:1', '20010db8000000000000000000000001', '2001:db8::1'],
  ];
  for (const [input, wire, canonical] of cases) {
    checkEncode(t, ipaddr, input, wire);
    t.equal(decodeAt(ipaddr, wire), canonical, `${input} → ${canonical}`);
  }
});

t.test('ipaddr rejects invalid text with a RangeError naming the path', async (t) => {
  for (const bad of ['1.2.3', '01.2.3.4', '1.2.3.04', '256.0.0.1', '1.2.3.4.5', '1..2.3', '1::2::3', 'gggg::', ':::',
    '1:2:3:4:5:6:7:8:9', '1::2:3:4:5:6:7:8', '1:2:3:4:5:6:7', '12345::', 'fe80::1%eth0', '1.2.3.4::', '', ':', ' 1.2.3.4']) {
    throwsExactly(t, () => ipaddr.size(bad, PATH), RangeError, `LINK.IFLA_X: ${JSON.stringify(bad)} is not an IPv4 or IPv6 address`);
  }
  throwsExactly(t, () => ipaddr.size(0x0a000001 as never, PATH), TypeError, 'LINK.IFLA_X: expected an IP address string, got number');
});

t.test('ipaddr decode of a payload that is neither 4 nor 16 bytes: DecodeError', async (t) => {
  const e = throwsExactly(t, () => decodeAt(ipaddr, '0a00000100'), DecodeError, 'LINK.IFLA_X: an IP address is 4 or 16 bytes, got 5 (at byte 2)') as DecodeError | undefined;
  t.strictSame(e?.path, ['LINK', 'IFLA_X']);
  t.equal(e?.offset, 2);
  throwsExactly(t, () => decodeAt(ipaddr, ''), DecodeError, 'LINK.IFLA_X: an IP address is 4 or 16 bytes, got 0 (at byte 2)');
});

t.test('lladdr: colon hex of any length; decode prints lower case', async (t) => {
  roundTrip(t, lladdr, '02:00:00:00:00:01', '020000000001');
  roundTrip(t, lladdr, 'AA:BB:CC:DD:EE:0F', 'aabbccddee0f', 'aa:bb:cc:dd:ee:0f');
  roundTrip(t, lladdr, 'ff', 'ff');
  roundTrip(t, lladdr, '0a:0b:0c:0d', '0a0b0c0d');
  t.equal(lladdr.describe('02:00:00:00:00:01', ''), '02:00:00:00:00:01');
});

t.test('lladdr rejects malformed text with a TypeError naming the path', async (t) => {
  for (const bad of ['02-00-00-00-00-01', '2:00:00:00:00:01', '', 'zz:00', '02:00:', '0200']) {
    throwsExactly(t, () => lladdr.size(bad, PATH), TypeError,
      `LINK.IFLA_X: expected a link-layer address like "02:00:00:00:00:01", got ${JSON.stringify(bad)}`);
  }
  throwsExactly(t, () => lladdr.size(6 as never, PATH), TypeError, /^LINK\.IFLA_X: expected a link-layer address.* got 6$/);
});

t.test('enumOf(u8): same bytes as u8, describe() by name, unknown values stay numbers', async (t) => {
  const k = enumOf(u8, { 1: 'ONE', 2: 'TWO' });
  t.equal(k.kindName, 'u8 enum');
  t.equal(k.fixedSize, 1);
  roundTrip(t, k, 2, '02');
  t.equal(k.describe(1, ''), 'ONE (1)');
  t.equal(k.describe(2, ''), 'TWO (2)');
  t.equal(k.describe(9, ''), '9');
  throwsExactly(t, () => k.size(256, PATH), RangeError, 'LINK.IFLA_X: 256 is out of range for u8 (0..255)');
});

t.test('flagsOf(u32): describe() as UP|BROADCAST|0x10000 via formatBits', async (t) => {
  const IFF: Array<[number, string]> = [[0x1, 'UP'], [0x2, 'BROADCAST'], [0x8, 'LOOPBACK'], [0x1000, 'MULTICAST']];
  const k = flagsOf(u32, IFF);
  t.equal(k.kindName, 'u32 flags');
  roundTrip(t, k, 0x10003, '03000100');
  t.equal(k.describe(0x10003, ''), 'UP|BROADCAST|0x10000');
  t.equal(k.describe(0x1009, ''), 'UP|LOOPBACK|MULTICAST');
  t.equal(k.describe(0, ''), '0');
  t.equal(k.describe(0x30000, ''), '0x30000');
});

t.test('flagsOf: multi-bit masks first, and bit 31 named like any other bit', async (t) => {
  const k = flagsOf(u32, [[0x3, 'BOTH'], [0x1, 'A'], [0x2, 'B'], [0x80000000, 'HIGH']]);
  t.equal(k.describe(0x3, ''), 'BOTH');
  t.equal(k.describe(0x2, ''), 'B');
  t.equal(k.describe(0x80000001, ''), 'A|HIGH');
  t.equal(k.describe(0x80000000, ''), 'HIGH');
  t.equal(flagsOf(u32, [[0x1, 'A']]).describe(0x80000000, ''), '0x80000000', 'unnamed bit 31 prints as positive hex');
});

t.test('integer kinds: the inline layouts (Kind.wire) read what read() reads', async (t) => {
  const { u8, s8, u16, s16, u32, s32, be16, be32, enumOf, flagsOf, intWireExpr, readIntWire } = await import('../../src/netlink/kinds.js');
  const kinds = { u8, s8, u16, s16, u32, s32, be16, be32, 'enumOf(u16)': enumOf(u16, { 1: 'one' }), 'flagsOf(be32)': flagsOf(be32, [[1, 'A']]) };
  const buf = Buffer.alloc(8);
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) & 255;
  for (const [name, k] of Object.entries(kinds)) {
    t.ok(k.wire, `${name} has a wire layout`);
    const expr = new Function('buf', `return ${intWireExpr(k.wire!, '2')};`) as (b: Buffer) => number;
    let same = 0;
    for (let i = 0; i < 2000; i++) {
      for (let j = 0; j < 8; j++) buf[j] = i < 4 ? [0, 255, 128, 127][i]! : rnd();
      const want = k.read(buf, 2, 2 + k.fixedSize!, []);
      if (readIntWire(k.wire!, buf, 2) === want && expr(buf) === want) same++;
    }
    t.equal(same, 2000, `${name}: readIntWire and the generated expression agree with read() on 2000 values`);
  }
});
