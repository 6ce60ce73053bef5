#!/usr/bin/env node
// Writes the bins' prologues (see tools/bin-prologue.cjs): for each name, dist/bundle/<name>.cjs
// loads dist/bundle/bin/<name>.cjs (esbuild's CommonJS bundle) with a V8 code cache keyed by
// the bundle's content hash. The bundle's shebang line becomes a comment (it is compiled as a
// function body; line numbers stay). Plain JavaScript: runs before and without tsc.
//   node tools/bin-prologue-build.mjs netlink-dump netlink-ts-cni
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const template = readFileSync(`${root}tools/bin-prologue.cjs`, 'utf8');
for (const name of process.argv.slice(2)) {
  const bundle = `${root}dist/bundle/bin/${name}.cjs`;
  let src = readFileSync(bundle, 'utf8');
  if (src.startsWith('#!')) src = `//${src.slice(2)}`;
  writeFileSync(bundle, src);
  const hash = createHash('sha256').update(src).digest('hex').slice(0, 16);
  const out = `${root}dist/bundle/${name}.cjs`;
  writeFileSync(out, template.replaceAll('__NLTS_BIN_NAME__', name).replaceAll('__NLTS_BUNDLE__', `bin/${name}.cjs`).replaceAll('__NLTS_BUNDLE_HASH__', hash));
  chmodSync(out, 0o755);
}
