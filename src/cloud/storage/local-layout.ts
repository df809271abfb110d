import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { formatCloudPath, parseCloudPath } from '../../core/gs-path';
import type { StoredObject } from '../../core/ports/object-store';
import { InvalidCloudPath } from '../../errors';

/** The hidden directory (beside the buckets) holding one JSON record per object. */
export const SIDECAR_DIRECTORY = '.skein-meta';
/** The hidden directory where uploads are staged before they are renamed into place. */
export const STAGING_DIRECTORY = '.skein-tmp';

/** What the local store records about an object besides its bytes. */
export interface SidecarRecord {
  readonly format: 'skein-object/1';
  /**
   * Inode of the data file this record describes. A reader that finds a different inode knows a writer is between
   * renaming the new bytes and the new record into place (or that the file was replaced behind the store's back).
   */
  readonly ino: string;
  readonly size: number;
  readonly crc32c: string;
  readonly md5Hash: string;
  readonly generation: string;
  readonly metageneration: string;
  readonly contentType: string;
  readonly timeCreated: string;
  readonly updated: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** An object's bucket and name. */
export interface ObjectKey {
  readonly bucket: string;
  readonly name: string;
}

/**
 * Where the local store keeps things under its root:
 *
 * - `<root>/<bucket>/<name>` — the object's bytes (so local runs can read objects as ordinary files);
 * - `<root>/.skein-meta/<bucket>/<name>` — its {@link SidecarRecord} (bucket names cannot start with `.`, so this
 *   tree never shows up as a bucket, and it mirrors the data tree, so the two conflict in exactly the same cases);
 * - `<root>/.skein-tmp/` — staged uploads, on the same filesystem so the final rename is atomic.
 */
export class LocalLayout {
  /** Absolute root directory. */
  readonly root: string;

  /** @param root - The store's root directory. */
  constructor(root: string) {
    this.root = resolve(root);
  }

  /**
   * Parses an object location and checks the name can be a file path.
   * @throws InvalidCloudPath for a malformed path, an empty name, a name ending in `/`, or one with empty, `.` or
   * `..` segments (which a directory tree cannot represent).
   */
  parseObject(location: string): ObjectKey {
    const { bucket, name } = parseCloudPath(location);
    const segments = name.split('/');
    if (name === '' || name.includes('\0') || segments.some((s) => s === '' || s === '.' || s === '..')) {
      throw new InvalidCloudPath(
        `'${location}' cannot be stored locally: an object name must be non-empty, must not end with '/', and must ` +
          "not contain empty, '.' or '..' segments or NUL characters.",
        { location },
      );
    }
    return { bucket, name };
  }

  /**
   * Parses a listing prefix (`gs://bucket`, `gs://bucket/dir/` or a partial name such as `gs://bucket/dir/da`).
   * @throws InvalidCloudPath for a malformed path or a prefix with `.` or `..` segments.
   */
  parsePrefix(location: string): ObjectKey {
    const { bucket, name } = parseCloudPath(location);
    if (name.includes('\0') || name.split('/').some((s) => s === '.' || s === '..')) {
      throw new InvalidCloudPath(`'${location}' is not a listable prefix: it contains '.' or '..' segments.`, {
        location,
      });
    }
    return { bucket, name };
  }

  /** The bucket's directory. */
  bucketPath(bucket: string): string {
    return join(this.root, bucket);
  }

  /** The file holding an object's bytes. */
  objectPath(key: ObjectKey): string {
    return join(this.root, key.bucket, ...key.name.split('/'));
  }

  /** The file holding an object's sidecar record. */
  sidecarPath(key: ObjectKey): string {
    return join(this.root, SIDECAR_DIRECTORY, key.bucket, ...key.name.split('/'));
  }

  /** A fresh path in the staging directory (created if needed). */
  async stagingPath(): Promise<string> {
    const directory = join(this.root, STAGING_DIRECTORY);
    await mkdir(directory, { recursive: true });
    return join(directory, randomUUID());
  }

  /** Reads an object's sidecar record; `undefined` when there is none or it is unreadable. */
  async readSidecar(key: ObjectKey): Promise<SidecarRecord | undefined> {
    try {
      const record = JSON.parse(await readFile(this.sidecarPath(key), 'utf8')) as Partial<SidecarRecord>;
      return record.format === 'skein-object/1' && typeof record.crc32c === 'string'
        ? (record as SidecarRecord)
        : undefined;
    } catch {
      // A missing or damaged record only means the file is treated as one placed there by hand.
      return undefined;
    }
  }

  /** Writes a sidecar record to a staged file, ready for {@link LocalLayout.placeSidecar}. */
  async stageSidecar(record: SidecarRecord): Promise<string> {
    const path = await this.stagingPath();
    await writeFile(path, JSON.stringify(record), { flag: 'wx' });
    return path;
  }

  /** Atomically renames a staged sidecar record into place. */
  async placeSidecar(key: ObjectKey, stagedPath: string): Promise<void> {
    await placeFile(stagedPath, this.sidecarPath(key), false);
  }

  /**
   * Removes an object's file and sidecar record (each if present), then the directories left empty above them, so
   * that a later object may take a name that was a directory.
   * @returns Whether there was an object file to remove.
   * @throws the filesystem error when the file exists but cannot be removed.
   */
  async remove(key: ObjectKey): Promise<boolean> {
    const file = this.objectPath(key);
    const removed = await rm(file).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'ERR_FS_EISDIR') {
          return false;
        }
        throw error;
      },
    );
    await rm(this.sidecarPath(key), { force: true });
    await pruneEmptyDirectories(dirname(file), this.bucketPath(key.bucket));
    await pruneEmptyDirectories(dirname(this.sidecarPath(key)), join(this.root, SIDECAR_DIRECTORY, key.bucket));
    return removed;
  }
}

/**
 * Moves a staged file to `target`, creating parent directories: by rename (atomically replacing any file there) or,
 * when `exclusive`, by hard link, which fails with `EEXIST` if the name is taken — the filesystem arbitrates
 * create-if-absent, even between processes. Retries when a concurrent delete pruned the parent directory, or when an
 * empty directory left by deleted objects is in the way.
 */
export async function placeFile(stagedPath: string, target: string, exclusive: boolean): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await mkdir(dirname(target), { recursive: true });
      await (exclusive ? link(stagedPath, target) : rename(stagedPath, target));
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      const retry =
        attempt < 3 &&
        (code === 'ENOENT' ||
          (['EISDIR', 'EEXIST', 'ENOTEMPTY'].includes(code) &&
            (await rmdir(target).then(
              () => true,
              () => false,
            ))));
      if (!retry) {
        throw error;
      }
    }
  }
}

/** Removes `directory` and its parents while they are empty, stopping below `stopAt`. */
async function pruneEmptyDirectories(directory: string, stopAt: string): Promise<void> {
  for (let current = directory; current.startsWith(`${stopAt}/`); current = dirname(current)) {
    if (
      !(await rmdir(current).then(
        () => true,
        () => false,
      ))
    ) {
      return;
    }
  }
}

/** Builds the port's view of an object from its sidecar record. */
export function storedObjectFromRecord(key: ObjectKey, record: SidecarRecord): StoredObject {
  return {
    location: formatCloudPath(key.bucket, key.name),
    bucket: key.bucket,
    name: key.name,
    size: record.size,
    crc32c: record.crc32c,
    md5Hash: record.md5Hash,
    generation: record.generation,
    metageneration: record.metageneration,
    contentType: record.contentType,
    timeCreated: record.timeCreated,
    updated: record.updated,
    metadata: { ...record.metadata },
  };
}
