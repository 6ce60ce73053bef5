/**
 * Errors of the netns module, catchable by class (defined in src/netlink/netns-errors.ts, so
 * the lower layers that open namespaces throw the same classes).
 */
export { NetnsBusyError, NetnsError, NetnsExistsError, NetnsNotFoundError, NotANetnsError } from '../netlink/netns-errors.js';
