/** `netlink-dump fdb`: the bridge forwarding database, like `bridge fdb show` / `bridge -j fdb show`. */
import type { FdbEntry } from '../../route/fdb/fdb.js';
import type { Io } from '../io.js';
import { LIVE_HELP, liveArgs, openHandle } from './common.js';
import type { Json } from './shape.js';

export const HELP = `usage: netlink-dump fdb [OPTIONS] [dev NAME]

Forwarding database entries of bridges and VXLAN devices (bridge fdb show); --json as
bridge -j fdb show.

${LIVE_HELP}`;

/** One entry as `bridge -j fdb show` prints it (bridge/fdb.c print_fdb()). */
export function fdbJson(e: FdbEntry): Json {
  const o: Json = { mac: e.mac, ifname: e.dev };
  if (e.vlan !== undefined) o['vlan'] = e.vlan;
  if (e.dst !== undefined) o['dst'] = e.dst;
  if (e.port !== undefined) o['port'] = e.port;
  if (e.vni !== undefined) o['vni'] = e.vni;
  if (e.srcVni !== undefined) o['src_vni'] = e.srcVni;
  if (e.via !== undefined) o['viaIf'] = e.via;
  o['flags'] = [...e.flags];
  if (e.master !== undefined) o['master'] = e.master;
  o['state'] = e.state;
  return o;
}

/** One entry as a `bridge fdb show` line. */
export function fdbText(e: FdbEntry): string {
  const j = fdbJson(e);
  const parts = [String(j['mac']), 'dev', String(j['ifname'])];
  if (j['vlan'] !== undefined) parts.push('vlan', String(j['vlan']));
  if (j['dst'] !== undefined) parts.push('dst', String(j['dst']));
  if (j['port'] !== undefined) parts.push('port', String(j['port']));
  if (j['vni'] !== undefined) parts.push('vni', String(j['vni']));
  if (j['src_vni'] !== undefined) parts.push('src_vni', String(j['src_vni']));
  if (j['viaIf'] !== undefined) parts.push('via', String(j['viaIf']));
  parts.push(...(j['flags'] as string[]));
  if (j['master'] !== undefined) parts.push('master', String(j['master']));
  if (j['state']) parts.push(String(j['state']));
  return parts.join(' ');
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = liveArgs(argv, 'fdb', ['dev']);
  if (args.parsed.help) { io.out(HELP); return 0; }
  const h = await openHandle(args.netns);
  try {
    const entries = await h.fdb.list(args.filters['dev'] !== undefined ? { dev: args.filters['dev'] } : {});
    if (args.json) io.out(JSON.stringify(entries.map(fdbJson)));
    else if (entries.length) io.out(entries.map(fdbText).join('\n'));
    return 0;
  } finally {
    h.close();
  }
}
