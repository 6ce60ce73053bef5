/**
 * What each kernel expression means to the printer (netlink_delinearize's per-expression
 * parsers): a load into a register, a comparison, or a statement — rendered as nft syntax and
 * as nft -j JSON the way nftables' statement printers (src/statement.c, src/json.c) write them.
 */
import { NFT_REG32_00, NFT_REG_VERDICT } from '../constants.js';
import { NFT_SET_OBJECT } from '../constants.js';
import { FIB_FLAGS } from '../expr/fib.js';
import { parseUdata } from '../userdata.js';
import { type Datatype, type Json, INTEGER, IFINDEX_NAMES, STRING, dtype, integer, str } from './datatype.js';
import { type Delinearizer, type Load, META, type Op, constant, regIndex, verdictOf } from './delinearize.js';
import { setElements } from './set-print.js';
import { type Expr, type Rendered, Unprintable, exprJson, exprText, typeOf } from './tree.js';

const LOG_LEVELS: Readonly<Record<number, string>> = { 0: 'emerg', 1: 'alert', 2: 'crit', 3: 'err', 4: 'warn', 5: 'notice', 6: 'info', 7: 'debug', 8: 'audit' };
const PER: Readonly<Record<string, string>> = { 1: 'second', 60: 'minute', 3600: 'hour', 86400: 'day', 604800: 'week' };
const OPS: Readonly<Record<number, Op>> = { 0: '==', 1: '!=', 2: '<', 3: '<=', 4: '>', 5: '>=' };

/** `bytes`, `kbytes`, `mbytes`, `gbytes`: the largest unit that divides the value. */
export function byteUnits(n: bigint, max = 3): [bigint, string] {
  const units = ['bytes', 'kbytes', 'mbytes', 'gbytes'];
  let i = 0;
  while (i < max && n !== 0n && n % 1024n === 0n) { n /= 1024n; i++; }
  return [n, units[i]!];
}

const r = (text: string, json: Json): Rendered => ({ text, json });

/** The typed value a register holds, for a statement that writes `t` (meta mark set …). */
function valueFor(dl: Delinearizer, reg: unknown, t: Datatype): Expr {
  const v = dl.reg(reg);
  if (v.k === 'imm') return constant(t, v.b);
  if (v.k === 'load') { const e = dl.expr(v); dl.used(e); return e; }
  dl.used(v);
  return v;
}

/** TCP option kinds and fields (nftables src/tcpopt.c). */
const TCPOPTS: Readonly<Record<number, { name: string; fields: Record<string, [number, number, Datatype?]> }>> = {
  0: { name: 'eol', fields: { kind: [0, 8] } },
  1: { name: 'nop', fields: { kind: [0, 8] } },
  2: { name: 'maxseg', fields: { kind: [0, 8], length: [8, 8], size: [16, 16] } },
  3: { name: 'window', fields: { kind: [0, 8], length: [8, 8], count: [16, 8] } },
  4: { name: 'sack-perm', fields: { kind: [0, 8], length: [8, 8] } },
  5: { name: 'sack', fields: { kind: [0, 8], length: [8, 8], left: [16, 32], right: [48, 32] } },
  8: { name: 'timestamp', fields: { kind: [0, 8], length: [8, 8], tsval: [16, 32], tsecr: [48, 32] } },
};
/** IPv6 extension headers (src/exthdr.c). */
const EXTHDRS: Readonly<Record<number, { name: string; fields: Record<string, [number, number, Datatype?]> }>> = {
  0: { name: 'hbh', fields: { nexthdr: [0, 8, dtype('inet_proto')], hdrlength: [8, 8] } },
  43: { name: 'rt', fields: { nexthdr: [0, 8, dtype('inet_proto')], hdrlength: [8, 8], type: [16, 8], 'seg-left': [24, 8] } },
  44: { name: 'frag', fields: { nexthdr: [0, 8, dtype('inet_proto')], reserved: [8, 8], 'frag-off': [16, 13], reserved2: [29, 2], 'more-fragments': [31, 1], id: [32, 32] } },
  60: { name: 'dst', fields: { nexthdr: [0, 8, dtype('inet_proto')], hdrlength: [8, 8] } },
  135: { name: 'mh', fields: { nexthdr: [0, 8, dtype('inet_proto')], hdrlength: [8, 8], type: [16, 8, dtype('mh_type')], reserved: [24, 8], checksum: [32, 16] } },
};
const IPOPTS: Readonly<Record<number, { name: string; fields: Record<string, [number, number, Datatype?]> }>> = {
  7: { name: 'rr', fields: { type: [0, 8], length: [8, 8], ptr: [16, 8], addr: [24, 32] } },
  131: { name: 'lsrr', fields: { type: [0, 8], length: [8, 8], ptr: [16, 8], addr: [24, 32] } },
  137: { name: 'ssrr', fields: { type: [0, 8], length: [8, 8], ptr: [16, 8], addr: [24, 32] } },
  148: { name: 'ra', fields: { type: [0, 8], length: [8, 8], value: [16, 16] } },
};

