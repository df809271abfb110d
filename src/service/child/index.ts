/**
 * Asking child services questions: the Child (Octue's `Child`), its options and results, and the child factory a
 * Runner uses.
 * @module
 */
export { Child } from './child';
export type { SynchronousAskOptions } from './child';
export { answerAllowances, childFactory } from './factory';
export type { ChildPorts } from './factory';
export { DEFAULT_ASK_TIMEOUT_SECONDS, DEFAULT_MAXIMUM_HEARTBEAT_INTERVAL_SECONDS } from './ask-options';
export { DEFAULT_MAX_CONCURRENCY } from './ask-multiple';
export { DEFAULT_ANSWER_SUBSCRIPTION_LINGER_MS } from './answer-router';
export { matchesAnyError } from './retries';
export type {
  AskMultipleOptions,
  AskResult,
  ChildAskOptions,
  ChildOptions,
  ErrorHandlingOptions,
  ErrorMatcher,
  WaitForAnswerOptions,
} from './types';
