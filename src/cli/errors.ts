import { CommanderError } from 'commander';

import { ServiceConfigurationNotFound, SkeinError, SkeinValidationError, TwineFileNotFound } from '../errors';
import { EXIT_CODES } from './context';

/**
 * The exit code for an error that reached the top of the CLI.
 * @param error - What was thrown.
 * @returns 2 for unusable arguments (Commander's parse errors, named files that cannot be read: twines, strand files,
 *   the service configuration), otherwise 1.
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  if (error instanceof TwineFileNotFound || error instanceof ServiceConfigurationNotFound) {
    return EXIT_CODES.usage;
  }
  return EXIT_CODES.failed;
}

/**
 * The first line of an error's message: Skein validation errors append their failures on further lines.
 * @param error - Any error.
 * @returns The summary line.
 */
export function summaryOf(error: Error): string {
  return error.message.split('\n')[0] ?? error.message;
}

function causeChain(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth += 1) {
    lines.push(current instanceof Error ? (current.stack ?? String(current)) : JSON.stringify(current, null, 2));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) {
      lines.push('Caused by:');
    }
  }
  return lines.join('\n');
}

/**
 * Describes an error for standard error: one line (plus one line per validation failure), or the stack and causes
 * with `--debug`.
 * @param error - What was thrown.
 * @param debug - Whether to include stack traces.
 * @returns The text to print, ending in a newline.
 */
export function describeError(error: unknown, debug: boolean): string {
  if (debug) {
    return `skein: ${causeChain(error)}\n`;
  }
  if (!(error instanceof Error)) {
    return `skein: unexpected error: ${String(error)}\n`;
  }
  const label = error instanceof SkeinError ? error.name : `unexpected ${error.name}`;
  const failures =
    error instanceof SkeinValidationError
      ? error.failures.map((f) => `  ${f.pointer === '' ? '(root)' : f.pointer}: ${f.message}\n`).join('')
      : '';
  const hint = error instanceof SkeinError ? '' : ' (run with --debug for the stack trace)';
  return `skein: error: ${label}: ${summaryOf(error)}${hint}\n${failures}`;
}
