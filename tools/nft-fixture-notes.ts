/**
 * Annotate fixtures/nft/*.json (run by tools/capture-nft-fixtures.sh after fixture-expect):
 * every kernel-written message that does not re-encode byte for byte gets a
 * `roundTripExceptions` entry with the reason — the kernel writes nftables nests
 * (NFTA_CHAIN_HOOK, NFTA_RULE_EXPRESSIONS, NFTA_LIST_ELEM, NFTA_EXPR_DATA, NFTA_DATA_*,
 * NFTA_CHAIN_COUNTERS) with nla_nest_start_noflag(), while this library, like libnftnl,
 * sets NLA_F_NESTED. test/unit/nft-fixtures.test.ts checks that this flag is the only difference.
 * nft itself sometimes leaves a non-zero byte in attribute padding (seen in GETSETELEM
 * requests); those are noted too, and checked to differ in padding only.
 *   node dist/tools/nft-fixture-notes.js
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHexFixture } from '../src/netlink/fixture.js';
import { decodeAll, reencode, splitMessages } from '../src/netlink/message.js';
import { nfnetlink } from '../src/nft/protocol.js';

const WHY = 'the kernel writes this message\'s nests with nla_nest_start_noflag() (no NLA_F_NESTED); netlink-ts, like libnftnl, encodes nftables nests with NLA_F_NESTED — the flag is the only difference (checked by test/unit/nft-fixtures.test.ts)';
const WHY_LIST = 'the kernel writes this message\'s nests without NLA_F_NESTED and types every NFTA_LIST_ELEM of a set element list 1; netlink-ts, like libnftnl, sets NLA_F_NESTED and numbers the elements 1..n — those are the only differences (checked by test/unit/nft-sets-fixtures.test.ts)';
const WHY_PAD = 'nft sent a non-zero byte in the alignment padding after an attribute (uninitialised buffer space); netlink-ts writes zero padding — the padding is the only difference (checked by test/unit/nft-sets-fixtures.test.ts)';

/** Offsets of attribute alignment padding in a netlink message (nfgenmsg after the header), nests walked when NLA_F_NESTED is set. */
function paddingOffsets(msg: Buffer): Set<number> {
  const out = new Set<number>();
  const walk = (start: number, end: number): void => {
    for (let off = start; off + 4 <= end;) {
      const len = msg.readUInt16LE(off), type = msg.readUInt16LE(off + 2);
      if (len < 4 || off + len > end) return;
      const aligned = Math.min(end, off + ((len + 3) & ~3));
      for (let i = off + len; i < aligned; i++) out.add(i);
      if (type & 0x8000) walk(off + 4, off + len);
      off = aligned;
    }
  };
  walk(16 + 4, msg.length);
  return out;
}

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
      // Set element dumps: the kernel also types every NFTA_LIST_ELEM 1; we number them 1..n as libnftnl does.
      const listOnly = !flagOnly && again.length === orig.length && orig.every((b, j) => b === again[j] || ((b ^ again[j]!) === 0x80 && (j - 3) % 4 === 0) || (b === 1 && (j - 2) % 4 === 0));
      const pads = paddingOffsets(orig);
      const padOnly = again.length === orig.length && orig.every((b, j) => b === again[j] || (pads.has(j) && again[j] === 0));
      if (!flagOnly && !listOnly && !padOnly) throw new Error(`${f} frame ${i} message ${k} (${m.name}) re-encodes differently beyond NLA_F_NESTED or padding: look at it`);
      exceptions.push({ frame: i, message: k, why: flagOnly ? WHY : listOnly ? WHY_LIST : WHY_PAD });
    });
  });
  if (exceptions.length) json.roundTripExceptions = exceptions; else delete json.roundTripExceptions;
  writeFileSync(`${base}.json`, JSON.stringify(json, null, 2) + '\n');
  console.log(`${f}: ${exceptions.length} round-trip exceptions`);
}
