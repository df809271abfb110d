/**
 * `skein/federation`: federated analyses after the FLAME core SDK, on Skein's serverless base. An aggregator service
 * starts a federation by asking its nodes (child services) one question each; the questions carry the federation
 * context as `skein_…` attributes that Octue peers ignore. Participants then exchange messages over the services topic
 * with FLAME's acknowledgements and retries, and receive them through a durable mailbox in the object store, so a
 * wait works whichever instance or invocation the message reached.
 *
 * @example
 * ```ts
 * import { createFederationRuntime } from 'skein/federation';
 * import type { FederatedAnalysis } from 'skein/federation';
 *
 * const federation = createFederationRuntime({ serviceId, transport, objectStore, mailboxRoot, projectId });
 * const runner = new Runner({ app, twine, analysisExtensions: [federation.analysisExtension], ... });
 * const service = new Service({ serviceId, transport, runner, eventRoutes: [federation.eventRoute] });
 *
 * // In the aggregator's app:
 * async function app(analysis: FederatedAnalysis) {
 *   const federation = await analysis.startFederation({ nodes: ['north', 'south'] });
 *   const replies = await federation.awaitMessages(federation.getParticipantIds(), 'partial-sums');
 * }
 * ```
 * @module
 */
export { createFederationRuntime, AggregatorFederation } from './runtime';
export type { FederationRuntime, FederatedAnalysis, StartFederationOptions, NodeOutcome } from './runtime';
export { federationForService } from './configured';
export type { ServiceFederation, ServiceFederationParams } from './configured';
export { Federation } from './federation';
export { FederationCore } from './federation-core';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_RUN_DEADLINE_MS,
  DEFAULT_DEADLINE_MARGIN_MS,
  DEFAULT_POLL_INTERVAL_MS,
} from './options';
export type { FederationOptions } from './options';
export type { FederationContext } from './context';
export { OUTPUT_TYPE_EXTENSIONS } from './final-results';
export type { OutputType, SubmitFinalResultOptions } from './final-results';
export type { DataLocation, SavedData, TagOption } from './intermediate';
export type { LocalDpParams, UniformSource } from './noise';
export type { DataSource } from './data-sources';
export type {
  NodeType,
  Role,
  Participant,
  MessageStatus,
  MessageMeta,
  FederationMessage,
  SendMessageOptions,
  SendResult,
  AwaitMessagesOptions,
  AwaitedMessages,
  StatusFilter,
} from './types';
export {
  FederationError,
  UnknownParticipant,
  ReservedMessageKey,
  FederationMessageTooLarge,
  InvalidFederationMessage,
  FederationRoleError,
  ParticipantFailed,
  FederationPublishFailed,
  FederationClosed,
  AnalysisFinished,
} from '../errors';
