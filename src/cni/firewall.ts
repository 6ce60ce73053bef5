/**
 * The plugin's nftables state, all in tables of its own named `netlink_ts_cni` (families ip,
 * ip6 and bridge), written as atomic batches over NETLINK_NETFILTER — no iptables or nft
 * process. Every rule carries a comment naming its attachment,
 *
 *   netlink-ts-cni <kind> net=<network> id=<container id> if=<ifname>
 *
 * so DEL and GC find and remove exactly the rules of one attachment, and CHECK finds them.
 *
 * - masq (bridge `ipMasq`, as the reference's SetupIPMasq): in `postrouting` (nat, srcnat)
 *   `ip saddr ADDR ip daddr != SUBNET ip daddr != 224.0.0.0/4 masquerade` (ff00::/8 for IPv6).
 *   The subnet exclusion matters here: with br_netfilter, bridged IPv4 traffic between two
 *   containers also passes the ip postrouting hook.
 * - portmap (runtimeConfig.portMappings, as the reference portmap): in `prerouting` and `output`
 *   (nat, dstnat) `fib daddr type local [ip daddr HOSTIP] tcp dport HOSTPORT dnat to ADDR:PORT`;
 *   with snat (default) `postrouting` masquerades DNATed traffic to the container that comes
 *   from the container's own subnet (hairpin) or from 127.0.0.1 (the reference's mark bit).
 * - spoofchk (bridge `macspoofchk`, as the reference's SpoofChecker): bridge table, `prerouting`
 *   (filter, priority -300) `iifname HOSTVETH ether saddr != MAC drop`.
 */
import { DumpInterruptedError, NetlinkError } from '../netlink/errors.js';
import type { ExprAttrs } from '../nft/expr.schema.js';
import { NFT_CMP_EQ, NFT_CMP_NEQ } from '../nft/expr/cmp.js';
import { NFT_PAYLOAD_LL_HEADER } from '../nft/expr/payload.js';
import type { FamilyName } from '../nft/family.js';
import { NftHandle } from '../nft/handle.js';
import { RuleBuilder } from '../nft/rule-builder.js';
import { cmp, le32, payloadLoad } from '../nft/rule-exprs.js';
import type { Rule } from '../nft/rule.js';
import type { ChainSpec } from '../nft/chain.js';
import { CNI_ERR_NFT, CniError } from './errors.js';
import { type IpNet, formatIp, formatIpNet, networkOf } from './ip.js';

export const TABLE = 'netlink_ts_cni';
export type RuleKind = 'masq' | 'portmap' | 'spoofchk';

export interface Attachment {
  readonly net: string;
  readonly id: string;
  readonly ifname: string;
}

/** The comment every rule of (kind, attachment) carries. */
export const tagOf = (kind: RuleKind, a: Attachment): string => `netlink-ts-cni ${kind} net=${a.net} id=${a.id} if=${a.ifname}`;

const TAG_RE = /^netlink-ts-cni (masq|portmap|spoofchk) net=(\S+) id=(\S+) if=(\S+)$/;
export function parseTag(c: string | undefined): ({ kind: RuleKind } & Attachment) | undefined {
  const m = c === undefined ? null : TAG_RE.exec(c);
  return m ? { kind: m[1] as RuleKind, net: m[2]!, id: m[3]!, ifname: m[4]! } : undefined;
}

export interface PortMapping {
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp';
  readonly hostIP?: string;
}

const chain = (family: FamilyName, name: 'prerouting' | 'output' | 'postrouting'): ChainSpec => ({
  family, table: TABLE, name, type: 'nat', hook: name, priority: name === 'postrouting' ? 'srcnat' : 'dstnat', policy: 'accept',
});

/** `fib daddr type local`: NFTA_FIB_{DREG,RESULT,FLAGS} = reg 1, NFT_FIB_RESULT_ADDRTYPE, NFTA_FIB_F_DADDR; then cmp RTN_LOCAL. */
function fibDaddrLocal(): ExprAttrs[] {
  const b = Buffer.alloc(24);
  [[1, 1], [2, 3], [3, 1 << 1]].forEach(([type, v], i) => {
    b.writeUInt16LE(8, i * 8);
    b.writeUInt16LE(type!, i * 8 + 2);
    b.writeUInt32BE(v!, i * 8 + 4);
  });
  return [{ name: 'fib', data: b } as unknown as ExprAttrs, cmp(NFT_CMP_EQ, le32(2))];
}

