export { InMemoryTransport } from './in-memory-transport';
export type { InMemoryTransportOptions } from './in-memory-transport';
export { InMemoryBroker, defaultInMemoryBroker } from './in-memory-broker';
export type { InMemoryBrokerOptions, DuplicateDeliveries } from './in-memory-broker';
export { pushEnvelope } from './push-listener';
export type { PushEnvelope } from './push-listener';