function exthdrExpr(d: Record<string, any>): Expr {
  const op = d['op'] ?? 0;
  const table = op === 1 ? TCPOPTS : op === 2 ? IPOPTS : op === 0 ? EXTHDRS : undefined;
  const desc = table?.[d['type']];
  if (!desc) throw new Unprintable('exthdr type');
  const kw = op === 1 ? 'tcp option' : op === 2 ? 'ip option' : 'exthdr';
  if ((d['flags'] ?? 0) & 1) {
    return { k: 'sel', text: op === 0 ? `exthdr ${desc.name}` : `${kw} ${desc.name}`, json: { [kw]: { name: desc.name } }, type: dtype('boolean'), bits: 8 };
  }
  const off = (d['offset'] ?? 0) * 8, bits = (d['len'] ?? 0) * 8;
  const f = Object.entries(desc.fields).find(([, [o, b]]) => o === off && b === bits);
  const prefix = op === 0 ? `${desc.name} ` : `${kw} ${desc.name} `;
  if (!f) {
    // A load a bitwise narrows to a bitfield (`frag more-fragments`): named when the mask is seen.
    return { k: 'sel', text: `${prefix}@${off},${bits}`, json: null, type: integer(bits), bits, $fields: { prefix, kw, name: desc.name, list: desc.fields }, $offset: off } as unknown as Expr;
  }
  const t = f[1][2] ?? integer(bits);
  return { k: 'sel', text: op === 0 ? `${desc.name} ${f[0]}` : `${kw} ${desc.name} ${f[0]}`, json: { [kw]: { name: desc.name, field: f[0] } }, type: t, bits };
}

const fibText = (flags: number): string[] => FIB_FLAGS.filter(([b, n]) => flags & b && n !== 'present').map(([, n]) => n);

function natFlags(flags: number): string[] {
  const out: string[] = [];
  if (flags & 0x4) out.push('random');
  if (flags & 0x10) out.push('fully-random');
  if (flags & 0x8) out.push('persistent');
  return out;
}
const flagsJson = (f: string[]): Json => (f.length === 1 ? f[0]! : f);

/** An address or port register of a NAT-like statement: a constant of type `t`, or whatever the register holds. */
function natArg(dl: Delinearizer, min: unknown, max: unknown, t: Datatype): Expr | undefined {
  if (min === undefined) return undefined;
  const lo = valueFor(dl, min, t);
  if (max === undefined || max === min) return lo;
  return { k: 'range', lo, hi: valueFor(dl, max, t) };
}

function addrPortText(addr: Expr | undefined, port: Expr | undefined, v6: boolean): string {
  let s = '';
  if (addr) s += v6 && port && addr.k !== 'map' ? `[${exprText(addr)}]` : exprText(addr);
  if (port) s += `:${exprText(port)}`;
  return s;
}

function limitRendered(d: Record<string, any>, named = false): Rendered {
  const inv = ((d['flags'] ?? 0) & 1) !== 0;
  const per = PER[String(d['unit'] ?? 1n)] ?? `${d['unit']}`;
  const rate = BigInt(d['rate'] ?? 0n);
  const burst = BigInt(d['burst'] ?? 0);
  void named;
  if ((d['type'] ?? 0) === 1) {
    const [rv, ru] = byteUnits(rate, 2);
    const [bv, bu] = byteUnits(burst, 2);
    const text = `limit rate ${inv ? 'over ' : ''}${rv} ${ru}/${per}${burst ? ` burst ${bv} ${bu}` : ''}`;
    return r(text, { limit: { rate: Number(rv), burst: Number(bv), per, ...(inv ? { inv: true } : {}), rate_unit: ru, burst_unit: bu } });
  }
  const text = `limit rate ${inv ? 'over ' : ''}${rate}/${per}${burst !== 5n && burst !== 0n ? ` burst ${burst} packets` : ''}`;
  return r(text, { limit: { rate: Number(rate), burst: Number(burst), per, ...(inv ? { inv: true } : {}) } });
}

function quotaRendered(d: Record<string, any>): Rendered {
  const inv = ((d['flags'] ?? 0) & 1) !== 0;
  const [v, u] = byteUnits(BigInt(d['bytes'] ?? 0n));
  const used = BigInt(d['consumed'] ?? 0n);
  const [uv, uu] = byteUnits(used);
  return r(`quota ${inv ? 'over ' : ''}${v} ${u}${used ? ` used ${uv} ${uu}` : ''}`,
    { quota: { val: Number(v), val_unit: u, ...(used ? { used: Number(uv), used_unit: uu } : {}), ...(inv ? { inv: true } : {}) } });
}

