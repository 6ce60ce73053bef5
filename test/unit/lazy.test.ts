// Dumps that decode on access (src/netlink/lazy.ts): for every rtnetlink object message of every
// captured fixture, the lazy object equals the eager one (the builder on the fully decoded
// message) field by field, in JSON text and through structuredClone; what users do with objects
// (JSON.stringify, structuredClone, spread, util.inspect) sees every field; the bytes are the
// object's own; and the comparison fails when a single field differs (mutation checks).
import t from 'tap';
import { inspect } from 'node:util';
import { type LazyKind, LazyMismatchError, assertLazyEqual, lazyKind } from '../../src/netlink/lazy.js';
import { decodeAll, decodeMessage, splitMessages } from '../../src/netlink/message.js';
import { protocolFor } from '../../src/protocols.js';
import { lazyAddresses } from '../../src/route/addr/addr-lazy.js';
import { toAddress } from '../../src/route/addr/addr.js';
import { type IfNameOf, nameOf } from '../../src/route/ifnames.js';
import { lazyLinks } from '../../src/route/link/link-lazy.js';
import { type Link, linkOf, toLink } from '../../src/route/link/link.js';
import { lazyNeighbours } from '../../src/route/neigh/neigh-lazy.js';
import { toNeighbour } from '../../src/route/neigh/neigh.js';
import { RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNEIGH, RTM_NEWROUTE, RTM_NEWRULE, rtnetlink } from '../../src/route/protocol.js';
import { toRoute } from '../../src/route/route/route-decode.js';
import { lazyRoutes } from '../../src/route/route/route-lazy.js';
import { lazyRules } from '../../src/route/rule/rule-lazy.js';
import { toRule } from '../../src/route/rule/rule.js';
import { allFixtures, loadFixture } from '../helpers/fixtures.js';

type AnyKind = LazyKind<object, any>;
const KINDS: Record<number, { kind: AnyKind; name: string; fromMessage: (m: any, names: IfNameOf) => object | undefined }> = {
  [RTM_NEWLINK]: { kind: lazyLinks as AnyKind, name: 'link', fromMessage: (m, n) => toLink(m, n) },
  [RTM_NEWROUTE]: { kind: lazyRoutes as AnyKind, name: 'route', fromMessage: (m, n) => toRoute(m, n) },
  [RTM_NEWADDR]: { kind: lazyAddresses as AnyKind, name: 'addr', fromMessage: (m, n) => toAddress(m, n) },
  [RTM_NEWNEIGH]: { kind: lazyNeighbours as AnyKind, name: 'neigh', fromMessage: (m, n) => toNeighbour(m, n) },
  [RTM_NEWRULE]: { kind: lazyRules as AnyKind, name: 'rule', fromMessage: (m) => toRule(m) },
};

const route = protocolFor('NETLINK_ROUTE');
const fixtures = allFixtures().filter((n) => loadFixture(n).json.protocol === 'NETLINK_ROUTE');

/** Every rtnetlink object message of every fixture: [fixture, frame bytes (a copy), start, end, type]. */
function* entries(): Generator<{ where: string; buf: Buffer; s: number; e: number; type: number; names: IfNameOf }> {
  for (const name of fixtures) {
    const fx = loadFixture(name);
    const names = new Map<number, string>();
    for (const f of fx.frames) {
      if (f.dir !== 'recv') continue;
      for (const m of decodeAll(route, f.bytes)) if (m.type === RTM_NEWLINK) names.set((m.header as { index: number }).index, (m.attrs as { ifname?: string }).ifname ?? '');
    }
    for (const [i, f] of fx.frames.entries()) {
      if (f.dir !== 'recv') continue;
      const buf = Buffer.from(f.bytes);
      for (const [s, e] of splitMessages(buf)) {
        const type = buf.readUInt16LE(s + 4);
        if (KINDS[type]) yield { where: `${name} frame ${i} byte ${s}`, buf, s, e, type, names: nameOf(names) };
      }
    }
  }
}

