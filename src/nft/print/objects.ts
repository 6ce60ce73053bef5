/**
 * Named stateful objects as nft prints them (`counter c1 { packets 0 bytes 0 }`, quotas, limits,
 * ct helpers, ct timeouts, synproxies) — block text for `nft list ruleset`, objects for nft -j.
 */
import type { NftObject } from '../object.js';
import { parseUdata } from '../userdata.js';
import { type Json, PROTO_NAMES } from './datatype.js';
import { byteUnits } from './statements.js';

const PER: Readonly<Record<string, string>> = { 1: 'second', 60: 'minute', 3600: 'hour', 86400: 'day', 604800: 'week' };
const L3: Readonly<Record<number, string>> = { 1: 'inet', 2: 'ip', 10: 'ip6', 3: 'arp', 7: 'bridge', 5: 'netdev' };
/** CTA_TIMEOUT_* state names per protocol (nftables src/ct.c timeout_protocol). */
const TIMEOUT_STATES: Readonly<Record<number, readonly string[]>> = {
  6: ['syn_sent', 'syn_recv', 'established', 'fin_wait', 'close_wait', 'last_ack', 'time_wait', 'close', 'syn_sent2', 'retrans', 'unack'],
  17: ['unreplied', 'replied'],
  1: ['timeout'],
};

function comment(o: NftObject): string | undefined {
  if (!o.userdata) return undefined;
  try {
    const t = parseUdata(o.userdata).find((x) => x.type === 0);
    if (!t) return undefined;
    const n = t.value.indexOf(0);
    return t.value.toString('utf8', 0, n < 0 ? t.value.length : n);
  } catch {
    return undefined;
  }
}

/** The timeout policy values (seconds) of a ct timeout object, by state name. */
/** The kernel's default timeouts (seconds) nft leaves out when printing a policy. */
const TIMEOUT_DEFAULTS: Readonly<Record<number, readonly number[]>> = {
  6: [120, 60, 432000, 120, 60, 30, 120, 10, 120, 300, 300], 17: [30, 120], 1: [30],
};

function timeoutPolicy(o: NftObject): [string, number][] {
  const d = o.data as Record<string, any>;
  const raw: Buffer | undefined = d['data'];
  const names = TIMEOUT_STATES[d['l4proto']] ?? [];
  const out: [string, number][] = [];
  if (!raw) return out;
  for (let off = 0; off + 4 <= raw.length;) {
    const len = raw.readUInt16LE(off), type = raw.readUInt16LE(off + 2) & 0x3fff;
    if (len < 4) break;
    const v = raw.readUInt32BE(off + 4);
    if (len >= 8 && TIMEOUT_DEFAULTS[d['l4proto']]?.[type - 1] !== v) out.push([names[type - 1] ?? String(type), v]);
    off += (len + 3) & ~3;
  }
  return out;
}

/** The lines inside an object's block (without the braces). */
function body(o: NftObject): string[] {
  const d = (Buffer.isBuffer(o.data) ? {} : o.data) as Record<string, any>;
  switch (o.typeId) {
    case 1: return [`packets ${d['packets'] ?? 0n} bytes ${d['bytes'] ?? 0n}`];
    case 2: {
      const inv = ((d['flags'] ?? 0) & 1) !== 0;
      const [v, u] = byteUnits(BigInt(d['bytes'] ?? 0n), 2);
      const used = BigInt(d['consumed'] ?? 0n);
      const [uv, uu] = byteUnits(used, 2);
      return [`${inv ? 'over ' : ''}${v} ${u}${used ? ` used ${uv} ${uu}` : ''}`];
    }
    case 4: {
      const inv = ((d['flags'] ?? 0) & 1) !== 0;
      const per = PER[String(d['unit'] ?? 1n)] ?? String(d['unit']);
      const burst = BigInt(d['burst'] ?? 0);
      if ((d['type'] ?? 0) === 1) {
        const [rv, ru] = byteUnits(BigInt(d['rate'] ?? 0n), 2);
        const [bv, bu] = byteUnits(burst, 2);
        return [`rate ${inv ? 'over ' : ''}${rv} ${ru}/${per}${burst ? ` burst ${bv} ${bu}` : ''}`];
      }
      return [`rate ${inv ? 'over ' : ''}${d['rate']}/${per}${burst !== 5n && burst !== 0n ? ` burst ${burst} packets` : ''}`];
    }
    case 3: return [`type "${d['name']}" protocol ${PROTO_NAMES[d['l4proto']] ?? d['l4proto']}`, `l3proto ${L3[d['l3proto']] ?? d['l3proto']}`];
    case 7: {
      const pol = timeoutPolicy(o);
      return [`protocol ${PROTO_NAMES[d['l4proto']] ?? d['l4proto']}`, `l3proto ${L3[d['l3proto']] ?? d['l3proto']}`, `policy = { ${pol.map(([k, v]) => `${k} : ${v}`).join(', ')} }`];
    }
    case 10: {
      const f = d['flags'] ?? 0;
      const fl = [f & 8 ? 'timestamp' : '', f & 4 ? 'sack-perm' : ''].filter(Boolean);
      return [`mss ${d['mss'] ?? 0}`, `wscale ${d['wscale'] ?? 0}`, ...(fl.length ? [fl.join(' ')] : [])];
    }
    default: return [];
  }
}

