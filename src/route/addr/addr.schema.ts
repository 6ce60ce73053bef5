/**
 * RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR layout (rtnetlink(7)): struct ifaddrmsg followed by
 * IFA_* attributes, from <linux/if_addr.h> — the single source of truth for address
 * attribute numbers.
 *
 * For IPv4, IFA_LOCAL is the interface's own address and IFA_ADDRESS the peer on
 * point-to-point links (otherwise the same); IPv6 sends only IFA_ADDRESS.
 */
import { asciiz, enumOf, flagsOf, ipaddr, s32, u32, u8 } from '../../netlink/kinds.js';
import { attrs, struct, type AttrValues, type StructValue } from '../../netlink/schema.js';
import { AF_NAMES } from '../family.js';
import { RT_SCOPE_NAMES } from '../route/route.schema.js';
import { RTNL_SET } from '../kinds.js';

/**
 * `IFA_F_*` address flags (<linux/if_addr.h>). The low 8 bits also fit ifa_flags;
 * IFA_F_TEMPORARY is another name for IFA_F_SECONDARY (IPv6 privacy addresses).
 */
export const IFA_F = {
  IFA_F_SECONDARY: 0x01,
  IFA_F_NODAD: 0x02,
  IFA_F_OPTIMISTIC: 0x04,
  IFA_F_DADFAILED: 0x08,
  IFA_F_HOMEADDRESS: 0x10,
  IFA_F_DEPRECATED: 0x20,
  IFA_F_TENTATIVE: 0x40,
  IFA_F_PERMANENT: 0x80,
  IFA_F_MANAGETEMPADDR: 0x100,
  IFA_F_NOPREFIXROUTE: 0x200,
  IFA_F_MCAUTOJOIN: 0x400,
  IFA_F_STABLE_PRIVACY: 0x800,
} as const;
/** IFA_F_* bits named without the prefix (`PERMANENT|NOPREFIXROUTE`), for flagsOf(). */
export const IFA_F_NAMES: ReadonlyArray<readonly [number, string]> = Object.entries(IFA_F).map(([k, v]) => [v, k.slice(6)] as const);

/** `IFAPROT_*` (<linux/if_addr.h>): IFA_PROTO values, who added the address. */
export const IFAPROT = {
  IFAPROT_UNSPEC: 0,
  IFAPROT_KERNEL_LO: 1,
  IFAPROT_KERNEL_RA: 2,
  IFAPROT_KERNEL_LL: 3,
} as const;
const IFAPROT_NAMES = Object.fromEntries(Object.entries(IFAPROT).map(([k, v]) => [v, k.slice(8)]));

/**
 * struct ifaddrmsg (<linux/if_addr.h>):
 *
 *   struct ifaddrmsg {
 *     __u8  ifa_family;
 *     __u8  ifa_prefixlen;
 *     __u8  ifa_flags;   // IFA_F_* low byte; IFA_FLAGS, when present, holds all 32 bits
 *     __u8  ifa_scope;   // RT_SCOPE_*
 *     __u32 ifa_index;   // link ifindex
 *   };
 */
export const IFADDRMSG = struct('ifaddrmsg', 8, {
  family: [0, enumOf(u8, AF_NAMES)],
  prefixlen: [1, u8],
  flags: [2, flagsOf(u8, IFA_F_NAMES)],
  scope: [3, enumOf(u8, RT_SCOPE_NAMES)],
  index: [4, u32],
});
/** Value of a struct ifaddrmsg. */
export type IfAddrMsg = StructValue<typeof IFADDRMSG.fields>;

/**
 * struct ifa_cacheinfo (<linux/if_addr.h>): lifetimes in seconds (0xffffffff = forever),
 * timestamps in hundredths of a second since boot.
 */
export const IFA_CACHEINFO_STRUCT = struct('ifa_cacheinfo', 16, {
  ifa_prefered: [0, u32],
  ifa_valid: [4, u32],
  cstamp: [8, u32],
  tstamp: [12, u32],
});

/** IFA_*: attributes of an address message (<linux/if_addr.h> `enum { IFA_UNSPEC, … }`). */
export const IFA = attrs('IFA', {
  IFA_ADDRESS: { type: 1, key: 'address', kind: ipaddr },
  IFA_LOCAL: { type: 2, key: 'local', kind: ipaddr },
  // IPv4 label, `eth0:1` style: IFNAMSIZ including the NUL.
  IFA_LABEL: { type: 3, key: 'label', kind: asciiz(15) },
  IFA_BROADCAST: { type: 4, key: 'broadcast', kind: ipaddr },
  IFA_ANYCAST: { type: 5, key: 'anycast', kind: ipaddr },
  IFA_CACHEINFO: { type: 6, key: 'cacheinfo', kind: IFA_CACHEINFO_STRUCT },
  IFA_MULTICAST: { type: 7, key: 'multicast', kind: ipaddr },
  // All 32 flag bits; when present the kernel ignores ifa_flags.
  IFA_FLAGS: { type: 8, key: 'flags', kind: flagsOf(u32, IFA_F_NAMES) },
  // Metric of the prefix route the kernel adds for this address.
  IFA_RT_PRIORITY: { type: 9, key: 'rtPriority', kind: u32 },
  // Request: operate in the netns with this id.
  IFA_TARGET_NETNSID: { type: 10, key: 'targetNetnsid', kind: s32 },
  IFA_PROTO: { type: 11, key: 'proto', kind: enumOf(u8, IFAPROT_NAMES) },
}, RTNL_SET);

/** Values of an address message's attributes. */
export type AddrAttrs = AttrValues<typeof IFA.spec>;
