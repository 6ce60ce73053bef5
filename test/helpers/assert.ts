import type { Test } from 'tap';

export type ErrorClass = new (...args: any[]) => Error;

/** Assert `fn` throws an instance of `cls` whose message equals (or matches) `message`. */
export function throwsExactly(t: Test, fn: () => unknown, cls: ErrorClass, message: string | RegExp): Error | undefined {
  try {
    fn();
  } catch (err) {
    t.ok(err instanceof cls, `throws ${cls.name} (got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message})`);
    if (typeof message === 'string') t.equal((err as Error).message, message, 'error message');
    else t.match((err as Error).message, message, 'error message');
    return err as Error;
  }
  t.fail(`expected ${cls.name}: ${String(message)}`);
  return undefined;
}
