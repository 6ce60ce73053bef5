/**
 * Real packets for `check`: small Node programs started INSIDE lab nodes (spawnInNetns — the
 * main thread enters the node, forks, comes back), one listener per node that is probed and
 * one client per node that probes. A listener answers every TCP connection and every UDP
 * datagram with the source address it saw, so the client learns both "it got through" and
 * "as whom" (NAT shows as a rewritten source).
 *
 * Results are facts, not clocks: `ok` (a reply came back), `refused` (RST / ICMP port
 * unreachable), `unreachable` (no route / ICMP host or net unreachable), `error` (anything
 * else the socket said), or `timeout` when nothing at all came back within the probe's
 * deadline — only that last one depends on time, and a deadline is only ever what turns
 * "no answer" into a failure.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { Libc } from '../ffi/libc.js';
import type { NetnsRef } from '../netlink/nsenter.js';
import { spawnInNetns } from '../netns/run.js';

export type ProbeProto = 'tcp' | 'udp';

/** One probe a client runs: connect to `address`:`port` over `proto` and wait for the reply. */
export interface ProbeSpec {
  readonly id: number;
  readonly proto: ProbeProto;
  readonly address: string;
  readonly port: number;
  /** Give up after this long without any answer (then the result is `timeout`). */
  readonly timeoutMs: number;
}

export type ProbeOutcome = 'ok' | 'refused' | 'unreachable' | 'timeout' | 'error';

export interface ProbeAnswer {
  readonly id: number;
  readonly result: ProbeOutcome;
  /** The source address the listener saw (result `ok` only). */
  readonly seen?: string;
  /** The socket's error code (ECONNREFUSED, EHOSTUNREACH, …) for refused/unreachable/error. */
  readonly code?: string;
}

/** Where a program runs: a node's namespace, or `undefined` for this process's own (the host node). */
export type NodePlace = NetnsRef | undefined;

// Listener: binds every (proto, port) it is given on the wildcard address (dual-stack `::`,
// falling back to 0.0.0.0 where IPv6 is off), prints `ready` once all are bound, answers with
// the peer address, and exits when its stdin closes (so it never outlives the check).
const LISTENER = String.raw`
const net = require('node:net'), dgram = require('node:dgram');
const want = JSON.parse(process.argv[1]);
const plain = (a) => String(a || '').replace(/^::ffff:/, '');
let left = want.length;
const bound = () => { if (--left === 0) process.stdout.write('ready\n'); };
const fatal = (p, e) => { process.stdout.write('error ' + p.proto + ' ' + p.port + ' ' + e.code + '\n'); process.exit(3); };
function tcp(p, host) {
  const s = net.createServer((c) => { c.on('error', () => {}); c.end(plain(c.remoteAddress)); });
  s.once('error', (e) => host === '::' && (e.code === 'EAFNOSUPPORT' || e.code === 'EADDRNOTAVAIL') ? tcp(p, '0.0.0.0') : fatal(p, e));
  s.listen({ port: p.port, host, ipv6Only: false }, bound);
}
function udp(p, type) {
  const s = dgram.createSocket({ type, ipv6Only: false });
  s.on('message', (m, r) => s.send(plain(r.address), r.port, r.address, () => {}));
  s.once('error', (e) => type === 'udp6' && (e.code === 'EAFNOSUPPORT' || e.code === 'EADDRNOTAVAIL') ? udp(p, 'udp4') : fatal(p, e));
  s.bind({ port: p.port, address: type === 'udp6' ? '::' : '0.0.0.0' }, () => { s.removeAllListeners('error'); s.on('error', () => {}); bound(); });
}
for (const p of want) p.proto === 'tcp' ? tcp(p, '::') : udp(p, 'udp6');
if (!want.length) process.stdout.write('ready\n');
process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume();
`;

// Client: runs all its probes at once, one JSON line per answer, exits when all are answered.
// UDP re-sends every 250 ms until answered (a first datagram can wait on ARP).
const CLIENT = String.raw`
const net = require('node:net'), dgram = require('node:dgram');
const probes = JSON.parse(process.argv[1]);
let left = probes.length;
if (!left) process.exit(0);
const UNREACH = ['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EACCES', 'EPERM', 'ENETDOWN', 'EHOSTDOWN'];
const kind = (code) => code === 'ECONNREFUSED' ? 'refused' : UNREACH.includes(code) ? 'unreachable' : 'error';
for (const p of probes) {
  let done = false, sock, timer, again;
  const finish = (r) => {
    if (done) return; done = true; clearTimeout(timer); clearInterval(again);
    try { p.proto === 'tcp' ? sock.destroy() : sock.close(); } catch {}
    process.stdout.write(JSON.stringify({ id: p.id, ...r }) + '\n');
    if (--left === 0) process.exit(0);
  };
  timer = setTimeout(() => finish({ result: 'timeout' }), p.timeoutMs);
  if (p.proto === 'tcp') {
    let got = '';
    sock = net.connect({ host: p.address, port: p.port });
    sock.on('data', (d) => { got += d; });
    sock.on('end', () => finish({ result: 'ok', seen: got }));
    sock.on('error', (e) => finish({ result: kind(e.code), code: e.code }));
  } else {
    sock = dgram.createSocket(p.address.includes(':') ? 'udp6' : 'udp4');
    sock.on('error', (e) => finish({ result: kind(e.code), code: e.code }));
    sock.on('message', (m) => finish({ result: 'ok', seen: String(m) }));
    sock.connect(p.port, p.address, () => {
      const send = () => sock.send('probe', (e) => { if (e) finish({ result: kind(e.code), code: e.code }); });
      send(); again = setInterval(send, 250);
    });
  }
}
`;

