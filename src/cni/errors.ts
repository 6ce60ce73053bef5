/**
 * CNI errors: the spec's error result (`{ cniVersion, code, msg, details }`, SPEC.md section 5
 * "Error") as one class callers catch, with the well-known codes (0–99) and this plugin's own (≥ 100).
 */

/** Well-known error codes (CNI SPEC.md, "Error"). */
export const CNI_INCOMPATIBLE_VERSION = 1;
export const CNI_UNSUPPORTED_FIELD = 2;
export const CNI_UNKNOWN_CONTAINER = 3;
export const CNI_INVALID_ENV = 4;
export const CNI_IO_FAILURE = 5;
export const CNI_DECODE_FAILURE = 6;
export const CNI_INVALID_CONFIG = 7;
export const CNI_TRY_AGAIN_LATER = 11;
/** STATUS: the plugin cannot service ADD requests. */
export const CNI_NOT_AVAILABLE = 50;
/** STATUS: not available, and existing containers may have limited connectivity. */
export const CNI_LIMITED_CONNECTIVITY = 51;

/** Plugin codes (≥ 100). */
/** A netlink request (link, address, route, sysctl) failed in the kernel. */
export const CNI_ERR_NETLINK = 100;
/** IPAM: no free address, a requested address is taken, or the store failed. */
export const CNI_ERR_IPAM = 101;
/** A delegated plugin (IPAM binary) failed or printed something that is not a result. */
export const CNI_ERR_DELEGATE = 102;
/** CHECK found the attachment not as prevResult says. */
export const CNI_ERR_CHECK = 103;
/** An nftables batch (masquerade, port mappings, MAC spoof check) failed. */
export const CNI_ERR_NFT = 104;
/** An interface of the requested name already exists in the container. */
export const CNI_ERR_EXISTS = 105;
/** Anything else (a bug): reported as JSON too, never as a stack trace. */
export const CNI_ERR_INTERNAL = 999;

/** One CNI error result. `code` and `msg` are what a runtime shows; `details` says more. */
export class CniError extends Error {
  override readonly name = 'CniError';
  readonly code: number;
  readonly details: string;

  constructor(code: number, msg: string, details = '', opts: { readonly cause?: unknown } = {}) {
    super(msg, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.code = code;
    this.details = details;
  }

  /** The spec's error object for `cniVersion`. */
  toJSON(cniVersion: string): { cniVersion: string; code: number; msg: string; details?: string } {
    return { cniVersion, code: this.code, msg: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/** Wrap any thrown value as a CniError (CniErrors pass through). */
export function asCniError(err: unknown, code = CNI_ERR_INTERNAL, context?: string): CniError {
  if (err instanceof CniError) return err;
  const e = err as { message?: unknown; name?: unknown; code?: unknown };
  const text = typeof e?.message === 'string' ? e.message : String(err);
  const kind = typeof e?.name === 'string' && e.name !== 'Error' ? `${e.name}${typeof e.code === 'string' ? ` ${e.code}` : ''}` : '';
  return new CniError(code, context ? `${context}: ${text}` : text, kind, { cause: err });
}
