/**
 * NftHandle: one NETLINK_NETFILTER socket bound to one network namespace, for nftables —
 * batches (`h.batch()…commit()`), ruleset listing, deletes, and the NAT helpers (`h.nat`).
 *
 * Keep a handle open across commits: closing a netfilter netlink socket right after a commit
 * that deleted something waits for an RCU grace period (~11 ms here), the main cost of tools
 * that run one process per change.
 */
import { DumpInterruptedError } from '../netlink/errors.js';
import { NETLINK_NETFILTER } from '../netlink/header.js';
import type { Message, OutMessage } from '../netlink/message.js';
import { NetlinkSocket, type SocketOptions } from '../netlink/socket.js';
import { type BatchOptions, type CommitResult, NftBatch } from './batch.js';
import { type Chain, type ChainRef, toChain } from './chain.js';
import {
  NFNETLINK_V0, NFPROTO_UNSPEC, NFT_MSG_GETCHAIN, NFT_MSG_GETGEN, NFT_MSG_GETOBJ, NFT_MSG_GETRULE, NFT_MSG_GETSET, NFT_MSG_GETSETELEM, NFT_MSG_GETTABLE, nftType,
} from './constants.js';
import { type FamilyName, familyNumber } from './family.js';
import type { GenAttrs } from './gen.schema.js';
import { NatApi } from './nat.js';
import { type NftObject, type ObjectSpec, toObject } from './object.js';
import { assembleRuleset } from './ruleset.js';
import { nfnetlink } from './protocol.js';
import { type Rule, type RuleRef, toRule } from './rule.js';
import { type NftSet, type SetRef, toSet } from './set.js';
import type { SetElemAttrs, SetElemListAttrs } from './set.schema.js';
import { type ElementJson, decodeElements } from './set-elements.js';
import { type Table, type TableRef, toTable } from './table.js';

/** Options of {@link NftHandle.open}: those of a socket (namespace, backend, buffers). */
export interface NftHandleOptions extends SocketOptions {}

/** The whole ruleset as of one generation. */
export interface Ruleset {
  /** NFTA_GEN_ID the listing is consistent with (pass it to commit({ genid }) to apply only if unchanged). */
  readonly genid: number;
  readonly tables: readonly Table[];
  readonly chains: readonly Chain[];
  readonly rules: readonly Rule[];
  /** Sets and maps, anonymous ones (`__set0`, …) included, each with its elements. */
  readonly sets: readonly NftSet[];
  /** Named stateful objects (counters, quotas, limits, ct helpers, ct timeouts, synproxies). */
  readonly objects: readonly NftObject[];
}

/** Which objects a listing returns (family, table, chain). */
export interface ListFilter {
  readonly family?: FamilyName;
  readonly table?: string;
  readonly chain?: string;
}

/** nftables in one network namespace, like `nft` there: list the ruleset, atomic batches, NAT helpers. Open with {@link NftHandle.open}; `close()` or `using`. */
export class NftHandle {
  readonly socket: NetlinkSocket;
  readonly nat: NatApi;

  private constructor(socket: NetlinkSocket) {
    this.socket = socket;
    this.nat = new NatApi(this);
  }

  /**
   * Open a handle on the current network namespace, or on `opts.netns`. Buffers default to
   * 16 MiB each way (SO_SNDBUF/SO_RCVBUF, FORCE variants first) so a 10,000-rule batch fits one
   * sendmsg and its echoes fit the receive queue.
   */
  static open(opts: NftHandleOptions = {}): NftHandle {
    if (nfnetlink.id !== NETLINK_NETFILTER) throw new Error('internal: nfnetlink protocol id');
    return new NftHandle(NetlinkSocket.open(nfnetlink, { sndbuf: 16 << 20, rcvbuf: 16 << 20, ...opts }));
  }

  /** Close the socket. Idempotent. */
  close(): void {
    this.socket.close();
  }

  /** `using h = …Handle.open()`: closed when the scope ends. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** A new, empty batch on this handle's socket. */
  batch(opts?: BatchOptions): NftBatch {
    return new NftBatch(this.socket, opts);
  }

