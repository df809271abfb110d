import { InvalidInputException } from '../../errors';
import { decodeOctueJson, encodeOctueJson, fromOctuePrimitive } from '../json/octue-json';
import type { StoredObject } from '../ports/object-store';
import { OCTUE_METADATA_PREFIX, normaliseTimestamp } from './resource-values';

/**
 * What Skein knows about a datafile's cloud object, in the shape of Octue's `Datafile._cloud_metadata` (it travels in
 * datafile primitives under that key). `custom_metadata` holds the object's custom metadata decoded from JSON with
 * the `octue__` prefix removed, e.g. `{id, timestamp, tags, labels, sdk_version}`.
 */
export interface CloudMetadataRecord {
  /** Decoded custom metadata, prefix stripped. */
  custom_metadata: Record<string, unknown>;
  /** Base64 CRC32C of the object's bytes. */
  crc32c?: string | null;
  /** Size in bytes. */
  size?: number | null;
  /** When the object was last changed. */
  updated?: Date | null;
  /** When the object was created. */
  time_created?: Date | null;
  /** Always `null` for live objects (kept for Octue's shape). */
  time_deleted?: Date | null;
  /** The object's custom time, if any (kept for Octue's shape). */
  custom_time?: Date | null;
}

/**
 * Encodes metadata for GCS custom metadata exactly as Octue does: each value is written as Octue JSON, so a string
 * keeps its quotes (`"\"1b2…\""`), a label set becomes `{"_type": "set", "items": […]}` and a Date a `datetime` object.
 *
 * @param metadata - Keys and values, e.g. `datafile.metadata()`.
 * @returns String values, ready for `ObjectStore.upload`/`setCustomMetadata`.
 * @throws InvalidInputException when a value cannot be encoded.
 */
export function encodeCloudMetadata(metadata: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, encodeOctueJson(value)]));
}

/**
 * Decodes one custom-metadata value: Octue JSON when it parses, otherwise the raw string (metadata written by other
 * tools need not be JSON).
 *
 * @param value - The stored string.
 * @returns The decoded value.
 */
export function decodeCloudMetadataValue(value: string): unknown {
  try {
    return decodeOctueJson(value);
  } catch {
    return value;
  }
}

/**
 * Decodes an object's custom metadata as Octue reads it: every value decoded if possible, and the `octue__` prefix
 * removed from keys.
 *
 * @param raw - The object's custom metadata as stored.
 * @returns The decoded metadata.
 */
export function decodeCustomMetadata(raw: Readonly<Record<string, string>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [
      key.split(OCTUE_METADATA_PREFIX).join(''),
      decodeCloudMetadataValue(value),
    ]),
  );
}

/**
 * Builds a {@link CloudMetadataRecord} from what the object store reports.
 *
 * @param object - The stored object's metadata.
 * @returns The record.
 */
export function cloudMetadataFromStoredObject(object: StoredObject): CloudMetadataRecord {
  return {
    custom_metadata: decodeCustomMetadata(object.metadata),
    crc32c: object.crc32c,
    size: object.size,
    updated: object.updated ? new Date(object.updated) : null,
    time_created: object.timeCreated ? new Date(object.timeCreated) : null,
    time_deleted: null,
    custom_time: null,
  };
}

/**
 * Reads a `_cloud_metadata` value from a datafile primitive (Octue's shape; `_type` objects and ISO strings are both
 * accepted for the dates).
 *
 * @param value - The value, or `null`/`undefined`/`{}` for none.
 * @returns The record, or `null` when the primitive carried none.
 * @throws InvalidInputException when the value is not an object.
 */
export function readCloudMetadataPrimitive(value: unknown): CloudMetadataRecord | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputException('A datafile primitive\'s "_cloud_metadata" must be an object.');
  }
  const record = fromOctuePrimitive(value) as Record<string, unknown>;
  if (Object.keys(record).length === 0) return null;
  const custom = record.custom_metadata;
  return {
    custom_metadata: custom && typeof custom === 'object' ? (custom as Record<string, unknown>) : {},
    crc32c: typeof record.crc32c === 'string' ? record.crc32c : null,
    size: typeof record.size === 'number' ? record.size : null,
    updated: optionalDate(record.updated),
    time_created: optionalDate(record.time_created),
    time_deleted: optionalDate(record.time_deleted),
    custom_time: optionalDate(record.custom_time),
  };
}

function optionalDate(value: unknown): Date | null {
  try {
    return normaliseTimestamp(value);
  } catch {
    return null;
  }
}
