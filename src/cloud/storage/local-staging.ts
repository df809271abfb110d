import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Crc32c } from '../../core/hashing/crc32c';
import type { ProgressCallback } from '../../core/ports/object-store';
import { IncompleteUpload, StorageRequestFailed } from '../../errors';
import type { LocalLayout } from './local-layout';
import type { OpenedSource } from './transfer';

/** An upload written in full to the staging directory, hashed on the way, not yet visible as an object. */
export interface StagedUpload {
  readonly path: string;
  readonly size: number;
  readonly crc32c: string;
  readonly md5Hash: string;
  /** Inode of the staged file; renames and hard links keep it, so it identifies the bytes once placed. */
  readonly ino: string;
}

/**
 * Streams an upload's bytes to a new file in the staging directory, computing CRC32C and MD5 as they pass.
 * @param layout - The store's layout (gives the staging path).
 * @param source - The opened upload source.
 * @param location - The object's location, for messages.
 * @param onProgress - Progress reports as bytes are written.
 * @returns The staged file and its digests.
 * @throws IncompleteUpload when the source stream fails part way; StorageRequestFailed when the disk write fails. In
 * both cases the staged file is removed.
 */
export async function stageUpload(
  layout: LocalLayout,
  source: OpenedSource,
  location: string,
  onProgress?: ProgressCallback,
): Promise<StagedUpload> {
  const path = await layout.stagingPath();
  const crc32c = new Crc32c();
  const md5 = createHash('md5');
  let size = 0;
  let sourceFailure: unknown;
  source.stream.once('error', (error) => (sourceFailure = error));
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      crc32c.update(chunk);
      md5.update(chunk);
      size += chunk.length;
      onProgress?.({ bytes: size, totalBytes: source.totalBytes });
      callback(null, chunk);
    },
  });
  try {
    await pipeline(source.stream, hasher, createWriteStream(path, { flags: 'wx' }));
  } catch (error) {
    await rm(path, { force: true });
    if (sourceFailure !== undefined) {
      throw new IncompleteUpload(
        `The upload to ${location} was abandoned after ${size} bytes because its source stream failed: ` +
          `${(sourceFailure as Error).message}. No object was written.`,
        { location, cause: sourceFailure },
      );
    }
    throw new StorageRequestFailed(`Cannot stage the upload to ${location}: ${(error as Error).message}.`, {
      location,
      cause: error,
    });
  }
  if (size === 0 || source.totalBytes === undefined) {
    // Streams of unknown length (and empty ones, which send no chunk) still end with a report of the final size.
    onProgress?.({ bytes: size, totalBytes: size });
  }
  const stats = await stat(path, { bigint: true });
  return { path, size, crc32c: crc32c.toString(), md5Hash: md5.digest('base64'), ino: stats.ino.toString() };
}
