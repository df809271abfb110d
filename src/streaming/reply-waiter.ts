import { setOwnProperty } from '../core/json';
import type { Clock } from '../service/clock';
import { callOnceAfter } from './timing';
import { ReturnCode } from './types';
import type { StreamReply } from './types';
import type { ReplyMessage } from './wire';

interface Pending {
  readonly awaited: Set<string>;
  readonly replies: Record<string, StreamReply>;
  readonly resolve: (replies: Record<string, StreamReply>) => void;
  cancelTimer: () => void;
}

/**
 * Collects the replies to sent chunks, per (transaction, sequence), and hands them over once every target replied or
 * the chunk's timeout passed; a missing reply becomes TIMEOUT. Only replies from targets still awaited count, so a
 * duplicate or a reply from a stranger changes nothing.
 */
export class ReplyWaiter {
  private readonly pending = new Map<string, Pending>();

  /** @param clock - Runs the per-chunk timeouts. */
  constructor(private readonly clock: Clock) {}

  /**
   * Starts waiting for one chunk's replies. Call before sending, since a reply may arrive before `publish` returns.
   * @param txId - The stream.
   * @param seq - The chunk.
   * @param targets - Who must reply.
   * @param timeoutMs - How long to wait for all of them.
   * @returns The replies by target, complete or filled in with TIMEOUT.
   */
  expect(
    txId: string,
    seq: number,
    targets: readonly string[],
    timeoutMs: number,
  ): Promise<Record<string, StreamReply>> {
    const key = `${txId}:${seq}`;
    this.pending.get(key)?.resolve(this.finish(key));
    return new Promise((resolve) => {
      const entry: Pending = { awaited: new Set(targets), replies: {}, resolve, cancelTimer: () => undefined };
      this.pending.set(key, entry);
      entry.cancelTimer = callOnceAfter(this.clock, timeoutMs, () => {
        if (this.pending.get(key) === entry) resolve(this.finish(key, ReturnCode.TIMEOUT));
      });
    });
  }

  /**
   * Records a target's reply without waiting for one (a send that failed counts as COMMUNICATION_ERROR).
   * @returns Whether the reply completed the chunk.
   */
  settle(txId: string, seq: number, target: string, reply: StreamReply): boolean {
    const key = `${txId}:${seq}`;
    const entry = this.pending.get(key);
    if (entry === undefined || !entry.awaited.delete(target)) return false;
    setOwnProperty(entry.replies, target, reply);
    if (entry.awaited.size > 0) return false;
    entry.resolve(this.finish(key));
    return true;
  }

  /**
   * Hands a received reply to the chunk waiting for it; replies nobody waits for are dropped.
   * @returns Whether it was awaited.
   */
  deliver(reply: ReplyMessage): boolean {
    const stored: StreamReply = Object.assign(
      { rc: reply.rc },
      reply.data === undefined ? {} : { data: reply.data },
      reply.endResult === undefined ? {} : { endResult: reply.endResult },
    );
    const key = `${reply.txId}:${reply.seq}`;
    if (!this.pending.get(key)?.awaited.has(reply.sender)) return false;
    this.settle(reply.txId, reply.seq, reply.sender, stored);
    return true;
  }

  /** Ends every wait of a stream at once (it was aborted), filling the missing replies with `rc`. */
  cancel(txId: string, rc: ReturnCode): void {
    for (const [key, entry] of this.pending) {
      if (key.startsWith(`${txId}:`)) entry.resolve(this.finish(key, rc));
    }
  }

  /** Chunks still awaiting replies (for tests and diagnostics). */
  get size(): number {
    return this.pending.size;
  }

  private finish(key: string, missing: ReturnCode = ReturnCode.TIMEOUT): Record<string, StreamReply> {
    const entry = this.pending.get(key);
    if (entry === undefined) return {};
    this.pending.delete(key);
    entry.cancelTimer();
    for (const target of entry.awaited) setOwnProperty(entry.replies, target, { rc: missing });
    return entry.replies;
  }
}
