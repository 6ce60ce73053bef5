/**
 * The write corpus (issue 13): each case is done once with ip / bridge (its request bytes
 * captured with strace) and once with the library (its request bytes captured at the
 * transport), from the same starting state; the end states (read with ip -j) must be equal
 * and every byte difference between the two requests must be listed with its reason.
 *
 * Kinds this kernel does not have (dummy, vlan, macvlan, bond, …) are `bytesOnly` cases: the
 * kernel refuses both requests, so what is compared is the refusal (the same kernel message)
 * and the bytes each side sent.
 */
import type { Test } from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { loadBackend, type BackendName } from '../../src/ffi/libc.js';
import { ERRNO } from '../../src/ffi/errno.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { toJson } from '../../src/netlink/jsonable.js';
import { decodeAll, splitMessages } from '../../src/netlink/message.js';
import { parseStrace } from '../../src/netlink/strace.js';
import type { Transport } from '../../src/netlink/transport.js';
import { RouteHandle } from '../../src/route/handle.js';
import { rtnetlink } from '../../src/route/protocol.js';

export const sh = (cmd: string): string => execFileSync('bash', ['-c', cmd], { encoding: 'utf8' });

export interface WriteCase {
  readonly name: string;
  /** The ip / bridge command (a shell line). */
  readonly ip: string;
  /** The same change with the library. */
  readonly ours: (h: RouteHandle) => Promise<unknown>;
  /** ip -j commands whose output is the end state to compare (unused for bytesOnly cases). */
  readonly show: string;
  /** Back to the starting state (run after each side). */
  readonly undo: string;
  /** Masks what differs from run to run by nature (random MACs of new devices, lifetimes counting down). */
  readonly norm?: (s: string) => string;
  /** The kernel lacks the kind: both sides must be refused with the same message; only bytes are compared. */
  readonly bytesOnly?: boolean;
}

/** Case name → start of a difference → its reason. */
export type Explained = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** ifindexes differ between a device made by ip and the same device made again by the library. */
/** Bridge timers (gc_timer, hello_timer, …) run on their own. */
const baseNorm = (s: string): string => s.replace(/"(ifindex|link_index)":\d+/g, '"$1":0').replace(/"(\w+_timer)":[\d.]+/g, '"$1":0');
/** Random MAC addresses of new devices (and the bridge ids made of them). */
export const noMac = (s: string): string => s.replace(/\b[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}\b/g, 'MAC');
/** Remaining address lifetimes, which count down between the two runs. */
export const noLifetimes = (s: string): string => s.replace(/"(valid_life_time|preferred_life_time)":\d+/g, '"$1":0');

/** A request that changes something (not the GET look-ups around it): RTM_NEW*, RTM_DEL*, RTM_SET*. */
export const changes = (b: Buffer): boolean => { const type = b.readUInt16LE(4); return type >= 16 && (type - 16) % 4 !== 2; };
const stable = (b: Buffer): Buffer => { const c = Buffer.from(b); for (const [s] of splitMessages(c)) c.fill(0, s + 8, s + 16); return c; };

/**
 * iproute2's once-per-process probe (ip/iplink.c iplink_have_newlink()): an empty RTM_NEWLINK
 * (ifi_index 0, no attributes) sent before any link change to learn whether the kernel has
 * RTM_NEWLINK (it answers EINVAL/ENODEV). It changes nothing; the library does not probe — the
 * one request ip sends that has no counterpart (left out, not diffed).
 */
const isProbe = (b: Buffer): boolean => b.readUInt16LE(4) === 16 && b.readUInt32LE(0) === 32 && b.readInt32LE(20) === 0;

function ipRequests(dir: string, cmd: string): { requests: Buffer[]; status: number | null; stderr: string } {
  const out = join(dir, 'trace.txt');
  const r = spawnSync('strace', ['-f', '-yy', '-e', 'trace=sendto,sendmsg', '-e', 'write=all', '-o', out, 'bash', '-c', cmd], { encoding: 'utf8' });
  const calls = parseStrace(readFileSync(out, 'utf8')).calls;
  const requests = calls.filter((c) => c.family === 'ROUTE' && c.bytes.length >= 16).map((c) => Buffer.from(c.bytes)).filter(changes).filter((b) => !isProbe(b));
  return { requests, status: r.status, stderr: r.stderr };
}

const IFLA_LINKINFO = 18, IFLA_INFO_KIND = 1;
const align4 = (n: number): number => (n + 3) & ~3;

/**
 * Where an RTM_NEWLINK/DELLINK request's IFLA_LINKINFO/IFLA_INFO_KIND attribute is (offset of its
 * header, offset of IFLA_LINKINFO's header), or undefined.
 */
