import type { Dirent } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';

import { CloudStorageBucketNotFound, FolderNotFoundException, InvalidInputException } from '../../errors';
import { isCloudPath, joinCloudPath } from '../gs-path';
import { decodeOctueJson, fromOctuePrimitive } from '../json/octue-json';
import { Datafile } from './datafile';
import { cloudDatafileInitFromObject, loadLocalDatafileInit } from './datafile-loaders';
import type { DatafileLoadOptions } from './datafile-types';
import type { DatasetFromFilesOptions, DatasetInit, DatasetLoadOptions } from './dataset-types';
import type { LabelsInput } from './labels';
import { LocalMetadataCache, localMetadataPath, readLocalMetadataFile } from './local-metadata';
import { datafilePrimitiveLocations } from './manifest-locations';
import { RESOURCE_CONCURRENCY, SIGNED_METADATA_DIRECTORY, isUrl, mapConcurrently } from './paths';
import { METADATA_FILENAME } from './resource-values';
import { getObjectOrNull, requireStore } from './store-access';
import type { TagsInput } from './tags';
import { readUrlJson } from './url-access';

// The loaders build `DatasetInit`s (never `Dataset`s), so `dataset.ts` can use them without an import cycle.

/** Builds the init of a dataset from a local directory, reading `.octue` metadata. */
export async function loadLocalDatasetInit(directory: string, options: DatasetLoadOptions): Promise<DatasetInit> {
  await options.locationPolicy?.check(directory);
  const absolute = path.resolve(directory);
  const stats = await fs.stat(absolute).catch(() => null);
  if (!stats || !stats.isDirectory()) {
    if (!stats && options.allowMissing) return { ...baseInit(directory, options), files: [] };
    const problem = stats ? 'is not a directory' : 'does not exist';
    throw new FolderNotFoundException(`The dataset directory '${absolute}' ${problem}.`, { path: absolute });
  }
  const cache = new LocalMetadataCache();
  const filePaths = await listLocalFiles(absolute, options.recursive !== false, options.includeOctueMetadataFiles);
  const files = await mapConcurrently(filePaths, RESOURCE_CONCURRENCY, async (filePath) => {
    return new Datafile(await loadLocalDatafileInit(filePath, fileLoadOptions(options), cache));
  });
  const init = { ...baseInit(directory, options), files };
  if (options.ignoreStoredMetadata) return init;
  const stored = (await readLocalMetadataFile(localMetadataPath(absolute))).dataset;
  return withStoredDatasetMetadata(init, stored, options);
}

/** Builds the init of a dataset from a `gs://` prefix: its `.octue` file (honouring a `files` list) or a listing. */
export async function loadCloudDatasetInit(cloudPath: string, options: DatasetLoadOptions): Promise<DatasetInit> {
  await options.locationPolicy?.check(cloudPath);
  const store = requireStore(options.store, cloudPath);
  const withStore = { ...options, store };
  const metadataLocation = joinCloudPath(cloudPath, METADATA_FILENAME);
  let stored: Record<string, unknown> | undefined;
  if (!options.ignoreStoredMetadata && (await getObjectOrNull(store, metadataLocation))) {
    stored = readDatasetRecord(decodeOctueJson((await store.read(metadataLocation)).toString('utf8')), cloudPath);
  }
  // A stored `files` list defines the dataset, so the prefix is only listed without one.
  const hasFileList = Array.isArray(stored?.files) && (stored.files as unknown[]).length > 0;
  const init = {
    ...baseInit(cloudPath, withStore),
    files: hasFileList ? [] : await listCloudFiles(cloudPath, withStore),
  };
  if (!stored && init.files.length === 0 && !options.allowMissing) {
    throw new FolderNotFoundException(`No dataset exists at '${cloudPath}': it has no files and no metadata file.`, {
      path: cloudPath,
    });
  }
  return withStoredDatasetMetadata(init, stored, withStore);
}

