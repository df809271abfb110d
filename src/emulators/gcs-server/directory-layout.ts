import { createHash, randomUUID } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where the directory backend puts things under its root:
 *
 * ```
 * <root>/.staging/<uuid>.part              bytes of uploads in progress, and metadata being written (wiped at start)
 * <root>/buckets/<bucket>/bucket.json      the bucket record
 * <root>/buckets/<bucket>/objects/<key>.data   the object's bytes
 * <root>/buckets/<bucket>/objects/<key>.json   the object's metadata (an ObjectRecord)
 * ```
 *
 * Objects live in one flat folder per bucket under an encoded key, not at their own path, because GCS names may hold
 * both `a` and `a/b` (a file and a folder of the same name) and any character.
 */
export class DirectoryLayout {
  /**
   * @param root - The backend's root folder.
   */
  constructor(readonly root: string) {}

  /** Folder of in-progress uploads and metadata writes. */
  get staging(): string {
    return join(this.root, '.staging');
  }

  /** Folder holding one folder per bucket. */
  get buckets(): string {
    return join(this.root, 'buckets');
  }

  /** A bucket's folder. */
  bucketDir(bucket: string): string {
    return join(this.buckets, bucket);
  }

  /** A bucket's record file. */
  bucketFile(bucket: string): string {
    return join(this.bucketDir(bucket), 'bucket.json');
  }

  /** A bucket's objects folder. */
  objectsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'objects');
  }

  /** The file holding an object's bytes. */
  dataFile(bucket: string, name: string): string {
    return join(this.objectsDir(bucket), `${objectKey(name)}.data`);
  }

  /** The sidecar holding an object's metadata. */
  metaFile(bucket: string, name: string): string {
    return join(this.objectsDir(bucket), `${objectKey(name)}.json`);
  }

  /** A fresh temporary path inside the staging folder. */
  stagingFile(): string {
    return join(this.staging, `${randomUUID()}.part`);
  }

  /** Writes JSON to a staging file, then renames it over `path`, so readers never see half a file. */
  async writeJsonAtomically(path: string, value: unknown): Promise<void> {
    const temp = this.stagingFile();
    await writeFile(temp, JSON.stringify(value));
    await rename(temp, path);
  }
}

/**
 * The file-name key of an object name: URI-encoded (with `~` and `*` encoded too, so `~` can mark hashed keys), or
 * `~` + SHA-256 when the encoded name would be too long for a file name.
 *
 * @param name - The object name.
 * @returns A key safe as a file name on POSIX filesystems (case-insensitive filesystems may merge `A` and `a`).
 */
export function objectKey(name: string): string {
  const encoded = encodeURIComponent(name).replace(/[~*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return encoded.length <= 200 ? encoded : `~${createHash('sha256').update(name, 'utf8').digest('hex')}`;
}
