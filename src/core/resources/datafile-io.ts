import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import {
  CloudLocationNotSpecified,
  FileNotFoundException,
  InvalidInputException,
  ReadOnlyResource,
} from '../../errors';
import { isCloudPath } from '../gs-path';
import { crc32cHash } from '../hashing/crc32c';
import type { StoredObject } from '../ports/object-store';
import type { CloudMetadataRecord } from './cloud-metadata';
import { cloudMetadataFromStoredObject, encodeCloudMetadata } from './cloud-metadata';
import type { Datafile } from './datafile';
import type {
  CloudAccessOptions,
  DatafileDownloadOptions,
  DatafileUploadOptions,
  SignedUrlOptions,
} from './datafile-types';
import { localMetadataPath, updateLocalMetadataFile } from './local-metadata';
import { isUrl } from './paths';
import { EMPTY_STRING_HASH_VALUE } from './resource-values';
import { asFileNotFound, getObjectOrNull, requireStore } from './store-access';
import { openUrlStream, readUrlMetadata } from './url-access';

// The datafile I/O behind `Datafile`'s methods. Each function returns the new state; the class applies it.

/** See `Datafile.hash`. */
export async function hashDatafile(datafile: Datafile, options: CloudAccessOptions): Promise<string> {
  if (datafile.localPath && (await isFile(datafile.localPath))) {
    return crc32cHash(createReadStream(datafile.localPath));
  }
  const known = datafile.cloudMetadata?.crc32c;
  if (known) return known;
  const cloudPath = datafile.cloudPath;
  if (cloudPath && isUrl(cloudPath)) {
    const metadata = await readUrlMetadata(cloudPath, options);
    return metadata.crc32c ?? crc32cHash(await openUrlStream(cloudPath, options));
  }
  if (cloudPath && options.store) {
    const object = await getObjectOrNull(options.store, cloudPath);
    if (object) return object.crc32c;
  }
  // Octue's fallback for a file that has no bytes anywhere yet.
  return EMPTY_STRING_HASH_VALUE;
}

/** See `Datafile.upload`. */
export async function uploadDatafile(
  datafile: Datafile,
  options: DatafileUploadOptions,
): Promise<{ cloudPath: string; cloudMetadata: CloudMetadataRecord }> {
  const target =
    options.cloudPath ?? (datafile.cloudPath && isCloudPath(datafile.cloudPath) ? datafile.cloudPath : null);
  if (!target) {
    throw new CloudLocationNotSpecified(
      `${datafile.toString()} wasn't previously loaded from the cloud so doesn't have an implicit cloud location - ` +
        `please specify its cloud path.`,
    );
  }
  const store = requireStore(options.store, target);
  const updateMetadata = options.updateCloudMetadata !== false;
  const metadata = encodeCloudMetadata(datafile.metadata());
  const uploadOptions = updateMetadata ? { metadata } : {};
  const existing = await getObjectOrNull(store, target);
  let stored: StoredObject;

  if (datafile.localPath && (await isFile(datafile.localPath))) {
    const localHash = await crc32cHash(createReadStream(datafile.localPath));
    stored =
      existing && existing.crc32c === localHash
        ? existing
        : await store.upload(target, { fromFile: datafile.localPath }, uploadOptions);
  } else if (datafile.cloudPath && datafile.cloudPath !== target) {
    // No local copy: copy the bytes from the current cloud location, streamed.
    stored = await store.upload(target, await openDatafileReadStream(datafile, options), uploadOptions);
  } else if (existing) {
    stored = existing;
  } else {
    throw new FileNotFoundException(
      `${datafile.toString()} has no bytes to upload: '${datafile.path}' does not exist.`,
      {
        path: datafile.path,
      },
    );
  }

  if (updateMetadata && Object.entries(metadata).some(([key, value]) => stored.metadata[key] !== value)) {
    stored = await store.setCustomMetadata(target, metadata);
  }
  return { cloudPath: target, cloudMetadata: cloudMetadataFromStoredObject(stored) };
}

