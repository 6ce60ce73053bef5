/**
 * The bridge plugin (type `netlink-ts-cni`), behaving as the reference `bridge` (v1.1.1):
 * ensure the bridge, a veth pair with its host end on the bridge and its container end named
 * CNI_IFNAME inside CNI_NETNS, IPAM, container addresses/routes, gateway addresses on the bridge,
 * forwarding, masquerade, MAC spoof check — all over netlink from this process.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { NetlinkError } from '../netlink/errors.js';
import { Netns } from '../netns/netns.js';
import { NetnsNotFoundError, NotANetnsError } from '../netns/errors.js';
import { RouteHandle } from '../route/handle.js';
import type { Link } from '../route/link/link.js';
import { RTM_SETLINK } from '../route/protocol.js';
import { setSysctl, getSysctl } from '../sysctl/sysctl.js';
import type { BridgeConf } from './config.js';
import type { CniEnv } from './env.js';
import {
  CNI_ERR_CHECK, CNI_ERR_EXISTS, CNI_ERR_IPAM, CNI_ERR_NETLINK, CNI_INVALID_CONFIG, CNI_UNKNOWN_CONTAINER, CniError, asCniError,
} from './errors.js';
import { type IpNet, contains, formatIp, networkOf, parseIp, parseIpNet, sameIp } from './ip.js';
import { ipamAdd, ipamCheck, ipamDel } from './ipam.js';
import type { CniInterface, CniResult, CniRoute } from './result.js';

const IFF_PROMISC = 0x100;
const AF_BRIDGE = 7;
/** IFLA_BRPORT_MODE value: BRIDGE_MODE_HAIRPIN. */
const BRIDGE_MODE_HAIRPIN = 1;

/** Lazy: nftables code is loaded only by configurations that use it. */
const firewall = () => import('./firewall.js');

function openNetns(path: string): Netns {
  try {
    return Netns.open({ path });
  } catch (err) {
    if (err instanceof NetnsNotFoundError || err instanceof NotANetnsError) {
      throw new CniError(CNI_UNKNOWN_CONTAINER, `failed to open netns ${JSON.stringify(path)}: ${(err as Error).message}`);
    }
    throw asCniError(err, CNI_ERR_NETLINK, `failed to open netns ${JSON.stringify(path)}`);
  }
}

/** Run `fn`; a kernel error becomes code 100 with `what` in front. */
async function step<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asCniError(err, CNI_ERR_NETLINK, what);
  }
}

const enoent = (err: unknown): boolean => err instanceof NetlinkError && (err.code === 'ENODEV' || err.code === 'ENOENT');

async function getLink(h: RouteHandle, name: string): Promise<Link | undefined> {
  try {
    return await h.link.get(name);
  } catch (err) {
    if (enoent(err)) return undefined;
    throw err;
  }
}

/** Best-effort sysctl (the reference ignores these failures too: a kernel without IPv6, …). */
function trySysctl(key: string, value: number, netns?: Netns): void {
  try {
    setSysctl(key, value, netns ? { netns } : {});
  } catch {
    // ignored on purpose
  }
}

async function setFlag(h: RouteHandle, index: number, flag: number, on: boolean): Promise<void> {
  await h.socket.request({ type: RTM_SETLINK, flags: 0, header: { family: 0, type: 0, index, flags: on ? flag : 0, change: flag }, attrs: {} });
}

async function ensureBridge(h: RouteHandle, conf: BridgeConf): Promise<Link> {
  let br = await getLink(h, conf.bridge);
  if (!br) {
    try {
      await h.link.add({ name: conf.bridge, kind: 'bridge', ...(conf.mtu ? { mtu: conf.mtu } : {}) });
    } catch (err) {
      if (!(err instanceof NetlinkError && err.code === 'EEXIST')) throw err;
    }
    br = await h.link.get(conf.bridge);
  }
  if (br.kind !== 'bridge') throw new CniError(CNI_INVALID_CONFIG, `${JSON.stringify(conf.bridge)} already exists but is not a bridge`);
  if (conf.promiscMode && !(br.rawFlags & IFF_PROMISC)) await setFlag(h, br.index, IFF_PROMISC, true);
  // We own the routes of this interface (as the reference).
  trySysctl(`net/ipv6/conf/${conf.bridge}/accept_ra`, 0);
  if (!(br.rawFlags & 1)) await h.link.set(br.index, { up: true });
  return h.link.get(br.index);
}

interface Gw { readonly net: IpNet; readonly v6: boolean }

