/**
 * Cloud Run functions (functions-framework) entry points for Skein services: handlers for CloudEvents, Pub/Sub push
 * bodies and gen1 background events that answer through a `Service`, plus the environment and logging helpers the
 * composition roots in `functions/` use.
 * @module
 */
export { functionHandlers } from './handlers';
export type { FunctionHandlerOptions, FunctionHandlers } from './handlers';
export { deliverMessage } from './deliver';
export type { DeliverMessageParams } from './deliver';
export { readPubSubMessage } from './pubsub-message';
export type { MessageFallbacks } from './pubsub-message';
export { resolveFunctionSettings, PUBSUB_EMULATOR_HOST_ENV, STORAGE_EMULATOR_HOST_ENV } from './environment';
export type { FunctionServiceIdentity, FunctionSettings, ResolveFunctionSettingsParams } from './environment';
export { cloudLoggingSink, functionLogger } from './logging';
export type {
  AnsweringService,
  BackgroundContextLike,
  CloudEventLike,
  DeliveryReport,
  DeliveryStatus,
  FunctionMessage,
  HttpRequestLike,
  HttpResponseLike,
  PubSubMessageLike,
  ServiceBuilder,
  ServiceSource,
} from './types';
