export {
  EVENT_KINDS,
  isEventKind,
  SENDER_TYPES,
  isSenderType,
  SAVE_DIAGNOSTICS_MODES,
  isSaveDiagnostics,
} from './kinds';
export type { EventKind, SenderType, SaveDiagnostics } from './kinds';
export type {
  ManifestPrimitive,
  ChildPrimitive,
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
} from './types';
export {
  SENDER_SDK_VERSION,
  DEFAULT_SAVE_DIAGNOSTICS,
  makeQuestionAttributes,
  makeResponseAttributes,
  refreshAttributes,
  toMinimalAttributes,
} from './attributes';
export type { AttributeSources, QuestionAttributesParams } from './attributes';
export {
  EXTENSION_ATTRIBUTE_PREFIX,
  MAX_EXTENSION_ATTRIBUTES,
  MAX_ATTRIBUTE_VALUE_BYTES,
  checkExtensionAttributes,
  pickExtensionAttributes,
} from './extension-attributes';
export { formatEventDatetime, normaliseEventDatetime, hasNormalEventDatetimeForm } from './datetime';
export {
  ATTRIBUTE_NAMES,
  encodeAttributes,
  decodeAttributes,
  decodeEvent,
  serialiseEventData,
  parseEventData,
} from './wire';
export {
  makeQuestionEvent,
  makeDeliveryAcknowledgementEvent,
  makeHeartbeatEvent,
  makeMonitorMessageEvent,
  makeResultEvent,
  toRecordedEvent,
} from './build';
export type { QuestionContent, ResultContent } from './build';
export {
  LOG_LEVELS,
  LOG_LEVEL_NUMBERS,
  toPythonLogRecord,
  fromPythonLogRecord,
  makeLogRecordEvent,
} from './log-record';
export type { LogLevel, LogEntry } from './log-record';
export {
  pythonTypeName,
  errorToExceptionEvent,
  exceptionEventToError,
  remoteExceptionClass,
  formatExceptionText,
} from './exception-codec';
export type { ErrorClass, ExceptionDecodingOptions } from './exception-codec';
export { parseStackFrames, formatTraceback } from './traceback';
export type { StackFrame } from './traceback';
export {
  SERVICE_COMMUNICATION_SCHEMA_ID,
  SERVICE_COMMUNICATION_SCHEMA,
  findEventFailures,
  isValidEvent,
  validateEvent,
  validateAttributes,
} from './validate-event';
