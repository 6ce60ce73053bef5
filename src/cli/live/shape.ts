/**
 * The library's typed objects (Link, Address, Route, Neighbour, Rule) in the shapes and
 * words `ip -j` / `ip -br` print — key names, key order, flag words, scope and table names — so
 * jq scripts written against iproute2 keep working. Names and numbers come from the library's
 * objects and tables; nothing is re-declared here. Deliberate differences: docs/objects.md.
 */
import type { Address } from '../../route/addr/addr.js';
import type { Link } from '../../route/link/link.js';
import { linkFlagWords } from '../../route/link/link-names.js';
import type { Neighbour } from '../../route/neigh/neigh.js';
import type { Route, RouteRealms } from '../../route/route/route-decode.js';
import type { Rule } from '../../route/rule/rule.js';
import { linkInfoJson } from './link-info.js';
import { dsfieldName, realmName } from '../../route/iproute2-tables.js';

export { linkFlagWords };

export type Json = Record<string, unknown>;

/** `main`, `local`, or the number as text. */
export const tableName = (t: string | number): string => String(t);
/** ip's word for a scope (the objects carry it already; numbers print as text). */
export const scopeName = (s: number | string): string => String(s);

export const operstateName = (l: Link): string => String(l.operstate);

/** What `ip` prints after the name: `veth0@veth1` (peer here), `veth0@if5` (peer elsewhere), `eth0.10@eth0`. */
export function linkLabel(l: Link, byIndex: ReadonlyMap<number, Link>): string {
  const up = l.attrs.link;
  // A device that is its own lower device (IFLA_LINK == ifindex) has none to show, unless the
  // index is in another namespace (a veth peer there may well have the same number).
  if (up === undefined || (up === l.index && l.attrs.linkNetnsid === undefined)) return l.name;
  if (l.attrs.linkNetnsid !== undefined) return `${l.name}@if${up}`;
  return `${l.name}@${byIndex.get(up)?.name ?? `if${up}`}`;
}

/**
 * A link as `ip -j link show` prints it; `-d` adds what `ip -j -d link` adds (counts,
 * linkinfo with info_data / info_slave_data, inet6_addr_gen_mode, queue and GSO/GRO/TSO
 * sizes). `forAddr`: the link part of `ip -j addr` (which has no linkmode).
 */
export function linkJson(l: Link, byIndex: ReadonlyMap<number, Link>, details: boolean, forAddr = false): Json {
  const a = l.attrs;
  const o: Json = { ifindex: l.index };
  const up = l.linkIndex;
  if (up !== undefined && (up !== l.index || l.linkNetnsid !== undefined)) {
    if (l.linkNetnsid === undefined && byIndex.has(up)) o['link'] = byIndex.get(up)!.name;
    else o['link_index'] = up;
  }
  Object.assign(o, { ifname: l.name, flags: linkFlagWords(l.rawFlags) });
  if (l.mtu !== undefined) o['mtu'] = l.mtu;
  if (l.qdisc !== undefined) o['qdisc'] = l.qdisc;
  if (l.masterIndex !== undefined) o['master'] = byIndex.get(l.masterIndex)?.name ?? l.master;
  o['operstate'] = String(l.operstate);
  if (!forAddr && a.linkmode !== undefined) o['linkmode'] = LINK_MODES[a.linkmode] ?? a.linkmode;
  if (l.group !== undefined) o['group'] = String(l.group);
  if (l.txqlen !== undefined) o['txqlen'] = l.txqlen;
  o['link_type'] = String(l.type);
  if (l.address !== undefined) o['address'] = l.address;
  if (l.broadcast !== undefined) o['broadcast'] = l.broadcast;
  if (a.permAddress !== undefined) o['permaddr'] = a.permAddress;
  if (l.linkNetnsid !== undefined) o['link_netnsid'] = l.linkNetnsid;
  if (details) {
    if (l.promiscuity !== undefined) o['promiscuity'] = l.promiscuity;
    if (l.allmulti !== undefined) o['allmulti'] = l.allmulti;
    if (a.minMtu !== undefined) o['min_mtu'] = a.minMtu;
    if (a.maxMtu !== undefined) o['max_mtu'] = a.maxMtu;
    const li = linkInfoJson(l, byIndex);
    if (li) o['linkinfo'] = li;
    const gen = a.afSpec?.inet6?.addrGenMode;
    if (gen !== undefined) o['inet6_addr_gen_mode'] = GEN_MODES[gen] ?? gen;
    if (a.numTxQueues !== undefined) o['num_tx_queues'] = a.numTxQueues;
    if (a.numRxQueues !== undefined) o['num_rx_queues'] = a.numRxQueues;
    if (a.gsoMaxSize !== undefined) o['gso_max_size'] = a.gsoMaxSize;
    if (a.gsoMaxSegs !== undefined) o['gso_max_segs'] = a.gsoMaxSegs;
    if (a.tsoMaxSize !== undefined) o['tso_max_size'] = a.tsoMaxSize;
    if (a.tsoMaxSegs !== undefined) o['tso_max_segs'] = a.tsoMaxSegs;
    if (a.groMaxSize !== undefined) o['gro_max_size'] = a.groMaxSize;
  }
  // ip link prints the alias with or without -d (ip addr does not).
  if (l.ifalias !== undefined && !forAddr) o['ifalias'] = l.ifalias;
  return o;
}

