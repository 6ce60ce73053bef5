/**
 * `linkinfo` of `ip -j -d link`: info_kind, info_data (the kind's IFLA_INFO_DATA in ip's key
 * names, order and value formats — iproute2 6.1 ip/iplink_bridge.c, iplink_vxlan.c,
 * iptuntap.c, iplink_bridge_slave.c), info_slave_kind and info_slave_data. Kinds ip prints no
 * info_data for (veth, ifb, dummy) get none; kinds without a table here (vlan, macvlan, bond,
 * …, not built into the test kernel) print info_kind only — listed in docs/objects.md.
 */
import { readFileSync } from 'node:fs';
import type { Link } from '../../route/link/link.js';
import { BR_STATE_NAMES } from '../../route/link/bridge-port.js';

type Json = Record<string, unknown>;
type Rec = Record<string, unknown>;

/** struct ifla_bridge_id as ip prints it: `8000.be:90:f1:da:e:e5` (%.2x%.2x then %x per byte). */
function bridgeId(v: unknown): string | undefined {
  const id = v as { prio: number; addr: string } | undefined;
  if (!id) return undefined;
  const prio = id.prio.toString(16).padStart(4, '0');
  return `${prio}.${id.addr.split(':').map((b) => parseInt(b, 16).toString(16)).join(':')}`;
}

/** clock_t centiseconds as ip's `%.2f` seconds (a number in JSON). */
const timer = (v: unknown): number | undefined => (v === undefined ? undefined : Number(BigInt(v as bigint)) / 100);
const num = (v: unknown): number | undefined => (v === undefined ? undefined : typeof v === 'bigint' ? Number(v) : (v as number));
const bool = (v: unknown): boolean | undefined => (v === undefined ? undefined : Number(v) !== 0);
const hexMask = (v: unknown): string | undefined => (v === undefined ? undefined : Number(v) === 0 ? '0' : `0x${Number(v).toString(16)}`);

function put(o: Json, key: string, v: unknown): void {
  if (v !== undefined) o[key] = v;
}

function bridgeData(d: Rec): Json {
  const o: Json = {};
  put(o, 'forward_delay', num(d['forwardDelay']));
  put(o, 'hello_time', num(d['helloTime']));
  put(o, 'max_age', num(d['maxAge']));
  put(o, 'ageing_time', num(d['ageingTime']));
  put(o, 'stp_state', num(d['stpState']));
  put(o, 'priority', num(d['priority']));
  put(o, 'vlan_filtering', num(d['vlanFiltering']));
  if (d['vlanProtocol'] !== undefined) o['vlan_protocol'] = Number(d['vlanProtocol']) === 0x88a8 ? '802.1ad' : '802.1Q';
  put(o, 'bridge_id', bridgeId(d['bridgeId']));
  put(o, 'root_id', bridgeId(d['rootId']));
  put(o, 'root_port', num(d['rootPort']));
  put(o, 'root_path_cost', num(d['rootPathCost']));
  put(o, 'topology_change', num(d['topologyChange']));
  put(o, 'topology_change_detected', num(d['topologyChangeDetected']));
  put(o, 'hello_timer', timer(d['helloTimer']));
  put(o, 'tcn_timer', timer(d['tcnTimer']));
  put(o, 'topology_change_timer', timer(d['topologyChangeTimer']));
  put(o, 'gc_timer', timer(d['gcTimer']));
  put(o, 'vlan_default_pvid', num(d['vlanDefaultPvid']));
  put(o, 'vlan_stats_enabled', num(d['vlanStatsEnabled']));
  put(o, 'vlan_stats_per_port', num(d['vlanStatsPerPort']));
  put(o, 'group_fwd_mask', hexMask(d['groupFwdMask']));
  put(o, 'group_addr', d['groupAddr']);
  put(o, 'mcast_snooping', num(d['mcastSnooping']));
  const bo = d['multiBoolopt'] as { optval: number; optmask: number } | undefined;
  if (bo) {
    // iproute2 6.1 prints these two bits of br_boolopt_multi.
    if (bo.optmask & 1) o['no_linklocal_learn'] = bo.optval & 1 ? 1 : 0;
    if (bo.optmask & 2) o['mcast_vlan_snooping'] = bo.optval & 2 ? 1 : 0;
  }
  put(o, 'mcast_router', num(d['mcastRouter']));
  put(o, 'mcast_query_use_ifaddr', num(d['mcastQueryUseIfaddr']));
  put(o, 'mcast_querier', num(d['mcastQuerier']));
  put(o, 'mcast_hash_elasticity', num(d['mcastHashElasticity']));
  put(o, 'mcast_hash_max', num(d['mcastHashMax']));
  put(o, 'mcast_last_member_cnt', num(d['mcastLastMemberCnt']));
  put(o, 'mcast_startup_query_cnt', num(d['mcastStartupQueryCnt']));
  put(o, 'mcast_last_member_intvl', num(d['mcastLastMemberIntvl']));
  put(o, 'mcast_membership_intvl', num(d['mcastMembershipIntvl']));
  put(o, 'mcast_querier_intvl', num(d['mcastQuerierIntvl']));
  put(o, 'mcast_query_intvl', num(d['mcastQueryIntvl']));
  put(o, 'mcast_query_response_intvl', num(d['mcastQueryResponseIntvl']));
  put(o, 'mcast_startup_query_intvl', num(d['mcastStartupQueryIntvl']));
  put(o, 'mcast_stats_enabled', num(d['mcastStatsEnabled']));
  put(o, 'mcast_igmp_version', num(d['mcastIgmpVersion']));
  put(o, 'mcast_mld_version', num(d['mcastMldVersion']));
  put(o, 'nf_call_iptables', num(d['nfCallIptables']));
  put(o, 'nf_call_ip6tables', num(d['nfCallIp6tables']));
  put(o, 'nf_call_arptables', num(d['nfCallArptables']));
  return o;
}

