import type { CreateWriteStreamOptions, File, FileMetadata } from '@google-cloud/storage';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { formatCloudPath } from '../../core/gs-path';
import { setOwnProperty } from '../../core/json/own-property';
import type { DownloadOptions, ProgressCallback, StoredObject, UploadOptions } from '../../core/ports/object-store';
import { IncompleteUpload } from '../../errors';
import { gcsErrorMessage, toStorageError } from './gcs-errors';
import type { OpenedSource } from './transfer';
import { ByteMeter, DeferredReadable } from './transfer';

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * Streams an upload into a GCS object with CRC32C validation. Sources of known size up to `simpleUploadMaxBytes` go
 * in one request; streams and larger sources use a resumable upload.
 *
 * @param file - The client's handle of the object.
 * @param location - The object's location, for messages.
 * @param source - The opened upload source.
 * @param options - Content type, custom metadata, generation precondition, progress callback.
 * @param simpleUploadMaxBytes - Largest size sent in a single request.
 * @returns The stored object's metadata as GCS reports it.
 * @throws IncompleteUpload when the source stream fails (the request is aborted, so GCS finalizes nothing);
 * PreconditionFailed, CloudStorageBucketNotFound, ChecksumMismatch or StorageRequestFailed for GCS failures.
 */
export async function uploadToGcs(
  file: File,
  location: string,
  source: OpenedSource,
  options: UploadOptions,
  simpleUploadMaxBytes: number,
): Promise<StoredObject> {
  const contentType = options.contentType ?? DEFAULT_CONTENT_TYPE;
  const writeOptions: CreateWriteStreamOptions = {
    resumable: source.totalBytes === undefined || source.totalBytes > simpleUploadMaxBytes,
    validation: 'crc32c',
    contentType,
    metadata: { contentType, metadata: { ...options.metadata } },
    ...(options.ifGenerationMatch === undefined
      ? {}
      : { preconditionOpts: { ifGenerationMatch: options.ifGenerationMatch } }),
  };
  const progress = progressReporter(options.onProgress, source.totalBytes);
  const upload = file.createWriteStream(writeOptions);
  upload.on('progress', (event: { bytesWritten?: number }) => progress(event.bytesWritten ?? 0));
  let sourceFailure: unknown;
  source.stream.once('error', (error) => (sourceFailure = error));
  try {
    // If the source fails, pipeline destroys the upload, which aborts its request: GCS finalizes nothing.
    await pipeline(source.stream, upload);
  } catch (error) {
    if (sourceFailure !== undefined) {
      throw new IncompleteUpload(
        `The upload to ${location} was abandoned because its source stream failed: ${gcsErrorMessage(sourceFailure)}. ` +
          'No object was written.',
        { location, cause: sourceFailure },
      );
    }
    throw toStorageError(error, location, 'upload');
  }
  const stored = toStoredObject(file.metadata);
  progress(stored.size, true);
  return stored;
}

/**
 * The client's read stream of an object — CRC32C-validated unless `validate` is false — with progress counting,
 * opened only when first read, and its errors mapped to Skein's storage errors.
 *
 * @param file - The client's handle of the object (pin a generation on it to read exactly that one).
 * @param location - The object's location, for messages.
 * @param options - Progress callback and validation switch.
 * @param totalBytes - The size, if known; otherwise it is taken from the response headers.
 * @returns The bytes.
 */
export function gcsReadStream(file: File, location: string, options: DownloadOptions, totalBytes?: number): Readable {
  return new DeferredReadable(
    async () => {
      const source = file.createReadStream({ validation: options.validate === false ? false : 'crc32c' });
      const meter = new ByteMeter({ onProgress: options.onProgress, totalBytes });
      source.once('response', (response: { headers?: Record<string, unknown> }) => {
        const length = Number(
          response.headers?.['x-goog-stored-content-length'] ?? response.headers?.['content-length'],
        );
        meter.totalBytes ??= Number.isFinite(length) ? length : undefined;
      });
      return [source, meter];
    },
    (error) => toStorageError(error, location, 'read'),
  );
}

/** Reports monotonic progress, at most once per byte count, always ending with the total. */
function progressReporter(
  onProgress: ProgressCallback | undefined,
  totalBytes: number | undefined,
): (bytes: number, final?: boolean) => void {
  let last = -1;
  return (bytes, final = false) => {
    if (onProgress && (bytes > last || (final && last !== bytes))) {
      last = bytes;
      onProgress({ bytes, totalBytes: final ? bytes : totalBytes });
    }
  };
}

/**
 * The port's view of a GCS object resource.
 * @param metadata - The object resource, as the client returns it.
 * @returns Its location, size, digests, generations, content type and custom metadata (null values dropped).
 */
export function toStoredObject(metadata: FileMetadata): StoredObject {
  const bucket = String(metadata.bucket);
  const name = String(metadata.name);
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.metadata ?? {})) {
    if (value !== null && value !== undefined) {
      setOwnProperty(custom, key, String(value));
    }
  }
  return {
    location: formatCloudPath(bucket, name),
    bucket,
    name,
    size: Number(metadata.size ?? 0),
    crc32c: String(metadata.crc32c ?? ''),
    ...(metadata.md5Hash ? { md5Hash: String(metadata.md5Hash) } : {}),
    generation: String(metadata.generation ?? ''),
    metageneration: String(metadata.metageneration ?? ''),
    contentType: String(metadata.contentType ?? DEFAULT_CONTENT_TYPE),
    ...(metadata.timeCreated ? { timeCreated: String(metadata.timeCreated) } : {}),
    ...(metadata.updated ? { updated: String(metadata.updated) } : {}),
    metadata: custom,
  };
}
