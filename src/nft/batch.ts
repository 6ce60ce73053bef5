/**
 * NftBatch: operations collected, then committed as ONE nfnetlink batch —
 * NFNL_MSG_BATCH_BEGIN, the messages, NFNL_MSG_BATCH_END — in one sendmsg, which the kernel
 * applies all-or-nothing (nfnetlink_rcv_batch: any failure aborts the whole transaction).
 *
 * ACKs: no message asks for one except the last operation, so a batch of 10,000 rules costs one
 * ACK, not 10,000; the kernel reports every failing message regardless, and NetlinkSocket
 * .exchangeSync maps each error back to its operation by seq. NEWRULE carries NLM_F_ECHO (unless
 * `echo: false`), so the commit returns the created rules with their kernel handles.
 */
import { NetlinkError } from '../netlink/errors.js';
import { NLM_F_REQUEST } from '../netlink/header.js';
import { type OutMessage, messageSize } from '../netlink/message.js';
import { SyscallError } from '../ffi/errors.js';
import type { NetlinkSocket } from '../netlink/socket.js';
import { type ChainRef, type ChainSpec, delChainMessage, flushChainMessage, newChainMessage } from './chain.js';
import { NFNETLINK_V0, NFNL_MSG_BATCH_BEGIN, NFNL_MSG_BATCH_END, NFNL_SUBSYS_NFTABLES, NFT_MSG_DELRULE, NFT_MSG_NEWRULE, NFPROTO_UNSPEC, nftType } from './constants.js';
import { NftBatchError, NftBatchTooLargeError } from './errors.js';
import { familyNumber } from './family.js';
import { nfnetlink } from './protocol.js';
import { type Rule, type RuleRef, type RuleSpec, delRuleMessage, newRuleMessage, toRule } from './rule.js';
import { ANON_MAP_NAME, ANON_SET_NAME, anonymousSetMessages } from './anonymous.js';
import { type ElementTarget, type SetRef, type SetSpec, delSetMessage, newSetMessage, setElemMessage } from './set.js';
import type { KeyValue, MapEntry } from './set-elements.js';
import type { ExprAttrs } from './expr.schema.js';
import type { Ruleset } from './handle.js';
import { type ObjectSpec, delObjMessage, newObjMessage } from './object.js';
import { rulesetMessages } from './ruleset-write.js';
import { type TableRef, type TableSpec, checkName, delTableMessage, newTableMessage } from './table.js';

/** Options of a batch. */
export interface BatchOptions {
  /** NLM_F_ECHO on NEWRULE so commit() returns the new rules with handles. Default true. */
  readonly echo?: boolean;
}

/** Options of `commit()`: a generation id to apply only if the ruleset did not change. */
export interface CommitOptions {
  /**
   * NFNL_BATCH_GENID: apply only if the ruleset generation is still this one (from
   * `NftHandle.genid()` or a listing); otherwise NftBatchError with `generationChanged`.
   * Default: no check.
   */
  readonly genid?: number;
}

/** What a commit created: tables, chains, sets and rules with their kernel handles. */
export interface CommitResult {
  /** Rules the batch created, in batch order, with their kernel handles (empty when `echo: false`). */
  readonly rules: readonly (Rule & { readonly index: number })[];
  /** Operations committed. */
  readonly operations: number;
}

interface Op { readonly msg: OutMessage; readonly label: string }

