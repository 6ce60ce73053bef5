/**
 * The words `ip link` prints for a link's enums and flags — link_type (iproute2 ll_types.c
 * ll_type_n2a), operstate (IF_OPER_* without the prefix), the flag list (print_link_flags())
 * and device groups (/etc/iproute2/group) — used by the typed Link and by the CLI views.
 */
import { readFileSync } from 'node:fs';
import { formatBits } from '../../netlink/header.js';
import { ARPHRD, IFF, IFF_NAMES } from './ifinfomsg.js';
import { IF_OPER_NAMES } from './link.schema.js';

/** ifi_type by ip's word (ll_type_n2a); types ip names but this table lacks stay numbers. */
export const LINK_TYPES = {
  ether: ARPHRD.ARPHRD_ETHER, infiniband: ARPHRD.ARPHRD_INFINIBAND, can: ARPHRD.ARPHRD_CAN, ppp: ARPHRD.ARPHRD_PPP,
  rawip: ARPHRD.ARPHRD_RAWIP, ipip: ARPHRD.ARPHRD_TUNNEL, tunnel6: ARPHRD.ARPHRD_TUNNEL6, loopback: ARPHRD.ARPHRD_LOOPBACK,
  sit: ARPHRD.ARPHRD_SIT, gre: ARPHRD.ARPHRD_IPGRE, 'ieee802.11': ARPHRD.ARPHRD_IEEE80211, gre6: ARPHRD.ARPHRD_IP6GRE,
  netlink: ARPHRD.ARPHRD_NETLINK, none: ARPHRD.ARPHRD_NONE, void: ARPHRD.ARPHRD_VOID,
} as const;
/** A link type (ARPHRD_*) as ip prints it: `ether`, `loopback`, `none`, … */
export type LinkTypeName = keyof typeof LINK_TYPES;
const TYPE_NAMES: Readonly<Record<number, LinkTypeName>> = Object.fromEntries(Object.entries(LINK_TYPES).map(([k, v]) => [v, k as LinkTypeName]));

/** ifi_type → `ether`, `loopback`, `none`, … (a number when ip's table has no word for it here). */
export const linkTypeName = (t: number): LinkTypeName | number => TYPE_NAMES[t] ?? t;

/** IFLA_OPERSTATE words: `UP`, `DOWN`, `LOWERLAYERDOWN`, `UNKNOWN`, … */
export type OperstateName = 'UNKNOWN' | 'NOTPRESENT' | 'DOWN' | 'LOWERLAYERDOWN' | 'TESTING' | 'DORMANT' | 'UP';
/** IFLA_OPERSTATE → ip's word; an absent attribute reads `UNKNOWN`, as ip prints it. */
export const operstateName = (v: number | undefined): OperstateName | number =>
  v === undefined ? 'UNKNOWN' : (IF_OPER_NAMES[v] as OperstateName | undefined) ?? v;

// iproute2's print_link_flags() order; bits it does not know keep their hex form at the end.
const IP_FLAG_ORDER: readonly string[] = ['LOOPBACK', 'BROADCAST', 'POINTOPOINT', 'MULTICAST', 'NOARP', 'ALLMULTI', 'PROMISC', 'NOTRAILERS',
  'DEBUG', 'DYNAMIC', 'AUTOMEDIA', 'PORTSEL', 'MASTER', 'SLAVE', 'UP', 'LOWER_UP', 'DORMANT', 'ECHO'];

/**
 * Link flags as `ip link` prints them: IFF_RUNNING is left out (ip shows LOWER_UP instead) and
 * an interface that is UP without carrier says NO-CARRIER first.
 */
export function linkFlagWords(flags: number): string[] {
  const words = formatBits(flags & ~IFF.IFF_RUNNING, IFF_NAMES);
  const out = words === '0' ? [] : words.split('|');
  const rank = (w: string): number => { const i = IP_FLAG_ORDER.indexOf(w); return i < 0 ? IP_FLAG_ORDER.length : i; };
  out.sort((a, b) => rank(a) - rank(b));
  if (flags & IFF.IFF_UP && !(flags & IFF.IFF_RUNNING)) out.unshift('NO-CARRIER');
  return out;
}

let groups: { byNumber: Map<number, string>; byName: Map<string, number> } | undefined;

/** /etc/iproute2/group (and group.d/*.conf, as iproute2 reads them): `NUMBER NAME` lines. */
function groupTable(): NonNullable<typeof groups> {
  if (groups) return groups;
  const byNumber = new Map<number, string>([[0, 'default']]);
  const byName = new Map<string, number>([['default', 0]]);
  const read = (path: string): void => {
    let text: string;
    try { text = readFileSync(path, 'utf8'); } catch { return; }
    for (const line of text.split('\n')) {
      const m = /^\s*(0x[0-9a-f]+|\d+)\s+(\S+)/i.exec(line);
      if (!m) continue;
      const n = Number(m[1]);
      if (!byNumber.has(n)) byNumber.set(n, m[2]!);
      byName.set(m[2]!, n);
    }
  };
  read('/etc/iproute2/group');
  groups = { byNumber, byName };
  return groups;
}

/** IFLA_GROUP → its name in /etc/iproute2/group (`default` for 0), else the number, as ip prints it. */
export const groupName = (g: number): string | number => groupTable().byNumber.get(g) ?? g;

/** A device group given by name (/etc/iproute2/group) or number; RangeError naming `field` otherwise. */
export function parseGroup(v: unknown, field: string): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${field}: expected a group number 0..4294967295, got ${v}`);
    return v;
  }
  if (typeof v === 'string') {
    const n = groupTable().byName.get(v);
    if (n !== undefined) return n;
    throw new RangeError(`${field}: unknown device group ${JSON.stringify(v)} (not in /etc/iproute2/group)`);
  }
  throw new TypeError(`${field}: expected a group name or number, got ${v === null ? 'null' : typeof v}`);
}
