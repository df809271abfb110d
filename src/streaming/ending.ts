import { copyOwnProperties } from '../core/json';
import { StreamingError } from '../errors';
import type { Clock } from '../service/clock';
import type { Logger } from '../service/logging';
import type { HeldConsumer, StreamRegistry } from './registry';
import type { EndRecord, StateStore, StoredReply, StreamHead } from './state-store';
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

/**
 * Ends receiving streams exactly once. The end is the creation of the stream's end record, which only one caller can
 * make; only that caller runs `finalize`, then `streamDoneCb`, then `returnConsumer`, each isolated (a `finalize`
 * error makes the code EXECUTION_EXCEPTION; the others are logged). Also keeps the consumers this process holds and
 * the per-stream idle timers.
 */
export class StreamEnding {
  /** Consumers held by this process, by transaction id. */
  readonly held = new Map<string, HeldConsumer>();
  private readonly idleTimers = new Map<string, () => void>();

  /** @param deps - State store, registry, clock, logger, idle timeout and the shutdown signal. */
  constructor(private readonly deps: ReceiverDeps) {}

  /** The `rt` receivers' code gets for a stream. */
  runtime(head: StreamHead): StreamRuntime {
    const { shutdown, logger } = this.deps;
    return head.questionUuid === undefined
      ? { signal: shutdown, logger }
      : { signal: shutdown, logger, questionUuid: head.questionUuid };
  }

  /**
   * A fresh context for a stream, with END_STREAM, which lets a consumer end its own stream.
   * @param head - The stream's head.
   * @param onEnd - What END_STREAM does.
   */
  context(head: StreamHead, onEnd: (rc: ReturnCode) => Promise<void>): StreamContext {
    // Key by key: Object.assign would turn a stored `__proto__` key into the context's prototype.
    const ctx: StreamContext = copyOwnProperties(head.context);
    ctx[StreamContextKey.END_STREAM] = (rc: ReturnCode = ReturnCode.OK) => onEnd(rc);
    return ctx;
  }

  /**
   * Ends a stream with `rc` unless it already ended.
   * @param head - The stream's head.
   * @param rc - The code to end with.
   * @param cause - The ending chunk, its consumer and reply data, when a chunk ended it.
   * @returns The ending chunk's reply (when `cause.seq` is given): the final code and the end result.
   */
  async end(head: StreamHead, rc: ReturnCode, cause: EndingCause = {}): Promise<StoredReply | undefined> {
    const { states, clock, logger } = this.deps;
    const { txId } = head;
    const record: EndRecord = Object.assign(
      { rc },
      cause.seq === undefined ? {} : { seq: cause.seq },
      cause.data === undefined ? {} : { data: cause.data },
    );
    if (!(await states.createEnd(txId, record, clock.now().getTime()))) {
      this.disarmIdle(txId);
      this.held.delete(txId);
      return cause.seq === undefined ? undefined : endedReply((await states.readEnd(txId))?.record, cause.seq);
    }
    const outcome = await this.finalize(head, rc, cause.held);
    const final: EndRecord = Object.assign({}, record, { rc: outcome.rc }, resultOf(outcome.endResult));
    if (outcome.rc !== rc || outcome.endResult !== undefined) {
      // Kept with the end, so a duplicate of the ending chunk is answered the same way. Best effort: the stream has
      // ended whatever happens to this write.
      try {
        const current = await states.readEnd(txId);
        if (current !== undefined) await states.replaceEnd(txId, final, current.generation, clock.now().getTime());
      } catch (error) {
        logger.exception(`Recording the outcome of stream ${txId} failed.`, error);
      }
    }
    return cause.seq === undefined ? undefined : endedReply(final, cause.seq);
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

  private async finalize(
    head: StreamHead,
    rc: ReturnCode,
    given: HeldConsumer | undefined,
  ): Promise<{ rc: ReturnCode; endResult?: unknown }> {
    const { logger, registry } = this.deps;
    const { txId } = head;
    this.disarmIdle(txId);
    const cached = this.held.get(txId);
    this.held.delete(txId);
    const registration = registry.get(head.channel, head.topic);
    const rt = this.runtime(head);
    let finalRc = rc;
    let held = given;
    if (held === undefined) {
      try {
        held = await this.current(head, cached);
      } catch (error) {
        logger.exception(`Restoring the consumer of stream ${txId} to finalize it failed.`, error);
        finalRc = ReturnCode.EXECUTION_EXCEPTION;
      }
    }
    const ctx = held?.ctx ?? this.context(head, async () => undefined);
    const consumer: ObjectConsumer | undefined = held?.consumer;
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

  // The consumer as of the last committed chunk: the one held here if it is that far, else restored from its state.
  private async current(head: StreamHead, cached: HeldConsumer | undefined): Promise<HeldConsumer | undefined> {
    const { states, registry } = this.deps;
    const summary = await states.summarize(head.txId);
    const lastSeq = summary?.lastSeq ?? -1;
    if (lastSeq < 0) return undefined;
    if (cached?.seq === lastSeq) return cached;
    const factory = registry.get(head.channel, head.topic)?.factory;
    if (factory?.restoreConsumer === undefined)
      throw new StreamingError(`Stream ${head.txId} has no restoreConsumer to finalize with.`, { txId: head.txId });
    const record = await states.readChunk(head.txId, lastSeq);
    const ctx = this.context(head, async () => undefined);
    return {
      consumer: await factory.restoreConsumer(record?.consumerState, ctx, this.runtime(head)),
      ctx,
      seq: lastSeq,
    };
  }
}

/**
 * The reply for a chunk of an ended stream: the ending chunk's own reply (with the end result), else the code the
 * stream ended with (BAD_REQUEST_DATA if its state is gone).
 */
export function endedReply(end: EndRecord | undefined, seq: number): StoredReply {
  if (end === undefined) return { seq, rc: ReturnCode.BAD_REQUEST_DATA };
  if (end.seq !== seq) return { seq, rc: end.rc };
  return Object.assign({ seq, rc: end.rc }, end.data === undefined ? {} : { data: end.data }, resultOf(end.endResult));
}

function resultOf(endResult: unknown): { endResult?: unknown } {
  return endResult === undefined ? {} : { endResult };
}

const MAX_END_RESULT_BYTES = 32 * 1024;

// The end result travels in a reply and is stored with the end: it must be small JSON, or it is dropped (logged).
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
