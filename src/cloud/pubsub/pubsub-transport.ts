import { PubSub } from '@google-cloud/pubsub';
import type { ClientConfig, Topic } from '@google-cloud/pubsub';

import {
  assertFlowControl,
  assertPublishable,
  DEFAULT_FLOW_CONTROL,
  parseAttributeFilter,
} from '../../core/ports/transport';
import type {
  ActiveSubscription,
  MessageHandler,
  OutgoingMessage,
  SubscribeOptions,
  SubscriptionSpec,
  Transport,
} from '../../core/ports/transport';
import { validateResourceName } from '../../core/topology';
import {
  InvalidInputException,
  NotAPullSubscription,
  PublishFailed,
  SubscriptionAlreadyExists,
  SubscriptionNotFound,
  TopicNotFound,
  TransportError,
} from '../../errors';
import { clientFailure, grpcCode, GrpcCode } from './client-errors';
import { DEFAULT_PUBLISH_RETRY, PublishRetrier } from './publish-retry';
import type { PublishRetrySettings } from './publish-retry';
import { PubSubSubscriber } from './pubsub-subscriber';
import { subscriptionOptions } from './subscription-settings';

/** Options for {@link PubSubTransport}. */
export interface PubSubTransportOptions {
  /** The Google Cloud project holding the topic and subscriptions. */
  readonly projectId: string;
  /** The topic every event travels on (see `resolveServicesTopicName`). */
  readonly topicName: string;
  /**
   * `host:port` of the Pub/Sub emulator (or another endpoint). When omitted the client uses `PUBSUB_EMULATOR_HOST` if
   * set, else Google's service; entry points should pass the emulator host explicitly.
   */
  readonly apiEndpoint?: string;
  /** Further client settings (credentials, keyFilename, …). */
  readonly clientConfig?: Omit<ClientConfig, 'projectId' | 'apiEndpoint'>;
  /** Give up publishing one message after this many ms, retries included; default 30 000 (Octue's `timeout`). */
  readonly publishTimeoutMs?: number;
  /**
   * After a nack, how long (ms) later messages of its ordering key are given back while waiting for the nacked one to
   * be redelivered, before going on without it (it can only fail to return if it outlived the retention); default
   * 660 000 (Octue's 600 s maximum retry backoff plus a minute).
   */
  readonly redeliveryWaitMs?: number;
  /**
   * How long (ms) a child's response events wait to leave together in one publish request; default 2. A quick
   * answer's delivery acknowledgement, log records and result then cost one request instead of two or more in a row.
   * Questions (sent by parents) always leave at once. 0 sends each response as soon as its key is free.
   */
  readonly responseCoalescingMs?: number;
  /**
   * How a publish that timed out (or found Pub/Sub unavailable) after `publishTimeoutMs` is sent again: bounded
   * attempts with jittered backoff, in order per ordering key, then `PublishFailed`; default
   * {@link DEFAULT_PUBLISH_RETRY} (3 sends, 0.5-5 s apart).
   */
  readonly publishRetry?: PublishRetrySettings;
}

/** The default of {@link PubSubTransportOptions.responseCoalescingMs}. */
export const DEFAULT_RESPONSE_COALESCING_MS = 2;

/**
 * The transport over Google Cloud Pub/Sub (or its emulator) through the official client, set up as Octue sets it up:
 * an ordering publisher without batching, subscriptions with Octue's settings, and streaming pull with the
 * subscription's filter applied again on receipt because the emulator ignores filters.
 */
export class PubSubTransport implements Transport {
  /** @inheritDoc */
  readonly kind = 'pubsub';
  /** @inheritDoc */
  readonly topicName: string;
  /** The project holding the topic. */
  readonly projectId: string;
  private readonly client: PubSub;
  private readonly publisher: Topic;
  private readonly responsePublisher: Topic;
  private readonly questionRetrier: PublishRetrier;
  private readonly responseRetrier: PublishRetrier;
  private readonly redeliveryWaitMs: number;
  private readonly subscribers = new Set<PubSubSubscriber>();
  private closed = false;