/** An object block as `nft list ruleset` prints it. */
export function objectText(o: NftObject, handles: boolean): string[] {
  const c = comment(o);
  return [
    `\t${o.type} ${o.name} {${handles ? ` # handle ${o.handle}` : ''}`,
    ...(c !== undefined ? [`\t\tcomment "${c}"`] : []),
    ...body(o).map((l) => `\t\t${l}`),
    '\t}',
  ];
}

/** An object as nft -j prints it. */
export function objectJson(o: NftObject): Json {
  const d = (Buffer.isBuffer(o.data) ? {} : o.data) as Record<string, any>;
  const base: Record<string, Json> = { family: o.family, name: o.name, table: o.table, handle: Number(o.handle) };
  const c = comment(o);
  if (c !== undefined) base['comment'] = c;
  switch (o.typeId) {
    case 1: Object.assign(base, { packets: Number(d['packets'] ?? 0n), bytes: Number(d['bytes'] ?? 0n) }); break;
    case 2: Object.assign(base, { bytes: Number(d['bytes'] ?? 0n), used: Number(d['consumed'] ?? 0n), inv: ((d['flags'] ?? 0) & 1) !== 0 }); break;
    case 4: {
      const inv = ((d['flags'] ?? 0) & 1) !== 0;
      const per = PER[String(d['unit'] ?? 1n)] ?? String(d['unit']);
      if ((d['type'] ?? 0) === 1) {
        const [rv, ru] = byteUnits(BigInt(d['rate'] ?? 0n), 2);
        Object.assign(base, { rate: Number(rv), per, ...(inv ? { inv: true } : {}), rate_unit: ru });
        if (d['burst']) { const [bv, bu] = byteUnits(BigInt(d['burst']), 2); Object.assign(base, { burst: Number(bv), burst_unit: bu }); }
      } else Object.assign(base, { rate: Number(d['rate'] ?? 0n), per, ...(inv ? { inv: true } : {}), burst: d['burst'] ?? 0 });
      break;
    }
    case 3: Object.assign(base, { type: d['name'], protocol: PROTO_NAMES[d['l4proto']] ?? d['l4proto'], l3proto: L3[d['l3proto']] ?? d['l3proto'] }); break;
    case 7: Object.assign(base, { protocol: PROTO_NAMES[d['l4proto']] ?? d['l4proto'], l3proto: L3[d['l3proto']] ?? d['l3proto'], policy: Object.fromEntries(timeoutPolicy(o)) }); break;
    case 10: {
      const f = d['flags'] ?? 0;
      const fl = [f & 8 ? 'timestamp' : '', f & 4 ? 'sack-perm' : ''].filter(Boolean);
      Object.assign(base, { mss: d['mss'] ?? 0, wscale: d['wscale'] ?? 0, ...(fl.length ? { flags: fl } : {}) });
      break;
    }
  }
  return { [o.type]: base };
}
