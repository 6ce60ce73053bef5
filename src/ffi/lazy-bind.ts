/**
 * Lazy symbol binding for the FFI backends: a backend declares every libc function it may call,
 * but a process binds (koffi `lib.func`, ffi-napi CIF + dlsym) only the ones it calls — a link
 * dump needs seven of the twenty-six, and binding all of them up front cost the first handle of
 * a process ~0.3 ms on koffi and 7–30 ms on ffi-napi (issue 16).
 */

/**
 * An object with one property per declaration: the bound function, made by `bind` on the first
 * read and cached. The properties are getters over a fixed slot array, so the object's shape
 * never changes (the hot paths' property loads stay monomorphic).
 */
export function lazyFunctions<D extends Readonly<Record<string, unknown>>, F>(decls: D, bind: (decl: D[keyof D], name: keyof D & string) => F): { readonly [K in keyof D]: F } {
  const names = Object.keys(decls) as (keyof D & string)[];
  const slots: (F | undefined)[] = names.map(() => undefined);
  const out = {} as { [K in keyof D]: F };
  names.forEach((name, i) => {
    Object.defineProperty(out, name, {
      enumerable: true,
      get: () => slots[i] ??= bind(decls[name], name),
    });
  });
  return out;
}