function kindAt(b: Buffer): { link: number; kind: number } | undefined {
  const type = b.readUInt16LE(4);
  if (type !== 16 && type !== 17) return undefined;
  for (let o = 32; o + 4 <= b.length;) {
    const len = b.readUInt16LE(o);
    if (len < 4) return undefined;
    if ((b.readUInt16LE(o + 2) & 0x3fff) === IFLA_LINKINFO && len >= 8 && (b.readUInt16LE(o + 6) & 0x3fff) === IFLA_INFO_KIND) return { link: o, kind: o + 4 };
    o += align4(len);
  }
  return undefined;
}

/**
 * `ours` with the NUL of its IFLA_INFO_KIND string dropped, when ip sent the same kind without
 * one (iproute2: addattr_l(…, IFLA_INFO_KIND, type, strlen(type))); undefined when that is not
 * the case. Lengths (nlmsg_len, IFLA_LINKINFO) are adjusted, padding re-done.
 */
function withoutKindNul(theirs: Buffer, ours: Buffer): Buffer | undefined {
  const a = kindAt(theirs), b = kindAt(ours);
  if (!a || !b) return undefined;
  const la = theirs.readUInt16LE(a.kind), lb = ours.readUInt16LE(b.kind);
  if (lb !== la + 1 || ours[b.kind + lb - 1] !== 0) return undefined;
  if (!theirs.subarray(a.kind + 4, a.kind + la).equals(ours.subarray(b.kind + 4, b.kind + lb - 1))) return undefined;
  const kind = Buffer.alloc(align4(la));
  ours.copy(kind, 0, b.kind, b.kind + la);
  kind.writeUInt16LE(la, 0);
  const out = Buffer.concat([ours.subarray(0, b.kind), kind, ours.subarray(b.kind + align4(lb))]);
  const delta = align4(lb) - align4(la);
  out.writeUInt32LE(out.readUInt32LE(0) - delta, 0);
  out.writeUInt16LE(out.readUInt16LE(b.link) - delta, b.link);
  return out;
}

/** The differences between two requests, field by field (empty when the bytes are equal but for seq/pid). */
export function requestDiff(theirs: Buffer, ours0: Buffer): string[] {
  if (stable(theirs).equals(stable(ours0))) return [];
  const out: string[] = [];
  // A kind string with or without its NUL decodes the same: found on the bytes, then set aside.
  const trimmed = withoutKindNul(theirs, ours0);
  if (trimmed) out.push('IFLA_INFO_KIND without NUL');
  const ours = trimmed ?? ours0;
  if (stable(theirs).equals(stable(ours))) return out;
  const kindDiffs = out.length;
  const [a] = decodeAll(rtnetlink, theirs), [b] = decodeAll(rtnetlink, ours);
  if (!a || !b) return [...out, 'undecodable'];
  if (a.type !== b.type) out.push(`type: ip ${a.name}, ours ${b.name}`);
  if (a.flags !== b.flags) out.push(`nlmsg_flags: ip 0x${a.flags.toString(16)}, ours 0x${b.flags.toString(16)}`);
  const ha = toJson(a.header) as Record<string, unknown>, hb = toJson(b.header) as Record<string, unknown>;
  // An ifindex differs from run to run: named INDEX in the difference.
  for (const k of Object.keys(ha)) if (!isDeepStrictEqual(ha[k], hb[k])) {
    const ix = (v: unknown): string => ((k === 'index' || k === 'ifindex') && v !== 0 ? 'INDEX' : JSON.stringify(v));
    if (ix(ha[k]) !== ix(hb[k])) out.push(`header.${k}: ip ${ix(ha[k])}, ours ${ix(hb[k])}`);
  }
  const aa = (toJson(a.attrs ?? {}) ?? {}) as Record<string, unknown>, ab = (toJson(b.attrs ?? {}) ?? {}) as Record<string, unknown>;
  for (const k of new Set([...Object.keys(aa), ...Object.keys(ab)])) {
    if (!(k in ab)) out.push(`attr ${k}: ip only (${JSON.stringify(aa[k])})`);
    else if (!(k in aa)) out.push(`attr ${k}: ours only (${JSON.stringify(ab[k])})`);
    else if (!isDeepStrictEqual(aa[k], ab[k])) out.push(`attr ${k}: ip ${JSON.stringify(aa[k])}, ours ${JSON.stringify(ab[k])}`);
    else if (JSON.stringify(aa[k]) !== JSON.stringify(ab[k])) out.push(`nested attribute order in ${k}: ip ${JSON.stringify(aa[k])}, ours ${JSON.stringify(ab[k])}`);
  }
  const order = (o: Record<string, unknown>): string => Object.keys(o).filter((k) => k in aa && k in ab).join(',');
  if (order(aa) !== order(ab)) out.push(`attribute order: ip ${Object.keys(aa).join(',')}, ours ${Object.keys(ab).join(',')}`);
  if (out.length === kindDiffs) {
    const x = stable(theirs), y = stable(ours);
    // Equal but for the device's index (the case recreated the device: a new ifindex each time).
    x.fill(0, 20, 24); y.fill(0, 20, 24);
    if (x.equals(y)) return [];
    const at = [...x.keys()].filter((i) => x[i] !== y[i]);
    out.push(`padding bytes only (the decoded messages are equal; bytes ${at.join(',')}: ip ${at.map((i) => x[i]!.toString(16)).join(',')}, ours ${at.map((i) => y[i]!.toString(16)).join(',')})`);
  }
  return out;
}

