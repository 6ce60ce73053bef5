// Cross-check every number in the rtnetlink tables against the kernel's uapi headers — the
// headers are the truth (STYLE.md §2). Reads /usr/include/linux/*.h (linux-libc-dev), or the
// include root in $UAPI_INCLUDE (e.g. a newer kernel's `make headers_install` output).
//
// Our tables may be newer than the installed headers: a name the headers lack must then have
// a number no member of its enum has there (a later kernel appended it, or filled a gap as
// RTM_NEWMULTICAST did), which also catches typos, since a misspelt existing attribute would
// repeat a number the headers give to its real name.
import t from 'tap';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AttrSet } from '../../src/netlink/schema.js';
import * as linkSchema from '../../src/route/link/link.schema.js';
import * as linkAf from '../../src/route/link/link-af.js';
import * as linkVf from '../../src/route/link/link-vf.js';
import * as bridge from '../../src/route/link/link-kinds/bridge.js';
import * as veth from '../../src/route/link/link-kinds/veth.js';
import * as vxlan from '../../src/route/link/link-kinds/vxlan.js';
import * as tun from '../../src/route/link/link-kinds/tun.js';
import * as vlan from '../../src/route/link/link-kinds/vlan.js';
import * as macvlan from '../../src/route/link/link-kinds/macvlan.js';
import * as ipvlan from '../../src/route/link/link-kinds/ipvlan.js';
import * as bond from '../../src/route/link/link-kinds/bond.js';
import * as addrSchema from '../../src/route/addr/addr.schema.js';
import * as routeSchema from '../../src/route/route/route.schema.js';
import * as neighSchema from '../../src/route/neigh/neigh.schema.js';
import * as ruleSchema from '../../src/route/rule/rule.schema.js';
import * as nsidSchema from '../../src/route/nsid/nsid.schema.js';
import * as rtnlFamilies from '../../src/route/rtnl-families.schema.js';
import * as libcConsts from '../../src/ffi/libc.js';
import * as protocol from '../../src/route/protocol.js';
import { AF } from '../../src/route/family.js';
import { ARPHRD } from '../../src/route/link/ifinfomsg.js';

const INCLUDE = process.env['UAPI_INCLUDE'] ?? '/usr/include';
const HEADERS = ['if.h', 'if_arp.h', 'if_link.h', 'if_addr.h', 'if_bridge.h', 'if_vlan.h', 'veth.h', 'lwtunnel.h', 'rtnetlink.h', 'neighbour.h', 'fib_rules.h', 'net_namespace.h', 'nsfs.h', 'sched.h', 'mount.h', 'nexthop.h', 'netconf.h', 'if_addrlabel.h', 'pkt_sched.h'];

// ---------------------------------------------------------------------------------------
// A small C-header reader: enough for uapi enums and integer #defines.

interface HeaderDb {
  /** Name → value, for enum members and integer #defines. */
  values: Map<string, number>;
  /** Enum members declared as another name (`IFLA_TARGET_NETNSID = IFLA_IF_NETNSID`). */
  aliases: Set<string>;
  enums: { name: string; members: string[] }[];
}

function evalExpr(expr: string, values: ReadonlyMap<string, number>): number {
  const sub = expr
    .replace(/\b([A-Za-z_]\w*)\b/g, (id) => {
      const v = values.get(id);
      if (v === undefined) throw new Error(`unknown identifier ${id}`);
      return `(${v})`;
    })
    .replace(/\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b/g, '$1');
  // Only integer arithmetic reaches the evaluator.
  if (!/^[\s0-9a-fA-FxX()+\-|&<>~*]+$/.test(sub)) throw new Error(`not an integer expression: ${expr}`);
  const v: unknown = Function(`"use strict"; return (${sub});`)();
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`not an integer: ${expr}`);
  return v;
}

function parseHeader(text: string, db: HeaderDb): void {
  const src = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '').replace(/\\\n/g, ' ');
  for (const m of src.matchAll(/enum\s*(\w*)\s*\{([^}]*)\}/g)) {
    const body = m[2]!.replace(/^[ \t]*#[^\n]*$/gm, '');
    const members: string[] = [];
    let next = 0;
    for (const item of body.split(',')) {
      const s = item.trim();
      if (!s) continue;
      const mm = /^(\w+)\s*(?:=\s*([\s\S]+))?$/.exec(s);
      if (!mm) throw new Error(`cannot read enum member "${s}"`);
      let v = next;
      if (mm[2] !== undefined) {
        const rhs = mm[2].trim();
        v = evalExpr(rhs, db.values);
        if (/^[A-Za-z_]\w*$/.test(rhs)) db.aliases.add(mm[1]!);
      }
      db.values.set(mm[1]!, v);
      members.push(mm[1]!);
      next = v + 1;
    }
    db.enums.push({ name: m[1] ?? '', members });
  }
  for (const m of src.matchAll(/^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+([^\n]+)$/gm)) {
    if (db.values.has(m[1]!)) continue;
    try { db.values.set(m[1]!, evalExpr(m[2]!.trim(), db.values)); } catch { /* not an integer macro */ }
  }
}

