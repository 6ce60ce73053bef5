/** inner: match inside a tunnel's inner headers (`enum nft_inner_attributes`; kernel 6.2+, nft 1.0.7+). */
import { be32 } from '../../netlink/kinds.js';
import { attrs, nested, type AttrValues } from '../../netlink/schema.js';
import { NFTA_EXPR } from '../expr.schema.js';
import type { AttrSet, Spec } from '../../netlink/schema.js';

/** A nested expression (typed loosely: its own table is defined by the registry this file is part of). */
const anyExpr = (): AttrSet<Spec> => NFTA_EXPR as unknown as AttrSet<Spec>;
import { exprModule } from './module.js';

export const NFTA_INNER = attrs('NFTA_INNER', {
  NFTA_INNER_NUM: { type: 1, key: 'num', kind: be32 },
  // NFT_INNER_UNSPEC 0, VXLAN 1, GENEVE 2.
  NFTA_INNER_TYPE: { type: 2, key: 'type', kind: be32 },
  NFTA_INNER_FLAGS: { type: 3, key: 'flags', kind: be32 },
  NFTA_INNER_HDRSIZE: { type: 4, key: 'hdrsize', kind: be32 },
  NFTA_INNER_EXPR: { type: 5, key: 'expr', kind: nested(anyExpr) },
});
export type InnerData = AttrValues<typeof NFTA_INNER.spec>;

export const inner = exprModule('inner', NFTA_INNER, (d) => `inner type ${d.type ?? 0} hdrsize ${d.hdrsize ?? 0} flags ${d.flags ?? 0} ${d.expr?.name ?? ''}`);
