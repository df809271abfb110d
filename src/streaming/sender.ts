import type { Transport } from '../core/ports/transport';
import { ChunkTooLarge, InvalidStreamObject } from '../errors';
import type { Clock } from '../service/clock';
import type { Logger } from '../service/logging';
import type { PreparedStream } from './stream-request';
import type { ReplyWaiter } from './reply-waiter';
import { ReturnCode } from './types';
import type { ProducedObject, StreamReply, StreamResult, StreamRuntime } from './types';
import { encodeChunk, encodeNotice } from './wire';

/** What the sending side of the engine lends each stream. */
export interface SenderDeps {
  readonly identity: string;
  readonly instanceId: string;
  readonly transport: Transport;
  readonly waiter: ReplyWaiter;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly maxChunkBytes: number;
  readonly livenessIntervalMs: number;
}

interface Outstanding {
  readonly seq: number;
  readonly replies: Promise<Record<string, StreamReply>>;
}

/**
 * Runs one stream: NVFlare's `ObjectStreamer.stream` loop. Each produced object goes to every target as the next
 * sequence, and the sender waits for every reply (up to the object's timeout) before producing more: that
 * stop-and-wait is the back-pressure. With `window` > 1, up to that many chunks may await replies; sequence 0 is
 * always awaited alone, since it opens the stream on the receivers.
 * @param deps - The engine's transport, reply waiter, clock, logger and limits.
 * @param stream - The checked request (see `prepareStream`).
 * @returns `[rc, result]`.
 * @throws What `produce` or `processReplies` throw; InvalidStreamObject or ChunkTooLarge for a bad object (after an
 *   abort notice).
 */
export async function runStream(deps: SenderDeps, stream: PreparedStream): Promise<StreamResult> {
  const { producer, ctx, rt, txId, window } = stream;
  const run = new StreamRun(deps, stream);
  const outstanding: Outstanding[] = [];
  let seq = 0;
  const stopHeartbeats = run.startHeartbeats();
  try {
    for (;;) {
      if (rt.signal.aborted) return await run.end(ReturnCode.TASK_ABORTED, undefined);
      // Past the run's deadline nothing more is produced: a function would be stopped mid-stream anyway.
      if (run.remainingMs() <= 0) return await run.end(ReturnCode.TIMEOUT, undefined);
      const produced = await run.guard(() => producer.produce(ctx, rt));
      if (produced === null) {
        // Replies still awaited are looked at first: the producer may end the stream on one of them.
        while (outstanding.length > 0) {
          const ended = await run.review(outstanding.shift() as Outstanding);
          if (ended) return ended;
        }
        return await run.end(ReturnCode.OK, undefined, true);
      }
      const data = await run.guard(() => checkObject(produced, deps.maxChunkBytes, stream));
      outstanding.push({ seq, replies: run.send(seq, data, produced.timeoutSeconds * 1000) });
      const sentSeq = seq;
      if (sentSeq === 0 || outstanding.length >= window) {
        const oldest = outstanding.shift() as Outstanding;
        const ended = await run.review(oldest);
        if (ended) return ended;
        // A chunk 0 that not every target accepted is resent as sequence 0 on the producer's retry: NVFlare moves on
        // to 1, which receivers that never opened the stream refuse for ever.
        if (sentSeq === 0 && !run.opened) continue;
      }
      seq += 1;
    }
  } finally {
    stopHeartbeats();
    deps.waiter.cancel(txId, ReturnCode.TASK_ABORTED);
  }
}

function checkObject(produced: ProducedObject, maxChunkBytes: number, stream: PreparedStream): Buffer {
  const context = { txId: stream.txId, channel: stream.channel, topic: stream.topic };
  const { data, timeoutSeconds } = (produced ?? {}) as Partial<ProducedObject>;
  if (!(data instanceof Uint8Array)) {
    throw new InvalidStreamObject('produce must return { data: Uint8Array, timeoutSeconds } or null.', context);
  }
  if (typeof timeoutSeconds !== 'number' || !Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new InvalidStreamObject(`timeoutSeconds must be a positive number; got ${String(timeoutSeconds)}.`, context);
  }
  if (data.length > maxChunkBytes) throw new ChunkTooLarge('data', data.length, maxChunkBytes, context);
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
}

/** One stream's sending state: what was sent, abort notices and heartbeats. */
class StreamRun {
  /** Whether every target accepted sequence 0 (the stream is open on all of them). */
  opened = false;
  private sentAny = false;
  private lastSentMs: number;

  constructor(
    private readonly deps: SenderDeps,
    private readonly stream: PreparedStream,
  ) {
    this.lastSentMs = deps.clock.now().getTime();
  }

  private get rt(): StreamRuntime {
    return this.stream.rt;
  }

