/**
 * Comparing our nftables batches with the ones `nft -f` sent (fixtures/nft/batch-*): find nft's
 * batch frame, encode ours with nft's seq numbers, and compare whole — printing both decoded
 * when they differ.
 */
import type { Test } from 'tap';
import { decodeAll, describeMessage, encodeMessages, splitMessages, type OutMessage } from '../../src/netlink/message.js';
import { ReplayTransport } from '../../src/netlink/replay.js';
import { NetlinkSocket } from '../../src/netlink/socket.js';
import { NFNL_MSG_BATCH_BEGIN } from '../../src/nft/constants.js';
import { nfnetlink } from '../../src/nft/protocol.js';
import { loadFixture } from './fixtures.js';

/** A socket that sends nowhere: for building batches without committing them. */
export const socket = (): NetlinkSocket => new NetlinkSocket(nfnetlink, new ReplayTransport([]));

/** nft's batch: the send frame that starts with NFNL_MSG_BATCH_BEGIN. */
export function nftBatch(name: string): Buffer {
  const f = loadFixture(name).frames.find((fr) => fr.dir === 'send' && fr.bytes.readUInt16LE(4) === NFNL_MSG_BATCH_BEGIN);
  if (!f) throw new Error(`${name}: no batch frame`);
  return f.bytes;
}

/** Encode our messages with nft's seq numbers, so the bytes can be compared whole. */
export function ours(msgs: OutMessage[], theirs: Buffer): Buffer {
  const seqs = splitMessages(theirs).map(([s]) => theirs.readUInt32LE(s + 8));
  return encodeMessages(nfnetlink, msgs.map((m, i) => ({ ...m, seq: seqs[i] ?? 0 }))).buf;
}

export function sameBatch(t: Test, got: Buffer, want: Buffer, what: string): void {
  if (got.equals(want)) { t.pass(`${what}: ${want.length} bytes identical to nft's`); return; }
  t.fail(`${what} differs from nft's batch`, {
    found: decodeAll(nfnetlink, got).map((m) => describeMessage(nfnetlink, m)).join('\n'),
    wanted: decodeAll(nfnetlink, want).map((m) => describeMessage(nfnetlink, m)).join('\n'),
  });
}
