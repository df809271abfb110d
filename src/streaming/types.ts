import type { Logger } from '../service/logging';

/**
 * Keys the engine writes into a stream's context (NVFlare's `StreamContextKey`, same strings). Received contexts may
 * not set them: the receiver overwrites them with what it checked itself.
 */
export const StreamContextKey = {
  /** The stream's channel. */
  CHANNEL: '__channel__',
  /** The stream's topic. */
  TOPIC: '__topic__',
  /** The return code the stream ended with, set before `finalize`. */
  RC: '__RC__',
  /** A function a consumer may call to end its own stream (e.g. on its own watchdog): `(rc?) => Promise<void>`. */
  END_STREAM: '__end_stream__',
} as const;

/** One of {@link StreamContextKey}'s values. */
export type StreamContextKey = (typeof StreamContextKey)[keyof typeof StreamContextKey];

/** Every {@link StreamContextKey}: keys only the engine sets, dropped from what senders send and receivers open. */
export const RESERVED_CONTEXT_KEYS: ReadonlySet<string> = new Set(Object.values(StreamContextKey));

/** Return codes of stream replies and stream results (NVFlare's names, as strings on the wire). */
export const ReturnCode = {
  OK: 'OK',
  BAD_REQUEST_DATA: 'BAD_REQUEST_DATA',
  EXECUTION_EXCEPTION: 'EXECUTION_EXCEPTION',
  TASK_ABORTED: 'TASK_ABORTED',
  TIMEOUT: 'TIMEOUT',
  COMMUNICATION_ERROR: 'COMMUNICATION_ERROR',
  ERROR: 'ERROR',
} as const;

/** One of {@link ReturnCode}'s values. */
export type ReturnCode = (typeof ReturnCode)[keyof typeof ReturnCode];

const RETURN_CODES: ReadonlySet<string> = new Set(Object.values(ReturnCode));

/**
 * Whether a received value is a known return code (received replies are checked before being trusted).
 * @param value - Anything.
 * @returns `true` for one of {@link ReturnCode}'s values.
 */
export function isReturnCode(value: unknown): value is ReturnCode {
  return typeof value === 'string' && RETURN_CODES.has(value);
}

/**
 * A stream's context: JSON-serialisable values set by the producer (sent with sequence 0 only) plus the
 * {@link StreamContextKey} entries the engine sets. Receivers persist it with the stream's state.
 */
export type StreamContext = Record<string, unknown>;

/**
 * What producers, consumers and callbacks receive instead of NVFlare's `fl_ctx`: the run they belong to.
 */
export interface StreamRuntime {
  /** Aborted when the run is (the sender's `signal`, or the streamer shutting down). */
  readonly signal: AbortSignal;
  /** The engine's logger. */
  readonly logger: Logger;
  /** The question the stream belongs to, when it belongs to one. */
  readonly questionUuid?: string;
  /** When the run must be over (a function's 9-minute limit, a question's deadline), when known. */
  readonly deadline?: Date;
}

/** One object to send: its bytes and how long to wait for every target's reply. */
export interface ProducedObject {
  /** The chunk's bytes (at most the engine's `maxChunkBytes`). */
  readonly data: Uint8Array;
  /** Seconds to wait for the replies to this chunk; a positive finite number. */
  readonly timeoutSeconds: number;
}

/** A reply to one chunk, from one target. */
export interface StreamReply {
  /** The target's return code; a missing reply is TIMEOUT or COMMUNICATION_ERROR. */
  readonly rc: ReturnCode;
  /** What the consumer replied with (JSON), if anything. */
  readonly data?: unknown;
  /** The receiver's `streamDoneCb` result, on the reply to the chunk that ended the stream (NVFlare's END_RESULT). */
  readonly endResult?: unknown;
}

/** What a consumer's reply may set; the rest is filled in by the engine. */
export interface ConsumerReply {
  /** Default OK. With `continue: false`, the stream ends with this code. */
  readonly rc?: ReturnCode;
  /** JSON data for the producer's `processReplies`. */
  readonly data?: unknown;
}

