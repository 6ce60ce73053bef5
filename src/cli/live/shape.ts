/**
 * The library's typed objects (Link, Address, Route, Neighbour, Rule) in the shapes and
 * words `ip -j` / `ip -br` print — key names, flag words, scope and table names — so jq
 * scripts written against iproute2 keep working. Names and numbers come from the library's
 * tables (IFF_NAMES, IF_OPER_NAMES, route-names.ts, …); nothing is re-declared here.
 */
import { formatBits } from '../../netlink/header.js';
import type { Address } from '../../route/addr.js';
import { ADDR_SCOPES } from '../../route/addr-request.js';
import { ARPHRD_NAMES, IFF, IFF_NAMES } from '../../route/ifinfomsg.js';
import type { Link } from '../../route/link.js';
import { IF_LINK_MODE, IF_OPER_NAMES } from '../../route/link.schema.js';
import type { Neighbour } from '../../route/neigh.js';
import type { Route } from '../../route/route-decode.js';
import { ROUTE_TABLES } from '../../route/route-names.js';
import type { Rule } from '../../route/rule.js';

export type Json = Record<string, unknown>;

const TABLE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ROUTE_TABLES).map(([k, v]) => [v, k]));
const LINK_MODE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(IF_LINK_MODE).map(([k, v]) => [v, k.slice('IF_LINK_MODE_'.length)]));
const SCOPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ADDR_SCOPES).map(([k, v]) => [v, k]));

/** `main`, `local`, or the number as text. */
export const tableName = (t: number): string => TABLE_NAMES[t] ?? String(t);
/** ip's word for rtm_scope / ifa_scope: `global` (0), `link`, `host`, … */
export const scopeName = (s: number | string): string => (typeof s === 'string' ? (s === 'universe' ? 'global' : s) : SCOPE_NAMES[s] ?? String(s));

/**
 * Link flags as `ip link` prints them: IFF_RUNNING is left out (ip shows LOWER_UP instead) and
 * an interface that is UP without carrier says NO-CARRIER.
 */
export function linkFlagWords(flags: number): string[] {
  const words = formatBits(flags & ~IFF.IFF_RUNNING, IFF_NAMES);
  const out = words === '0' ? [] : words.split('|');
  // iproute2's print_link_flags() order; bits it does not know keep their hex form at the end.
  const rank = (w: string): number => { const i = IP_FLAG_ORDER.indexOf(w); return i < 0 ? IP_FLAG_ORDER.length : i; };
  out.sort((a, b) => rank(a) - rank(b));
  if (flags & IFF.IFF_UP && !(flags & IFF.IFF_RUNNING)) out.unshift('NO-CARRIER');
  return out;
}

const IP_FLAG_ORDER: readonly string[] = ['LOOPBACK', 'BROADCAST', 'POINTOPOINT', 'MULTICAST', 'NOARP', 'ALLMULTI', 'PROMISC', 'NOTRAILERS',
  'DEBUG', 'DYNAMIC', 'AUTOMEDIA', 'PORTSEL', 'MASTER', 'SLAVE', 'UP', 'LOWER_UP', 'DORMANT', 'ECHO'];

export const operstateName = (l: Link): string => (l.operstate === undefined ? 'UNKNOWN' : IF_OPER_NAMES[l.operstate] ?? String(l.operstate));

/** What `ip` prints after the name: `veth0@veth1` (peer here), `veth0@if5` (peer elsewhere), `eth0.10@eth0`. */
export function linkLabel(l: Link, byIndex: ReadonlyMap<number, Link>): string {
  const up = l.attrs.link;
  // A device that is its own lower device (IFLA_LINK == ifindex) has none to show, unless the
  // index is in another namespace (a veth peer there may well have the same number).
  if (up === undefined || (up === l.index && l.attrs.linkNetnsid === undefined)) return l.name;
  if (l.attrs.linkNetnsid !== undefined) return `${l.name}@if${up}`;
  return `${l.name}@${byIndex.get(up)?.name ?? `if${up}`}`;
}