function logRendered(d: Record<string, any>): Rendered {
  const t: string[] = ['log'];
  const j: Record<string, Json> = {};
  if (d['prefix'] !== undefined) { t.push(`prefix "${d['prefix']}"`); j['prefix'] = d['prefix']; }
  if (d['group'] !== undefined) { t.push(`group ${d['group']}`); j['group'] = d['group']; }
  if (d['snaplen'] !== undefined) { t.push(`snaplen ${d['snaplen']}`); j['snaplen'] = d['snaplen']; }
  if (d['qthreshold'] !== undefined) { t.push(`queue-threshold ${d['qthreshold']}`); j['queue-threshold'] = d['qthreshold']; }
  if (d['level'] !== undefined && d['level'] !== 4) { const l = LOG_LEVELS[d['level']] ?? String(d['level']); t.push(`level ${l}`); j['level'] = l; }
  const f = d['flags'] ?? 0;
  if (f) {
    const parts: string[] = [];
    const jf: string[] = [];
    if ((f & 0x2f) === 0x2f) { parts.push('all'); jf.push('all'); } else {
      if (f & 3) { parts.push(`tcp ${[f & 1 ? 'sequence' : '', f & 2 ? 'options' : ''].filter(Boolean).join(',')}`); if (f & 1) jf.push('tcp sequence'); if (f & 2) jf.push('tcp options'); }
      if (f & 4) { parts.push('ip options'); jf.push('ip options'); }
      if (f & 8) { parts.push('skuid'); jf.push('skuid'); }
      if (f & 0x20) { parts.push('ether'); jf.push('ether'); }
    }
    t.push(`flags ${parts.join(',')}`);
    j['flags'] = flagsJson(jf);
  }
  return r(t.join(' '), { log: Object.keys(j).length ? j : null });
}

const OBJ_KW: Readonly<Record<number, [string, string]>> = {
  1: ['counter name', 'counter'], 2: ['quota name', 'quota'], 3: ['ct helper set', 'ct helper'], 4: ['limit name', 'limit'],
  7: ['ct timeout set', 'ct timeout'], 8: ['meta secmark set', 'secmark'], 9: ['ct expectation set', 'ct expectation'], 10: ['synproxy name', 'synproxy'],
};

function synproxyRendered(d: Record<string, any>): Rendered {
  const f = d['flags'] ?? 0;
  const t: string[] = ['synproxy'];
  const j: Record<string, Json> = {};
  if (f & 1) { t.push(`mss ${d['mss']}`); j['mss'] = d['mss']; }
  if (f & 3) t.push(`wscale ${d['wscale'] ?? 0}`);
  if (f & 2) j['wscale'] = d['wscale'];
  const fl: string[] = [];
  if (f & 8) fl.push('timestamp');
  if (f & 4) fl.push('sack-perm');
  if (fl.length) { t.push(fl.join(' ')); j['flags'] = fl; }
  return r(t.join(' '), { synproxy: Object.keys(j).length ? j : null });
}

