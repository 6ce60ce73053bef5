// Live: NeighApi against iproute2 on the same state, in a private netns, under both FFI backends.
import t, { type Test } from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { BulkError, NetlinkError } from '../../src/netlink/errors.js';
import { RouteHandle } from '../../src/route/handle.js';
import { type Neighbour, type NeighSpec, NeighApi } from '../../src/route/neigh/neigh.js';
import { backends, enterFreshNetns, ip, ipJson, netnsInode } from '../helpers/live.js';

const home = enterFreshNetns();

/** The same entry made by `ip neigh add ARGS` (DEV = the device) and by NeighApi. */
const SAME: ReadonlyArray<readonly [string, (dev: string) => NeighSpec]> = [
  ['10.1.0.5 lladdr 02:00:00:00:00:05 dev DEV nud permanent', (dev) => ({ dst: '10.1.0.5', lladdr: '02:00:00:00:00:05', dev, state: 'permanent' })],
  ['10.1.0.6 lladdr 02:00:00:00:00:06 dev DEV nud stale', (dev) => ({ dst: '10.1.0.6', lladdr: '02:00:00:00:00:06', dev, state: 'stale' })],
  ['10.1.0.7 lladdr 02:00:00:00:00:07 dev DEV nud noarp protocol static', (dev) => ({ dst: '10.1.0.7', lladdr: '02:00:00:00:00:07', dev, state: 'noarp', protocol: 'static' })],
  ['10.1.0.8 lladdr 02:00:00:00:00:08 dev DEV nud reachable extern_learn', (dev) => ({ dst: '10.1.0.8', lladdr: '02:00:00:00:00:08', dev, state: 'reachable', externLearn: true })],
  ['fd00:1::5 lladdr 02:00:00:00:00:15 dev DEV nud stale router', (dev) => ({ dst: 'fd00:1::5', lladdr: '02:00:00:00:00:15', dev, state: 'stale', router: true })],
  ['fd00:1::6 lladdr 02:00:00:00:00:16 dev DEV nud permanent', (dev) => ({ dst: 'fd00:1::6', lladdr: '02:00:00:00:00:16', dev, state: 'permanent' })],
];

/** A bridge with addresses but DOWN: no kernel-made multicast entries, no probing. */
const bridge = (t: Test, name: string): string => {
  ip('link', 'add', name, 'type', 'bridge');
  t.teardown(() => { ip('link', 'del', name); });
  return name;
};
const settle = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

/** Our Neighbour in the words `ip -j neigh show dev DEV` prints (no dev key there). */
const asIp = (n: Neighbour): Record<string, unknown> => ({
  dst: n.dst,
  ...(n.lladdr !== undefined ? { lladdr: n.lladdr } : {}),
  ...Object.fromEntries(n.flags.map((f) => [f, null])),
  ...(n.protocol !== undefined ? { protocol: n.protocol } : {}),
  ...(n.state[0] !== 'none' ? { state: n.state.map((s) => s.toUpperCase()) } : {}),
});
const ipNeigh = (dev: string, ...opts: string[]): any[] => ipJson(...opts, 'neigh', 'show', 'nud', 'all', 'dev', dev);
/** Dump order follows the kernel's hash of (address, device): compare two devices' tables sorted. */
const byDst = (a: any[]): any[] => [...a].sort((x, y) => (x.dst < y.dst ? -1 : x.dst > y.dst ? 1 : 0));

