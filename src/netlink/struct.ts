/**
 * Fixed C structs as attribute or message-header kinds (struct ifinfomsg, struct
 * rtnl_link_stats64, …). Re-exported by schema.ts, where the other composite kinds live.
 */
import { zeroPad } from './align.js';
import { DecodeError } from './errors.js';
import { type Kind, type KindValue, intWireExpr } from './kinds.js';

/** A field of a fixed struct: byte offset and a fixed-size kind. */
export type Fields = Readonly<Record<string, readonly [offset: number, kind: Kind<any>]>>;
const NO_PATH: readonly string[] = [];

/** The value of a fixed struct kind: one number (or bigint, Buffer, …) per declared field. */
export type StructValue<F extends Fields> = { -readonly [K in keyof F]: KindValue<F[K][1]> } & { $tail?: Buffer };

/**
 * A fixed C struct, e.g. struct ifinfomsg or struct rtnl_link_stats64. Bytes beyond the
 * known size (a newer kernel's longer struct) are kept as `$tail` and written back; padding
 * and fields left out of the value are zero. Decoding fewer bytes than `minSize` fails.
 */
export function struct<const F extends Fields>(name: string, size: number, fields: F, opts: { readonly minSize?: number } = {}): Kind<StructValue<F>> & { readonly fields: F; readonly structSize: number } {
  const entries = Object.entries(fields);
  for (const [k, [o, kind]] of entries) {
    if (kind.fixedSize === undefined || o + kind.fixedSize > size) throw new Error(`struct ${name}.${k}: field does not fit`);
  }
  const minSize = opts.minSize ?? size;
  // Parallel arrays: the decode loop runs per field of every struct of every message.
  const fKeys = entries.map(([k]) => k), fOffs = entries.map(([, [o]]) => o);
  const fKinds = entries.map(([, [, k]]) => k), fSizes = entries.map(([, [, k]]) => k.fixedSize!);
  // A whole struct is read by one generated function that builds the object literal in one
  // go: a stable shape from birth, instead of one keyed store (and shape change) per field —
  // three times faster on the stats structs every link dump carries. Keys come from our own
  // declarations and are embedded with JSON.stringify.
  // Integer fields (most of them: every header, the u32 counters) are read inline, byte by
  // byte, from their declared layout; other kinds through read().
  // Both are generated on first use, not here: the schema modules declare ~40 structs at import
  // and a process reads a handful (issue 16: generating them all was ~14 ms of every start-up).
  type ReadAll = (buf: Buffer, s: number, k: readonly Kind<any>[]) => Record<string, unknown>;
  type WriteAll = (v: unknown, buf: Buffer, off: number, k: readonly Kind<any>[]) => void;
  let readAll: ReadAll | undefined, writeAll: WriteAll | undefined;
  const genRead = (): ReadAll => new Function('buf', 's', 'k', `return {${fKeys.map((key, i) => {
    const w = fKinds[i]!.wire;
    const at = `s + ${fOffs[i]}`;
    return `${JSON.stringify(key)}: ${w ? intWireExpr(w, at) : `k[${i}].read(buf, ${at}, s + ${fOffs[i]! + fSizes[i]!}, undefined)`}`;
  }).join(', ')}};`,
  ) as ReadAll;
  // Likewise one generated writer: named loads of each field from the value.
  const genWrite = (): WriteAll => new Function('v', 'buf', 'off', 'k', `let x;\n${fKeys.map((key, i) =>
    `x = v[${JSON.stringify(key)}]; if (x !== undefined) k[${i}].write(x, buf, off + ${fOffs[i]});`).join('\n')}`,
  ) as WriteAll;
  return {
    kindName: `struct ${name}`,
    fixedSize: size,
    fields,
    structSize: size,
    size(v, path) {
      if (v === null || typeof v !== 'object') throw new TypeError(`${path.join('.') || name}: expected struct ${name}`);
      // Validate every field with no path (nothing allocated); only when one fails, go again
      // with the field's full path so the error names it (kinds' checks are pure).
      let i = 0;
      try {
        for (; i < fKeys.length; i++) {
          const fv = (v as Record<string, unknown>)[fKeys[i]!];
          if (fv !== undefined) fKinds[i]!.size(fv, NO_PATH);
        }
      } catch {
        fKinds[i]!.size((v as Record<string, unknown>)[fKeys[i]!], [...path, fKeys[i]!]);
        throw new Error(`internal: struct ${name}.${fKeys[i]}: size() failed once and then passed`);
      }
      return size + (v.$tail ? v.$tail.length : 0);
    },
    write(v, buf, off) {
      zeroPad(buf, off, off + size);
      (writeAll ??= genWrite())(v, buf, off, fKinds);
      return v.$tail ? off + size + v.$tail.copy(buf, off + size) : off + size;
    },
    read(buf, start, end, path) {
      if (end - start < minSize) throw new DecodeError(`struct ${name} needs ${minSize} bytes, got ${end - start}`, path, start);
      const n = end - start;
      // Field kinds are fixed-size and were checked against the struct size at declaration,
      // so no field read below can fail: no per-field path is built.
      let out: Record<string, unknown>;
      if (n >= size) out = (readAll ??= genRead())(buf, start, fKinds);
      else {
        out = {};
        for (let i = 0; i < fKeys.length; i++) {
          const o = fOffs[i]!, z = fSizes[i]!;
          if (o + z <= n) out[fKeys[i]!] = fKinds[i]!.read(buf, start + o, start + o + z, path);
        }
      }
      if (end - start > size) out['$tail'] = Buffer.from(buf.subarray(start + size, end));
      return out as StructValue<F>;
    },
    describe(v, indent) {
      const parts = entries.filter(([k]) => (v as Record<string, unknown>)[k] !== undefined)
        .map(([k, [, kind]]) => `${k}=${kind.describe((v as Record<string, unknown>)[k], indent)}`);
      if (v.$tail) parts.push(`$tail=${v.$tail.toString('hex')}`);
      return `{ ${parts.join(' ')} }`;
    },
  };
}
