import type { Transport } from '../core/ports/transport';
import { StreamingError } from '../errors';
import { endedReply, StreamEnding } from './ending';
import type { ReceiverDeps } from './ending';
import { checkConsumeResult, checkConsumerState, openState } from './receiver-checks';
import type { HeldConsumer, Registration } from './registry';
import { withReply } from './state-store';
import type { LoadedState, StoredReply, TxState } from './state-store';
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

const MAX_ATTEMPTS = 8;

/**
 * The receiving side: NVFlare's checks and return codes on durable state. A chunk is answered by its stored reply if
 * it is a duplicate; otherwise it must be the next sequence of an open stream from the same sender. One process
 * handles the events of one stream one at a time; across instances, conditional writes decide.
 */
export class StreamReceiver {
  private readonly ending: StreamEnding;
  private readonly queue = new PerKeyQueue();

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
      const loaded = await this.deps.states.load(notice.txId);
      // Only the stream's own sender may abort it or keep it alive.
      if (loaded === undefined || loaded.state.status !== 'open' || loaded.state.sender !== notice.sender) return;
      if (notice.event === 'abort') {
        await this.ending.end(loaded, ReturnCode.TASK_ABORTED);
        return;
      }
      const touched = Object.assign({}, loaded.state, { lastActivityMs: this.deps.clock.now().getTime() });
      await this.deps.states.replace(touched, loaded.generation);
      this.armIdle(notice.txId, this.deps.idleTimeoutMs);
    });
  }

  /** Answers a chunk whose headers failed the checks with BAD_REQUEST_DATA, ending its stream as NVFlare does. */
  async handleRejected(rejected: RejectedMessage): Promise<void> {
    const route = rejected.replyRoute;
    this.deps.logger.warning('Refused a stream event: %s.', rejected.reason);
    if (route === undefined) return;
    await this.queue.run(route.txId, async () => {
      const loaded = await this.deps.states.load(route.txId);
      if (loaded !== undefined && loaded.state.status === 'open' && loaded.state.sender === route.sender) {
        await this.ending.end(loaded, ReturnCode.BAD_REQUEST_DATA);
      }
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
    for (const txId of await this.deps.states.list()) {
      await this.queue.run(txId, async () => {
        if (await this.expireIfIdle(txId)) timedOut.push(txId);
        else if (await this.removeIfExpired(txId)) removed.push(txId);
      });
    }
    return { timedOut, removed };
  }

  /** Ends the streams this process holds with TASK_ABORTED (the run was aborted) and stops every timer. */
  async abortHeld(): Promise<void> {
    this.ending.disarmAll();
    for (const txId of [...this.ending.held.keys()]) {
      await this.queue.run(txId, async () => {
        const loaded = await this.deps.states.load(txId);
        if (loaded !== undefined) await this.ending.end(loaded, ReturnCode.TASK_ABORTED);
      });
    }
  }

  private async process(chunk: ChunkMessage): Promise<StoredReply> {
    const { states, registry, clock } = this.deps;
    const { txId, seq } = chunk;
    const registration = registry.get(chunk.channel, chunk.topic);
    if (registration === undefined) return { seq, rc: ReturnCode.EXECUTION_EXCEPTION };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const loaded = await states.load(txId);
      if (loaded === undefined) {
        if (seq !== 0 || chunk.context === undefined) return { seq, rc: ReturnCode.BAD_REQUEST_DATA };
        await states.create(openState(chunk, clock.now().getTime()));
        continue;
      }
      const { state } = loaded;
      // A transaction id belongs to one sender, channel and topic: anything else is not this stream.
      if (state.sender !== chunk.sender || state.channel !== chunk.channel || state.topic !== chunk.topic) {
        return { seq, rc: ReturnCode.BAD_REQUEST_DATA };
      }
      const stored = state.replies.find((reply) => reply.seq === seq);
      if (stored !== undefined) return stored;
      if (state.status === 'ended') return endedReply(state, seq);
      // NVFlare refuses sequences at or below the last; the gap check refuses any but the next one.
      if (seq !== state.lastSeq + 1) return { seq, rc: ReturnCode.BAD_REQUEST_DATA };
      const reply = await this.consumeNext(chunk, loaded, registration);
      if (reply !== undefined) return reply;
    }
    throw new StreamingError(`The state of stream ${txId} kept changing; the chunk will be redelivered.`, { txId });
  }

  // Consumes the next chunk and commits it. `undefined` means another write came first: decide again.
  private async consumeNext(
    chunk: ChunkMessage,
    loaded: LoadedState,
    registration: Registration,
  ): Promise<StoredReply | undefined> {
    const { state, generation } = loaded;
    const { seq, txId } = chunk;
    let held: HeldConsumer | undefined;
    let result: ConsumeResult;
    let consumerState: unknown;
    try {
      held = await this.consumerFor(state, registration);
      result = await held.consumer.consume(chunk.data, held.ctx, this.ending.runtime(state));
      checkConsumeResult(result);
      consumerState = checkConsumerState(held.consumer.saveState?.());
    } catch (error) {
      this.deps.logger.exception(`Consuming chunk ${seq} of stream ${txId} failed.`, error);
      return this.ending.end(loaded, ReturnCode.EXECUTION_EXCEPTION, { seq, held });
    }
    const rc = result.reply?.rc ?? ReturnCode.OK;
    const data = result.reply?.data;
    held = { consumer: held.consumer, ctx: held.ctx, seq };
    await this.callConsumed(held, state, registration);
    if (!result.continue) return this.ending.end(loaded, rc, { seq, held, data });
    const reply: StoredReply = data === undefined ? { seq, rc } : { seq, rc, data };
    const next: TxState = Object.assign({}, state, {
      lastSeq: seq,
      replies: withReply(state.replies, reply),
      consumerState,
      lastActivityMs: this.deps.clock.now().getTime(),
    });
    if ((await this.deps.states.replace(next, generation)) === undefined) {
      this.ending.held.delete(txId);
      return undefined;
    }
    this.ending.held.set(txId, held);
    this.armIdle(txId, this.deps.idleTimeoutMs);
    return reply;
  }

  private async consumerFor(state: TxState, registration: Registration): Promise<HeldConsumer> {
    const held = this.ending.held.get(state.txId);
    if (held !== undefined && held.seq === state.lastSeq) return held;
    // A held consumer behind the durable state was overtaken by another instance: rebuild from the state instead.
    this.ending.held.delete(state.txId);
    const ctx = this.ending.context(state, (rc) => this.endFromConsumer(state.txId, rc));
    const rt = this.ending.runtime(state);
    const { factory } = registration;
    if (state.lastSeq === -1) return { consumer: await factory.getConsumer(ctx, rt), ctx, seq: -1 };
    if (factory.restoreConsumer === undefined) {
      throw new StreamingError(`Stream ${state.txId} continues here, but its factory has no restoreConsumer.`, {
        txId: state.txId,
      });
    }
    return { consumer: await factory.restoreConsumer(state.consumerState, ctx, rt), ctx, seq: state.lastSeq };
  }

  // END_STREAM: a consumer ends its own stream. Not queued: it may be called from inside `consume`, which holds the
  // stream's turn; the conditional flip keeps it exactly once.
  private async endFromConsumer(txId: string, rc: ReturnCode): Promise<void> {
    const loaded = await this.deps.states.load(txId);
    if (loaded !== undefined) await this.ending.end(loaded, isReturnCode(rc) ? rc : ReturnCode.OK);
  }

  private async callConsumed(held: HeldConsumer, state: TxState, registration: Registration): Promise<void> {
    try {
      await registration.options.consumedCb?.(held.ctx, this.ending.runtime(state), registration.options.cbArgs);
    } catch (error) {
      this.deps.logger.exception(`The consumed callback of stream ${state.txId} failed.`, error);
    }
  }

  private armIdle(txId: string, delayMs: number): void {
    this.ending.armIdle(txId, delayMs, () => {
      this.queue
        .run(txId, () => this.expireIfIdle(txId))
        .catch((error: unknown) => this.deps.logger.exception(`Checking stream ${txId} for idleness failed.`, error));
    });
  }

  // Ends the stream with TIMEOUT if it idled for the whole timeout; otherwise waits for the rest of it.
  private async expireIfIdle(txId: string): Promise<boolean> {
    const loaded = await this.deps.states.load(txId);
    if (loaded === undefined || loaded.state.status !== 'open') {
      // Ended (or removed) elsewhere: this process lets go of its copy of the consumer.
      this.ending.held.delete(txId);
      this.ending.disarmIdle(txId);
      return false;
    }
    const idleMs = this.deps.clock.now().getTime() - loaded.state.lastActivityMs;
    if (idleMs < this.deps.idleTimeoutMs) {
      if (this.ending.held.has(txId)) this.armIdle(txId, this.deps.idleTimeoutMs - idleMs);
      return false;
    }
    await this.ending.end(loaded, ReturnCode.TIMEOUT);
    return true;
  }

  private async removeIfExpired(txId: string): Promise<boolean> {
    const loaded = await this.deps.states.load(txId);
    const endedAtMs = loaded?.state.status === 'ended' ? loaded.state.endedAtMs : undefined;
    if (endedAtMs === undefined || this.deps.clock.now().getTime() - endedAtMs < this.deps.endedRetentionMs) {
      return false;
    }
    await this.deps.states.remove(txId);
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