/** A link as `ip -j link show` prints it (`-d` adds linkinfo and a few details). */
export function linkJson(l: Link, byIndex: ReadonlyMap<number, Link>, details: boolean): Json {
  const a = l.attrs;
  const o: Json = { ifindex: l.index };
  const up = a.link;
  if (up !== undefined && (up !== l.index || a.linkNetnsid !== undefined)) {
    if (a.linkNetnsid === undefined && byIndex.has(up)) o['link'] = byIndex.get(up)!.name;
    else o['link_index'] = up;
  }
  Object.assign(o, { ifname: l.name, flags: linkFlagWords(l.flags) });
  if (l.mtu !== undefined) o['mtu'] = l.mtu;
  if (a.qdisc !== undefined) o['qdisc'] = a.qdisc;
  if (l.master !== undefined) o['master'] = byIndex.get(l.master)?.name ?? l.master;
  o['operstate'] = operstateName(l);
  if (a.linkmode !== undefined) o['linkmode'] = LINK_MODE_NAMES[a.linkmode] ?? a.linkmode;
  if (a.group !== undefined) o['group'] = a.group === 0 ? 'default' : a.group;
  if (a.txqlen !== undefined) o['txqlen'] = a.txqlen;
  o['link_type'] = (ARPHRD_NAMES[l.type] ?? String(l.type)).toLowerCase();
  if (l.address !== undefined) o['address'] = l.address;
  if (a.broadcast !== undefined) o['broadcast'] = a.broadcast;
  if (a.permAddress !== undefined) o['permaddr'] = a.permAddress;
  if (a.linkNetnsid !== undefined) o['link_netnsid'] = a.linkNetnsid;
  if (details) {
    if (a.promiscuity !== undefined) o['promiscuity'] = a.promiscuity;
    if (a.minMtu !== undefined) o['min_mtu'] = a.minMtu;
    if (a.maxMtu !== undefined) o['max_mtu'] = a.maxMtu;
    const li = a.linkinfo;
    if (li?.kind !== undefined || li?.slaveKind !== undefined) {
      o['linkinfo'] = { ...(li.kind !== undefined ? { info_kind: li.kind } : {}), ...(li.slaveKind !== undefined ? { info_slave_kind: li.slaveKind } : {}) };
    }
    if (a.numTxQueues !== undefined) o['num_tx_queues'] = a.numTxQueues;
    if (a.numRxQueues !== undefined) o['num_rx_queues'] = a.numRxQueues;
    if (a.ifalias !== undefined) o['ifalias'] = a.ifalias;
  }
  return o;
}

/** One address as an `addr_info` entry of `ip -j addr show`. */
export function addrInfoJson(a: Address): Json {
  const o: Json = { family: a.family === 4 ? 'inet' : 'inet6', local: a.address, prefixlen: a.prefixlen };
  if (a.peer !== undefined) o['address'] = a.peer;
  if (a.broadcast !== undefined) o['broadcast'] = a.broadcast;
  o['scope'] = scopeName(a.scope);
  if (a.label !== undefined) o['label'] = a.label;
  if (a.validLft !== undefined) o['valid_life_time'] = a.validLft === 'forever' ? 4294967295 : a.validLft;
  if (a.preferredLft !== undefined) o['preferred_life_time'] = a.preferredLft === 'forever' ? 4294967295 : a.preferredLft;
  if (a.metric !== undefined) o['metric'] = a.metric;
  return o;
}

/** `10.0.0.0/24`, but host routes without `/32` / `/128`, as ip prints them. */
export function routeDst(r: Route): string {
  return r.dst.replace(/\/(32|128)$/, (m, len) => ((r.family === 4 && len === '32') || (r.family === 6 && len === '128') ? '' : m));
}

/** A route as `ip -j route show` prints it. */
export function routeJson(r: Route, byIndex: ReadonlyMap<number, Link>): Json {
  const o: Json = {};
  if (r.type !== 'unicast') o['type'] = r.type;
  o['dst'] = routeDst(r);
  if (r.gateway !== undefined) o['gateway'] = r.gateway;
  if (r.dev !== undefined) o['dev'] = byIndex.get(r.dev)?.name ?? `if${r.dev}`;
  if (r.table !== 254) o['table'] = tableName(r.table);
  // ip leaves out the default protocol (boot), as it leaves out the default scope and table.
  if (r.protocol !== 'boot') o['protocol'] = r.protocol;
  if (r.scope !== 'universe') o['scope'] = scopeName(r.scope);
  if (r.prefsrc !== undefined) o['prefsrc'] = r.prefsrc;
  if (r.metric !== undefined) o['metric'] = r.metric;
  o['flags'] = [];
  if (r.nexthops) o['nexthops'] = r.nexthops.map((h) => ({ ...(h.gateway !== undefined ? { gateway: h.gateway } : {}), ...(h.dev !== undefined ? { dev: byIndex.get(h.dev)?.name ?? `if${h.dev}` } : {}), weight: h.weight, flags: [] }));
  if (r.pref !== undefined) o['pref'] = r.pref;
  return o;
}

