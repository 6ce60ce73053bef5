/**
 * Decoded values ↔ plain JSON, losslessly: Buffers become `{ "$hex": "…" }` and bigints
 * `{ "$bigint": "…" }`. Fixtures store expected decodes this way and netlink-dump prints it.
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A decoded value as JSON: bigints as strings, Buffers as hex. */
export function toJson(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return { $hex: v.toString('hex') };
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJson(x);
    return out;
  }
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  throw new TypeError(`toJson: cannot represent a ${typeof v}`);
}

/** The inverse of {@link toJson}: bigints and Buffers back from their JSON forms. */
export function fromJson(v: Json): unknown {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 1 && typeof v['$hex'] === 'string') return Buffer.from(v['$hex'], 'hex');
    if (keys.length === 1 && typeof v['$bigint'] === 'string') return BigInt(v['$bigint']);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = fromJson(x);
    return out;
  }
  return v;
}
