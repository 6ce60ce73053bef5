// Module hooks registered by ts-loader.mjs: resolve `./x.js` to `./x.ts` when only the .ts
// exists (TypeScript's NodeNext convention), and transpile .ts/.mts files with esbuild. The
// output is cached on disk (node_modules/.cache/netlink-ts-tests, keyed by path, size and
// mtime), so the ~90 test processes of a run transpile each source file once.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform, version } from 'esbuild';

const TS = /\.[cm]?ts$/;
const TSCONFIG = { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } };
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/netlink-ts-tests/', import.meta.url));
const SALT = `${version}\0${readFileSync(fileURLToPath(import.meta.url), 'utf8')}`;
try { mkdirSync(CACHE, { recursive: true }); } catch { /* no cache: transpile every time */ }

export async function resolve(specifier, context, next) {
  // The common case, decided here: a relative `./x.js` from a .ts file where only x.ts exists.
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.startsWith('file:') && TS.test(context.parentURL)) {
    const url = new URL(specifier, context.parentURL);
    if (!existsSync(url)) {
      const ts = new URL(url.href.replace(/js$/, 'ts'));
      if (existsSync(ts)) return { url: ts.href, format: 'module', shortCircuit: true };
    }
  }
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
  const cjs = url.endsWith('.cts');
  const st = statSync(file);
  const key = createHash('sha1').update(`${SALT}\0${file}\0${st.size}\0${st.mtimeMs}`).digest('hex');
  let code;
  try {
    code = readFileSync(`${CACHE}${key}.js`, 'utf8');
  } catch {
    const out = await transform(await readFile(file, 'utf8'), {
      loader: 'ts', format: cjs ? 'cjs' : 'esm', target: 'node20',
      sourcemap: 'inline', sourcefile: file, tsconfigRaw: TSCONFIG,
    });
    code = out.code;
    try {
      const tmp = `${CACHE}${key}.${process.pid}.tmp`;
      writeFileSync(tmp, code);
      renameSync(tmp, `${CACHE}${key}.js`);
    } catch { /* read-only node_modules: fine */ }
  }
  return { format: cjs ? 'commonjs' : 'module', source: code, shortCircuit: true };
}
