import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';

import { LOG_LEVEL_NUMBERS } from '../core/events';
import type { LogEntry, LogLevel } from '../core/events';
import { redactLogEntry } from '../core/redaction';
import type { SecretRedactor } from '../core/redaction';

/**
 * Skein's logging: a small logger interface for library code (which never uses `console`), sinks that receive log
 * entries, and an analysis log context. Inside {@link runWithLogContext} every Skein logger also hands its entries to
 * the context's sinks and tags them with the analysis id, which is how a service forwards the logs of one analysis
 * (its own, the runner's and the app's) to the parent as `log_record` events, as Octue attaches its Pub/Sub handler to
 * the root logger during a run. The context follows async calls, so concurrent analyses do not mix their logs. A
 * context may also carry the analysis's secrets: every entry made inside it is redacted before any sink (local or
 * forwarding) sees it.
 */

/** A log entry as sinks receive it: the entry plus the analysis it belongs to, if any. */
export interface SkeinLogEntry extends LogEntry {
  /** The analysis (question uuid) the entry was made during, if any. */
  readonly analysisId?: string;
}

/** Receives log entries; must not throw (failures are swallowed so logging never breaks the caller). */
export type LogSink = (entry: SkeinLogEntry) => void;

/** A sink that only receives entries at or above a level. */
export interface LevelledSink {
  readonly sink: LogSink;
  /** The lowest level passed on; default `debug`. */
  readonly level?: LogLevel;
}

/** The logger library code and apps use. `args` fill `%s`-style placeholders (Node's `util.format` rules). */
export interface Logger {
  /** The logger's name, e.g. `skein.service` or `app`. */
  readonly name: string;
  /** Logs detail for debugging (never forwarded to parents, which get `info` and up). */
  debug(message: string, ...args: unknown[]): void;
  /** Logs progress. */
  info(message: string, ...args: unknown[]): void;
  /** Logs something unexpected that did not stop the work. */
  warning(message: string, ...args: unknown[]): void;
  /** Logs a failure. */
  error(message: string, ...args: unknown[]): void;
  /** Logs at `error` with an error attached (sent as Python-style traceback text when forwarded). */
  exception(message: string, error: unknown, ...args: unknown[]): void;
  /** A logger named `<name>.<suffix>` with the same sinks. */
  child(suffix: string): Logger;
  /** A logger with another name and the same sinks (e.g. `app` for the app's logger). */
  withName(name: string): Logger;
}

interface LogContext {
  readonly analysisId?: string;
  readonly sinks: readonly LevelledSink[];
  readonly redactor?: SecretRedactor;
}

const contextStorage = new AsyncLocalStorage<LogContext>();

function passes(level: LogLevel, minimum: LogLevel | undefined): boolean {
  return LOG_LEVEL_NUMBERS[level] >= LOG_LEVEL_NUMBERS[minimum ?? 'debug'];
}

function deliver(sinks: readonly LevelledSink[], entry: SkeinLogEntry): void {
  for (const { sink, level } of sinks) {
    if (!passes(entry.level, level)) continue;
    try {
      sink(entry);
    } catch {
      // A failing sink must not break the code that logged.
    }
  }
}

function accepts(sinks: readonly LevelledSink[], level: LogLevel): boolean {
  return sinks.some((sink) => passes(level, sink.level));
}

class SkeinLogger implements Logger {
  constructor(
    readonly name: string,
    private readonly sinks: readonly LevelledSink[],
  ) {}

  debug(message: string, ...args: unknown[]): void {
    this.emit('debug', message, args);
  }

  info(message: string, ...args: unknown[]): void {
    this.emit('info', message, args);
  }

  warning(message: string, ...args: unknown[]): void {
    this.emit('warning', message, args);
  }

  error(message: string, ...args: unknown[]): void {
    this.emit('error', message, args);
  }

  exception(message: string, error: unknown, ...args: unknown[]): void {
    this.emit('error', message, args, error);
  }

  child(suffix: string): Logger {
    return new SkeinLogger(`${this.name}.${suffix}`, this.sinks);
  }

  withName(name: string): Logger {
    return new SkeinLogger(name, this.sinks);
  }

