export { SkeinError, SkeinValidationError, describeFailures } from './base';
export type { ValidationFailure, ValidationContext } from './base';
export {
  TwineException,
  TwineValueException,
  TwineTypeException,
  TwineVersionConflict,
  InvalidTwine,
  InvalidTwineJson,
  InvalidTwineContents,
  UnknownStrand,
  StrandNotFound,
  CredentialNotFound,
  TwineFileNotFound,
  InvalidSourceKindException,
  InvalidValues,
  InvalidValuesJson,
  InvalidValuesContents,
  InvalidManifest,
  InvalidManifestJson,
  InvalidManifestType,
  InvalidManifestContents,
  InvalidMonitorMessage,
  NotImplementedYet,
} from './twine';
export {
  InvalidInputException,
  FileNotFoundException,
  FolderNotFoundException,
  ManifestNotFoundException,
  InvalidManifestException,
  InvalidTagException,
  InvalidLabelException,
  UnexpectedNumberOfResultsException,
  BrokenSequenceException,
  InvalidFilterException,
  InvalidFilterAction,
  InvalidFilterValue,
  FilterAttributeNotFound,
  AttributeConflict,
  CloudLocationNotSpecified,
  ReadOnlyResource,
  FileLocationError,
  ResourceLocationNotAllowed,
  LocalPathNotAllowed,
  UrlHostNotAllowed,
  BucketNotAllowed,
} from './resources';
export {
  StorageError,
  ObjectNotFound,
  CloudStorageBucketNotFound,
  PreconditionFailed,
  ChecksumMismatch,
  IncompleteUpload,
  InvalidCloudPath,
  UrlSigningFailed,
  StorageRequestFailed,
} from './storage';
export type { StorageErrorContext } from './storage';
export { InvalidSchema } from './json-schema';
export {
  ServiceIdentityError,
  InvalidServiceID,
  ServiceNotFound,
  MissingServiceID,
  ServiceAlreadyExists,
  BackendNotFound,
  NotAPullSubscription,
  InvalidEvent,
  InvalidQuestion,
  QuestionTimeout,
  RemoteException,
  AppNotFound,
  InvalidApp,
  SecretAccessError,
  RedeliveryRequested,
  ClaimUnreadable,
} from './service';
export type { ServiceErrorContext, RemoteExceptionContext, SecretAccessErrorContext } from './service';
export {
  TransportError,
  MessageTooLarge,
  EmptyMessage,
  SubscriptionAlreadyExists,
  TopicNotFound,
  SubscriptionNotFound,
  InvalidResourceName,
  SubscriptionLost,
  PublishFailed,
} from './transport';
export { InvalidServiceConfiguration, ServiceConfigurationNotFound } from './config';
export { InvalidRecording, RecordingNotFound, RecordingNotSaved } from './recording';
export {
  DeployError,
  InvalidDeploySetting,
  InvalidDeployProject,
  InvalidDeployRegion,
  DeploySourceError,
  DeployRequestFailed,
  DeployResourceConflict,
} from './deploy';
export type { DeployRequestContext } from './deploy';
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
} from './federation';
export {
  StreamingError,
  ChunkTooLarge,
  InvalidStreamObject,
  InvalidStreamingOption,
  StreamingFeatureUnavailable,
  StreamerShutDown,
} from './streaming';
export type { StreamingErrorContext } from './streaming';
export { HubError, HubStoreError, HubMigrationFailed, HubRequestError, HubEntityNotFound } from './hub';
export type { HubIssue, HubStoreErrorContext, HubRequestErrorContext } from './hub';
