import type { ActiveSubscription, ReceivedMessage } from '../core/ports/transport';
import { StreamerShutDown } from '../errors';
import { resolveStreamEngineOptions } from './options';
import type { ResolvedStreamEngineOptions, StreamEngineOptions } from './options';
import { StreamReceiver } from './receiver';
import type { SweepReport } from './receiver';
import { StreamRegistry } from './registry';
import { ReplyWaiter } from './reply-waiter';
import { runStream } from './sender';
import { StateStore } from './state-store';
import { prepareStream } from './stream-request';
import { TaskPool } from './timing';
import { streamSubscriptions } from './topology';
import type {
  ConsumerFactory,
  ObjectProducer,
  StreamContext,
  StreamObjectsOptions,
  StreamProcessingOptions,
  StreamResult,
} from './types';
import { decodeStreamMessage, STREAM_REPLY_SENDER_TYPE, STREAM_SENDER_TYPE } from './wire';

/**
 * NVFlare's streamable engine on Skein's ports: streams objects of any size to other services with stop-and-wait
 * back-pressure, and receives the streams addressed to this service. Senders need a transport; receivers also keep
 * each stream's state in the object store, so a stream survives its chunks landing on different instances.
 *
 * @example
 * ```ts
 * const engine = new StreamEngine({ identity: 'acme/parent:1.0.0', transport, store, stateLocation: 'gs://b/s' });
 * engine.registerStreamProcessing('results', 'files', factory, { streamDoneCb: (ctx) => ctx['__RC__'] });
 * await engine.listen();
 * const [rc, result] = await engine.streamObjects('results', 'files', {}, ['acme/child:2.0.0'], producer);
 * ```
 */
export class StreamEngine {
  private readonly options: ResolvedStreamEngineOptions;
  private readonly registry = new StreamRegistry();
  private readonly waiter: ReplyWaiter;
  private readonly receiver: StreamReceiver;
  private readonly pool: TaskPool;
  private readonly shutdown = new AbortController();
  private readonly active: ActiveSubscription[] = [];

  /**
   * @param options - Identity, transport, object store, state location and limits.
   * @throws InvalidStreamingOption for any option out of range.
   */
  constructor(options: StreamEngineOptions) {
    this.options = resolveStreamEngineOptions(options);
    const { identity, transport, store, stateLocation, clock, logger, idleTimeoutMs } = this.options;
    this.waiter = new ReplyWaiter(clock);
    this.pool = new TaskPool(this.options.maxConcurrentStreamingSessions);
    this.receiver = new StreamReceiver({
      identity,
      transport,
      states: new StateStore(store, stateLocation, identity),
      registry: this.registry,
      clock,
      logger,
      idleTimeoutMs,
      endedRetentionMs: this.options.endedRetentionMs,
      shutdown: this.shutdown.signal,
    });
  }

  /** This service's SRUID. */
  get identity(): string {
    return this.options.identity;
  }

  /** This process's id for reply routing. */
  get instanceId(): string {
    return this.options.instanceId;
  }

  /**
   * Receives the streams sent on a channel and topic with consumers from `factory` (NVFlare's
   * `register_stream_processing`). Registering the pair again replaces it.
   * @param channel - The channel.
   * @param topic - The topic.
   * @param factory - Makes (and restores) one consumer per stream.
   * @param options - `streamDoneCb`, `consumedCb` and their `cbArgs`.
   */
  registerStreamProcessing(
    channel: string,
    topic: string,
    factory: ConsumerFactory,
    options: StreamProcessingOptions = {},
  ): void {
    this.registry.register(channel, topic, { factory, options });
  }

  /**
   * Streams objects from `producer` to every target and waits for the end (NVFlare's `stream_objects`).
   * @param channel - The channel receivers registered.
   * @param topic - The topic receivers registered.
   * @param ctx - The stream's context (JSON), sent with sequence 0.
   * @param targets - The receiving services' SRUIDs.
   * @param producer - Produces the objects and judges the replies.
   * @param options - `optional`, `secure`, `signal`, `window`, `questionUuid`, `deadline`.
   * @returns `[rc, result]`.
   * @throws StreamerShutDown, InvalidStreamingOption, StreamingFeatureUnavailable, ChunkTooLarge, InvalidStreamObject,
   *   and whatever the producer throws.
   */
  async streamObjects(
    channel: string,
    topic: string,
    ctx: StreamContext,
    targets: readonly string[],
    producer: ObjectProducer,
    options: StreamObjectsOptions = {},
  ): Promise<StreamResult> {
    if (this.shutdown.signal.aborted) throw new StreamerShutDown('The streamer was shut down.', { channel, topic });
    const stream = prepareStream(
      { channel, topic, ctx, targets, producer, options },
      this.options.logger,
      this.shutdown.signal,
    );
    return runStream(
      {
        identity: this.options.identity,
        instanceId: this.options.instanceId,
        transport: this.options.transport,
        waiter: this.waiter,
        clock: this.options.clock,
        logger: this.options.logger,
        maxChunkBytes: this.options.maxChunkBytes,
        livenessIntervalMs: this.options.livenessIntervalMs,
      },
      stream,
    );
  }

