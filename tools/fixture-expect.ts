/**
 * Write each fixture's `expected` (the decoded value of every message, per frame) into its
 * .json, from the current decoder. Run after capturing, then REVIEW the diff: the unit tests
 * hold the decoder to these values and to the `oracle` (the tool's own JSON view).
 *   node dist/tools/fixture-expect.js [fixture-name ...]
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureExpected, parseHexFixture } from '../src/netlink/fixture.js';
import { protocolFor } from '../src/protocols.js';

const root = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const walk = (d: string): string[] => readdirSync(d).flatMap((e) => {
  const p = join(d, e);
  return statSync(p).isDirectory() ? walk(p) : e.endsWith('.hex') ? [relative(root, p).replace(/\.hex$/, '')] : [];
});
const names = process.argv.length > 2 ? process.argv.slice(2) : walk(root);
for (const name of names) {
  const jsonPath = join(root, `${name}.json`);
  const json = JSON.parse(readFileSync(jsonPath, 'utf8'));
  const proto = protocolFor(json.protocol);
  const frames = parseHexFixture(readFileSync(join(root, `${name}.hex`), 'utf8'));
  json.expected = fixtureExpected(proto, frames);
  writeFileSync(jsonPath, JSON.stringify(json, null, 2) + '\n');
  console.log(`${name}: ${frames.length} frames`);
}
