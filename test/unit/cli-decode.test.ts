// netlink-dump decode, driven as a user would (spawned binary): every fixture in every input
// format, truncated and corrupt inputs, and the usage/IO error paths.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STACK, cli } from '../helpers/cli.js';
import { FIXTURES, allFixtures, loadFixture } from '../helpers/fixtures.js';
import { pcap, pcapng } from '../helpers/pcap.js';
import { straceText } from '../helpers/strace.js';

// Two spawned processes per fixture: more than tap's default 30 s on a busy machine.
t.setTimeout(300_000);

const tmp = mkdtempSync(join(tmpdir(), 'nlts-cli-'));
const file = (name: string, data: string | Buffer): string => { const p = join(tmp, name); writeFileSync(p, data); return p; };

/** Message names per frame, as the fixture's .json expects them decoded. */
const expectedNames = (json: any): string[][] => json.expected.map((f: any) => f.messages.map((m: any) => m.name));
/** Message names per frame in `decode --json` output. */
const decodedNames = (out: any): string[][] => out.frames.map((f: any) => f.messages.map((m: any) => m.name));

const names = allFixtures();
t.ok(names.length >= 50, `fixtures to decode (${names.length})`);

for (const name of names) {
  t.test(`decode ${name}.hex: exit 0, names every message type its comments name`, async (t) => {
    const path = join(FIXTURES, `${name}.hex`);
    const r = cli(['decode', path]);
    t.equal(r.code, 0, `exit 0 (stderr: ${r.stderr})`);
    t.equal(r.stderr, '', 'nothing on stderr');
    const { readFileSync } = await import('node:fs');
    const commented = new Set(readFileSync(path, 'utf8').split('\n').filter((l) => l.startsWith('#')).flatMap((l) => l.match(/\b(?:RTM|NLMSG|NFT_MSG)_[A-Z]+\b/g) ?? []));
    t.ok(commented.size > 0, 'the fixture comments name message types');
    for (const n of commented) t.match(r.stdout, new RegExp(`\\b${n}\\b`), `names ${n}`);
    const j = cli(['decode', '--json', path]);
    t.equal(j.code, 0, 'JSON: exit 0');
    const out = JSON.parse(j.stdout);
    t.equal(out.ok, true, 'JSON: ok');
    t.same(decodedNames(out), expectedNames(loadFixture(name).json), 'JSON: the messages of every frame, named as the fixture expects');
  });
}

t.test('decode: attribute offsets, lengths, names and values (getlink-ifname request)', async (t) => {
  const fx = loadFixture('route/link/getlink-ifname');
  const send = fx.frames.find((f) => f.dir === 'send' && f.bytes.includes(Buffer.from('lo\0')))!;
  const r = cli(['decode', '--json', '--format', 'binary', '-'], { input: send.bytes });
  t.equal(r.code, 0);
  const m = JSON.parse(r.stdout).frames[0].messages[0];
  t.equal(m.name, 'RTM_GETLINK');
  t.equal(m.header.name, 'struct ifinfomsg');
  t.same(m.header.fields.map((f: any) => f.name), ['family', 'type', 'index', 'flags', 'change']);
  const ifname = m.attrs.find((a: any) => a.name === 'IFLA_IFNAME');
  t.match(ifname, { value: 'lo', length: 7, type: 3 });
  // The offset is where the nlattr really is: its type at offset+2.
  t.equal(send.bytes.readUInt16LE(ifname.offset + 2), 3, 'IFLA_IFNAME nlattr header at the reported offset');
  t.equal(send.bytes.readUInt16LE(ifname.offset), 7, 'nla_len at the reported offset');
});

t.test('decode: NLMSG_ERROR with errno name and extended ACK naming the offending attribute', async (t) => {
  const r = cli(['decode', join(FIXTURES, 'route/link/newlink-error-extack.hex')]);
  t.equal(r.code, 0);
  t.match(r.stdout, /error: -34 ERANGE .* for RTM_NEWLINK/);
  t.match(r.stdout, /NLMSGERR_ATTR_MSG: "integer out of range"/);
  t.match(r.stdout, /NLMSGERR_ATTR_OFFS: 32 \(IFLA_GSO_MAX_SIZE\)/);
  t.match(r.stdout, /error: -19 ENODEV/);
});

