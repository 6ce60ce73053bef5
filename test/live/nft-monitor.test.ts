// Live: monitorNft() under both FFI backends in a fresh netns of this file, with nft(8) making
// the changes: exactly the events of a commit in order (table, chain, set, elements, rule, gen),
// then those of the deletes; anonymous sets ride with their rule; the event loop runs while
// it waits; close() ends a waiting next() promptly and leaves no fd or pool thread.
import { execFileSync } from 'node:child_process';
import t, { type Test } from 'tap';
import { loadBackend } from '../../src/ffi/libc.js';
import { Poller } from '../../src/netlink/poller.js';
import type { NftEvent } from '../../src/nft/monitor-event.js';
import { type NftMonitor, monitorNft } from '../../src/nft/monitor.js';
import { ruleText } from '../../src/nft/print.js';
import { backends, enterFreshNetns, openFds } from '../helpers/live.js';

enterFreshNetns();
const nft = (...args: string[]): string => execFileSync('nft', args, { encoding: 'utf8' });
const nftIn = (text: string): void => { execFileSync('nft', ['-f', '-'], { input: text }); };
const sleep = (ms: number): Promise<'timeout'> => new Promise((r) => setTimeout(() => r('timeout'), ms));

function label(ev: NftEvent): string {
  switch (ev.kind) {
    case 'table': return `table ${ev.action} ${ev.table.family} ${ev.table.name}`;
    case 'chain': return `chain ${ev.action} ${ev.chain.table} ${ev.chain.name}${ev.chain.hook ? ` ${ev.chain.type} ${ev.chain.hook} ${ev.chain.priority}` : ''}`;
    case 'set': return `set ${ev.action} ${ev.set.table} ${ev.set.name}`;
    case 'element': return `element ${ev.action} ${ev.table} ${ev.set} ${JSON.stringify(ev.elements)}`;
    case 'rule': return `rule ${ev.action} ${ev.rule.table} ${ev.rule.chain}: ${ruleText(ev.rule)}`;
    case 'gen': return 'gen';
    case 'lost': return 'lost';
  }
}

/** A next() left waiting by the "nothing follows" check, per monitor: the next commit's first event. */
const carried = new WeakMap<NftMonitor, Promise<IteratorResult<NftEvent, undefined>>>();

/** Events up to and including the next `gen` (failing after 30 s), then nothing more within 150 ms. */
async function commit(t: Test, m: NftMonitor): Promise<NftEvent[]> {
  const out: NftEvent[] = [];
  const guard = setTimeout(() => m.close(), 30_000);
  const next = (): Promise<IteratorResult<NftEvent, undefined>> => {
    const c = carried.get(m);
    carried.delete(m);
    return c ?? m.next();
  };
  try {
    for (;;) {
      const r = await next();
      if (r.done) break;
      out.push(r.value);
      if (r.value.kind === 'gen') break;
    }
  } finally {
    clearTimeout(guard);
  }
  t.equal(out.at(-1)?.kind, 'gen', 'the commit ends with its gen event');
  const after = m.next();
  carried.set(m, after);
  t.equal(await Promise.race([after, sleep(150)]), 'timeout', 'and nothing follows');
  return out;
}

const RULESET = `table ip nat {
  set blk { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.1.1 } }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr 192.168.15.0/24 oifname != "br0" masquerade
    tcp dport { 22, 80 } ip saddr @blk drop
  }
}
`;

