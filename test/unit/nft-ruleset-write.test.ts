// The round-trip writer over the recorded corpus dumps (no kernel): every listed ruleset turns
// into messages that encode, one per table/chain/object/rule plus each set, with the dump-only
// attributes cleaned (handles, set backend/count, element expiries, NFTA_EXTHDR_FLAGS of an
// exthdr write, NFTA_OSF_FLAGS 0) and anonymous sets renamed __set%d/__map%d with batch ids that
// the rules' lookups carry. Named objects: messages and input errors.
import t from 'tap';
import { encodeMessages } from '../../src/netlink/message.js';
import { NFT_MSG_NEWCHAIN, NFT_MSG_NEWOBJ, NFT_MSG_NEWRULE, NFT_MSG_NEWSET, NFT_MSG_NEWSETELEM, NFT_MSG_NEWTABLE, nftType } from '../../src/nft/constants.js';
import { NftBatch } from '../../src/nft/batch.js';
import { delObjMessage, newObjMessage, objectTypeId } from '../../src/nft/object.js';
import { nfnetlink } from '../../src/nft/protocol.js';
import { rulesetMessages } from '../../src/nft/ruleset-write.js';
import { corpus, replayed } from '../helpers/nft-corpus.js';
import { socket } from '../helpers/nft-batch.js';

const ids = () => { let n = 0; const named = new Map<string, number>(); return { next: () => ++n, named: (f: string, tb: string, s: string, id?: number) => { if (id !== undefined) named.set(`${f} ${tb} ${s}`, id); return named.get(`${f} ${tb} ${s}`); } }; };
const count = (msgs: { msg: { type: number } }[], type: number): number => msgs.filter((m) => m.msg.type === nftType(type)).length;

for (const e of corpus()) {
  t.test(`rulesetMessages re-creates ${e.name}`, async (t) => {
    const rs = replayed(e.name);
    const msgs = rulesetMessages(rs, ids());
    t.doesNotThrow(() => encodeMessages(nfnetlink, msgs.map((m) => m.msg)), 'every message encodes');
    t.equal(count(msgs, NFT_MSG_NEWTABLE), rs.tables.length, 'one NEWTABLE per table');
    t.equal(count(msgs, NFT_MSG_NEWCHAIN), rs.chains.length, 'one NEWCHAIN per chain');
    t.equal(count(msgs, NFT_MSG_NEWOBJ), rs.objects.length, 'one NEWOBJ per object');
    t.equal(count(msgs, NFT_MSG_NEWRULE), rs.rules.length, 'one NEWRULE per rule');
    t.equal(count(msgs, NFT_MSG_NEWSET), rs.sets.length, 'one NEWSET per set, anonymous ones included');
    const all = JSON.stringify(msgs.map((m) => m.msg), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    t.notMatch(all, /"handle"|"expiration"/, 'no handles or element expiries');
    for (const m of msgs) if (m.msg.type === nftType(NFT_MSG_NEWSET)) t.notOk('backend' in (m.msg.attrs as object) || 'count' in (m.msg.attrs as object), 'no set backend or element count');
    for (const m of msgs) {
      const a = m.msg.attrs as Record<string, any>;
      if (m.msg.type === nftType(NFT_MSG_NEWSET) && (a['flags'] & 1)) t.match(a['name'], /^__(set|map)%d$/, 'anonymous sets are sent as __set%d / __map%d');
      if (m.msg.type === nftType(NFT_MSG_NEWSETELEM)) t.type(a['setId'], 'number', 'elements name their set by batch id');
      if (m.msg.type !== nftType(NFT_MSG_NEWRULE)) continue;
      for (const x of (a['expressions'] as { name: string; data?: Record<string, unknown> }[]).map((y) => ({ name: y.name, data: y.data ?? {} }))) {
        if (x.name === 'exthdr' && x.data['sreg'] !== undefined) t.equal(x.data['flags'], undefined, 'an exthdr write carries no NFTA_EXTHDR_FLAGS');
        if (x.name === 'osf') t.not(x.data['flags'], 0, 'no NFTA_OSF_FLAGS 0');
        if (typeof x.data['set'] === 'string' && (x.data['set'] as string).startsWith('__')) t.type(x.data['setId'], 'number', `${x.name} of an anonymous set carries its id`);
      }
    }
  });
}

t.test('the exthdr corpus entry: the dump has NFTA_EXTHDR_FLAGS on the write, the messages do not', async (t) => {
  const rs = replayed('exthdr');
  const dumped = rs.rules.flatMap((r) => r.exprs).filter((x) => x.name === 'exthdr' && (x.data as Record<string, unknown>)['sreg'] !== undefined);
  t.ok(dumped.length >= 2 && dumped.every((x) => (x.data as Record<string, unknown>)['flags'] !== undefined), 'the kernel dumps flags on tcp option … set');
});

t.test('addRuleset refuses what is not a listing before any syscall', async (t) => {
  const b = new NftBatch(socket(), { echo: false });
  t.throws(() => b.addRuleset({} as never), TypeError);
  t.throws(() => b.addRuleset({ tables: [], chains: [], sets: [] } as never), /addRuleset: expected a ruleset/);
  t.equal(b.length, 0, 'nothing queued');
  b.addRuleset(replayed('named-counters'));
  t.ok(b.length > 0, 'a listing queues its messages');
});

t.test('named objects: NEWOBJ / DELOBJ messages and their errors', async (t) => {
  const m = newObjMessage({ family: 'inet', table: 'f', name: 'c1', type: 'counter', data: { packets: 0n, bytes: 0n } });
  t.equal(m.type, nftType(NFT_MSG_NEWOBJ));
  t.same(m.attrs, { table: 'f', name: 'c1', type: 1, data: { packets: 0n, bytes: 0n } });
  t.doesNotThrow(() => encodeMessages(nfnetlink, [m]), 'encodes');
  t.same(delObjMessage({ family: 'inet', table: 'f', name: 'q', type: 'quota' }).attrs, { table: 'f', name: 'q', type: 2 });
  t.equal(objectTypeId('ct helper', 'x'), 3);
  t.throws(() => objectTypeId('widget', 'object.type'), /object.type: "widget" is not an object type/);
  t.throws(() => newObjMessage({ family: 'inet', table: '', name: 'c', type: 'counter', data: {} }), /object.table/);
  t.throws(() => newObjMessage({ family: 'inet', table: 't', name: 'c', type: 'counter', data: null as never }), /object.data/);
});
