// Address/prefix text as `ip` takes it (src/route/prefix.ts): parsing, bad input named by
// field, and the derived addresses `ip addr add … brd +|-` computes.
import t from 'tap';
import { afOf, broadcastOf, networkOf, parsePrefix } from '../../src/route/prefix.js';
import { throwsExactly } from '../helpers/assert.js';

t.test('parsePrefix: IPv4 and IPv6 with and without a length', async (t) => {
  t.same(parsePrefix('192.168.15.1/24', 'f'), { family: 4, address: '192.168.15.1', prefixlen: 24 });
  t.same(parsePrefix('fd00::1/64', 'f'), { family: 6, address: 'fd00::1', prefixlen: 64 });
  t.same(parsePrefix('10.0.0.1', 'f'), { family: 4, address: '10.0.0.1', prefixlen: 32 }, 'bare IPv4 = /32');
  t.same(parsePrefix('fd00::1', 'f'), { family: 6, address: 'fd00::1', prefixlen: 128 }, 'bare IPv6 = /128');
  t.same(parsePrefix('0.0.0.0/0', 'f'), { family: 4, address: '0.0.0.0', prefixlen: 0 });
  t.same(parsePrefix('1.2.3.4/32', 'f').prefixlen, 32);
  t.same(parsePrefix('::/0', 'f'), { family: 6, address: '::', prefixlen: 0 });
});

t.test('parsePrefix: canonical text (RFC 5952), host bits kept', async (t) => {
  t.equal(parsePrefix('FD00:0:0::1/128', 'f').address, 'fd00::1', 'lower case, zero run compressed');
  t.equal(parsePrefix('2001:db8:0:0:1:0:0:1', 'f').address, '2001:db8::1:0:0:1', 'the first of two equal zero runs');
  t.equal(parsePrefix('::ffff:1.2.3.4/96', 'f').address, '::ffff:1.2.3.4', 'v4-mapped stays dotted');
  t.equal(parsePrefix('192.168.15.77/24', 'f').address, '192.168.15.77', 'host bits are not cleared');
});

t.test('parsePrefix: default/any/all only where a default family is given', async (t) => {
  t.same(parsePrefix('default', 'dst', 4), { family: 4, address: '0.0.0.0', prefixlen: 0 });
  t.same(parsePrefix('any', 'dst', 6), { family: 6, address: '::', prefixlen: 0 });
  t.same(parsePrefix('all', 'dst', 6), { family: 6, address: '::', prefixlen: 0 });
  throwsExactly(t, () => parsePrefix('default', 'address'), RangeError, 'address: "default" is not an IPv4 or IPv6 address');
});

t.test('parsePrefix: bad input is a RangeError/TypeError naming the field', async (t) => {
  const bad: Array<[string, string]> = [
    ['300.1.1.1', 'addr.add.address: "300.1.1.1" is not an IPv4 or IPv6 address'],
    ['01.2.3.4', 'addr.add.address: "01.2.3.4" is not an IPv4 or IPv6 address'],
    ['1.2.3', 'addr.add.address: "1.2.3" is not an IPv4 or IPv6 address'],
    ['fd00:::1', 'addr.add.address: "fd00:::1" is not an IPv4 or IPv6 address'],
    ['', 'addr.add.address: "" is not an IPv4 or IPv6 address'],
    ['/24', 'addr.add.address: "" is not an IPv4 or IPv6 address'],
    ['br0', 'addr.add.address: "br0" is not an IPv4 or IPv6 address'],
    ['1.2.3.4/33', 'addr.add.address: prefix length "33" must be 0..32 in "1.2.3.4/33"'],
    ['1.2.3.4/', 'addr.add.address: prefix length "" must be 0..32 in "1.2.3.4/"'],
    ['1.2.3.4/x', 'addr.add.address: prefix length "x" must be 0..32 in "1.2.3.4/x"'],
    ['1.2.3.4/24/1', 'addr.add.address: prefix length "24/1" must be 0..32 in "1.2.3.4/24/1"'],
    ['fd00::1/129', 'addr.add.address: prefix length "129" must be 0..128 in "fd00::1/129"'],
    ['fd00::1/-1', 'addr.add.address: prefix length "-1" must be 0..128 in "fd00::1/-1"'],
    ['1.2.3.4/2 4', 'addr.add.address: prefix length "2 4" must be 0..32 in "1.2.3.4/2 4"'],
  ];
  for (const [text, msg] of bad) throwsExactly(t, () => parsePrefix(text, 'addr.add.address'), RangeError, msg);
  throwsExactly(t, () => parsePrefix(5 as never, 'addr.add.address'), TypeError, 'addr.add.address: expected a string like "192.168.15.1/24", got number');
  throwsExactly(t, () => parsePrefix(undefined as never, 'addr.add.address'), TypeError, /addr\.add\.address: expected a string.*got undefined/);
});

t.test('broadcastOf: host bits set (ip addr add … brd +)', async (t) => {
  const b = (s: string): string => broadcastOf(parsePrefix(s, 'f'));
  t.equal(b('192.168.15.1/24'), '192.168.15.255');
  t.equal(b('10.9.0.2/30'), '10.9.0.3');
  t.equal(b('10.1.2.3/8'), '10.255.255.255');
  t.equal(b('172.16.5.4/12'), '172.31.255.255', 'a length that is not a byte boundary');
  t.equal(b('10.1.2.3/0'), '255.255.255.255');
  t.equal(b('10.0.0.1/31'), '10.0.0.1', '/31: one host bit');
  t.equal(b('10.0.0.1/32'), '10.0.0.1', '/32: no host bits');
  throwsExactly(t, () => broadcastOf(parsePrefix('fd00::1/64', 'f')), RangeError, 'broadcast: IPv6 has no broadcast address');
});

t.test('networkOf: host bits cleared', async (t) => {
  const n = (s: string): string => networkOf(parsePrefix(s, 'f'));
  t.equal(n('192.168.15.1/24'), '192.168.15.0');
  t.equal(n('172.31.5.4/12'), '172.16.0.0');
  t.equal(n('10.1.2.3/0'), '0.0.0.0');
  t.equal(n('10.0.0.1/32'), '10.0.0.1');
  t.equal(n('fd00::1:2/64'), 'fd00::');
  t.equal(n('fd00:ffff::1/17'), 'fd00:8000::', 'IPv6, not on a byte boundary');
  t.equal(n('fd00::1/128'), 'fd00::1');
  t.equal(n('fd00:1:2:3:4:5:6:7/0'), '::');
});

t.test('afOf: AF_INET / AF_INET6', async (t) => {
  t.equal(afOf(4), 2);
  t.equal(afOf(6), 10);
});