t.test('lazy == eager for every rtnetlink object message of every fixture', async (t) => {
  const seen: Record<string, number> = {};
  for (const { where, buf, s, e, type, names } of entries()) {
    const k = KINDS[type]!;
    const ctx = type === RTM_NEWLINK ? names : type === RTM_NEWRULE ? undefined : names;
    let eager: object | undefined, eagerErr: unknown;
    try {
      eager = k.kind.eagerReader(ctx)(buf, s, e, type);
    } catch (err) {
      eagerErr = err;
    }
    if (eagerErr) {
      // A message the eager decode refuses: the lazy object refuses it too, at the latest when read.
      t.throws(() => ({ ...k.kind.lazyReader(ctx)(buf, s, e, type) }), `${where}: lazy refuses what eager refuses`);
      continue;
    }
    // The eager reader is the old dump path: the builder on decodeMessage's header and attrs.
    t.same(eager, k.fromMessage(decodeMessage(route, buf, s, e), names), `${where}: eager reader = builder(decodeMessage)`, { diagnostic: false });
    const lazy = k.kind.lazyReader(ctx)(buf, s, e, type);
    assertLazyEqual(where, lazy, eager); // throws LazyMismatchError naming the field
    seen[k.name] = (seen[k.name] ?? 0) + 1;
  }
  for (const name of ['link', 'route', 'addr', 'neigh', 'rule']) t.ok((seen[name] ?? 0) > 0, `${name}: ${seen[name] ?? 0} fixture messages compared`);
  t.ok(Object.values(seen).reduce((a, b) => a + b, 0) > 100, `messages compared by kind: ${JSON.stringify(seen)}`);
});

/** The first link message of the fixtures with linkinfo (a kind) and af_spec: its lazy object, its eager one. */
function sampleLink(): { lazy: Link; eager: Link; buf: Buffer } {
  for (const { buf, s, e, type, names } of entries()) {
    if (type !== RTM_NEWLINK) continue;
    const eager = lazyLinks.eagerReader(names)(buf, s, e, type)!;
    if (eager.kind && eager.attrs.afSpec) return { lazy: lazyLinks.lazyReader(names)(buf, s, e, type)!, eager, buf };
  }
  throw new Error('no fixture link with a kind and af_spec');
}

t.test('what users do with a lazy object sees every field', async (t) => {
  const { eager } = sampleLink();
  const fresh = () => sampleLink().lazy;
  const big = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v);
  t.equal(JSON.stringify(fresh(), big), JSON.stringify(eager, big), 'JSON.stringify');
  t.match(JSON.stringify(fresh(), big), /"attrs":\{"[a-zA-Z]/, 'the JSON text carries attrs');
  t.same(structuredClone(fresh()), structuredClone(eager), 'structuredClone');
  t.same({ ...fresh() }, { ...eager }, 'spread');
  t.same(Object.entries(fresh()), Object.entries(eager), 'Object.entries');
  t.same(Object.keys(fresh()), Object.keys(eager), 'the same keys in the same order (attrs last)');
  t.equal(inspect(fresh(), { depth: 4 }), inspect(eager, { depth: 4 }), 'util.inspect prints it as the plain object (no [Getter], no class name)');
  t.notMatch(inspect(fresh()), /Getter/, 'console.log shows values, not [Getter]');
  const l = fresh();
  t.equal(l.attrs, l.attrs, 'attrs decodes once, then stays the same object');
  t.equal(Object.getOwnPropertyDescriptor(l, 'attrs')!.value, l.attrs, 'after the first read attrs is a data property');
  t.same(Object.keys(l), Object.keys(eager), 'still in the same key order');
  const m = fresh();
  (m as { attrs: unknown }).attrs = { replaced: true };
  t.same(m.attrs, { replaced: true }, 'attrs can be assigned like a plain object field');
});

t.test('the object keeps its own copy of the bytes', async (t) => {
  const { lazy, eager, buf } = sampleLink();
  buf.fill(0); // the buffer the reader was given (in a dump: the datagram copy) — the socket never reuses it
  // The copy the socket makes is per datagram: prove the lazy object reads its bytes lazily, from that copy.
  t.throws(() => lazy.attrs, 'decoding on access reads the bytes it was given (here zeroed on purpose)');
  t.ok(eager.attrs.ifname, 'the eager object holds values, not bytes');
});

/** The field a LazyMismatchError names, or undefined when `f` does not throw one. */
function mismatch(f: () => void): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof LazyMismatchError) return e.field;
    throw e;
  }
  return undefined;
}

