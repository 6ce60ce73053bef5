/**
 * The port-mapping plugin (type `netlink-ts-portmap`, a mode of the same binary), a chained
 * plugin as the reference `portmap`: it reads the `portMappings` capability from
 * runtimeConfig and the container's addresses from prevResult, adds DNAT rules (firewall.ts)
 * and passes prevResult on.
 */
import { RouteHandle } from '../route/handle.js';
import { setSysctl } from '../sysctl/sysctl.js';
import type { NetConf } from './config.js';
import type { CniEnv } from './env.js';
import { CNI_ERR_CHECK, CNI_ERR_NETLINK, CNI_INVALID_CONFIG, CNI_UNSUPPORTED_FIELD, CniError, asCniError } from './errors.js';
import { type IpNet, formatIp, parseIp, parseIpNet } from './ip.js';
import type { CniResult } from './result.js';
import type { PortMapping } from './firewall.js';

export const PORTMAP_TYPE = 'netlink-ts-portmap';

export interface PortMapConf {
  readonly mappings: readonly PortMapping[];
  readonly snat: boolean;
}

const bad = (msg: string) => new CniError(CNI_INVALID_CONFIG, msg);

export function parsePortMapConf(conf: NetConf): PortMapConf {
  for (const k of ['conditionsV4', 'conditionsV6', 'externalSetMarkChain']) {
    if (conf.raw[k] !== undefined && conf.raw[k] !== null) {
      throw new CniError(CNI_UNSUPPORTED_FIELD, `unsupported field ${k}=${JSON.stringify(conf.raw[k])}`, 'iptables match arguments and chains have no meaning in nftables rules');
    }
  }
  const snat = conf.raw['snat'] ?? true;
  if (typeof snat !== 'boolean') throw bad('snat: expected true or false');
  const bit = conf.raw['markMasqBit'];
  if (bit !== undefined && (typeof bit !== 'number' || !Number.isInteger(bit) || bit < 0 || bit > 31)) throw bad('markMasqBit: must be between 0 and 31');
  const raw = conf.runtimeConfig['portMappings'] ?? [];
  if (!Array.isArray(raw)) throw bad('runtimeConfig.portMappings: expected an array');
  const mappings = raw.map((m, i): PortMapping => {
    const p = `runtimeConfig.portMappings[${i}]`;
    const o = m as Record<string, unknown>;
    if (!o || typeof o !== 'object') throw bad(`${p}: expected an object`);
    const port = (k: string): number => {
      const v = o[k];
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > 65535) throw bad(`${p}.${k}: invalid port number ${JSON.stringify(v)}`);
      return v;
    };
    const proto = String(o['protocol'] ?? 'tcp').toLowerCase();
    if (proto !== 'tcp' && proto !== 'udp') throw new CniError(CNI_UNSUPPORTED_FIELD, `unsupported field ${p}.protocol=${JSON.stringify(o['protocol'])}`, 'tcp and udp are supported');
    const hostIP = o['hostIP'];
    if (hostIP !== undefined && hostIP !== '' && (typeof hostIP !== 'string' || !parseIp(hostIP))) throw bad(`${p}.hostIP: ${JSON.stringify(hostIP)} is not an address`);
    return { hostPort: port('hostPort'), containerPort: port('containerPort'), protocol: proto, ...(typeof hostIP === 'string' && hostIP !== '' ? { hostIP } : {}) };
  });
  return { mappings, snat };
}

/** The first IPv4 and IPv6 address of the container interface `ifname` in prevResult (as the reference picks them). */
export function containerAddrs(prev: CniResult, ifname: string): IpNet[] {
  let v4: IpNet | undefined, v6: IpNet | undefined;
  for (const ip of prev.ips ?? []) {
    const n = parseIpNet(ip.address);
    if (!n || (n.ip.v6 ? v6 : v4)) continue;
    if (ip.interface !== undefined) {
      const itf = prev.interfaces?.[ip.interface];
      if (itf && (itf.name !== ifname || !itf.sandbox)) continue;
    }
    if (n.ip.v6) v6 = n; else v4 = n;
  }
  return [v4, v6].filter((x): x is IpNet => !!x);
}

const firewall = () => import('./firewall.js');

export async function portmapAdd(conf: NetConf, env: CniEnv): Promise<CniResult> {
  if (!conf.prevResult) throw bad('must be called as chained plugin (prevResult missing)');
  const pm = parsePortMapConf(conf);
  if (!pm.mappings.length) return conf.prevResult;
  const addrs = containerAddrs(conf.prevResult, env.ifname);
  const v4 = addrs.find((a) => !a.ip.v6);
  if (pm.snat && v4) {
    // Port mappings reached from 127.0.0.1 need route_localnet on the interface towards the
    // container; like the reference (getRoutableHostIF), skipped when no route leads there.
    const h = RouteHandle.open();
    try {
      let dev: string | undefined;
      try {
        dev = (await h.route.get(formatIp(v4.ip))).dev;
      } catch {
        dev = undefined;
      }
      if (dev !== undefined) setSysctl(`net/ipv4/conf/${dev}/route_localnet`, 1);
    } catch (err) {
      throw asCniError(err, CNI_ERR_NETLINK, 'unable to enable route_localnet');
    } finally {
      h.close();
    }
  }
  const fw = await firewall();
  fw.addPortMappings({ net: conf.name, id: env.containerId, ifname: env.ifname }, addrs, pm.mappings, pm.snat);
  return conf.prevResult;
}

export async function portmapDel(conf: NetConf, env: CniEnv): Promise<void> {
  const pm = parsePortMapConf(conf);
  if (!pm.mappings.length) return;
  const fw = await firewall();
  fw.deleteRules(['portmap'], fw.sameAttachment({ net: conf.name, id: env.containerId, ifname: env.ifname }));
}

export async function portmapCheck(conf: NetConf, env: CniEnv): Promise<void> {
  if (!conf.prevResult) throw bad('Required prevResult missing');
  const pm = parsePortMapConf(conf);
  if (!pm.mappings.length) return;
  const fw = await firewall();
  const have = fw.findRules(['portmap'], fw.sameAttachment({ net: conf.name, id: env.containerId, ifname: env.ifname })).length;
  if (!have) throw new CniError(CNI_ERR_CHECK, `no port-mapping rules found for ${env.containerId}`);
}
