import type { Transport } from '../core/ports/transport';
import { StreamingError } from '../errors';
import { endedReply, StreamEnding } from './ending';
import type { ReceiverDeps } from './ending';
import { checkConsumeResult, checkConsumerState, openHead } from './receiver-checks';
import type { HeldConsumer, Registration } from './registry';
import type { ChunkRecord, StoredReply, StreamHead, StreamSummary } from './state-store';
import { PerKeyQueue } from './timing';
import { isReturnCode, ReturnCode } from './types';
import type { ConsumeResult } from './types';
import { encodeReply } from './wire';
import type { ChunkMessage, NoticeMessage, RejectedMessage } from './wire';

/** What the receiver needs beyond {@link ReceiverDeps}. */
export interface StreamReceiverDeps extends ReceiverDeps {
  /** This service's SRUID (replies come from it). */
  readonly identity: string;
  readonly transport: Transport;
  /** Ended streams' states are removed by the sweeper this long after they ended. */
  readonly endedRetentionMs: number;
}

/** What {@link StreamReceiver.sweep} did. */
export interface SweepReport {
  /** Streams that had idled past the idle timeout and were ended with TIMEOUT. */
  readonly timedOut: readonly string[];
  /** Ended streams whose states were kept for `endedRetentionSeconds` and are now removed. */
  readonly removed: readonly string[];
}

/**
 * The receiving side: NVFlare's checks and return codes on durable state. A chunk is answered by its stored reply if
 * it is a duplicate; otherwise it must be the next sequence of an open stream from the same sender. One process
 * handles the events of one stream one at a time; across instances, conditional writes decide.
 */
export class StreamReceiver {
  private readonly ending: StreamEnding;
  private readonly queue = new PerKeyQueue();
  private readonly heads = new Map<string, StreamHead>();

  /** @param deps - States, registry, clock, logger, limits, transport and identity. */
  constructor(private readonly deps: StreamReceiverDeps) {
    this.ending = new StreamEnding(deps);
  }

  /** Handles a chunk and publishes its reply. @throws When the reply cannot be sent (the chunk is redelivered). */
  async handleChunk(chunk: ChunkMessage): Promise<void> {
    await this.queue.run(chunk.txId, async () => {
      const reply = await this.process(chunk);
      await this.reply(chunk, reply);
    });
  }

  /** Handles an abort notice (the stream ends with TASK_ABORTED) or a heartbeat (the stream is alive). */
  async handleNotice(notice: NoticeMessage): Promise<void> {
    await this.queue.run(notice.txId, async () => {
      const head = await this.liveHead(notice.txId, notice.sender);
      if (head === undefined) return;
      if (notice.event === 'abort') {
        await this.ending.end(head, ReturnCode.TASK_ABORTED);
        return;
      }
      await this.deps.states.touch(notice.txId, this.deps.clock.now().getTime());
      this.armIdle(notice.txId, this.deps.idleTimeoutMs);
    });
  }

  /** Answers a chunk whose headers failed the checks with BAD_REQUEST_DATA, ending its stream as NVFlare does. */
  async handleRejected(rejected: RejectedMessage): Promise<void> {
    const route = rejected.replyRoute;
    this.deps.logger.warning('Refused a stream event: %s.', rejected.reason);
    if (route === undefined) return;
    await this.queue.run(route.txId, async () => {
      const head = await this.liveHead(route.txId, route.sender);
      if (head !== undefined) await this.ending.end(head, ReturnCode.BAD_REQUEST_DATA);
      await this.publishReply(route, { seq: route.seq, rc: ReturnCode.BAD_REQUEST_DATA });
    });
  }

  /**
   * Ends every open stream that has idled past the idle timeout with TIMEOUT (a dead sender's streams included), and
   * removes the states of streams that ended more than the retention ago (kept until then to answer duplicates).
   * @returns The streams it ended and the states it removed.
   */
  async sweep(): Promise<SweepReport> {
    const timedOut: string[] = [];
    const removed: string[] = [];
    for (const txId of await this.deps.states.listStreams()) {
      await this.queue.run(txId, async () => {
        // One listing serves both checks: expiry only looks at open streams, removal only at ended ones.
        const summary = await this.deps.states.summarize(txId);
        if (await this.expireIfIdle(txId, summary)) timedOut.push(txId);
        else if (await this.removeIfExpired(txId, summary)) removed.push(txId);
      });
    }
    return { timedOut, removed };
  }

  /** Ends the streams this process holds with TASK_ABORTED (the run was aborted) and stops every timer. */
  async abortHeld(): Promise<void> {
    this.ending.disarmAll();
    for (const txId of [...this.ending.held.keys()]) {
      await this.queue.run(txId, async () => {
        const head = await this.head(txId);
        if (head !== undefined) await this.ending.end(head, ReturnCode.TASK_ABORTED);
      });
    }
  }