export interface AgentOptions {
  /** FFI backend for entering namespaces. Default: libc(). */
  readonly libc?: Libc;
  /** The node program (default: this Node, process.execPath). */
  readonly node?: string;
}

function start(place: NodePlace, script: string, arg: unknown, opts: AgentOptions): ChildProcess {
  const node = opts.node ?? process.execPath;
  const args = ['-e', script, JSON.stringify(arg)];
  const stdio: ['pipe', 'pipe', 'pipe'] = ['pipe', 'pipe', 'pipe'];
  const child = place === undefined
    ? spawn(node, args, { stdio })
    : spawnInNetns(place, node, args, { stdio, ...(opts.libc ? { libc: opts.libc } : {}) });
  child.on('error', () => undefined); // reported through 'close' / the readiness promise
  return child;
}

/** A running listener in one node. `stop()` closes its stdin and waits for it to exit. */
export interface Listener {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Start one listener in `place` bound to every (proto, port) in `ports`; resolves once all
 * are bound (the listener said `ready`). A port already taken or a listener that dies is an
 * Error naming the node, the port and the reason.
 */
export function startListener(place: NodePlace, label: string, ports: ReadonlyArray<{ proto: ProbeProto; port: number }>, opts: AgentOptions = {}): Promise<Listener> {
  let child: ChildProcess;
  try {
    child = start(place, LISTENER, ports, opts);
  } catch (err) {
    return Promise.reject(err);
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('close', () => resolve());
  });
  const listener: Listener = {
    child,
    async stop() {
      child.stdin?.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
  return new Promise((resolve, reject) => {
    let out = '', errText = '';
    const fail = (why: string): void => { child.kill('SIGKILL'); reject(new Error(`check: listener in ${label}: ${why}`)); };
    child.stderr!.on('data', (b: Buffer) => { errText += b; });
    const onData = (b: Buffer): void => {
      out += b;
      const line = out.split('\n')[0]!;
      if (!out.includes('\n')) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      if (line === 'ready') resolve(listener);
      else fail(line.startsWith('error ') ? `cannot listen on ${line.slice(6).replace(/ (\S+)$/, ': $1')}` : line);
    };
    child.stdout!.on('data', onData);
    child.once('close', (code, signal) => {
      if (!out.includes('\n')) reject(new Error(`check: listener in ${label} exited (${signal ?? code}) before it was ready${errText ? `: ${errText.trim().split('\n').pop()}` : ''}`));
    });
    child.once('error', (err) => reject(new Error(`check: cannot start the listener in ${label}: ${err.message}`)));
  });
}

/**
 * Run `probes` from `place` (all at once, in one client process) and collect one answer
 * each. A client that dies without answering a probe answers it `error` with the reason.
 */
export function runClient(place: NodePlace, label: string, probes: readonly ProbeSpec[], opts: AgentOptions = {}): Promise<ProbeAnswer[]> {
  if (!probes.length) return Promise.resolve([]);
  let child: ChildProcess;
  try {
    child = start(place, CLIENT, probes, opts);
  } catch (err) {
    return Promise.reject(err);
  }
  child.stdin!.end();
  const guard = setTimeout(() => child.kill('SIGKILL'), Math.max(...probes.map((p) => p.timeoutMs)) + 30_000);
  return new Promise((resolve, reject) => {
    let out = '', errText = '';
    child.stdout!.on('data', (b: Buffer) => { out += b; });
    child.stderr!.on('data', (b: Buffer) => { errText += b; });
    child.once('error', (err) => { clearTimeout(guard); reject(new Error(`check: cannot start the client in ${label}: ${err.message}`)); });
    child.once('close', (code, signal) => {
      clearTimeout(guard);
      const got = new Map<number, ProbeAnswer>();
      for (const line of out.split('\n')) {
        if (!line.trim()) continue;
        try {
          const a = JSON.parse(line) as ProbeAnswer;
          got.set(a.id, a);
        } catch { /* not ours */ }
      }
      const why = `client in ${label} exited (${signal ?? code})${errText ? `: ${errText.trim().split('\n').pop()}` : ''}`;
      resolve(probes.map((p) => got.get(p.id) ?? { id: p.id, result: 'error', code: why }));
    });
  });
}