const db: HeaderDb = { values: new Map(), aliases: new Set(), enums: [] };
const missing: string[] = [];
for (const h of HEADERS) {
  const p = join(INCLUDE, 'linux', h);
  if (!existsSync(p)) { missing.push(p); continue; }
  parseHeader(readFileSync(p, 'utf8'), db);
}
// AF_* live in the C library's <bits/socket.h>, under a multiarch directory.
const socketH = [join(INCLUDE, 'bits', 'socket.h'), ...(() => {
  try {
    return readdirSync(INCLUDE).map((d) => join(INCLUDE, d, 'bits', 'socket.h'));
  } catch { return []; }
})()].find(existsSync);
if (socketH) parseHeader(readFileSync(socketH, 'utf8'), db);

// Type 0 placeholders (IFLA_UNSPEC, NETNSA_NONE) and the __X_MAX / X_MAX bounds are not attributes.
const excluded = (name: string): boolean => name.startsWith('__') || /_UNSPEC$/.test(name) || /_MAX$/.test(name) || (/_NONE$/.test(name) && db.values.get(name) === 0);
const enumOfName = new Map<string, { name: string; members: string[] }>();
for (const e of db.enums) for (const m of e.members) enumOfName.set(m, e);
/** The enum member (other than __*_MAX) that has number `v` in these headers, if any. */
const holderOf = (e: { members: string[] }, v: number): string | undefined =>
  e.members.find((m) => !m.startsWith('__') && !/_MAX$/.test(m) && db.values.get(m) === v);

// ---------------------------------------------------------------------------------------

t.test(`uapi headers are readable under ${INCLUDE}`, async (t) => {
  // Without the headers this whole file would check nothing: fail, do not skip.
  t.same(missing, [], 'every header exists (install linux-libc-dev, or set UAPI_INCLUDE)');
  t.ok(db.values.get('IFLA_IFNAME') === 3 && db.values.get('RTM_NEWLINK') === 16 && db.values.get('IFA_LOCAL') === 2,
    'the reader finds IFLA_IFNAME=3, RTM_NEWLINK=16, IFA_LOCAL=2');
  t.ok(db.values.get('IFLA_TARGET_NETNSID') === db.values.get('IFLA_IF_NETNSID'), 'enum aliases resolve (IFLA_TARGET_NETNSID)');
  t.equal(db.values.get('IFLA_INFO_MAX'), db.values.get('IFLA_INFO_SLAVE_DATA'), '#define constants resolve (IFLA_INFO_MAX)');
});

t.test('which headers were checked', async (t) => {
  // The tables follow the running kernel's uapi (6.18); the installed headers may be older
  // (Debian 12: 6.1). Names newer than them are checked to sit on numbers free there.
  const text = readFileSync(join(INCLUDE, 'linux/version.h'), 'utf8');
  const code = Number(/LINUX_VERSION_CODE\s+(\d+)/.exec(text)?.[1]);
  t.ok(code > 0, 'LINUX_VERSION_CODE read from linux/version.h');
  t.comment(`uapi headers checked: ${INCLUDE}, Linux ${code >> 16}.${(code >> 8) & 255}.${code & 255}`);
});

/** Every AttrSet the route modules export, by export name. */
const modules: Record<string, Record<string, unknown>> = {
  'link.schema': linkSchema, 'link-af': linkAf, 'link-vf': linkVf, bridge, veth, vxlan, tun, vlan, macvlan, ipvlan, bond,
  'addr.schema': addrSchema, 'route.schema': routeSchema, 'neigh.schema': neighSchema, 'rule.schema': ruleSchema, 'nsid.schema': nsidSchema,
  'rtnl-families.schema': rtnlFamilies,
};
const sets = new Map<string, AttrSet>();
for (const [file, mod] of Object.entries(modules)) {
  for (const [name, v] of Object.entries(mod)) if (v instanceof AttrSet) sets.set(`${file}:${name}`, v);
}

/**
 * Sets that reuse part of another enum: their numbers are still checked, but they are not
 * expected to hold the whole enum.
 */
const PARTIAL = new Set(['link.schema:IFLA_PROP_LIST', 'macvlan:IFLA_MACVLAN_MACADDR_LIST']);