/** The reference's calcGateways: interface index 2, gateway = network + 1 when isGateway, default routes. */
function calcGateways(result: CniResult, conf: BridgeConf): Gw[] {
  const gws: Gw[] = [];
  const defaultFound = { v4: false, v6: false };
  for (const ipc of result.ips ?? []) {
    const net = parseIpNet(ipc.address);
    if (!net) throw new CniError(CNI_ERR_IPAM, `IPAM returned an address that is not ADDR/LEN: ${JSON.stringify(ipc.address)}`);
    const fam = net.ip.v6 ? 'v6' : 'v4';
    ipc.interface = 2;
    if (ipc.gateway === undefined && conf.isGateway) ipc.gateway = formatIp({ v6: net.ip.v6, n: networkOf(net).ip.n + 1n });
    if (conf.isDefaultGateway && !defaultFound[fam]) {
      const dflt = net.ip.v6 ? '::/0' : '0.0.0.0/0';
      defaultFound[fam] = (result.routes ?? []).some((r) => r.gw !== undefined && r.dst === dflt);
      if (!defaultFound[fam]) {
        (result.routes ??= []).push({ dst: dflt, ...(ipc.gateway !== undefined ? { gw: ipc.gateway } : {}) });
        defaultFound[fam] = true;
      }
    }
    if (conf.isGateway && ipc.gateway !== undefined) {
      const gw = parseIp(ipc.gateway);
      if (gw) gws.push({ net: { ip: gw, len: net.len }, v6: gw.v6 });
    }
  }
  return gws;
}

/** Put `gw` on the bridge (forceAddress replaces a conflicting one), then pin the bridge MAC. */
async function ensureAddr(h: RouteHandle, br: Link, gw: Gw, force: boolean): Promise<void> {
  const want = `${formatIp(gw.net.ip)}/${gw.net.len}`;
  const addrs = await h.addr.list({ dev: br.index, family: gw.v6 ? 6 : 4 });
  for (const a of addrs) {
    const have = parseIpNet(`${a.address}/${a.prefixlen}`);
    if (!have) continue;
    if (sameIp(have.ip, gw.net.ip) && have.len === gw.net.len) return;
    if (!gw.v6 || contains(have, gw.net.ip) || contains(gw.net, have.ip)) {
      if (!force) throw new CniError(CNI_INVALID_CONFIG, `${JSON.stringify(br.name)} already has an IP address different from ${want}`);
      await h.addr.del({ dev: br.index, address: `${a.address}/${a.prefixlen}` });
    }
  }
  try {
    await h.addr.add({ dev: br.index, address: want, ...(gw.v6 ? {} : { broadcast: '+' }) });
  } catch (err) {
    if (!(err instanceof NetlinkError && err.code === 'EEXIST')) throw err;
  }
  // Pin the MAC the bridge had before this ADD's port came (the reference sets the address it
  // read then): otherwise it takes the lowest port MAC, which changes as ports come and go.
  if (br.address) await h.link.set(br.index, { address: br.address });
}

/** `veth` + 8 random hex digits, as the reference names host ends (from /dev/urandom: node:crypto costs start-up time). */
function randomVethName(): string {
  const b = Buffer.alloc(4);
  const fd = openSync('/dev/urandom', 'r');
  try { readSync(fd, b, 0, 4, null); } finally { closeSync(fd); }
  return `veth${b.toString('hex')}`;
}

const sleep = (ms: number): Promise<void> => new Promise((ok) => { setTimeout(ok, ms); });

