// netlink-dump decode: every fixture in every input format, truncated and corrupt inputs, and
// the usage/IO error paths. Run in-process (the bundled bin's runCli, cliIn) so the file stays
// fast on a busy machine; the tests marked "real process" spawn the binary (cli) to prove it
// behaves the same.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STACK, cli, cliIn } from '../helpers/cli.js';
import { FIXTURES, allFixtures, loadFixture } from '../helpers/fixtures.js';
import { pcap, pcapng } from '../helpers/pcap.js';
import { straceText } from '../helpers/strace.js';

// In-process: well within tap's default; the margin is for a machine under heavy load.
t.setTimeout(600_000); // a safety net (test/run.sh --timeout), not a speed check

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
    const r = await cliIn(['decode', path]);
    t.equal(r.code, 0, `exit 0 (stderr: ${r.stderr})`);
    t.equal(r.stderr, '', 'nothing on stderr');
    const { readFileSync } = await import('node:fs');
    const commented = new Set(readFileSync(path, 'utf8').split('\n').filter((l) => l.startsWith('#')).flatMap((l) => l.match(/\b(?:RTM|NLMSG|NFT_MSG)_[A-Z]+\b/g) ?? []));
    t.ok(commented.size > 0, 'the fixture comments name message types');
    for (const n of commented) t.match(r.stdout, new RegExp(`\\b${n}\\b`), `names ${n}`);
    const j = await cliIn(['decode', '--json', path]);
    t.equal(j.code, 0, 'JSON: exit 0');
    const out = JSON.parse(j.stdout);
    t.equal(out.ok, true, 'JSON: ok');
    t.same(decodedNames(out), expectedNames(loadFixture(name).json), 'JSON: the messages of every frame, named as the fixture expects');
  });
}

t.test('decode: attribute offsets, lengths, names and values (getlink-ifname request)', async (t) => {
  const fx = loadFixture('route/link/getlink-ifname');
  const send = fx.frames.find((f) => f.dir === 'send' && f.bytes.includes(Buffer.from('lo\0')))!;
  const r = await cliIn(['decode', '--json', '--format', 'binary', '-'], { input: send.bytes });
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
  const r = await cliIn(['decode', join(FIXTURES, 'route/link/newlink-error-extack.hex')]);
  t.equal(r.code, 0);
  t.match(r.stdout, /error: -34 ERANGE .* for RTM_NEWLINK/);
  t.match(r.stdout, /NLMSGERR_ATTR_MSG: "integer out of range"/);
  t.match(r.stdout, /NLMSGERR_ATTR_OFFS: 32 \(IFLA_GSO_MAX_SIZE\)/);
  t.match(r.stdout, /error: -19 ENODEV/);
});

t.test('decode: ACKs and bigint counters in JSON', async (t) => {
  const r = await cliIn(['decode', '--json', join(FIXTURES, 'route/link/newlink-bridge-ack.hex')]);
  const out = JSON.parse(r.stdout);
  const errs = out.frames.flatMap((f: any) => f.messages).filter((m: any) => m.name === 'NLMSG_ERROR');
  t.match(errs.map((m: any) => m.error.code), ['ENODEV', 'ACK'], 'the probe failed with ENODEV, the create was ACKed');
  t.equal(errs[1].error.error, 0);
  const d = await cliIn(['decode', '--json', join(FIXTURES, 'route/link/getlink-dump.hex')]);
  const stats = JSON.parse(d.stdout).frames.flatMap((f: any) => f.messages).flatMap((m: any) => m.attrs ?? []).find((a: any) => a.name === 'IFLA_STATS64');
  t.type(stats.value.rx_bytes, 'string', 'u64 counters are strings in JSON');
});

// ---- truncated and corrupt input ------------------------------------------------------

const dump = loadFixture('route/link/getlink-dump');
const big = dump.frames.filter((f) => f.dir === 'recv').sort((a, b) => b.bytes.length - a.bytes.length)[0]!.bytes;

t.test('decode: a truncated datagram decodes what is whole, marks the cut with its offset, exits 1', async (t) => {
  const firstLen = big.readUInt32LE(0);
  const cut = big.subarray(0, firstLen + 40);
  const r = await cliIn(['decode', file('trunc.bin', cut)]);
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
  const r = await cliIn(['decode', '--format', 'binary', file('corrupt.bin', b)]);
  t.equal(r.code, 1);
  t.match(r.stdout, new RegExp(`@${off}\\s+!! attribute length 65520 overruns IFLA`));
  t.match(r.stderr, new RegExp(`byte ${off}`));
  t.notMatch(r.stderr + r.stdout, STACK);
  const j = JSON.parse((await cliIn(['decode', '--json', '--format', 'binary', file('corrupt.bin', b)])).stdout);
  t.equal(j.ok, false);
  t.equal(j.frames[0].messages[0].attrs.length, 3, 'two attributes, then the fault');
});