/** Each batch method takes one spec object: anything else is a TypeError naming the method, before any message is built. */
function specObject(v: unknown, where: string): void {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`${where}: expected a spec object, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
}

const BATCH_HEADER = { family: NFPROTO_UNSPEC, version: NFNETLINK_V0, resId: NFNL_SUBSYS_NFTABLES };

/** An atomic nftables batch: operations added in order, sent between NFNL_MSG_BATCH_BEGIN and END by `commit()`; all or nothing. */
export class NftBatch {
  readonly #socket: NetlinkSocket;
  readonly #echo: boolean;
  readonly #ops: Op[] = [];
  /** Named sets created in this batch: `family table name` → NFTA_SET_ID. */
  readonly #sets = new Map<string, number>();
  /** The last NFTA_SET_ID given (nft numbers named and anonymous sets alike, from 1). */
  #setIds = 0;

  constructor(socket: NetlinkSocket, opts: BatchOptions = {}) {
    this.#socket = socket;
    this.#echo = opts.echo ?? true;
  }

  get length(): number {
    return this.#ops.length;
  }

  #push(msg: OutMessage, label: string): this {
    this.#ops.push({ msg, label });
    return this;
  }

  /** `nft add table` (or `create table` with `exclusive`). */
  addTable(t: TableSpec): this { specObject(t, 'batch.addTable'); return this.#push(newTableMessage(t), `NFT_MSG_NEWTABLE ${t.family} ${t.name}`); }
  /** `nft delete table` — the table and everything in it. */
  deleteTable(t: TableRef & { readonly handle?: bigint }): this { specObject(t, 'batch.deleteTable'); return this.#push(delTableMessage(t), `NFT_MSG_DELTABLE ${t.family} ${t.name}`); }
  /** `nft flush table`: every rule of every chain of the table. */
  flushTable(t: TableRef): this {
    specObject(t, 'batch.flushTable');
    return this.#push({ type: nftType(NFT_MSG_DELRULE), flags: 0, header: { family: familyNumber(t.family, 'table.family'), version: NFNETLINK_V0, resId: 0 }, attrs: { table: checkName(t.name, 'table.name') } },
      `NFT_MSG_DELRULE ${t.family} ${t.name} (flush)`);
  }
  /** `nft add chain`: a base chain with `type`/`hook`/`priority`/`policy`, else a regular chain. */
  addChain(c: ChainSpec): this { specObject(c, 'batch.addChain'); return this.#push(newChainMessage(c), `NFT_MSG_NEWCHAIN ${c.family} ${c.table} ${c.name}`); }
  /** Delete a chain (by name, or by handle). */
  deleteChain(c: ChainRef & { readonly handle?: bigint }): this { specObject(c, 'batch.deleteChain'); return this.#push(delChainMessage(c), `NFT_MSG_DELCHAIN ${c.family} ${c.table} ${c.name}`); }
  /** `nft flush chain`. */
  flushChain(c: ChainRef): this { specObject(c, 'batch.flushChain'); return this.#push(flushChainMessage(c), `NFT_MSG_DELRULE ${c.family} ${c.table} ${c.name} (flush)`); }
  /**
   * `nft add rule` / `insert rule` / `replace rule`. The rule's anonymous sets and maps
   * (`r.sets`, from RuleBuilder.sets) are sent first, each NEWSET + NEWSETELEM, as nft does; a
   * lookup of an anonymous set or of a named set created earlier in this batch gets its
   * NFTA_LOOKUP_SET_ID (the kernel needs it to find a set that is not committed yet).
   */
  addRule(r: RuleSpec): this {
    specObject(r, 'batch.addRule');
    const anon = r.sets ?? [];
    if (!Array.isArray(anon)) throw new TypeError('rule.sets: expected an array of anonymous sets (RuleBuilder.sets)');
    const ids: number[] = [];
    const pending: OutMessage[] = [];
    for (const s of anon) {
      const id = ++this.#setIds;
      ids.push(id);
      pending.push(...anonymousSetMessages(r.family, r.table, s, id));
    }
    let next = 0;
    const exprs = Array.isArray(r.exprs) ? r.exprs.map((e, i) => {
      const d = e?.data as Record<string, unknown> | undefined;
      if (e?.name !== 'lookup' || !d || Buffer.isBuffer(d) || typeof d['set'] !== 'string' || d['setId'] !== undefined) return e;
      if (d['set'] === ANON_SET_NAME || d['set'] === ANON_MAP_NAME) {
        const s = anon[next];
        if (!s || s.name !== d['set']) throw new TypeError(`rule.exprs[${i}]: a lookup of ${d['set']} with no matching anonymous ${d['set'] === ANON_MAP_NAME ? 'map' : 'set'} in rule.sets`);
        return withSetId(e, ids[next++]!);
      }
      const id = this.#sets.get(`${r.family} ${r.table} ${d['set']}`);
      return id !== undefined ? withSetId(e, id) : e;
    }) : r.exprs;
    if (next !== anon.length) throw new TypeError(`rule.sets: ${anon.length} anonymous sets but ${next} lookups use them`);
    const msg = newRuleMessage({ ...r, exprs }, this.#echo);
    for (const m of pending) this.#push(m, `${nfnetlink.typeName(m.type)} ${r.family} ${r.table} (anonymous, for a rule in ${r.chain})`);
    return this.#push(msg, `NFT_MSG_NEWRULE ${r.family} ${r.table} ${r.chain}`);
  }

  /**
   * `nft add set` / `nft add map` (with `interval`/`map`), and its elements if given
   * (NFT_MSG_NEWSET [+ NEWSETELEM]).
   */
  addSet(s: SetSpec): this {
    specObject(s, 'batch.addSet');
    const msg = newSetMessage(s, this.#setIds + 1);
    const elems = s.elements?.length ? setElemMessage('add', s, s.elements, this.#setIds + 1, true) : undefined;
    const id = ++this.#setIds;
    this.#push(msg, `NFT_MSG_NEWSET ${s.family} ${s.table} ${s.name}`);
    this.#sets.set(`${s.family} ${s.table} ${s.name}`, id);
    if (elems) this.#push(elems, `NFT_MSG_NEWSETELEM ${s.family} ${s.table} ${s.name}`);
    return this;
  }

  /** `nft add element` (`type`, `interval`, `map`: those of the set). */
  addElements(s: ElementTarget & { readonly elements: readonly (KeyValue | MapEntry)[] }): this {
    specObject(s, 'batch.addElements');
    return this.#push(setElemMessage('add', s, s.elements, this.#sets.get(`${s.family} ${s.table} ${s.name}`)), `NFT_MSG_NEWSETELEM ${s.family} ${s.table} ${s.name}`);
  }

  /** `nft delete element` (for a map, the entries' keys are what count). */
  deleteElements(s: ElementTarget & { readonly elements: readonly (KeyValue | MapEntry)[] }): this {
    specObject(s, 'batch.deleteElements');
    return this.#push(setElemMessage('delete', s, s.elements), `NFT_MSG_DELSETELEM ${s.family} ${s.table} ${s.name}`);
  }
  /** `nft delete rule … handle N`. */
  deleteRule(r: RuleRef): this { specObject(r, 'batch.deleteRule'); return this.#push(delRuleMessage(r), `NFT_MSG_DELRULE ${r.family} ${r.table} ${r.chain} handle ${r.handle}`); }
  /** `nft delete set`. */
  deleteSet(s: SetRef): this {
    specObject(s, 'batch.deleteSet');
    return this.#push(delSetMessage(s), `NFT_MSG_DELSET ${s.family} ${s.table} ${s.name}`);
  }
  /**
   * Re-create a listed ruleset (NftHandle.list(), or rulesetFromMessages) — `nft -f` of what
   * `nft list ruleset` printed: tables, named sets and maps with their elements, named objects,
   * chains, and rules with their anonymous sets, dump-only attributes cleaned (ruleset-write.ts).
   */
  addRuleset(rs: Pick<Ruleset, 'tables' | 'chains' | 'sets' | 'rules'> & Partial<Pick<Ruleset, 'objects'>>): this {
    if (!rs || !Array.isArray(rs.tables) || !Array.isArray(rs.chains) || !Array.isArray(rs.sets) || !Array.isArray(rs.rules)) {
      throw new TypeError('addRuleset: expected a ruleset ({ tables, chains, sets, rules, objects }) as NftHandle.list() returns it');
    }
    const msgs = rulesetMessages(rs, {
      next: () => ++this.#setIds,
      named: (family, table, name, id) => {
        const k = `${family} ${table} ${name}`;
        if (id !== undefined) this.#sets.set(k, id);
        return this.#sets.get(k);
      },
    });
    for (const m of msgs) this.#push(m.msg, m.label);
    return this;
  }

  /** `nft add counter|quota|limit|ct helper|ct timeout|synproxy …` (NFT_MSG_NEWOBJ). */
  addObject(o: ObjectSpec): this { return this.#push(newObjMessage(o), `NFT_MSG_NEWOBJ ${o.family} ${o.table} ${o.type} ${o.name}`); }
  /** `nft delete counter|quota|… NAME` (NFT_MSG_DELOBJ). */
  deleteObject(o: Pick<ObjectSpec, 'family' | 'table' | 'name' | 'type'>): this { return this.#push(delObjMessage(o), `NFT_MSG_DELOBJ ${o.family} ${o.table} ${o.type} ${o.name}`); }

  /** Any pre-built nftables message (its validation happens at commit, before any syscall). */
  raw(msg: OutMessage, label?: string): this { specObject(msg, 'batch.raw'); return this.#push(msg, label ?? nfnetlink.typeName(msg.type)); }

  /**
   * The whole batch as sent, seq aside: BATCH_BEGIN (with NFNL_BATCH_GENID if given), the
   * operations, BATCH_END, each with NLM_F_REQUEST. (commit() also sets NLM_F_ACK on the last operation.)
   */
  messages(opts: CommitOptions = {}): OutMessage[] {
    if (opts.genid !== undefined && (!Number.isInteger(opts.genid) || opts.genid < 0 || opts.genid > 0xffffffff)) {
      throw new RangeError(`commit.genid: ${opts.genid} is not a u32 generation id`);
    }
    return [
      { type: NFNL_MSG_BATCH_BEGIN, flags: NLM_F_REQUEST, header: BATCH_HEADER, ...(opts.genid !== undefined ? { attrs: { genid: opts.genid } } : {}) },
      ...this.#ops.map((o) => ({ ...o.msg, flags: o.msg.flags | NLM_F_REQUEST })),
      { type: NFNL_MSG_BATCH_END, flags: NLM_F_REQUEST, header: BATCH_HEADER },
    ];
  }

  /** Send the batch and wait for the kernel's verdict. Throws NftBatchError if anything failed (then nothing was applied). */
  commitSync(opts: CommitOptions = {}): CommitResult {
    if (this.#ops.length === 0) return { rules: [], operations: 0 };
    const msgs = this.messages(opts);
    let res;
    try {
      res = this.#socket.exchangeSync(msgs, { ackIndex: msgs.length - 2, abortOn: [0] });
    } catch (err) {
      if (err instanceof SyscallError && err.code === 'EMSGSIZE') {
        let bytes = 0;
        for (const m of msgs) bytes += (messageSize(nfnetlink, m) + 3) & ~3;
        throw new NftBatchTooLargeError(bytes, this.#ops.length, { cause: err });
      }
      throw err;
    }
    if (res.failures.length) {
      // Message i of the datagram is operation i-1; BEGIN/END failures concern the whole batch.
      const failures = res.failures.map((f) => {
        const i = (f.index ?? 0) - 1;
        const op = i >= 0 && i < this.#ops.length ? i : -1;
        return new NetlinkError({ errno: f.errno, operation: f.operation, seq: f.seq, extAck: f.extAck, ...(f.attrPath ? { attrPath: f.attrPath } : {}), ...(f.missingAttr ? { missingAttr: f.missingAttr } : {}), index: op });
      });
      throw new NftBatchError(failures, failures.map((f) => (f.index! >= 0 ? this.#ops[f.index!]!.label : 'NFNL_MSG_BATCH_BEGIN')), this.#ops.length);
    }
    const rules = res.replies
      .filter((r) => r.message.type === nftType(NFT_MSG_NEWRULE))
      .map((r) => ({ ...toRule(r.message), index: r.index - 1 }));
    return { rules, operations: this.#ops.length };
  }

  /** Send the batch; resolves with the created objects' handles, rejects with NftBatchError (nothing applied). */
  commit(opts?: CommitOptions): Promise<CommitResult> {
    try {
      return Promise.resolve(this.commitSync(opts));
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

/** A lookup with NFTA_LOOKUP_SET_ID, its attributes in nft's order (sreg, dreg, set, set id, flags). */
function withSetId(e: ExprAttrs, setId: number): ExprAttrs {
  const { sreg, dreg, set, flags, ...rest } = e.data as Record<string, unknown>;
  return { ...e, data: { sreg, ...(dreg !== undefined ? { dreg } : {}), set, setId, ...(flags !== undefined ? { flags } : {}), ...rest } } as ExprAttrs;
}
