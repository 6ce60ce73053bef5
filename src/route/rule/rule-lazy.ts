/**
 * Rule dump entries decoded on access (src/netlink/lazy.ts): the Rule fields come from the
 * FRA_* attributes ruleOf() reads, and `attrs` is decoded the first time it is read.
 */
import { lazyKind } from '../../netlink/lazy.js';
import { RTM_NEWRULE, rtnetlink } from '../protocol.js';
import { type Rule, ruleOf } from './rule.js';

/** The lazy Rule kind: readers for `rule.list()` / `rule.stream()`. */
export const lazyRules = lazyKind<Rule, undefined>('Rule', () => ({
  schema: rtnetlink.schema(RTM_NEWRULE)!,
  pick: [
    'priority', 'src', 'dst', 'fwmark', 'fwmask', 'iifname', 'oifname', 'table', 'goto', 'protocol', 'uidRange', 'ipProto', 'sportRange',
    'dportRange', 'suppressPrefixlen', 'suppressIfgroup', 'l3mdev', 'flow',
  ],
  build: (h, a) => ruleOf(h, a),
}));
