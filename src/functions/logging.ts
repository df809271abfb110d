import type { LogLevel } from '../core/events';
import { createLogger, formatLogEntry } from '../service';
import type { LogSink, Logger } from '../service';

// Cloud Logging reads one JSON object per stdout line from Cloud Run and takes `severity` and `message` from it.
const SEVERITIES: Readonly<Record<LogLevel, string>> = {
  debug: 'DEBUG',
  info: 'INFO',
  warning: 'WARNING',
  error: 'ERROR',
  critical: 'CRITICAL',
};

/**
 * A sink writing each entry as one JSON line in Cloud Logging's structured form: `severity`, `message` (Octue's line
 * format without the time, which Cloud Logging adds, plus any error's stack) and the logger name and analysis id as
 * labels, so logs of one question can be filtered in the console.
 * @param stream - Where lines go; functions write to `process.stdout`.
 * @returns The sink.
 */
export function cloudLoggingSink(stream: { write(text: string): unknown }): LogSink {
  return (entry) => {
    const line = {
      severity: SEVERITIES[entry.level],
      message: formatLogEntry(entry, { includeTime: false }),
      'logging.googleapis.com/labels': {
        logger: entry.name,
        ...(entry.analysisId === undefined ? {} : { analysis_id: entry.analysisId }),
      },
    };
    stream.write(`${JSON.stringify(line)}\n`);
  };
}

/**
 * The logger a deployed function uses: `info` and above, as structured lines on standard output.
 * @param params - The stream (default `process.stdout`) and the lowest level written (default `info`).
 * @returns The logger, named `skein`.
 */
export function functionLogger(params: { stream?: { write(text: string): unknown }; level?: LogLevel } = {}): Logger {
  const stream = params.stream ?? process.stdout;
  return createLogger({ name: 'skein', sinks: [{ sink: cloudLoggingSink(stream), level: params.level ?? 'info' }] });
}