/** Builds the init of a dataset from a signed URL to its signed metadata file (or a `file://` URL). */
export async function loadUrlDatasetInit(url: string, options: DatasetLoadOptions): Promise<DatasetInit> {
  await options.locationPolicy?.check(url);
  const document = readDatasetRecord(fromOctuePrimitive(await readUrlJson(url, options)), url);
  const files = await loadFileList(document.files, options);
  const init = { ...baseInit(url, options), files };
  return options.ignoreStoredMetadata
    ? init
    : withStoredDatasetMetadata(init, { ...document, files: undefined }, options);
}

/**
 * Builds the init of a dataset defined by a list of files: `Datafile`s, paths/URLs (loaded with their stored
 * metadata) or datafile primitives.
 */
export async function loadDatasetInitFromFiles(files: unknown, options: DatasetFromFilesOptions): Promise<DatasetInit> {
  if (files === null || typeof files !== 'object' || !(Symbol.iterator in files) || files instanceof Map) {
    throw new InvalidInputException(
      'The files of a dataset must be an iterable of Datafile instances, paths or datafile primitives; received ' +
        `${JSON.stringify(files) ?? typeof files} instead.`,
    );
  }
  const loaded = await loadFileList([...(files as Iterable<unknown>)], options);
  const nonEmpty = loaded.length > 0;
  return { ...baseInit(options.path ?? process.cwd(), options), files: loaded, instantiatedFromFiles: nonEmpty };
}

/** Builds the init of a dataset from a local directory, `gs://` prefix or URL. */
export function loadDatasetInit(location: string, options: DatasetLoadOptions): Promise<DatasetInit> {
  if (isUrl(location)) return loadUrlDatasetInit(location, options);
  if (isCloudPath(location)) return loadCloudDatasetInit(location, options);
  return loadLocalDatasetInit(location, options);
}

/**
 * Builds the init of a dataset from its primitive, a path, or a dict with `path` (and `files`), as Octue's manifests
 * carry them. A non-empty `files` list defines the dataset; otherwise it is loaded from `path`.
 */
export async function loadDatasetInitFromPrimitive(
  primitive: unknown,
  options: DatasetLoadOptions,
): Promise<DatasetInit> {
  if (typeof primitive === 'string') return loadDatasetInit(primitive, options);
  if (primitive === null || typeof primitive !== 'object' || Array.isArray(primitive)) {
    throw new InvalidInputException('A dataset must be given as a path or an object with a "path" (and "files").');
  }
  const record = fromOctuePrimitive(primitive) as Record<string, unknown>;
  if (record.path !== undefined && record.path !== null && typeof record.path !== 'string') {
    throw new InvalidInputException('A dataset\'s "path" must be a string.');
  }
  const merged: DatasetFromFilesOptions = {
    ...options,
    path: (record.path as string | undefined) ?? undefined,
    id: (record.id as string | undefined) ?? options.id,
    name: (record.name as string | undefined) ?? options.name,
    tags: (record.tags as TagsInput | undefined) ?? options.tags,
    labels: (record.labels as LabelsInput | undefined) ?? options.labels,
  };
  if (record.files !== undefined && record.files !== null && !Array.isArray(record.files)) {
    throw new InvalidInputException('A dataset\'s "files" must be a list of paths or datafile primitives.');
  }
  if (Array.isArray(record.files) && record.files.length > 0) return loadDatasetInitFromFiles(record.files, merged);
  return loadDatasetInit(merged.path ?? process.cwd(), merged);
}

function baseInit(location: string, options: DatasetLoadOptions): DatasetInit & { files: Datafile[] } {
  return {
    path: location,
    files: [],
    id: options.id,
    name: options.name,
    tags: options.tags,
    labels: options.labels,
    instantiatedFromFiles: false,
    store: options.store,
  };
}

/** The options a dataset passes on to its files: how to reach them, not the dataset's own metadata. */
function fileLoadOptions(options: DatasetLoadOptions): DatafileLoadOptions {
  return {
    store: options.store,
    fetch: options.fetch,
    ignoreStoredMetadata: options.ignoreStoredMetadata,
    allowMissing: options.allowMissing,
    locationPolicy: options.locationPolicy,
  };
}

