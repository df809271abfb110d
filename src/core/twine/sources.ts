import { readFileSync } from 'node:fs';

import { InvalidManifestJson, InvalidTwineJson, InvalidValuesJson, TwineFileNotFound } from '../../errors';
import { isManifestStrand } from './strands';
import type { StrandName } from './strands';

/** What a JSON source holds: the twine itself or one strand's data. */
export type SourceKind = StrandName | 'twine';

/**
 * Where data for a twine or strand can come from: an already-parsed value, a JSON string, or the path of a file whose
 * name ends in `.json` (as in Octue, a string is a path exactly when it ends in `.json`).
 */
export type JsonSource = unknown;

function invalidJson(kind: SourceKind, message: string, cause?: unknown): Error {
  const context = { strand: kind, cause };
  if (kind === 'twine') {
    return new InvalidTwineJson(message, context);
  }
  return isManifestStrand(kind) ? new InvalidManifestJson(message, context) : new InvalidValuesJson(message, context);
}

// V8 reports an offset ("at position 12"); a line and column are what an editor needs.
function withLineAndColumn(message: string, text: string): string {
  const match = /at position (\d+)/.exec(message);
  if (match === null) {
    return message;
  }
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

/**
 * Parses JSON text for a twine or strand.
 * @param text - The JSON text.
 * @param kind - What the text holds, which picks the error class.
 * @param origin - Where the text came from, for the message (`JSON string` or e.g. `file 'twine.json'`).
 * @returns The parsed value.
 * @throws InvalidTwineJson, InvalidManifestJson or InvalidValuesJson (by `kind`) when the text is not JSON.
 */
export function parseJsonText(text: string, kind: SourceKind, origin = 'JSON string'): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = withLineAndColumn((error as Error).message, text);
    throw invalidJson(kind, `The ${origin} given for the ${kind} is not valid JSON: ${reason}.`, error);
  }
}

/**
 * Reads and parses a JSON file for a twine or strand, whatever its name.
 * @param path - The file's path.
 * @param kind - What the file holds.
 * @returns The parsed value.
 * @throws TwineFileNotFound (with `path` and `strand`) when the file does not exist or cannot be read.
 * @throws InvalidTwineJson, InvalidManifestJson or InvalidValuesJson when it is not JSON.
 */
export function readJsonFile(path: string, kind: SourceKind): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : `cannot be read (${code ?? 'unknown error'})`;
    throw new TwineFileNotFound(`The ${kind} file '${path}' ${reason}.`, { path, strand: kind, cause: error });
  }
  return parseJsonText(text, kind, `file '${path}'`);
}

/**
 * Loads a twine or strand from any {@link JsonSource}: a string ending in `.json` is read as a file, any other
 * string is parsed as JSON, and any other value is returned as it is.
 * @param source - The source.
 * @param kind - What the source holds.
 * @returns The loaded value.
 * @throws InvalidTwineJson, InvalidManifestJson or InvalidValuesJson when the source is missing (`undefined` or
 *   `null`) or is not JSON.
 * @throws TwineFileNotFound when a `.json` path does not exist or cannot be read.
 */
export function loadJsonSource(source: JsonSource, kind: SourceKind): unknown {
  if (source === undefined || source === null) {
    throw invalidJson(kind, `Cannot load the ${kind}: no data source was given.`);
  }
  if (typeof source !== 'string') {
    return source;
  }
  return source.endsWith('.json') ? readJsonFile(source, kind) : parseJsonText(source, kind);
}