/** A route as one `ip route` line. */
export function routeText(r: Route, byIndex: ReadonlyMap<number, Link>): string {
  const j = routeJson(r, byIndex);
  const parts: string[] = [];
  if (j['type']) parts.push(String(j['type']));
  parts.push(String(j['dst']));
  if (j['gateway']) parts.push('via', String(j['gateway']));
  if (j['dev']) parts.push('dev', String(j['dev']));
  if (j['table']) parts.push('table', String(j['table']));
  if (j['protocol'] !== undefined) parts.push('proto', String(j['protocol']));
  if (j['scope']) parts.push('scope', String(j['scope']));
  if (j['prefsrc']) parts.push('src', String(j['prefsrc']));
  if (j['metric'] !== undefined) parts.push('metric', String(j['metric']));
  if (j['pref'] !== undefined) parts.push('pref', String(j['pref']));
  let line = parts.join(' ');
  for (const h of (j['nexthops'] as Json[] | undefined) ?? []) {
    line += `\n\tnexthop${h['gateway'] ? ` via ${h['gateway']}` : ''}${h['dev'] ? ` dev ${h['dev']}` : ''} weight ${h['weight']}`;
  }
  return line;
}

/** A neighbour entry as `ip -j neigh show` prints it. */
export function neighJson(n: Neighbour, byIndex: ReadonlyMap<number, Link>): Json {
  const o: Json = { dst: n.dst, dev: byIndex.get(n.dev)?.name ?? `if${n.dev}` };
  if (n.lladdr !== undefined) o['lladdr'] = n.lladdr;
  for (const f of n.flags) o[f] = null;
  o['state'] = n.state.map((s) => s.toUpperCase());
  return o;
}

/** A rule as `ip -j rule show` prints it. */
export function ruleJson(r: Rule, details = false): Json {
  const o: Json = { priority: r.priority };
  if (r.not) o['not'] = null;
  const [src, srclen] = r.from === 'all' ? ['all', undefined] : r.from.split('/');
  o['src'] = src;
  if (srclen !== undefined && !((r.family === 4 && srclen === '32') || (r.family === 6 && srclen === '128'))) o['srclen'] = Number(srclen);
  if (r.to !== undefined) {
    const [dst, dstlen] = r.to.split('/');
    o['dst'] = dst;
    if (dstlen !== undefined) o['dstlen'] = Number(dstlen);
  }
  if (r.fwmark !== undefined) o['fwmark'] = `0x${r.fwmark.toString(16)}`;
  if (r.fwmask !== undefined && r.fwmask !== 0xffffffff) o['fwmask'] = `0x${r.fwmask.toString(16)}`;
  if (r.iif !== undefined) o['iif'] = r.iif;
  if (r.oif !== undefined) o['oif'] = r.oif;
  if (r.action === 'table') o['table'] = tableName(r.table);
  else if (r.action === 'goto') o['target'] = r.goto;
  else o['action'] = r.action;
  if (details && r.protocol !== undefined) o['protocol'] = r.protocol;
  return o;
}

/** A rule as one `ip rule` line. */
export function ruleText(r: Rule, details = false): string {
  const j = ruleJson(r, details);
  const parts = [`${j['priority']}:`];
  if ('not' in j) parts.push('not');
  parts.push('from', j['src'] === 'all' ? 'all' : `${j['src']}${j['srclen'] !== undefined ? `/${j['srclen']}` : ''}`);
  if (j['dst'] !== undefined) parts.push('to', `${j['dst']}/${j['dstlen']}`);
  if (j['fwmark'] !== undefined) parts.push('fwmark', `${j['fwmark']}${j['fwmask'] !== undefined ? `/${j['fwmask']}` : ''}`);
  if (j['iif'] !== undefined) parts.push('iif', String(j['iif']));
  if (j['oif'] !== undefined) parts.push('oif', String(j['oif']));
  if (j['table'] !== undefined) parts.push('lookup', String(j['table']));
  if (j['target'] !== undefined) parts.push('goto', String(j['target']));
  if (j['action'] !== undefined) parts.push(String(j['action']));
  if (j['protocol'] !== undefined) parts.push('proto', String(j['protocol']));
  return parts.join(' ');
}
