import { copyOwnProperties } from '../core/json';
import type { Clock } from '../service/clock';
import type { Logger } from '../service/logging';
import type { HeldConsumer, StreamRegistry } from './registry';
import { withReply } from './state-store';
import type { LoadedState, StateStore, StoredReply, TxState } from './state-store';
import { callOnceAfter } from './timing';
import { ReturnCode, StreamContextKey } from './types';
import type { ObjectConsumer, StreamContext, StreamRuntime } from './types';

/** What the receiving side shares between handling chunks and ending streams. */
export interface ReceiverDeps {
  readonly states: StateStore;
  readonly registry: StreamRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly idleTimeoutMs: number;
  /** Aborted when the streamer shuts down: the receivers' `rt.signal`. */
  readonly shutdown: AbortSignal;
}

/** How a stream is ended: the chunk that ended it (if one did), its consumer and its reply data. */
export interface EndingCause {
  readonly seq?: number;
  readonly held?: HeldConsumer;
  readonly data?: unknown;
}

const MAX_ATTEMPTS = 8;

/**
 * Ends receiving streams exactly once. The end is a conditional flip of the durable state from `open` to `ended`;
 * only the caller whose write lands runs `finalize`, then `streamDoneCb`, then `returnConsumer`, each isolated (a
 * `finalize` error makes the code EXECUTION_EXCEPTION; the others are logged). Also keeps the consumers this process
 * holds and the per-stream idle timers.
 */
export class StreamEnding {
  /** Consumers held by this process, by transaction id. */
  readonly held = new Map<string, HeldConsumer>();
  private readonly idleTimers = new Map<string, () => void>();

  /** @param deps - State store, registry, clock, logger, idle timeout and the shutdown signal. */
  constructor(private readonly deps: ReceiverDeps) {}

  /** The `rt` receivers' code gets for a stream. */
  runtime(state: TxState): StreamRuntime {
    const { shutdown, logger } = this.deps;
    return state.questionUuid === undefined
      ? { signal: shutdown, logger }
      : { signal: shutdown, logger, questionUuid: state.questionUuid };
  }

  /**
   * A fresh context for a stream from its state, with END_STREAM, which lets a consumer end its own stream.
   * @param state - The stream's state.
   * @param onEnd - What END_STREAM does.
   */
  context(state: TxState, onEnd: (rc: ReturnCode) => Promise<void>): StreamContext {
    // Key by key: Object.assign would turn a stored `__proto__` key into the context's prototype.
    const ctx: StreamContext = copyOwnProperties(state.context);
    ctx[StreamContextKey.END_STREAM] = (rc: ReturnCode = ReturnCode.OK) => onEnd(rc);
    return ctx;
  }

