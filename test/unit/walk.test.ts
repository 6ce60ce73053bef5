// AttrSet.walk() (src/netlink/walk.ts) on small attribute sets declared here, against
// hand-written wire bytes: offsets, lengths, names, values, nests, unions, arrays, and faults.
import t from 'tap';
import { array, attrs, nested, prefixed, struct, union } from '../../src/netlink/schema.js';
import { type AttrNode, type WalkItem, isFault } from '../../src/netlink/walk.js';
import { asciiz, string0, u32, u8 } from '../../src/netlink/kinds.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const INNER = attrs('INNER', { INNER_A: { type: 1, key: 'a', kind: u32 }, INNER_NAME: { type: 2, key: 'name', kind: asciiz(15) } });
const VX = attrs('VX', { VX_ID: { type: 1, key: 'id', kind: u32 } });
const INFO = attrs('INFO', {
  INFO_DATA: { type: 2, key: 'data', kind: union('kind', () => ({ vx: nested(() => VX) })) },
  INFO_KIND: { type: 1, key: 'kind', kind: string0 },
});
const PHDR = struct('phdr', 6, { family: [0, u8], id: [2, u32] });
const OUTER = attrs('OUTER', {
  OUTER_MTU: { type: 1, key: 'mtu', kind: u32 },
  OUTER_NEST: { type: 3, key: 'nest', kind: nested(() => INNER) },
  OUTER_LIST: { type: 6, key: 'list', kind: array(u32) },
  OUTER_PEER: { type: 9, key: 'peer', kind: prefixed(PHDR, () => INNER) },
  OUTER_INFO: { type: 11, key: 'info', kind: nested(() => INFO) },
});

const node = (x: WalkItem | undefined): AttrNode => {
  if (!x || isFault(x)) throw new Error(`expected an attribute node, got ${JSON.stringify(x)}`);
  return x;
};

t.test('walk: offsets, lengths, names and values of leaves and nests (offset 4 into the buffer)', async (t) => {
  // guard, MTU 1500, NEST{A=1, NAME="lo"}
  const buf = hex('eeeeeeee 08000100 dc050000 14000380 08000100 01000000 07000200 6c6f0000');
  const items = OUTER.walk(buf, 4, buf.length);
  t.equal(items.length, 2);
  const mtu = node(items[0]);
  t.match(mtu, { offset: 4, length: 8, type: 1, name: 'OUTER_MTU', known: true, value: 1500, text: '1500', flags: [] });
  const nest = node(items[1]);
  t.match(nest, { offset: 12, length: 20, type: 3, name: 'OUTER_NEST', flags: ['nested'] });
  t.same(nest.children!.map((c) => [node(c).offset, node(c).name, node(c).value]), [[16, 'INNER_A', 1], [24, 'INNER_NAME', 'lo']]);
});

t.test('walk: a union is walked with the variant its sibling selects, even when the selector comes after it', async (t) => {
  const buf = hex('18000b00 0c000200 08000100 2a000000 07000100 76780000');
  const info = node(OUTER.walk(buf, 0, buf.length)[0]);
  const [data, kind] = info.children!.map(node);
  t.equal(kind!.value, 'vx');
  t.equal(data!.name, 'INFO_DATA');
  t.match(node(data!.children![0]), { name: 'VX_ID', value: 42, offset: 8 });
});

t.test('walk: arrays and prefixed payloads', async (t) => {
  const buf = hex('14000600 08000100 0a000000 08000200 14000000 14000900 07000403 02010000 08000100 09000000');
  const [list, peer] = OUTER.walk(buf, 0, buf.length).map(node);
  t.same(list!.children!.map((c) => [node(c).name, node(c).value, node(c).offset]), [['[0]', 10, 4], ['[1]', 20, 12]]);
  t.match(node(peer!.children![0]), { name: 'header', offset: 24, value: { family: 7, id: 0x01020304 } });
  t.match(node(peer!.children![1]), { name: 'INNER_A', offset: 32, value: 9 });
});

t.test('walk: unknown attributes are kept as hex; over-long fixed payloads are kept raw with a note', async (t) => {
  const buf = hex('08003f00 01020304 0c000100 01000000 02000000');
  const [unk, mtu] = OUTER.walk(buf, 0, buf.length).map(node);
  t.match(unk, { name: 'OUTER_UNKNOWN(63)', known: false, hex: '01020304' });
  t.match(mtu, { name: 'OUTER_MTU', hex: '0100000002000000' });
  t.match(mtu!.note, /8 bytes where u32 takes 4/);
});

t.test('walk: faults carry the offset; what decoded before them is kept', async (t) => {
  // MTU ok, then an attribute claiming 0x40 bytes with 8 left.
  const buf = hex('08000100 dc050000 40000300 08000100');
  const items = OUTER.walk(buf, 0, buf.length);
  t.equal(node(items[0]).value, 1500);
  t.ok(isFault(items[1]!), 'second item is a fault');
  t.match(items[1], { offset: 8, fault: /attribute length 64 overruns OUTER \(8 bytes left\)/ });
  // A short u32 inside a nest: the attribute node gets the fault and the raw bytes; the walk goes on.
  const b2 = hex('0c000300 06000100 0102 0000 08000100 05000000');
  const [nest, mtu] = OUTER.walk(b2, 0, b2.length).map(node);
  const a = node(nest!.children![0]);
  t.match(a, { name: 'INNER_A', hex: '0102' });
  t.match(a.fault, { offset: 8, fault: /u32 needs 4 bytes, got 2/ });
  t.equal(mtu!.value, 5, 'the sibling after the bad nest still decodes');
});