/** Produces a stream's objects, one per call, on the sender (NVFlare's `ObjectProducer`). */
export interface ObjectProducer {
  /**
   * The next object, or `null` to end the stream (receivers then finalize with TASK_ABORTED, as in NVFlare: a clean
   * finish comes from the consumer answering `continue: false` to its last chunk).
   */
  produce(ctx: StreamContext, rt: StreamRuntime): Promise<ProducedObject | null> | ProducedObject | null;
  /**
   * Looks at every target's reply to one chunk. `undefined` continues; anything else ends the stream and becomes its
   * result (rc OK when truthy, ERROR when falsy, TASK_ABORTED when the run was aborted). Continuing after a chunk 0
   * that not every target accepted makes the next object chunk 0 again: produce the same bytes (a retry), since
   * targets that did accept it answer with their stored reply.
   */
  processReplies(replies: Readonly<Record<string, StreamReply>>, ctx: StreamContext, rt: StreamRuntime): unknown;
}

/** What {@link ObjectConsumer.consume} returns. */
export interface ConsumeResult {
  /** `false` ends the stream (with the reply's rc, OK by default). */
  readonly continue: boolean;
  /** The reply sent back to the producer. */
  readonly reply?: ConsumerReply;
}

/** Consumes one stream's objects on a receiver (NVFlare's `ObjectConsumer`). One consumer per stream. */
export interface ObjectConsumer {
  /** Consumes one chunk. Should be idempotent per (stream, sequence): see the module documentation. */
  consume(data: Buffer, ctx: StreamContext, rt: StreamRuntime): Promise<ConsumeResult> | ConsumeResult;
  /** Runs exactly once when the stream ends, whatever ended it; `ctx[StreamContextKey.RC]` says how. */
  finalize(ctx: StreamContext, rt: StreamRuntime): Promise<void> | void;
  /**
   * The consumer's progress as JSON, saved with the stream's durable state after each chunk so that
   * {@link ConsumerFactory.restoreConsumer} can rebuild it on another instance. Without it, `undefined` is saved.
   */
  saveState?(): unknown;
}

/** Makes one consumer per stream (NVFlare's `ConsumerFactory`), plus the serverless extension `restoreConsumer`. */
export interface ConsumerFactory {
  /** A fresh consumer for a new stream; called on sequence 0 only. */
  getConsumer(ctx: StreamContext, rt: StreamRuntime): Promise<ObjectConsumer> | ObjectConsumer;
  /** Takes a consumer back once its stream is finalized. */
  returnConsumer?(consumer: ObjectConsumer, ctx: StreamContext, rt: StreamRuntime): Promise<void> | void;
  /**
   * Rebuilds a consumer from its saved state when a later chunk lands on an instance that does not hold it (another
   * instance, or this process after a restart). Without it, such a chunk ends the stream with EXECUTION_EXCEPTION.
   */
  restoreConsumer?(state: unknown, ctx: StreamContext, rt: StreamRuntime): Promise<ObjectConsumer> | ObjectConsumer;
}

/** Called once per stream after `finalize`; its result travels back as the last reply's `endResult`. */
export type StreamDoneCallback = (ctx: StreamContext, rt: StreamRuntime, cbArgs: unknown) => unknown;

/** Called after each chunk a consumer accepted. */
export type ConsumedCallback = (ctx: StreamContext, rt: StreamRuntime, cbArgs: unknown) => unknown;

/** Options for `registerStreamProcessing`. */
export interface StreamProcessingOptions {
  /** Runs once per stream, after `finalize`. */
  readonly streamDoneCb?: StreamDoneCallback;
  /** Runs after each consumed chunk. */
  readonly consumedCb?: ConsumedCallback;
  /** Passed to both callbacks (NVFlare's `**cb_kwargs`). */
  readonly cbArgs?: unknown;
}

/** Options for one stream, given to `streamObjects`/`streamNoWait`. */
export interface StreamObjectsOptions {
  /** Unreachable targets are expected: their missing replies are not logged as warnings. */
  readonly optional?: boolean;
  /** Per-recipient payload encryption; not available yet (refused with StreamingFeatureUnavailable). */
  readonly secure?: boolean;
  /** Aborts the stream: an abort notice is sent and the result is TASK_ABORTED. */
  readonly signal?: AbortSignal;
  /** Up to this many chunks may await replies at once (default 1, NVFlare's stop-and-wait). */
  readonly window?: number;
  /** The question the stream belongs to (sent to receivers and given to `rt`). */
  readonly questionUuid?: string;
  /**
   * When the run must be over; given to `rt`. No reply is awaited past it, and once it has passed the stream ends
   * with TIMEOUT (after abort notices) instead of producing more.
   */
  readonly deadline?: Date;
}

/** A stream's outcome: its return code and the producer's result (from `processReplies`), NVFlare's `(rc, result)`. */
export type StreamResult = [rc: ReturnCode, result: unknown];
