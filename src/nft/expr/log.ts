/** log: log the packet (`enum nft_log_attributes`, `enum nft_log_level`). */
import { be16, be32, enumOf, string0 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { exprModule, flagsText } from './module.js';

export const LOG_LEVEL_NAMES: Readonly<Record<number, string>> = {
  0: 'emerg', 1: 'alert', 2: 'crit', 3: 'err', 4: 'warn', 5: 'notice', 6: 'info', 7: 'debug', 8: 'audit',
};

export const NFTA_LOG = attrs('NFTA_LOG', {
  NFTA_LOG_GROUP: { type: 1, key: 'group', kind: be16 },
  NFTA_LOG_PREFIX: { type: 2, key: 'prefix', kind: string0 },
  NFTA_LOG_SNAPLEN: { type: 3, key: 'snaplen', kind: be32 },
  NFTA_LOG_QTHRESHOLD: { type: 4, key: 'qthreshold', kind: be16 },
  NFTA_LOG_LEVEL: { type: 5, key: 'level', kind: enumOf(be32, LOG_LEVEL_NAMES) },
  // NF_LOG_* (<linux/netfilter/nf_log.h>): TCPSEQ 0x1, TCPOPT 0x2, IPOPT 0x4, UID 0x8, MACDECODE 0x20.
  NFTA_LOG_FLAGS: { type: 6, key: 'flags', kind: be32 },
});
export type LogData = AttrValues<typeof NFTA_LOG.spec>;

export const log = exprModule('log', NFTA_LOG, (d) => {
  let s = 'log';
  if (d.prefix !== undefined) s += ` prefix ${d.prefix}`;
  if (d.group !== undefined) s += ` group ${d.group} snaplen ${d.snaplen ?? 0} qthreshold ${d.qthreshold ?? 0}`;
  if (d.level !== undefined) s += ` level ${d.level}`;
  return s + flagsText(d.flags);
});
