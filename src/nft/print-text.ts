/**
 * nft-JSON statements (print.ts) rendered as nft syntax: `ip saddr != { 10.0.0.3, 10.0.0.4 }`,
 * `tcp dport vmap { 22 : accept, 80 : jump web }`, `dnat to ip daddr map @m`, ….
 */
import type { Statement } from './print.js';

export const q = (s: unknown): string => JSON.stringify(String(s));

function leftText(left: Record<string, any>): string {
  if (Array.isArray(left['concat'])) return (left['concat'] as Record<string, any>[]).map(leftText).join(' . ');
  if (left['payload']) return `${left['payload'].protocol} ${left['payload'].field}`;
  if (left['meta']) {
    const k = left['meta'].key as string;
    return k === 'iifname' || k === 'oifname' || k === 'iif' || k === 'oif' ? k : `meta ${k}`;
  }
  if (left['ct']) return `ct ${left['ct'].key}`;
  return '?';
}

/** Map data: a verdict (`{ jump: { target } }` → `jump web`) or a value. */
function dataText(v: unknown): string {
  if (v && typeof v === 'object') {
    const [k, x] = Object.entries(v)[0] as [string, any];
    return x && typeof x === 'object' && 'target' in x ? `${k} ${x.target}` : k;
  }
  return String(v);
}

function rightText(right: unknown, left: Record<string, any>): string {
  if (Array.isArray(right)) return right.join(',');
  if (right && typeof right === 'object') {
    const r = right as Record<string, any>;
    if (Array.isArray(r['set'])) {
      const elems = (r['set'] as unknown[]).map((e) => (Array.isArray(e) ? `${rightText(e[0], left)} : ${dataText(e[1])}` : rightText(e, left)));
      return `{ ${elems.join(', ')} }`;
    }
    if (r['prefix']) return `${r['prefix'].addr}/${r['prefix'].len}`;
    if (Array.isArray(r['concat'])) {
      const parts = Array.isArray(left['concat']) ? left['concat'] as Record<string, any>[] : [];
      return (r['concat'] as unknown[]).map((v, i) => rightText(v, parts[i] ?? {})).join(' . ');
    }
    if (r['range']) return `${r['range'][0]}-${r['range'][1]}`;
  }
  const k = left['meta']?.key;
  if (k === 'iifname' || k === 'oifname') return q(right);
  if (k === 'mark' && typeof right === 'number') return `0x${right.toString(16).padStart(8, '0')}`;
  return String(right);
}

/** One statement as nft syntax. */
export function statementText(s: Statement): string {
  const [k, v] = Object.entries(s)[0] as [string, any];
  switch (k) {
    case 'match': {
      const op = v.op === '==' || v.op === 'in' ? '' : `${v.op} `;
      return `${leftText(v.left)} ${op}${rightText(v.right, v.left)}`;
    }
    case 'counter': return `counter packets ${v.packets} bytes ${v.bytes}`;
    case 'jump': case 'goto': return `${k} ${v.target}`;
    case 'vmap': return `${leftText(v.key)} vmap ${rightText(v.data, v.key)}`;
    case 'snat': case 'dnat':
      if (v.addr?.map) return `${k} to ${leftText(v.addr.map.key)} map ${rightText(v.addr.map.data, v.addr.map.key)}`;
      return `${k} to ${v.addr ?? ''}${v.port !== undefined ? `:${v.port}` : ''}`;
    case 'log': return v ? `log${v.prefix !== undefined ? ` prefix ${q(v.prefix)}` : ''}${v.group !== undefined ? ` group ${v.group}` : ''}` : 'log';
    case 'limit': return `limit rate ${v.rate}/${v.per}${v.burst !== 5 ? ` burst ${v.burst} packets` : ''}`;
    case 'reject': return `reject with ${v.type}`;
    default: return k;
  }
}

/**
 * How many elements nft puts on one line of a named set's `elements = { … }` (nftables
 * expression.c calculate_delim): 5 of integer-like types, 2 of addresses, 1 of anything else
 * (concatenations); anonymous sets print on one line.
 */
export function elementsPerLine(keyType: string | readonly string[] | undefined): number {
  if (typeof keyType !== 'string') return 1;
  if (['inet_service', 'mark', 'inet_proto', 'nf_proto', 'integer', 'ifindex', 'classid', 'uid', 'gid'].includes(keyType)) return 5;
  if (['ipv4_addr', 'ipv6_addr', 'ifname', 'ct_state', 'ether_addr'].includes(keyType)) return 2;
  return 1;
}

/**
 * A set's or map's elements (NftSet.elements, nft -j shape) as nft syntax: `{ 10.0.0.0/8, 192.168.1.1 }`,
 * `{ 80 : 10.0.0.1 }`, `{ 80 : accept, 443 : jump web }`. With `perLine`, a line break after
 * every that many elements, indented as in `nft list ruleset`'s set blocks. `keyType` prints
 * marks in hex, as nft does.
 */
export function elementsText(elements: readonly unknown[], keyType?: string, perLine = Infinity): string {
  const left = keyType === 'mark' ? { meta: { key: 'mark' } } : {};
  const items = elements.map((e) => rightText({ set: [e] }, left).slice(2, -2));
  let out = '';
  items.forEach((x, i) => { out += (i === 0 ? '' : i % perLine === 0 ? ',\n\t\t\t     ' : ', ') + x; });
  return `{ ${out} }`;
}