/** What ip prints for a refusal with an extended ack (`Error: MSG.`), for the library's error. */
function refusal(e: unknown): string {
  if (!(e instanceof NetlinkError)) return `not a NetlinkError: ${String(e)}`;
  return e.extAck.message ? `Error: ${e.extAck.message}.` : `RTNETLINK answers: ${ERRNO[e.errno]?.[1] ?? e.errno}`;
}

/**
 * Run every case under every backend: end state equal to ip's, as many change requests, and
 * every byte difference listed in `explained` (an entry explains each difference it starts
 * with). Returns nothing; each case is a few tap assertions.
 */
export function runWriteCorpus(t: Test, backends: readonly BackendName[], cases: readonly WriteCase[], explained: Explained): void {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-wc-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`write corpus: two cases named ${c.name}`);
    names.add(c.name);
  }
  for (const k of Object.keys(explained)) if (!names.has(k)) throw new Error(`write corpus: EXPLAINED names no case "${k}"`);
  for (const backend of backends) {
    t.test(`${backend}: ${cases.length} write cases: same end state as ip, every byte difference explained`, async (t) => {
      const h = RouteHandle.open({ libc: loadBackend(backend) });
      t.teardown(() => h.close());
      const tr = h.socket.transport as Transport & { send: Transport['send'] };
      const sent: Buffer[] = [];
      const send = tr.send.bind(tr);
      tr.send = (buf: Buffer, len?: number): void => { sent.push(Buffer.from(buf.subarray(0, len ?? buf.length))); send(buf, len); };
      const used = new Set<string>();
      for (const c of cases) {
        const norm = (s: string): string => (c.norm ?? ((x: string) => x))(baseNorm(s));
        const run = ipRequests(dir, c.ip);
        const theirs = run.requests;
        const stateIp = c.bytesOnly ? '' : norm(sh(c.show));
        if (!c.bytesOnly) t.equal(run.status, 0, `${c.name}: ip succeeds (${c.ip}) ${run.stderr}`);
        sh(c.undo);
        sent.length = 0;
        let failure: unknown;
        try {
          await c.ours(h);
        } catch (e) {
          failure = e;
          if (!c.bytesOnly) t.fail(`${c.name}: the library call throws: ${String(e)}`);
        }
        const ours = sent.filter(changes);
        if (c.bytesOnly) {
          t.not(run.status, 0, `${c.name}: the kernel refuses ip's request`);
          t.equal(refusal(failure), run.stderr.trim().split('\n').at(-1), `${c.name}: and the library's, with the message ip prints`);
        } else {
          const stateOurs = norm(sh(c.show));
          t.equal(stateOurs, stateIp, `${c.name}: end state = ip's (${c.show})`);
        }
        sh(c.undo);
        t.equal(ours.length, theirs.length, `${c.name}: as many requests as ip sends`);
        const diffs = theirs.flatMap((b, i) => (ours[i] ? requestDiff(b, ours[i]!) : ['missing']));
        const ex = explained[c.name] ?? {};
        const reason = (d: string): string | undefined => {
          const hit = Object.entries(ex).find(([k]) => d.startsWith(k));
          if (hit) used.add(`${c.name}\0${hit[0]}`);
          return hit?.[1];
        };
        t.same(diffs.filter((d) => reason(d) === undefined), [], `${c.name}: no unexplained byte difference (${diffs.length ? diffs.map((d) => `${d} — ${reason(d) ?? '?'}`).join('; ') : 'identical'})`);
      }
      // An explanation nothing needs any more is stale: the corpus lists differences that exist.
      const stale = Object.entries(explained).flatMap(([n, ex]) => Object.keys(ex).filter((k) => !used.has(`${n}\0${k}`)).map((k) => `${n}: ${k}`));
      t.same(stale, [], 'every listed difference occurs');
    });
  }
}
