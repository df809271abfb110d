import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

import { Crc32c } from '../../core/hashing/crc32c';
import { formatCloudPath } from '../../core/gs-path';
import type { DownloadOptions, StoredObject } from '../../core/ports/object-store';
import { CloudStorageBucketNotFound, ObjectNotFound, StorageRequestFailed } from '../../errors';
import type { LocalLayout, ObjectKey } from './local-layout';
import { storedObjectFromRecord } from './local-layout';
import { ByteMeter } from './transfer';

/** An object's metadata together with the inode of the data file it describes. */
export interface DescribedObject {
  readonly object: StoredObject;
  readonly ino: string;
  /** Whether the metadata comes from a sidecar record (false: a file placed by hand, described from its bytes). */
  readonly recorded: boolean;
}

/** An object opened for reading: a chain of streams that yields its (verified) bytes, and its metadata. */
export interface OpenedObject {
  readonly chain: readonly [Readable, ByteMeter];
  readonly object: StoredObject;
}

// A writer renames the bytes and then the sidecar into place, so a reader can catch it in between; a few short
// retries let it see the pair settle.
const SETTLE_ATTEMPTS = 5;

const MISSING_CODES = new Set(['ENOENT', 'ENOTDIR']);

/** Whether a filesystem error means "no such file". */
export function isMissing(error: unknown): boolean {
  return MISSING_CODES.has((error as NodeJS.ErrnoException).code ?? '');
}

/** Reads objects and their metadata from a local store's layout, checking that bytes and records belong together. */
export class LocalReader {
  /** @param layout - Where things are. */
  constructor(private readonly layout: LocalLayout) {}

  /**
   * Describes the object, or returns `undefined` if there is none.
   * @throws StorageRequestFailed when the filesystem fails other than by the file being absent.
   */
  async describe(key: ObjectKey, location: string): Promise<DescribedObject | undefined> {
    const path = this.layout.objectPath(key);
    for (let attempt = 1; ; attempt += 1) {
      let stats: BigIntStats;
      try {
        stats = await stat(path, { bigint: true });
      } catch (error) {
        if (isMissing(error)) {
          return undefined;
        }
        throw this.failure(location, error);
      }
      if (!stats.isFile()) {
        return undefined;
      }
      const described = await this.match(key, location, stats, attempt);
      if (described) {
        return described;
      }
    }
  }

  /**
   * Opens the object's bytes; with validation on (the default) the stream fails with `ChecksumMismatch` at its end if
   * the bytes differ from the recorded CRC32C or size.
   * @throws ObjectNotFound, CloudStorageBucketNotFound, StorageRequestFailed
   */
  async open(key: ObjectKey, location: string, options: DownloadOptions = {}): Promise<OpenedObject> {
    const path = this.layout.objectPath(key);
    for (let attempt = 1; ; attempt += 1) {
      let handle: FileHandle;
      try {
        handle = await open(path, 'r');
      } catch (error) {
        throw await this.missingOrFailure(key, location, error);
      }
      try {
        const stats = await handle.stat({ bigint: true });
        if (!stats.isFile()) {
          throw await this.missingOrFailure(key, location, undefined);
        }
        const described = await this.match(key, location, stats, attempt);
        if (described) {
          const { object, recorded } = described;
          const expected =
            recorded && options.validate !== false ? { location, crc32c: object.crc32c, size: object.size } : undefined;
          const meter = new ByteMeter({ onProgress: options.onProgress, totalBytes: object.size, expected });
          return { chain: [handle.createReadStream(), meter], object };
        }
        await handle.close();
      } catch (error) {
        await handle.close();
        throw error;
      }
    }
  }

  /**
   * The error for an object that could not be found: `CloudStorageBucketNotFound` if its bucket directory is missing,
   * else `ObjectNotFound`; any other filesystem failure becomes `StorageRequestFailed`.
   */
  async missingOrFailure(key: ObjectKey, location: string, error: unknown): Promise<Error> {
    if (error !== undefined && !isMissing(error)) {
      return this.failure(location, error);
    }
    const bucketExists = await stat(this.layout.bucketPath(key.bucket)).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
    if (!bucketExists) {
      return new CloudStorageBucketNotFound(
        `Bucket '${key.bucket}' does not exist in the local object store at '${this.layout.root}'.`,
        { location, cause: error },
      );
    }
    return new ObjectNotFound(`No object exists at ${location}.`, { location, cause: error });
  }

  private failure(location: string, error: unknown): StorageRequestFailed {
    return new StorageRequestFailed(
      `Cannot read ${location} from the local object store: ${(error as Error).message}.`,
      {
        location,
        cause: error,
      },
    );
  }

  /**
   * Pairs a data file with its record. Returns `undefined` (try again) while the record names another inode and
   * attempts remain; after that a mismatched record is trusted, so bytes replaced behind the store's back fail
   * verification rather than being silently accepted.
   */
  private async match(
    key: ObjectKey,
    location: string,
    stats: BigIntStats,
    attempt: number,
  ): Promise<DescribedObject | undefined> {
    const ino = stats.ino.toString();
    const record = await this.layout.readSidecar(key);
    if (record && record.ino !== ino && attempt < SETTLE_ATTEMPTS) {
      await sleep(attempt * 2);
      return undefined;
    }
    if (record) {
      return { object: storedObjectFromRecord(key, record), ino: record.ino, recorded: true };
    }
    return { object: await this.describeUnrecorded(key, location, stats), ino, recorded: false };
  }

  /** Describes a file placed in the store by hand (no record): its digest is computed from its bytes. */
  private async describeUnrecorded(key: ObjectKey, location: string, stats: BigIntStats): Promise<StoredObject> {
    const { crc32c, md5Hash } = await hashFile(this.layout.objectPath(key)).catch((error: unknown) => {
      throw this.failure(location, error);
    });
    return {
      location: formatCloudPath(key.bucket, key.name),
      bucket: key.bucket,
      name: key.name,
      size: Number(stats.size),
      crc32c,
      md5Hash,
      // GCS generations are microseconds since the epoch; the file's modification time stands in for the write.
      generation: (stats.mtimeNs / 1000n).toString(),
      metageneration: '1',
      contentType: 'application/octet-stream',
      timeCreated: stats.birthtime.toISOString(),
      updated: stats.mtime.toISOString(),
      metadata: {},
    };
  }
}

/** CRC32C and MD5 (both base64, as GCS reports them) of a file's bytes, in one pass. */
async function hashFile(path: string): Promise<{ crc32c: string; md5Hash: string }> {
  const crc32c = new Crc32c();
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(path)) {
    crc32c.update(chunk as Buffer);
    md5.update(chunk as Buffer);
  }
  return { crc32c: crc32c.toString(), md5Hash: md5.digest('base64') };
}