/** Handle one expression; returns how many following expressions it consumed. */
export function statement(dl: Delinearizer, name: string, d: Record<string, any>, i: number): number {
  switch (name) {
    case 'payload':
      if (d['sreg'] !== undefined) throw new Unprintable('payload write');
      dl.load(d['dreg'], { k: 'load', base: d['base'], offset: d['offset'], len: d['len'] } as Load);
      return 0;
    case 'meta': {
      const m = META[d['key']];
      if (!m) throw new Unprintable('meta key');
      const e: Expr = { k: 'meta', key: m[0], type: m[1](), bits: m[2] };
      if (d['sreg'] === undefined) { dl.load(d['dreg'], e); return 0; }
      const v = valueFor(dl, d['sreg'], e.type);
      const key = m[0] === 'iifname' || m[0] === 'oifname' ? m[0] : `meta ${m[0]}`;
      dl.emit(r(`${key} set ${exprText(v)}`, { mangle: { key: exprJson(e), value: exprJson(v) } }));
      return 0;
    }
    case 'ct': {
      const [key, type, bits, fam] = ctKeyOf(dl, d['key']);
      const dir = d['direction'] === undefined ? undefined : d['direction'] === 0 ? 'original' : 'reply';
      // `ct original ip saddr`: addresses are named with their family (JSON keeps the bare key).
      const l3 = fam ?? ((key === 'saddr' || key === 'daddr') ? dl.l3() ?? 'ip' : undefined);
      const e: Expr = { k: 'ct', key: l3 ? `${l3} ${key}` : key, jkey: key, type, bits, ...(fam ? { family: fam } : {}), ...(dir ? { dir } : {}) };
      if (d['sreg'] === undefined) { dl.load(d['dreg'], e); return 0; }
      const v = valueFor(dl, d['sreg'], type);
      dl.emit(r(`ct ${key} set ${exprText(v)}`, { mangle: { key: { ct: { key } }, value: exprJson(v) } }));
      return 0;
    }
    case 'bitwise': {
      const src = dl.reg(d['sreg']);
      const op = d['op'] ?? 0;
      if (op === 1 || op === 2) {
        // A shift: after `load & mask`, the bitfield itself (nft shifts set keys down to it).
        const amount = Number(BigInt('0x' + (d['data']?.value ?? Buffer.alloc(0)).toString('hex') || '0'));
        if (op === 2 && src.k === 'binop' && (src as any).$load) { dl.load(d['dreg'], dl.keyExpr(src)); return 0; }
        const e = src.k === 'load' ? dl.expr(src) : src;
        const t = typeOf(e) ?? INTEGER;
        dl.load(d['dreg'], { k: 'binop', op: op === 1 ? '<<' : '>>', l: e, r: { k: 'value', type: INTEGER, v: BigInt(amount), b: Buffer.from([amount]) } });
        void t;
        return 0;
      }
      const mask: Buffer = d['mask']?.value;
      const xor: Buffer = d['xor']?.value ?? Buffer.alloc(mask?.length ?? 0);
      if (!mask) throw new Unprintable('bitwise mask');
      const allOnes = mask.every((b) => b === 0xff);
      const xorZero = xor.every((b) => b === 0);
      if (src.k === 'load' && xorZero) {
        dl.load(d['dreg'], { k: 'binop', op: '&', l: dl.expr(src), r: { k: 'imm', b: mask }, $load: src, $mask: mask } as unknown as Expr);
        return 0;
      }
      const l = src.k === 'load' ? dl.expr(src) : src;
      const t = typeOf(l) ?? INTEGER;
      let e: Expr;
      if (xorZero) e = { k: 'binop', op: '&', l, r: constant(t, mask) };
      else if (allOnes) e = { k: 'binop', op: '^', l, r: constant(t, xor) };
      else if (mask.every((b, k) => (b & xor[k]!) === 0 && (b | xor[k]!) === 0xff)) e = { k: 'binop', op: '|', l, r: constant(t, xor) };
      else e = { k: 'binop', op: '^', l: { k: 'binop', op: '&', l, r: constant(t, mask) }, r: constant(t, xor) };
      dl.load(d['dreg'], e);
      return 0;
    }
    case 'byteorder': {
      const src = dl.reg(d['sreg']);
      const e = src.k === 'load' ? dl.expr(src) : src;
      // hton of a host-order value (a range or interval set of marks): its constants are big-endian.
      const t = typeOf(e);
      dl.load(d['dreg'], t && 'type' in e ? { ...e, type: { ...t, host: !t.host } } as Expr : e);
      return 0;
    }
    case 'immediate':
      if (d['dreg'] === NFT_REG_VERDICT) {
        const v = verdictOf(d['data']?.verdict);
        dl.emit(r(exprText(v), exprJson(v)));
      } else dl.load(d['dreg'], { k: 'imm', b: d['data']?.value ?? Buffer.alloc(0) });
      return 0;
    case 'cmp':
      return dl.cmp(d, i);
    case 'range': {
      const src = dl.reg(d['sreg']);
      dl.relational(src, '==', d['fromData']?.value, d['toData']?.value, (d['op'] ?? 0) === 1);
      return 0;
    }
    case 'lookup': {
      const set = dl.set(d['set']);
      const parts = dl.key(d['sreg'], set?.keyLen);
      const key = keyOf(parts);
      dl.used(key);
      const right = dl.setExpr(d['set'], parts);
      if (d['dreg'] === undefined) {
        dl.match(key, (d['flags'] ?? 0) & 1 ? '!=' : '==', right);
      } else if (d['dreg'] === NFT_REG_VERDICT) {
        dl.emit(r(`${exprText(key)} vmap ${exprText(right)}`, { vmap: { key: exprJson(key), data: exprJson(right) } }));
      } else {
        const m = { k: 'map', key, map: right, $len: set?.dataLen } as Expr;
        dl.load(d['dreg'], m);
        // Concatenated data (`addr . port`) fills the registers after the first: they hold parts of the map's result.
        const base = regIndex(d['dreg']);
        for (let w = 1; w * 4 < (set?.dataLen ?? 0); w++) dl.load(NFT_REG32_00 + base + w, { ...m, $part: w } as unknown as Expr);
      }
      return 0;
    }
    case 'counter':
      dl.emit(r(`counter packets ${d['packets'] ?? 0n} bytes ${d['bytes'] ?? 0n}`, { counter: { packets: Number(d['packets'] ?? 0n), bytes: Number(d['bytes'] ?? 0n) } }));
      return 0;
    case 'notrack':
      dl.emit(r('notrack', { notrack: null }));
      return 0;
    case 'log':
      dl.emit(logRendered(d));
      return 0;
    case 'limit':
      dl.emit(limitRendered(d));
      return 0;
    case 'quota':
      dl.emit(quotaRendered(d));
      return 0;
    case 'connlimit': {
      const inv = ((d['flags'] ?? 0) & 1) !== 0;
      dl.emit(r(`ct count ${inv ? 'over ' : ''}${d['count']}`, { 'ct count': { val: d['count'], ...(inv ? { inv: true } : {}) } }));
      return 0;
    }
    case 'reject': {
      const type = d['type'] ?? 0;
      const code = d['icmpCode'] ?? 0;
      if (type === 1) { dl.emit(r('reject with tcp reset', { reject: { type: 'tcp reset' } })); return 0; }
      const fam = dl.family;
      if (type === 2) {
        const name = (['no-route', 'port-unreachable', 'host-unreachable', 'admin-prohibited'])[code] ?? String(code);
        const dflt = code === 1 && (fam === 'inet' || fam === 'bridge' || fam === 'netdev');
        dl.emit(r(dflt ? 'reject' : `reject with icmpx ${name}`, { reject: { type: 'icmpx', expr: name } }));
        return 0;
      }
      const v6 = dl.l3() === 'ip6';
      const kw = v6 ? 'icmpv6' : 'icmp';
      const name = (v6 ? ICMP6 : ICMP4)[code] ?? String(code);
      const dflt = (fam === 'ip' && !v6 && code === 3) || (fam === 'ip6' && v6 && code === 4);
      dl.emit(r(dflt ? 'reject' : `reject with ${kw} ${name}`, { reject: { type: kw, expr: name } }), fam === 'inet' || fam === 'bridge' || fam === 'netdev');
      return 0;
    }
    case 'nat': {
      const famNum = d['family'];
      const v6 = famNum === 10;
      const at = v6 ? dtype('ipv6_addr') : dtype('ipv4_addr');
      const addr = natArg(dl, d['regAddrMin'], d['regAddrMax'], at);
      let port = natArg(dl, d['regProtoMin'], d['regProtoMax'], dtype('inet_service'));
      // A map to `addr . port`: the port register is the map's second half.
      const concat = addr?.k === 'map' && port?.k === 'map';
      if (concat) port = undefined;
      const kw = d['type'] === 1 ? 'dnat' : 'snat';
      // The family is written in inet tables, and for a map to `addr . port` (nft's STMT_NAT_F_CONCAT).
      const famKw = dl.family === 'inet' || concat ? (v6 ? ' ip6' : ' ip') : '';
      const flags = natFlags(d['flags'] ?? 0);
      const text = `${kw}${famKw} to ${addrPortText(addr, port, v6)}${flags.length ? ` ${flags.join(',')}` : ''}`;
      const json: Record<string, Json> = {};
      if (famKw) json['family'] = v6 ? 'ip6' : 'ip';
      if (addr) json['addr'] = exprJson(addr);
      if (port) json['port'] = exprJson(port);
      if (flags.length) json['flags'] = flagsJson(flags);
      dl.emit(r(text, { [kw]: json }));
      return 0;
    }
    case 'masq': case 'redir': {
      const port = natArg(dl, d['regProtoMin'], d['regProtoMax'], dtype('inet_service'));
      const flags = natFlags(d['flags'] ?? 0);
      const kw = name === 'masq' ? 'masquerade' : 'redirect';
      const text = `${kw}${port ? ` to :${exprText(port)}` : ''}${flags.length ? ` ${flags.join(',')}` : ''}`;
      const json: Record<string, Json> = {};
      if (port) json['port'] = exprJson(port);
      if (flags.length) json['flags'] = flagsJson(flags);
      dl.emit(r(text, { [kw]: Object.keys(json).length ? json : null }));
      return 0;
    }
    case 'objref': {
      const type = d['type'] ?? 0;
      const kw = OBJ_KW[type];
      if (d['set'] !== undefined) {
        const s = dl.set(d['set']);
        const parts = dl.key(d['setSreg'], s?.keyLen);
        const key = keyOf(parts);
        dl.used(key);
        const right = dl.setExpr(d['set'], parts);
        const kwm = OBJ_KW[s?.attrs?.objType ?? 1] ?? ['counter name', 'counter'];
        dl.emit(r(`${kwm[0]} ${exprText(key)} map ${exprText(right)}`, { [kwm[1]]: { map: { key: exprJson(key), data: exprJson(right) } } }));
        return 0;
      }
      if (!kw) throw new Unprintable('objref type');
      dl.emit(r(`${kw[0]} "${d['name']}"`, { [kw[1]]: d['name'] }));
      return 0;
    }
    case 'dynset': {
      const s = dl.set(d['set']);
      const parts = dl.key(d['sregKey'], s?.keyLen);
      const key = keyOf(parts);
      dl.used(key);
      const op = (['add', 'update', 'delete'])[d['op'] ?? 0] ?? 'add';
      const nested = ((d['expressions'] as any[] | undefined) ?? (d['expr'] ? [d['expr']] : [])).map((x) => nestedStmt(dl, x));
      let elemText = exprText(key);
      let elemJson: Json = exprJson(key);
      if (d['timeout']) {
        elemText += ` timeout ${timeText(BigInt(d['timeout']))}`;
        elemJson = { elem: { val: elemJson, timeout: Number(BigInt(d['timeout']) / 1000n) } };
      }
      for (const n of nested) elemText += ` ${n.text}`;
      if (d['sregData'] !== undefined) {
        const data = valueFor(dl, d['sregData'], INTEGER);
        dl.emit(r(`${op} @${d['set']} { ${elemText} : ${exprText(data)} }`, { map: { op, elem: elemJson, data: exprJson(data), map: `@${d['set']}`, ...(nested.length ? { stmt: nested.map((n) => n.json) } : {}) } }));
        return 0;
      }
      dl.emit(r(`${op} @${d['set']} { ${elemText} }`, { set: { op, elem: elemJson, set: `@${d['set']}`, ...(nested.length ? { stmt: nested.map((n) => n.json) } : {}) } }));
      return 0;
    }
    case 'exthdr': {
      const e = exthdrExpr(d);
      if ((d['op'] ?? 0) === 0 || d['op'] === 2) dl.killNet();
      if (d['sreg'] !== undefined) {
        const v = valueFor(dl, d['sreg'], e.k === 'sel' ? e.type : INTEGER);
        dl.emit(r(`${exprText(e)} set ${exprText(v)}`, { mangle: { key: exprJson(e), value: exprJson(v) } }));
        return 0;
      }
      dl.load(d['dreg'], e);
      return 0;
    }
    case 'fib': {
      const flags = d['flags'] ?? 0;
      const result = (['', 'oif', 'oifname', 'type'])[d['result'] ?? 0] ?? String(d['result']);
      const present = (flags & 32) !== 0;
      const type = present ? dtype('boolean') : result === 'oif' ? dtype('iface_index') : result === 'oifname' ? dtype('ifname') : dtype('fib_addrtype');
      const fl = fibText(flags);
      dl.load(d['dreg'], { k: 'sel', text: `fib ${fl.join(' . ')} ${result}`, json: { fib: { result, flags: fl } }, type, bits: type.bits });
      return 0;
    }
    case 'rt': {
      const key = d['key'];
      const sel = ({
        0: ['rt classid', { rt: { key: 'classid' } }, dtype('realm')], 1: ['rt ip nexthop', { rt: { key: 'nexthop', family: 'ip' } }, dtype('ipv4_addr')],
        2: ['rt ip6 nexthop', { rt: { key: 'nexthop', family: 'ip6' } }, dtype('ipv6_addr')], 3: ['rt mtu', { rt: { key: 'mtu' } }, integer(16, true)],
        4: ['rt ipsec', { rt: { key: 'ipsec' } }, dtype('boolean')],
      } as Record<number, [string, Json, Datatype]>)[key];
      if (!sel) throw new Unprintable('rt key');
      dl.load(d['dreg'], { k: 'sel', text: sel[0], json: sel[1], type: sel[2], bits: sel[2].bits });
      return 0;
    }
    case 'socket': {
      const key = (['transparent', 'mark', 'wildcard', 'cgroupv2'])[d['key'] ?? 0];
      if (!key) throw new Unprintable('socket key');
      const type = key === 'mark' ? dtype('mark') : key === 'cgroupv2' ? integer(64, true) : integer(8);
      const text = key === 'cgroupv2' ? `socket cgroupv2 level ${d['level']}` : `socket ${key}`;
      dl.load(d['dreg'], { k: 'sel', text, json: { socket: { key, ...(key === 'cgroupv2' ? { level: d['level'] } : {}) } }, type, bits: type.bits });
      return 0;
    }
    case 'osf': {
      const key = (d['flags'] ?? 0) & 1 ? 'version' : 'name';
      const ttl = d['ttl'] === 1 ? 'loose' : d['ttl'] === 2 ? 'skip' : undefined;
      dl.load(d['dreg'], { k: 'sel', text: `osf ${ttl ? `ttl ${ttl} ` : ''}${key}`, json: { osf: { key, ...(ttl ? { ttl } : {}) } }, type: STRING, bits: 128 });
      return 0;
    }
    case 'xfrm': {
      const dir = d['dir'] ? 'out' : 'in';
      const k = d['key'];
      const info = ({
        1: ['ip daddr', 'daddr', 'ip', dtype('ipv4_addr')], 2: ['ip6 daddr', 'daddr', 'ip6', dtype('ipv6_addr')], 3: ['ip saddr', 'saddr', 'ip', dtype('ipv4_addr')],
        4: ['ip6 saddr', 'saddr', 'ip6', dtype('ipv6_addr')], 5: ['reqid', 'reqid', undefined, integer(32, true)], 6: ['spi', 'spi', undefined, integer(32)],
      } as Record<number, [string, string, string | undefined, Datatype]>)[k];
      if (!info) throw new Unprintable('xfrm key');
      const spnum = d['spnum'] ?? 0;
      dl.load(d['dreg'], {
        k: 'sel', text: `ipsec ${dir}${spnum ? ` spnum ${spnum}` : ''} ${info[0]}`,
        json: { ipsec: { key: info[1], ...(info[2] ? { family: info[2] } : {}), dir, spnum } }, type: info[3], bits: info[3].bits,
      });
      return 0;
    }
    case 'hash': {
      const mod = d['modulus'], off = d['offset'] ?? 0;
      if (d['type'] === 1) {
        dl.load(d['dreg'], { k: 'sel', text: `symhash mod ${mod}${off ? ` offset ${off}` : ''}`, json: { symhash: { mod, ...(off ? { offset: off } : {}) } }, type: integer(32, true), bits: 32 });
        return 0;
      }
      const parts = dl.key(d['sreg'], d['len']);
      const key = keyOf(parts);
      dl.used(key);
      const seed = d['seed'] ?? 0;
      dl.load(d['dreg'], {
        k: 'sel', text: `jhash ${exprText(key)} mod ${mod}${seed ? ` seed 0x${seed.toString(16)}` : ''}${off ? ` offset ${off}` : ''}`,
        json: { jhash: { mod, ...(seed ? { seed } : {}), ...(off ? { offset: off } : {}), expr: exprJson(key) } }, type: integer(32, true), bits: 32,
      });
      return 0;
    }
    case 'numgen': {
      const mode = d['type'] === 1 ? 'random' : 'inc';
      const off = d['offset'] ?? 0;
      dl.load(d['dreg'], { k: 'sel', text: `numgen ${mode} mod ${d['modulus']}${off ? ` offset ${off}` : ''}`, json: { numgen: { mode, mod: d['modulus'], offset: off } }, type: integer(32, true), bits: 32 });
      return 0;
    }
    case 'tproxy': {
      const fam = d['family'];
      const v6 = fam === 10 || (fam === undefined && dl.l3() === 'ip6');
      const addr = d['regAddr'] !== undefined ? valueFor(dl, d['regAddr'], v6 ? dtype('ipv6_addr') : dtype('ipv4_addr')) : undefined;
      const port = d['regPort'] !== undefined ? valueFor(dl, d['regPort'], dtype('inet_service')) : undefined;
      const famKw = dl.family === 'inet' && fam !== undefined && fam !== 1 && fam !== 0 ? (v6 ? ' ip6' : ' ip') : '';
      const json: Record<string, Json> = {};
      if (famKw) json['family'] = v6 ? 'ip6' : 'ip';
      if (addr) json['addr'] = exprJson(addr);
      if (port) json['port'] = exprJson(port);
      dl.emit(r(`tproxy${famKw} to ${addrPortText(addr, port, v6)}`, { tproxy: json }));
      return 0;
    }
    case 'synproxy':
      dl.emit(synproxyRendered(d));
      return 0;
    case 'dup': {
      const addrT = dl.family === 'ip6' ? dtype('ipv6_addr') : dtype('ipv4_addr');
      const dev = d['sregDev'] !== undefined ? devName(dl, d['sregDev']) : undefined;
      if (d['sregAddr'] === undefined) { dl.emit(r(`dup to "${dev}"`, { dup: { addr: dev ?? null } })); return 0; }
      const addr = valueFor(dl, d['sregAddr'], addrT);
      dl.emit(r(`dup to ${exprText(addr)}${dev !== undefined ? ` device "${dev}"` : ''}`, { dup: { addr: exprJson(addr), ...(dev !== undefined ? { dev } : {}) } }));
      return 0;
    }
    case 'fwd': {
      const dev = devName(dl, d['sregDev']);
      if (d['sregAddr'] === undefined) { dl.emit(r(`fwd to "${dev}"`, { fwd: { dev } })); return 0; }
      const v6 = d['nfproto'] === 10;
      const addr = valueFor(dl, d['sregAddr'], v6 ? dtype('ipv6_addr') : dtype('ipv4_addr'));
      dl.emit(r(`fwd ${v6 ? 'ip6' : 'ip'} to ${exprText(addr)} device "${dev}"`, { fwd: { dev, family: v6 ? 'ip6' : 'ip', addr: exprJson(addr) } }));
      return 0;
    }
    case 'last':
      dl.emit(r(d['set'] ? `last used ${timeText(BigInt(d['msecs'] ?? 0n))}` : 'last used never', { last: d['set'] ? { used: Number(d['msecs'] ?? 0n) } : null }));
      return 0;
    case 'flow_offload':
      dl.emit(r(`flow add @${d['table']}`, { flow: { op: 'add', flowtable: `@${d['table']}` } }));
      return 0;
    case 'queue': {
      const flags = d['flags'] ?? 0;
      const total = d['total'] ?? 1;
      const fl = [flags & 1 ? 'bypass' : '', flags & 2 ? 'fanout' : ''].filter(Boolean);
      const num = total > 1 ? `${d['num'] ?? 0}-${(d['num'] ?? 0) + total - 1}` : String(d['num'] ?? 0);
      dl.emit(r(`queue${fl.length ? ` flags ${fl.join(',')}` : ''} to ${num}`, { queue: { num: total > 1 ? { range: [d['num'] ?? 0, (d['num'] ?? 0) + total - 1] } : d['num'] ?? 0, ...(fl.length ? { flags: flagsJson(fl) } : {}) } }));
      return 0;
    }
    default:
      throw new Unprintable(`expression ${name}`);
  }
}