  /** Runs producer code; if it throws, receivers are told the stream is over before the error goes on. */
  async guard<T>(fn: () => T | Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      await this.notify('abort', ReturnCode.EXECUTION_EXCEPTION);
      throw error;
    }
  }

  /** Sends one chunk to every target. @returns Its replies, once all are in or the timeout passed. */
  send(seq: number, data: Buffer, timeoutMs: number): Promise<Record<string, StreamReply>> {
    const { deps, stream } = this;
    // No wait outlasts the run's deadline (§5.4: every wait is bounded by it).
    const replies = deps.waiter.expect(stream.txId, seq, stream.targets, Math.min(timeoutMs, this.remainingMs()));
    const contextJson = seq === 0 ? stream.contextJson : undefined;
    for (const target of stream.targets) {
      const message = encodeChunk({
        txId: stream.txId,
        seq,
        channel: stream.channel,
        topic: stream.topic,
        sender: deps.identity,
        recipient: target,
        replyTo: deps.instanceId,
        data,
        ...(contextJson === undefined ? {} : { contextJson }),
        ...(stream.rt.questionUuid === undefined ? {} : { questionUuid: stream.rt.questionUuid }),
      });
      deps.transport.publish(message).then(
        () => undefined,
        (error: unknown) => {
          if (!stream.optional) deps.logger.exception(`Sending chunk ${seq} of stream ${stream.txId} failed.`, error);
          deps.waiter.settle(stream.txId, seq, target, { rc: ReturnCode.COMMUNICATION_ERROR });
        },
      );
    }
    this.sentAny = true;
    this.lastSentMs = deps.clock.now().getTime();
    return replies;
  }

  /** Milliseconds left before the run's deadline (infinite without one). */
  remainingMs(): number {
    const { deadline } = this.stream.rt;
    return deadline === undefined ? Infinity : deadline.getTime() - this.deps.clock.now().getTime();
  }

  /** Waits for one chunk's replies (or the run's abort) and gives them to `processReplies`. */
  async review(outstanding: Outstanding): Promise<StreamResult | undefined> {
    const replies = await this.untilAborted(outstanding.replies);
    if (replies === undefined) return this.end(ReturnCode.TASK_ABORTED, undefined);
    if (outstanding.seq === 0) this.opened = Object.values(replies).every((r) => r.rc === ReturnCode.OK);
    this.logMissing(outstanding.seq, replies);
    const result = await this.guard(() => this.stream.producer.processReplies(replies, this.stream.ctx, this.rt));
    if (result === undefined) return undefined;
    const rc = this.rt.signal.aborted ? ReturnCode.TASK_ABORTED : result ? ReturnCode.OK : ReturnCode.ERROR;
    return this.end(rc, result);
  }

  /** Ends the stream: abort notices so receivers close (NVFlare sends them even after a clean finish). */
  async end(rc: ReturnCode, result: unknown, always = false): Promise<StreamResult> {
    if (this.sentAny || always) await this.notify('abort', rc === ReturnCode.OK ? ReturnCode.TASK_ABORTED : rc);
    return [rc, result];
  }

  /** Sends a heartbeat to every target whenever nothing was sent for a liveness interval, so receivers stay open. */
  startHeartbeats(): () => void {
    const { clock, livenessIntervalMs } = this.deps;
    const handle = clock.setInterval(() => {
      if (!this.sentAny || clock.now().getTime() - this.lastSentMs < livenessIntervalMs) return;
      this.lastSentMs = clock.now().getTime();
      void this.notify('heartbeat');
    }, livenessIntervalMs);
    return () => clock.clearInterval(handle);
  }

  private async notify(event: 'abort' | 'heartbeat', rc?: ReturnCode): Promise<void> {
    const { deps, stream } = this;
    // Fire-and-forget, as NVFlare's: a lost notice is covered by the receivers' idle timeout.
    await Promise.all(
      stream.targets.map((recipient) =>
        deps.transport
          .publish(encodeNotice({ event, txId: stream.txId, sender: deps.identity, recipient, rc }))
          .catch((error: unknown) => deps.logger.exception(`Sending a ${event} notice to ${recipient} failed.`, error)),
      ),
    );
  }

  private untilAborted<T>(promise: Promise<T>): Promise<T | undefined> {
    const { signal } = this.rt;
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => resolve(undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  private logMissing(seq: number, replies: Record<string, StreamReply>): void {
    if (this.stream.optional) return;
    for (const [target, reply] of Object.entries(replies)) {
      if (reply.rc === ReturnCode.TIMEOUT || reply.rc === ReturnCode.COMMUNICATION_ERROR) {
        this.deps.logger.warning(
          'No reply from %s to chunk %d of stream %s (%s).',
          target,
          seq,
          this.stream.txId,
          reply.rc,
        );
      }
    }
  }
}