t.test('decode: garbage and short input exit 1 with an offset, never a stack trace', async (t) => {
  for (const [label, data] of [['8 bytes', Buffer.from('2000000010000500', 'hex')], ['random', Buffer.from('ffffffffffffffffffffffffffffffffffff00', 'hex')]] as const) {
    const r = await cliIn(['decode', file(`${label}.bin`, data)]);
    t.equal(r.code, 1, `${label}: exit 1`);
    t.match(r.stderr, /byte \d+/, `${label}: offset named`);
    t.notMatch(r.stderr + r.stdout, STACK, `${label}: no stack`);
  }
  const odd = await cliIn(['decode', file('odd.hex', '# >>> send 1\n2000000\n')]);
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
      const r = await cliIn(['decode', '--json', file(`${fmt}.cap`, data)]);
      t.equal(r.code, 0, `${fmt}: exit 0 (${r.stderr})`);
      const out = JSON.parse(r.stdout);
      t.equal(out.format, fmt, `${fmt}: detected`);
      t.same(decodedNames(out), want, `${fmt}: every packet's messages`);
      t.ok(out.frames.every((f: any) => f.protocol === 'NETLINK_ROUTE'), `${fmt}: protocol from the cooked header`);
    }
    const cut = pcap(packets);
    const r = await cliIn(['decode', file('cut.pcap', cut.subarray(0, cut.length - 10))]);
    t.equal(r.code, 1, 'truncated pcap: exit 1');
    t.match(r.stderr, /truncated \(at byte \d+\)/);
    t.match(r.stdout, /frame 1 packet 1/, 'the whole packets before the cut are decoded');
  });
  t.test(`decode strace output of ${name} (all prefix styles)`, async (t) => {
    for (const style of ['pid', 'bracket', 'none'] as const) {
      const r = await cliIn(['decode', '--json', file(`${style}.strace`, straceText(fx.frames, { style, time: style === 'pid' }))]);
      t.equal(r.code, 0, `${style}: exit 0 (${r.stderr})`);
      const out = JSON.parse(r.stdout);
      t.equal(out.format, 'strace', `${style}: detected`);
      t.same(decodedNames(out), want, `${style}: every call's messages`);
      t.match(out.notes.join('\n'), /MSG_PEEK read\(s\) skipped/, `${style}: peeks skipped and said so`);
    }
    const noYY = await cliIn(['decode', '--json', file('noyy.strace', straceText(fx.frames, { yy: false }))]);
    t.same(decodedNames(JSON.parse(noYY.stdout)), want, 'without -yy: the default protocol');
  });
}

t.test('decode: --protocol from the capture; unknown ones are named', async (t) => {
  const fx = loadFixture('route/link/getlink-ifname');
  const r = await cliIn(['decode', file('nf.strace', straceText(fx.frames, { family: 'KOBJECT_UEVENT' }))]);
  t.equal(r.code, 0);
  t.match(r.stdout, /\[NETLINK_KOBJECT_UEVENT \(no message tables: headers only\)\]/);
  t.notMatch(r.stdout, /RTM_GETLINK/, 'not decoded with rtnetlink tables');
  const forced = await cliIn(['decode', '--protocol', 'route', file('nf.strace', straceText(fx.frames, { family: 'KOBJECT_UEVENT' }))]);
  t.match(forced.stdout, /RTM_GETLINK/, '--protocol route overrides the capture');
});

// ---- usage and IO errors ----------------------------------------------------------------