const LINK_MODES: Readonly<Record<number, string>> = { 0: 'DEFAULT', 1: 'DORMANT', 2: 'TESTING' };
// iproute2 print_af_spec(): inet6_addr_gen_mode words.
const GEN_MODES: Readonly<Record<number, string>> = { 0: 'eui64', 1: 'none', 2: 'stable_secret', 3: 'random' };

/** One address as an `addr_info` entry of `ip -j addr show`. */
export function addrInfoJson(a: Address): Json {
  const o: Json = { family: a.family === 4 ? 'inet' : 'inet6', local: a.address };
  if (a.peer !== undefined) o['address'] = a.peer;
  o['prefixlen'] = a.prefixlen;
  if (a.broadcast !== undefined) o['broadcast'] = a.broadcast;
  if (a.attrs.anycast !== undefined) o['anycast'] = a.attrs.anycast;
  o['scope'] = String(a.scope);
  for (const f of a.flags) o[f] = true;
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

const hex = (n: number): string => `0x${n.toString(16)}`;
/** A TOS / DS field byte as ip prints it: its /etc/iproute2/rt_dsfield name (`AF11`), else `0x%02x`. */
const dsfield = (n: number): string => dsfieldName(n);
/** A realm as ip prints it: its /etc/iproute2/rt_realms name (`cosmos` for 0 in Debian's file), else the number. */
const realmText = (n: number): string => realmName(n);
const flowJson = (f: RouteRealms): Json => ({ ...(f.from ? { from: realmText(f.from) } : {}), to: realmText(f.to) });
const viaJson = (v: NonNullable<Route['via']>): Json => ({ family: v.family === 6 ? 'inet6' : 'inet', host: v.address });

// RTAX_* keys as ip -j prints them inside "metrics" (iproute2 mx_names; RTAX_CC_ALGO is "congestion").
const METRIC_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['mtu', 'mtu'], ['window', 'window'], ['rtt', 'rtt'], ['rttvar', 'rttvar'], ['ssthresh', 'ssthresh'], ['cwnd', 'cwnd'],
  ['advmss', 'advmss'], ['reordering', 'reordering'], ['hoplimit', 'hoplimit'], ['initcwnd', 'initcwnd'], ['features', 'features'],
  ['rtoMin', 'rto_min'], ['initrwnd', 'initrwnd'], ['quickack', 'quickack'], ['ccAlgo', 'congestion'], ['fastopenNoCookie', 'fastopen_no_cookie'],
];

function metricsJson(m: NonNullable<Route['metrics']>): Json {
  const o: Json = {};
  const rec = m as Record<string, unknown>;
  for (const [k, name] of METRIC_KEYS) {
    const v = rec[k];
    if (v === undefined) continue;
    // rtt/rttvar/rto_min are kept in ms (rtt in 1/8 ms, rttvar in 1/4 ms), as ip divides them.
    o[name] = k === 'rtt' ? Number(v) / 8 : k === 'rttvar' ? Number(v) / 4 : v;
  }
  return o;
}

/** A route as `ip -j route show` prints it. */
export function routeJson(r: Route, byIndex: ReadonlyMap<number, Link>, shownTable?: string | number): Json {
  const dev = (i: number | undefined, name: string | undefined): string | undefined => (i === undefined ? undefined : byIndex.get(i)?.name ?? name);
  const o: Json = {};
  if (r.type !== 'unicast') o['type'] = r.type;
  o['dst'] = routeDst(r);
  if (r.from !== undefined) o['from'] = r.from;
  if (r.tos) o['tos'] = dsfield(r.tos);
  if (r.gateway !== undefined) o['gateway'] = r.gateway;
  if (r.via !== undefined) o['via'] = viaJson(r.via);
  if (r.devIndex !== undefined) o['dev'] = dev(r.devIndex, r.dev);
  // ip leaves out the table it was asked to show (main by default).
  if (String(r.table) !== String(shownTable ?? 'main')) o['table'] = String(r.table);
  // ip leaves out the default protocol (boot), as it leaves out the default scope and table.
  if (r.protocol !== 'boot') o['protocol'] = r.protocol;
  if (r.scope !== 'global') o['scope'] = String(r.scope);
  if (r.prefsrc !== undefined) o['prefsrc'] = r.prefsrc;
  if (r.metric !== undefined) o['metric'] = r.metric;
  o['flags'] = [...r.flags];
  if (r.attrs.mark !== undefined) o['mark'] = r.attrs.mark;
  if (r.realms !== undefined) o['flow'] = flowJson(r.realms);
  if (r.attrs.uid !== undefined) o['uid'] = r.attrs.uid;
  if (r.expires !== undefined) o['expires'] = r.expires;
  if (r.metrics !== undefined) o['metrics'] = [metricsJson(r.metrics)];
  if (r.nexthops) {
    o['nexthops'] = r.nexthops.map((h) => ({
      ...(h.gateway !== undefined ? { gateway: h.gateway } : {}),
      ...(h.via !== undefined ? { via: viaJson(h.via) } : {}),
      ...(h.devIndex !== undefined ? { dev: dev(h.devIndex, h.dev) } : {}),
      weight: h.weight,
      ...(h.realms !== undefined ? { flow: flowJson(h.realms) } : {}),
      flags: [...h.flags],
    }));
  }
  if (r.pref !== undefined) o['pref'] = r.pref;
  return o;
}