  /**
   * Ends a stream with `rc` unless it already ended.
   * @param loaded - The state as last read.
   * @param rc - The code to end with.
   * @param cause - The ending chunk, its consumer and reply data, when a chunk ended it.
   * @returns The ending chunk's reply (when `cause.seq` is given): the final code and the end result.
   */
  async end(loaded: LoadedState, rc: ReturnCode, cause: EndingCause = {}): Promise<StoredReply | undefined> {
    const { states, clock } = this.deps;
    let current: LoadedState | undefined = loaded;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && current !== undefined; attempt += 1) {
      const { state } = current;
      if (state.status === 'ended') return cause.seq === undefined ? undefined : endedReply(state, cause.seq);
      const now = clock.now().getTime();
      const reply: StoredReply | undefined =
        cause.seq === undefined ? undefined : Object.assign({ seq: cause.seq, rc }, dataOf(cause.data));
      const ended: TxState = Object.assign({}, state, {
        status: 'ended' as const,
        endedRc: rc,
        endedAtMs: now,
        lastActivityMs: now,
        lastSeq: cause.seq ?? state.lastSeq,
        replies: reply === undefined ? state.replies : withReply(state.replies, reply),
      });
      const generation = await states.replace(ended, current.generation);
      if (generation !== undefined) return this.afterFlip(ended, generation, rc, cause, reply);
      current = await states.load(state.txId);
    }
    return cause.seq === undefined ? undefined : { seq: cause.seq, rc: ReturnCode.BAD_REQUEST_DATA };
  }

  /** Starts (or restarts) a stream's idle timer; when it fires, `onIdle` decides whether the stream really idled. */
  armIdle(txId: string, delayMs: number, onIdle: () => void): void {
    this.idleTimers.get(txId)?.();
    this.idleTimers.set(txId, callOnceAfter(this.deps.clock, delayMs, onIdle));
  }

  /** Stops a stream's idle timer. */
  disarmIdle(txId: string): void {
    this.idleTimers.get(txId)?.();
    this.idleTimers.delete(txId);
  }

  /** Stops every timer (the streamer shut down). */
  disarmAll(): void {
    for (const cancel of this.idleTimers.values()) cancel();
    this.idleTimers.clear();
  }

  private async afterFlip(
    ended: TxState,
    generation: number,
    rc: ReturnCode,
    cause: EndingCause,
    reply: StoredReply | undefined,
  ): Promise<StoredReply | undefined> {
    const outcome = await this.finalize(ended, rc, cause.held);
    if (outcome.rc === rc && outcome.endResult === undefined) return reply;
    // Keep the outcome with the state, so a duplicate of the ending chunk is answered the same way. Best effort: the
    // stream has ended whatever happens to this write.
    const final: StoredReply | undefined =
      reply === undefined ? undefined : Object.assign({}, reply, { rc: outcome.rc }, resultOf(outcome.endResult));
    const recorded: TxState = Object.assign({}, ended, { endedRc: outcome.rc }, resultOf(outcome.endResult), {
      replies: final === undefined ? ended.replies : withReply(ended.replies, final),
    });
    await this.deps.states.replace(recorded, generation).catch((error: unknown) => {
      this.deps.logger.exception(`Recording the outcome of stream ${ended.txId} failed.`, error);
    });
    return final;
  }

  private async finalize(
    state: TxState,
    rc: ReturnCode,
    given: HeldConsumer | undefined,
  ): Promise<{ rc: ReturnCode; endResult?: unknown }> {
    const { logger, registry } = this.deps;
    const { txId } = state;
    this.disarmIdle(txId);
    // A held consumer behind the durable state (another instance consumed since) would finalize stale progress.
    const cached = this.held.get(txId);
    const held = given ?? (cached?.seq === state.lastSeq ? cached : undefined);
    this.held.delete(txId);
    const registration = registry.get(state.channel, state.topic);
    const rt = this.runtime(state);
    const ctx = held?.ctx ?? this.context(state, async () => undefined);
    let consumer: ObjectConsumer | undefined = held?.consumer;
    let finalRc = rc;
    if (consumer === undefined && state.lastSeq >= 0) {
      try {
        consumer = await registration?.factory.restoreConsumer?.(state.consumerState, ctx, rt);
      } catch (error) {
        logger.exception(`Restoring the consumer of stream ${txId} to finalize it failed.`, error);
      }
      if (consumer === undefined) finalRc = ReturnCode.EXECUTION_EXCEPTION;
    }
    ctx[StreamContextKey.RC] = finalRc;
    try {
      await consumer?.finalize(ctx, rt);
    } catch (error) {
      logger.exception(`Finalizing stream ${txId} failed.`, error);
      finalRc = ReturnCode.EXECUTION_EXCEPTION;
      ctx[StreamContextKey.RC] = finalRc;
    }
    let endResult: unknown;
    try {
      endResult = await registration?.options.streamDoneCb?.(ctx, rt, registration.options.cbArgs);
    } catch (error) {
      logger.exception(`The stream-done callback of stream ${txId} failed.`, error);
    }
    try {
      if (consumer !== undefined) await registration?.factory.returnConsumer?.(consumer, ctx, rt);
    } catch (error) {
      logger.exception(`Returning the consumer of stream ${txId} failed.`, error);
    }
    return { rc: finalRc, endResult: jsonOrUndefined(endResult, logger, txId) };
  }
}

/** The reply for a chunk of an ended stream: the stored one, else the code the stream ended with. */
export function endedReply(state: TxState, seq: number): StoredReply {
  const stored = state.replies.find((reply) => reply.seq === seq);
  if (stored !== undefined) return stored;
  return Object.assign({ seq, rc: state.endedRc ?? ReturnCode.BAD_REQUEST_DATA }, resultOf(state.endResult));
}

function dataOf(data: unknown): { data?: unknown } {
  return data === undefined ? {} : { data };
}

function resultOf(endResult: unknown): { endResult?: unknown } {
  return endResult === undefined ? {} : { endResult };
}

const MAX_END_RESULT_BYTES = 32 * 1024;

// The end result travels in a reply and is stored with the state: it must be small JSON, or it is dropped (logged).
function jsonOrUndefined(value: unknown, logger: Logger, txId: string): unknown {
  if (value === undefined) return undefined;
  try {
    const text = JSON.stringify(value);
    if (text !== undefined && Buffer.byteLength(text) <= MAX_END_RESULT_BYTES) return JSON.parse(text) as unknown;
  } catch {
    // Falls through to the warning.
  }
  logger.warning('The end result of stream %s is not JSON under %d bytes; it is not sent.', txId, MAX_END_RESULT_BYTES);
  return undefined;
}
