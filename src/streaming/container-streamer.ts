import { setOwnProperty } from '../core/json';
import { isPlainObject } from '../core/json/plain-object';
import { InvalidStreamingOption, StreamingError } from '../errors';
import type { StreamEngine } from './engine';
import { parseJsonObject } from './json-body';
import { ReturnCode, StreamContextKey } from './types';
import type {
  ConsumeResult,
  ObjectConsumer,
  ObjectProducer,
  ProducedObject,
  StreamContext,
  StreamObjectsOptions,
  StreamReply,
  StreamResult,
  StreamRuntime,
} from './types';

/** What {@link streamContainer} sends. */
export interface StreamContainerParams {
  readonly channel: string;
  readonly topic: string;
  readonly targets: readonly string[];
  /** A list, or a map as a plain object; every entry must be JSON (each travels as one chunk). */
  readonly container: readonly unknown[] | Readonly<Record<string, unknown>>;
  /** Seconds to wait for every target's reply to each entry; default 60 (NVFlare's). */
  readonly entryTimeoutSeconds?: number;
  readonly options?: StreamObjectsOptions;
}

/** Options for {@link registerContainerProcessing}. */
export interface ContainerProcessingOptions {
  /** Called once a whole container arrived; its result is the stream's end result. */
  onContainer(container: unknown[] | Record<string, unknown>, ctx: StreamContext, rt: StreamRuntime): unknown;
}

type Entry = readonly [key: string | null, value: unknown];

// Where a finished consumer leaves the container for the stream-done callback, which sees the same context.
const RECEIVED_CONTAINER = '__skein_received_container__';

/**
 * Streams the entries of a list or map, one per chunk, then an end marker with the count (NVFlare's
 * `ContainerStreamer`). Receivers keep what arrived in their saved state (at most 256 KiB of JSON, so a stream can move
 * between instances); send larger data with `streamFile` or through storage.
 * @param engine - The engine to stream with.
 * @param params - Channel, topic, targets, the container and the per-entry timeout.
 * @returns `[OK, true]` when every target received the whole container; `[ERROR, false]` otherwise.
 * @throws InvalidStreamingOption when the container is neither a list nor a plain object, or an entry is not JSON.
 */
export async function streamContainer(engine: StreamEngine, params: StreamContainerParams): Promise<StreamResult> {
  const { container } = params;
  const isList = Array.isArray(container);
  if (!isList && (typeof container !== 'object' || container === null || !isPlainObject(container))) {
    throw new InvalidStreamingOption('container', 'container must be a list or a plain object.');
  }
  const entries: Entry[] = isList
    ? (container as readonly unknown[]).map((value) => [null, value] as const)
    : Object.entries(container);
  const chunks = entries.map(([key, value]) => encodeEntry(key === null ? { v: value } : { k: key, v: value }));
  chunks.push(encodeEntry({ end: entries.length }));
  const ctx = { container_type: isList ? 'list' : 'map', container_size: entries.length };
  const producer = new ContainerProducer(chunks, params.entryTimeoutSeconds ?? 60);
  return engine.streamObjects(params.channel, params.topic, ctx, params.targets, producer, params.options);
}

/**
 * Receives containers sent with {@link streamContainer} on a channel and topic.
 * @param engine - The engine to receive with.
 * @param channel - The channel.
 * @param topic - The topic.
 * @param options - `onContainer`, called with each container that arrived whole.
 */
export function registerContainerProcessing(
  engine: StreamEngine,
  channel: string,
  topic: string,
  options: ContainerProcessingOptions,
): void {
  engine.registerStreamProcessing(
    channel,
    topic,
    {
      getConsumer: (ctx) => new ContainerConsumer(ctx.container_type === 'map', []),
      restoreConsumer: (state) => {
        const saved = state as { map?: unknown; entries?: unknown } | undefined;
        if (typeof saved?.map !== 'boolean' || !Array.isArray(saved.entries)) {
          throw new StreamingError('The saved state of a container stream is not one a container consumer saved.');
        }
        return new ContainerConsumer(saved.map, saved.entries as Entry[]);
      },
    },
    {
      streamDoneCb: (ctx, rt) => {
        const container = ctx[RECEIVED_CONTAINER] as unknown[] | Record<string, unknown> | undefined;
        if (ctx[StreamContextKey.RC] !== ReturnCode.OK || container === undefined) return undefined;
        return options.onContainer(container, ctx, rt);
      },
    },
  );
}

function encodeEntry(entry: Record<string, unknown>): Buffer {
  try {
    return Buffer.from(JSON.stringify(entry));
  } catch (error) {
    throw new InvalidStreamingOption('container', 'every container entry must be JSON-serialisable.', { cause: error });
  }
}

class ContainerProducer implements ObjectProducer {
  private next = 0;

  constructor(
    private readonly chunks: readonly Buffer[],
    private readonly timeoutSeconds: number,
  ) {}

  produce(): ProducedObject | null {
    const data = this.chunks[this.next];
    this.next += 1;
    return data === undefined ? null : { data, timeoutSeconds: this.timeoutSeconds };
  }

  processReplies(replies: Readonly<Record<string, StreamReply>>): unknown {
    if (!Object.values(replies).every((reply) => reply.rc === ReturnCode.OK)) return false;
    return this.next >= this.chunks.length ? true : undefined;
  }
}

class ContainerConsumer implements ObjectConsumer {
  private done = false;

  constructor(
    private readonly map: boolean,
    private readonly entries: Entry[],
  ) {}

  consume(data: Buffer): ConsumeResult {
    const chunk = parseJsonObject(data);
    if (chunk === undefined) throw new StreamingError('A container chunk is not a JSON object.');
    if (Object.hasOwn(chunk, 'end')) {
      if (chunk.end !== this.entries.length) {
        throw new StreamingError(`The container ended after ${this.entries.length} entries, not ${String(chunk.end)}.`);
      }
      this.done = true;
      return { continue: false, reply: { data: { count: this.entries.length } } };
    }
    const key = chunk.k;
    if (this.map !== (typeof key === 'string')) throw new StreamingError('A container entry does not fit its type.');
    this.entries.push([this.map ? (key as string) : null, chunk.v]);
    return { continue: true };
  }

  finalize(ctx: StreamContext): void {
    if (!this.done) return;
    if (!this.map) {
      ctx[RECEIVED_CONTAINER] = this.entries.map(([, value]) => value);
      return;
    }
    // Received keys become own data, whatever they are (a `__proto__` key included).
    const container: Record<string, unknown> = {};
    for (const [key, value] of this.entries) setOwnProperty(container, key as string, value);
    ctx[RECEIVED_CONTAINER] = container;
  }

  saveState(): unknown {
    return { map: this.map, entries: this.entries };
  }
}
