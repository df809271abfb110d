import { lstat, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';

import type {
  DownloadOptions,
  ListOptions,
  ListResult,
  ObjectStore,
  SignUrlOptions,
  StoredObject,
  UploadOptions,
  UploadSource,
} from '../../core/ports/object-store';
import { InvalidInputException, PreconditionFailed, UrlSigningFailed } from '../../errors';
import { writeStreamToFile } from './download-to-file';
import { KeyedLock } from './keyed-lock';
import type { ObjectKey } from './local-layout';
import { LocalLayout } from './local-layout';
import { listLocalObjects } from './local-listing';
import { LocalReader, isMissing } from './local-reader';
import { stageUpload } from './local-staging';
import { LocalWriter, localFailure } from './local-writer';
import { checkMetadataChanges, checkPreconditionValue, checkUploadMetadata, createIfAbsentVia } from './object-options';
import { DeferredReadable, openUploadSource, readAll, signedUrlLifetime } from './transfer';

/** Options for {@link LocalObjectStore}. */
export interface LocalObjectStoreOptions {
  /** Directory holding the buckets: `gs://bucket/a/b.csv` is stored as `<root>/bucket/a/b.csv`. */
  readonly root: string;
}

/**
 * The embedded object store: objects are files under a root directory (`gs://bucket/a/b.csv` →
 * `<root>/bucket/a/b.csv`), so local runs and people can read them directly. Each object's generation,
 * metageneration, CRC32C, MD5, content type and custom metadata live in a hidden sidecar tree (`<root>/.skein-meta/`)
 * that never shows up as an object.
 *
 * - Uploads are streamed to a staging file (`<root>/.skein-tmp/`) and renamed into place, so a failed or truncated
 *   upload leaves nothing behind.
 * - Create-if-absent (`ifGenerationMatch: 0`) places the bytes with a hard link, which the filesystem refuses if the
 *   name exists: exactly one of any number of concurrent creators wins, even across processes. Other writes to one
 *   object are serialized within this process only.
 * - Reads verify the recorded CRC32C and size, so bytes altered behind the store's back fail with `ChecksumMismatch`.
 *   Files placed under a bucket directory by hand (no sidecar) are served as objects described from their bytes.
 * - Buckets are directories; uploads create them as needed. Reading from or listing a missing bucket fails with
 *   `CloudStorageBucketNotFound`.
 * - A directory tree cannot hold both `a` and `a/b`, nor names ending in `/` or with empty, `.` or `..` segments; such
 *   names are refused (GCS allows them).
 * - `signUrl` returns the object file's `file://` URL. It is NOT a security boundary: it grants nothing and expires
 *   never; local runs simply read the file. Write URLs cannot be signed (writing the file directly would bypass the
 *   sidecar record).
 *
 * @example
 * ```ts
 * const store = new LocalObjectStore({ root: '.skein/storage' });
 * await store.upload('gs://my-bucket/data/a.csv', 'x,y\n1,2\n', { contentType: 'text/csv' });
 * ```
 */
export class LocalObjectStore implements ObjectStore {
  /** @inheritDoc */
  readonly kind = 'local';
  private readonly layout: LocalLayout;
  private readonly reader: LocalReader;
  private readonly writer: LocalWriter;
  private readonly locks = new KeyedLock();

  /**
   * @param options - `root`: the directory holding the buckets (created on first upload).
   * @throws InvalidInputException when no root directory is given.
   */
  constructor(options: LocalObjectStoreOptions) {
    if (typeof options?.root !== 'string' || options.root === '') {
      throw new InvalidInputException('LocalObjectStore needs a root directory: new LocalObjectStore({ root }).');
    }
    this.layout = new LocalLayout(options.root);
    this.reader = new LocalReader(this.layout);
    this.writer = new LocalWriter(this.layout, this.reader);
  }

  /** The absolute root directory. */
  get root(): string {
    return this.layout.root;
  }

  /** @inheritDoc */
  async upload(location: string, source: UploadSource, options: UploadOptions = {}): Promise<StoredObject> {
    const key = this.layout.parseObject(location);
    checkPreconditionValue(options.ifGenerationMatch, 'ifGenerationMatch', location);
    checkUploadMetadata(options.metadata, location);
    const staged = await stageUpload(this.layout, await openUploadSource(source), location, options.onProgress);
    try {
      return await this.locks.run(location, () => this.writer.commit(key, location, staged, options));
    } finally {
      // After a rename the staged file is gone; after a hard link (or a failure) this removes the staging name.
      await rm(staged.path, { force: true });
    }
  }

  /** @inheritDoc */
  createReadStream(location: string, options: DownloadOptions = {}): Readable {
    const key = this.layout.parseObject(location);
    return new DeferredReadable(async () => (await this.reader.open(key, location, options)).chain);
  }

  /** @inheritDoc */
  async downloadToFile(location: string, localPath: string, options: DownloadOptions = {}): Promise<StoredObject> {
    const key = this.layout.parseObject(location);
    const { chain, object } = await this.reader.open(key, location, options);
    await writeStreamToFile(DeferredReadable.fromOpenChain(chain), localPath, location);
    return object;
  }

  /** @inheritDoc */
  async read(location: string): Promise<Buffer> {
    return readAll(this.createReadStream(location));
  }

  /** @inheritDoc */
  async getMetadata(location: string): Promise<StoredObject> {
    return (await this.require(this.layout.parseObject(location), location)).object;
  }

  /** @inheritDoc */
  async setCustomMetadata(
    location: string,
    metadata: Record<string, string | null>,
    options: { ifMetagenerationMatch?: number } = {},
  ): Promise<StoredObject> {
    const key = this.layout.parseObject(location);
    checkMetadataChanges(metadata, location);
    checkPreconditionValue(options.ifMetagenerationMatch, 'ifMetagenerationMatch', location);
    return this.locks.run(location, async () => {
      const { object, ino } = await this.require(key, location);
      const expected = options.ifMetagenerationMatch;
      if (expected !== undefined && String(expected) !== object.metageneration) {
        throw new PreconditionFailed(
          `Precondition ifMetagenerationMatch=${expected} failed for ${location}: its metageneration is ` +
            `${object.metageneration}. Re-read its metadata and try again.`,
          { location },
        );
      }
      return this.writer.updateMetadata(key, location, object, ino, metadata);
    });
  }

  /** @inheritDoc */
  async exists(location: string): Promise<boolean> {
    const key = this.layout.parseObject(location);
    return lstat(this.layout.objectPath(key)).then(
      (stats) => stats.isFile(),
      (error: unknown) => (isMissing(error) ? false : Promise.reject(localFailure('check', location, error))),
    );
  }

  /** @inheritDoc */
  async delete(location: string, options: { ignoreMissing?: boolean } = {}): Promise<void> {
    const key = this.layout.parseObject(location);
    await this.locks.run(location, async () => {
      const removed = await this.layout.remove(key).catch((error: unknown) => {
        throw localFailure('delete', location, error);
      });
      if (!removed && !options.ignoreMissing) {
        throw await this.reader.missingOrFailure(key, location, undefined);
      }
    });
  }

  /** @inheritDoc */
  async list(prefixLocation: string, options: ListOptions = {}): Promise<ListResult> {
    return listLocalObjects(this.layout, this.reader, prefixLocation, options.delimiter);
  }

  /** @inheritDoc */
  async createIfAbsent(
    location: string,
    data: Buffer | string,
    options: Omit<UploadOptions, 'ifGenerationMatch'> = {},
  ): Promise<boolean> {
    return createIfAbsentVia(this, location, data, options);
  }

  /** @inheritDoc */
  get signedUrlBase(): string {
    return pathToFileURL(`${this.layout.root}/`).href;
  }

  /**
   * Returns the `file://` URL of the object's file. Not a security boundary: the URL grants no access of its own and
   * never expires; it exists so code that hands out signed URLs works locally, where the reader opens the file.
   * @throws UrlSigningFailed for a `write` action, or a lifetime outside 1 s … 7 days.
   */
  async signUrl(location: string, options: SignUrlOptions = {}): Promise<string> {
    const key = this.layout.parseObject(location);
    signedUrlLifetime(options.expiresInSeconds, location);
    if ((options.action ?? 'read') !== 'read') {
      throw new UrlSigningFailed(
        `The local object store cannot sign a '${options.action}' URL for ${location}: writing its file directly would ` +
          'bypass the metadata the store keeps. Upload through the store instead.',
        { location },
      );
    }
    return pathToFileURL(this.layout.objectPath(key)).href;
  }

  private async require(key: ObjectKey, location: string): Promise<{ object: StoredObject; ino: string }> {
    const described = await this.reader.describe(key, location);
    if (!described) {
      throw await this.reader.missingOrFailure(key, location, undefined);
    }
    return described;
  }
}