/** A route as one `ip route` line (the words ip prints, in its order). */
export function routeText(r: Route, byIndex: ReadonlyMap<number, Link>, shownTable?: string | number): string {
  const j = routeJson(r, byIndex, shownTable);
  const parts: string[] = [];
  if (j['type']) parts.push(String(j['type']));
  parts.push(String(j['dst']));
  if (j['from']) parts.push('from', String(j['from']));
  if (j['tos']) parts.push('tos', String(j['tos']));
  if (j['gateway']) parts.push('via', String(j['gateway']));
  if (r.via) parts.push('via', r.via.family === 6 ? 'inet6' : 'inet', r.via.address);
  if (j['dev']) parts.push('dev', String(j['dev']));
  if (j['table']) parts.push('table', String(j['table']));
  if (j['protocol'] !== undefined) parts.push('proto', String(j['protocol']));
  if (j['scope']) parts.push('scope', String(j['scope']));
  if (j['prefsrc']) parts.push('src', String(j['prefsrc']));
  if (j['metric'] !== undefined) parts.push('metric', String(j['metric']));
  parts.push(...r.flags);
  if (r.realms) parts.push(r.realms.from ? 'realms' : 'realm', r.realms.from ? `${realmText(r.realms.from)}/${realmText(r.realms.to)}` : realmText(r.realms.to));
  if (r.expires !== undefined) parts.push('expires', `${r.expires}sec`);
  if (r.metrics) for (const [k, v] of Object.entries(metricsJson(r.metrics))) parts.push(k === 'congestion' ? 'congctl' : k, String(v));
  if (j['pref'] !== undefined) parts.push('pref', String(j['pref']));
  let line = parts.join(' ');
  for (const h of (j['nexthops'] as Json[] | undefined) ?? []) {
    const via = h['via'] as Json | undefined;
    line += `\n\tnexthop${h['gateway'] ? ` via ${h['gateway']}` : ''}${via ? ` via ${via['family']} ${via['host']}` : ''}${h['dev'] ? ` dev ${h['dev']}` : ''} weight ${h['weight']}${(h['flags'] as string[]).map((f) => ` ${f}`).join('')}`;
  }
  return line;
}

/** A neighbour entry as `ip -j neigh show` prints it. */
export function neighJson(n: Neighbour, byIndex: ReadonlyMap<number, Link>): Json {
  const o: Json = { dst: n.dst, dev: byIndex.get(n.devIndex)?.name ?? n.dev };
  if (n.lladdr !== undefined) o['lladdr'] = n.lladdr;
  for (const f of n.flags) o[f] = null;
  // A proxy entry has no NUD state to print (ip prints none).
  if (!n.flags.includes('proxy')) o['state'] = n.state.map((s) => s.toUpperCase());
  return o;
}

const RULE_IPPROTO: Readonly<Record<number, string>> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp', 132: 'sctp', 136: 'udplite' };