t.test('mutation check: the comparison fails when one field differs', async (t) => {
  const { eager } = sampleLink();
  for (const key of Object.keys(eager)) {
    const fresh = sampleLink().lazy;
    const v = (eager as unknown as Record<string, unknown>)[key];
    const changed = { ...eager, [key]: typeof v === 'number' ? v + 1 : typeof v === 'string' ? `${v}x` : v === undefined ? 0 : Array.isArray(v) ? [...v, 'X'] : { ...(v as object), extra: 1 } };
    t.equal(mismatch(() => assertLazyEqual('sample', fresh, changed)), key, `a different ${key} is caught, by name`);
  }
  // Deep inside attrs, too.
  const deep = structuredClone(eager) as unknown as { attrs: { afSpec: Record<string, unknown> } };
  deep.attrs.afSpec['$999'] = Buffer.from([1]);
  t.equal(mismatch(() => assertLazyEqual('sample', sampleLink().lazy, deep as unknown as Link)), 'attrs', 'an extra attribute deep in attrs is caught');
  t.doesNotThrow(() => assertLazyEqual('sample', sampleLink().lazy, eager), 'and the unchanged object passes');

  // A lazy kind that forgets one attribute its builder reads: the fixture comparison catches it.
  const broken = lazyKind<Link, IfNameOf>('BrokenLink', () => ({
    schema: rtnetlink.schema(RTM_NEWLINK)!,
    pick: ['ifname', 'operstate', 'address', 'broadcast', 'master', 'link', 'linkNetnsid', 'group', 'txqlen', 'qdisc', 'ifalias', 'promiscuity', 'allmulti', { linkinfo: ['kind', 'slaveKind'] }],
    build: (h, a, name) => linkOf(h, a, name),
  }));
  let caught: unknown;
  try {
    for (const { buf, s, e, type, names } of entries()) {
      if (type !== RTM_NEWLINK) continue;
      assertLazyEqual('broken', broken.lazyReader(names)(buf, s, e, type), broken.eagerReader(names)(buf, s, e, type));
    }
  } catch (err) {
    caught = err;
  }
  t.ok(caught instanceof LazyMismatchError && caught.field === 'mtu', `a pick list without mtu fails the comparison on mtu (${String(caught)})`);

  // And through the switch every dump uses (NETLINK_TS_CHECK_LAZY=1).
  const saved = process.env['NETLINK_TS_CHECK_LAZY'];
  process.env['NETLINK_TS_CHECK_LAZY'] = '1';
  try {
    let err: unknown;
    try {
      for (const { buf, s, e, type, names } of entries()) if (type === RTM_NEWLINK) broken.reader(names)(buf, s, e, type);
    } catch (x) {
      err = x;
    }
    t.ok(err instanceof LazyMismatchError, 'reader() with NETLINK_TS_CHECK_LAZY=1 throws on the first difference');
    t.doesNotThrow(() => {
      for (const { buf, s, e, type, names } of entries()) if (type === RTM_NEWLINK) lazyLinks.reader(names)(buf, s, e, type);
    }, 'and the real link kind passes');
  } finally {
    if (saved === undefined) delete process.env['NETLINK_TS_CHECK_LAZY'];
    else process.env['NETLINK_TS_CHECK_LAZY'] = saved;
  }
});
