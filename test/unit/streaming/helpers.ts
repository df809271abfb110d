import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { InMemoryBroker } from '../../../src/cloud/memory/in-memory-broker';
import type { DuplicateDeliveries } from '../../../src/cloud/memory/in-memory-broker';
import { InMemoryTransport } from '../../../src/cloud/memory/in-memory-transport';
import type { LocalObjectStore } from '../../../src/cloud/storage/local-object-store';
import type {
  ActiveSubscription,
  MessageHandler,
  OutgoingMessage,
  ReceivedMessage,
  SubscribeOptions,
  SubscriptionSpec,
  Transport,
} from '../../../src/core/ports/transport';
import { TransportError } from '../../../src/errors';
import { encodeChunk } from '../../../src/streaming/wire';
import { ReturnCode, StreamContextKey, StreamEngine } from '../../../src/streaming';
import type {
  ConsumeResult,
  ConsumerFactory,
  ObjectConsumer,
  ObjectProducer,
  ProducedObject,
  StreamContext,
  StreamEngineOptions,
  StreamReply,
} from '../../../src/streaming';
import { ManualClock, TOPIC, deferred, temporaryStore, waitFor } from '../service/helpers';

export { ManualClock, deferred, waitFor };

export const SENDER = 'acme/sender:1.0.0';
export const RECEIVER = 'acme/receiver:2.0.0';
export const OTHER_RECEIVER = 'acme/other:3.0.0';
export const STATE_LOCATION = 'gs://streams-bucket/state';

/** One in-memory network and local store shared by every engine of a test, with a clock per engine. */
export class StreamWorld {
  readonly broker: InMemoryBroker;
  readonly transport: InMemoryTransport;
  readonly store: LocalObjectStore;
  /** Every message published on the topic, in order. */
  readonly published: ReceivedMessage[] = [];
  private readonly engines: StreamEngine[] = [];
  private readonly cleanupStore: () => void;

  constructor(options: { duplicateDeliveries?: DuplicateDeliveries } = {}) {
    this.broker = new InMemoryBroker({ minBackoffMs: 1, maxBackoffMs: 5, ...options });
    this.transport = new InMemoryTransport({ topicName: TOPIC, broker: this.broker });
    const { store, cleanup } = temporaryStore();
    this.store = store;
    this.cleanupStore = cleanup;
    // Like Cloud Storage, the local store keeps objects only in buckets that exist.
    mkdirSync(join(store.root, 'streams-bucket'), { recursive: true });
  }

  async start(): Promise<this> {
    await this.transport.ensureTopic();
    await this.transport.createSubscription({ name: 'observer' });
    await this.transport.subscribe('observer', (message) => {
      this.published.push(message);
    });
    return this;
  }

  /** A listening engine. */
  async engine(
    identity: string,
    options: Partial<StreamEngineOptions> = {},
    listen = true,
  ): Promise<{ engine: StreamEngine; clock: ManualClock }> {
    const clock = (options.clock as ManualClock | undefined) ?? new ManualClock();
    const engine = new StreamEngine({
      identity,
      transport: this.transport,
      store: this.store,
      stateLocation: STATE_LOCATION,
      clock,
      ...options,
    });
    this.engines.push(engine);
    if (listen) await engine.listen();
    return { engine, clock };
  }

  /** Publishes a raw message, as a hostile or dead sender would. */
  async publish(message: OutgoingMessage): Promise<void> {
    await this.transport.publish(message);
  }

  /** Stream events seen on the topic with the given `stream_event`. */
  events(kind: string): ReceivedMessage[] {
    return this.published.filter((message) => message.attributes.stream_event === kind);
  }

  async close(): Promise<void> {
    for (const engine of this.engines) await engine.shutdownStreamer();
    await this.transport.close();
    this.broker.close();
    this.cleanupStore();
  }
}

/** Sends the given chunks, then `null`; ends the stream with the replies when any is not OK. */
export class ListProducer implements ObjectProducer {
  readonly seenReplies: Array<Readonly<Record<string, StreamReply>>> = [];
  produced = 0;

  constructor(
    private readonly chunks: readonly (Buffer | (() => ProducedObject | null | Promise<ProducedObject | null>))[],
    private readonly timeoutSeconds = 5,
    private readonly judge: (replies: Readonly<Record<string, StreamReply>>) => unknown = endOnFailure,
  ) {}

  async produce(): Promise<ProducedObject | null> {
    const next = this.chunks[this.produced];
    this.produced += 1;
    if (next === undefined) return null;
    if (typeof next === 'function') return next();
    return { data: next, timeoutSeconds: this.timeoutSeconds };
  }

  processReplies(replies: Readonly<Record<string, StreamReply>>): unknown {
    this.seenReplies.push(replies);
    return this.judge(replies);
  }
}

