import type { SubscriptionSpec } from '../core/ports/transport';
import { toPubSubForm } from '../core/service-id/pub-sub-form';
import { validateResourceName } from '../core/topology';
import { STREAM_REPLY_SENDER_TYPE, STREAM_SENDER_TYPE } from './wire';

/** An idle reply subscription (its instance is gone) disappears after a day, Pub/Sub's shortest expiry. */
const REPLY_SUBSCRIPTION_TTL_SECONDS = 86_400;

/** The two subscriptions a streaming service pulls from. */
export interface StreamSubscriptions {
  /**
   * Chunks, aborts and heartbeats addressed to the service: `<service pubsub id>.streams`, shared by its instances
   * (any instance may take any chunk, since stream state is durable), never expiring.
   */
  readonly streams: SubscriptionSpec;
  /**
   * Replies to the streams this instance sends: `<service pubsub id>.stream-replies.<instance id>`, filtered to this
   * instance, since only it is waiting for them.
   */
  readonly replies: SubscriptionSpec;
}

/**
 * The subscriptions of one streaming instance.
 * @param identity - The service's SRUID (checked by the engine's options).
 * @param instanceId - This instance's id.
 * @returns Both subscriptions.
 * @throws InvalidResourceName when a name is not a valid Pub/Sub name.
 */
export function streamSubscriptions(identity: string, instanceId: string): StreamSubscriptions {
  const base = toPubSubForm(identity);
  const streams = `${base}.streams`;
  const replies = `${base}.stream-replies.${instanceId}`;
  validateResourceName('subscription', streams);
  validateResourceName('subscription', replies);
  return {
    streams: { name: streams, filter: { recipient: identity, sender_type: STREAM_SENDER_TYPE } },
    replies: {
      name: replies,
      filter: { recipient: identity, sender_type: STREAM_REPLY_SENDER_TYPE, reply_to: instanceId },
      expirationTtlSeconds: REPLY_SUBSCRIPTION_TTL_SECONDS,
    },
  };
}