  /**
   * @param options - Project, topic, endpoint and client settings.
   * @throws InvalidResourceName when the topic name is not a valid Pub/Sub name.
   * @throws InvalidInputException when `publishRetry.attempts` is not an integer >= 1.
   */
  constructor(options: PubSubTransportOptions) {
    validateResourceName('topic', options.topicName);
    this.topicName = options.topicName;
    this.projectId = options.projectId;
    this.redeliveryWaitMs = options.redeliveryWaitMs ?? 660_000;
    this.client = new PubSub(
      Object.assign({}, options.clientConfig, {
        projectId: options.projectId,
        ...(options.apiEndpoint === undefined ? {} : { apiEndpoint: options.apiEndpoint }),
      }),
    );
    // Octue's publisher: ordering on and a bounded retry deadline. The client sends one request per ordering key at a
    // time; messages of the key published meanwhile leave together in the next request (maxMilliseconds 0: at once
    // when the one in flight returns). Questions leave as soon as they are published; a child's responses wait a
    // moment for the events that follow them, so most answers need one request.
    const gaxOpts = { timeout: options.publishTimeoutMs ?? 30_000 };
    this.publisher = this.client.topic(options.topicName, {
      messageOrdering: true,
      batching: { maxMessages: 1, maxMilliseconds: 0 },
      gaxOpts,
    });
    const coalescingMs = options.responseCoalescingMs ?? DEFAULT_RESPONSE_COALESCING_MS;
    this.responsePublisher =
      coalescingMs > 0
        ? this.client.topic(options.topicName, {
            messageOrdering: true,
            // 1000 messages is Pub/Sub's limit per publish request.
            batching: { maxMessages: 1000, maxMilliseconds: coalescingMs },
            gaxOpts,
          })
        : this.publisher;
    const retry = options.publishRetry ?? DEFAULT_PUBLISH_RETRY;
    if (!Number.isSafeInteger(retry.attempts) || retry.attempts < 1) {
      throw new InvalidInputException(`publishRetry.attempts must be an integer >= 1; received ${retry.attempts}.`);
    }
    this.questionRetrier = new PublishRetrier(this.topicName, retry, (key) => this.publisher.resumePublishing(key));
    this.responseRetrier = new PublishRetrier(this.topicName, retry, (key) =>
      this.responsePublisher.resumePublishing(key),
    );
  }

  /** @inheritDoc */
  async publish(message: OutgoingMessage): Promise<string> {
    this.assertOpen();
    // Checked here, never by the service: the emulator hangs without an answer on messages over its limit.
    assertPublishable(message);
    const { orderingKey } = message;
    const sender = this.sender(message);
    try {
      return await sender.retrier.run(orderingKey || undefined, () =>
        sender.publisher.publishMessage({
          data: message.data,
          attributes: { ...message.attributes },
          ...(orderingKey ? { orderingKey } : {}),
        }),
      );
    } catch (error) {
      // A failed publish pauses its ordering key in the client; resume it so later events of the question can go.
      // (While a retry is pending the key stays paused, so no later event can overtake the retried one.)
      if (orderingKey) sender.publisher.resumePublishing(orderingKey);
      if (error instanceof PublishFailed) throw error;
      if (grpcCode(error) === GrpcCode.NOT_FOUND) throw new TopicNotFound(this.topicName, { cause: error });
      throw clientFailure(`publishing to '${this.topicName}'`, error);
    }
  }

  /** @inheritDoc */
  async ensureTopic(): Promise<void> {
    this.assertOpen();
    try {
      await this.client.createTopic(this.topicName);
    } catch (error) {
      if (grpcCode(error) !== GrpcCode.ALREADY_EXISTS) throw clientFailure(`creating '${this.topicName}'`, error);
    }
  }

  /** @inheritDoc */
  async topicExists(): Promise<boolean> {
    this.assertOpen();
    try {
      const [exists] = await this.client.topic(this.topicName).exists();
      return exists;
    } catch (error) {
      throw clientFailure(`looking up '${this.topicName}'`, error);
    }
  }

  /** @inheritDoc */
  async createSubscription(spec: SubscriptionSpec, options: { allowExisting?: boolean } = {}): Promise<void> {
    this.assertOpen();
    validateResourceName('subscription', spec.name);
    try {
      await this.client.topic(this.topicName).createSubscription(spec.name, subscriptionOptions(spec));
    } catch (error) {
      const code = grpcCode(error);
      if (code === GrpcCode.ALREADY_EXISTS) {
        // Like Octue, an existing subscription is left as it is, not updated.
        if (options.allowExisting) return;
        throw new SubscriptionAlreadyExists(spec.name, { cause: error });
      }
      if (code === GrpcCode.NOT_FOUND) throw new TopicNotFound(this.topicName, { cause: error });
      throw clientFailure(`creating the subscription '${spec.name}'`, error);
    }
  }

