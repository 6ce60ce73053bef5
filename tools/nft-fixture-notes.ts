/**
 * Annotate fixtures/nft/*.json (run by tools/capture-nft-fixtures.sh after fixture-expect):
 * every kernel-written message that does not re-encode byte for byte gets a
 * `roundTripExceptions` entry with the reason — the kernel writes nftables nests
 * (NFTA_CHAIN_HOOK, NFTA_RULE_EXPRESSIONS, NFTA_LIST_ELEM, NFTA_EXPR_DATA, NFTA_DATA_*,
 * NFTA_CHAIN_COUNTERS) with nla_nest_start_noflag(), while this library, like libnftnl,
 * sets NLA_F_NESTED. test/unit/nft-fixtures.test.ts checks that this flag is the only difference.
 *   node dist/tools/nft-fixture-notes.js
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHexFixture } from '../src/netlink/fixture.js';
import { decodeAll, reencode, splitMessages } from '../src/netlink/message.js';
import { nfnetlink } from '../src/nft/protocol.js';

const WHY = 'the kernel writes this message\'s nests with nla_nest_start_noflag() (no NLA_F_NESTED); netlink-ts, like libnftnl, encodes nftables nests with NLA_F_NESTED — the flag is the only difference (checked by test/unit/nft-fixtures.test.ts)';
const dir = fileURLToPath(new URL('../../fixtures/nft/', import.meta.url));
for (const f of readdirSync(dir).filter((n) => n.endsWith('.hex'))) {
  const base = join(dir, f.replace(/\.hex$/, ''));
  const json = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
  const frames = parseHexFixture(readFileSync(`${base}.hex`, 'utf8'));
  const exceptions: { frame: number; message: number; why: string }[] = [];
  frames.forEach((fr, i) => {
    const bounds = splitMessages(fr.bytes);
    decodeAll(nfnetlink, fr.bytes).forEach((m, k) => {
      if (m.error || m.payload || m.type === 3) return;
      const [s, e] = bounds[k]!;
      const again = reencode(nfnetlink, m), orig = fr.bytes.subarray(s, e);
      if (again.equals(orig)) return;
      // Only the NLA_F_NESTED bit (0x80 in the high byte of an nla_type) may differ.
      const flagOnly = again.length === orig.length && orig.every((b, j) => b === again[j] || ((b ^ again[j]!) === 0x80 && (j - 3) % 4 === 0));
      if (!flagOnly) throw new Error(`${f} frame ${i} message ${k} (${m.name}) re-encodes differently beyond NLA_F_NESTED: look at it`);
      exceptions.push({ frame: i, message: k, why: WHY });
    });
  });
  if (exceptions.length) json.roundTripExceptions = exceptions; else delete json.roundTripExceptions;
  writeFileSync(`${base}.json`, JSON.stringify(json, null, 2) + '\n');
  console.log(`${f}: ${exceptions.length} round-trip exceptions`);
}
