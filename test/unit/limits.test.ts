// Decoder and encoder limits (issue 17 items 3 and 9, docs/limits.md): nests deeper than
// MAX_NEST_DEPTH are a DecodeLimitError (a DecodeError) when decoding, a fault in walks
// (netlink-dump decode), a RangeError naming the path when encoding — never a stack overflow,
// and never work that doubles per level.
import t from 'tap';
import { annotateDatagram, faultsOf } from '../../src/netlink/annotate.js';
import { DecodeError, DecodeLimitError } from '../../src/netlink/errors.js';
import { decodeMessage, describeMessage, encodeMessage, requestPathAt } from '../../src/netlink/message.js';
import { MAX_NEST_DEPTH } from '../../src/netlink/schema.js';
import { RTM_NEWLINK, rtnetlink } from '../../src/route/protocol.js';

const attr = (type: number, payload: Buffer): Buffer => {
  const len = 4 + payload.length;
  const b = Buffer.alloc((len + 3) & ~3);
  b.writeUInt16LE(len, 0); b.writeUInt16LE(type, 2); payload.copy(b, 4);
  return b;
};
const IFINFOMSG = Buffer.alloc(16);
/** IFLA_LINKINFO { IFLA_INFO_KIND "veth", IFLA_INFO_DATA { VETH_INFO_PEER { ifinfomsg, inner } } }. */
const vethLevel = (inner: Buffer): Buffer => attr(18 | 0x8000, Buffer.concat([
  attr(1, Buffer.from('veth\0')),
  attr(2 | 0x8000, attr(1, Buffer.concat([IFINFOMSG, inner]))),
]));
/** An RTM_NEWLINK whose veth peer has a veth peer … `levels` deep (iproute2 would never send it; a hostile peer might). */
function deepNewlink(levels: number): Buffer {
  let inner = attr(3, Buffer.from('x\0'));
  for (let i = 0; i < levels; i++) inner = vethLevel(inner);
  const body = Buffer.concat([IFINFOMSG, inner]);
  const h = Buffer.alloc(16);
  h.writeUInt32LE(16 + body.length, 0); h.writeUInt16LE(RTM_NEWLINK, 4); h.writeUInt16LE(0x1, 6);
  return Buffer.concat([h, body]);
}

t.test(`decode: a veth peer nested 400 deep (16 KB) is a DecodeLimitError, not a stack overflow`, async (t) => {
  const buf = deepNewlink(400);
  t.ok(buf.length > 15_000 && buf.length < 65_536, `${buf.length} bytes`);
  const err = t.throws(() => decodeMessage(rtnetlink, buf)) as Error;
  t.type(err, DecodeLimitError);
  t.type(err, DecodeError, 'a DecodeError too');
  t.equal(err.name, 'DecodeLimitError');
  t.match(err.message, new RegExp(`^RTM_NEWLINK\\.IFLA_LINKINFO\\.IFLA_INFO_DATA\\.VETH_INFO_PEER\\..*nested deeper than ${MAX_NEST_DEPTH} levels \\(the nesting limit\\) \\(at byte \\d+\\)$`), 'names the path and the limit');
  t.equal((err as DecodeError).path.filter((p) => p === 'IFLA_LINKINFO').length, Math.ceil(MAX_NEST_DEPTH / 3), 'the path goes down to the limit (3 nest levels per veth level)');
});

t.test('decode: nests within the limit decode, describe and re-encode', async (t) => {
  const levels = Math.floor(MAX_NEST_DEPTH / 3);
  const buf = deepNewlink(levels);
  const m = decodeMessage(rtnetlink, buf);
  let v: any = m.attrs, n = 0;
  while (v?.linkinfo) { v = v.linkinfo.data.peer.attrs; n++; }
  t.equal(n, levels, `${levels} veth levels decoded`);
  t.equal(v.ifname, 'x');
  const text = describeMessage(rtnetlink, m);
  t.equal(text.match(/VETH_INFO_PEER/g)?.length, levels, 'describe shows every level');
  t.ok(text.length < 200 * levels * levels, `describe text stays small (${text.length} chars)`);
  const again = encodeMessage(rtnetlink, { type: m.type, flags: m.flags, seq: m.seq, pid: m.pid, header: m.header as any, attrs: m.attrs as any });
  t.same(decodeMessage(rtnetlink, again).attrs, m.attrs, 're-encodes to the same value');
});

t.test('walk (netlink-dump decode): the deep nest is a fault at its offset, the rest of the tree is kept', async (t) => {
  const buf = deepNewlink(400);
  const tree = annotateDatagram(rtnetlink, buf, {});
  const faults = faultsOf(tree);
  t.ok(faults.length >= 1, 'a fault');
  t.ok(faults.some((f) => /nested deeper than 32 levels/.test(f.fault)), faults.map((f) => f.fault).join('; '));
  t.equal(tree.messages.length, 1);
  t.equal(tree.messages[0]!.name, 'RTM_NEWLINK');
  // requestPathAt over the deep request (an ext-ACK offset deep inside): a path, no throw.
  const p = requestPathAt(rtnetlink, buf, buf.length - 4);
  t.ok(p.length >= 2 && p.length <= 4 * MAX_NEST_DEPTH && p.includes('IFLA_LINKINFO'), `a bounded path (${p.join('.')})`);
});

