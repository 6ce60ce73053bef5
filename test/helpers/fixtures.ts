import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Frame, parseHexFixture } from '../../src/netlink/fixture.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export interface Fixture {
  readonly name: string;
  readonly frames: Frame[];
  readonly json: any;
}

export function loadFixture(name: string): Fixture {
  const base = join(FIXTURES, name);
  return { name, frames: parseHexFixture(readFileSync(`${base}.hex`, 'utf8')), json: JSON.parse(readFileSync(`${base}.json`, 'utf8')) };
}

/** Every fixture name (path under fixtures/ without extension). */
export function allFixtures(dir = FIXTURES): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...allFixtures(p));
    else if (e.endsWith('.hex')) out.push(relative(FIXTURES, p).replace(/\.hex$/, ''));
  }
  return out.sort();
}