/** ADD. Returns the result (in the internal 1.x shape). */
export async function bridgeAdd(conf: BridgeConf, stdin: string, env: CniEnv): Promise<CniResult> {
  const l3 = typeof conf.ipam?.['type'] === 'string' && conf.ipam['type'] !== '';
  const ns = openNetns(env.netns);
  const host = RouteHandle.open();
  let cont: RouteHandle | undefined;
  const undo: Array<() => Promise<void> | void> = [];
  try {
    cont = RouteHandle.open({ netns: ns });
    const c = cont;
    if (await getLink(c, env.ifname)) throw new CniError(CNI_ERR_EXISTS, `container veth name provided (${env.ifname}) already exists`);
    const br = await step(`failed to create bridge ${JSON.stringify(conf.bridge)}`, () => ensureBridge(host, conf));

    // The veth pair: host end on the bridge and up, container end born inside the netns.
    let hostName = '';
    await step('failed to make veth pair', async () => {
      for (let i = 0; ; i++) {
        hostName = randomVethName();
        try {
          await host.link.add({
            name: hostName, kind: 'veth', up: true, master: br.index, ...(conf.mtu ? { mtu: conf.mtu } : {}),
            peer: { name: env.ifname, netns: ns, ...(conf.mtu ? { mtu: conf.mtu } : {}), ...(conf.mac ? { address: conf.mac } : {}) },
          });
          return;
        } catch (err) {
          if (err instanceof NetlinkError && err.code === 'EEXIST' && i < 9 && !(await getLink(c, env.ifname))) continue;
          throw err;
        }
      }
    });
    undo.push(async () => { try { await c.link.del(env.ifname); } catch { /* already gone */ } });
    trySysctl(`net/ipv6/conf/${hostName}/accept_ra`, 0);
    const hostVeth = await host.link.get(hostName);
    if (conf.hairpinMode) {
      await step(`failed to setup hairpin mode for ${hostName}`, () => host.socket.request({
        type: RTM_SETLINK, flags: 0, header: { family: AF_BRIDGE, type: 0, index: hostVeth.index, flags: 0, change: 0 }, attrs: { protinfo: { mode: BRIDGE_MODE_HAIRPIN } },
      } as never));
    }
    const contVeth = await c.link.get(env.ifname);
    const v11 = conf.cniVersion === '1.1.0';
    const iface = (l: Link, sandbox?: string): CniInterface => ({
      name: l.name, ...(l.address ? { mac: l.address } : {}), ...(v11 && l.mtu !== undefined ? { mtu: l.mtu } : {}), ...(sandbox ? { sandbox } : {}),
    });
    const result: CniResult = { cniVersion: conf.cniVersion, interfaces: [iface(br), iface(hostVeth), iface(contVeth, env.netns)] };
    const att = { net: conf.name, id: env.containerId, ifname: env.ifname };

    if (conf.macspoofchk && contVeth.address) {
      const fw = await firewall();
      fw.addSpoofCheck(att, hostName, contVeth.address);
      undo.push(() => { fw.deleteRules(['spoofchk'], fw.sameAttachment(att)); });
    }

    if (l3) {
      const ipam = ipamAdd(conf, stdin, env);
      undo.push(() => ipamDel(conf, stdin, env));
      // `interface` first, as the reference prints it.
      result.ips = (ipam.ips ?? []).map((x) => ({ interface: 2, ...x }));
      result.routes = (ipam.routes ?? []).map((x) => ({ ...x }));
      if (!result.ips.length) throw new CniError(CNI_ERR_IPAM, 'IPAM plugin returned missing IP config');
      if (ipam.dns && !conf.dns) result.dns = ipam.dns;
      const gws = calcGateways(result, conf);

      await step(`failed to configure ${env.ifname}`, () => configureIface(c, ns, env.ifname, result, conf.enabledad));
      await waitUp(host, hostName);

      if (gws.length) {
        for (const gw of gws) await step('failed to set bridge addr', () => ensureAddr(host, br, gw, conf.forceAddress));
        if (gws.some((g) => !g.v6)) trySysctlStrict('net/ipv4/ip_forward');
        if (gws.some((g) => g.v6)) trySysctlStrict('net/ipv6/conf/all/forwarding');
      }
      if (conf.ipMasq) {
        const fw = await firewall();
        fw.addMasq(att, result.ips.map((x) => parseIpNet(x.address)!));
        undo.push(() => { fw.deleteRules(['masq'], fw.sameAttachment(att)); });
      }
    } else {
      await step(`failed to set ${JSON.stringify(env.ifname)} up`, () => c.link.set(contVeth.index, { up: true }));
    }
    // The bridge MAC may have changed when the first port came or its address was set.
    const brNow = await host.link.get(br.index);
    result.interfaces![0] = iface(brNow);
    if (conf.dns) result.dns = conf.dns;
    undo.length = 0;
    return result;
  } catch (err) {
    for (const u of undo.reverse()) {
      try { await u(); } catch { /* best effort: the ADD error is what matters */ }
    }
    throw err;
  } finally {
    cont?.close();
    host.close();
    ns.close();
  }
}

function trySysctlStrict(key: string): void {
  try {
    if (getSysctl(key) === 1) return;
    setSysctl(key, 1);
  } catch (err) {
    throw asCniError(err, CNI_ERR_NETLINK, 'failed to enable forwarding');
  }
}

