/**
 * Entry of the EXPERIMENTAL V8 start-up snapshot of the plugin (`npm run bundle:cni-snapshot`):
 * built with `node --build-snapshot`, every module of the plugin — the route and nft schema
 * tables included — is already evaluated in the heap the snapshot restores, so a process started
 * with `node --snapshot-blob dist/bundle/netlink-ts-cni.blob` skips parsing and initialising
 * them. The FFI backend (a native addon, which a snapshot cannot hold) still loads at run time.
 * Node 20 marks user snapshots experimental; the plain bundle stays the published bin.
 */
import v8 from 'node:v8';
import { writeSync } from 'node:fs';
import { CNI_IO_FAILURE, CniError, asCniError } from './errors.js';
import { LATEST_VERSION, readStdin, runCni } from './main.js';
// Evaluated now, at snapshot build time (main.ts imports them lazily).
import './bridge.js';
import './firewall.js';
import './portmap.js';
import './gc.js';
import './ipam.js';

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

if (v8.startupSnapshot?.isBuildingSnapshot()) v8.startupSnapshot.setDeserializeMainFunction(() => { void main(); });