  // The head of an open stream of this sender; `undefined` for unknown, ended or someone else's streams.
  private async liveHead(txId: string, sender: string): Promise<StreamHead | undefined> {
    const head = await this.head(txId);
    // Only the stream's own sender may abort it, keep it alive or break it.
    if (head === undefined || head.sender !== sender) return undefined;
    return (await this.deps.states.readEnd(txId)) === undefined ? head : undefined;
  }

  private async process(chunk: ChunkMessage): Promise<StoredReply> {
    const { states, registry, clock } = this.deps;
    const { txId, seq } = chunk;
    const registration = registry.get(chunk.channel, chunk.topic);
    if (registration === undefined) return { seq, rc: ReturnCode.EXECUTION_EXCEPTION };
    let head = await this.head(txId);
    if (head === undefined) {
      if (seq !== 0 || chunk.context === undefined) return { seq, rc: ReturnCode.BAD_REQUEST_DATA };
      await states.createHead(openHead(chunk), clock.now().getTime());
      head = await this.head(txId);
      if (head === undefined) throw new StreamingError(`Stream ${txId} could not be opened.`, { txId });
    }
    // A transaction id belongs to one sender, channel and topic: anything else is not this stream.
    if (head.sender !== chunk.sender || head.channel !== chunk.channel || head.topic !== chunk.topic) {
      return { seq, rc: ReturnCode.BAD_REQUEST_DATA };
    }
    const stored = await states.readChunk(txId, seq);
    if (stored !== undefined) return replyOf(stored);
    const end = await states.readEnd(txId);
    if (end !== undefined) return endedReply(end.record, seq);
    // The gap check: a chunk is consumed only right after the one before it (NVFlare has none).
    // (A consumer held here after chunk `seq - 1` shows it was committed, without asking the store.)
    const heldSeq = this.ending.held.get(txId)?.seq;
    if (seq > 0 && heldSeq !== seq - 1 && !(await states.hasChunk(txId, seq - 1))) {
      return { seq, rc: ReturnCode.BAD_REQUEST_DATA };
    }
    return this.consumeNext(chunk, head, registration);
  }

  // Consumes the next chunk and commits it; if another delivery committed it first, answers with its reply.
  private async consumeNext(chunk: ChunkMessage, head: StreamHead, registration: Registration): Promise<StoredReply> {
    const { seq, txId } = chunk;
    let held: HeldConsumer | undefined;
    let result: ConsumeResult;
    let consumerState: unknown;
    try {
      held = await this.consumerFor(head, seq, registration);
      result = await held.consumer.consume(chunk.data, held.ctx, this.ending.runtime(head));
      checkConsumeResult(result);
      consumerState = checkConsumerState(held.consumer.saveState?.());
    } catch (error) {
      this.deps.logger.exception(`Consuming chunk ${seq} of stream ${txId} failed.`, error);
      return (await this.ending.end(head, ReturnCode.EXECUTION_EXCEPTION, { seq, held })) as StoredReply;
    }
    const rc = result.reply?.rc ?? ReturnCode.OK;
    const data = result.reply?.data;
    held = { consumer: held.consumer, ctx: held.ctx, seq };
    await this.callConsumed(held, head, registration);
    if (!result.continue) return (await this.ending.end(head, rc, { seq, held, data })) as StoredReply;
    const record: ChunkRecord = Object.assign(
      { seq, rc },
      data === undefined ? {} : { data },
      consumerState === undefined ? {} : { consumerState },
    );
    if (!(await this.deps.states.commitChunk(txId, record, this.deps.clock.now().getTime()))) {
      this.ending.held.delete(txId);
      const winner = await this.deps.states.readChunk(txId, seq);
      if (winner === undefined) throw new StreamingError(`Chunk ${seq} of stream ${txId} vanished.`, { txId });
      return replyOf(winner);
    }
    this.ending.held.set(txId, held);
    this.armIdle(txId, this.deps.idleTimeoutMs);
    return replyOf(record);
  }

  // A stream's head, remembered once read: heads never change, and every chunk needs one.
  private async head(txId: string): Promise<StreamHead | undefined> {
    const known = this.heads.get(txId);
    if (known !== undefined) return known;
    const head = await this.deps.states.readHead(txId);
    if (head === undefined) return undefined;
    if (this.heads.size >= MAX_REMEMBERED_HEADS) this.heads.delete(this.heads.keys().next().value as string);
    this.heads.set(txId, head);
    return head;
  }

