/** IPv4/IPv6 text ↔ bytes, without node:net (and without allocating more than the result). */

/** Parse dotted-quad IPv4 into 4 bytes at `buf[off]`; returns false if `s` is not one. */
export function writeIPv4(s: string, buf: Buffer, off: number): boolean {
  let part = 0, digits = 0, n = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || n > 3) return false;
      buf[off + n++] = part;
      part = 0; digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return false; // no leading zeros (ambiguous octal)
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return false;
    } else return false;
  }
  return n === 4;
}

/** Parse IPv6 (RFC 4291 text, incl. `::` and a trailing dotted quad) into 16 bytes. */
export function writeIPv6(s: string, buf: Buffer, off: number): boolean {
  if (s.length < 2 || s.length > 45) return false;
  const dbl = s.indexOf('::');
  if (dbl !== -1 && s.indexOf('::', dbl + 1) !== -1) return false;
  const words: number[] = [];
  const parseSide = (side: string, allowV4: boolean): number[] | null => {
    if (side === '') return [];
    const out: number[] = [];
    const parts = side.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (allowV4 && i === parts.length - 1 && p.includes('.')) {
        const b = Buffer.alloc(4);
        if (!writeIPv4(p, b, 0)) return null;
        out.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  if (dbl === -1) {
    const w = parseSide(s, true);
    if (!w || w.length !== 8) return false;
    words.push(...w);
  } else {
    const head = parseSide(s.slice(0, dbl), false);
    const tail = parseSide(s.slice(dbl + 2), true);
    if (!head || !tail || head.length + tail.length > 7) return false;
    words.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  }
  for (let i = 0; i < 8; i++) buf.writeUInt16BE(words[i]!, off + 2 * i);
  return true;
}

export function formatIPv4(buf: Buffer, off: number): string {
  return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
}

/** RFC 5952 canonical text: lower case, longest run (≥2) of zero words as `::`, v4-mapped as dotted. */
export function formatIPv6(buf: Buffer, off: number): string {
  // No arrays: this runs for every IPv6 address and token of every dump, mostly before V8 has
  // optimised it, so it only reads words and concatenates.
  let bestStart = -1, bestLen = 0, runStart = -1;
  for (let i = 0; i < 8; i++) {
    if (buf[off + 2 * i] === 0 && buf[off + 2 * i + 1] === 0) {
      if (runStart === -1) runStart = i;
      if (i - runStart + 1 > bestLen) { bestStart = runStart; bestLen = i - runStart + 1; }
    } else runStart = -1;
  }
  if (bestLen === 8) return '::';
  if (bestStart === 0 && bestLen === 5 && buf[off + 10] === 0xff && buf[off + 11] === 0xff) return `::ffff:${formatIPv4(buf, off + 12)}`;
  if (bestLen < 2) bestStart = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) { out += '::'; i += bestLen - 1; continue; }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += ((buf[off + 2 * i]! << 8) | buf[off + 2 * i + 1]!).toString(16);
  }
  return out;
}

/** Address family of a textual address: 4, 6, or 0 if neither. */
export function ipFamily(s: string): 4 | 6 | 0 {
  if (writeIPv4(s, FAMILY_SCRATCH, 0)) return 4;
  if (writeIPv6(s, FAMILY_SCRATCH, 0)) return 6;
  return 0;
}
/** Parse target for ipFamily(): one buffer for the process (a new one per call was a GC cost in bulk adds). */
const FAMILY_SCRATCH = Buffer.alloc(16);
