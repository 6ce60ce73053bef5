/**
 * nftables families and hooks by the names nft uses (`ip`, `inet`, … ; `postrouting`, …),
 * mapped to NFPROTO_* and NF_INET_* / NF_NETDEV_* / NF_ARP_* numbers.
 */
import { DecodeError } from '../netlink/errors.js';
import * as C from './constants.js';

/** An nftables family name. */
export type FamilyName = 'ip' | 'ip6' | 'inet' | 'bridge' | 'netdev' | 'arp';

/** nftables families by name (`ip`, `ip6`, `inet`, `arp`, `bridge`, `netdev`) → NFPROTO_* number. */
export const FAMILIES: Readonly<Record<FamilyName, number>> = {
  ip: C.NFPROTO_IPV4, ip6: C.NFPROTO_IPV6, inet: C.NFPROTO_INET, bridge: C.NFPROTO_BRIDGE, netdev: C.NFPROTO_NETDEV, arp: C.NFPROTO_ARP,
};

/** NFPROTO_* of a family name; RangeError naming `field` otherwise. */
export function familyNumber(name: unknown, field = 'family'): number {
  const n = typeof name === 'string' ? FAMILIES[name as FamilyName] : undefined;
  if (n === undefined) throw new RangeError(`${field}: ${JSON.stringify(name)} is not an nftables family (${Object.keys(FAMILIES).join(', ')})`);
  return n;
}

/**
 * The family name of a decoded message's nfgenmsg.nfgen_family. Bytes from the kernel (or a
 * capture) naming no nftables family are a DecodeError at the field (byte 16: right after the
 * nlmsghdr), not a RangeError: it is the input that is wrong, not an argument.
 */
export function familyName(n: number): FamilyName {
  for (const [k, v] of Object.entries(FAMILIES)) if (v === n) return k as FamilyName;
  throw new DecodeError(`NFPROTO ${n} is not an nftables table family`, ['nfgenmsg', 'family'], 16);
}

/** A base chain hook name (`prerouting`, `input`, `forward`, `output`, `postrouting`, `ingress`). */
export type HookName = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting' | 'ingress' | 'egress';

const INET_HOOKS: Readonly<Record<string, number>> = {
  prerouting: C.NF_INET_PRE_ROUTING, input: C.NF_INET_LOCAL_IN, forward: C.NF_INET_FORWARD, output: C.NF_INET_LOCAL_OUT,
  postrouting: C.NF_INET_POST_ROUTING, ingress: C.NF_INET_INGRESS,
};
const NETDEV_HOOKS: Readonly<Record<string, number>> = { ingress: C.NF_NETDEV_INGRESS, egress: C.NF_NETDEV_EGRESS };
const ARP_HOOKS: Readonly<Record<string, number>> = { input: C.NF_ARP_IN, output: C.NF_ARP_OUT, forward: C.NF_ARP_FORWARD };

const hooksOf = (family: FamilyName): Readonly<Record<string, number>> =>
  (family === 'netdev' ? NETDEV_HOOKS : family === 'arp' ? ARP_HOOKS : INET_HOOKS);

export function hookNumber(family: FamilyName, hook: unknown, field = 'hook'): number {
  const n = typeof hook === 'string' ? hooksOf(family)[hook] : undefined;
  if (n === undefined) throw new RangeError(`${field}: ${JSON.stringify(hook)} is not a ${family} hook (${Object.keys(hooksOf(family)).join(', ')})`);
  return n;
}

export function hookName(family: FamilyName, n: number): HookName | number {
  for (const [k, v] of Object.entries(hooksOf(family))) if (v === n) return k as HookName;
  return n;
}

/**
 * Named chain priorities (nft(8) "PRIORITY"), for ip/ip6/inet: raw -300, mangle -150,
 * dstnat -100, filter 0, security 50, srcnat 100. (bridge uses other values; pass numbers there.)
 */
export const PRIORITIES: Readonly<Record<string, number>> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

export function priorityNumber(p: unknown, field = 'priority'): number {
  if (typeof p === 'number' && Number.isInteger(p) && p >= -0x80000000 && p <= 0x7fffffff) return p;
  if (typeof p === 'string' && PRIORITIES[p] !== undefined) return PRIORITIES[p]!;
  throw new RangeError(`${field}: ${JSON.stringify(p)} is not a priority (an integer or ${Object.keys(PRIORITIES).join(', ')})`);
}
