/**
 * The event handler shared by a waiting Child and by replays of recorded events: it validates, records and
 * dispatches one question's events, re-emitting child logs with their service labels.
 * @module
 */
export { EventHandler } from './event-handler';
export type { EventHandlerOptions, HandleOutcome, MonitorMessageHandler, QuestionAnswer, SkipReason } from './types';
export { LOG_LABEL_PALETTE, relabelLogMessage, reemitLogEntry, splitLogLabels } from './log-relay';
export type { RelabelOptions } from './log-relay';
