/**
 * Built-in IPAM compatible with the reference `host-local` plugin (containernetworking/plugins
 * plugins/ipam/host-local, v1.1.1): the same configuration keys (ranges / rangeStart / rangeEnd /
 * gateway / routes / dataDir / resolvConf, requested IPs from CNI_ARGS `IP`, `args.cni.ips` and
 * `runtimeConfig.ips`, `runtimeConfig.ipRanges`), the same round-robin allocation and the same
 * files, so the two can share one data directory:
 *
 *   <dataDir>/<network>/<ip>                 "<containerid>\r\n<ifname>"  (mode 0644, O_EXCL)
 *   <dataDir>/<network>/last_reserved_ip.<N> the last address handed out from range set N
 *   <dataDir>/<network>/lock                 flock(2)ed exclusively around every change (mode 0750, as go-filemutex)
 */
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, unlinkSync, writeFileSync, writeSync, constants as fsc } from 'node:fs';
import { join } from 'node:path';
import { LOCK_EX, LOCK_UN, O_CLOEXEC, libc } from '../ffi/libc.js';
import { CNI_ERR_IPAM, CNI_INVALID_CONFIG, CniError } from './errors.js';
import { type Ip, type IpNet, bits, contains, formatIp, maskOf, nextIp, parseIp, parseIpNet, sameIp } from './ip.js';
import type { CniDns, CniIpConfig, CniResult, CniRoute } from './result.js';

export const DEFAULT_DATA_DIR = '/var/lib/cni/networks';
const LINE_BREAK = '\r\n';
const LAST_IP_PREFIX = 'last_reserved_ip.';

export interface Range {
  readonly subnet: IpNet;
  readonly rangeStart: Ip;
  readonly rangeEnd: Ip;
  readonly gateway: Ip;
}
export type RangeSet = readonly Range[];

export interface HostLocalConf {
  readonly name: string;
  readonly ranges: readonly RangeSet[];
  readonly routes: readonly CniRoute[];
  readonly dataDir: string;
  readonly resolvConf: string | undefined;
  /** Requested addresses (CNI_ARGS IP, args.cni.ips, runtimeConfig.ips). */
  readonly requested: readonly Ip[];
}

const bad = (msg: string) => new CniError(CNI_INVALID_CONFIG, msg);

function inRange(r: Range, ip: Ip): boolean {
  return contains(r.subnet, ip) && ip.n >= r.rangeStart.n && ip.n <= r.rangeEnd.n;
}
const setContains = (s: RangeSet, ip: Ip): boolean => s.some((r) => inRange(r, ip));
const setText = (s: RangeSet): string => s.map((r) => `${formatIp(r.rangeStart)}-${formatIp(r.rangeEnd)}`).join(',');

function canonicalRange(o: unknown, path: string): Range {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw bad(`${path}: expected an object with a subnet`);
  const r = o as Record<string, unknown>;
  const subnet = parseIpNet(r['subnet']);
  if (!subnet) throw bad(`${path}.subnet: ${JSON.stringify(r['subnet'])} is not a CIDR subnet`);
  const width = bits(subnet.ip);
  if (subnet.len > width - 2) throw bad(`${path}: network ${r['subnet']} too small to allocate from`);
  const network = subnet.ip.n & maskOf(subnet.ip.v6, subnet.len);
  if (network !== subnet.ip.n) throw bad(`${path}: network has host bits set; for a subnet mask of length ${subnet.len} the network address is ${formatIp({ v6: subnet.ip.v6, n: network })}`);
  const opt = (k: string): Ip | undefined => {
    if (r[k] === undefined || r[k] === '') return undefined;
    const ip = parseIp(r[k]);
    if (!ip || ip.v6 !== subnet.ip.v6) throw bad(`${path}.${k}: ${JSON.stringify(r[k])} is not an IPv${subnet.ip.v6 ? 6 : 4} address`);
    return ip;
  };
  const gateway = opt('gateway') ?? nextIp(subnet.ip);
  const rangeStart = opt('rangeStart') ?? nextIp(subnet.ip);
  const hostMask = ((1n << BigInt(width)) - 1n) ^ maskOf(subnet.ip.v6, subnet.len);
  // The last address, minus the IPv4 broadcast.
  const rangeEnd = opt('rangeEnd') ?? { v6: subnet.ip.v6, n: (network | hostMask) - (subnet.ip.v6 ? 0n : 1n) };
  if (!contains(subnet, rangeStart)) throw bad(`${path}.rangeStart: ${formatIp(rangeStart)} not in network ${r['subnet']}`);
  if (!contains(subnet, rangeEnd)) throw bad(`${path}.rangeEnd: ${formatIp(rangeEnd)} not in network ${r['subnet']}`);
  return { subnet, rangeStart, rangeEnd, gateway };
}

