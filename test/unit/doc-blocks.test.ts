// The static half of the doc test (test/live/doc.test.ts runs the ts and sh blocks): every
// block of README.md and docs/*.md says what it is, json and yaml blocks parse, and the few
// blocks that are not run say why. Convention: docs/README.md.
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { allDocBlocks, docFiles, where } from '../helpers/doc-blocks.js';
import { ROOT } from '../helpers/cli.js';

const blocks = allDocBlocks(ROOT);

t.test('README.md and every docs/*.md are read', async (t) => {
  const files = docFiles(ROOT);
  t.equal(files[0], 'README.md');
  t.ok(files.includes('docs/README.md'), 'docs/README.md (the convention) is among them');
  t.ok(blocks.filter((b) => b.kind === 'ts').length >= 5, 'the README\'s ts blocks are found');
});

t.test('every block names a known language and every directive is a skip with a reason', async (t) => {
  for (const b of blocks) {
    t.ok(b.kind, `${where(b)}: language ${JSON.stringify(b.lang)} is one of ts/js, sh/bash, json, yaml, text/console/…`);
    t.equal(b.badDirective, undefined, `${where(b)}: directive`);
  }
});

t.test('skipped blocks are the documented exceptions, and few', async (t) => {
  const skipped = blocks.filter((b) => b.skip !== undefined);
  for (const b of skipped) t.comment(`not run: ${where(b)} — ${b.skip}`);
  t.ok(skipped.length <= 3, `at most 3 blocks are not run (${skipped.length})`);
  for (const b of skipped) t.ok(b.kind === 'ts' || b.kind === 'sh', `${where(b)}: only runnable blocks are skipped`);
});

t.test('json and yaml blocks parse', async (t) => {
  for (const b of blocks) {
    if (b.kind === 'json') t.doesNotThrow(() => JSON.parse(b.code), `${where(b)}: JSON`);
    if (b.kind === 'yaml') t.doesNotThrow(() => parseYaml(b.code), `${where(b)}: YAML`);
  }
});
