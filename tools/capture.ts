/**
 * Fixture capture tool: runs a command under strace inside the network sandbox and writes
 * the netlink bytes it exchanged as a fixture pair `OUT.hex` + `OUT.json` (STYLE.md §4).
 *
 *   node dist/tools/capture.js --out fixtures/route/link/getlink-dump \
 *     [--setup 'CMD' ...] [--oracle 'CMD'] [--description 'text'] [--keep-padding] -- CMD ARGS...
 *
 * Unless NETLINK_TS_SANDBOX=1, it re-executes itself under tools/sandbox.sh, so setup,
 * command and oracle never touch the machine's own namespaces. See tools/README.md.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NLMSG_HDRLEN, nlmsgAlign } from '../src/netlink/align.js';
import { fixtureExpected, formatHexFixture, type Frame, type FixtureProvenance } from '../src/netlink/fixture.js';
import { type Protocol, decodeMessage, describeMessage, splitMessages } from '../src/netlink/message.js';
import { protocolFor } from '../src/protocols.js';
import { SEND_CALLS as SEND, parseStrace } from '../src/netlink/strace.js';

const TOOL = 'tools/capture.ts';

// ---------------------------------------------------------------------------------------
// Arguments

interface Options {
  out: string;
  setup: string[];
  oracle?: string;
  description?: string;
  /** Keep zero bytes a sender passed after its last message (default: drop and record them). */
  keepPadding: boolean;
  command: string[];
}

const USAGE = `usage: node dist/tools/capture.js --out PATH [--setup 'CMD' ...] [--oracle 'CMD'] [--description 'text'] [--keep-padding] -- CMD ARGS...`;

function die(msg: string, code = 1): never {
  process.stderr.write(`capture: ${msg}\n`);
  process.exit(code);
}

function parseArgs(argv: readonly string[]): Options {
  const setup: string[] = [];
  let out: string | undefined;
  let oracle: string | undefined;
  let description: string | undefined;
  let keepPadding = false;
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) die(`${flag} needs a value\n${USAGE}`, 2);
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { i++; break; }
    if (a === '--out') out = value(a);
    else if (a === '--setup') setup.push(value(a));
    else if (a === '--oracle') oracle = value(a);
    else if (a === '--description') description = value(a);
    else if (a === '--keep-padding') keepPadding = true;
    else if (a === '-h' || a === '--help') { process.stdout.write(`${USAGE}\n`); process.exit(0); }
    else die(`unknown option ${a} (the command goes after --)\n${USAGE}`, 2);
  }
  const command = argv.slice(i);
  if (!out) die(`--out is required\n${USAGE}`, 2);
  if (command.length === 0) die(`no command given after --\n${USAGE}`, 2);
  return { out, setup, command, keepPadding, ...(oracle !== undefined && { oracle }), ...(description !== undefined && { description }) };
}

/** Quote for a POSIX shell only where needed, so recorded commands can be pasted back. */
function shQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
const shJoin = (argv: readonly string[]): string => argv.map(shQuote).join(' ');

// ---------------------------------------------------------------------------------------
// Outside the sandbox: re-execute ourselves under tools/sandbox.sh.

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'tools', 'sandbox.sh')) && existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) die('cannot find the repository root (tools/sandbox.sh) above this script');
    dir = up;
  }
}

