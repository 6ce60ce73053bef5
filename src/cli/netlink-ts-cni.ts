#!/usr/bin/env node
/**
 * netlink-ts-cni: a CNI plugin (spec 1.0.0 + 1.1). Install it (or a link to it) in a CNI_PATH
 * directory as `netlink-ts-cni` for the bridge plugin and as `netlink-ts-portmap` for the
 * port-mapping plugin; the configuration's `type` selects the plugin. See docs/cni.md.
 * The published bin is the CommonJS build of this file behind a prologue with a V8 code cache
 * (dist/bundle/netlink-ts-cni.cjs, tools/bin-prologue.cjs), which calls {@link binMain}; the
 * ESM bundle (dist/bundle/netlink-ts-cni.js) runs it itself. (No top-level await: CommonJS.)
 */
import { realpathSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

/** The plugin: read the request from stdin and the environment, answer on stdout, exit. */
export function binMain(): void {
  void main();
}

/** True when this module is the process's entry (the ESM bundle or the tsc build run directly). */
function isEntry(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) binMain();
