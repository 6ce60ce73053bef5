/** GC (CNI 1.1): drop IPAM reservations and nftables rules of attachments the runtime no longer knows. */
import type { NetConf } from './config.js';
import type { CniEnv } from './env.js';
import { CNI_ERR_NETLINK, CNI_INVALID_CONFIG, CniError } from './errors.js';
import { ipamGc } from './ipam.js';

export interface ValidAttachment { readonly containerID: string; readonly ifname: string }

export function validAttachments(conf: NetConf): ValidAttachment[] {
  const v = conf.raw['cni.dev/valid-attachments'] ?? [];
  if (!Array.isArray(v)) throw new CniError(CNI_INVALID_CONFIG, 'cni.dev/valid-attachments: expected an array');
  return v.map((a, i) => {
    const o = a as Record<string, unknown>;
    if (!o || typeof o['containerID'] !== 'string' || typeof o['ifname'] !== 'string') {
      throw new CniError(CNI_INVALID_CONFIG, `cni.dev/valid-attachments[${i}]: expected { containerID, ifname }`);
    }
    return { containerID: o['containerID'], ifname: o['ifname'] };
  });
}

/** GC for either plugin type: IPAM (when configured) and this network's rules of `kinds`. */
export async function gc(conf: NetConf, stdin: string, env: CniEnv, kinds: ReadonlyArray<'masq' | 'portmap' | 'spoofchk'>): Promise<void> {
  const valid = validAttachments(conf);
  const errors: string[] = [];
  if (conf.ipam?.['type']) {
    try { ipamGc(conf, stdin, env, valid); } catch (err) { errors.push((err as Error).message); }
  }
  if (kinds.length) {
    const keep = new Set(valid.map((a) => `${a.containerID}\n${a.ifname}`));
    const fw = await import('./firewall.js');
    try {
      fw.deleteRules(kinds, (t) => t.net === conf.name && !keep.has(`${t.id}\n${t.ifname}`));
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length) throw new CniError(CNI_ERR_NETLINK, `GC: ${errors.join('; ')}`);
}
