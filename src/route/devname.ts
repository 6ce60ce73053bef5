/**
 * Interface names and device references, checked before any syscall: the one place that knows
 * IFNAMSIZ and the kernel's dev_valid_name() rule (net/core/dev.c).
 */

/** IFNAMSIZ (<linux/if.h>): a name's bytes plus its NUL. */
export const IFNAMSIZ = 16;

/** The kernel's rule for interface names (dev_valid_name()). */
export function checkIfname(name: unknown, field: string): string {
  if (typeof name !== 'string') throw new TypeError(`${field}: expected an interface name, got ${typeof name}`);
  const n = Buffer.byteLength(name);
  if (n === 0 || n >= IFNAMSIZ) throw new RangeError(`${field}: "${name}" must be 1..${IFNAMSIZ - 1} bytes (IFNAMSIZ), is ${n}`);
  if (name === '.' || name === '..' || /[/:\s]/.test(name)) throw new RangeError(`${field}: "${name}" is not a valid interface name (no '/', ':' or whitespace; not . or ..)`);
  return name;
}

/** A device reference: a positive ifindex, or an interface name (checkIfname). */
export function checkDev(dev: unknown, field: string): string | number {
  if (typeof dev === 'number') {
    if (!Number.isInteger(dev) || dev <= 0 || dev > 0x7fffffff) throw new RangeError(`${field}: an ifindex is a positive integer, got ${dev}`);
    return dev;
  }
  if (typeof dev !== 'string') throw new TypeError(`${field}: expected a device name or ifindex, got ${dev === null ? 'null' : typeof dev}`);
  return checkIfname(dev, field);
}
