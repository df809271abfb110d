export { PubSubTransport } from './pubsub-transport';
export type { PubSubTransportOptions } from './pubsub-transport';
export { OCTUE_SUBSCRIPTION_DEFAULTS, subscriptionOptions } from './subscription-settings';