t.test('usage errors exit 2 with one line on stderr; --help exits 0', async (t) => {
  for (const args of [[], ['bogus'], ['decode'], ['decode', '--bogus', 'x'], ['decode', '--format', 'xml', 'x'], ['decode', 'a', 'b'], ['decode', '--protocol', 'nosuch', 'x'], ['decode', '--max-bytes', 'lots', 'x'], ['decode', '--max-bytes', '0', 'x']]) {
    const r = await cliIn(args);
    t.equal(r.code, 2, `${args.join(' ') || '(none)'}: exit 2`);
    t.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ') || '(none)'}: one line (${r.stderr.trim()})`);
    t.match(r.stderr, /^netlink-dump: /);
    t.equal(r.stdout, '');
  }
  for (const args of [['--help'], ['decode', '--help'], ['help', 'decode']]) {
    const r = await cliIn(args);
    t.equal(r.code, 0, `${args.join(' ')}: exit 0`);
    t.match(r.stdout, /^usage: netlink-dump/);
  }
  // Real process: the bin's own exit status and stderr line.
  const r = cli(['decode', '--format', 'xml', 'x']);
  t.equal(r.code, 2, 'real process: exit 2');
  t.match(r.stderr, /^netlink-dump: decode: unknown format "xml"/);
  t.equal(cli(['--help']).code, 0, 'real process: --help exits 0');
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

// ---- hostile input (issue 17, item 5) -----------------------------------------------------

t.test('decode: one frame with 20k routes (an `ip route save` dump) prints every message in text and JSON', async (t) => {
  const fx = loadFixture('route/route/getroute-dump');
  const recv = fx.frames.find((f) => f.dir === 'recv' && f.bytes.readUInt16LE(4) === 24)!.bytes;
  const one = recv.subarray(0, recv.readUInt32LE(0));
  const n = 20_000;
  const frame = Buffer.concat(Array.from({ length: n }, () => one));
  const path = file('routes20k.bin', frame);
  const r = await cliIn(['decode', path]);
  t.equal(r.code, 0, `exit 0 (${r.stderr.slice(0, 200)})`);
  t.equal(r.stderr, '');
  t.equal(r.stdout.match(/RTM_NEWROUTE len=/g)?.length, n, 'every message printed');
  const j = await cliIn(['decode', '--json', path]);
  t.equal(j.code, 0);
  t.equal(JSON.parse(j.stdout).frames[0].messages.length, n, 'JSON: every message');
});

t.test('decode: --max-bytes bounds what is read (/dev/zero, an endless stdin, a large file)', async (t) => {
  const z = await cliIn(['decode', '--max-bytes', '1M', '/dev/zero']);
  t.equal(z.code, 1, '/dev/zero: exit 1');
  t.equal(z.stdout, '');
  t.equal(z.stderr, 'netlink-dump: decode: /dev/zero is larger than --max-bytes 1048576 (1 MiB); raise --max-bytes to decode it\n');
  const d = await cliIn(['decode', '/dev/zero']);
  t.equal(d.code, 1, '/dev/zero with the default: exit 1');
  t.match(d.stderr, /larger than --max-bytes 67108864 \(64 MiB\)/, 'the default is 64 MiB');
  const f = await cliIn(['decode', '--max-bytes', '100', file('big.bin', Buffer.alloc(101))]);
  t.match(f, { code: 1, stderr: /big\.bin is larger than --max-bytes 100 \(0\.00 MiB\)/ }, 'a regular file over the limit is refused from its size');
  const ok = await cliIn(['decode', '--max-bytes', String(big.length), '--format', 'binary', file('exact.bin', big)]);
  t.equal(ok.code, 0, 'a file of exactly --max-bytes decodes');
  const s = await cliIn(['decode', '--max-bytes', '10', '-'], { input: Buffer.alloc(11) });
  t.match(s, { code: 1, stderr: /standard input is larger than --max-bytes 10/ }, 'stdin over the limit');
  // Real process: stdin is /dev/zero itself (never ends).
  const { spawnSync } = await import('node:child_process');
  const { openSync, closeSync } = await import('node:fs');
  const { BIN } = await import('../helpers/cli.js');
  const zero = openSync('/dev/zero', 'r');
  const p = spawnSync(process.execPath, [BIN, 'decode', '--max-bytes', '4M', '-'], { stdio: [zero, 'pipe', 'pipe'], encoding: 'utf8' });
  closeSync(zero);
  t.equal(p.status, 1, 'real process, endless stdin: exit 1');
  t.equal(p.stderr, 'netlink-dump: decode: standard input is larger than --max-bytes 4194304 (4 MiB); raise --max-bytes to decode it\n');
});

t.test('decode: an empty file or stdin exits 1 with a message', async (t) => {
  const e = await cliIn(['decode', file('empty.bin', Buffer.alloc(0))]);
  t.match(e, { code: 1, stdout: '', stderr: /^netlink-dump: decode: .*empty\.bin is empty: nothing to decode\n$/ });
  const s = await cliIn(['decode', '-'], { input: '' });
  t.match(s, { code: 1, stderr: /standard input is empty/ });
});

t.test('decode: truncated and corrupt pcapng blocks are clean errors (no RangeError)', async (t) => {
  const fx = loadFixture('route/link/getlink-ifname');
  const ng = pcapng(fx.frames.map((f) => ({ bytes: f.bytes, protocol: 0, pkttype: 6 })));
  // Cut inside every block boundary region, and forge tiny block lengths on each block type.
  const bounds = new Set<number>();
  for (let o = 0; o < ng.length; o += ng.readUInt32LE(o + 4)) bounds.add(o);
  for (let cut = 1; cut < ng.length; cut += 7) {
    if (bounds.has(cut)) continue; // a cut between blocks is a shorter valid file
    const r = await cliIn(['decode', '--format', 'pcapng', file('cut.pcapng', ng.subarray(0, cut))]);
    t.equal(r.code, 1, `cut at ${cut}: exit 1`);
    t.notMatch(r.stderr, /RangeError|ERR_|out of range/, `cut at ${cut}: ${r.stderr.trim()}`);
    t.notMatch(r.stderr + r.stdout, STACK);
  }
  let off = 0;
  while (off < ng.length) {
    const len = ng.readUInt32LE(off + 4);
    for (const forged of [12, 16, 20, 24, 28]) {
      if (forged >= len) continue;
      const b = Buffer.from(ng.subarray(0, off + forged));
      b.writeUInt32LE(forged, off + 4);
      b.writeUInt32LE(forged, off + forged - 4);
      const r = await cliIn(['decode', '--format', 'pcapng', file('forged.pcapng', b)]);
      t.equal(r.code, 1, `block type ${ng.readUInt32LE(off)} at ${off} forged to ${forged} bytes: exit 1`);
      t.match(r.stderr, /pcapng/, r.stderr.trim());
      t.notMatch(r.stderr, /RangeError|out of range/);
    }
    off += len;
  }
});