t.test('decode: ACKs and bigint counters in JSON', async (t) => {
  const r = cli(['decode', '--json', join(FIXTURES, 'route/link/newlink-bridge-ack.hex')]);
  const out = JSON.parse(r.stdout);
  const errs = out.frames.flatMap((f: any) => f.messages).filter((m: any) => m.name === 'NLMSG_ERROR');
  t.match(errs.map((m: any) => m.error.code), ['ENODEV', 'ACK'], 'the probe failed with ENODEV, the create was ACKed');
  t.equal(errs[1].error.error, 0);
  const d = cli(['decode', '--json', join(FIXTURES, 'route/link/getlink-dump.hex')]);
  const stats = JSON.parse(d.stdout).frames.flatMap((f: any) => f.messages).flatMap((m: any) => m.attrs ?? []).find((a: any) => a.name === 'IFLA_STATS64');
  t.type(stats.value.rx_bytes, 'string', 'u64 counters are strings in JSON');
});

// ---- truncated and corrupt input ------------------------------------------------------

const dump = loadFixture('route/link/getlink-dump');
const big = dump.frames.filter((f) => f.dir === 'recv').sort((a, b) => b.bytes.length - a.bytes.length)[0]!.bytes;

t.test('decode: a truncated datagram decodes what is whole, marks the cut with its offset, exits 1', async (t) => {
  const firstLen = big.readUInt32LE(0);
  const cut = big.subarray(0, firstLen + 40);
  const r = cli(['decode', file('trunc.bin', cut)]);
  t.equal(r.code, 1, 'exit 1');
  t.notMatch(r.stderr + r.stdout, STACK, 'no stack trace');
  t.match(r.stdout, /RTM_NEWLINK/, 'the whole first message is printed');
  t.match(r.stdout, new RegExp(`@${firstLen}\\s+!! nlmsg_len \\d+ overruns the datagram \\(40 bytes left\\)`), 'the cut is marked at its offset');
  t.match(r.stderr, new RegExp(`byte ${firstLen} \\(file byte ${firstLen}\\): nlmsg_len`), 'stderr names the offset');
});

t.test('decode: a corrupt attribute length inside a message is reported at its offset; the rest is kept', async (t) => {
  const b = Buffer.from(big.subarray(0, big.readUInt32LE(0)));
  // Third attribute of the first message: make its nla_len run past the message end.
  let off = 32;
  for (let i = 0; i < 2; i++) off += (b.readUInt16LE(off) + 3) & ~3;
  b.writeUInt16LE(0xfff0, off);
  const r = cli(['decode', '--format', 'binary', file('corrupt.bin', b)]);
  t.equal(r.code, 1);
  t.match(r.stdout, new RegExp(`@${off}\\s+!! attribute length 65520 overruns IFLA`));
  t.match(r.stderr, new RegExp(`byte ${off}`));
  t.notMatch(r.stderr + r.stdout, STACK);
  const j = JSON.parse(cli(['decode', '--json', '--format', 'binary', file('corrupt.bin', b)]).stdout);
  t.equal(j.ok, false);
  t.equal(j.frames[0].messages[0].attrs.length, 3, 'two attributes, then the fault');
});

t.test('decode: garbage and short input exit 1 with an offset, never a stack trace', async (t) => {
  for (const [label, data] of [['8 bytes', Buffer.from('2000000010000500', 'hex')], ['random', Buffer.from('ffffffffffffffffffffffffffffffffffff00', 'hex')]] as const) {
    const r = cli(['decode', file(`${label}.bin`, data)]);
    t.equal(r.code, 1, `${label}: exit 1`);
    t.match(r.stderr, /byte \d+/, `${label}: offset named`);
    t.notMatch(r.stderr + r.stdout, STACK, `${label}: no stack`);
  }
  const odd = cli(['decode', file('odd.hex', '# >>> send 1\n2000000\n')]);
  t.equal(odd.code, 1);
  t.match(odd.stderr, /odd number of hex digits/);
  t.notMatch(odd.stderr, STACK);
});

// ---- other input formats ---------------------------------------------------------------

const multi = ['route/link/newlink-error-extack', 'route/route/getroute-dump', 'route/addr/getaddr-dump'];

