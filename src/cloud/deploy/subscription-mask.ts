/**
 * The fields a subscription update changes: the push config (the function's URL and OIDC account), the ack deadline,
 * retention and retry policy. Not the topic, filter or message ordering, which Pub/Sub cannot change on an existing
 * subscription, and not the expiration policy or labels, which are set when the subscription is created (the Pub/Sub
 * emulator refuses updates of them, so leaving them out keeps the tested path and the real one the same). Kept free of
 * imports so the (pure) plan builder can show it without loading the Pub/Sub client.
 */
export const SUBSCRIPTION_UPDATE_MASK = [
  'push_config',
  'ack_deadline_seconds',
  'message_retention_duration',
  'retry_policy',
] as const;