const isMulticast = (a: string): boolean => (a.includes(':') ? a.toLowerCase().startsWith('ff') : Number(a.split('.')[0]) >= 224 && Number(a.split('.')[0]) <= 239);

function vxlanData(d: Rec, byIndex: ReadonlyMap<number, Link>): Json {
  const o: Json = {};
  if (Number(d['collectMetadata'] ?? 0)) o['external'] = true;
  if (d['vnifilter'] !== undefined && Number(d['vnifilter'])) o['vnifilter'] = true;
  put(o, 'id', num(d['id']));
  const group = d['group'] as string | undefined, group6 = d['group6'] as string | undefined;
  if (group !== undefined && group !== '0.0.0.0') o[isMulticast(group) ? 'group' : 'remote'] = group;
  else if (group6 !== undefined && group6 !== '::') o[isMulticast(group6) ? 'group6' : 'remote6'] = group6;
  const local = d['local'] as string | undefined, local6 = d['local6'] as string | undefined;
  if (local !== undefined && local !== '0.0.0.0') o['local'] = local;
  else if (local6 !== undefined && local6 !== '::') o['local6'] = local6;
  const link = num(d['link']);
  if (link) o['link'] = byIndex.get(link)?.name ?? link;
  put(o, 'port_range', d['portRange']);
  put(o, 'port', num(d['port']));
  put(o, 'learning', bool(d['learning']));
  if (Number(d['proxy'] ?? 0)) o['proxy'] = true;
  if (Number(d['rsc'] ?? 0)) o['rsc'] = true;
  if (Number(d['l2miss'] ?? 0)) o['l2miss'] = true;
  if (Number(d['l3miss'] ?? 0)) o['l3miss'] = true;
  const tos = num(d['tos']);
  if (tos) o['tos'] = `0x${tos.toString(16)}`;
  if (!(d['ttlInherit'] === true)) put(o, 'ttl', num(d['ttl']));
  if (d['df'] !== undefined) o['df'] = (['unset', 'set', 'inherit'] as const)[Number(d['df'])] ?? Number(d['df']);
  const label = num(d['label']);
  if (label) o['label'] = `0x${label.toString(16)}`;
  put(o, 'ageing', num(d['ageing']));
  const limit = num(d['limit']);
  if (limit) o['limit'] = limit;
  put(o, 'udp_csum', bool(d['udpCsum']));
  put(o, 'udp_zero_csum6_tx', bool(d['udpZeroCsum6Tx']));
  put(o, 'udp_zero_csum6_rx', bool(d['udpZeroCsum6Rx']));
  if (Number(d['remcsumTx'] ?? 0)) o['remcsum_tx'] = true;
  if (Number(d['remcsumRx'] ?? 0)) o['remcsum_rx'] = true;
  if (d['gbp'] === true) o['gbp'] = true;
  if (d['gpe'] === true) o['gpe'] = true;
  return o;
}

let accounts: { users: Map<number, string>; groups: Map<number, string> } | undefined;
function accountNames(): NonNullable<typeof accounts> {
  if (accounts) return accounts;
  const read = (path: string): Map<number, string> => {
    const m = new Map<number, string>();
    try {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        const [name, , id] = line.split(':');
        if (name && id !== undefined && /^\d+$/.test(id)) m.set(Number(id), name);
      }
    } catch { /* no file: ids print as numbers */ }
    return m;
  };
  accounts = { users: read('/etc/passwd'), groups: read('/etc/group') };
  return accounts;
}