  // The consumer for chunk `seq`: the one held here if it consumed `seq - 1`, else a new one (chunk 0) or one restored
  // from the commit of `seq - 1` (another instance consumed it, or this process restarted).
  private async consumerFor(head: StreamHead, seq: number, registration: Registration): Promise<HeldConsumer> {
    const { txId } = head;
    const held = this.ending.held.get(txId);
    if (held !== undefined && held.seq === seq - 1) return held;
    this.ending.held.delete(txId);
    const ctx = this.ending.context(head, (rc) => this.endFromConsumer(txId, rc));
    const rt = this.ending.runtime(head);
    const { factory } = registration;
    if (seq === 0) return { consumer: await factory.getConsumer(ctx, rt), ctx, seq: -1 };
    if (factory.restoreConsumer === undefined) {
      throw new StreamingError(`Stream ${txId} continues here, but its factory has no restoreConsumer.`, { txId });
    }
    const previous = await this.deps.states.readChunk(txId, seq - 1);
    return { consumer: await factory.restoreConsumer(previous?.consumerState, ctx, rt), ctx, seq: seq - 1 };
  }

  // END_STREAM: a consumer ends its own stream. Not queued: it may be called from inside `consume`, which holds the
  // stream's turn; the end record keeps it exactly once.
  private async endFromConsumer(txId: string, rc: ReturnCode): Promise<void> {
    const head = await this.head(txId);
    if (head !== undefined) await this.ending.end(head, isReturnCode(rc) ? rc : ReturnCode.OK);
  }

  private async callConsumed(held: HeldConsumer, head: StreamHead, registration: Registration): Promise<void> {
    try {
      await registration.options.consumedCb?.(held.ctx, this.ending.runtime(head), registration.options.cbArgs);
    } catch (error) {
      this.deps.logger.exception(`The consumed callback of stream ${head.txId} failed.`, error);
    }
  }

  private armIdle(txId: string, delayMs: number): void {
    this.ending.armIdle(txId, delayMs, () => {
      this.queue
        .run(txId, async () => this.expireIfIdle(txId, await this.deps.states.summarize(txId)))
        .catch((error: unknown) => this.deps.logger.exception(`Checking stream ${txId} for idleness failed.`, error));
    });
  }

  // Ends the stream with TIMEOUT if it idled for the whole timeout; otherwise waits for the rest of it.
  private async expireIfIdle(txId: string, summary: StreamSummary | undefined): Promise<boolean> {
    const head = summary === undefined ? undefined : await this.head(txId);
    if (summary === undefined || head === undefined || summary.endedAtMs !== undefined) {
      // Ended (or removed) elsewhere: this process lets go of its copy of the consumer.
      this.ending.held.delete(txId);
      this.ending.disarmIdle(txId);
      return false;
    }
    const idleMs = this.deps.clock.now().getTime() - summary.lastActivityMs;
    if (idleMs < this.deps.idleTimeoutMs) {
      if (this.ending.held.has(txId)) this.armIdle(txId, this.deps.idleTimeoutMs - idleMs);
      return false;
    }
    await this.ending.end(head, ReturnCode.TIMEOUT);
    return true;
  }

  private async removeIfExpired(txId: string, summary: StreamSummary | undefined): Promise<boolean> {
    const endedAtMs = summary?.endedAtMs;
    if (endedAtMs === undefined || this.deps.clock.now().getTime() - endedAtMs < this.deps.endedRetentionMs) {
      return false;
    }
    await this.deps.states.remove(txId);
    this.heads.delete(txId);
    return true;
  }

  private async reply(chunk: ChunkMessage, reply: StoredReply): Promise<void> {
    await this.publishReply(chunk, reply);
  }

  private async publishReply(
    route: { txId: string; sender: string; replyTo: string },
    reply: StoredReply,
  ): Promise<void> {
    await this.deps.transport.publish(
      encodeReply(
        Object.assign(
          { txId: route.txId, seq: reply.seq, rc: reply.rc },
          { sender: this.deps.identity, recipient: route.sender, replyTo: route.replyTo },
          reply.data === undefined ? {} : { data: reply.data },
          reply.endResult === undefined ? {} : { endResult: reply.endResult },
        ),
      ),
    );
  }
}

/** Heads remembered per process (the oldest is forgotten first). */
const MAX_REMEMBERED_HEADS = 1024;

// The reply part of a commit (the consumer's state stays with the receiver).
function replyOf(record: ChunkRecord): StoredReply {
  return Object.assign(
    { seq: record.seq, rc: record.rc },
    record.data === undefined ? {} : { data: record.data },
    record.endResult === undefined ? {} : { endResult: record.endResult },
  );
}
