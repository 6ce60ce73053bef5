/** `netlink-dump nft`: the nftables ruleset, like `nft list ruleset` / `nft -j list ruleset`. */
import type { NftHandle } from '../../nft/handle.js';
import { bool, parse, str } from '../args.js';
import { CliError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { LIVE_OPTIONS, namespaceError } from './common.js';
import { rulesetJson, rulesetText } from './nft-text.js';

export const HELP = `usage: netlink-dump nft [OPTIONS]

The whole nftables ruleset in nft syntax, byte for byte as nft 1.0 list ruleset prints it:
tables (flags, comments), named sets and maps (typeof, size, timeouts, flags, elements with
their options), named objects (counters, quotas, limits, ct helpers and timeouts, synproxies),
chains and rules. A rule with an expression nft cannot print either prints as a comment with
its expressions as nft --debug=netlink shows them.

Namespace (default: this process's):
  -n, --netns NAME|PATH  a namespace made by ip netns add (/run/netns/NAME), or a path
      --pid PID          the namespace of process PID (/proc/PID/ns/net)
Output:
  -a, --handle           add "# handle N" to tables, chains, sets and rules (nft -a)
  -j, --json             as nft -j list ruleset prints it, without its metainfo object
                         (a rule nft could not print has each expression as
                         {"expr": {"name", "debug"}})
  -h, --help             this text`;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const p = parse(argv, { netns: LIVE_OPTIONS['netns']!, pid: LIVE_OPTIONS['pid']!, json: LIVE_OPTIONS['json']!, handle: { type: 'boolean', short: 'a' } }, 'nft');
  if (p.help) { io.out(HELP); return 0; }
  const ns = str(p, 'netns');
  const pid = str(p, 'pid');
  if (ns !== undefined && pid !== undefined) throw new UsageError('nft: --netns and --pid exclude each other');
  if (pid !== undefined && !/^[1-9]\d*$/.test(pid)) throw new UsageError(`nft: --pid takes a process id, got "${pid}"`);
  if (ns === '') throw new UsageError('nft: --netns needs a name or path');
  if (p.positionals.length) throw new UsageError(`nft: unexpected argument "${p.positionals[0]}" (this command takes no filters)`);
  const netns = pid !== undefined ? `/proc/${pid}/ns/net` : ns;

  const { NftHandle } = await import('../../nft/handle.js');
  let h: NftHandle;
  try {
    h = NftHandle.open(netns === undefined ? {} : { netns });
  } catch (err) {
    throw namespaceError(err, netns);
  }
  try {
    let rs: Awaited<ReturnType<NftHandle['list']>>;
    try {
      rs = await h.list();
    } catch (err) {
      if ((err as { code?: string }).code === 'EPERM') {
        throw new CliError(`nft: ${(err as Error).message} — reading the nftables ruleset needs CAP_NET_ADMIN in the namespace's user namespace (nft list ruleset needs it too): run as root, e.g. sudo netlink-dump nft`, 1, { cause: err });
      }
      throw err;
    }
    if (bool(p, 'json')) io.out(JSON.stringify(rulesetJson(rs)));
    else {
      const text = rulesetText(rs, bool(p, 'handle'));
      if (text) io.out(text);
    }
    return 0;
  } finally {
    h.close();
  }
}
