// The nft corpus replayed: the kernel's recorded replies to `nft list ruleset` for each corpus
// ruleset (fixtures/nft/corpus, nft 1.0.6 on Linux 6.18, tools/capture-nft-corpus.sh) decode
// into a Ruleset that prints byte for byte as nft printed it — text, with handles (-a), and
// JSON (nft -j without its metainfo object). Known differences are listed, with their reasons,
// in test/helpers/nft-corpus.ts.
import t from 'tap';
import { rulesetJson, rulesetText } from '../../src/cli/live/nft-text.js';
import { KNOWN_DIFFERENCES, corpus, dropExpires, dropExpiresJson, replayed } from '../helpers/nft-corpus.js';

const entries = corpus();
const pass = { text: 0, handles: 0, json: 0 };
const failing: string[] = [];

t.test('the corpus has at least 60 rulesets, each with its oracles', async (t) => {
  t.ok(entries.length >= 60, `${entries.length} rulesets`);
});

for (const e of entries) {
  t.test(`replay prints as nft: ${e.name}`, async (t) => {
    const rs = replayed(e.name);
    const text = dropExpires(rulesetText(rs) + '\n');
    const handles = dropExpires(rulesetText(rs, true) + '\n');
    const json = dropExpiresJson(rulesetJson(rs));
    const ok = { text: text === dropExpires(e.text), handles: handles === dropExpires(e.handles), json: JSON.stringify(json) === JSON.stringify(dropExpiresJson(e.json)) };
    for (const k of ['text', 'handles', 'json'] as const) if (ok[k]) pass[k]++;
    const known = KNOWN_DIFFERENCES[e.name]?.print;
    if (known !== undefined) {
      failing.push(e.name);
      t.notOk(ok.text && ok.handles && ok.json, `listed as a known difference (${known}) — now identical: remove it from KNOWN_DIFFERENCES`);
      return;
    }
    t.equal(text, dropExpires(e.text), 'text = nft list ruleset');
    t.equal(handles, dropExpires(e.handles), '-a = nft -a list ruleset');
    t.same(json, dropExpiresJson(e.json), 'JSON = nft -j list ruleset');
  });
}

t.teardown(() => {
  const n = entries.length;
  console.log(`# nft corpus replay: text ${pass.text}/${n}, -a ${pass.handles}/${n}, json ${pass.json}/${n} identical; known differences: ${failing.join(', ') || 'none'}`);
});
