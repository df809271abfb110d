import type { CreateSubscriptionOptions } from '@google-cloud/pubsub';

import { formatAttributeFilter } from '../../core/ports/transport';
import type { SubscriptionSpec } from '../../core/ports/transport';

/** Octue's subscription defaults (its `Subscription` class): see octue-protocol.md §1.1. */
export const OCTUE_SUBSCRIPTION_DEFAULTS = {
  ackDeadlineSeconds: 600,
  messageRetentionSeconds: 600,
  minimumRetryBackoffSeconds: 10,
  maximumRetryBackoffSeconds: 600,
} as const;

/**
 * Turns a subscription spec into the client's creation options with Octue's settings: ordered delivery, a 600 s ack
 * deadline and retention, retry backoff 10–600 s, the filter in Pub/Sub syntax, and a push config for push
 * subscriptions.
 * @param spec - The subscription to create.
 * @returns Options for `Topic.createSubscription`.
 */
export function subscriptionOptions(spec: SubscriptionSpec): CreateSubscriptionOptions {
  const filter = spec.filter && Object.keys(spec.filter).length > 0 ? formatAttributeFilter(spec.filter) : undefined;
  return {
    ackDeadlineSeconds: spec.ackDeadlineSeconds ?? OCTUE_SUBSCRIPTION_DEFAULTS.ackDeadlineSeconds,
    messageRetentionDuration: { seconds: OCTUE_SUBSCRIPTION_DEFAULTS.messageRetentionSeconds },
    retryPolicy: {
      minimumBackoff: { seconds: OCTUE_SUBSCRIPTION_DEFAULTS.minimumRetryBackoffSeconds },
      maximumBackoff: { seconds: OCTUE_SUBSCRIPTION_DEFAULTS.maximumRetryBackoffSeconds },
    },
    enableMessageOrdering: true,
    // An expiration policy without a ttl means "never expire"; leaving the policy out would mean Pub/Sub's 31 days.
    expirationPolicy: spec.expirationTtlSeconds === undefined ? {} : { ttl: { seconds: spec.expirationTtlSeconds } },
    ...(filter === undefined ? {} : { filter }),
    ...(spec.pushEndpoint === undefined ? {} : { pushConfig: { pushEndpoint: spec.pushEndpoint } }),
  };
}
