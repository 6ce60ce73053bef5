/**
 * The `ip -j addr show` view of an Address, computed the way iproute2 6.1 prints it
 * (ip/ipaddress.c print_addrinfo / print_ifa_flags), so tests compare field by field
 * against the oracle's `addr_info` entries.
 */
import { IFA_F } from '../../src/route/addr/addr.schema.js';
import type { Address } from '../../src/route/addr/addr.js';

/** rtnl_rtscope_n2a(). */
const SCOPE_NAMES: Record<number, string> = { 0: 'global', 200: 'site', 253: 'link', 254: 'host', 255: 'nowhere' };

/** print_ifa_flags(): ip's table, in its order; PERMANENT is printed inverted as "dynamic". */
const IP_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [IFA_F.IFA_F_SECONDARY, 'secondary'],
  [IFA_F.IFA_F_NODAD, 'nodad'],
  [IFA_F.IFA_F_OPTIMISTIC, 'optimistic'],
  [IFA_F.IFA_F_DADFAILED, 'dadfailed'],
  [IFA_F.IFA_F_HOMEADDRESS, 'home'],
  [IFA_F.IFA_F_DEPRECATED, 'deprecated'],
  [IFA_F.IFA_F_TENTATIVE, 'tentative'],
  [IFA_F.IFA_F_PERMANENT, 'permanent'],
  [IFA_F.IFA_F_MANAGETEMPADDR, 'mngtmpaddr'],
  [IFA_F.IFA_F_NOPREFIXROUTE, 'noprefixroute'],
  [IFA_F.IFA_F_MCAUTOJOIN, 'autojoin'],
  [IFA_F.IFA_F_STABLE_PRIVACY, 'stable-privacy'],
];

/** The boolean flag keys `ip -j` prints for these flags (and `ifa_flags` for unknown bits). */
export function ipFlagKeys(a: Pick<Address, 'rawFlags' | 'family'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let rest = a.rawFlags;
  for (const [bit, name] of IP_FLAGS) {
    if (bit === IFA_F.IFA_F_PERMANENT) { if (!(rest & bit)) out['dynamic'] = true; }
    else if (rest & bit) out[bit === IFA_F.IFA_F_SECONDARY && a.family === 6 ? 'temporary' : name] = true;
    rest &= ~bit;
  }
  if (rest) out['ifa_flags'] = rest.toString(16).padStart(2, '0');
  return out;
}

const lft = (v: Address['validLft']): number | undefined => (v === 'forever' ? 0xffffffff : v);

/** What `ip -j addr show` prints in `addr_info` for this address. */
export function ipAddrInfo(a: Address): Record<string, unknown> {
  const o: Record<string, unknown> = { family: a.family === 4 ? 'inet' : 'inet6', local: a.address };
  if (a.peer !== undefined) o['address'] = a.peer;
  o['prefixlen'] = a.prefixlen;
  if (a.metric !== undefined) o['metric'] = a.metric;
  if (a.broadcast !== undefined) o['broadcast'] = a.broadcast;
  o['scope'] = String(a.scope);
  Object.assign(o, ipFlagKeys(a));
  if (a.label !== undefined) o['label'] = a.label;
  if (a.validLft !== undefined) o['valid_life_time'] = lft(a.validLft);
  if (a.preferredLft !== undefined) o['preferred_life_time'] = lft(a.preferredLft);
  return o;
}

/**
 * An oracle entry with finite lifetimes rounded to `slack` seconds against ours: the two
 * reads happen a moment apart and remaining lifetimes count down.
 */
export function withLifetimesNear(oracle: Record<string, any>, ours: Record<string, unknown>, slack = 3): Record<string, any> {
  const o = { ...oracle };
  for (const k of ['valid_life_time', 'preferred_life_time']) {
    const mine = ours[k];
    if (typeof o[k] === 'number' && typeof mine === 'number' && o[k] !== 0xffffffff && Math.abs(o[k] - mine) <= slack) o[k] = mine;
  }
  return o;
}
