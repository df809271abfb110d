import { promises as fs } from 'node:fs';
import path from 'node:path';

import { FileNotFoundException, InvalidInputException } from '../../errors';
import { isCloudPath } from '../gs-path';
import type { StoredObject } from '../ports/object-store';
import type { CloudMetadataRecord } from './cloud-metadata';
import { cloudMetadataFromStoredObject, readCloudMetadataPrimitive } from './cloud-metadata';
import type { DatafileInit, DatafileLoadOptions, DatafilePrimitive } from './datafile-types';
import type { LabelsInput } from './labels';
import type { LocalMetadataCache } from './local-metadata';
import { localMetadataPath, readLocalMetadataFile } from './local-metadata';
import { isUrl } from './paths';
import type { TimestampInput } from './resource-values';
import { getObjectOrNull, requireStore } from './store-access';
import type { TagsInput } from './tags';
import { readUrlMetadata } from './url-access';

/** The metadata names a datafile takes from its stored metadata (Octue's `_METADATA_ATTRIBUTES`). */
const STORED_METADATA_NAMES = ['id', 'timestamp', 'tags', 'labels'] as const;

/**
 * Builds the init of a local datafile, reading its entry in the `.octue` file of its directory.
 *
 * @param filePath - The file's path.
 * @param options - Load options; `cache` shares `.octue` reads between the files of one dataset.
 * @returns The init for `new Datafile(...)`.
 * @throws FileNotFoundException when the file does not exist (unless `allowMissing`) or is a directory.
 */
export async function loadLocalDatafileInit(
  filePath: string,
  options: DatafileLoadOptions,
  cache?: LocalMetadataCache,
): Promise<DatafileInit> {
  // Checked per file, so a symlink inside an allowed dataset directory cannot point outside the allowed roots.
  await options.locationPolicy?.check(filePath);
  const absolute = path.resolve(filePath);
  const stats = await fs.stat(absolute).catch(() => null);
  if (stats === null && !options.allowMissing) {
    throw new FileNotFoundException(`No file exists at '${absolute}'.`, { path: absolute });
  }
  if (stats?.isDirectory()) {
    throw new FileNotFoundException(`'${absolute}' is a directory, not a file.`, { path: absolute });
  }
  const init = baseInit(absolute, options);
  if (options.ignoreStoredMetadata) return init;
  const directory = path.dirname(absolute);
  const records = await (cache ? cache.read(directory) : readLocalMetadataFile(localMetadataPath(directory)));
  const name = options.name ?? path.basename(absolute);
  // An own record only: a file named `constructor` or `__proto__` must not find Object.prototype's members.
  const datafiles = records.datafiles ?? {};
  return withStoredMetadata(init, Object.hasOwn(datafiles, name) ? datafiles[name] : undefined);
}

/**
 * Builds the init of a cloud datafile from the object's metadata, read through the store.
 *
 * @param cloudPath - `gs://bucket/name`.
 * @param options - Load options (`store` is required).
 * @returns The init.
 * @throws FileNotFoundException when the object does not exist (unless `allowMissing`).
 */
export async function loadCloudDatafileInit(cloudPath: string, options: DatafileLoadOptions): Promise<DatafileInit> {
  await options.locationPolicy?.check(cloudPath);
  const store = requireStore(options.store, cloudPath);
  const object = await getObjectOrNull(store, cloudPath);
  if (object === null) {
    if (!options.allowMissing) {
      throw new FileNotFoundException(`No cloud object exists at '${cloudPath}'.`, { path: cloudPath });
    }
    return { ...baseInit(cloudPath, options), store };
  }
  return cloudDatafileInitFromObject(cloudPath, object, { ...options, store });
}

/**
 * Builds the init of a cloud datafile from an object the store already described (e.g. in a listing), so loading a
 * dataset needs no request per file.
 *
 * @param cloudPath - The object's `gs://` path.
 * @param object - Its metadata.
 * @param options - Load options.
 * @returns The init.
 */
export function cloudDatafileInitFromObject(
  cloudPath: string,
  object: StoredObject,
  options: DatafileLoadOptions,
): DatafileInit {
  return withCloudMetadata(baseInit(cloudPath, options), cloudMetadataFromStoredObject(object), options);
}

