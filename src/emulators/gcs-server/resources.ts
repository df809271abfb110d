import { createHash } from 'node:crypto';

import { setOwnProperty } from '../../core/json/own-property';
import { badRequest } from './api-error';
import type { BucketRecord, ObjectProperties, ObjectRecord } from './types';

/** Default MIME type of objects uploaded without one. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

const OPTIONAL_PROPERTIES = ['contentEncoding', 'contentDisposition', 'contentLanguage', 'cacheControl'] as const;

/**
 * The JSON API object resource for a record.
 *
 * @param record - The stored object.
 * @param baseUrl - The server's URL as the client reached it (for `selfLink`/`mediaLink`).
 * @returns A `storage#object` resource with the string-typed numbers GCS uses.
 */
export function objectResource(record: ObjectRecord, baseUrl: string): Record<string, unknown> {
  const path = `b/${encodeURIComponent(record.bucket)}/o/${encodeURIComponent(record.name)}`;
  const resource: Record<string, unknown> = {
    kind: 'storage#object',
    id: `${record.bucket}/${record.name}/${record.generation}`,
    selfLink: `${baseUrl}/storage/v1/${path}`,
    mediaLink: `${baseUrl}/download/storage/v1/${path}?generation=${record.generation}&alt=media`,
    name: record.name,
    bucket: record.bucket,
    generation: String(record.generation),
    metageneration: String(record.metageneration),
    contentType: record.contentType,
    storageClass: 'STANDARD',
    size: String(record.size),
    md5Hash: record.md5Hash,
    crc32c: record.crc32c,
    etag: objectEtag(record),
    timeCreated: record.timeCreated,
    updated: record.updated,
    timeStorageClassUpdated: record.timeCreated,
  };
  for (const key of OPTIONAL_PROPERTIES) if (record[key] !== undefined) resource[key] = record[key];
  if (record.metadata && Object.keys(record.metadata).length > 0) resource.metadata = { ...record.metadata };
  return resource;
}

/** An ETag that changes with the generation and the metageneration, as GCS's does. */
export function objectEtag(record: ObjectRecord): string {
  return Buffer.from(`${record.generation}/${record.metageneration}`).toString('base64');
}

/**
 * The JSON API bucket resource.
 *
 * @param record - The bucket.
 * @param projectId - The server's project id (its number is derived from it, stably).
 * @param baseUrl - The server's URL as the client reached it.
 * @returns A `storage#bucket` resource.
 */
export function bucketResource(record: BucketRecord, projectId: string, baseUrl: string): Record<string, unknown> {
  return {
    kind: 'storage#bucket',
    id: record.name,
    selfLink: `${baseUrl}/storage/v1/b/${encodeURIComponent(record.name)}`,
    name: record.name,
    projectNumber: projectNumber(projectId),
    metageneration: '1',
    location: record.location,
    locationType: 'region',
    storageClass: record.storageClass,
    etag: 'CAE=',
    timeCreated: record.timeCreated,
    updated: record.timeCreated,
  };
}

/** A stable 12-digit project number for a project id. */
export function projectNumber(projectId: string): string {
  const digest = createHash('sha256').update(projectId).digest();
  return String(100000000000 + (digest.readUInt32BE(0) % 900000000000));
}

/** Just the writable properties of a stored object (what a copy inherits). */
export function propertiesOf(record: ObjectRecord): ObjectProperties {
  const properties: Record<string, unknown> = { contentType: record.contentType };
  for (const key of OPTIONAL_PROPERTIES) if (record[key] !== undefined) properties[key] = record[key];
  if (record.metadata) properties.metadata = { ...record.metadata };
  return properties as unknown as ObjectProperties;
}

/**
 * Reads writable object properties from a JSON body (upload metadata, patch or rewrite body).
 *
 * @param body - The parsed JSON object.
 * @returns Only the properties present in `body`; custom metadata values are stringified, `null` values are kept
 *   (a patch deletes those keys).
 * @throws GcsApiError 400 when a property has the wrong type.
 */
export function readProperties(body: Record<string, unknown>): {
  properties: Partial<Record<keyof ObjectProperties, string | null>>;
  metadata: Record<string, string | null> | undefined;
} {
  const properties: Partial<Record<keyof ObjectProperties, string | null>> = {};
  for (const key of ['contentType', ...OPTIONAL_PROPERTIES] as const) {
    const value = body[key];
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'string') throw badRequest(`Invalid value for ${key}: expected a string.`);
    properties[key] = value;
  }
  let metadata: Record<string, string | null> | undefined;
  const raw = body.metadata;
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw badRequest('Invalid value for metadata: expected an object.');
    metadata = {};
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      if (value !== null && typeof value === 'object') throw badRequest(`Invalid value for metadata.${key}.`);
      setOwnProperty(metadata, key, value === null ? null : String(value));
    }
  }
  return { properties, metadata };
}

/**
 * Builds the properties of a new object: those given (null/empty meaning unset), over a base.
 *
 * @param given - Properties from the request.
 * @param metadata - Custom metadata from the request (null values dropped).
 * @param base - Properties to start from (a copy's source), if any.
 * @returns Complete properties, `contentType` defaulted.
 */
export function newObjectProperties(
  given: Partial<Record<keyof ObjectProperties, string | null>>,
  metadata: Record<string, string | null> | undefined,
  base: ObjectProperties = { contentType: DEFAULT_CONTENT_TYPE },
): ObjectProperties {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(given)) {
    if (value === null || value === '') delete merged[key];
    else merged[key] = value;
  }
  if (metadata !== undefined) {
    merged.metadata = Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== null));
  }
  if (typeof merged.contentType !== 'string') merged.contentType = DEFAULT_CONTENT_TYPE;
  return merged as unknown as ObjectProperties;
}
