import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { StorageError, StorageRequestFailed } from '../../errors';

/**
 * Writes a stream to a local file atomically: the bytes go to a hidden temporary file beside the target (same
 * directory, so the final rename never crosses filesystems), which is renamed over the target only once every byte
 * arrived and verified. Parent directories are created. On any failure the temporary file is removed, so a failed
 * download never leaves a partial file, and an existing target is left untouched.
 *
 * @param source - The bytes, e.g. an object store's read stream (its errors, such as `ChecksumMismatch`, propagate).
 * @param localPath - Where the file should end up.
 * @param location - The object's location, for error messages.
 * @throws StorageRequestFailed when the local file cannot be written (permissions, a directory in the way, …); errors
 * from `source` are rethrown unchanged when they are already storage errors.
 */
export async function writeStreamToFile(source: Readable, localPath: string, location: string): Promise<void> {
  const target = resolve(localPath);
  const temporary = join(dirname(target), `.${basename(target)}.${randomUUID()}.partial`);
  try {
    await mkdir(dirname(target), { recursive: true });
    await pipeline(source, createWriteStream(temporary, { flags: 'wx' }));
    await rename(temporary, target);
  } catch (error) {
    source.destroy();
    // Best effort: when the directory could not be made there is no temporary file (and rm may fail with ENOTDIR).
    await rm(temporary, { force: true }).catch(() => undefined);
    if (error instanceof StorageError) {
      throw error;
    }
    throw new StorageRequestFailed(
      `Cannot download ${location} to '${localPath}': ${(error as Error).message}. Check that the path is writable and ` +
        'is not a directory.',
      { location: localPath, cause: error },
    );
  }
}