/** The reference's ipam.ConfigureIface (with the DAD / arp_notify sysctls the bridge sets first). */
async function configureIface(c: RouteHandle, ns: Netns, ifname: string, result: CniResult, enableDad: boolean): Promise<void> {
  if (enableDad) {
    trySysctl(`net/ipv6/conf/${ifname}/enhanced_dad`, 1, ns);
    trySysctl(`net/ipv6/conf/${ifname}/accept_dad`, 1, ns);
  } else trySysctl(`net/ipv6/conf/${ifname}/accept_dad`, 0, ns);
  trySysctl(`net/ipv4/conf/${ifname}/arp_notify`, 1, ns);
  const link = await c.link.get(ifname);
  let v4gw: string | undefined, v6gw: string | undefined;
  let v6done = false;
  for (const ipc of result.ips ?? []) {
    if (ipc.interface === undefined) continue;
    if (result.interfaces?.[ipc.interface]?.name !== ifname) throw new CniError(CNI_INVALID_CONFIG, `failed to add IP addr ${ipc.address} to ${JSON.stringify(ifname)}: invalid interface index`);
    const v6 = ipc.address.includes(':');
    if (v6 && !v6done) {
      for (const dev of ['lo', ifname]) {
        const key = `net/ipv6/conf/${dev}/disable_ipv6`;
        try {
          if (getSysctl(key, { netns: ns }) !== 0) setSysctl(key, 0, { netns: ns });
        } catch {
          // no IPv6 sysctl: the address add below says what is wrong
        }
      }
      v6done = true;
    }
    // IPv4 with the broadcast address set, as vishvananda/netlink's AddrAdd does.
    await c.addr.add({ dev: link.index, address: ipc.address, ...(v6 ? {} : { broadcast: '+' }) });
    if (ipc.gateway !== undefined) {
      if (ipc.gateway.includes(':')) v6gw ??= ipc.gateway;
      else v4gw ??= ipc.gateway;
    }
  }
  await c.link.set(link.index, { up: true });
  for (const r of result.routes ?? []) {
    const v6 = r.dst.includes(':');
    const gw = r.gw ?? (v6 ? v6gw : v4gw);
    await c.route.add(routeSpec(r, gw, link.index), { append: true });
  }
}

function routeSpec(r: CniRoute, gw: string | undefined, dev: number) {
  return {
    dst: r.dst, dev, ...(gw ? { via: gw } : {}),
    ...(r.priority !== undefined ? { metric: r.priority } : {}), ...(r.table !== undefined ? { table: r.table } : {}),
    ...(r.scope !== undefined ? { scope: r.scope } : {}), ...(r.mtu !== undefined ? { mtu: r.mtu } : {}), ...(r.advmss !== undefined ? { advmss: r.advmss } : {}),
  };
}

/** The reference waits up to ~2.5 s for the bridge port to be operationally up. */
async function waitUp(h: RouteHandle, name: string): Promise<void> {
  for (const ms of [0, 50, 500, 1000, 1000]) {
    if (ms) await sleep(ms);
    if ((await h.link.get(name)).operstate === 'UP') return;
  }
  throw new CniError(CNI_ERR_NETLINK, `bridge port ${name} in error state (not operationally up)`);
}

/** DEL: best effort and idempotent — a missing netns or interface is success. */
export async function bridgeDel(conf: BridgeConf, stdin: string, env: CniEnv): Promise<void> {
  const l3 = typeof conf.ipam?.['type'] === 'string' && conf.ipam['type'] !== '';
  if (env.netns !== '') {
    let ns: Netns | undefined;
    try {
      ns = Netns.open({ path: env.netns });
    } catch (err) {
      if (!(err instanceof NetnsNotFoundError || err instanceof NotANetnsError)) throw asCniError(err, CNI_ERR_NETLINK, `failed to open netns ${JSON.stringify(env.netns)}`);
    }
    if (ns) {
      const c = RouteHandle.open({ netns: ns });
      try {
        await c.link.del(env.ifname);
      } catch (err) {
        if (!enoent(err)) throw asCniError(err, CNI_ERR_NETLINK, `failed to delete ${JSON.stringify(env.ifname)}`);
      } finally {
        c.close();
        ns.close();
      }
    }
  }
  if (l3) ipamDel(conf, stdin, env);
  const kinds = [...(conf.ipMasq ? ['masq' as const] : []), ...(conf.macspoofchk ? ['spoofchk' as const] : [])];
  if (kinds.length) {
    const fw = await firewall();
    fw.deleteRules(kinds, fw.sameAttachment({ net: conf.name, id: env.containerId, ifname: env.ifname }));
  }
}

const checkFail = (msg: string) => new CniError(CNI_ERR_CHECK, msg);

