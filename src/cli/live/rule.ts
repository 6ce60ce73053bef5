/** `netlink-dump rule`: policy routing rules, like `ip rule` / `ip -j rule`. */
import type { Io } from '../io.js';
import { LIVE_HELP, liveArgs, openHandle } from './common.js';
import { ruleJson, ruleText } from './shape.js';

export const HELP = `usage: netlink-dump rule [OPTIONS]

Policy routing rules in priority order, both families unless -4/-6 (each family under its
own "IPv4:" / "IPv6:" heading when both are shown); --json as ip -j rule show.

${LIVE_HELP}`;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = liveArgs(argv, 'rule', []);
  if (args.parsed.help) { io.out(HELP); return 0; }
  const h = await openHandle(args.netns);
  try {
    const rules = await h.rule.list(args.family ? { family: args.family } : undefined);
    if (args.json) io.out(JSON.stringify(rules.map((r) => ruleJson(r, args.details))));
    else if (rules.length) {
      const text = (list: typeof rules): string => list.map((r) => ruleText(r, args.details).replace(': ', ':\t')).join('\n');
      if (args.family) io.out(text(rules));
      else io.out(([4, 6] as const).filter((f) => rules.some((r) => r.family === f)).map((f) => `IPv${f}:\n${text(rules.filter((r) => r.family === f))}`).join('\n'));
    }
    return 0;
  } finally {
    h.close();
  }
}