function tunData(d: Rec): Json {
  const o: Json = {};
  if (d['type'] !== undefined) o['type'] = Number(d['type']) === 2 ? 'tap' : Number(d['type']) === 1 ? 'tun' : 'unknown';
  put(o, 'pi', bool(d['pi']));
  put(o, 'vnet_hdr', bool(d['vnetHdr']));
  put(o, 'multi_queue', bool(d['multiQueue']));
  put(o, 'persist', bool(d['persist']));
  const { users, groups } = accountNames();
  const owner = num(d['owner']);
  if (owner !== undefined) o['user'] = users.get(owner) ?? owner;
  const group = num(d['group']);
  if (group !== undefined) o['group'] = groups.get(group) ?? group;
  if (Number(d['multiQueue'] ?? 0)) {
    put(o, 'numqueues', num(d['numQueues']));
    put(o, 'numdisabled', num(d['numDisabledQueues']));
  }
  return o;
}

function bridgeSlaveData(d: Rec): Json {
  const o: Json = {};
  const st = num(d['state']);
  if (st !== undefined) o['state'] = BR_STATE_NAMES[st] ?? st;
  put(o, 'priority', num(d['priority']));
  put(o, 'cost', num(d['cost']));
  put(o, 'hairpin', bool(d['mode']));
  put(o, 'guard', bool(d['guard']));
  put(o, 'root_block', bool(d['protect']));
  put(o, 'fastleave', bool(d['fastLeave']));
  put(o, 'learning', bool(d['learning']));
  put(o, 'flood', bool(d['unicastFlood']));
  const id = num(d['id']);
  if (id !== undefined) o['id'] = `0x${id.toString(16)}`;
  const no = num(d['no']);
  if (no !== undefined) o['no'] = `0x${no.toString(16)}`;
  put(o, 'designated_port', num(d['designatedPort']));
  put(o, 'designated_cost', num(d['designatedCost']));
  put(o, 'bridge_id', bridgeId(d['bridgeId']));
  put(o, 'root_id', bridgeId(d['rootId']));
  put(o, 'hold_timer', timer(d['holdTimer']));
  put(o, 'message_age_timer', timer(d['messageAgeTimer']));
  put(o, 'forward_delay_timer', timer(d['forwardDelayTimer']));
  put(o, 'topology_change_ack', num(d['topologyChangeAck']));
  put(o, 'config_pending', num(d['configPending']));
  put(o, 'proxy_arp', bool(d['proxyarp']));
  put(o, 'proxy_arp_wifi', bool(d['proxyarpWifi']));
  put(o, 'multicast_router', num(d['multicastRouter']));
  put(o, 'mcast_flood', bool(d['mcastFlood']));
  put(o, 'bcast_flood', bool(d['bcastFlood']));
  put(o, 'mcast_to_unicast', bool(d['mcastToUcast']));
  put(o, 'neigh_suppress', bool(d['neighSuppress']));
  const mask = num(d['groupFwdMask']);
  if (mask !== undefined) {
    o['group_fwd_mask'] = hexMask(mask);
    o['group_fwd_mask_str'] = `0x${mask.toString(16)}`;
  }
  put(o, 'vlan_tunnel', bool(d['vlanTunnel']));
  put(o, 'isolated', bool(d['isolated']));
  put(o, 'locked', bool(d['locked']));
  return o;
}

export function linkInfoJson(l: Link, byIndex: ReadonlyMap<number, Link>): Json | undefined {
  const li = l.attrs.linkinfo;
  if (li?.kind === undefined && li?.slaveKind === undefined) return undefined;
  const o: Json = {};
  if (li.kind !== undefined) o['info_kind'] = li.kind;
  const data = li.data as Rec | undefined;
  if (data && typeof data === 'object' && !Buffer.isBuffer(data)) {
    if (li.kind === 'bridge') o['info_data'] = bridgeData(data);
    else if (li.kind === 'vxlan') o['info_data'] = vxlanData(data, byIndex);
    else if (li.kind === 'tun') o['info_data'] = tunData(data);
  }
  if (li.slaveKind !== undefined) o['info_slave_kind'] = li.slaveKind;
  const sd = li.slaveData as Rec | undefined;
  if (sd && typeof sd === 'object' && !Buffer.isBuffer(sd) && li.slaveKind === 'bridge') o['info_slave_data'] = bridgeSlaveData(sd);
  return o;
}