const ICMP4: readonly string[] = ['net-unreachable', 'host-unreachable', 'prot-unreachable', 'port-unreachable', 'frag-needed', '', '', '', '', 'net-prohibited', 'host-prohibited', '', '', 'admin-prohibited'];
const ICMP6: readonly string[] = ['no-route', 'admin-prohibited', '', 'addr-unreachable', 'port-unreachable', 'policy-fail', 'reject-route'];

function devName(dl: Delinearizer, reg: unknown): string {
  const v = dl.reg(reg);
  if (v.k !== 'imm' || v.b.length !== 4) throw new Unprintable('device register');
  const idx = v.b.readUInt32LE(0);
  return IFINDEX_NAMES.get(idx) ?? String(idx);
}

function ctKeyOf(dl: Delinearizer, key: number): [string, Datatype, number, string?] {
  const addr = dl.l3() === 'ip6' ? dtype('ipv6_addr') : dtype('ipv4_addr');
  const abits = dl.l3() === 'ip6' ? 128 : 32;
  const tab: Record<number, [string, Datatype, number, string?]> = {
    0: ['state', dtype('ct_state'), 32], 1: ['direction', dtype('ct_dir'), 8], 2: ['status', dtype('ct_status'), 32], 3: ['mark', dtype('mark'), 32],
    4: ['secmark', integer(32, true), 32], 5: ['expiration', dtype('time'), 32], 6: ['helper', STRING, 128], 7: ['l3proto', dtype('nf_proto'), 8],
    8: ['saddr', addr, abits], 9: ['daddr', addr, abits], 10: ['protocol', dtype('inet_proto'), 8], 11: ['proto-src', dtype('inet_service'), 16],
    12: ['proto-dst', dtype('inet_service'), 16], 13: ['label', integer(128, true), 128], 14: ['packets', integer(64, true), 64],
    15: ['bytes', integer(64, true), 64], 16: ['avgpkt', integer(64, true), 64], 17: ['zone', integer(16, true), 16], 18: ['event', dtype('ct_event'), 32],
    19: ['saddr', dtype('ipv4_addr'), 32, 'ip'], 20: ['daddr', dtype('ipv4_addr'), 32, 'ip'], 21: ['saddr', dtype('ipv6_addr'), 128, 'ip6'],
    22: ['daddr', dtype('ipv6_addr'), 128, 'ip6'], 23: ['id', integer(32), 32],
  };
  const t = tab[key];
  if (!t) throw new Unprintable('ct key');
  return t;
}