for (const backend of backends) {
  const lib = loadBackend(backend);

  t.test(`${backend}: the events of one commit, in order, then those of the delete`, async (t) => {
    nft('flush', 'ruleset');
    const m = monitorNft({ libc: lib });
    t.teardown(async () => { await m.return(); nft('flush', 'ruleset'); });
    const pending = commit(t, m);
    nftIn(RULESET);
    const made = await pending;
    t.same(made.map(label), [
      'table new ip nat',
      'chain new nat postrouting nat postrouting 100',
      'set new nat blk',
      'element new nat blk [{"prefix":{"addr":"10.0.0.0","len":8}},"192.168.1.1"]',
      'rule new nat postrouting: ip saddr 192.168.15.0/24 oifname != "br0" masquerade',
      'set new nat __set0',
      'element new nat __set0 [22,80]',
      'rule new nat postrouting: tcp dport { 22, 80 } ip saddr @blk drop',
      'gen',
    ]);
    const gen = made.at(-1)!;
    t.ok(gen.kind === 'gen' && gen.genid > 0, 'gen carries the new generation id');
    t.match(gen, { kind: 'gen', comm: 'nft' }, 'and the committing process');
    const handles = made.flatMap((e) => (e.kind === 'rule' ? [e.rule.handle] : []));
    t.same(handles.map(String), nft('-a', 'list', 'chain', 'ip', 'nat', 'postrouting').match(/# handle (\d+)\n/g)!.slice(-2).map((x) => x.replace(/\D/g, '')), 'rule handles are the kernel\'s');

    const del = commit(t, m);
    nft('delete', 'rule', 'ip', 'nat', 'postrouting', 'handle', String(handles[0]));
    t.same((await del).map((e) => e.kind === 'rule' ? `rule ${e.action} ${e.rule.handle}` : label(e)), [`rule del ${handles[0]}`, 'gen'], 'a rule delete');

    const gone = commit(t, m);
    nft('delete', 'table', 'ip', 'nat');
    t.same((await gone).map((e) => label(e).replace(/:.*/, '').replace(/ \[.*/, '')), [
      'rule del nat postrouting', 'set del nat __set0', 'set del nat blk', 'chain del nat postrouting', 'table del ip nat', 'gen',
    ], 'the table delete: its rule, sets, chain (without its hook), then the table');
  });

  t.test(`${backend}: kinds filter`, async (t) => {
    nft('flush', 'ruleset');
    const m = monitorNft({ libc: lib, kinds: ['rule'] });
    t.teardown(async () => { await m.return(); nft('flush', 'ruleset'); });
    nftIn(RULESET);
    const got: string[] = [];
    // The two rules (30 s guard for a busy machine), then nothing else within 500 ms.
    for (let wait = 30_000; ; wait = got.length >= 2 ? 500 : 30_000) {
      const r = await Promise.race([m.next(), sleep(wait)]);
      if (r === 'timeout' || r.done) break;
      got.push(label(r.value));
    }
    t.same(got, ['rule new nat postrouting: ip saddr 192.168.15.0/24 oifname != "br0" masquerade', 'rule new nat postrouting: tcp dport { 22, 80 } ip saddr @blk drop'],
      'only rules, anonymous sets still attached');
  });

  t.test(`${backend}: the event loop runs while it waits; close() is immediate and leaves nothing`, async (t) => {
    const poller = Poller.for(lib);
    const base = openFds();
    const m = monitorNft({ libc: lib });
    t.equal(openFds(), base + 1, 'one netlink socket while open');
    const pending = m.next();
    let ticks = 0;
    const iv = setInterval(() => { ticks++; }, 10);
    t.equal(await Promise.race([pending, sleep(200)]), 'timeout', 'a 200 ms timer fires while next() waits');
    // Event-based (no event is coming: a blocked loop would never tick); 30 s guard.
    const ticked = await Promise.race([(async () => { while (ticks < 10) await sleep(10); return 'ticked'; })(), sleep(30_000)]);
    clearInterval(iv);
    t.equal(ticked, 'ticked', `a 10 ms interval kept ticking (${ticks} ticks)`);
    t.ok(poller.active, 'the wait is a poll on the shared pool thread');
    const t0 = process.hrtime.bigint();
    m.close();
    const r = await pending;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    t.same(r, { value: undefined, done: true }, 'the waiting next() resolves done');
    t.ok(ms < 10_000, `promptly (${ms.toFixed(2)} ms; margin for a busy machine)`);
    await m.return();
    t.notOk(poller.active, 'no poll left on the pool');
    t.equal(openFds(), base, 'socket and eventfd closed');
  });
}

t.test('options are checked before any syscall', async (t) => {
  const base = openFds();
  t.throws(() => monitorNft({ kinds: [] }), RangeError);
  t.throws(() => monitorNft({ kinds: ['rules' as never] }), /unknown kind "rules"/);
  t.throws(() => monitorNft({ rcvbuf: -1 }), RangeError);
  t.throws(() => monitorNft(null as never), TypeError);
  t.equal(openFds(), base, 'no fd opened');
});