t.test('every table the brief names is present', async (t) => {
  for (const n of ['link.schema:IFLA', 'link.schema:IFLA_INFO', 'bridge:IFLA_BR', 'bridge:IFLA_BRPORT', 'veth:VETH_INFO',
    'vxlan:IFLA_VXLAN', 'tun:IFLA_TUN', 'vlan:IFLA_VLAN', 'macvlan:IFLA_MACVLAN', 'ipvlan:IFLA_IPVLAN', 'bond:IFLA_BOND',
    'addr.schema:IFA', 'route.schema:RTA', 'route.schema:RTAX', 'neigh.schema:NDA', 'rule.schema:FRA', 'nsid.schema:NETNSA']) {
    t.ok(sets.has(n), n);
  }
  t.ok(linkSchema.IFLA.entries().length >= 69, 'IFLA declares the whole enum (69 attributes as of Linux 6.18)');
});

for (const [label, set] of sets) {
  if (label === 'link-af:IFLA_AF_SPEC') continue; // AF_* numbers: checked against <bits/socket.h> below
  t.test(`${label}: numbers match the headers`, async (t) => {
    const entries = set.entries();
    const newer: string[] = [];
    // The enum holding most of this table's names.
    const counts = new Map<{ name: string; members: string[] }, number>();
    for (const e of entries) {
      const en = enumOfName.get(e.name);
      if (en) counts.set(en, (counts.get(en) ?? 0) + 1);
    }
    const anchor = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    for (const e of entries) {
      const hv = db.values.get(e.name);
      if (hv !== undefined) {
        t.equal(e.type, hv, `${e.name} = ${hv}`);
      } else if (anchor) {
        newer.push(e.name);
        const holder = holderOf(anchor, e.type);
        t.notOk(holder, `${e.name} (${e.type}) is absent from these headers, so its number must be free there${holder ? ` (it is ${holder}'s)` : ''}`);
      } else {
        t.fail(`${e.name}: not found in the headers`);
      }
    }
    if (newer.length) t.comment(`newer than the installed headers: ${newer.join(' ')}`);
    if (PARTIAL.has(label)) return;
    t.ok(anchor, 'the table matches an enum of the headers');
    if (!anchor) return;
    const declared = new Set(entries.map((e) => e.name));
    const declaredTypes = new Set(entries.map((e) => e.type));
    for (const m of anchor.members) {
      if (excluded(m) || declared.has(m)) continue;
      // An old name for a declared number (IFLA_IF_NETNSID = IFLA_TARGET_NETNSID's value).
      const aliasOf = [...declared].find((d) => db.aliases.has(d) && db.values.get(d) === db.values.get(m));
      if (aliasOf && declaredTypes.has(db.values.get(m)!)) continue;
      t.fail(`${m} (${db.values.get(m)}) is in the headers but not declared in ${label}`);
    }
  });
}

t.test('IFLA_AF_SPEC families match <bits/socket.h>', async (t) => {
  if (!socketH) { t.comment('no <bits/socket.h> under the include root; AF_* not checked'); return; }
  for (const e of linkAf.IFLA_AF_SPEC.entries()) t.equal(e.type, db.values.get(e.name), `${e.name} = ${db.values.get(e.name)}`);
  for (const [k, v] of Object.entries(AF)) t.equal(v, db.values.get(k), `${k} = ${db.values.get(k)}`);
});

/** Constant tables: every key the headers know has the headers' value. */
const constants: Record<string, Readonly<Record<string, number>>> = {
  IFF: linkSchema.IFF, ARPHRD, IF_OPER: linkSchema.IF_OPER, IF_LINK_MODE: linkSchema.IF_LINK_MODE, RTEXT_FILTER: linkSchema.RTEXT_FILTER,
  IN6_ADDR_GEN_MODE: linkAf.IN6_ADDR_GEN_MODE, BR_BOOLOPT: bridge.BR_BOOLOPT, VLAN_FLAG: vlan.VLAN_FLAG, MACVLAN_MODE: macvlan.MACVLAN_MODE,
  IFA_F: addrSchema.IFA_F, IFAPROT: addrSchema.IFAPROT,
  RTN: routeSchema.RTN, RTPROT: routeSchema.RTPROT, RT_SCOPE: routeSchema.RT_SCOPE, RT_TABLE: routeSchema.RT_TABLE,
  RTNH_F: routeSchema.RTNH_F, RTM_F: routeSchema.RTM_F, LWTUNNEL_ENCAP: routeSchema.LWTUNNEL_ENCAP,
  NUD: neighSchema.NUD, NTF: neighSchema.NTF, NTF_EXT: neighSchema.NTF_EXT, FR_ACT: ruleSchema.FR_ACT, FIB_RULE: ruleSchema.FIB_RULE,
};
for (const [label, obj] of Object.entries(constants)) {
  t.test(`${label}_* constants match the headers`, async (t) => {
    const newer: string[] = [];
    for (const [k, v] of Object.entries(obj)) {
      const hv = db.values.get(k);
      if (hv === undefined) newer.push(k);
      else t.equal(v, hv, `${k} = ${hv}`);
    }
    t.ok(Object.keys(obj).length > newer.length, 'the headers know most of them');
    if (newer.length) t.comment(`not in the installed headers: ${newer.join(' ')}`);
  });
}

t.test('namespace and mount constants of src/ffi/libc.ts match <linux/sched.h>, <linux/mount.h>, <linux/nsfs.h>', async (t) => {
  // _IO(type, nr) = type << 8 | nr (<asm-generic/ioctl.h>, no size or direction bits).
  const nsfs = readFileSync(join(INCLUDE, 'linux', 'nsfs.h'), 'utf8');
  t.match(nsfs, /#define\s+NS_GET_NSTYPE\s+_IO\(NSIO,\s*0x3\)/, 'NS_GET_NSTYPE is _IO(NSIO, 0x3)');
  t.equal(libcConsts.NS_GET_NSTYPE, (db.values.get('NSIO')! << 8) | 0x3, 'NS_GET_NSTYPE = NSIO << 8 | 3');
  for (const k of ['CLONE_NEWNS', 'CLONE_NEWUTS', 'CLONE_NEWUSER', 'CLONE_NEWNET', 'MS_BIND', 'MS_REC', 'MS_PRIVATE', 'MS_SLAVE', 'MS_SHARED', 'NETNSA_NSID_NOT_ASSIGNED']) {
    const ours = k === 'NETNSA_NSID_NOT_ASSIGNED' ? nsidSchema.NETNSA_NSID_NOT_ASSIGNED : (libcConsts as unknown as Record<string, number>)[k];
    t.equal(ours, db.values.get(k), `${k} = ${db.values.get(k)}`);
  }
});

for (const prefix of ['RTM_', 'RTNLGRP_']) {
  t.test(`protocol.ts ${prefix}* = <linux/rtnetlink.h>, all of the enum`, async (t) => {
    const ours = Object.entries(protocol as Record<string, unknown>).filter(([k, v]) => k.startsWith(prefix) && typeof v === 'number') as [string, number][];
    const anchor = enumOfName.get(prefix === 'RTM_' ? 'RTM_NEWLINK' : 'RTNLGRP_LINK');
    t.ok(anchor, `the ${prefix} enum is in the headers`);
    for (const [k, v] of ours) {
      const hv = db.values.get(k);
      if (hv !== undefined) t.equal(v, hv, `${k} = ${hv}`);
      else t.ok(anchor && !holderOf(anchor, v), `${k} (${v}) is newer than the installed headers: its number is free there`);
    }
    const have = new Set(ours.map(([k]) => k));
    for (const m of anchor?.members ?? []) if (!excluded(m) && !have.has(m)) t.fail(`${m} is in the headers but not exported`);
  });
}

t.test('every registered message schema is named by its header number', async (t) => {
  let n = 0;
  for (let type = 0; type < 256; type++) {
    const s = protocol.rtnetlink.schema(type);
    if (!s) continue;
    n++;
    t.equal(db.values.get(s.name), type, `${s.name} = ${type}`);
  }
  // 19 with an API (LINK, ADDR, ROUTE, NEIGH, RULE, NSID) + 30 decoded only (NEXTHOP, NETCONF, ADDRLABEL, NEIGHTBL, QDISC/TCLASS/TFILTER/CHAIN, MDB, STATS).
  t.equal(n, 19 + 30, 'every rtnetlink family with a table is registered');
});

t.test('errnoNumber names errno values from the generated uapi table; checkDev is one rule for every API', async (t) => {
  const { errnoNumber, errnoName } = await import('../../src/ffi/errors.js');
  t.same(['EINTR', 'EAGAIN', 'ENOBUFS', 'EEXIST'].map(errnoNumber), [4, 11, 105, 17]);
  for (const n of [1, 4, 11, 19, 105]) t.equal(errnoNumber(errnoName(n)), n);
  t.throws(() => errnoNumber('ENOTANERRNO'), RangeError);
  const { checkDev, IFNAMSIZ } = await import('../../src/route/devname.js');
  t.equal(IFNAMSIZ, 16);
  t.equal(checkDev('eth0', 'x'), 'eth0');
  t.equal(checkDev(7, 'x'), 7);
  t.throws(() => checkDev('a'.repeat(16), 'route.dev'), { name: 'RangeError', message: /^route\.dev: "a{16}" must be 1\.\.15 bytes \(IFNAMSIZ\), is 16$/ });
  t.throws(() => checkDev('eth0:1', 'addr.add.dev'), { name: 'RangeError', message: /^addr\.add\.dev: "eth0:1" is not a valid interface name/ });
  t.throws(() => checkDev(0, 'x'), RangeError);
  t.throws(() => checkDev(null, 'x'), { name: 'TypeError', message: /got null/ });
});
