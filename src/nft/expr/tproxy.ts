/** tproxy: transparently redirect to a local socket (`enum nft_tproxy_attributes`). */
import { be32, enumOf } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { NFPROTO_NAMES } from '../nfgenmsg.js';
import { reg } from '../kinds.js';
import { exprModule } from './module.js';

export const NFTA_TPROXY = attrs('NFTA_TPROXY', {
  NFTA_TPROXY_FAMILY: { type: 1, key: 'family', kind: enumOf(be32, NFPROTO_NAMES) },
  NFTA_TPROXY_REG_ADDR: { type: 2, key: 'regAddr', kind: reg },
  NFTA_TPROXY_REG_PORT: { type: 3, key: 'regPort', kind: reg },
});
export type TproxyData = AttrValues<typeof NFTA_TPROXY.spec>;

export const tproxy = exprModule('tproxy', NFTA_TPROXY, (d) =>
  `tproxy family ${d.family}${d.regAddr !== undefined ? ` addr reg ${d.regAddr}` : ''}${d.regPort !== undefined ? ` port reg ${d.regPort}` : ''}`);
