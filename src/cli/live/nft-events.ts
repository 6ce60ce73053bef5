/**
 * nftables monitor events (monitorNft) as `netlink-dump monitor nft` prints them: one line each,
 * `nft new rule ip nat postrouting handle 4: ip saddr 192.168.15.0/24 masquerade`, or one JSON
 * object with the object in `nft -j`'s shape. Anonymous sets and their elements print only
 * inside the rule that uses them (as nft monitor does), so they have no line of their own.
 */
import type { NftEvent } from '../../nft/monitor-event.js';
import { elementsText } from '../../nft/print-text.js';
import type { NftSet } from '../../nft/set.js';
import { chainJson, priorityText, setFlagNames, ruleJson, ruleLine, setJson, tableJson } from './nft-text.js';
import type { Json } from './shape.js';

const isAnonName = (name: string): boolean => name.startsWith('__');
const setType = (s: NftSet): string => `${Array.isArray(s.type) ? s.type.join(' . ') : String(s.type ?? s.keyType)}${s.dataType !== undefined ? ` : ${s.map ?? s.dataType}` : ''}`;

/** Whether the CLI prints this event (false for anonymous sets and their elements). */
export function nftEventShown(ev: NftEvent): boolean {
  if (ev.kind === 'set') return !isAnonName(ev.set.name);
  if (ev.kind === 'element') return !isAnonName(ev.set);
  return true;
}

/** One event as a line of text (without the timestamp). */
export function nftEventText(ev: NftEvent): string {
  switch (ev.kind) {
    case 'lost': return 'nft lost: the kernel dropped nftables events (receive buffer overflow)';
    case 'gen': return `nft gen ${ev.genid}${ev.comm !== undefined ? ` by ${ev.comm}` : ''}${ev.pid !== undefined ? ` pid ${ev.pid}` : ''}`;
    case 'table': return `nft ${ev.action} table ${ev.table.family} ${ev.table.name} handle ${ev.table.handle}`;
    case 'chain': {
      const c = ev.chain;
      const base = c.hook !== undefined && ev.action === 'new'
        ? `: type ${c.type ?? 'filter'} hook ${c.hook}${c.device !== undefined ? ` device ${JSON.stringify(c.device)}` : ''} priority ${priorityText(c)}; policy ${c.policy ?? 'accept'};` : '';
      return `nft ${ev.action} chain ${c.family} ${c.table} ${c.name} handle ${c.handle}${base}`;
    }
    case 'set': {
      const s = ev.set;
      const kw = s.dataType !== undefined ? 'map' : 'set';
      return `nft ${ev.action} ${kw} ${s.family} ${s.table} ${s.name} handle ${s.handle}${ev.action === 'new' ? `: type ${setType(s)}${setFlagNames(s).length ? `; flags ${setFlagNames(s).join(',')}` : ''}` : ''}`;
    }
    case 'element': {
      const els = ev.elements ? elementsText(ev.elements) : `{ ${ev.raw.length} element${ev.raw.length === 1 ? '' : 's'} of a set not seen yet }`;
      return `nft ${ev.action} element ${ev.family} ${ev.table} ${ev.set}: ${els}`;
    }
    case 'rule': {
      const r = ev.rule;
      return `nft ${ev.action} rule ${r.family} ${r.table} ${r.chain} handle ${r.handle}${ev.action === 'new' ? `: ${ruleLine(r)}` : ''}`;
    }
  }
}

/** One event as a JSON object: time, kind `nft`, action, and the object as `nft -j` shapes it. */
export function nftEventJson(ev: NftEvent): Json {
  const head: Json = { time: ev.time.toISOString(), kind: 'nft' };
  switch (ev.kind) {
    case 'lost': return { ...head, action: 'lost' };
    case 'gen': return { ...head, action: 'gen', gen: { id: ev.genid, ...(ev.pid !== undefined ? { pid: ev.pid } : {}), ...(ev.comm !== undefined ? { comm: ev.comm } : {}) } };
    case 'table': return { ...head, action: ev.action, ...tableJson(ev.table) };
    case 'chain': return { ...head, action: ev.action, ...chainJson(ev.chain) };
    case 'set': return { ...head, action: ev.action, ...setJson(ev.set) };
    case 'element': return { ...head, action: ev.action, element: { family: ev.family, table: ev.table, name: ev.set, ...(ev.elements ? { elem: ev.elements } : {}) } };
    case 'rule': return { ...head, action: ev.action, ...ruleJson(ev.rule) };
  }
}
