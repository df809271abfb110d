import { assertFlowControl, assertPublishable } from '../../core/ports/transport';
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
  NotAPullSubscription,
  SubscriptionAlreadyExists,
  SubscriptionLost,
  SubscriptionNotFound,
  TransportError,
} from '../../errors';
import type { Delivery } from './handler-invocation';
import { InFlight, invokeHandler, reportError } from './handler-invocation';
import { defaultInMemoryBroker } from './in-memory-broker';
import type { InMemoryBroker } from './in-memory-broker';
import type { SubscriptionListener } from './memory-subscription';
import { PushListener } from './push-listener';

/** Options for {@link InMemoryTransport}. */
export interface InMemoryTransportOptions {
  /** The topic every event travels on (see `resolveServicesTopicName`). */
  readonly topicName: string;
  /** The broker shared with the other transports of this process; default {@link defaultInMemoryBroker}. */
  readonly broker?: InMemoryBroker;
}

/** Hands deliveries to a pull subscriber's handler and remembers what is running, so closing can wait for it. */
class HandlerListener implements SubscriptionListener {
  readonly inFlight = new InFlight();

  constructor(
    private readonly handler: MessageHandler,
    private readonly options: SubscribeOptions,
  ) {}

  deliver(delivery: Delivery): void {
    this.inFlight.track(invokeHandler(this.handler, delivery, this.options.onError));
  }

  lost(subscriptionName: string): void {
    const { onLost } = this.options;
    if (onLost === undefined) {
      reportError(this.options.onError, new SubscriptionNotFound(subscriptionName));
      return;
    }
    const lost = new SubscriptionLost(subscriptionName, 'it was deleted.', {
      cause: new SubscriptionNotFound(subscriptionName),
    });
    try {
      onLost(lost);
    } catch {
      // A failing callback has nowhere to report to; the broker must go on regardless.
    }
  }
}

/**
 * The transport for one process: the embedded default and the unit-test twin of `PubSubTransport`, with the same
 * semantics (one topic, in-order delivery per ordering key, at-least-once redelivery after nacks, handler failures and
 * expired ack deadlines, attribute filters, the same size and emptiness checks and the same typed errors). Push
 * subscriptions POST to their endpoint while the transport that created them is open.
 */
export class InMemoryTransport implements Transport {
  /** @inheritDoc */
  readonly kind = 'memory';
  /** @inheritDoc */
  readonly topicName: string;
  /** The broker this transport publishes to and subscribes through. */
  readonly broker: InMemoryBroker;
  private readonly closers = new Set<() => Promise<void>>();
  private closed = false;

  /**
   * @param options - The topic and the broker to use.
   * @throws InvalidResourceName when the topic name is not a valid Pub/Sub name.
   */
  constructor(options: InMemoryTransportOptions) {
    validateResourceName('topic', options.topicName);
    this.topicName = options.topicName;
    this.broker = options.broker ?? defaultInMemoryBroker();
  }

  /** @inheritDoc */
  async publish(message: OutgoingMessage): Promise<string> {
    this.assertOpen();
    assertPublishable(message);
    return this.broker.publish(this.topicName, message);
  }

  /** @inheritDoc */
  async ensureTopic(): Promise<void> {
    this.assertOpen();
    this.broker.createTopic(this.topicName);
  }

  /** @inheritDoc */
  async topicExists(): Promise<boolean> {
    this.assertOpen();
    return this.broker.hasTopic(this.topicName);
  }

  /** @inheritDoc */
  async createSubscription(spec: SubscriptionSpec, options: { allowExisting?: boolean } = {}): Promise<void> {
    this.assertOpen();
    validateResourceName('subscription', spec.name);
    const created = this.broker.createSubscription(this.topicName, spec);
    if (!created) {
      if (options.allowExisting) return;
      throw new SubscriptionAlreadyExists(spec.name);
    }
    if (spec.pushEndpoint !== undefined) {
      const listener = new PushListener(
        spec.pushEndpoint,
        `projects/${this.broker.projectId}/subscriptions/${spec.name}`,
      );
      const detach = created.attach(listener);
      this.track(async () => {
        detach();
        await listener.close();
      });
    }
  }

  /** @inheritDoc */
  async deleteSubscription(name: string): Promise<void> {
    this.assertOpen();
    this.broker.deleteSubscription(name);
  }

  /**
   * @inheritDoc
   * @throws SubscriptionNotFound when the subscription does not exist.
   * @throws NotAPullSubscription when it is a push subscription.
   */
  async subscribe(name: string, handler: MessageHandler, options: SubscribeOptions = {}): Promise<ActiveSubscription> {
    this.assertOpen();
    // Checked like PubSubTransport checks it, so bad settings fail on the twin too; deliveries are not bounded here.
    if (options.flowControl !== undefined) assertFlowControl(options.flowControl);
    const subscription = this.broker.getSubscription(name);
    if (!subscription) throw new SubscriptionNotFound(name);
    if (subscription.spec.pushEndpoint !== undefined) {
      throw new NotAPullSubscription(
        `The subscription '${name}' pushes to ${subscription.spec.pushEndpoint}; it cannot be pulled from.`,
        { subscription: name },
      );
    }
    const listener = new HandlerListener(handler, options);
    const detach = subscription.attach(listener);
    const close = this.track(async () => {
      detach();
      await listener.inFlight.drain();
    });
    return { close };
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.closers].map((close) => close()));
  }

  /** Registers a closer that runs once, from either the subscription's own close or the transport's. */
  private track(closer: () => Promise<void>): () => Promise<void> {
    let closing: Promise<void> | undefined;
    const once = (): Promise<void> => {
      closing ??= closer().finally(() => this.closers.delete(once));
      return closing;
    };
    this.closers.add(once);
    return once;
  }

  private assertOpen(): void {
    if (this.closed) throw new TransportError(`The in-memory transport for '${this.topicName}' is closed.`);
  }
}
