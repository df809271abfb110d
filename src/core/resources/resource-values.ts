import { randomUUID } from 'node:crypto';

import { InvalidInputException } from '../../errors';
import { OCTUE_COMPATIBLE_SDK_VERSION } from '../octue-version';
import { parseIsoDatetime } from '../json/octue-json';

/**
 * The `sdk_version` written into resource metadata (`octue__sdk_version`, `.octue` files). Python peers only read it
 * for information; an Octue release number keeps their version checks quiet.
 */
export const RESOURCE_SDK_VERSION = OCTUE_COMPATIBLE_SDK_VERSION;

/** The hash of no bytes: base64 of CRC32C 0 (Octue's `EMPTY_STRING_HASH_VALUE`). */
export const EMPTY_STRING_HASH_VALUE = 'AAAAAA==';

/** The name of local (and cloud dataset) metadata files. */
export const METADATA_FILENAME = '.octue';

/** The prefix of Octue's keys in GCS custom metadata (`octue__id`, `octue__tags`, …). */
export const OCTUE_METADATA_PREFIX = 'octue__';

/** What a timestamp can be given as: a Date, POSIX seconds, an ISO 8601 string, or an Octue `datetime` object. */
export type TimestampInput = Date | number | string | { readonly _type: 'datetime'; readonly value: string } | null;

/**
 * Checks and normalises a resource id as Octue's `Identifiable` does: a missing id becomes a new UUID v4; a given one
 * must be a UUID (hyphens, braces, a `urn:uuid:` prefix and upper case are accepted) and is returned in canonical
 * lowercase form.
 *
 * @param id - The id, or `null`/`undefined` for a new one.
 * @returns The canonical UUID.
 * @throws InvalidInputException when `id` is not a UUID.
 */
export function normaliseId(id: unknown): string {
  if (id === null || id === undefined) return randomUUID();
  if (typeof id !== 'string') {
    throw new InvalidInputException(`Value of id '${String(id)}' must be a valid uuid string or null.`);
  }
  const hex = id
    .trim()
    .replace(/^urn:uuid:/i, '')
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/-/g, '')
    .toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) {
    throw new InvalidInputException(`Value of id '${id}' is not a valid uuid string.`);
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Normalises a timestamp as Octue's `Datafile.timestamp` setter does: a Date is kept, a number is POSIX seconds,
 * `null` means none. ISO strings and Octue `{"_type": "datetime"}` objects are also read, so primitives written by
 * plain `JSON.stringify` or not yet decoded still load.
 *
 * @param value - The timestamp.
 * @returns A Date, or `null`.
 * @throws InvalidInputException for any other value, or an unparseable string.
 */
export function normaliseTimestamp(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidInputException('The timestamp is an invalid Date.');
    return value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000);
  if (typeof value === 'string') return parseIsoDatetime(value);
  if (typeof value === 'object' && (value as { _type?: unknown })._type === 'datetime') {
    const text = (value as { value?: unknown }).value;
    if (typeof text === 'string') return parseIsoDatetime(text);
  }
  throw new InvalidInputException(
    `timestamp should be a Date, POSIX seconds, an ISO 8601 string or null; received ${JSON.stringify(value)}.`,
  );
}

/**
 * Shapes resource metadata as Octue's `metadata()` does: `id` and `sdk_version` dropped on request, and every key
 * prefixed with `octue__` unless `useOctueNamespace` is false.
 *
 * @param metadata - The full metadata.
 * @param options - What to include and whether to prefix.
 * @returns A new object.
 */
export function shapeMetadata(
  metadata: Readonly<Record<string, unknown>>,
  options: { includeId?: boolean; includeSdkVersion?: boolean; useOctueNamespace?: boolean },
): Record<string, unknown> {
  const prefix = options.useOctueNamespace === false ? '' : OCTUE_METADATA_PREFIX;
  return Object.fromEntries(
    Object.entries(metadata)
      .filter(([key]) => !(key === 'id' && options.includeId === false))
      .filter(([key]) => !(key === 'sdk_version' && options.includeSdkVersion === false))
      .map(([key, value]) => [prefix + key, value]),
  );
}