for (const backend of backends) {
  const b = backend[0]!;
  const open = (t: Test): NeighApi => {
    const h = RouteHandle.open({ libc: loadBackend(backend) });
    t.teardown(() => h.close());
    return h.neigh;
  };

  t.test(`${backend}: entries made by ip decode field by field like ip -j neigh show`, async (t) => {
    const neigh = open(t);
    const dev = bridge(t, `ip${b}0`);
    for (const [args] of SAME) ip('neigh', 'add', ...args.replaceAll('DEV', dev).split(' '));
    const ours = await neigh.list({ dev });
    t.equal(ours.length, SAME.length, 'one Neighbour per ip neigh add');
    t.same(ours.map(asIp), ipNeigh(dev), `list({ dev: '${dev}' }) = ip -j neigh show nud all dev ${dev}`);
    t.same((await neigh.list({ dev, family: 4 })).map(asIp), ipNeigh(dev, '-4'), 'family 4 = ip -j -4');
    t.same((await neigh.list({ dev, family: 6 })).map(asIp), ipNeigh(dev, '-6'), 'family 6 = ip -j -6');
    const streamed: Neighbour[] = [];
    for await (const n of neigh.stream({ dev })) streamed.push(n);
    t.same(streamed.map(asIp), ours.map(asIp), 'stream() yields what list() returns');
    const all = await neigh.list();
    t.same(all.filter((n) => n.dev === ours[0]!.dev).map(asIp), ours.map(asIp), 'the unfiltered dump holds the same entries');
    t.match(ours.find((n) => n.dst === 'fd00:1::5'), { family: 6, state: ['stale'], flags: ['router'], type: 'unicast' });
  });

  t.test(`${backend}: entries made by NeighApi read back through ip -j exactly as ip-made ones`, async (t) => {
    const neigh = open(t);
    const byIp = bridge(t, `iq${b}0`);
    const byUs = bridge(t, `us${b}0`);
    for (const [args, spec] of SAME) {
      ip('neigh', 'add', ...args.replaceAll('DEV', byIp).split(' '));
      await neigh.add(spec(byUs));
    }
    t.same(byDst(ipNeigh(byUs)), byDst(ipNeigh(byIp)), 'ip -j neigh show: identical');
    t.same(byDst(ipNeigh(byUs, '-6')), byDst(ipNeigh(byIp, '-6')), 'ip -j -6 neigh show: identical');

    ip('neigh', 'replace', '10.1.0.5', 'lladdr', '02:00:00:00:00:55', 'dev', byIp, 'nud', 'reachable');
    await neigh.replace({ dst: '10.1.0.5', lladdr: '02:00:00:00:00:55', dev: byUs, state: 'reachable' });
    t.same(byDst(ipNeigh(byUs)), byDst(ipNeigh(byIp)), 'after replace: identical');

    const dup = await settle(neigh.add(SAME[0]![1](byUs)));
    t.type(dup, NetlinkError, 'a duplicate add is a NetlinkError');
    t.equal((dup as NetlinkError).code, 'EEXIST');
    t.equal((dup as NetlinkError).operation, 'RTM_NEWNEIGH');

    for (const [, spec] of SAME) {
      ip('neigh', 'del', spec(byIp).dst, 'dev', byIp);
      await neigh.del({ dst: spec(byUs).dst, dev: byUs });
    }
    t.same(ipNeigh(byUs), [], 'all deleted');
    const gone = await settle(neigh.del({ dst: '10.1.0.5', dev: byUs }));
    t.equal((gone as NetlinkError).code, 'ENOENT', 'deleting a missing entry: ENOENT');
  });

  t.test(`${backend}: addMany with a duplicate reports it by index; delMany`, async (t) => {
    const neigh = open(t);
    const dev = bridge(t, `bk${b}0`);
    const unique: NeighSpec[] = Array.from({ length: 300 }, (_, i) => ({ dst: `10.2.${1 + (i >> 7)}.${(i & 127) + 1}`, lladdr: '02:00:00:00:01:01', dev }));
    const withDup = [...unique.slice(0, 150), unique[10]!, ...unique.slice(150)];
    const err = await settle(neigh.addMany(withDup, { stopOnError: false }));
    t.type(err, BulkError);
    t.equal((err as BulkError).failures.length, 1, 'exactly one failure');
    t.equal((err as BulkError).failures[0]?.index, 150, 'and it is the duplicate');
    t.equal((err as BulkError).failures[0]?.code, 'EEXIST');
    t.equal((await neigh.list({ dev })).length, 300, 'the others were added');
    t.same(await neigh.delMany(unique.map(({ dst }) => ({ dst, dev }))), { attempted: 300, failures: [] }, 'delMany');
    t.same(await neigh.list({ dev }), []);
  });

  t.test(`${backend}: bad input is refused before any syscall; a missing device names itself`, async (t) => {
    const neigh = open(t);
    await t.rejects(neigh.add({ dst: '10.1.0.5/24', dev: 'lo' }), RangeError);
    await t.rejects(neigh.add({ dst: '10.1.0.5', dev: 'x'.repeat(16) }), RangeError);
    await t.rejects(neigh.add({ dst: '10.1.0.5', dev: 'lo', lladdr: 'zz' }), RangeError);
    await t.rejects(neigh.add({ dst: '10.1.0.5', dev: 'lo', state: 'bogus' as never }), RangeError);
    const missing = await settle(neigh.add({ dst: '10.1.0.5', lladdr: '02:00:00:00:00:05', dev: 'nosuchdev' }));
    t.type(missing, NetlinkError);
    t.equal((missing as NetlinkError).code, 'ENODEV');
    t.match((missing as NetlinkError).message, /device "nosuchdev"/);
  });
}

t.test('still in the namespace this file created', async (t) => {
  t.equal(netnsInode(), home);
});
