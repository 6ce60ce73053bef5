/**
 * Address families as rtnetlink uses them: in the family byte of struct ifinfomsg, ifaddrmsg
 * and rtmsg, and as the attribute types inside IFLA_AF_SPEC. Values from <bits/socket.h>
 * (`#define AF_INET PF_INET`, `#define PF_INET 2`); only the families rtnetlink routes by.
 */
export const AF = {
  AF_UNSPEC: 0,
  AF_INET: 2,
  AF_BRIDGE: 7,
  AF_INET6: 10,
  AF_MPLS: 28,
} as const;

/** `AF_*` value → name without the prefix, for enumOf() (`INET6 (10)`). */
export const AF_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(AF).map(([k, v]) => [v, k.slice('AF_'.length)]),
);