  private emit(level: LogLevel, message: string, args: unknown[], error?: unknown): void {
    const context = contextStorage.getStore();
    // Debug lines and loggers without sinks are common on hot paths: skip building an entry nobody takes.
    if (!accepts(this.sinks, level) && (context === undefined || !accepts(context.sinks, level))) return;
    let entry: SkeinLogEntry = {
      name: this.name,
      level,
      message,
      time: new Date(),
      ...(args.length > 0 ? { args } : {}),
      ...(error === undefined ? {} : { error }),
      ...(context?.analysisId === undefined ? {} : { analysisId: context.analysisId }),
    };
    // Before any sink: the service's own sinks (stderr, Cloud Logging) must not see secrets any more than the parent.
    const redactor = context?.redactor;
    if (redactor !== undefined && !redactor.empty) entry = redactLogEntry(entry, redactor);
    deliver(this.sinks, entry);
    if (context !== undefined) deliver(context.sinks, entry);
  }
}

/**
 * Makes a logger.
 * @param params - Its name (default `skein`) and sinks (default none: entries only reach context sinks).
 * @returns The logger.
 */
export function createLogger(params: { name?: string; sinks?: readonly LevelledSink[] } = {}): Logger {
  return new SkeinLogger(params.name ?? 'skein', params.sinks ?? []);
}

/**
 * Runs `fn` in an analysis log context: every Skein logger used inside it (and in the async work it starts) also
 * delivers to `sinks` and tags entries with `analysisId`, and entries are redacted with `redactor` first. Contexts
 * nest: an inner context keeps the outer sinks, and the outer redactor unless it names its own.
 * @param context - The analysis id, the extra sinks and the analysis's secrets.
 * @param fn - The work to run.
 * @returns What `fn` returns.
 */
export function runWithLogContext<T>(
  context: { analysisId?: string; sinks?: readonly LevelledSink[]; redactor?: SecretRedactor },
  fn: () => T,
): T {
  const outer = contextStorage.getStore();
  return contextStorage.run(
    {
      analysisId: context.analysisId ?? outer?.analysisId,
      sinks: [...(outer?.sinks ?? []), ...(context.sinks ?? [])],
      redactor: context.redactor ?? outer?.redactor,
    },
    fn,
  );
}

/**
 * The secrets of the analysis running in this async context (see {@link runWithLogContext}), e.g. for redacting a
 * recording an app saves.
 * @returns The context's redactor, if any.
 */
export function activeRedactor(): SecretRedactor | undefined {
  return contextStorage.getStore()?.redactor;
}

/**
 * Runs `fn` outside any analysis log context, so what it logs is not forwarded (used when reporting a failure to
 * forward a log record, which would otherwise loop). The context's secrets are still redacted from what it logs.
 * @param fn - The work to run.
 * @returns What `fn` returns.
 */
export function runOutsideLogContext<T>(fn: () => T): T {
  const redactor = contextStorage.getStore()?.redactor;
  return redactor === undefined ? contextStorage.exit(fn) : contextStorage.run({ sinks: [], redactor }, fn);
}

/** Options for {@link formatLogEntry}. */
export interface LogFormatOptions {
  /** Include the time (Octue leaves it out on Google compute, whose logging adds its own). Default true. */
  readonly includeTime?: boolean;
}

/**
 * Formats an entry as Octue's log formatter does: `[<time> | <LEVEL> | <logger>] [<analysis id>] <message>`.
 * @param entry - The entry.
 * @param options - Whether to include the time.
 * @returns One line (plus any error's stack on the following lines).
 */
export function formatLogEntry(entry: SkeinLogEntry, options: LogFormatOptions = {}): string {
  const head = [
    ...(options.includeTime === false ? [] : [entry.time.toISOString()]),
    entry.level.toUpperCase(),
    entry.name,
  ].join(' | ');
  const message = entry.args === undefined ? entry.message : format(entry.message, ...entry.args);
  const analysis = entry.analysisId === undefined ? '' : ` [${entry.analysisId}]`;
  const error = entry.error instanceof Error ? `\n${entry.error.stack ?? String(entry.error)}` : '';
  return `[${head}]${analysis} ${message}${error}`;
}

/**
 * A sink writing formatted lines to a stream (entry points pass `process.stderr`).
 * @param stream - Anything with `write(text)`.
 * @param options - Formatting options.
 * @returns The sink.
 */
export function streamLogSink(stream: { write(text: string): unknown }, options: LogFormatOptions = {}): LogSink {
  return (entry) => {
    stream.write(`${formatLogEntry(entry, options)}\n`);
  };
}

/**
 * A sink that keeps entries in an array (for tests and diagnostics).
 * @returns The sink and the array it fills.
 */
export function memoryLogSink(): { sink: LogSink; entries: SkeinLogEntry[] } {
  const entries: SkeinLogEntry[] = [];
  return { sink: (entry) => entries.push(entry), entries };
}
