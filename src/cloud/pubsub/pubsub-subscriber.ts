import type { Message, Subscription } from '@google-cloud/pubsub';

import { matchesAttributeFilter } from '../../core/ports/transport';
import type { AttributeFilter, MessageHandler, SubscribeOptions } from '../../core/ports/transport';
import { SubscriptionLost, SubscriptionNotFound } from '../../errors';
import { InFlight, invokeHandler, reportError } from '../memory/handler-invocation';
import type { Delivery } from '../memory/handler-invocation';
import { clientFailure, grpcCode, GrpcCode } from './client-errors';
import { OrderedDispatcher } from './ordered-dispatcher';

/** Settings for {@link PubSubSubscriber}. */
export interface PubSubSubscriberSettings {
  /** The subscription's filter, applied again to every message because the emulator ignores filters. */
  readonly filter: AttributeFilter | undefined;
  /** After a nack, how long (ms) the key's later messages are given back while the nacked one is awaited. */
  readonly redeliveryWaitMs: number;
}

/**
 * One streaming-pull subscriber: applies the subscription's filter on receipt (non-matching messages are acked and
 * dropped: they are not ours, and the real service would never have sent them), numbers handovers per message id
 * (the client reports `deliveryAttempt` only with a dead-letter policy), keeps ordering per key through an
 * {@link OrderedDispatcher}, and reports stream errors to `onError`.
 */
export class PubSubSubscriber {
  private readonly inFlight = new InFlight();
  private readonly attempts = new Map<string, number>();
  private readonly dispatcher: OrderedDispatcher;
  private closing: Promise<void> | undefined;
  private lost = false;

  /**
   * @param subscription - The client's subscription object (not yet listening).
   * @param handler - The subscriber's handler.
   * @param options - `onError` for handler and stream failures.
   * @param settings - Filter and redelivery wait.
   */
  constructor(
    private readonly subscription: Subscription,
    private readonly handler: MessageHandler,
    private readonly options: SubscribeOptions,
    private readonly settings: PubSubSubscriberSettings,
  ) {
    this.dispatcher = new OrderedDispatcher((delivery) => this.handOver(delivery), settings.redeliveryWaitMs);
  }

  /** Starts the stream. */
  start(): void {
    this.subscription.on('message', (message: Message) => this.receive(message));
    // Always listen for errors: an 'error' event without a listener would crash the process.
    this.subscription.on('error', (error: unknown) => {
      const name = this.subscription.name;
      if (grpcCode(error) === GrpcCode.NOT_FOUND) {
        const missing = new SubscriptionNotFound(name, { cause: error });
        this.reportLost(new SubscriptionLost(name, 'it no longer exists.', { cause: missing }), missing);
        return;
      }
      reportError(this.options.onError, clientFailure(`pulling from '${name}'`, error));
    });
    // The client closes the subscription itself only when its streams ended with an error it does not retry (it
    // retries UNAVAILABLE and the like for as long as they last): nothing would ever arrive again.
    this.subscription.on('close', () => {
      if (this.closing) return;
      const lost = new SubscriptionLost(this.subscription.name, 'its stream ended with an error that is not retried.');
      this.reportLost(lost, lost);
    });
  }

  // Reports the loss once (an error and the close that follows it are one loss), to onLost, or else `fallback` to
  // onError as before onLost existed.
  private reportLost(error: SubscriptionLost, fallback: Error): void {
    if (this.lost || this.closing) return;
    this.lost = true;
    const { onLost } = this.options;
    if (onLost === undefined) {
      reportError(this.options.onError, fallback);
      return;
    }
    try {
      onLost(error);
    } catch {
      // A failing callback has nowhere to report to.
    }
  }

  /**
   * Stops delivery: new arrivals and held messages are nacked, running handlers finish (their acks count), then the
   * stream is closed. Safe to call more than once.
   * @returns A promise that resolves once the subscriber is fully stopped.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.dispatcher.close();
      await this.inFlight.drain();
      await this.subscription.close();
      // The error listener stays: a late stream error without one would crash the process.
      this.subscription.removeAllListeners('message');
    })();
    return this.closing;
  }

  /**
   * Hands a message to the handler. Attempts are counted per handover, like the in-memory transport's deliveries:
   * copies the dispatcher gave back unhandled (to keep a key's order after a nack) do not count.
   */
  private handOver(delivery: Delivery): void {
    const { message } = delivery;
    const attempt = (this.attempts.get(message.id) ?? 0) + 1;
    this.attempts.set(message.id, attempt);
    // Object.assign rather than `{...a, b}`: V8 writes properties that follow a leading spread on a slow path.
    const counted = Object.assign({}, delivery, {
      message: Object.assign({}, message, { deliveryAttempt: Math.max(attempt, message.deliveryAttempt) }),
    });
    this.inFlight.track(invokeHandler(this.handler, counted, this.options.onError));
  }

  private receive(message: Message): void {
    if (this.closing) {
      message.nack();
      return;
    }
    const attributes = message.attributes ?? {};
    if (!matchesAttributeFilter(attributes, this.settings.filter)) {
      message.ack();
      return;
    }
    this.dispatcher.dispatch({
      message: {
        id: message.id,
        data: message.data,
        attributes: { ...attributes },
        ...(message.orderingKey ? { orderingKey: message.orderingKey } : {}),
        publishTime: new Date(message.publishTime.getTime()),
        // The service's count, known only with a dead-letter policy; handOver() fills in the handler-side count.
        deliveryAttempt: message.deliveryAttempt ?? 0,
      },
      ack: () => {
        this.attempts.delete(message.id);
        message.ack();
      },
      nack: () => message.nack(),
    });
  }
}
