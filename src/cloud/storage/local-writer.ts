import { lstat, rm } from 'node:fs/promises';

import type { StoredObject, UploadOptions } from '../../core/ports/object-store';
import { PreconditionFailed, StorageRequestFailed } from '../../errors';
import type { LocalLayout, ObjectKey, SidecarRecord } from './local-layout';
import { placeFile, storedObjectFromRecord } from './local-layout';
import type { LocalReader } from './local-reader';
import type { StagedUpload } from './local-staging';
import { enforceGenerationMatch, mergeCustomMetadata } from './object-options';

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

let lastGeneration = 0n;

/**
 * A new object generation: microseconds since the epoch (as GCS uses), strictly increasing within this process and
 * above the object's current generation, with sub-millisecond resolution so that separate processes rarely collide.
 */
function nextGeneration(current: string | undefined): string {
  const now = BigInt(Math.floor((performance.timeOrigin + performance.now()) * 1000));
  const floor = current !== undefined && BigInt(current) > lastGeneration ? BigInt(current) : lastGeneration;
  lastGeneration = now > floor ? now : floor + 1n;
  return lastGeneration.toString();
}

/**
 * A filesystem failure of the local store as a typed error.
 * @param action - What was being done, e.g. `delete`.
 * @param location - The object's location.
 * @param error - The filesystem error (kept as `cause`).
 * @returns The error to throw.
 */
export function localFailure(action: string, location: string, error: unknown): StorageRequestFailed {
  return new StorageRequestFailed(
    `Cannot ${action} ${location} in the local object store: ${(error as Error).message}.`,
    {
      location,
      cause: error,
    },
  );
}

/**
 * Writes objects and sidecar records of a local store. Callers serialize calls per object (the store's lock); only
 * create-if-absent is also safe between processes, because a hard link refuses an existing name.
 */
export class LocalWriter {
  /**
   * @param layout - Where things are.
   * @param reader - Reads an object's current state for preconditions.
   */
  constructor(
    private readonly layout: LocalLayout,
    private readonly reader: LocalReader,
  ) {}

  /**
   * Makes staged bytes the object's content: checks `ifGenerationMatch`, places the bytes (atomically replacing any
   * previous ones), then the new sidecar record.
   * @returns The new object's metadata.
   * @throws PreconditionFailed, StorageRequestFailed
   */
  async commit(key: ObjectKey, location: string, staged: StagedUpload, options: UploadOptions): Promise<StoredObject> {
    const current = (await this.reader.describe(key, location))?.object;
    enforceGenerationMatch(options.ifGenerationMatch, current, location);
    const now = new Date().toISOString();
    const record: SidecarRecord = {
      format: 'skein-object/1',
      ino: staged.ino,
      size: staged.size,
      crc32c: staged.crc32c,
      md5Hash: staged.md5Hash,
      generation: nextGeneration(current?.generation),
      metageneration: '1',
      contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
      timeCreated: now,
      updated: now,
      metadata: { ...options.metadata },
    };
    await this.placeData(key, location, staged.path, options.ifGenerationMatch === 0);
    await this.writeRecord(key, location, record);
    return storedObjectFromRecord(key, record);
  }

  /**
   * Rewrites an object's record with merged custom metadata and the next metageneration; the bytes stay as they are.
   * @param object - The object as it is now.
   * @param ino - Inode of its data file, as recorded (or as found, for a file placed by hand).
   * @param changes - Keys to set, or to delete (`null`).
   * @returns The updated metadata.
   */
  async updateMetadata(
    key: ObjectKey,
    location: string,
    object: StoredObject,
    ino: string,
    changes: Readonly<Record<string, string | null>>,
  ): Promise<StoredObject> {
    const now = new Date().toISOString();
    const record: SidecarRecord = {
      format: 'skein-object/1',
      ino,
      size: object.size,
      crc32c: object.crc32c,
      md5Hash: object.md5Hash ?? '',
      generation: object.generation,
      metageneration: String(Number(object.metageneration) + 1),
      contentType: object.contentType,
      timeCreated: object.timeCreated ?? now,
      updated: now,
      metadata: mergeCustomMetadata(object.metadata, changes),
    };
    await this.writeRecord(key, location, record);
    return storedObjectFromRecord(key, record);
  }

  /** Moves staged bytes to the object's path (by hard link for create-if-absent) and maps the failures. */
  private async placeData(key: ObjectKey, location: string, stagedPath: string, exclusive: boolean): Promise<void> {
    const target = this.layout.objectPath(key);
    try {
      await placeFile(stagedPath, target, exclusive);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      const targetIsDirectory = await lstat(target).then(
        (stats) => stats.isDirectory(),
        () => false,
      );
      if (exclusive && code === 'EEXIST' && !targetIsDirectory) {
        // Another writer (perhaps another process) created the object since the precondition was checked.
        throw new PreconditionFailed(`Precondition ifGenerationMatch=0 failed for ${location}: the object exists.`, {
          location,
          cause: error,
        });
      }
      if (targetIsDirectory || ['ENOTDIR', 'EEXIST', 'EISDIR', 'ENOTEMPTY'].includes(code)) {
        throw new StorageRequestFailed(
          `Cannot store ${location} locally: a directory tree cannot hold both an object and other objects under ` +
            `its name followed by '/' (e.g. 'a' and 'a/b'). Rename one of them.`,
          { location, cause: error },
        );
      }
      throw localFailure('write', location, error);
    }
  }

  private async writeRecord(key: ObjectKey, location: string, record: SidecarRecord): Promise<void> {
    const staged = await this.layout.stageSidecar(record);
    try {
      await this.layout.placeSidecar(key, staged);
    } catch (error) {
      await rm(staged, { force: true });
      throw localFailure('record metadata for', location, error);
    }
  }
}
