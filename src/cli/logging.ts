import { Option } from 'commander';
import type { Command } from 'commander';

import type { LogLevel } from '../core/events';
import { createLogger, formatLogEntry } from '../service/logging';
import type { LogSink, Logger } from '../service/logging';
import type { CliContext } from './context';
import { summaryOf } from './errors';

/** The levels `--log-level` accepts, as Octue's CLI. */
export const CLI_LOG_LEVELS = ['debug', 'info', 'warning', 'error'] as const;

/**
 * The global `--log-level` option (default `info`).
 * @returns The option.
 */
export function logLevelOption(): Option {
  return new Option('--log-level <level>', 'the lowest level of log messages written to standard error')
    .choices(CLI_LOG_LEVELS)
    .default('info');
}

// Errors attached to log entries are shown as one line; their stacks only with --debug, as for the CLI's own errors.
function cliSink(context: CliContext, debug: boolean): LogSink {
  return (entry) => {
    if (debug || !(entry.error instanceof Error)) {
      context.io.err(`${formatLogEntry(entry)}\n`);
      return;
    }
    const { error, ...rest } = entry;
    context.io.err(`${formatLogEntry(rest)} (${error.name}: ${summaryOf(error)})\n`);
  };
}

/**
 * The logger of a command: messages from Skein, the app and re-emitted child logs go to standard error as Octue
 * formats them, so standard output stays free for results. The level and `--debug` are the global options.
 * @param context - The CLI context.
 * @param command - The command being run (for the global options).
 * @returns The logger.
 */
export function cliLogger(context: CliContext, command: Command): Logger {
  const globals = command.optsWithGlobals<{ logLevel?: string; debug?: boolean }>();
  const level = (globals.logLevel ?? 'info') as LogLevel;
  return createLogger({ name: 'skein', sinks: [{ sink: cliSink(context, globals.debug === true), level }] });
}