  /** @inheritDoc */
  async deleteSubscription(name: string): Promise<void> {
    this.assertOpen();
    try {
      await this.client.subscription(name).delete();
    } catch (error) {
      if (grpcCode(error) !== GrpcCode.NOT_FOUND) throw clientFailure(`deleting the subscription '${name}'`, error);
    }
  }

  /**
   * @inheritDoc
   * @throws SubscriptionNotFound when the subscription does not exist.
   * @throws NotAPullSubscription when it is a push subscription.
   * @throws TransportError when its filter uses syntax that cannot be applied on receipt.
   * @throws InvalidInputException for flow-control bounds that are not integers >= 1.
   */
  async subscribe(name: string, handler: MessageHandler, options: SubscribeOptions = {}): Promise<ActiveSubscription> {
    this.assertOpen();
    const flowControl = assertFlowControl(options.flowControl ?? DEFAULT_FLOW_CONTROL);
    // allowExcessMessages false: messages of a pull beyond the bounds wait in the client instead of being handed over
    // at once; the bounds also go to the server with the streaming pull (Pub/Sub honours them, the emulator does
    // not). One stream instead of the client's five: a subscriber needs no more, and on the emulator each stream
    // pushes messages regardless of the bounds (bench/cases/flood-rss.mjs, 100 messages leased: 352 MB peak RSS
    // with five streams, 270 MB with one, under 4 000 malformed messages of up to 200 kB).
    const subscription = this.client.subscription(name, {
      flowControl: { maxMessages: flowControl.maxMessages, maxBytes: flowControl.maxBytes, allowExcessMessages: false },
      streamingOptions: { maxStreams: 1 },
    });
    let filterText: string;
    try {
      const [metadata] = await subscription.getMetadata();
      if (metadata.pushConfig?.pushEndpoint) {
        throw new NotAPullSubscription(
          `The subscription '${name}' pushes to ${metadata.pushConfig.pushEndpoint}; it cannot be pulled from.`,
          { subscription: name },
        );
      }
      filterText = metadata.filter ?? '';
    } catch (error) {
      if (error instanceof NotAPullSubscription) throw error;
      if (grpcCode(error) === GrpcCode.NOT_FOUND) throw new SubscriptionNotFound(name, { cause: error });
      throw clientFailure(`looking up the subscription '${name}'`, error);
    }
    const subscriber = new PubSubSubscriber(subscription, handler, options, {
      filter: parseAttributeFilter(filterText),
      redeliveryWaitMs: this.redeliveryWaitMs,
    });
    this.subscribers.add(subscriber);
    subscriber.start();
    return {
      close: async () => {
        await subscriber.close();
        this.subscribers.delete(subscriber);
      },
    };
  }

  /**
   * Deletes the topic (a missing one is ignored). Not part of the port: for tests and `skein` teardown.
   * @throws TransportError when the client fails.
   */
  async deleteTopic(): Promise<void> {
    this.assertOpen();
    try {
      await this.client.topic(this.topicName).delete();
    } catch (error) {
      if (grpcCode(error) !== GrpcCode.NOT_FOUND) throw clientFailure(`deleting '${this.topicName}'`, error);
    }
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscribers].map((subscriber) => subscriber.close()));
    this.subscribers.clear();
    try {
      await Promise.all([this.publisher.flush(), this.responsePublisher.flush()]);
      await this.client.close();
    } catch (error) {
      throw clientFailure('closing the client', error);
    }
  }

  // Octue's response events are sent by children; everything else (questions, other traffic) leaves at once.
  private sender(message: OutgoingMessage): { publisher: Topic; retrier: PublishRetrier } {
    return message.attributes['sender_type'] === 'CHILD'
      ? { publisher: this.responsePublisher, retrier: this.responseRetrier }
      : { publisher: this.publisher, retrier: this.questionRetrier };
  }

  private assertOpen(): void {
    if (this.closed) throw new TransportError(`The Pub/Sub transport for '${this.topicName}' is closed.`);
  }
}