function reexecInSandbox(): never {
  const sandbox = join(repoRoot(), 'tools', 'sandbox.sh');
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync('bash', [sandbox, process.execPath, self, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.error) die(`cannot run ${sandbox}: ${r.error.message}`);
  process.exit(r.status ?? 1);
}

// ---------------------------------------------------------------------------------------
// Per-frame summaries, by the library's own decoder and describeMessage()

/** Offset just past the last whole nlmsghdr-framed message at the start of `buf`. */
function messagesEnd(buf: Buffer): number {
  let off = 0;
  while (off + NLMSG_HDRLEN <= buf.length) {
    const len = buf.readUInt32LE(off);
    if (len < NLMSG_HDRLEN || off + len > buf.length) break;
    off = Math.min(off + nlmsgAlign(len), buf.length);
  }
  return off;
}

/**
 * Comment lines for a frame: each message's describe() head line, plus error / ext-ACK
 * lines; `ok` is false when the lengths do not add up or a message does not decode.
 */
function summarize(buf: Buffer, family: string | undefined): { lines: string[]; ok: boolean } {
  const proto = family ? PROTOCOLS[family] : undefined;
  if (!proto) return { lines: [`(no decoder for NETLINK_${family ?? '?'})`], ok: messagesEnd(buf) === buf.length };
  try {
    const lines = splitMessages(buf).flatMap(([s, e], i) => {
      const text = describeMessage(proto, decodeMessage(proto, buf, s, e)).split('\n');
      return [`nlmsg ${i + 1}: ${text[0]} len=${e - s}`, ...text.slice(1).filter((l) => /^\s+(error|NLMSGERR_ATTR)/.test(l)).map((l) => `  ${l.trim()}`)];
    });
    return { lines, ok: messagesEnd(buf) === buf.length };
  } catch (err) {
    return { lines: [`undecodable: ${(err as Error).message}`], ok: false };
  }
}

const PROTOCOLS: Readonly<Record<string, Protocol>> = { ROUTE: protocolFor('NETLINK_ROUTE'), NETFILTER: protocolFor('NETLINK_NETFILTER') };

// ---------------------------------------------------------------------------------------
// Inside the sandbox

function run(cmd: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
}

function toolVersion(cmd: string): string {
  const base = basename(cmd);
  const tries: string[][] = base === 'nft' ? [['-v']]
    : ['ip', 'tc', 'bridge', 'ss', 'devlink', 'rdma', 'dcb', 'vdpa'].includes(base) ? [['-V']]
      : [['--version'], ['-V'], ['-v']];
  for (const t of tries) {
    const r = run(cmd, t);
    const line = firstLine(r.stdout ?? '') || firstLine(r.stderr ?? '');
    if (r.status === 0 && line) return line;
  }
  return `${base} (version unknown)`;
}

function checkSandbox(): void {
  // Belt and braces: sandbox.sh exports the host's netns inode; refuse to run in it.
  const host = process.env.NETLINK_TS_HOST_NETNS;
  const here = String(statSync('/proc/self/ns/net').ino);
  if (!host || host === here) die('NETLINK_TS_SANDBOX=1 but this is not a sandbox network namespace; refusing to run');
}

function captureInside(opts: Options): void {
  checkSandbox();
  const outBase = resolve(opts.out);

  for (const s of opts.setup) {
    const r = spawnSync('sh', ['-c', s], { stdio: 'inherit' });
    if (r.status !== 0) die(`setup command failed (${r.status ?? r.signal}): ${s}`);
  }

  const tmp = mkdtempSync(join(tmpdir(), 'nlts-capture-'));
  try {
    const traceFile = join(tmp, 'strace.out');
    const straceArgs = [
      '-f', '-yy', '-e', 'trace=sendto,sendmsg,recvmsg,recvfrom', '-e', 'write=all', '-e', 'read=all',
      '-s', '0', '-o', traceFile, '--', ...opts.command,
    ];
    const captured = shJoin(['strace', ...straceArgs]);
    const r = run('strace', straceArgs);
    if (r.error) die(`cannot run strace (${r.error.message}); install it: apt-get install strace`);
    const trace = existsSync(traceFile) ? readFileSync(traceFile, 'utf8') : '';
    const rawStderr = r.stderr ?? '';
    const straceMsgs = rawStderr.split('\n').filter((l) => l.startsWith('strace: '));
    const stderr = rawStderr.split('\n').filter((l) => !l.startsWith('strace: ')).join('\n');
    const { calls, exits, warnings } = parseStrace(trace);
    for (const w of warnings) process.stderr.write(`capture: warning: ${w}\n`);
    if (exits.size === 0) die(`strace did not trace the command:\n${rawStderr}`);
    if (straceMsgs.length) process.stderr.write(`capture: strace said:\n${straceMsgs.join('\n')}\n`);
    const exitCode = r.status ?? 128 + (r.signal ? osConstants.signals[r.signal] : 0);
    if (r.stdout) process.stderr.write(`capture: command stdout:\n${r.stdout}`);
    if (stderr) process.stderr.write(`capture: command stderr:\n${stderr}`);

    let oracle: unknown;
    if (opts.oracle !== undefined) {
      const o = spawnSync('sh', ['-c', opts.oracle], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      if (o.status !== 0) die(`oracle command failed (${o.status ?? o.signal}): ${opts.oracle}\n${o.stderr ?? ''}`);
      try { oracle = JSON.parse(o.stdout); } catch { oracle = o.stdout; }
    }

    const frames: Frame[] = [];
    const families: (string | undefined)[] = [];
    let peeksDropped = 0;
    let failedCalls = 0;
    const paddingDropped: { frame: number; syscallBytes: number; kept: number }[] = [];
    for (const c of calls) {
      if (c.family === undefined) continue;
      if (c.ret < 0) { failedCalls++; continue; }
      if (c.peek) { peeksDropped++; continue; }
      const dir = SEND.has(c.name) ? 'send' : 'recv';
      if (c.bytes.length !== c.ret) {
        die(`${c.name} on fd ${c.fd} returned ${c.ret} but strace dumped ${c.bytes.length} bytes`);
      }
      const n = frames.length + 1;
      let bytes = Buffer.from(c.bytes);
      let size = `${c.ret} bytes`;
      const used = messagesEnd(bytes);
      if (!opts.keepPadding && used > 0 && used < bytes.length && bytes.subarray(used).every((b) => b === 0)) {
        // iproute2 sends sizeof(req) — the request plus its zeroed spare buffer. The kernel
        // (netlink_rcv_skb) stops silently at a header with nlmsg_len < NLMSG_HDRLEN, so the
        // zeros are not part of any message; drop them (and say so) unless --keep-padding.
        paddingDropped.push({ frame: n, syscallBytes: c.ret, kept: used });
        size = `${used} of ${c.ret} bytes (${c.ret - used} trailing zero bytes dropped)`;
        bytes = bytes.subarray(0, used);
      }
      frames.push({ dir, bytes, label: `${dir} ${n}: ${c.name} fd=${c.fd} (NETLINK_${c.family}), ${size}` });
      families.push(c.family);
    }
    if (frames.length === 0) die('the command made no netlink sendto/sendmsg/recvmsg/recvfrom calls');

    let bad = 0;
    const summaries = frames.map((f, i) => {
      const s = summarize(f.bytes, families[i]);
      if (!s.ok) bad++;
      return s.lines;
    });
    if (bad) process.stderr.write(`capture: warning: ${bad} frame(s) whose nlmsghdr lengths do not add up to the frame length\n`);

    const protocols = [...new Set(families.map((f) => `NETLINK_${f}`))];
    const command = shJoin(opts.command);
    const provenance: FixtureProvenance = {
      kernel: run('uname', ['-r']).stdout.trim(),
      tool: toolVersion(opts.command[0]!),
      command,
      setup: opts.setup,
      captured,
      date: new Date().toISOString(),
    };
    const header = [
      `generated by ${TOOL} — do not edit by hand; rerun it (see tools/README.md and ${basename(outBase)}.json)`,
      `command: ${command}`,
      ...opts.setup.map((s) => `setup: ${s}`),
      ...(peeksDropped ? [`${peeksDropped} MSG_PEEK read(s) dropped (buffer-sizing peeks; the real reads follow)`] : []),
    ];
    const proto = protocols.length === 1 ? PROTOCOLS[protocols[0]!.slice('NETLINK_'.length)] : undefined;
    const previous = existsSync(`${outBase}.json`) ? JSON.parse(readFileSync(`${outBase}.json`, 'utf8')) as { roundTripExceptions?: unknown } : undefined;
    const json = {
      description: opts.description ?? command,
      provenance,
      protocol: protocols.length === 1 ? protocols[0] : protocols,
      exitCode,
      stderr,
      peeksDropped,
      ...(paddingDropped.length ? {
        paddingDropped: {
          why: 'the sender passed a buffer longer than its messages: zero bytes after the last nlmsghdr, which the kernel ignores (netlink_rcv_skb stops at nlmsg_len < NLMSG_HDRLEN); frames hold the messages only',
          frames: paddingDropped,
        },
      } : {}),
      ...(failedCalls ? { failedCallsDropped: failedCalls } : {}),
      ...(opts.oracle !== undefined ? { oracleCommand: opts.oracle, oracle } : {}),
      volatile: ['nlmsg_seq', 'nlmsg_pid'],
      roundTrip: true,
      // Curated by hand (each with its `why`), so a recapture keeps them.
      ...(previous?.roundTripExceptions ? { roundTripExceptions: previous.roundTripExceptions } : {}),
      ...(proto ? { expected: fixtureExpected(proto, frames) } : {}),
    };
    mkdirSync(dirname(outBase), { recursive: true });
    writeFileSync(`${outBase}.hex`, formatHexFixture(frames, header, (_f, i) => summaries[i] ?? []));
    writeFileSync(`${outBase}.json`, `${JSON.stringify(json, null, 2)}\n`);
    const sends = frames.filter((f) => f.dir === 'send').length;
    process.stderr.write(
      `capture: wrote ${outBase}.hex/.json: ${frames.length} frames (${sends} send, ${frames.length - sends} recv), ` +
      `${peeksDropped} peek(s) dropped, exit ${exitCode}\n`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const opts = parseArgs(process.argv.slice(2));
if (process.env.NETLINK_TS_SANDBOX !== '1') reexecInSandbox();
captureInside(opts);
