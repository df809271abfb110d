/**
 * The service runtime: answering questions (Service), running apps (Runner, Analysis), app loading, monitor
 * messages, crash diagnostics, exactly-once claims and logging. Built from ports only; adapters are wired by entry
 * points and tests.
 * @module
 */
export { Service, DEFAULT_HEARTBEAT_INTERVAL_MS } from './service';
export type { ServiceOptions, AnswerOutcome } from './service';
export type { ServeOptions, StreamService } from './serve';
export { DEFAULT_RECOVERY_DELAYS } from './serve-recovery';
export type { SubscriptionRecovery } from './serve-recovery';
export type { EventRoute, RoutedEvent } from './event-routes';
export { parseQuestion, isReceivedMessage } from './question';
export type { QuestionInput, ParsedQuestion } from './question';
export { Responder } from './responder';
export type { ResponderParams } from './responder';
export { InProcessClaims, LEASE_HEARTBEAT_INTERVALS, leaseDurationMs } from './claims';
export { ObjectStoreClaims } from './object-store-claims';
export type { QuestionClaims, QuestionAttempt, ClaimDecision, ClaimLease, ClaimOptions } from './claims';
export { Runner } from './runner';
export type { RunnerOptions, AnalysisExtension, AnalysisExtensionHandle } from './runner';
export { Analysis, hashValues } from './analysis';
export type { AnalysisInit, FinaliseOptions, StrandHashes } from './analysis';
export { hasOutputValues, prepareOutputs } from './outputs';
export { loadApp, findAppModule, isReturnedOutputs, APP_MODULE_NAMES } from './app-loading';
export type { AppSource, AppFunction, AppClass, AppModule, RunnableApp, ReturnedOutputs } from './app-loading';
export { instantiateChildren } from './children';
export type { RecordedQuestion, InstantiateChildrenParams } from './children';
export { resolveCredentials } from './credentials';
export type { MutableEnvironment } from './credentials';
export { Diagnostics } from './diagnostics';
export { LocalFiles, ANALYSIS_TEMPORARY_DIRECTORY_PREFIX } from './local-files';
export { downloadDiagnostics, DIAGNOSTICS_DATA_FILES } from './diagnostics-download';
export type { DownloadDiagnosticsParams, DownloadedDiagnostics, DownloadTracker } from './diagnostics-download';
export { ESSENTIAL_MONITORS_SCHEMA_ID, sendStatusText, sendEstimatedSecondsRemaining } from './essential-monitors';
export type { MonitorMessageTarget, StatusTextMessage, EstimatedSecondsRemainingMessage } from './essential-monitors';
export {
  createLogger,
  runWithLogContext,
  runOutsideLogContext,
  activeRedactor,
  formatLogEntry,
  streamLogSink,
  memoryLogSink,
} from './logging';
export type { Logger, LogSink, LevelledSink, SkeinLogEntry, LogFormatOptions } from './logging';
export { systemClock } from './clock';
export type { Clock, TimerHandle } from './clock';
export { serviceIdFromConfiguration, serviceFromConfiguration } from './configuration';
export { locationPolicyFor } from './location-allowances';
export type { LocationAllowances } from './location-allowances';
export type { ServiceFromConfigurationParams } from './configuration';
export type {
  ChildQuestion,
  ChildAnswer,
  ChildLike,
  AnalysisChild,
  AnalysisAskMultipleOptions,
  ChildContext,
  ChildFactory,
  SecretSource,
  AnalysisOutputs,
  RunParams,
  RunFunction,
  RunnerLike,
} from './types';
