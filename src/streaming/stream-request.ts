import { randomUUID } from 'node:crypto';

import { isPlainObject } from '../core/json/plain-object';
import { validateSruid } from '../core/service-id/sruid';
import { ChunkTooLarge, InvalidStreamingOption, StreamingFeatureUnavailable } from '../errors';
import type { Logger } from '../service/logging';
import { MAX_CONTEXT_BYTES } from './limits';
import { RESERVED_CONTEXT_KEYS } from './types';
import type { ObjectProducer, StreamContext, StreamObjectsOptions, StreamRuntime } from './types';
import { isStreamName } from './wire';

/** A stream request, checked and ready to run. */
export interface PreparedStream {
  readonly txId: string;
  readonly channel: string;
  readonly topic: string;
  /** The producer's own context object (the producer sees its own changes). */
  readonly ctx: StreamContext;
  /** The context as sent with sequence 0 (without the engine's reserved keys). */
  readonly contextJson: Buffer;
  readonly targets: readonly string[];
  readonly producer: ObjectProducer;
  readonly optional: boolean;
  readonly window: number;
  readonly rt: StreamRuntime;
}

/** The arguments of `streamObjects`, as one object. */
export interface StreamRequest {
  readonly channel: string;
  readonly topic: string;
  readonly ctx: StreamContext;
  readonly targets: readonly string[];
  readonly producer: ObjectProducer;
  readonly options: StreamObjectsOptions;
}

const MAX_TARGETS = 100;
/** The largest `window`: more chunks in flight gain nothing over Pub/Sub and only delay a failing stream's end. */
const MAX_WINDOW = 64;
const QUESTION_UUID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Checks a stream request before anything is sent, so a bad request fails fast and whole.
 * @param request - The stream's arguments.
 * @param logger - The engine's logger, for `rt`.
 * @param shutdown - Aborted when the streamer shuts down.
 * @returns The prepared stream, with a new transaction id.
 * @throws InvalidStreamingOption, StreamingFeatureUnavailable (`secure`), ChunkTooLarge (the context).
 */
export function prepareStream(request: StreamRequest, logger: Logger, shutdown: AbortSignal): PreparedStream {
  const { channel, topic, ctx, targets, producer, options } = request;
  if (!isStreamName(channel)) throw new InvalidStreamingOption('channel', `channel '${channel}' is not a valid name.`);
  if (!isStreamName(topic)) throw new InvalidStreamingOption('topic', `topic '${topic}' is not a valid name.`);
  checkTargets(targets);
  if (options.secure) {
    throw new StreamingFeatureUnavailable('secure streams (per-recipient encryption) are not available yet.', {
      channel,
      topic,
    });
  }
  const window = options.window ?? 1;
  if (!Number.isInteger(window) || window < 1 || window > MAX_WINDOW) {
    throw new InvalidStreamingOption('window', `window must be a whole number from 1 to ${MAX_WINDOW}; got ${window}.`);
  }
  if (options.questionUuid !== undefined && !QUESTION_UUID.test(options.questionUuid)) {
    throw new InvalidStreamingOption('questionUuid', 'questionUuid must be 1–128 letters, digits, _ or -.');
  }
  if (typeof ctx !== 'object' || ctx === null || !isPlainObject(ctx)) {
    throw new InvalidStreamingOption('ctx', 'the stream context must be a plain object.');
  }
  const txId = randomUUID();
  const sent = Object.fromEntries(Object.entries(ctx).filter(([key]) => !RESERVED_CONTEXT_KEYS.has(key)));
  let contextJson: Buffer;
  try {
    contextJson = Buffer.from(JSON.stringify(sent));
  } catch (error) {
    throw new InvalidStreamingOption('ctx', 'the stream context must be JSON-serialisable.', { cause: error });
  }
  if (contextJson.length > MAX_CONTEXT_BYTES) {
    throw new ChunkTooLarge('context', contextJson.length, MAX_CONTEXT_BYTES, { txId, channel, topic });
  }
  const signals = options.signal ? [options.signal, shutdown] : [shutdown];
  const rt: StreamRuntime = Object.assign(
    { signal: AbortSignal.any(signals), logger },
    options.questionUuid === undefined ? {} : { questionUuid: options.questionUuid },
    options.deadline === undefined ? {} : { deadline: options.deadline },
  );
  return {
    txId,
    channel,
    topic,
    ctx,
    contextJson,
    targets: [...targets],
    producer,
    optional: options.optional ?? false,
    window,
    rt,
  };
}

function checkTargets(targets: readonly string[]): void {
  if (!Array.isArray(targets) || targets.length === 0 || targets.length > MAX_TARGETS) {
    throw new InvalidStreamingOption('targets', `targets must list 1 to ${MAX_TARGETS} service SRUIDs.`);
  }
  if (new Set(targets).size !== targets.length) {
    throw new InvalidStreamingOption('targets', 'targets must not repeat a service.');
  }
  for (const target of targets) {
    try {
      validateSruid(target);
    } catch (error) {
      throw new InvalidStreamingOption('targets', `target '${String(target)}' is not a full SRUID.`, { cause: error });
    }
  }
}