/** A statement nested in a dynset or set element (limit, counter, ct count, quota). */
export function nestedStmt(dl: Delinearizer | undefined, e: { name?: string; data?: unknown }): Rendered {
  const d = (e.data ?? {}) as Record<string, any>;
  switch (e.name) {
    case 'counter': return r(`counter packets ${d['packets'] ?? 0n} bytes ${d['bytes'] ?? 0n}`, { counter: { packets: Number(d['packets'] ?? 0n), bytes: Number(d['bytes'] ?? 0n) } });
    case 'limit': return limitRendered(d);
    case 'quota': return quotaRendered(d);
    case 'connlimit': {
      const inv = ((d['flags'] ?? 0) & 1) !== 0;
      return r(`ct count ${inv ? 'over ' : ''}${d['count']}`, { 'ct count': { val: d['count'], ...(inv ? { inv: true } : {}) } });
    }
    case 'last': return r(d['set'] ? `last used ${timeText(BigInt(d['msecs'] ?? 0n))}` : 'last used never', { last: d['set'] ? { used: Number(d['msecs'] ?? 0n) } : null });
    default: void dl; throw new Unprintable(`nested ${e.name}`);
  }
}

const keyOf = (parts: readonly Expr[]): Expr => (parts.length === 1 ? parts[0]! : { k: 'concat', parts });

export function timeText(ms: bigint): string {
  if (ms === 0n) return '0s';
  let out = '';
  let rest = ms;
  for (const [unit, n] of [['d', 86400000n], ['h', 3600000n], ['m', 60000n], ['s', 1000n], ['ms', 1n]] as const) {
    if (rest >= n) { out += `${rest / n}${unit}`; rest %= n; }
  }
  return out;
}

export { limitRendered, logRendered, quotaRendered, synproxyRendered, OBJ_KW, OPS, str, parseUdata, NFT_SET_OBJECT, setElements };
