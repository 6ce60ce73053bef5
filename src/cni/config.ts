/**
 * Network configuration (SPEC.md section 1) as this plugin reads it: the common keys, the
 * reference `bridge` plugin's keys, `prevResult`, `runtimeConfig` and `args`. Every check runs
 * before any system call; a wrong key names itself (code 7, or 2 for a key the kernel here
 * cannot honour).
 */
import { CNI_DECODE_FAILURE, CNI_INVALID_CONFIG, CNI_UNSUPPORTED_FIELD, CniError } from './errors.js';
import { checkVersion, type CniDns, type CniResult, parseResult } from './result.js';
import { checkIfname } from '../route/devname.js';

/** Network names as the spec allows them (same rule as container ids). */
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export interface NetConf {
  readonly cniVersion: string;
  readonly name: string;
  readonly type: string;
  readonly prevResult: CniResult | undefined;
  readonly runtimeConfig: Readonly<Record<string, unknown>>;
  readonly args: Readonly<Record<string, unknown>>;
  readonly dns: CniDns | undefined;
  readonly ipam: Readonly<Record<string, unknown>> | undefined;
  /** The whole object as parsed (delegated plugins get the original bytes). */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface BridgeConf extends NetConf {
  /** `bridge`; default `cni0` (as the reference). */
  readonly bridge: string;
  readonly isGateway: boolean;
  readonly isDefaultGateway: boolean;
  readonly forceAddress: boolean;
  readonly ipMasq: boolean;
  /** 0 = kernel default. */
  readonly mtu: number;
  readonly hairpinMode: boolean;
  readonly promiscMode: boolean;
  readonly macspoofchk: boolean;
  readonly enabledad: boolean;
  /** Container MAC from CNI_ARGS `MAC`, `args.cni.mac` or `runtimeConfig.mac` (last wins, as the reference). */
  readonly mac: string | undefined;
}

export function decodeJson(text: string, field = 'network configuration'): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new CniError(CNI_DECODE_FAILURE, `${field}: ${(err as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new CniError(CNI_DECODE_FAILURE, `${field}: expected a JSON object`);
  return v as Record<string, unknown>;
}

const bad = (msg: string) => new CniError(CNI_INVALID_CONFIG, msg);

function optBool(o: Record<string, unknown>, k: string): boolean {
  const v = o[k];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw bad(`${k}: expected true or false, got ${JSON.stringify(v)}`);
  return v;
}

function optObj(o: Record<string, unknown>, k: string): Record<string, unknown> | undefined {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(`${k}: expected an object`);
  return v as Record<string, unknown>;
}

/** The common part: cniVersion (supported?), name, type, prevResult, runtimeConfig, args, dns, ipam. */
export function parseNetConf(raw: Record<string, unknown>, opts: { readonly needName?: boolean } = {}): NetConf {
  const cniVersion = checkVersion(raw['cniVersion'] ?? '0.1.0');
  const name = raw['name'];
  if (opts.needName !== false || name !== undefined) {
    if (typeof name !== 'string' || !NAME_RE.test(name)) throw bad(`name: ${JSON.stringify(name)} is not a network name (alphanumerics, '_', '.', '-')`);
  }
  const type = raw['type'];
  if (type !== undefined && typeof type !== 'string') throw bad('type: expected a string');
  const prev = raw['prevResult'];
  const ipam = optObj(raw, 'ipam');
  if (ipam && ipam['type'] !== undefined && typeof ipam['type'] !== 'string') throw bad('ipam.type: expected a string');
  return {
    cniVersion,
    name: typeof name === 'string' ? name : '',
    type: typeof type === 'string' ? type : '',
    prevResult: prev === undefined || prev === null ? undefined : parseResult(prev, 'prevResult'),
    runtimeConfig: optObj(raw, 'runtimeConfig') ?? {},
    args: optObj(raw, 'args') ?? {},
    dns: optObj(raw, 'dns') as CniDns | undefined,
    ipam,
    raw,
  };
}

const MAC_RE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

/** The bridge plugin's configuration (reference plugins/main/bridge NetConf keys). */
export function parseBridgeConf(raw: Record<string, unknown>, cniArgs: ReadonlyMap<string, string>): BridgeConf {
  const base = parseNetConf(raw);
  const bridge = raw['bridge'] ?? 'cni0';
  if (typeof bridge !== 'string') throw bad('bridge: expected an interface name');
  try {
    checkIfname(bridge, 'bridge');
  } catch (err) {
    throw bad((err as Error).message);
  }
  const mtu = raw['mtu'] ?? 0;
  if (typeof mtu !== 'number' || !Number.isInteger(mtu) || mtu < 0 || mtu > 65535) throw bad(`mtu: ${JSON.stringify(mtu)} is not an MTU (0–65535)`);
  const vlan = raw['vlan'] ?? 0;
  if (typeof vlan !== 'number' || !Number.isInteger(vlan) || vlan < 0 || vlan > 4094) throw bad(`vlan: invalid VLAN ID ${JSON.stringify(vlan)} (must be between 0 and 4094)`);
  if (vlan !== 0) {
    throw new CniError(CNI_UNSUPPORTED_FIELD, `unsupported field vlan=${vlan}`, 'bridge VLAN filtering (IFLA_BR_VLAN_FILTERING) is not available in this kernel build');
  }
  const isDefaultGateway = optBool(raw, 'isDefaultGateway');
  const hairpinMode = optBool(raw, 'hairpinMode');
  const promiscMode = optBool(raw, 'promiscMode');
  if (hairpinMode && promiscMode) throw bad('cannot set hairpin mode and promiscuous mode at the same time');
  let mac: string | undefined;
  const envMac = cniArgs.get('MAC');
  if (envMac) mac = envMac;
  const argMac = (base.args['cni'] as Record<string, unknown> | undefined)?.['mac'];
  if (typeof argMac === 'string' && argMac) mac = argMac;
  const rtMac = base.runtimeConfig['mac'];
  if (typeof rtMac === 'string' && rtMac) mac = rtMac;
  if (mac !== undefined && !MAC_RE.test(mac)) throw bad(`mac: ${JSON.stringify(mac)} is not a MAC address`);
  return {
    ...base,
    bridge,
    isGateway: optBool(raw, 'isGateway') || isDefaultGateway,
    isDefaultGateway,
    forceAddress: optBool(raw, 'forceAddress'),
    ipMasq: optBool(raw, 'ipMasq'),
    mtu,
    hairpinMode,
    promiscMode,
    macspoofchk: optBool(raw, 'macspoofchk'),
    enabledad: optBool(raw, 'enabledad'),
    mac: mac?.toLowerCase(),
  };
}
