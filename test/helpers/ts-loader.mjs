// Loads the TypeScript test files and the src/ they import, for tap (.taprc: `node-arg:
// --import=./test/helpers/ts-loader.mjs`, in place of tap's ts-node plugin). Each .ts file is
// transpiled on its own by esbuild (a devDependency, the bundler of the published build): no
// typechecking here — test/run.sh runs `tsc -p tsconfig.test.json` before the tests — so a
// test process no longer loads the TypeScript compiler and runs it over ~220 source files,
// which cost ~5 s of CPU per test file (of a ~3.5 s process otherwise).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
process.setSourceMapsEnabled(true);
