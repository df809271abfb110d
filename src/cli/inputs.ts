import { InvalidArgumentError } from 'commander';

import { loadJsonSource } from '../core/twine';
import type { StrandName } from '../core/twine';

/**
 * Reads the data a command option gives for a strand: JSON text, or the path of a file whose name ends in `.json`
 * (the rule twines use for every JSON source, and what Octue's CLI takes: JSON strings).
 * @param source - The option's value; `undefined` when the option was not given.
 * @param strand - The strand the data is for (it picks the error class).
 * @returns The data, or `undefined` when no option was given.
 * @throws TwineFileNotFound when a `.json` file does not exist or cannot be read (exit code 2);
 *   InvalidValuesJson / InvalidManifestJson when the text is not JSON (exit code 1).
 */
export function readStrandOption(source: string | undefined, strand: StrandName): unknown {
  return source === undefined ? undefined : loadJsonSource(source, strand);
}

/**
 * Commander argument parser for options holding a JSON object on the command line (such as question attributes).
 * @param value - The option's text.
 * @returns The parsed object.
 * @throws InvalidArgumentError (a usage error, exit code 2) when the text is not a JSON object.
 */
export function parseJsonObjectArgument(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new InvalidArgumentError(`It is not valid JSON (${(error as Error).message}); give a JSON object.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError('Give a JSON object, e.g. \'{"question_uuid": "…"}\'.');
  }
  return parsed as Record<string, unknown>;
}

/**
 * Commander argument parser for a positive number of seconds.
 * @param value - The option's text.
 * @returns The number.
 * @throws InvalidArgumentError (exit code 2) when it is not a positive number.
 */
export function parseSecondsArgument(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('Give a positive number of seconds, e.g. 60.');
  }
  return seconds;
}

/**
 * Commander argument parser for a small count (clusters, rounds).
 * @param value - The option's text.
 * @returns The count.
 * @throws InvalidArgumentError (exit code 2) when it is not a whole number from 1 to 100.
 */
export function parseCountArgument(value: string): number {
  const count = Number(value);
  if (value.trim() === '' || !Number.isInteger(count) || count < 1 || count > 100) {
    throw new InvalidArgumentError(`'${value}' is not a whole number from 1 to 100.`);
  }
  return count;
}

/**
 * Commander argument parser for a TCP port (0 picks a free one).
 * @param value - The option's text.
 * @returns The port.
 * @throws InvalidArgumentError (exit code 2) when it is not a whole number from 0 to 65535.
 */
export function parsePortArgument(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new InvalidArgumentError('Give a port number from 0 to 65535 (0 picks a free port).');
  }
  return port;
}
