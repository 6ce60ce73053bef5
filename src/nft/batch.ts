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
import type { OutMessage } from '../netlink/message.js';
import type { NetlinkSocket } from '../netlink/socket.js';
import { type ChainRef, type ChainSpec, delChainMessage, flushChainMessage, newChainMessage } from './chain.js';
import { NFNETLINK_V0, NFNL_MSG_BATCH_BEGIN, NFNL_MSG_BATCH_END, NFNL_SUBSYS_NFTABLES, NFT_MSG_DELRULE, NFT_MSG_NEWRULE, NFPROTO_UNSPEC, nftType } from './constants.js';
import { NftBatchError } from './errors.js';
import { familyNumber } from './family.js';
import { nfnetlink } from './protocol.js';
import { type Rule, type RuleRef, type RuleSpec, delRuleMessage, newRuleMessage, toRule } from './rule.js';
import { type SetRef, type SetSpec, delSetMessage, newSetMessage, setElemMessage } from './set.js';
import type { SetElement, SetKeyType } from './set-types.js';
import type { ExprAttrs } from './expr.schema.js';
import { type TableRef, type TableSpec, checkName, delTableMessage, newTableMessage } from './table.js';

export interface BatchOptions {
  /** NLM_F_ECHO on NEWRULE so commit() returns the new rules with handles. Default true. */
  readonly echo?: boolean;
}

export interface CommitOptions {
  /**
   * NFNL_BATCH_GENID: apply only if the ruleset generation is still this one (from
   * `NftHandle.genid()` or a listing); otherwise NftBatchError with `generationChanged`.
   * Default: no check.
   */
  readonly genid?: number;
}

export interface CommitResult {
  /** Rules the batch created, in batch order, with their kernel handles (empty when `echo: false`). */
  readonly rules: readonly (Rule & { readonly index: number })[];
  /** Operations committed. */
  readonly operations: number;
}

interface Op { readonly msg: OutMessage; readonly label: string }

const BATCH_HEADER = { family: NFPROTO_UNSPEC, version: NFNETLINK_V0, resId: NFNL_SUBSYS_NFTABLES };

export class NftBatch {
  readonly #socket: NetlinkSocket;
  readonly #echo: boolean;
  readonly #ops: Op[] = [];
  /** Sets created in this batch: `family table name` → NFTA_SET_ID (from 1, as nft numbers them) and key type. */
  readonly #sets = new Map<string, { id: number; type: SetKeyType }>();

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
  addTable(t: TableSpec): this { return this.#push(newTableMessage(t), `NFT_MSG_NEWTABLE ${t.family} ${t.name}`); }
  /** `nft delete table` — the table and everything in it. */
  deleteTable(t: TableRef & { readonly handle?: bigint }): this { return this.#push(delTableMessage(t), `NFT_MSG_DELTABLE ${t.family} ${t.name}`); }
  /** `nft flush table`: every rule of every chain of the table. */
  flushTable(t: TableRef): this {
    return this.#push({ type: nftType(NFT_MSG_DELRULE), flags: 0, header: { family: familyNumber(t.family, 'table.family'), version: NFNETLINK_V0, resId: 0 }, attrs: { table: checkName(t.name, 'table.name') } },
      `NFT_MSG_DELRULE ${t.family} ${t.name} (flush)`);
  }
  /** `nft add chain`: a base chain with `type`/`hook`/`priority`/`policy`, else a regular chain. */
  addChain(c: ChainSpec): this { return this.#push(newChainMessage(c), `NFT_MSG_NEWCHAIN ${c.family} ${c.table} ${c.name}`); }
  deleteChain(c: ChainRef & { readonly handle?: bigint }): this { return this.#push(delChainMessage(c), `NFT_MSG_DELCHAIN ${c.family} ${c.table} ${c.name}`); }
  /** `nft flush chain`. */
  flushChain(c: ChainRef): this { return this.#push(flushChainMessage(c), `NFT_MSG_DELRULE ${c.family} ${c.table} ${c.name} (flush)`); }
  /**
   * `nft add rule` / `insert rule` / `replace rule`. A lookup of a set created earlier in this
   * batch gets its NFTA_LOOKUP_SET_ID, as nft does (the kernel needs it to find the new set).
   */
  addRule(r: RuleSpec): this {
    const exprs = Array.isArray(r.exprs) ? r.exprs.map((e) => this.#withSetId(r, e)) : r.exprs;
    return this.#push(newRuleMessage({ ...r, exprs }, this.#echo), `NFT_MSG_NEWRULE ${r.family} ${r.table} ${r.chain}`);
  }

  #withSetId(r: RuleSpec, e: ExprAttrs): ExprAttrs {
    const d = e?.data as Record<string, unknown> | undefined;
    if (e?.name !== 'lookup' || !d || Buffer.isBuffer(d) || typeof d['set'] !== 'string' || d['setId'] !== undefined) return e;
    const s = this.#sets.get(`${r.family} ${r.table} ${d['set']}`);
    return s ? { ...e, data: { ...d, setId: s.id } } as ExprAttrs : e;
  }

  /** `nft add set` with a key type, and its elements if given (NFT_MSG_NEWSET [+ NEWSETELEM]). */
  addSet(s: SetSpec): this {
    const id = this.#sets.size + 1;
    this.#push(newSetMessage(s, id), `NFT_MSG_NEWSET ${s.family} ${s.table} ${s.name}`);
    this.#sets.set(`${s.family} ${s.table} ${s.name}`, { id, type: s.type });
    if (s.elements?.length) this.#push(setElemMessage('add', s, s.type, s.elements, id), `NFT_MSG_NEWSETELEM ${s.family} ${s.table} ${s.name}`);
    return this;
  }

  /** `nft add element` (`type`: the set's key type). */
  addElements(s: SetRef & { readonly type: SetKeyType; readonly elements: readonly SetElement[] }): this {
    return this.#push(setElemMessage('add', s, s.type, s.elements, this.#sets.get(`${s.family} ${s.table} ${s.name}`)?.id), `NFT_MSG_NEWSETELEM ${s.family} ${s.table} ${s.name}`);
  }

  /** `nft delete element`. */
  deleteElements(s: SetRef & { readonly type: SetKeyType; readonly elements: readonly SetElement[] }): this {
    return this.#push(setElemMessage('delete', s, s.type, s.elements), `NFT_MSG_DELSETELEM ${s.family} ${s.table} ${s.name}`);
  }
  /** `nft delete rule … handle N`. */
  deleteRule(r: RuleRef): this { return this.#push(delRuleMessage(r), `NFT_MSG_DELRULE ${r.family} ${r.table} ${r.chain} handle ${r.handle}`); }
  /** `nft delete set`. */
  deleteSet(s: SetRef): this {
    return this.#push(delSetMessage(s), `NFT_MSG_DELSET ${s.family} ${s.table} ${s.name}`);
  }
  /** Any pre-built nftables message (its validation happens at commit, before any syscall). */
  raw(msg: OutMessage, label?: string): this { return this.#push(msg, label ?? nfnetlink.typeName(msg.type)); }

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
    const res = this.#socket.exchangeSync(msgs, { ackIndex: msgs.length - 2, abortOn: [0] });
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

  commit(opts?: CommitOptions): Promise<CommitResult> {
    try {
      return Promise.resolve(this.commitSync(opts));
    } catch (err) {
      return Promise.reject(err);
    }
  }
}