/** CHECK against prevResult: bridge, veth pair, container addresses and routes, IPAM, masquerade. */
export async function bridgeCheck(conf: BridgeConf, stdin: string, env: CniEnv): Promise<void> {
  const prev = conf.prevResult;
  if (!prev) throw new CniError(CNI_INVALID_CONFIG, 'Required prevResult missing');
  const l3 = typeof conf.ipam?.['type'] === 'string' && conf.ipam['type'] !== '';
  if (l3) ipamCheck(conf, stdin, env);
  const ifs = prev.interfaces ?? [];
  const brI = ifs.find((i) => i.name === conf.bridge);
  const contIdx = ifs.findIndex((i) => i.name === env.ifname && i.sandbox === env.netns);
  const contI = ifs[contIdx];
  if (!brI) throw checkFail(`prevResult has no interface for bridge ${JSON.stringify(conf.bridge)}`);
  if (!contI) throw checkFail(`Sandbox in prevResult doesn't match configured netns: ${env.netns}`);
  const ns = openNetns(env.netns);
  const host = RouteHandle.open();
  const c = RouteHandle.open({ netns: ns });
  try {
    const br = await getLink(host, conf.bridge);
    if (!br) throw checkFail(`Interface name ${conf.bridge} not found`);
    if (br.kind !== 'bridge') throw checkFail(`Interface ${conf.bridge} does not have link type of bridge`);
    if (brI.mac && brI.mac !== br.address) throw checkFail(`Bridge interface ${conf.bridge} Mac doesn't match: ${brI.mac}`);
    if (!!(br.rawFlags & IFF_PROMISC) !== conf.promiscMode) throw checkFail(`Bridge interface ${conf.bridge} configured Promisc Mode ${conf.promiscMode} doesn't match current state`);
    const cl = await getLink(c, env.ifname);
    if (!cl) throw checkFail(`Interface name ${env.ifname} not found in ${env.netns}`);
    if (cl.kind !== 'veth') throw checkFail(`Container interface ${env.ifname} not of type veth`);
    if (contI.mac && contI.mac !== cl.address) throw checkFail(`Interface ${env.ifname} Mac ${contI.mac} doesn't match container Mac: ${cl.address}`);
    const peer = cl.attrs.link;
    const hostVeths = ifs.filter((i) => !i.sandbox && i.name !== conf.bridge);
    let found = false;
    for (const hi of hostVeths) {
      const l = await getLink(host, hi.name);
      if (!l || l.kind !== 'veth' || l.index !== peer || l.masterIndex !== br.index) continue;
      if (hi.mac && hi.mac !== l.address) throw checkFail(`Interface ${hi.name} Mac doesn't match: ${hi.mac}`);
      found = true;
    }
    if (!found) throw checkFail(`no host veth of ${env.ifname} on bridge ${conf.bridge} found among the prevResult interfaces`);
    const have = (await c.addr.list({ dev: cl.index })).map((a) => `${a.address}/${a.prefixlen}`);
    const ips = (prev.ips ?? []).filter((x) => x.interface === contIdx);
    for (const ip of ips) {
      const n = parseIpNet(ip.address);
      if (!n || !have.some((h) => { const x = parseIpNet(h); return !!x && sameIp(x.ip, n.ip) && x.len === n.len; })) {
        throw checkFail(`Failed to match addr ${ip.address} on interface ${env.ifname}`);
      }
    }
    const routes = await c.route.list({});
    for (const r of prev.routes ?? []) {
      const dst = parseIpNet(r.dst);
      const ok = routes.some((x) => {
        const d = x.dst === 'default' || x.dst === undefined ? parseIpNet(dst?.ip.v6 ? '::/0' : '0.0.0.0/0') : parseIpNet(String(x.dst).includes('/') ? x.dst : `${x.dst}/${String(x.dst).includes(':') ? 128 : 32}`);
        if (!d || !dst || !sameIp(d.ip, dst.ip) || d.len !== dst.len) return false;
        return r.gw === undefined || sameIp(parseIp(x.gateway), parseIp(r.gw));
      });
      if (!ok) throw checkFail(`Failed to match route ${r.dst}${r.gw ? ` via ${r.gw}` : ''} on interface ${env.ifname}`);
    }
    if (conf.ipMasq && l3) {
      const fw = await firewall();
      const n = fw.findRules(['masq'], fw.sameAttachment({ net: conf.name, id: env.containerId, ifname: env.ifname })).length;
      if (n < ips.length) throw checkFail(`masquerade rules of ${env.containerId}: ${n} found, ${ips.length} expected`);
    }
  } finally {
    c.close();
    host.close();
    ns.close();
  }
}