/** Continues while every reply is OK; otherwise ends the stream with the replies as its (truthy) result. */
export function endOnFailure(replies: Readonly<Record<string, StreamReply>>): unknown {
  if (Object.values(replies).every((reply) => reply.rc === ReturnCode.OK && reply.endResult === undefined)) {
    return undefined;
  }
  return replies;
}

/** What a {@link RecordingFactory} saw, in order. */
export type Call = string;

/**
 * A factory of consumers that collect chunks (as text) and end the stream on the text `EOF`; everything they are
 * asked to do is recorded. Consumers save and restore what they collected.
 */
export class RecordingFactory implements ConsumerFactory {
  readonly calls: Call[] = [];
  readonly finalized: Array<{ rc: unknown; chunks: string[]; ctx: StreamContext }> = [];
  /** Makes a consumer misbehave on a chunk text. */
  onChunk: (text: string, ctx: StreamContext) => ConsumeResult | undefined | Promise<ConsumeResult | undefined> = () =>
    undefined;
  failFinalize = false;

  getConsumer(ctx: StreamContext): ObjectConsumer {
    this.calls.push('getConsumer');
    return this.consumer([], ctx);
  }

  restoreConsumer(state: unknown): ObjectConsumer {
    this.calls.push('restoreConsumer');
    return this.consumer([...((state as { chunks: string[] }).chunks ?? [])]);
  }

  returnConsumer(): void {
    this.calls.push('returnConsumer');
  }

  private consumer(chunks: string[], _ctx?: StreamContext): ObjectConsumer {
    return {
      consume: async (data, ctx) => {
        const text = data.toString('utf8');
        this.calls.push(`consume:${text}`);
        const special = await this.onChunk(text, ctx);
        if (special !== undefined) return special;
        chunks.push(text);
        return text === 'EOF' ? { continue: false, reply: { data: { count: chunks.length } } } : { continue: true };
      },
      finalize: (ctx) => {
        this.calls.push(`finalize:${String(ctx[StreamContextKey.RC])}`);
        this.finalized.push({ rc: ctx[StreamContextKey.RC], chunks: [...chunks], ctx });
        if (this.failFinalize) throw new Error('finalize failed');
      },
      saveState: () => ({ chunks }),
    };
  }
}

/** The given texts as chunks. */
export function texts(...values: string[]): Buffer[] {
  return values.map((value) => Buffer.from(value, 'utf8'));
}

export { deferred as makeDeferred };

/** A transport that fails to publish chunks addressed to one recipient (the network to it is down). */
export class UnreachableTarget implements Transport {
  readonly kind = 'unreachable';
  readonly topicName: string;

  constructor(
    private readonly inner: Transport,
    private readonly unreachable: string,
  ) {
    this.topicName = inner.topicName;
  }

  async publish(message: OutgoingMessage): Promise<string> {
    if (message.attributes.recipient === this.unreachable && message.attributes.stream_event === 'chunk') {
      throw new TransportError(`${this.unreachable} is unreachable.`);
    }
    return this.inner.publish(message);
  }

  ensureTopic(): Promise<void> {
    return this.inner.ensureTopic();
  }

  topicExists(): Promise<boolean> {
    return this.inner.topicExists();
  }

  createSubscription(spec: SubscriptionSpec, options?: { allowExisting?: boolean }): Promise<void> {
    return this.inner.createSubscription(spec, options);
  }

  deleteSubscription(name: string): Promise<void> {
    return this.inner.deleteSubscription(name);
  }

  subscribe(name: string, handler: MessageHandler, options?: SubscribeOptions): Promise<ActiveSubscription> {
    return this.inner.subscribe(name, handler, options);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A chunk as a sender would publish it, for tests that play a (dead, duplicating or hostile) sender by hand. */
export function rawChunk(params: {
  txId: string;
  seq: number;
  data?: string;
  context?: Record<string, unknown>;
  sender?: string;
  channel?: string;
  topic?: string;
}): OutgoingMessage {
  return encodeChunk({
    txId: params.txId,
    seq: params.seq,
    channel: params.channel ?? 'c',
    topic: params.topic ?? 't',
    sender: params.sender ?? SENDER,
    recipient: RECEIVER,
    replyTo: 'by-hand',
    data: Buffer.from(params.data ?? 'x'),
    ...(params.seq === 0 ? { contextJson: Buffer.from(JSON.stringify(params.context ?? {})) } : {}),
  });
}

/** The replies published to the by-hand sender, as `[seq, rc]`. */
export function handReplies(world: StreamWorld, txId: string): Array<[string | undefined, string | undefined]> {
  return world
    .events('reply')
    .filter((m) => m.attributes.tx_id === txId)
    .map((m) => [m.attributes.seq, m.attributes.rc]);
}