/** A rule as `ip -j rule show` prints it (iproute2 print_rule()). */
export function ruleJson(r: Rule, details = false): Json {
  const o: Json = { priority: r.priority };
  if (r.not) o['not'] = null;
  const [src, srclen] = r.from === 'all' ? ['all', undefined] : r.from.split('/');
  o['src'] = src;
  if (srclen !== undefined && !((r.family === 4 && srclen === '32') || (r.family === 6 && srclen === '128'))) o['srclen'] = Number(srclen);
  if (r.to !== undefined) {
    const [dst, dstlen] = r.to.split('/');
    o['dst'] = dst;
    if (dstlen !== undefined && !((r.family === 4 && dstlen === '32') || (r.family === 6 && dstlen === '128'))) o['dstlen'] = Number(dstlen);
  }
  if (r.tos) o['tos'] = dsfield(r.tos);
  if (r.fwmark !== undefined || (r.fwmask !== undefined && r.fwmask !== 0xffffffff)) o['fwmark'] = hex(r.fwmark ?? 0);
  if (r.fwmask !== undefined && r.fwmask !== 0xffffffff) o['fwmask'] = hex(r.fwmask);
  if (r.iif !== undefined) { o['iif'] = r.iif; if (r.flags.includes('iif_detached')) o['iif_detached'] = null; }
  if (r.oif !== undefined) { o['oif'] = r.oif; if (r.flags.includes('oif_detached')) o['oif_detached'] = null; }
  if (r.l3mdev) o['l3mdev'] = null;
  if (r.uidrange) { o['uid_start'] = r.uidrange[0]; o['uid_end'] = r.uidrange[1]; }
  if (r.ipproto !== undefined) o['ipproto'] = RULE_IPPROTO[r.ipproto] ?? String(r.ipproto);
  for (const [k, v] of [['sport', r.sport], ['dport', r.dport]] as const) {
    if (!v) continue;
    if (v[0] === v[1]) o[k] = v[0];
    else { o[`${k}_start`] = v[0]; o[`${k}_end`] = v[1]; }
  }
  if (r.table !== 0 && !r.l3mdev) {
    if (r.action === 'table') o['table'] = String(r.table);
    if (r.suppressPrefixlength !== undefined) o['suppress_prefixlen'] = r.suppressPrefixlength;
    if (r.suppressIfgroup !== undefined) o['suppress_ifgroup'] = String(r.suppressIfgroup);
  }
  if (r.realms) {
    if (r.realms.from) o['flow_from'] = realmText(r.realms.from);
    o['flow_to'] = realmText(r.realms.to);
  }
  if (r.action === 'goto') {
    o['goto'] = r.goto ?? 'none';
    if (r.flags.includes('unresolved')) o['unresolved'] = null;
  } else if (r.action === 'nop') o['nop'] = null;
  else if (r.action !== 'table') o['action'] = r.action;
  if (r.protocol !== undefined && ((r.protocol !== 'unspec' && r.protocol !== 'kernel') || details)) o['protocol'] = r.protocol;
  return o;
}

/** A rule as one `ip rule` line. */
export function ruleText(r: Rule, details = false): string {
  const j = ruleJson(r, details);
  const parts = [`${j['priority']}:`];
  if ('not' in j) parts.push('not');
  parts.push('from', j['src'] === 'all' ? 'all' : `${j['src']}${j['srclen'] !== undefined ? `/${j['srclen']}` : ''}`);
  if (j['dst'] !== undefined) parts.push('to', `${j['dst']}${j['dstlen'] !== undefined ? `/${j['dstlen']}` : ''}`);
  if (j['tos'] !== undefined) parts.push('tos', String(j['tos']));
  if (j['fwmark'] !== undefined) parts.push('fwmark', `${j['fwmark']}${j['fwmask'] !== undefined ? `/${j['fwmask']}` : ''}`);
  if (j['iif'] !== undefined) parts.push('iif', String(j['iif']), ...('iif_detached' in j ? ['[detached]'] : []));
  if (j['oif'] !== undefined) parts.push('oif', String(j['oif']), ...('oif_detached' in j ? ['[detached]'] : []));
  if ('l3mdev' in j) parts.push('lookup', '[l3mdev-table]');
  if (j['uid_start'] !== undefined) parts.push('uidrange', `${j['uid_start']}-${j['uid_end']}`);
  if (j['ipproto'] !== undefined) parts.push('ipproto', String(j['ipproto']));
  for (const k of ['sport', 'dport']) {
    if (j[k] !== undefined) parts.push(k, String(j[k]));
    else if (j[`${k}_start`] !== undefined) parts.push(k, `${j[`${k}_start`]}-${j[`${k}_end`]}`);
  }
  if (j['table'] !== undefined) parts.push('lookup', String(j['table']));
  if (j['suppress_prefixlen'] !== undefined) parts.push('suppress_prefixlength', String(j['suppress_prefixlen']));
  if (j['suppress_ifgroup'] !== undefined) parts.push('suppress_ifgroup', String(j['suppress_ifgroup']));
  if (j['flow_to'] !== undefined) parts.push(j['flow_from'] !== undefined ? 'realms' : 'realm', j['flow_from'] !== undefined ? `${j['flow_from']}/${j['flow_to']}` : String(j['flow_to']));
  if (j['goto'] !== undefined) parts.push('goto', String(j['goto']), ...('unresolved' in j ? ['[unresolved]'] : []));
  if ('nop' in j) parts.push('nop');
  if (j['action'] !== undefined) parts.push(String(j['action']));
  if (j['protocol'] !== undefined) parts.push('proto', String(j['protocol']));
  return parts.join(' ');
}
