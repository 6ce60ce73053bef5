/**
 * CNI results (SPEC.md section 5) and the conversions between spec versions this plugin speaks:
 * 0.3.0 / 0.3.1 / 0.4.0 (each IP carries `version`) and 1.0.0 / 1.1.0 (it does not).
 * Internally a result is always the 1.x shape.
 */
import { CNI_DECODE_FAILURE, CNI_INCOMPATIBLE_VERSION, CniError } from './errors.js';

/** What VERSION reports. 0.1.0/0.2.0 (a different result shape) are not spoken. */
export const SUPPORTED_VERSIONS = ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] as const;

export interface CniInterface {
  name: string;
  mac?: string;
  /** 1.1.0: the interface MTU. */
  mtu?: number;
  sandbox?: string;
  socketPath?: string;
  pciID?: string;
}

export interface CniIpConfig {
  /** Index into `interfaces`. */
  interface?: number;
  address: string;
  gateway?: string;
}

export interface CniRoute {
  dst: string;
  gw?: string;
  mtu?: number;
  advmss?: number;
  priority?: number;
  table?: number;
  scope?: number;
}

export interface CniDns {
  nameservers?: string[];
  domain?: string;
  search?: string[];
  options?: string[];
}

export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIpConfig[];
  routes?: CniRoute[];
  dns?: CniDns;
}

/** Compare dotted versions: <0, 0, >0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function checkVersion(v: unknown, field = 'cniVersion'): string {
  if (typeof v !== 'string' || !/^\d+\.\d+\.\d+$/.test(v)) {
    throw new CniError(CNI_DECODE_FAILURE, `${field}: ${JSON.stringify(v)} is not a version (x.y.z)`);
  }
  if (!(SUPPORTED_VERSIONS as readonly string[]).includes(v)) {
    throw new CniError(CNI_INCOMPATIBLE_VERSION, `incompatible CNI versions; config is ${JSON.stringify(v)}, plugin supports ${JSON.stringify(SUPPORTED_VERSIONS)}`);
  }
  return v;
}

/**
 * A result (a prevResult, or a delegated IPAM plugin's output) in the internal 1.x shape.
 * `version` keys of 0.3.x/0.4.0 IPs are dropped; anything malformed is a decode failure.
 */
export function parseResult(raw: unknown, field: string): CniResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new CniError(CNI_DECODE_FAILURE, `${field}: expected a result object`);
  const r = raw as Record<string, unknown>;
  const v = typeof r['cniVersion'] === 'string' ? r['cniVersion'] : '1.0.0';
  if (compareVersions(v, '0.3.0') < 0) throw new CniError(CNI_INCOMPATIBLE_VERSION, `${field}: result version ${v} is not supported (0.3.0 or later)`);
  const list = (k: string): unknown[] => {
    const x = r[k];
    if (x === undefined || x === null) return [];
    if (!Array.isArray(x)) throw new CniError(CNI_DECODE_FAILURE, `${field}.${k}: expected an array`);
    return x;
  };
  const obj = (x: unknown, path: string): Record<string, unknown> => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) throw new CniError(CNI_DECODE_FAILURE, `${path}: expected an object`);
    return x as Record<string, unknown>;
  };
  const str = (o: Record<string, unknown>, k: string, path: string, required = false): string | undefined => {
    const x = o[k];
    if (x === undefined || (x === '' && !required)) {
      if (required) throw new CniError(CNI_DECODE_FAILURE, `${path}.${k}: missing`);
      return undefined;
    }
    if (typeof x !== 'string') throw new CniError(CNI_DECODE_FAILURE, `${path}.${k}: expected a string`);
    return x;
  };
  const num = (o: Record<string, unknown>, k: string, path: string): number | undefined => {
    const x = o[k];
    if (x === undefined) return undefined;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) throw new CniError(CNI_DECODE_FAILURE, `${path}.${k}: expected a non-negative integer`);
    return x;
  };
  const out: CniResult = { cniVersion: v };
  const ifs = list('interfaces').map((x, i) => {
    const p = `${field}.interfaces[${i}]`, o = obj(x, p);
    const itf: CniInterface = { name: str(o, 'name', p, true)! };
    for (const k of ['mac', 'sandbox', 'socketPath', 'pciID'] as const) { const s = str(o, k, p); if (s !== undefined) itf[k] = s; }
    const mtu = num(o, 'mtu', p); if (mtu !== undefined) itf.mtu = mtu;
    return itf;
  });
  if (r['interfaces'] !== undefined) out.interfaces = ifs;
  out.ips = list('ips').map((x, i) => {
    const p = `${field}.ips[${i}]`, o = obj(x, p);
    const ip: CniIpConfig = { address: str(o, 'address', p, true)! };
    const itf = num(o, 'interface', p); if (itf !== undefined) ip.interface = itf;
    const gw = str(o, 'gateway', p); if (gw !== undefined) ip.gateway = gw;
    return ip;
  });
  out.routes = list('routes').map((x, i) => {
    const p = `${field}.routes[${i}]`, o = obj(x, p);
    const rt: CniRoute = { dst: str(o, 'dst', p, true)! };
    const gw = str(o, 'gw', p); if (gw !== undefined) rt.gw = gw;
    for (const k of ['mtu', 'advmss', 'priority', 'table', 'scope'] as const) { const n = num(o, k, p); if (n !== undefined) rt[k] = n; }
    return rt;
  });
  if (r['dns'] !== undefined && r['dns'] !== null) out.dns = obj(r['dns'], `${field}.dns`) as CniDns;
  return out;
}

/** The result as `version` prints it (0.3.x/0.4.0 put `version` on each IP; 1.0.0 drops 1.1.0's interface `mtu`). */
export function formatResult(r: CniResult, version: string): Record<string, unknown> {
  const old = compareVersions(version, '1.0.0') < 0;
  const v11 = compareVersions(version, '1.1.0') >= 0;
  const out: Record<string, unknown> = { cniVersion: version };
  if (r.interfaces) out['interfaces'] = r.interfaces.map((i) => (v11 || i.mtu === undefined ? i : (({ mtu: _m, ...rest }) => rest)(i)));
  if (r.ips && r.ips.length) {
    out['ips'] = r.ips.map((ip) => (old ? { version: ip.address.includes(':') ? '6' : '4', ...ip } : ip));
  }
  if (r.routes && r.routes.length) out['routes'] = r.routes;
  out['dns'] = r.dns ?? {};
  return out;
}