/** `ct status dnat`: ct load status; bitwise & IPS_DST_NAT (0x20); cmp != 0 — as nft compiles it. */
function ctStatusDnat(): ExprAttrs[] {
  return [
    { name: 'ct', data: { key: 2, dreg: 1 } } as ExprAttrs, // NFT_CT_STATUS
    { name: 'bitwise', data: { sreg: 1, dreg: 1, len: 4, mask: { value: le32(0x20) }, xor: { value: le32(0) } } } as ExprAttrs,
    cmp(NFT_CMP_NEQ, le32(0)),
  ];
}

const familyOf = (n: IpNet): 'ip' | 'ip6' => (n.ip.v6 ? 'ip6' : 'ip');

/** Open the handle, run, close; kernel failures become code 104 naming the work. */
function withNft<T>(what: string, fn: (h: NftHandle) => T): T {
  let h: NftHandle | undefined;
  try {
    h = NftHandle.open();
    return fn(h);
  } catch (err) {
    if (err instanceof CniError) throw err;
    throw new CniError(CNI_ERR_NFT, `${what}: ${(err as Error).message}`, (err as Error).name, { cause: err });
  } finally {
    h?.close();
  }
}

/** Add the masquerade rule of each address (one batch). */
export function addMasq(a: Attachment, addrs: readonly IpNet[]): void {
  if (!addrs.length) return;
  withNft('ipMasq', (h) => {
    const b = h.batch();
    const families = new Set<'ip' | 'ip6'>();
    for (const n of addrs) {
      const family = familyOf(n);
      if (!families.has(family)) {
        b.addTable({ family, name: TABLE }).addChain(chain(family, 'postrouting'));
        families.add(family);
      }
      const exprs = new RuleBuilder(family).ipSaddr(formatIp(n.ip)).ipDaddr(formatIpNet(networkOf(n)), { neq: true })
        .ipDaddr(n.ip.v6 ? 'ff00::/8' : '224.0.0.0/4', { neq: true }).masquerade().exprs;
      b.addRule({ family, table: TABLE, chain: 'postrouting', exprs, comment: tagOf('masq', a) });
    }
    b.commitSync();
  });
}

/** DNAT (and hairpin/localhost masquerade) rules of the mappings, for each container address. */
export function addPortMappings(a: Attachment, addrs: readonly IpNet[], maps: readonly PortMapping[], snat: boolean): void {
  if (!addrs.length || !maps.length) return;
  withNft('portMappings', (h) => {
    const b = h.batch();
    const comment = tagOf('portmap', a);
    for (const n of addrs) {
      const family = familyOf(n);
      const mine = maps.filter((m) => m.hostIP === undefined || m.hostIP === '' || m.hostIP.includes(':') === n.ip.v6);
      if (!mine.length) continue;
      b.addTable({ family, name: TABLE }).addChain(chain(family, 'prerouting')).addChain(chain(family, 'output')).addChain(chain(family, 'postrouting'));
      const addr = formatIp(n.ip);
      for (const m of mine) {
        for (const c of ['prerouting', 'output'] as const) {
          const r = new RuleBuilder(family);
          for (const e of fibDaddrLocal()) r.expr(e);
          if (m.hostIP && m.hostIP !== '0.0.0.0' && m.hostIP !== '::') r.ipDaddr(m.hostIP);
          (m.protocol === 'udp' ? r.udpDport(m.hostPort) : r.tcpDport(m.hostPort));
          b.addRule({ family, table: TABLE, chain: c, exprs: r.dnat(addr, m.containerPort).exprs, comment });
        }
        if (!snat) continue;
        for (const src of n.ip.v6 ? [formatIpNet(networkOf(n))] : [formatIpNet(networkOf(n)), '127.0.0.1']) {
          const r = new RuleBuilder(family).ipSaddr(src).ipDaddr(addr);
          (m.protocol === 'udp' ? r.udpDport(m.containerPort) : r.tcpDport(m.containerPort));
          for (const e of ctStatusDnat()) r.expr(e);
          b.addRule({ family, table: TABLE, chain: 'postrouting', exprs: r.masquerade().exprs, comment });
        }
      }
    }
    b.commitSync();
  });
}