t.test('encode: a value nested 400 deep is a RangeError naming the path, at once (no 2^depth retries)', async (t) => {
  const leaf: any = { ifname: 'x' };
  let attrs: any = leaf;
  for (let i = 0; i < 400; i++) attrs = { linkinfo: { kind: 'veth', data: { peer: { header: { family: 0, type: 0, index: 0, flags: 0, change: 0 }, attrs } } } };
  const err = t.throws(() => encodeMessage(rtnetlink, { type: RTM_NEWLINK, flags: 1, header: { family: 0, type: 0, index: 0, flags: 0, change: 0 }, attrs })) as Error;
  t.type(err, RangeError);
  t.match(err.message, /^RTM_NEWLINK\.IFLA_LINKINFO\.IFLA_INFO_DATA\.VETH_INFO_PEER\..*: nested deeper than 32 levels \(the nesting limit\)$/);
  // A failing value 10 levels deep (a bad MTU at the bottom): sized twice at most, not 2^10 times.
  let bad: any = { mtu: 'big' };
  for (let i = 0; i < 10; i++) bad = { linkinfo: { kind: 'veth', data: { peer: { header: { family: 0, type: 0, index: 0, flags: 0, change: 0 }, attrs: bad } } } };
  const e2 = t.throws(() => encodeMessage(rtnetlink, { type: RTM_NEWLINK, flags: 1, header: { family: 0, type: 0, index: 0, flags: 0, change: 0 }, attrs: bad })) as Error;
  t.match(e2.message, /VETH_INFO_PEER\.IFLA_MTU/, `the error names the deep field: ${e2.message}`);
});

// ---- nftables decoders (issue 17 item 4) ---------------------------------------------------

t.test('nft: a set claiming a key length over NFT_DATA_VALUE_MAXLEN is a DecodeLimitError, with no large allocation', async (t) => {
  const { nfnetlink } = await import('../../src/nft/protocol.js');
  const { NFT_MSG_NEWSET, NFT_MSG_NEWSETELEM, NFT_MSG_NEWTABLE, nftType } = await import('../../src/nft/constants.js');
  const { NftEventDecoder } = await import('../../src/nft/monitor-event.js');
  const { toSet } = await import('../../src/nft/set.js');
  const { NFT_DATA_VALUE_MAXLEN } = await import('../../src/nft/set-elements.js');
  const header = { family: 2, version: 0, resId: 0 };
  const set = encodeMessage(nfnetlink, { type: nftType(NFT_MSG_NEWSET), flags: 0, seq: 1, pid: 0, header, attrs: { table: 't', name: 's', flags: 0, keyType: 0, keyLen: 0xffffffff } as any });
  const elems = encodeMessage(nfnetlink, {
    type: nftType(NFT_MSG_NEWSETELEM), flags: 0, seq: 1, pid: 0, header,
    attrs: { table: 't', set: 's', elements: [{ key: { value: Buffer.from('01020304', 'hex') } }, { key: { value: Buffer.from('05', 'hex') } }] } as any,
  });
  const dgram = Buffer.concat([set, elems]);
  t.ok(dgram.length < 200, `a ${dgram.length}-byte datagram`);
  const before = process.memoryUsage().rss;
  const err = t.throws(() => new NftEventDecoder().decode(dgram, new Date())) as Error;
  t.type(err, DecodeLimitError);
  t.match(err.message, `NFTA_SET_KEY_LEN: key length 4294967295 is over NFT_DATA_VALUE_MAXLEN (${NFT_DATA_VALUE_MAXLEN})`);
  t.ok(process.memoryUsage().rss - before < 64 << 20, 'no large allocation (RSS grew < 64 MiB)');
  t.throws(() => toSet(decodeMessage(nfnetlink, set)), DecodeLimitError, 'toSet (NftHandle.sets) refuses it too');
  // The same set with a real key length decodes.
  const ok = encodeMessage(nfnetlink, { type: nftType(NFT_MSG_NEWSET), flags: 0, seq: 1, pid: 0, header, attrs: { table: 't', name: 's', flags: 0, keyType: 0, keyLen: 4 } as any });
  const evs = new NftEventDecoder().decode(Buffer.concat([ok, elems]), new Date());
  t.same(evs.map((e) => e.kind), ['set', 'element']);

  // A family byte that is no nftables family: DecodeError naming the field, not a RangeError.
  const table = encodeMessage(nfnetlink, { type: nftType(NFT_MSG_NEWTABLE), flags: 0, seq: 1, pid: 0, header: { family: 99, version: 0, resId: 0 }, attrs: { name: 't' } as any });
  const fe = t.throws(() => new NftEventDecoder().decode(table, new Date())) as Error;
  t.type(fe, DecodeError);
  t.equal(fe.message, 'nfgenmsg.family: NFPROTO 99 is not an nftables table family (at byte 16)');
});
