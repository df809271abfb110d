import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CloudLocationNotSpecified, InvalidInputException } from '../../errors';
import { isCloudPath, joinCloudPath, parseCloudPath } from '../gs-path';
import { generateSlug } from '../service-id/slug';
import { encodeOctueJson } from '../json/octue-json';
import type { Datafile } from './datafile';
import type { SignedUrlOptions } from './datafile-types';
import type { Dataset } from './dataset';
import type { DatasetDownloadOptions, DatasetUploadOptions } from './dataset-types';
import { localMetadataPath, updateLocalMetadataFile } from './local-metadata';
import {
  RESOURCE_CONCURRENCY,
  SIGNED_METADATA_DIRECTORY,
  isRemotePath,
  mapConcurrently,
  relativeLocalPath,
  relativeRemotePath,
} from './paths';
import { METADATA_FILENAME } from './resource-values';
import { requireStore } from './store-access';

// The dataset I/O behind `Dataset`'s methods. Each function returns the new state; the class applies it.

/** See `Dataset.upload`. @returns The cloud path the dataset now lives at. */
export async function uploadDataset(dataset: Dataset, options: DatasetUploadOptions): Promise<string> {
  const target = options.cloudPath ?? (isCloudPath(dataset.path) ? dataset.path : null);
  if (!target) {
    throw new CloudLocationNotSpecified(
      `${dataset.toString()} wasn't previously loaded from the cloud so doesn't have an implicit cloud location - ` +
        `please specify its cloud path.`,
    );
  }
  parseCloudPath(target);
  const store = requireStore(options.store, target);
  const placements = dataset.files.toArray().map((datafile) => ({
    datafile,
    cloudPath: joinCloudPath(target, relativePathInDataset(dataset, datafile)),
  }));
  await mapConcurrently(placements, RESOURCE_CONCURRENCY, ({ datafile, cloudPath }) =>
    datafile.upload({ ...options, store, cloudPath }),
  );
  if (options.updateCloudMetadata !== false) await writeCloudDatasetMetadata(dataset, target, store);
  return target;
}

/** See `Dataset.download`. @returns The absolute directory the files were downloaded into. */
export async function downloadDataset(dataset: Dataset, options: DatasetDownloadOptions): Promise<string> {
  if (!dataset.existsInCloud) {
    throw new CloudLocationNotSpecified(
      `You can only download files from a cloud dataset. This dataset's path is '${dataset.path}'.`,
    );
  }
  const directory = path.resolve(options.directory ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'skein-dataset-'))));
  const placements = dataset.files
    .toArray()
    .filter((datafile) => datafile.existsInCloud)
    .map((datafile) => ({
      datafile,
      localPath: path.join(directory, ...relativePathInDataset(dataset, datafile).split('/')),
    }));
  await mapConcurrently(placements, RESOURCE_CONCURRENCY, ({ datafile, localPath }) =>
    datafile.download({ ...options, localPath }),
  );
  return directory;
}

/** See `Dataset.updateCloudMetadata`: writes `<dataset>/.octue` = `{"dataset": {id, name, tags, labels, path}}`. */
export async function updateDatasetCloudMetadata(
  dataset: Dataset,
  options: { store?: Dataset['store'] },
): Promise<void> {
  if (!isCloudPath(dataset.path)) {
    throw new CloudLocationNotSpecified(
      `${dataset.toString()} isn't in the cloud (gs://), so it has no cloud metadata file - upload it first.`,
    );
  }
  await writeCloudDatasetMetadata(dataset, dataset.path, requireStore(options.store, dataset.path));
}

/** See `Dataset.updateLocalMetadata`: sets the `dataset` record of `<dataset>/.octue`. */
export async function updateDatasetLocalMetadata(dataset: Dataset): Promise<void> {
  if (isRemotePath(dataset.path)) {
    throw new InvalidInputException(`${dataset.toString()} is not a local dataset, so it has no local metadata file.`);
  }
  await updateLocalMetadataFile(localMetadataPath(dataset.path), (records) => {
    records.dataset = { ...dataset.toPrimitive({ includeFiles: false }) };
  });
}

/**
 * See `Dataset.generateSignedUrl`: uploads `<dataset>/.signed_metadata_files/<random slug>` holding the dataset's
 * primitive with `files` replaced by signed URLs of its files, and signs that object.
 */
export async function signDataset(dataset: Dataset, options: SignedUrlOptions): Promise<string> {
  if (!isCloudPath(dataset.path)) {
    throw new CloudLocationNotSpecified(
      `${dataset.toString()} must exist in the cloud (gs://) for a signed URL to be generated for it.`,
    );
  }
  const store = requireStore(options.store, dataset.path);
  const files = [...dataset.files].sort((a, b) => ((a.cloudPath ?? '') < (b.cloudPath ?? '') ? -1 : 1));
  const signedFiles = await mapConcurrently(files, RESOURCE_CONCURRENCY, (datafile) =>
    datafile.generateSignedUrl({ ...options, store }),
  );
  const signedMetadata = { ...dataset.toPrimitive(), files: signedFiles };
  const location = joinCloudPath(dataset.path, SIGNED_METADATA_DIRECTORY, generateSlug(3));
  await store.upload(location, encodeOctueJson(signedMetadata), { contentType: 'application/json' });
  return store.signUrl(location, { action: 'read', expiresInSeconds: options.expiresInSeconds });
}

/**
 * Where a datafile sits inside its dataset, as a `/`-separated relative path: relative to the dataset's cloud path
 * when the dataset is in the cloud, else relative to its local directory.
 *
 * @throws InvalidInputException when the file lies outside the dataset's folder.
 */
export function relativePathInDataset(dataset: Dataset, datafile: Datafile): string {
  let relative: string;
  if (dataset.existsInCloud) {
    if (!datafile.cloudPath) {
      throw new InvalidInputException(`${datafile.toString()} is not in the cloud, unlike its dataset.`);
    }
    relative = relativeRemotePath(datafile.cloudPath, dataset.path);
  } else {
    relative = relativeLocalPath(datafile.localPath ?? datafile.path, dataset.path);
  }
  if (relative === '' || relative.startsWith('..')) {
    throw new InvalidInputException(
      `${datafile.toString()} ('${datafile.path}') is outside the folder of ${dataset.toString()} ('${dataset.path}').`,
    );
  }
  return relative;
}

async function writeCloudDatasetMetadata(dataset: Dataset, cloudPath: string, store: NonNullable<Dataset['store']>) {
  const record = { dataset: { ...dataset.toPrimitive({ includeFiles: false }), path: cloudPath } };
  await store.upload(joinCloudPath(cloudPath, METADATA_FILENAME), encodeOctueJson(record), {
    contentType: 'application/json',
  });
}
