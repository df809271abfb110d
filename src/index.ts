/**
 * Skein: Octue-style serverless data services on Google Cloud, in TypeScript.
 *
 * @example
 * ```ts
 * import { Twine } from 'skein';
 * const twine = Twine.fromFile('twine.json');
 * twine.validate({ inputValues: { height: 3 } });
 * ```
 * @module
 */
// The error tree is public as a whole: src/errors/index.ts is itself an explicit, curated list of its leaves.
// eslint-disable-next-line no-restricted-syntax
export * from './errors';
export { crc32cHash, Crc32c } from './core/hashing/crc32c';
export { isCloudPath, parseCloudPath, formatCloudPath, joinCloudPath, cloudPathBasename } from './core/gs-path';
export type { CloudPathParts } from './core/gs-path';
export {
  schemaDialectOf,
  registerSchema,
  isSchemaRegistered,
  compileSchema,
  validateWithSchema,
  toValidationFailures,
} from './core/json-schema';
export type { SchemaDialect, SchemaOptions, SchemaValidationResult, SchemaValidator } from './core/json-schema';
export {
  Twine,
  STRAND_NAMES,
  VALUES_STRANDS,
  MANIFEST_STRANDS,
  isStrandName,
  MANIFEST_SCHEMA_ID,
  CHILDREN_SCHEMA_ID,
} from './core/twine';
export type {
  TwineOptions,
  StrandSources,
  ValidatedStrands,
  ValuesOptions,
  StrandName,
  ValuesStrand,
  ManifestStrand,
  TwineStrands,
  ValuesSchemaStrand,
  ManifestStrandSpecification,
  DatasetSpecification,
  CredentialSpecification,
  ChildSpecification,
  ChildRecord,
  ManifestLike,
  JsonSource,
} from './core/twine';
export { FilterSet, FilterList, FilterDict } from './core/filters';
export type { FilterDictSource, Filters, FilterOptions, OrderByOptions } from './core/filters';
export { decodeOctueJson, encodeOctueJson, fromOctuePrimitive, toOctuePrimitive } from './core/json';
export type { HasPrimitive, JsonValue } from './core/json';
export {
  Datafile,
  Dataset,
  Manifest,
  TAG_NAME_PATTERN,
  TagDict,
  LABEL_PATTERN,
  LabelSet,
  EMPTY_STRING_HASH_VALUE,
  METADATA_FILENAME,
  SIGNED_METADATA_DIRECTORY,
  LocationPolicy,
  CLOUD_STORAGE_ORIGIN,
} from './core/resources';
export type {
  CloudAccessOptions,
  DatafileDownloadOptions,
  DatafileInit,
  DatafileLoadOptions,
  DatafileMetadata,
  DatafilePrimitive,
  DatafileUploadOptions,
  SignedUrlOptions,
  DatasetDownloadOptions,
  DatasetFromFilesOptions,
  DatasetInit,
  DatasetLoadOptions,
  DatasetPrimitive,
  DatasetUploadOptions,
  ManifestDownloadOptions,
  ManifestInit,
  ManifestLoadOptions,
  ManifestPrimitive,
  TagsInput,
  LabelsInput,
  TimestampInput,
  LocationPolicyOptions,
} from './core/resources';
export type {
  ObjectStore,
  UploadSource,
  TransferProgress,
  ProgressCallback,
  UploadOptions,
  DownloadOptions,
  ListOptions,
  ListResult,
  SignUrlOptions,
  StoredObject,
} from './core/ports/object-store';
export { GcsObjectStore, LocalObjectStore } from './cloud/storage';
export type { GcsObjectStoreOptions, LocalObjectStoreOptions } from './cloud/storage';
export { startGcsServer } from './emulators/gcs-server';
export type { GcsServerOptions, RunningGcsServer } from './emulators/gcs-server';
export {
  DEFAULT_NAMESPACE,
  LOCAL_SRUID,
  parseServiceId,
  parseSruid,
  validateSruid,
  isValidSruid,
  formatServiceId,
  createSruid,
  toPubSubForm,
  sruidFromPubSubName,
  resolveSruidParts,
} from './core/service-id';
export type {
  ServiceIdParts,
  SruidParts,
  CreateSruidOptions,
  ResolveSruidPartsParams,
  ResolvedSruidParts,
} from './core/service-id';
export {
  EVENT_KINDS,
  isEventKind,
  SENDER_SDK_VERSION,
  makeQuestionAttributes,
  makeResponseAttributes,
  encodeAttributes,
  decodeAttributes,
  decodeEvent,
  serialiseEventData,
  parseEventData,
  makeQuestionEvent,
  makeDeliveryAcknowledgementEvent,
  makeHeartbeatEvent,
  makeMonitorMessageEvent,
  makeResultEvent,
  toRecordedEvent,
  toPythonLogRecord,
  fromPythonLogRecord,
  makeLogRecordEvent,
  errorToExceptionEvent,
  exceptionEventToError,
  SERVICE_COMMUNICATION_SCHEMA_ID,
  isValidEvent,
  validateEvent,
} from './core/events';
export type {
  EventKind,
  SenderType,
  SaveDiagnostics,
  PythonLogRecord,
  QuestionEvent,
  DeliveryAcknowledgementEvent,
  HeartbeatEvent,
  MonitorMessageEvent,
  LogRecordEvent,
  ExceptionEvent,
  ResultEvent,
  ServiceEvent,
  EventOfKind,
  BaseEventAttributes,
  QuestionAttributes,
  ResponseAttributes,
  EventAttributes,
  RecordedEvent,
  QuestionAttributesParams,
  QuestionContent,
  ResultContent,
  LogLevel,
  LogEntry,
  ErrorClass,
  ExceptionDecodingOptions,
} from './core/events';
export {
  formatAttributeFilter,
  matchesAttributeFilter,
  messageSizeBytes,
  assertPublishable,
  parseAttributeFilter,
  MAX_MESSAGE_BYTES,
} from './core/ports/transport';
export type {
  Transport,
  OutgoingMessage,
  ReceivedMessage,
  MessageHandler,
  SubscribeOptions,
  AttributeFilter,
  SubscriptionSpec,
  ActiveSubscription,
} from './core/ports/transport';
export {
  validateResourceName,
  resolveServicesTopicName,
  childSubscription,
  answerSubscription,
  sharedAnswerSubscription,
  SERVICES_TOPIC_ENV,
  SERVICES_TOPIC_BASE_NAME,
  DEFAULT_SERVICES_ENVIRONMENT,
  ANSWERS_NAMESPACE,
  ANSWER_SUBSCRIPTION_TTL_SECONDS,
} from './core/topology';
export type { ResolveServicesTopicNameParams, AnswerSubscriptionParams } from './core/topology';
export { InMemoryTransport, InMemoryBroker, defaultInMemoryBroker } from './cloud/memory';
export type { InMemoryTransportOptions, InMemoryBrokerOptions, DuplicateDeliveries } from './cloud/memory';
export { PubSubTransport } from './cloud/pubsub';
export type { PubSubTransportOptions } from './cloud/pubsub';
export {
  Child,
  childFactory,
  DEFAULT_ASK_TIMEOUT_SECONDS,
  DEFAULT_MAXIMUM_HEARTBEAT_INTERVAL_SECONDS,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_ANSWER_SUBSCRIPTION_LINGER_MS,
} from './service/child';
export type {
  SynchronousAskOptions,
  ChildPorts,
  AskMultipleOptions,
  AskResult,
  ChildAskOptions,
  ChildOptions,
  ErrorHandlingOptions,
  ErrorMatcher,
} from './service/child';
export { EventHandler } from './service/event-handler';
export { ChildEmulator, saveRecordedEvents, loadFixtureFromDiagnostics } from './service/child-emulator';
export type { SaveRecordedEventsOptions } from './service/child-emulator';
export { SecretRedactor, REDACTED, MIN_SECRET_LENGTH } from './core/redaction';
export { downloadDiagnostics } from './service';
export type { DownloadDiagnosticsParams, DownloadedDiagnostics } from './service';
export type {
  ChildEmulatorOptions,
  ReplayedAnswer,
  ReplayableEvent,
  DiagnosticsFixture,
  DiagnosticsFixtureOptions,
} from './service/child-emulator';
export { SecretManagerSource } from './cloud/secrets';
export type { SecretManagerSourceOptions } from './cloud/secrets';
export type {
  EventHandlerOptions,
  HandleOutcome,
  MonitorMessageHandler,
  QuestionAnswer,
} from './service/event-handler';
export { SERVICE_OPTIONS, parseOctueYaml, resolveServiceConfiguration, loadServiceConfiguration } from './core/config';
export type {
  ServiceConfiguration,
  ConfigurationNotice,
  ServiceConfigurationOverrides,
  ResolveServiceConfigurationParams,
  ResolvedServiceConfiguration,
  LoadServiceConfigurationParams,
  ServiceRegistry,
} from './core/config';
export {
  Service,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  ObjectStoreClaims,
  InProcessClaims,
  leaseDurationMs,
  LEASE_HEARTBEAT_INTERVALS,
  Runner,
  Analysis,
  loadApp,
  sendStatusText,
  sendEstimatedSecondsRemaining,
  createLogger,
  streamLogSink,
  memoryLogSink,
  serviceIdFromConfiguration,
  serviceFromConfiguration,
} from './service';
export type {
  ServiceOptions,
  AnswerOutcome,
  ServeOptions,
  QuestionClaims,
  QuestionAttempt,
  ClaimDecision,
  ClaimLease,
  ClaimOptions,
  RunnerOptions,
  AnalysisInit,
  FinaliseOptions,
  StrandHashes,
  AppSource,
  AppFunction,
  AppClass,
  AppModule,
  RunnableApp,
  ReturnedOutputs,
  Logger,
  LogSink,
  SkeinLogEntry,
  Clock,
  ServiceFromConfigurationParams,
  ChildQuestion,
  ChildAnswer,
  ChildLike,
  AnalysisChild,
  AnalysisAskMultipleOptions,
  ChildContext,
  ChildFactory,
  SecretSource,
  LocationAllowances,
} from './service';