for (const name of multi) {
  const fx = loadFixture(name);
  const want = expectedNames(fx.json);
  t.test(`decode pcap/pcapng of ${name} (LINKTYPE_NETLINK, cooked header protocol 0)`, async (t) => {
    const packets = fx.frames.map((f) => ({ bytes: f.bytes, protocol: 0, pkttype: f.dir === 'send' ? 7 : 6 }));
    for (const [fmt, data] of [['pcap', pcap(packets)], ['pcap', pcap(packets, true)], ['pcapng', pcapng(packets)]] as const) {
      const r = cli(['decode', '--json', file(`${fmt}.cap`, data)]);
      t.equal(r.code, 0, `${fmt}: exit 0 (${r.stderr})`);
      const out = JSON.parse(r.stdout);
      t.equal(out.format, fmt, `${fmt}: detected`);
      t.same(decodedNames(out), want, `${fmt}: every packet's messages`);
      t.ok(out.frames.every((f: any) => f.protocol === 'NETLINK_ROUTE'), `${fmt}: protocol from the cooked header`);
    }
    const cut = pcap(packets);
    const r = cli(['decode', file('cut.pcap', cut.subarray(0, cut.length - 10))]);
    t.equal(r.code, 1, 'truncated pcap: exit 1');
    t.match(r.stderr, /truncated \(at byte \d+\)/);
    t.match(r.stdout, /frame 1 packet 1/, 'the whole packets before the cut are decoded');
  });
  t.test(`decode strace output of ${name} (all prefix styles)`, async (t) => {
    for (const style of ['pid', 'bracket', 'none'] as const) {
      const r = cli(['decode', '--json', file(`${style}.strace`, straceText(fx.frames, { style, time: style === 'pid' }))]);
      t.equal(r.code, 0, `${style}: exit 0 (${r.stderr})`);
      const out = JSON.parse(r.stdout);
      t.equal(out.format, 'strace', `${style}: detected`);
      t.same(decodedNames(out), want, `${style}: every call's messages`);
      t.match(out.notes.join('\n'), /MSG_PEEK read\(s\) skipped/, `${style}: peeks skipped and said so`);
    }
    const noYY = cli(['decode', '--json', file('noyy.strace', straceText(fx.frames, { yy: false }))]);
    t.same(decodedNames(JSON.parse(noYY.stdout)), want, 'without -yy: the default protocol');
  });
}

t.test('decode: --protocol from the capture; unknown ones are named', async (t) => {
  const fx = loadFixture('route/link/getlink-ifname');
  const r = cli(['decode', file('nf.strace', straceText(fx.frames, { family: 'KOBJECT_UEVENT' }))]);
  t.equal(r.code, 0);
  t.match(r.stdout, /\[NETLINK_KOBJECT_UEVENT \(no message tables: headers only\)\]/);
  t.notMatch(r.stdout, /RTM_GETLINK/, 'not decoded with rtnetlink tables');
  const forced = cli(['decode', '--protocol', 'route', file('nf.strace', straceText(fx.frames, { family: 'KOBJECT_UEVENT' }))]);
  t.match(forced.stdout, /RTM_GETLINK/, '--protocol route overrides the capture');
});

// ---- usage and IO errors ----------------------------------------------------------------

t.test('usage errors exit 2 with one line on stderr; --help exits 0', async (t) => {
  for (const args of [[], ['bogus'], ['decode'], ['decode', '--bogus', 'x'], ['decode', '--format', 'xml', 'x'], ['decode', 'a', 'b'], ['decode', '--protocol', 'nosuch', 'x']]) {
    const r = cli(args);
    t.equal(r.code, 2, `${args.join(' ') || '(none)'}: exit 2`);
    t.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ') || '(none)'}: one line (${r.stderr.trim()})`);
    t.match(r.stderr, /^netlink-dump: /);
    t.equal(r.stdout, '');
  }
  for (const args of [['--help'], ['decode', '--help'], ['help', 'decode']]) {
    const r = cli(args);
    t.equal(r.code, 0, `${args.join(' ')}: exit 0`);
    t.match(r.stdout, /^usage: netlink-dump/);
  }
});

t.test('unreadable files exit 1 with one clear line', async (t) => {
  const r = cli(['decode', join(tmp, 'no-such-file.hex')]);
  t.equal(r.code, 1);
  t.match(r.stderr, /^netlink-dump: decode: cannot read .*no-such-file\.hex: no such file\n$/);
  const d = cli(['decode', tmp]);
  t.equal(d.code, 1);
  t.match(d.stderr, /is a directory/);
});

t.test('colour only when asked for on a TTY, never with NO_COLOR', async (t) => {
  const path = join(FIXTURES, 'route/link/getlink-ifname.hex');
  t.notMatch(cli(['decode', path]).stdout, /\x1b\[/, 'a pipe gets no colour');
  t.match(cli(['decode', path], { env: { FORCE_COLOR: '1' } }).stdout, /\x1b\[36m/, 'FORCE_COLOR colours');
  t.notMatch(cli(['decode', path], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout, /\x1b\[/, 'NO_COLOR wins');
});