/** Drop frames from the container's veth whose source MAC is not its own. */
export function addSpoofCheck(a: Attachment, hostVeth: string, mac: string): void {
  withNft('macspoofchk', (h) => {
    const macBytes = Buffer.from(mac.split(':').map((x) => parseInt(x, 16)));
    const exprs = new RuleBuilder('bridge').iifname(hostVeth).expr(payloadLoad(NFT_PAYLOAD_LL_HEADER, 6, 6)).expr(cmp(NFT_CMP_NEQ, macBytes)).drop().exprs;
    h.batch()
      .addTable({ family: 'bridge', name: TABLE })
      .addChain({ family: 'bridge', table: TABLE, name: 'prerouting', type: 'filter', hook: 'prerouting', priority: -300, policy: 'accept' })
      .addRule({ family: 'bridge', table: TABLE, chain: 'prerouting', exprs, comment: tagOf('spoofchk', a) })
      .commitSync();
  });
}

const FAMILIES: Readonly<Record<RuleKind, readonly FamilyName[]>> = { masq: ['ip', 'ip6'], portmap: ['ip', 'ip6'], spoofchk: ['bridge'] };

/** Sleep the thread a few milliseconds (no event loop involved: everything here is synchronous). */
const pause = (ms: number): void => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); };

/**
 * The table's rules of one family. Other plugin processes commit to the same table at the same
 * time (50 containers starting at once): a dump the kernel flags as interrupted is retried.
 */
function rulesOf(h: NftHandle, family: FamilyName): Rule[] {
  for (let attempt = 0; ; attempt++) {
    try {
      return h.rulesSync({ family, table: TABLE });
    } catch (err) {
      if (err instanceof NetlinkError && err.code === 'ENOENT') return [];
      if (err instanceof DumpInterruptedError && attempt < 50) { pause(1 + Math.random() * 10); continue; }
      throw err;
    }
  }
}

/** The rules of `kinds` whose tag satisfies `pick`. */
export function findRules(kinds: readonly RuleKind[], pick: (t: { kind: RuleKind } & Attachment) => boolean): Rule[] {
  return withNft('list rules', (h) => {
    const families = [...new Set(kinds.flatMap((k) => FAMILIES[k]))];
    return families.flatMap((f) => rulesOf(h, f)).filter((r) => { const t = parseTag(r.comment); return !!t && kinds.includes(t.kind) && pick(t); });
  });
}

/** Delete the rules of `kinds` whose tag satisfies `pick` (one batch); returns how many. */
export function deleteRules(kinds: readonly RuleKind[], pick: (t: { kind: RuleKind } & Attachment) => boolean): number {
  return withNft('delete rules', (h) => {
    for (let attempt = 0; ; attempt++) {
      const families = [...new Set(kinds.flatMap((k) => FAMILIES[k]))];
      const doomed = families.flatMap((f) => rulesOf(h, f)).filter((r) => { const t = parseTag(r.comment); return !!t && kinds.includes(t.kind) && pick(t); });
      if (!doomed.length) return 0;
      const b = h.batch();
      for (const r of doomed) b.deleteRule({ family: r.family, table: r.table, chain: r.chain, handle: r.handle });
      try {
        b.commitSync();
        return doomed.length;
      } catch (err) {
        // A concurrent DEL of the same attachment took some first: list again.
        if (attempt < 5) { pause(1 + Math.random() * 10); continue; }
        throw err;
      }
    }
  });
}

export const sameAttachment = (a: Attachment) => (t: Attachment): boolean => t.net === a.net && t.id === a.id && t.ifname === a.ifname;
