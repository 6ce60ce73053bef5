/**
 * Address dump entries decoded on access (src/netlink/lazy.ts): the Address fields come from
 * the IFA_* attributes addressOf() reads, and `attrs` is decoded the first time it is read.
 */
import { lazyKind } from '../../netlink/lazy.js';
import type { IfNameOf } from '../ifnames.js';
import { RTM_NEWADDR, rtnetlink } from '../protocol.js';
import { type Address, addressOf } from './addr.js';

/** The lazy Address kind: readers for `addr.list()` / `addr.stream()` (its optional fields make its key set vary). */
export const lazyAddresses = lazyKind<Address, IfNameOf>('Address', () => ({
  schema: rtnetlink.schema(RTM_NEWADDR)!,
  pick: ['local', 'address', 'cacheinfo', 'flags', 'broadcast', 'label', 'rtPriority'],
  build: (h, a, name) => addressOf(h, a, name),
  fixedKeys: false,
}));
