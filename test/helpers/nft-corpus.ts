/**
 * The nft corpus (fixtures/nft/corpus/NAME.nft, recorded by tools/capture-nft-corpus.sh): each
 * ruleset with nft 1.0.6's own listings — text (NAME.txt), with handles (NAME.a.txt), JSON
 * (NAME.json) — and the kernel's dump replies (NAME.dump). Shared by the replay unit test and
 * the live test, with the one list of known differences both report.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseHexFixture } from '../../src/netlink/fixture.js';
import { decodeAll } from '../../src/netlink/message.js';
import type { Ruleset } from '../../src/nft/handle.js';
import { nfnetlink } from '../../src/nft/protocol.js';
import { rulesetFromMessages } from '../../src/nft/ruleset.js';

export const CORPUS = fileURLToPath(new URL('../../fixtures/nft/corpus/', import.meta.url));

export interface CorpusEntry {
  readonly name: string;
  readonly source: string;
  readonly text: string;
  readonly handles: string;
  readonly json: { nftables: Record<string, unknown>[] };
}

export function corpus(): CorpusEntry[] {
  return readdirSync(CORPUS).filter((f) => f.endsWith('.nft')).sort().map((f) => {
    const name = f.slice(0, -4);
    const read = (ext: string): string => readFileSync(`${CORPUS}${name}${ext}`, 'utf8');
    const json = JSON.parse(read('.json')) as { nftables: Record<string, unknown>[] };
    return { name, source: `${CORPUS}${f}`, text: read('.txt'), handles: read('.a.txt'), json: { nftables: json.nftables.filter((o) => !('metainfo' in o)) } };
  });
}

/** The recorded dump of a corpus entry as a Ruleset. */
export function replayed(name: string): Ruleset {
  const frames = parseHexFixture(readFileSync(`${CORPUS}${name}.dump`, 'utf8'));
  return rulesetFromMessages(frames.flatMap((f) => decodeAll(nfnetlink, f.bytes)));
}

/**
 * An element's remaining lifetime (`expires 59m59s992ms`, JSON `"expires": 3599992`) counts
 * down between any two listings — nft's own two listings differ in it — so it is blanked on
 * both sides before comparing.
 */
export const dropExpires = (s: string): string => s.replace(/ expires [0-9dhms]+/g, ' expires *');
export const dropExpiresJson = (j: unknown): unknown => JSON.parse(JSON.stringify(j), (k, v) => (k === 'expires' ? '*' : v));

/**
 * Corpus entries whose printing (text/-a/JSON) or round trip is not yet identical to nft's,
 * each with the reason. The tests fail if an entry listed here has become identical (so the
 * list stays true), and report the pass counts.
 */
export const KNOWN_DIFFERENCES: Readonly<Record<string, { readonly print?: string; readonly roundTrip?: string }>> = {
};