function requestedIp(v: unknown, path: string): Ip {
  const text = typeof v === 'string' ? v.split('/')[0] : v;
  const ip = parseIp(text);
  if (!ip) throw bad(`${path}: cannot understand ip ${JSON.stringify(v)}`);
  return ip;
}

/** Parse the `ipam` section (plus the network's name, args and runtimeConfig) like LoadIPAMConfig. */
export function parseHostLocal(raw: Readonly<Record<string, unknown>>, cniArgs: ReadonlyMap<string, string>): HostLocalConf {
  const ipam = raw['ipam'] as Record<string, unknown> | undefined;
  if (!ipam || typeof ipam !== 'object') throw bad("IPAM config missing 'ipam' key");
  const requested: Ip[] = [];
  const envIp = cniArgs.get('IP');
  if (envIp) requested.push(requestedIp(envIp, 'CNI_ARGS IP'));
  const args = raw['args'] as Record<string, Record<string, unknown>> | undefined;
  const argIps = args?.['cni']?.['ips'];
  if (Array.isArray(argIps)) argIps.forEach((x, i) => requested.push(requestedIp(x, `args.cni.ips[${i}]`)));
  const rt = (raw['runtimeConfig'] ?? {}) as Record<string, unknown>;
  if (Array.isArray(rt['ips'])) rt['ips'].forEach((x, i) => requested.push(requestedIp(x, `runtimeConfig.ips[${i}]`)));

  const sets: unknown[][] = [];
  if (Array.isArray(rt['ipRanges'])) sets.push(...(rt['ipRanges'] as unknown[][]));
  if (ipam['subnet'] !== undefined) sets.push([{ subnet: ipam['subnet'], rangeStart: ipam['rangeStart'], rangeEnd: ipam['rangeEnd'], gateway: ipam['gateway'] }]);
  if (ipam['ranges'] !== undefined) {
    if (!Array.isArray(ipam['ranges'])) throw bad('ipam.ranges: expected an array of range sets');
    sets.push(...(ipam['ranges'] as unknown[][]));
  }
  if (!sets.length) throw bad('ipam: no IP ranges specified');
  const ranges = sets.map((s, i) => {
    if (!Array.isArray(s) || !s.length) throw bad(`ipam.ranges[${i}]: expected a non-empty array of ranges`);
    return s.map((r, j) => canonicalRange(r, `ipam.ranges[${i}][${j}]`));
  });
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const overlap = ranges[i]!.some((a) => ranges[j]!.some((b) => a.subnet.ip.v6 === b.subnet.ip.v6
        && (inRange(a, b.rangeStart) || inRange(a, b.rangeEnd) || inRange(b, a.rangeStart) || inRange(b, a.rangeEnd))));
      if (overlap) throw bad(`ipam: range set ${i} overlaps with ${j}`);
    }
  }
  const routes: CniRoute[] = [];
  if (ipam['routes'] !== undefined) {
    if (!Array.isArray(ipam['routes'])) throw bad('ipam.routes: expected an array');
    ipam['routes'].forEach((r, i) => {
      const o = r as Record<string, unknown>;
      if (!o || !parseIpNet(o['dst'])) throw bad(`ipam.routes[${i}].dst: expected a CIDR destination`);
      if (o['gw'] !== undefined && !parseIp(o['gw'])) throw bad(`ipam.routes[${i}].gw: ${JSON.stringify(o['gw'])} is not an address`);
      routes.push({ dst: o['dst'] as string, ...(o['gw'] !== undefined ? { gw: o['gw'] as string } : {}) });
    });
  }
  const dataDir = ipam['dataDir'];
  if (dataDir !== undefined && typeof dataDir !== 'string') throw bad('ipam.dataDir: expected a path');
  const resolvConf = ipam['resolvConf'];
  if (resolvConf !== undefined && typeof resolvConf !== 'string') throw bad('ipam.resolvConf: expected a path');
  const name = raw['name'];
  if (typeof name !== 'string' || name === '' || name.includes('/')) throw bad(`name: ${JSON.stringify(name)} cannot name a data directory`);
  return { name, ranges, routes, dataDir: dataDir || DEFAULT_DATA_DIR, resolvConf: resolvConf || undefined, requested };
}

/** The per-network directory, locked with flock(2) on its `lock` file while `fn` runs. */
export class Store {
  readonly dir: string;

  constructor(conf: Pick<HostLocalConf, 'name' | 'dataDir'>) {
    this.dir = join(conf.dataDir, conf.name);
  }