  /** The ruleset generation (NFT_MSG_GETGEN → NFTA_GEN_ID). */
  genidSync(): number {
    const [m] = this.socket.requestSync({ type: nftType(NFT_MSG_GETGEN), flags: 0, header: { family: NFPROTO_UNSPEC, version: NFNETLINK_V0, resId: 0 } }, { ack: false });
    const id = (m?.attrs as GenAttrs | undefined)?.id;
    if (id === undefined) throw new Error('NFT_MSG_GETGEN: the reply carried no NFTA_GEN_ID');
    return id;
  }

  /** The ruleset generation id (NFT_MSG_GETGEN), for `commit({ genid })`. */
  genid(): Promise<number> { return settle(() => this.genidSync()); }

  #dump(msg: number, f: ListFilter, attrs?: Record<string, unknown>): Message[] {
    const out: OutMessage = {
      type: nftType(msg), flags: 0,
      header: { family: f.family !== undefined ? familyNumber(f.family, 'filter.family') : NFPROTO_UNSPEC, version: NFNETLINK_V0, resId: 0 },
      ...(attrs && Object.keys(attrs).length ? { attrs } : {}),
    };
    return this.socket.dumpSync(out);
  }

  /** The tables, listed synchronously. */
  tablesSync(f: ListFilter = {}): Table[] {
    return this.#dump(NFT_MSG_GETTABLE, f).map(toTable).filter((t) => f.table === undefined || t.name === f.table);
  }
  /** The chains, listed synchronously. */
  chainsSync(f: ListFilter = {}): Chain[] {
    return this.#dump(NFT_MSG_GETCHAIN, f).map(toChain).filter((c) => (f.table === undefined || c.table === f.table) && (f.chain === undefined || c.name === f.chain));
  }
  /**
   * Rules, optionally of one table / chain (the kernel filters; a missing table or chain is
   * ENOENT). Rules that use anonymous sets or maps get them, with elements, as `anonymousSets`.
   */
  rulesSync(f: ListFilter = {}): Rule[] {
    return this.#rules(f, undefined);
  }

  #rules(f: ListFilter, sets: readonly NftSet[] | undefined): Rule[] {
    const attrs: Record<string, unknown> = {};
    if (f.table !== undefined) attrs['table'] = f.table;
    if (f.table !== undefined && f.chain !== undefined) attrs['chain'] = f.chain;
    const rules = this.#dump(NFT_MSG_GETRULE, f, attrs).map(toRule).filter((r) => (f.table === undefined || r.table === f.table) && (f.chain === undefined || r.chain === f.chain));
    const uses = (r: Rule): string[] => r.exprs.flatMap((e) => {
      const set = e.name === 'lookup' && e.data && !Buffer.isBuffer(e.data) ? (e.data as { set?: unknown }).set : undefined;
      return typeof set === 'string' && set.startsWith('__') ? [set] : [];
    });
    if (!rules.some((r) => uses(r).length)) return rules;
    const all = sets ?? this.setsSync({ ...(f.family !== undefined ? { family: f.family } : {}), ...(f.table !== undefined ? { table: f.table } : {}) })
      .filter((x) => x.name.startsWith('__')).map((x) => { const raw = this.#rawElementsOf(x); return { ...x, elements: decodeElements(x, raw), rawElements: raw }; });
    return rules.map((r) => {
      const names = uses(r);
      if (!names.length) return r;
      return { ...r, anonymousSets: all.filter((x) => x.family === r.family && x.table === r.table && names.includes(x.name)) };
    });
  }

  /** The named sets and maps, listed synchronously. */
  setsSync(f: ListFilter = {}): NftSet[] {
    return this.#dump(NFT_MSG_GETSET, f).map(toSet).filter((s) => f.table === undefined || s.table === f.table);
  }

  /**
   * The elements of a set or map (NFT_MSG_GETSETELEM dump) as nft -j prints them, sorted by key:
   * values, `{ prefix }` / `{ range }` for interval sets, `[key, data]` for maps.
   */
  elementsSync(s: SetRef): ElementJson[] {
    const set = this.setsSync({ family: s.family, table: s.table }).find((x) => x.name === s.name);
    if (!set) throw new RangeError(`set ${s.family} ${s.table} ${s.name} does not exist`);
    return this.#elementsOf(set);
  }

  #elementsOf(set: NftSet): ElementJson[] {
    return decodeElements(set, this.#rawElementsOf(set));
  }

  #rawElementsOf(set: NftSet): SetElemAttrs[] {
    const msgs = this.#dump(NFT_MSG_GETSETELEM, { family: set.family }, { table: set.table, set: set.name });
    return msgs.flatMap((m) => (m.attrs as SetElemListAttrs).elements ?? []);
  }

  /** The elements of one set, in nft -j form. */
  elements(s: SetRef): Promise<ElementJson[]> { return settle(() => this.elementsSync(s)); }

  /** The tables (`nft list tables`). */
  tables(f?: ListFilter): Promise<Table[]> { return settle(() => this.tablesSync(f)); }
  /** The chains (`nft list chains`). */
  chains(f?: ListFilter): Promise<Chain[]> { return settle(() => this.chainsSync(f)); }
  /** The rules. */
  rules(f?: ListFilter): Promise<Rule[]> { return settle(() => this.rulesSync(f)); }
  /** The named sets and maps (`nft list sets`). */
  sets(f?: ListFilter): Promise<NftSet[]> { return settle(() => this.setsSync(f)); }

  /**
   * The whole ruleset, consistent with one generation: read the genid, dump tables, chains,
   * sets (and each set's elements) and rules, read the genid again, and retry (up to 10 times) if it moved or a dump was
   * interrupted — what nft does.
   */
  listSync(f: ListFilter = {}): Ruleset {
    for (let attempt = 0; ; attempt++) {
      const genid = this.genidSync();
      try {
        const sets = this.setsSync(f);
        const elements = new Map<string, SetElemAttrs[]>();
        for (const x of sets) elements.set(`${x.family}\0${x.table}\0${x.name}`, this.#rawElementsOf(x));
        const rules = this.#dump(NFT_MSG_GETRULE, f, f.table !== undefined ? { table: f.table, ...(f.chain !== undefined ? { chain: f.chain } : {}) } : undefined)
          .map(toRule).filter((r) => (f.table === undefined || r.table === f.table) && (f.chain === undefined || r.chain === f.chain));
        const rs = assembleRuleset({ genid, tables: this.tablesSync(f), chains: this.chainsSync(f), sets, rules, elements, objects: this.objectsSync(f) });
        if (this.genidSync() === genid) return rs;
      } catch (err) {
        if (!(err instanceof DumpInterruptedError) || attempt >= 9) throw err;
      }
      if (attempt >= 9) throw new DumpInterruptedError('nftables ruleset', []);
    }
  }

  /** Named stateful objects (NFT_MSG_GETOBJ dump): counters, quotas, limits, ct helpers, ct timeouts, synproxies. */
  objectsSync(f: ListFilter = {}): NftObject[] {
    return this.#dump(NFT_MSG_GETOBJ, f, f.table !== undefined ? { table: f.table } : undefined).map(toObject).filter((o) => f.table === undefined || o.table === f.table);
  }

  /** Named stateful objects, as {@link NftHandle.objectsSync}, settled on a later tick. */
  objects(f?: ListFilter): Promise<NftObject[]> { return settle(() => this.objectsSync(f)); }

  /** The whole ruleset of one generation (`nft list ruleset`): tables, chains, sets with elements, rules. */
  list(f?: ListFilter): Promise<Ruleset> { return settle(() => this.listSync(f)); }

  /** `nft delete table` (one-operation batch). */
  deleteTable(t: TableRef & { readonly handle?: bigint }): Promise<CommitResult> { return this.batch().deleteTable(t).commit(); }
  /** `nft flush table`. */
  flushTable(t: TableRef): Promise<CommitResult> { return this.batch().flushTable(t).commit(); }
  /** `nft delete chain`, as a one-operation batch. */
  deleteChain(c: ChainRef & { readonly handle?: bigint }): Promise<CommitResult> { return this.batch().deleteChain(c).commit(); }
  /** `nft flush chain`, as a one-operation batch. */
  flushChain(c: ChainRef): Promise<CommitResult> { return this.batch().flushChain(c).commit(); }
  /** `nft delete rule … handle N`. */
  deleteRule(r: RuleRef): Promise<CommitResult> { return this.batch().deleteRule(r).commit(); }
  /** `nft delete counter|quota|limit|… TABLE NAME` (one-operation batch). */
  deleteObject(o: Pick<ObjectSpec, 'family' | 'table' | 'name' | 'type'>): Promise<CommitResult> { return this.batch().deleteObject(o).commit(); }
}

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}
