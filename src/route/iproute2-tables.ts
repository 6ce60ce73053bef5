/**
 * The `NUMBER NAME` tables iproute2 reads from /etc/iproute2 to name values it prints:
 * rt_realms (route and rule realms) and rt_dsfield (TOS / DS field bytes). Read as iproute2's
 * rtnl_tab_initialize() reads them — `#` starts a comment, numbers are decimal or `0x` hex,
 * ids past 255 are ignored, a later line for the same id wins — once per process; a missing
 * file leaves only iproute2's built-in names (realm 0 is `unknown` until the file names it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where iproute2 keeps its tables (CONFDIR). */
export const IPROUTE2_DIR = '/etc/iproute2';

/** id → name of one table (ids 0..255). */
export type NameTable = ReadonlyMap<number, string>;

/** Parse the text of an iproute2 `NUMBER NAME` table onto `base` (iproute2's built-in names). */
export function parseNameTable(text: string, base: ReadonlyArray<readonly [number, string]> = []): NameTable {
  const out = new Map<number, string>(base);
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(0x[0-9a-f]+|\d+)\s+([^\s#]+)/i.exec(line);
    if (!m) continue;
    const id = Number(m[1]);
    if (id > 255) continue;
    out.set(id, m[2]!);
  }
  return out;
}

const cache = new Map<string, NameTable>();

/** The table in `file` of `dir` (read once; a file that cannot be read gives `base` alone). */
export function nameTable(file: string, base: ReadonlyArray<readonly [number, string]> = [], dir = IPROUTE2_DIR): NameTable {
  const path = join(dir, file);
  let t = cache.get(path);
  if (t === undefined) {
    let text = '';
    try { text = readFileSync(path, 'utf8'); } catch { /* iproute2 too goes on with its built-in names */ }
    cache.set(path, t = parseNameTable(text, base));
  }
  return t;
}

/** A realm as ip prints it (`rtnl_rtrealm_n2a`): its rt_realms name, else the number. */
export function realmName(id: number, dir?: string): string {
  return nameTable('rt_realms', [[0, 'unknown']], dir).get(id) ?? String(id);
}

/** A TOS / DS field byte as ip prints it (`rtnl_dsfield_n2a`): its rt_dsfield name, else `0x%02x`. */
export function dsfieldName(tos: number, dir?: string): string {
  return nameTable('rt_dsfield', [], dir).get(tos) ?? `0x${tos.toString(16).padStart(2, '0')}`;
}
