/** redir: destination NAT to the local machine (`enum nft_redir_attributes`). */
import { be32 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { reg } from '../kinds.js';
import { exprModule, flagsText } from './module.js';

export const NFTA_REDIR = attrs('NFTA_REDIR', {
  NFTA_REDIR_REG_PROTO_MIN: { type: 1, key: 'regProtoMin', kind: reg },
  NFTA_REDIR_REG_PROTO_MAX: { type: 2, key: 'regProtoMax', kind: reg },
  NFTA_REDIR_FLAGS: { type: 3, key: 'flags', kind: be32 },
});
export type RedirData = AttrValues<typeof NFTA_REDIR.spec>;

export const redir = exprModule('redir', NFTA_REDIR, (d) =>
  `redir${d.regProtoMin !== undefined ? ` proto_min reg ${d.regProtoMin}` : ''}${d.regProtoMax !== undefined ? ` proto_max reg ${d.regProtoMax}` : ''}${flagsText(d.flags)}`);