/** See `Datafile.download`. */
export async function downloadDatafile(datafile: Datafile, options: DatafileDownloadOptions): Promise<string> {
  const cloudPath = datafile.cloudPath;
  if (!cloudPath) throw new CloudLocationNotSpecified("Cannot download a file that doesn't exist in the cloud.");
  if (options.localPath === undefined && datafile.localPath) return datafile.localPath;
  const target =
    options.localPath !== undefined
      ? path.resolve(options.localPath)
      : path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'skein-datafile-')), datafile.name);
  if (target === datafile.localPath) return target;

  if (isUrl(cloudPath)) {
    await fs.mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.${randomUUID()}.partial`;
    try {
      await pipeline(await openUrlStream(cloudPath, options), createWriteStream(partial));
      await fs.rename(partial, target);
    } catch (error) {
      await fs.rm(partial, { force: true });
      throw error;
    }
    return target;
  }
  const store = requireStore(options.store, cloudPath);
  await store.downloadToFile(cloudPath, target).catch((error: unknown) => {
    throw asFileNotFound(error, cloudPath);
  });
  return target;
}

/**
 * Uses `options.localPath` as the local copy of a remote datafile when it already holds the same bytes (same
 * CRC32C), and downloads the file there otherwise.
 * @returns The absolute local path.
 */
export async function adoptLocalCopy(
  datafile: Datafile,
  options: DatafileDownloadOptions & { localPath: string },
): Promise<string> {
  const localPath = path.resolve(options.localPath);
  const remoteHash = datafile.cloudMetadata?.crc32c;
  if (remoteHash && (await isFile(localPath)) && (await crc32cHash(createReadStream(localPath))) === remoteHash) {
    return localPath;
  }
  return downloadDatafile(datafile, options);
}

/** See `Datafile.openReadStream`. */
export async function openDatafileReadStream(datafile: Datafile, options: CloudAccessOptions): Promise<Readable> {
  if (datafile.localPath && (await isFile(datafile.localPath))) return createReadStream(datafile.localPath);
  const cloudPath = datafile.cloudPath;
  if (cloudPath && isUrl(cloudPath)) return openUrlStream(cloudPath, options);
  if (cloudPath) {
    const store = requireStore(options.store, cloudPath);
    if (!(await store.exists(cloudPath))) {
      throw new FileNotFoundException(`No cloud object exists at '${cloudPath}'.`, { path: cloudPath });
    }
    return store.createReadStream(cloudPath);
  }
  throw new FileNotFoundException(`No file exists at '${datafile.path}'.`, { path: datafile.path });
}

/** See `Datafile.updateCloudMetadata`. */
export async function updateDatafileCloudMetadata(
  datafile: Datafile,
  options: CloudAccessOptions,
): Promise<CloudMetadataRecord> {
  const cloudPath = datafile.cloudPath;
  if (cloudPath && isUrl(cloudPath)) {
    throw new ReadOnlyResource(`${datafile.toString()} is at a URL, so its cloud metadata is read-only.`);
  }
  if (!cloudPath) {
    throw new CloudLocationNotSpecified(
      `${datafile.toString()} isn't in the cloud, so it has no cloud metadata to update - upload it first.`,
    );
  }
  const store = requireStore(options.store, cloudPath);
  const stored = await store
    .setCustomMetadata(cloudPath, encodeCloudMetadata(datafile.metadata()))
    .catch((error: unknown) => {
      throw asFileNotFound(error, cloudPath);
    });
  return cloudMetadataFromStoredObject(stored);
}

/** See `Datafile.updateLocalMetadata`. */
export async function updateDatafileLocalMetadata(datafile: Datafile): Promise<void> {
  const localPath = datafile.localPath;
  if (!localPath) {
    throw new InvalidInputException(`${datafile.toString()} has no local path, so it has no local metadata file.`);
  }
  await updateLocalMetadataFile(localMetadataPath(path.dirname(localPath)), (records) => {
    records.datafiles = {
      ...(records.datafiles ?? {}),
      [datafile.name]: datafile.metadata({ useOctueNamespace: false }),
    };
  });
}

/** See `Datafile.generateSignedUrl`. */
export async function signDatafile(datafile: Datafile, options: SignedUrlOptions): Promise<string> {
  const cloudPath = datafile.cloudPath;
  if (!cloudPath || !isCloudPath(cloudPath)) {
    throw new CloudLocationNotSpecified(
      `${datafile.toString()} must exist in the cloud (gs://) for a signed URL to be generated for it.`,
    );
  }
  const store = requireStore(options.store, cloudPath);
  return store.signUrl(cloudPath, { action: 'read', expiresInSeconds: options.expiresInSeconds });
}

async function isFile(filePath: string): Promise<boolean> {
  const stats = await fs.stat(filePath).catch(() => null);
  return stats?.isFile() ?? false;
}
