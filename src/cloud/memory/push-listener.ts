import type { Delivery } from './handler-invocation';
import { InFlight } from './handler-invocation';
import type { SubscriptionListener } from './memory-subscription';

/** The JSON body Pub/Sub POSTs to a push endpoint (the wrapped form, which Octue's push consumers read). */
export interface PushEnvelope {
  readonly message: {
    readonly data: string;
    readonly attributes: Readonly<Record<string, string>>;
    readonly messageId: string;
    readonly message_id: string;
    readonly publishTime: string;
    readonly publish_time: string;
    readonly orderingKey?: string;
  };
  readonly subscription: string;
}

/**
 * Builds the push body for one message, as the real service sends it (with `orderingKey` when set, which the
 * emulator leaves out).
 * @param delivery - The leased message.
 * @param subscriptionPath - `projects/<project>/subscriptions/<name>`.
 * @returns The envelope.
 */
export function pushEnvelope(delivery: Delivery, subscriptionPath: string): PushEnvelope {
  const { message } = delivery;
  const publishTime = message.publishTime.toISOString();
  return {
    message: {
      data: message.data.toString('base64'),
      attributes: message.attributes,
      messageId: message.id,
      message_id: message.id,
      publishTime,
      publish_time: publishTime,
      ...(message.orderingKey ? { orderingKey: message.orderingKey } : {}),
    },
    subscription: subscriptionPath,
  };
}

/**
 * Delivers a push subscription's messages by POSTing them to its endpoint: a 2xx answer acks, anything else (or a
 * network failure) nacks, so the broker redelivers with backoff, as Pub/Sub push does.
 */
export class PushListener implements SubscriptionListener {
  private readonly inFlight = new InFlight();
  private readonly abort = new AbortController();

  /**
   * @param endpoint - The URL to POST to.
   * @param subscriptionPath - `projects/<project>/subscriptions/<name>`, sent in each body.
   */
  constructor(
    private readonly endpoint: string,
    private readonly subscriptionPath: string,
  ) {}

  /** @param delivery - The message to push. */
  deliver(delivery: Delivery): void {
    this.inFlight.track(this.push(delivery));
  }

  /** Nothing to do: a deleted push subscription simply stops pushing. */
  lost(): void {}

  /** Cancels requests in flight (their messages are nacked) and waits for them to finish. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.inFlight.drain();
  }

  private async push(delivery: Delivery): Promise<void> {
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(pushEnvelope(delivery, this.subscriptionPath)),
        signal: this.abort.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) delivery.ack();
      else delivery.nack();
    } catch {
      // Unreachable endpoint or aborted on close: Pub/Sub would retry later, so does the broker.
      delivery.nack();
    }
  }
}
