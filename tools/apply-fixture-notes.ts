/**
 * Record beside each fixture the library call that must send the same bytes as the captured
 * tool did: for every `NAME → { call, note, … }` of a notes file, fixtures/route/NAME.json gets
 * `netlinkTs: { …, sameBytes: true }` (the unit tests run that call and compare).
 *   node dist/tools/apply-fixture-notes.js tools/nsid-fixture-notes.json
 */
import { readFileSync, writeFileSync } from 'node:fs';

const [notesFile] = process.argv.slice(2);
if (!notesFile) {
  console.error('usage: apply-fixture-notes NOTES.json');
  process.exit(2);
}
const notes = JSON.parse(readFileSync(notesFile, 'utf8')) as Record<string, Record<string, unknown>>;
for (const [name, n] of Object.entries(notes)) {
  const p = `fixtures/route/${name}.json`;
  const json = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
  json['netlinkTs'] = { ...n, sameBytes: true };
  writeFileSync(p, JSON.stringify(json, null, 2) + '\n');
}
