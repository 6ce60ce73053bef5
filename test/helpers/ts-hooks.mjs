// Module hooks registered by ts-loader.mjs: resolve `./x.js` to `./x.ts` when only the .ts
// exists (TypeScript's NodeNext convention), and transpile .ts/.mts files with esbuild.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const TS = /\.[cm]?ts$/;
const TSCONFIG = { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } };

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    const local = /^(\.{1,2}\/|\/|file:)/.test(specifier);
    if (!local || e?.code !== 'ERR_MODULE_NOT_FOUND' || !/\.[cm]?js$/.test(specifier)) throw e;
    const ts = specifier.replace(/js$/, 'ts');
    try { return await next(ts, context); } catch { throw e; }
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !TS.test(new URL(url).pathname)) return next(url, context);
  const file = fileURLToPath(url);
  const out = await transform(await readFile(file, 'utf8'), {
    loader: 'ts', format: url.endsWith('.cts') ? 'cjs' : 'esm', target: 'node20',
    sourcemap: 'inline', sourcefile: file, tsconfigRaw: TSCONFIG,
  });
  return { format: url.endsWith('.cts') ? 'commonjs' : 'module', source: out.code, shortCircuit: true };
}
