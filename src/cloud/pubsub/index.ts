export { PubSubTransport } from './pubsub-transport';
export type { PubSubTransportOptions } from './pubsub-transport';
export { OCTUE_SUBSCRIPTION_DEFAULTS, subscriptionOptions } from './subscription-settings';
export { DEFAULT_PUBLISH_RETRY, RETRYABLE_PUBLISH_CODES } from './publish-retry';
export type { PublishRetrySettings } from './publish-retry';
