/** flow_offload: add the flow to a flowtable (`flow add @ft`; `enum nft_flow_attributes`). */
import { string0 } from '../../netlink/kinds.js';
import { attrs, type AttrValues } from '../../netlink/schema.js';
import { exprModule } from './module.js';

export const NFTA_FLOW = attrs('NFTA_FLOW', {
  NFTA_FLOW_TABLE_NAME: { type: 1, key: 'table', kind: string0 },
});
export type FlowData = AttrValues<typeof NFTA_FLOW.spec>;

export const flowOffload = exprModule('flow_offload', NFTA_FLOW, (d) => `flow_offload ${d.table}`);