  /** mkdir -p the directory, take the lock, run, release. The lock file stays (as the reference's). */
  locked<T>(fn: () => T): T {
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    const fd = openSync(join(this.dir, 'lock'), fsc.O_RDONLY | fsc.O_CREAT | O_CLOEXEC, 0o750);
    const lib = libc();
    try {
      lib.flock(fd, LOCK_EX);
      try {
        return fn();
      } finally {
        lib.flock(fd, LOCK_UN);
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Create `<dir>/<ip>` with O_EXCL; false if taken. Records last_reserved_ip.<rangeId>. */
  reserve(id: string, ifname: string, ip: Ip, rangeId: number): boolean {
    const file = join(this.dir, formatIp(ip));
    let fd: number;
    try {
      fd = openSync(file, fsc.O_RDWR | fsc.O_EXCL | fsc.O_CREAT | O_CLOEXEC, 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    try {
      writeSync(fd, `${id.trim()}${LINE_BREAK}${ifname}`);
    } catch (err) {
      closeSync(fd);
      unlinkSync(file);
      throw err;
    }
    closeSync(fd);
    writeFileSync(join(this.dir, LAST_IP_PREFIX + rangeId), formatIp(ip), { mode: 0o644 });
    return true;
  }

  lastReserved(rangeId: number): Ip | undefined {
    try {
      return parseIp(readFileSync(join(this.dir, LAST_IP_PREFIX + rangeId), 'utf8'));
    } catch {
      return undefined;
    }
  }

  /** Every address file as [ip text, trimmed content]. */
  entries(): Array<[string, string]> {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: Array<[string, string]> = [];
    for (const n of names) {
      if (n === 'lock' || n.startsWith(LAST_IP_PREFIX)) continue;
      try {
        out.push([n, readFileSync(join(this.dir, n), 'utf8').trim()]);
      } catch {
        // a directory or a file that went away: not ours
      }
    }
    return out;
  }

  /** Addresses held by (id, ifname), or by id alone (files written by pre-0.7 host-local). */
  byId(id: string, ifname: string): Ip[] {
    const key = `${id.trim()}${LINE_BREAK}${ifname}`, old = id.trim();
    return this.entries().filter(([, c]) => c === key || c === old).flatMap(([n]) => { const ip = parseIp(n); return ip ? [ip] : []; });
  }

  /** Remove the files of (id, ifname) — or, if none, of id alone; returns how many went. */
  releaseById(id: string, ifname: string): number {
    const key = `${id.trim()}${LINE_BREAK}${ifname}`;
    let n = this.#release((c) => c === key);
    if (n === 0) n = this.#release((c) => c === id.trim());
    return n;
  }

  #release(match: (content: string) => boolean): number {
    let n = 0;
    for (const [name, content] of this.entries()) {
      if (!match(content)) continue;
      try {
        unlinkSync(join(this.dir, name));
        n++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return n;
  }

  /** GC: remove every reservation whose (id, ifname) is not in `valid`; returns the addresses freed. */
  releaseExcept(valid: ReadonlyArray<{ readonly containerID: string; readonly ifname: string }>): string[] {
    const keep = new Set<string>();
    for (const a of valid) { keep.add(`${a.containerID.trim()}${LINE_BREAK}${a.ifname}`); keep.add(a.containerID.trim()); }
    const freed: string[] = [];
    for (const [name, content] of this.entries()) {
      if (keep.has(content) || !parseIp(name)) continue;
      try {
        unlinkSync(join(this.dir, name));
        freed.push(name);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return freed;
  }
}

/** host-local's RangeIter: round-robin from last_reserved_ip + 1, skipping gateways, across a set's ranges. */
function* candidates(set: RangeSet, last: Ip | undefined): Generator<[Ip, Range]> {
  let idx = 0;
  let cur: Ip | undefined;
  let start: Ip | undefined;
  if (last && setContains(set, last)) {
    idx = set.findIndex((r) => inRange(r, last));
    cur = last;
  } else {
    start = set[0]!.rangeStart;
  }
  for (;;) {
    let r = set[idx]!;
    if (cur === undefined) {
      cur = r.rangeStart;
      start = cur;
    } else {
      if (sameIp(cur, r.rangeEnd)) {
        idx = (idx + 1) % set.length;
        r = set[idx]!;
        cur = r.rangeStart;
      } else cur = nextIp(cur);
      if (start === undefined) start = cur;
      else if (sameIp(cur, start)) return;
    }
    if (!sameIp(cur, r.gateway)) yield [cur, r];
  }
}

/** ADD: one address per range set (a requested one where it falls in the set), all or nothing. */
export function hostLocalAdd(conf: HostLocalConf, id: string, ifname: string, cniVersion: string): CniResult {
  const store = new Store(conf);
  const dns = conf.resolvConf ? parseResolvConf(conf.resolvConf) : undefined;
  const ips = store.locked(() => {
    const out: CniIpConfig[] = [];
    const requested = [...conf.requested];
    try {
      conf.ranges.forEach((set, idx) => {
        const want = requested.findIndex((ip) => setContains(set, ip));
        const ip = want >= 0 ? requested.splice(want, 1)[0] : undefined;
        let got: [Ip, Range] | undefined;
        if (ip) {
          const r = set.find((x) => inRange(x, ip))!;
          if (sameIp(ip, r.gateway)) throw new CniError(CNI_ERR_IPAM, `failed to allocate for range ${idx}: requested ip ${formatIp(ip)} is subnet's gateway`);
          if (!store.reserve(id, ifname, ip, idx)) throw new CniError(CNI_ERR_IPAM, `failed to allocate for range ${idx}: requested IP address ${formatIp(ip)} is not available in range set ${setText(set)}`);
          got = [ip, r];
        } else {
          for (const held of store.byId(id, ifname)) {
            if (setContains(set, held)) throw new CniError(CNI_ERR_IPAM, `failed to allocate for range ${idx}: ${formatIp(held)} has been allocated to ${id}, duplicate allocation is not allowed`);
          }
          for (const c of candidates(set, store.lastReserved(idx))) {
            if (store.reserve(id, ifname, c[0], idx)) { got = c; break; }
          }
          if (!got) throw new CniError(CNI_ERR_IPAM, `failed to allocate for range ${idx}: no IP addresses available in range set: ${setText(set)}`);
        }
        out.push({ address: `${formatIp(got[0])}/${got[1].subnet.len}`, gateway: formatIp(got[1].gateway) });
      });
      if (requested.length) throw new CniError(CNI_ERR_IPAM, `failed to allocate all requested IPs: ${requested.map(formatIp).join(' ')}`);
    } catch (err) {
      store.releaseById(id, ifname);
      throw err;
    }
    return out;
  });
  return { cniVersion, ips, routes: conf.routes.map((r) => ({ ...r })), ...(dns ? { dns } : {}) };
}

/** DEL: release every address of (id, ifname); a missing directory is success. */
export function hostLocalDel(conf: HostLocalConf, id: string, ifname: string): void {
  const store = new Store(conf);
  store.locked(() => store.releaseById(id, ifname));
}

/** CHECK: at least one address reserved for the container (as the reference checks). */
export function hostLocalCheck(conf: HostLocalConf, id: string, ifname: string): void {
  const store = new Store(conf);
  const held = store.locked(() => store.byId(id, ifname));
  if (!held.length) throw new CniError(CNI_ERR_IPAM, `host-local: failed to find address added by container ${id}`);
}

/** GC: free reservations of attachments not in `valid`. */
export function hostLocalGc(conf: HostLocalConf, valid: ReadonlyArray<{ readonly containerID: string; readonly ifname: string }>): string[] {
  const store = new Store(conf);
  return store.locked(() => store.releaseExcept(valid));
}

/** STATUS: code 50 when every range set is full. */
export function hostLocalFree(conf: HostLocalConf): boolean {
  const store = new Store(conf);
  const taken = store.entries().flatMap(([n]) => { const ip = parseIp(n); return ip ? [ip] : []; });
  // Count, never enumerate: an IPv6 range holds up to 2^64 addresses.
  return conf.ranges.every((set) => {
    const size = set.reduce((n, r) => n + (r.rangeEnd.n - r.rangeStart.n + 1n) - (inRange(r, r.gateway) ? 1n : 0n), 0n);
    return BigInt(taken.filter((ip) => setContains(set, ip)).length) < size;
  });
}

/** `nameserver`, `domain`, `search`, `options` lines of a resolv.conf. */
export function parseResolvConf(path: string): CniDns {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CniError(CNI_INVALID_CONFIG, `ipam.resolvConf: cannot read ${path}: ${(err as Error).message}`);
  }
  const dns: CniDns = {};
  for (const line of text.split('\n')) {
    const [k, ...v] = line.trim().split(/\s+/);
    if (k === 'nameserver' && v[0]) (dns.nameservers ??= []).push(v[0]);
    else if (k === 'domain' && v[0]) dns.domain = v[0];
    else if (k === 'search') dns.search = v;
    else if (k === 'options') (dns.options ??= []).push(...v);
  }
  return dns;
}
