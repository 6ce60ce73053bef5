// Loads the TypeScript test files and the src/ they import, for tap (.taprc: `node-arg:
// --import=./test/helpers/ts-loader.mjs`, in place of tap's ts-node plugin). Each .ts file is
// transpiled on its own by esbuild (a devDependency, the bundler of the published build): no
// typechecking here — test/run.sh runs `tsc -p tsconfig.test.json` before the tests — so a
// test process no longer loads the TypeScript compiler and runs it over ~220 source files,
// which cost ~5 s of CPU per test file (of a ~3.5 s process otherwise).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
process.setSourceMapsEnabled(true);

// tap's @tapjs/processinfo (loaded into each test process before this file) also hooks every
// spawn to load itself into every child node process (NODE_OPTIONS --import) — for coverage,
// which the suite turns off. It tripled the CPU time of each CLI, plugin and doc block the
// tests start (0.17 → 0.55 s for `netlink-dump link`). The test process keeps it; its children
// start as a user's would.
const onSpawn = globalThis[Symbol.for('process-on-spawn@*:singletonId')];
if (onSpawn) {
  onSpawn.listeners = [];
  onSpawn.unwrap?.();
}
if (process.env['NODE_OPTIONS']) {
  const rest = process.env['NODE_OPTIONS'].split(/\s+/).filter((o) => o && !o.includes('@tapjs/processinfo'));
  if (rest.length) process.env['NODE_OPTIONS'] = rest.join(' ');
  else delete process.env['NODE_OPTIONS'];
}
