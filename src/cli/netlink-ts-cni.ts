#!/usr/bin/env node
/**
 * netlink-ts-cni: a CNI plugin (spec 1.0.0 + 1.1). Install it (or a link to it) in a CNI_PATH
 * directory as `netlink-ts-cni` for the bridge plugin and as `netlink-ts-portmap` for the
 * port-mapping plugin; the configuration's `type` selects the plugin. See docs/cni.md.
 * (No top-level await: the published bin is also built as CommonJS, which Node loads without
 * the ESM loader's asynchronous file reads.)
 */
import { writeSync } from 'node:fs';
import { CniError, asCniError, CNI_IO_FAILURE } from '../cni/errors.js';
import { LATEST_VERSION, readStdin, runCni } from '../cni/main.js';

async function main(): Promise<void> {
  let out: { code: number; stdout: string };
  try {
    out = await runCni(readStdin(), process.env);
  } catch (err) {
    const e = err instanceof CniError ? err : asCniError(err, CNI_IO_FAILURE);
    out = { code: 1, stdout: JSON.stringify(e.toJSON(LATEST_VERSION)) };
  }
  if (out.stdout) writeSync(1, out.stdout + '\n');
  process.exit(out.code);
}
void main();