async function loadFileList(files: unknown, options: DatasetLoadOptions): Promise<Datafile[]> {
  if (files === undefined || files === null) return [];
  if (!Array.isArray(files)) throw new InvalidInputException('A dataset\'s "files" must be a list.');
  return mapConcurrently(files as unknown[], RESOURCE_CONCURRENCY, async (file) => {
    if (file instanceof Datafile) return file;
    if (typeof file === 'string') return Datafile.load(file, fileLoadOptions(options));
    // A primitive is built without I/O, but its paths are read later: check them all now.
    for (const location of datafilePrimitiveLocations(file)) await options.locationPolicy?.check(location);
    return Datafile.fromPrimitive(file);
  });
}

async function listCloudFiles(cloudPath: string, options: DatasetLoadOptions): Promise<Datafile[]> {
  const store = requireStore(options.store, cloudPath);
  const prefix = `${cloudPath.replace(/\/+$/, '')}/`;
  const listing = await store.list(prefix, options.recursive === false ? { delimiter: '/' } : {}).catch((error) => {
    if (!(error instanceof CloudStorageBucketNotFound)) throw error;
    if (options.allowMissing) return { objects: [] };
    throw new FolderNotFoundException(`No dataset exists at '${cloudPath}': its bucket does not exist.`, {
      path: cloudPath,
      cause: error,
    });
  });
  const objects = listing.objects;
  return objects
    .filter((object) => !object.name.endsWith('/') && !object.name.includes(SIGNED_METADATA_DIRECTORY))
    .filter((object) => options.includeOctueMetadataFiles || !object.name.endsWith(METADATA_FILENAME))
    .map((object) => new Datafile(cloudDatafileInitFromObject(object.location, object, fileLoadOptions(options))));
}

async function listLocalFiles(directory: string, recursive: boolean, includeOctue?: boolean): Promise<string[]> {
  const found: string[] = [];
  const entries: Dirent[] = await fs.readdir(directory, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const entryPath = path.join(directory, entry.name);
    const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && (await isDirectoryPath(entryPath)));
    if (isDirectory) {
      if (recursive && entry.name !== SIGNED_METADATA_DIRECTORY) {
        found.push(...(await listLocalFiles(entryPath, recursive, includeOctue)));
      }
    } else if (includeOctue || entry.name !== METADATA_FILENAME) {
      found.push(entryPath);
    }
  }
  return found;
}

async function isDirectoryPath(entryPath: string): Promise<boolean> {
  return (await fs.stat(entryPath).catch(() => null))?.isDirectory() ?? false;
}

function readDatasetRecord(document: unknown, location: string): Record<string, unknown> {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new InvalidInputException(`The dataset metadata at '${location}' must be a JSON object.`);
  }
  // Cloud `.octue` files wrap the metadata in a "dataset" key; signed metadata files do not.
  const wrapped = (document as { dataset?: unknown }).dataset;
  return (wrapped && typeof wrapped === 'object' ? wrapped : document) as Record<string, unknown>;
}

/** Stored dataset metadata wins: id, name, tags and labels that are stored replace the ones given; a stored non-empty
 * `files` list replaces the files found. */
async function withStoredDatasetMetadata(
  init: DatasetInit,
  stored: Record<string, unknown> | undefined,
  options: DatasetLoadOptions,
): Promise<DatasetInit> {
  if (!stored) return init;
  const result: { -readonly [K in keyof DatasetInit]: DatasetInit[K] } = { ...init };
  if (Array.isArray(stored.files) && stored.files.length > 0) result.files = await loadFileList(stored.files, options);
  if ('id' in stored) result.id = stored.id as string | null;
  if ('name' in stored) result.name = stored.name as string | null;
  if ('tags' in stored) result.tags = stored.tags as TagsInput;
  if ('labels' in stored) result.labels = stored.labels as LabelsInput;
  return result;
}
