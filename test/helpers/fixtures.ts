import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Frame, parseHexFixture } from '../../src/netlink/fixture.js';
import { decodeAll } from '../../src/netlink/message.js';
import { nameOf } from '../../src/route/ifnames.js';
import type { LinkApi } from '../../src/route/link/link.js';
import { RTM_NEWLINK, rtnetlink } from '../../src/route/protocol.js';

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

/**
 * `link` with its names() answered from the RTM_NEWLINK messages recorded in `frames` (the
 * link dump iproute2 makes before it prints), so a replayed object dump is not asked for a
 * link dump of our own that the capture does not hold. Returns `link` itself.
 */
export function fixtureNames(link: LinkApi, frames: readonly Frame[]): LinkApi {
  const names = new Map<number, string>();
  for (const f of frames) {
    if (f.dir !== 'recv') continue;
    for (const m of decodeAll(rtnetlink, f.bytes)) if (m.type === RTM_NEWLINK) names.set((m.header as { index: number }).index, (m.attrs as { ifname?: string }).ifname ?? '');
  }
  link.names = async () => nameOf(names);
  return link;
}