  /**
   * As {@link streamObjects}, but queued on the engine's pool (`maxConcurrentStreamingSessions`, default 20) so that
   * many streams share a bounded number of places (NVFlare's `stream_no_wait`).
   * @returns The stream's outcome, once it had a place and ran.
   */
  streamNoWait(
    channel: string,
    topic: string,
    ctx: StreamContext,
    targets: readonly string[],
    producer: ObjectProducer,
    options: StreamObjectsOptions = {},
  ): Promise<StreamResult> {
    return this.pool.run(() => this.streamObjects(channel, topic, ctx, targets, producer, options));
  }

  /**
   * Handles one received message if it is a stream event addressed to this service (and, for replies, this
   * instance). Entry points route messages here; {@link listen} does it for a pull subscription.
   * @param message - The received message.
   * @returns Whether it was a stream event (handled or refused); `false` leaves it to the caller.
   * @throws When a reply cannot be published or the state store fails: the message should be redelivered.
   */
  async handleMessage(message: Pick<ReceivedMessage, 'data' | 'attributes'>): Promise<boolean> {
    const { sender_type: senderType, recipient, reply_to: replyTo } = message.attributes;
    if (senderType !== STREAM_SENDER_TYPE && senderType !== STREAM_REPLY_SENDER_TYPE) return false;
    // Filters are applied on receipt too: an event for another service or instance is not ours to act on.
    if (recipient !== this.options.identity) return true;
    if (senderType === STREAM_REPLY_SENDER_TYPE && replyTo !== this.options.instanceId) return true;
    const decoded = decodeStreamMessage(message);
    // Replies come only as STREAM_REPLY and everything else only as STREAM: a mismatch is dropped.
    if ((decoded.event === 'reply') !== (senderType === STREAM_REPLY_SENDER_TYPE)) return true;
    if (decoded.event === 'reply') {
      this.waiter.deliver(decoded);
    } else if (decoded.event === 'chunk') {
      await this.receiver.handleChunk(decoded);
    } else if (decoded.event === 'rejected') {
      await this.receiver.handleRejected(decoded);
    } else {
      await this.receiver.handleNotice(decoded);
    }
    return true;
  }

  /**
   * Creates this instance's subscriptions (see `streamSubscriptions`) if needed and starts handling their messages.
   * @throws The transport's errors (e.g. TopicNotFound).
   */
  async listen(): Promise<void> {
    const { transport, identity, instanceId, logger } = this.options;
    const specs = streamSubscriptions(identity, instanceId);
    for (const spec of [specs.streams, specs.replies]) {
      await transport.createSubscription(spec, { allowExisting: true });
      this.active.push(
        await transport.subscribe(
          spec.name,
          async (message) => {
            await this.handleMessage(message);
          },
          { onError: (error) => logger.exception(`Stream subscription '${spec.name}' reported an error.`, error) },
        ),
      );
    }
  }

  /**
   * Ends every open stream addressed to this service that idled past `idleTimeoutSeconds` with TIMEOUT, finalizing
   * it (restoring its consumer if needed), and removes the states of streams ended over `endedRetentionSeconds` ago. Serving processes also do this with in-process timers; deployed functions
   * have no timers between invocations, so schedule a function that calls this (e.g. Cloud Scheduler every few
   * minutes publishing to a topic whose function builds the engine and calls `sweepIdleStreams()`).
   * @returns The streams it ended and the states it removed.
   */
  sweepIdleStreams(): Promise<SweepReport> {
    return this.receiver.sweep();
  }

  /**
   * Stops streaming: running sends end with TASK_ABORTED (after abort notices), streams this process holds end with
   * TASK_ABORTED, timers stop and subscriptions close (this instance's reply subscription is deleted).
   */
  async shutdownStreamer(): Promise<void> {
    if (this.shutdown.signal.aborted) return;
    this.shutdown.abort(new StreamerShutDown('The streamer was shut down.'));
    await Promise.all(this.active.splice(0).map((subscription) => subscription.close()));
    await this.receiver.abortHeld();
    const { transport, identity, instanceId, logger } = this.options;
    await transport
      .deleteSubscription(streamSubscriptions(identity, instanceId).replies.name)
      .catch((error: unknown) => logger.exception('Deleting the stream reply subscription failed.', error));
  }
}