/**
 * Builds the init of a datafile at a URL from what the URL exposes (see `readUrlMetadata`).
 *
 * @param url - An `http(s)://` or `file://` URL.
 * @param options - Load options.
 * @returns The init.
 * @throws FileNotFoundException when the URL cannot be reached (unless `allowMissing`).
 */
export async function loadUrlDatafileInit(url: string, options: DatafileLoadOptions): Promise<DatafileInit> {
  await options.locationPolicy?.check(url);
  let metadata: CloudMetadataRecord;
  try {
    metadata = await readUrlMetadata(url, options);
  } catch (error) {
    if (options.allowMissing && error instanceof FileNotFoundException) return baseInit(url, options);
    throw error;
  }
  return withCloudMetadata(baseInit(url, options), metadata, options);
}

/**
 * Builds a datafile init from a local path, `gs://` path or URL.
 *
 * @param location - Where the file is.
 * @param options - Load options.
 * @returns The init.
 */
export function loadDatafileInit(location: string, options: DatafileLoadOptions): Promise<DatafileInit> {
  if (isUrl(location)) return loadUrlDatafileInit(location, options);
  if (isCloudPath(location)) return loadCloudDatafileInit(location, options);
  return loadLocalDatafileInit(location, options);
}

/**
 * Reads a datafile primitive (Octue's `to_primitive()` output, decoded or not) into an init, without I/O.
 *
 * @param primitive - An object with `path` (or `local_path`/`cloud_path`) and optionally the other primitive keys.
 * @returns The init.
 * @throws InvalidInputException when the primitive is not an object or has no path.
 */
export function datafileInitFromPrimitive(primitive: unknown): DatafileInit {
  if (primitive === null || typeof primitive !== 'object' || Array.isArray(primitive)) {
    throw new InvalidInputException('A datafile primitive must be an object with a "path".');
  }
  const p = primitive as Partial<Record<keyof DatafilePrimitive, unknown>>;
  const localPath = typeof p.local_path === 'string' ? p.local_path : null;
  const cloudPath = typeof p.cloud_path === 'string' ? p.cloud_path : null;
  const location = typeof p.path === 'string' ? p.path : (localPath ?? cloudPath);
  if (!location) throw new InvalidInputException('A datafile primitive must have a "path".');
  return {
    path: location,
    localPath,
    cloudPath,
    id: p.id as string | null | undefined,
    name: typeof p.name === 'string' ? p.name : null,
    timestamp: p.timestamp as TimestampInput,
    tags: p.tags as TagsInput,
    labels: p.labels as LabelsInput,
    cloudMetadata: readCloudMetadataPrimitive(p._cloud_metadata),
  };
}

function baseInit(location: string, options: DatafileLoadOptions): DatafileInit {
  return {
    path: location,
    id: options.id,
    name: options.name,
    timestamp: options.timestamp,
    tags: options.tags,
    labels: options.labels,
    store: options.store,
  };
}

function withCloudMetadata(
  init: DatafileInit,
  metadata: CloudMetadataRecord,
  options: DatafileLoadOptions,
): DatafileInit {
  const withRecord = { ...init, cloudMetadata: metadata };
  return options.ignoreStoredMetadata ? withRecord : withStoredMetadata(withRecord, metadata.custom_metadata);
}

/** Stored values win: each of id, timestamp, tags and labels that is stored replaces the one given. */
function withStoredMetadata(init: DatafileInit, stored: Record<string, unknown> | undefined): DatafileInit {
  if (!stored || Object.keys(stored).length === 0) return init;
  const result: { -readonly [K in keyof DatafileInit]: DatafileInit[K] } = { ...init };
  for (const name of STORED_METADATA_NAMES) {
    if (!(name in stored)) continue;
    const value = stored[name];
    if (name === 'id') result.id = value as string | null;
    else if (name === 'timestamp') result.timestamp = value as TimestampInput;
    else if (name === 'tags') result.tags = value as TagsInput;
    else result.labels = value as LabelsInput;
  }
  return result;
}
