import { randomUUID } from 'node:crypto';

import type { ObjectStore } from '../core/ports/object-store';
import type { Transport } from '../core/ports/transport';
import { parseCloudPath } from '../core/gs-path';
import { validateSruid } from '../core/service-id/sruid';
import { InvalidStreamingOption } from '../errors';
import { systemClock } from '../service/clock';
import type { Clock } from '../service/clock';
import { createLogger } from '../service/logging';
import type { Logger } from '../service/logging';
import { MAX_CHUNK_BYTES } from './limits';

/** Options for a {@link StreamEngine}. Each is declared here once, with its default and its check. */
export interface StreamEngineOptions {
  /** This service's SRUID: streams are sent from it and addressed to it. */
  readonly identity: string;
  /** The transport stream events travel on. */
  readonly transport: Transport;
  /** Where receivers keep each stream's durable state. */
  readonly store: ObjectStore;
  /** A `gs://bucket/prefix` under which receiving streams' state is kept (`streams/<identity>/<tx id>/…`). */
  readonly stateLocation: string;
  /** Time and timers (per-chunk timeouts, idle timeouts, heartbeats); default the system clock. */
  readonly clock?: Clock;
  /** Default: a logger named `skein.streaming` with no sinks. */
  readonly logger?: Logger;
  /** Names this process for reply routing; default a random id. 1–64 letters, digits, `_` or `-`. */
  readonly instanceId?: string;
  /** Streams `streamNoWait` runs at once (NVFlare's `max_concurrent_streaming_sessions`); default 20. */
  readonly maxConcurrentStreamingSessions?: number;
  /** The largest chunk the sender accepts from a producer; default and maximum {@link MAX_CHUNK_BYTES}. */
  readonly maxChunkBytes?: number;
  /** A receiving stream with no event for this long ends with TIMEOUT; default 300 s. */
  readonly idleTimeoutSeconds?: number;
  /** A sender with nothing to send for this long sends a heartbeat; default 60 s; must be below the idle timeout. */
  readonly livenessIntervalSeconds?: number;
  /** The state of an ended stream (kept to replay duplicate replies) is removed by the sweeper after this; 3600 s. */
  readonly endedRetentionSeconds?: number;
}

/** Options with every default applied and every value checked. */
export interface ResolvedStreamEngineOptions {
  readonly identity: string;
  readonly transport: Transport;
  readonly store: ObjectStore;
  readonly stateLocation: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly instanceId: string;
  readonly maxConcurrentStreamingSessions: number;
  readonly maxChunkBytes: number;
  readonly idleTimeoutMs: number;
  readonly livenessIntervalMs: number;
  readonly endedRetentionMs: number;
}

type NumericOption =
  | 'maxConcurrentStreamingSessions'
  | 'maxChunkBytes'
  | 'idleTimeoutSeconds'
  | 'livenessIntervalSeconds'
  | 'endedRetentionSeconds';

const NUMERIC: Readonly<Record<NumericOption, { default: number; min: number; max: number; integer: boolean }>> = {
  maxConcurrentStreamingSessions: { default: 20, min: 1, max: 1000, integer: true },
  maxChunkBytes: { default: MAX_CHUNK_BYTES, min: 1, max: MAX_CHUNK_BYTES, integer: true },
  idleTimeoutSeconds: { default: 300, min: 0.001, max: 86_400, integer: false },
  livenessIntervalSeconds: { default: 60, min: 0.001, max: 86_400, integer: false },
  endedRetentionSeconds: { default: 3600, min: 0, max: 31 * 86_400, integer: false },
};

const INSTANCE_ID = /^[A-Za-z0-9_-]{1,64}$/;

function numeric(options: StreamEngineOptions, name: NumericOption): number {
  const spec = NUMERIC[name];
  const value = options[name] ?? spec.default;
  const ok = typeof value === 'number' && Number.isFinite(value) && (!spec.integer || Number.isInteger(value));
  if (!ok || value < spec.min || value > spec.max) {
    throw new InvalidStreamingOption(
      name,
      `${name} must be ${spec.integer ? 'a whole number' : 'a number'} from ${spec.min} to ${spec.max}; got ${String(value)}.`,
    );
  }
  return value;
}

/**
 * Applies defaults and checks every option.
 * @param options - The engine's options.
 * @returns The resolved options.
 * @throws InvalidStreamingOption for a value out of range, a liveness interval not below the idle timeout (a
 *   receiver would time out a live sender, as NVFlare's log streamer refuses too), a bad identity or state location.
 */
export function resolveStreamEngineOptions(options: StreamEngineOptions): ResolvedStreamEngineOptions {
  try {
    validateSruid(options.identity);
  } catch (error) {
    throw new InvalidStreamingOption('identity', `identity must be a full SRUID; got '${options.identity}'.`, {
      cause: error,
    });
  }
  try {
    parseCloudPath(options.stateLocation);
  } catch (error) {
    throw new InvalidStreamingOption(
      'stateLocation',
      `stateLocation must be a gs:// path; got '${options.stateLocation}'.`,
      {
        cause: error,
      },
    );
  }
  const instanceId = options.instanceId ?? randomUUID().replace(/-/g, '').slice(0, 16);
  if (!INSTANCE_ID.test(instanceId)) {
    throw new InvalidStreamingOption('instanceId', `instanceId must be 1–64 letters, digits, '_' or '-'.`);
  }
  const idleTimeoutSeconds = numeric(options, 'idleTimeoutSeconds');
  const livenessIntervalSeconds = numeric(options, 'livenessIntervalSeconds');
  if (livenessIntervalSeconds >= idleTimeoutSeconds) {
    throw new InvalidStreamingOption(
      'livenessIntervalSeconds',
      `livenessIntervalSeconds (${livenessIntervalSeconds}) must be below idleTimeoutSeconds (${idleTimeoutSeconds}), ` +
        'or receivers would time out senders that are alive.',
    );
  }
  return {
    identity: options.identity,
    transport: options.transport,
    store: options.store,
    stateLocation: options.stateLocation.replace(/\/+$/, ''),
    clock: options.clock ?? systemClock,
    logger: options.logger ?? createLogger({ name: 'skein.streaming' }),
    instanceId,
    maxConcurrentStreamingSessions: numeric(options, 'maxConcurrentStreamingSessions'),
    maxChunkBytes: numeric(options, 'maxChunkBytes'),
    idleTimeoutMs: idleTimeoutSeconds * 1000,
    livenessIntervalMs: livenessIntervalSeconds * 1000,
    endedRetentionMs: numeric(options, 'endedRetentionSeconds') * 1000,
  };
}
