// Live: the whole corpus (fixtures/nft/corpus: 70 rulesets, every table name unique) loaded
// with nft -f into this file's netns, under both FFI backends. (1) `netlink-dump nft` prints
// it byte for byte as nft lists it — text, -a (handles) and --json (nft -j without its
// metainfo object) — compared as a whole and table by table, each table counted for the corpus
// entry it came from; (2) round trip: what NftHandle.list() returns, re-created with
// batch().addRuleset() in a fresh netns, lists there exactly as nft listed the original.
// Known differences (none today) are listed, with their reasons, in test/helpers/nft-corpus.ts;
// the pass counts are printed at the end.
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { addNetns, deleteNetns } from '../../src/netns/registry.js';
import { NftHandle } from '../../src/nft/handle.js';
import { cli } from '../helpers/cli.js';
import { backends, enterFreshNetns } from '../helpers/live.js';
import { KNOWN_DIFFERENCES, corpus, dropExpires, dropExpiresJson } from '../helpers/nft-corpus.js';

enterFreshNetns();
t.setTimeout(600_000);
const nft = (...args: string[]): string => execFileSync('nft', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
const nftIn = (ns: string, ...args: string[]): string => execFileSync('ip', ['netns', 'exec', ns, 'nft', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
type JsonList = { nftables: Record<string, any>[] };
const noMeta = (j: JsonList): JsonList => ({ nftables: j.nftables.filter((o) => !('metainfo' in o)) });

const entries = corpus();
/** Each entry's tables, `family name`, from its recorded listing. */
const tablesOf = new Map(entries.map((e) => [e.name, [...e.text.matchAll(/^table (\S+) (\S+) \{$/gm)].map((m) => `${m[1]} ${m[2]}`)]));

/** A listing split into its top-level table blocks, by `family name`. */
function blocks(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^table (\S+) (\S+) \{(?: # handle \d+)?\n[\s\S]*?^\}$/gm)) out.set(`${m[1]} ${m[2]}`, m[0]);
  return out;
}
/** A JSON listing's objects by the table they belong to. */
function jsonBlocks(j: JsonList): Map<string, string> {
  const out = new Map<string, unknown[]>();
  for (const o of j.nftables) {
    const v = Object.values(o)[0] as Record<string, unknown>;
    const k = 'table' in o ? `${v['family']} ${v['name']}` : `${v['family']} ${v['table']}`;
    out.set(k, [...(out.get(k) ?? []), o]);
  }
  return new Map([...out].map(([k, v]) => [k, JSON.stringify(v)]));
}

t.test('load the corpus with nft -f', async (t) => {
  nft('flush', 'ruleset');
  for (const e of entries) nft('-f', e.source);
  t.equal(blocks(nft('list', 'ruleset')).size, [...tablesOf.values()].flat().length, 'every table of every entry is there');
});

const theirs = {
  text: () => dropExpires(nft('list', 'ruleset')),
  handles: () => dropExpires(nft('-a', 'list', 'ruleset')),
  json: () => dropExpiresJson(noMeta(JSON.parse(nft('-j', 'list', 'ruleset')) as JsonList)) as JsonList,
};
const counts: Record<string, Record<'text' | 'handles' | 'json' | 'roundTrip', number>> = {};

/** Per entry: are all its tables identical in `ours` and `theirs`? */
function perEntry(ours: Map<string, string>, want: Map<string, string>): Map<string, boolean> {
  return new Map(entries.map((e) => [e.name, tablesOf.get(e.name)!.every((k) => want.has(k) && ours.get(k) === want.get(k))]));
}

for (const backend of backends) {
  const c = counts[backend] = { text: 0, handles: 0, json: 0, roundTrip: 0 };
  const run = (args: string[]) => cli(['nft', ...args], { env: { NETLINK_TS_FFI: backend } });

  t.test(`${backend}: netlink-dump nft prints the corpus as nft lists it (text, -a, --json)`, async (t) => {
    const want = { text: theirs.text(), handles: theirs.handles(), json: theirs.json() };
    const txt = run([]), a = run(['-a']), j = run(['--json']);
    t.same([txt.code, a.code, j.code], [0, 0, 0], `exit 0 (${txt.stderr}${a.stderr}${j.stderr})`);
    const ours = { text: dropExpires(txt.stdout), handles: dropExpires(a.stdout), json: dropExpiresJson(JSON.parse(j.stdout)) as JsonList };
    const ok = {
      text: perEntry(blocks(ours.text), blocks(want.text)),
      handles: perEntry(blocks(ours.handles), blocks(want.handles)),
      json: perEntry(jsonBlocks(ours.json), jsonBlocks(want.json)),
    };
    for (const e of entries) {
      const known = KNOWN_DIFFERENCES[e.name]?.print;
      const all = ok.text.get(e.name)! && ok.handles.get(e.name)! && ok.json.get(e.name)!;
      for (const k of ['text', 'handles', 'json'] as const) if (ok[k].get(e.name)) c[k]++;
      if (known !== undefined) t.notOk(all, `${e.name}: listed as a known difference (${known}) — now identical: remove it from KNOWN_DIFFERENCES`);
      else t.ok(all, `${e.name}: text ${ok.text.get(e.name)}, -a ${ok.handles.get(e.name)}, json ${ok.json.get(e.name)}`);
    }
    if (!Object.keys(KNOWN_DIFFERENCES).some((k) => KNOWN_DIFFERENCES[k]!.print !== undefined)) {
      t.equal(ours.text, want.text, 'the whole text listing');
      t.equal(ours.handles, want.handles, 'the whole -a listing');
      t.same(ours.json, want.json, 'the whole JSON listing');
    }
  });

  t.test(`${backend}: NftHandle.list() → batch().addRuleset() in a fresh netns re-creates the corpus`, async (t) => {
    const libc = loadBackend(backend);
    const want = theirs.text();
    const h = NftHandle.open({ libc });
    const listed = await h.list();
    h.close();
    t.equal(listed.tables.length, [...tablesOf.values()].flat().length, 'every table listed');
    const ns = `nft-corpus-rt-${backend}`;
    addNetns(ns, { libc });
    t.teardown(() => { deleteNetns(ns, { libc }); });
    const there = NftHandle.open({ libc, netns: `/run/netns/${ns}` });
    try {
      const r = await there.batch({ echo: false }).addRuleset(listed).commit();
      t.ok(r.operations > listed.rules.length, `one batch of ${r.operations} operations`);
    } finally {
      there.close();
    }
    const again = dropExpires(nftIn(ns, 'list', 'ruleset'));
    const ok = perEntry(blocks(again), blocks(want));
    for (const e of entries) {
      const known = KNOWN_DIFFERENCES[e.name]?.roundTrip;
      if (ok.get(e.name)) c.roundTrip++;
      if (known !== undefined) t.notOk(ok.get(e.name), `${e.name}: listed as a known round-trip difference (${known}) — now identical: remove it`);
      else t.ok(ok.get(e.name), `${e.name}: re-created tables list as the originals`);
    }
    t.equal(again, want, 'the whole re-created ruleset lists as the original');
  });
}

t.teardown(() => {
  nft('flush', 'ruleset');
  for (const [b, c] of Object.entries(counts)) {
    console.log(`# nft corpus live (${b}): text ${c.text}/${entries.length}, -a ${c.handles}/${entries.length}, json ${c.json}/${entries.length}, round trip ${c.roundTrip}/${entries.length}`);
  }
});
