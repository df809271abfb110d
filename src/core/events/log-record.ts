import { format, stripVTControlCharacters } from 'node:util';

import { InvalidEvent } from '../../errors';
import { formatExceptionText } from './exception-codec';
import type { LogRecordEvent, PythonLogRecord } from './types';

/** Log levels, from least to most severe, with Python's names and numbers. */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Python's number for each level (`logging.DEBUG` … `logging.CRITICAL`). */
export const LOG_LEVEL_NUMBERS: Readonly<Record<LogLevel, number>> = {
  debug: 10,
  info: 20,
  warning: 30,
  error: 40,
  critical: 50,
};

/** A log entry as Skein's logging produces it; the source-location and process fields are optional. */
export interface LogEntry {
  /** Logger name, e.g. `app` or `skein.runner`. */
  readonly name: string;
  /** Severity. */
  readonly level: LogLevel;
  /** The message; `%s`-style placeholders are filled from `args` (Node's `util.format` rules). */
  readonly message: string;
  /** Values for the message's placeholders. */
  readonly args?: readonly unknown[];
  /** When the entry was made. */
  readonly time: Date;
  /** Exact level number, for levels between the named ones (e.g. 25); defaults to the level's number. */
  readonly levelno?: number;
  /** Full path of the source file that logged. */
  readonly pathname?: string;
  /** Line number in `pathname`. */
  readonly lineno?: number;
  /** Name of the function that logged. */
  readonly funcName?: string;
  /** Milliseconds from the logging system's start; defaults to the time since this process started. */
  readonly relativeCreated?: number;
  /** Thread id; defaults to 0 (Node's main thread). */
  readonly thread?: number;
  /** Thread name; defaults to `MainThread`. */
  readonly threadName?: string;
  /** Process id; defaults to this process's id. */
  readonly process?: number;
  /** Process name; defaults to `MainProcess`. */
  readonly processName?: string;
  /** An error logged with the entry; sent as Python-style traceback text in `exc_text`. */
  readonly error?: unknown;
  /** Already-formatted exception text (as received from a Python peer); takes precedence over `error`. */
  readonly excText?: string;
  /** A formatted stack to send as `stack_info`. */
  readonly stackInfo?: string;
}

const LEVEL_NAMES: ReadonlyMap<number, string> = new Map(
  LOG_LEVELS.map((level) => [LOG_LEVEL_NUMBERS[level], level.toUpperCase()]),
);

// Python names unregistered levels `Level <n>`.
function levelName(levelno: number): string {
  return LEVEL_NAMES.get(levelno) ?? `Level ${levelno}`;
}

function levelOf(levelno: number): LogLevel {
  if (levelno >= 50) return 'critical';
  if (levelno >= 40) return 'error';
  if (levelno >= 30) return 'warning';
  if (levelno >= 20) return 'info';
  return 'debug';
}

function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/**
 * Builds the `log_record` body of a `log_record` event: a dictionary a Python parent turns back into a `LogRecord`
 * with `logging.makeLogRecord` (Octue's `GoogleCloudPubSubHandler` sends the same shape). The message has its
 * arguments filled in and ANSI escape sequences removed; `args` and `exc_info` are `null`.
 * @param entry - The log entry.
 * @returns The Python log record dictionary.
 */
export function toPythonLogRecord(entry: LogEntry): PythonLogRecord {
  const levelno = entry.levelno ?? LOG_LEVEL_NUMBERS[entry.level];
  const message =
    entry.args === undefined || entry.args.length === 0 ? entry.message : format(entry.message, ...entry.args);
  const pathname = entry.pathname ?? '(unknown file)';
  const filename = basename(pathname);
  const millis = entry.time.getTime();
  return {
    name: entry.name,
    msg: stripVTControlCharacters(message),
    args: null,
    levelname: levelName(levelno),
    levelno,
    pathname,
    filename,
    module: filename.includes('.') ? filename.slice(0, filename.lastIndexOf('.')) : filename,
    lineno: entry.lineno ?? 0,
    funcName: entry.funcName ?? '(unknown function)',
    created: millis / 1000,
    msecs: millis % 1000,
    relativeCreated: entry.relativeCreated ?? millis - performance.timeOrigin,
    thread: entry.thread ?? 0,
    threadName: entry.threadName ?? 'MainThread',
    process: entry.process ?? process.pid,
    processName: entry.processName ?? 'MainProcess',
    exc_info: null,
    exc_text: entry.excText ?? (entry.error === undefined ? null : formatExceptionText(entry.error)),
    stack_info: entry.stackInfo ?? null,
  };
}

/**
 * Makes a `log_record` event from a log entry.
 * @param entry - The log entry.
 * @returns The event.
 */
export function makeLogRecordEvent(entry: LogEntry): LogRecordEvent {
  return { kind: 'log_record', log_record: toPythonLogRecord(entry) };
}

function field<T>(record: Record<string, unknown>, key: string, type: 'string' | 'number'): T | undefined {
  const value = record[key];
  return typeof value === type ? (value as T) : undefined;
}

/**
 * Turns a received `log_record` body back into a log entry. The level comes from `levelno` (20 when absent, as in
 * Octue); `msg` is taken as already interpolated.
 * @param record - The received `log_record` value.
 * @returns The log entry; location and process fields are copied when present.
 * @throws InvalidEvent when the record is not an object or its `msg` is not a string.
 */
export function fromPythonLogRecord(record: unknown): LogEntry {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new InvalidEvent('A log_record event must carry its log record as an object.', {
      failures: [{ pointer: '/event/log_record', message: 'must be object', keyword: 'type' }],
      kind: 'log_record',
    });
  }
  const fields = record as Record<string, unknown>;
  const msg = fields.msg ?? '';
  if (typeof msg !== 'string') {
    throw new InvalidEvent('A log record\'s "msg" must be a string (the message with its arguments filled in).', {
      failures: [{ pointer: '/event/log_record/msg', message: 'must be string', keyword: 'type' }],
      kind: 'log_record',
    });
  }
  const levelno = field<number>(fields, 'levelno', 'number') || 20;
  const created = field<number>(fields, 'created', 'number');
  const optional = {
    pathname: field<string>(fields, 'pathname', 'string'),
    lineno: field<number>(fields, 'lineno', 'number'),
    funcName: field<string>(fields, 'funcName', 'string'),
    relativeCreated: field<number>(fields, 'relativeCreated', 'number'),
    thread: field<number>(fields, 'thread', 'number'),
    threadName: field<string>(fields, 'threadName', 'string'),
    process: field<number>(fields, 'process', 'number'),
    processName: field<string>(fields, 'processName', 'string'),
    stackInfo: field<string>(fields, 'stack_info', 'string'),
    excText: field<string>(fields, 'exc_text', 'string'),
  };
  return {
    name: field<string>(fields, 'name', 'string') ?? 'root',
    level: levelOf(levelno),
    levelno,
    message: msg,
    time: created === undefined ? new Date() : new Date(created * 1000),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}
