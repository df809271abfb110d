import type { Bucket, File, GetFilesOptions, Storage, StorageOptions } from '@google-cloud/storage';
import type { Readable } from 'node:stream';

import { formatCloudPath, parseCloudPath } from '../../core/gs-path';
import { Crc32c } from '../../core/hashing/crc32c';
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
import { InvalidCloudPath, InvalidInputException, UrlSigningFailed } from '../../errors';
import { writeStreamToFile } from './download-to-file';
import { gcsErrorMessage, toStorageError } from './gcs-errors';
import { gcsReadStream, toStoredObject, uploadToGcs } from './gcs-transfer';
import { checkMetadataChanges, checkPreconditionValue, checkUploadMetadata, createIfAbsentVia } from './object-options';
import { compareNames, openUploadSource, readAll, signedUrlLifetime } from './transfer';

/** Options for {@link GcsObjectStore}. */
export interface GcsObjectStoreOptions {
  /** A ready client. When given, the connection options below are ignored. */
  readonly storage?: Storage;
  /** Google Cloud project id. */
  readonly projectId?: string;
  /** API endpoint, e.g. a GCS-compatible server's `http://127.0.0.1:PORT`; signed URLs point at it too. */
  readonly apiEndpoint?: string;
  /** Path of a service-account key file (needed to sign URLs outside Google Cloud). */
  readonly keyFilename?: string;
  /** Service-account credentials (`client_email`, `private_key`), instead of a key file. */
  readonly credentials?: StorageOptions['credentials'];
  /** Objects per listing request (GCS allows 1–1000; default 1000). `list` always fetches every page. */
  readonly listPageSize?: number;
  /**
   * Uploads of known size (buffers, strings, files) up to this many bytes use one request (default 8 MiB); larger ones
   * and streams are resumable.
   */
  readonly simpleUploadMaxBytes?: number;
}

const DEFAULT_SIMPLE_UPLOAD_MAX_BYTES = 8 * 1024 * 1024;

/** Plugs Skein's native CRC32C into the client in place of its pure-JS one (about 70× faster). */
const crc32cGenerator = (): Crc32c => new Crc32c();

type ConnectionOptions = Pick<GcsObjectStoreOptions, 'projectId' | 'apiEndpoint' | 'keyFilename' | 'credentials'>;

// The client library takes ~80 ms to load, which a function's cold start pays before its first answer even when the
// question touches no object; so it is loaded when the first client is made.
function createClient(connection: ConnectionOptions): Storage {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Storage: StorageClient } = require('@google-cloud/storage') as { Storage: typeof Storage };
  const storage = new StorageClient({ ...connection, crc32cGenerator });
  if (connection.apiEndpoint) {
    // The client sends JSON API requests to STORAGE_EMULATOR_HOST whenever that variable is set, even when an
    // apiEndpoint is given (uploads and signed URLs still use apiEndpoint). An explicit endpoint must win everywhere.
    storage.baseUrl = `${storage.apiEndpoint}/storage/v1`;
  }
  return storage;
}

/**
 * The object store on Google Cloud Storage, through the official client. Uploads and downloads are streamed and
 * CRC32C-validated (with a native hasher), uploads of known size up to 8 MiB take one request and everything else
 * a resumable upload, and every client error becomes one of Skein's storage errors with the original as `cause`.
 *
 * Point it at a GCS-compatible server with `apiEndpoint` (no environment variable is needed; signed URLs then point at
 * that server, and an explicit `apiEndpoint` overrides `STORAGE_EMULATOR_HOST`, which the client would otherwise
 * use for its JSON API requests). Signing URLs needs credentials with a private key (`keyFilename` or `credentials`).
 *
 * @example
 * ```ts
 * const store = new GcsObjectStore({ projectId: 'my-project' });
 * await store.upload('gs://my-bucket/data/a.csv', { fromFile: 'a.csv' }, { contentType: 'text/csv' });
 * ```
 */
export class GcsObjectStore implements ObjectStore {
  /** @inheritDoc */
  readonly kind = 'gcs';
  private client: Storage | undefined;
  private readonly connection: ConnectionOptions;
  private readonly listPageSize: number | undefined;
  private readonly simpleUploadMaxBytes: number;

  /**
   * @param options - A client, or how to build one; listing and upload tuning.
   * @throws InvalidInputException when `listPageSize` is not a whole number from 1 to 1000.
   */
  constructor(options: GcsObjectStoreOptions = {}) {
    const { storage, listPageSize, simpleUploadMaxBytes, ...connection } = options;
    if (listPageSize !== undefined && (!Number.isInteger(listPageSize) || listPageSize < 1 || listPageSize > 1000)) {
      throw new InvalidInputException(`listPageSize must be a whole number from 1 to 1000; got ${listPageSize}.`);
    }
    this.client = storage;
    this.connection = connection;
    this.listPageSize = listPageSize;
    this.simpleUploadMaxBytes = simpleUploadMaxBytes ?? DEFAULT_SIMPLE_UPLOAD_MAX_BYTES;
  }

  /** @inheritDoc */
  get signedUrlBase(): string {
    // The client resolves the endpoint (an explicit apiEndpoint, else STORAGE_EMULATOR_HOST, else Google's) as it
    // does when signing, so this is where its signed URLs really point.
    const endpoint = this.connection.apiEndpoint ?? this.storage.apiEndpoint;
    return new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`).origin;
  }

  /** The underlying client: the one given, or one made from the connection options on first use. */
  get storage(): Storage {
    this.client ??= createClient(this.connection);
    return this.client;
  }

  /** @inheritDoc */
  async upload(location: string, source: UploadSource, options: UploadOptions = {}): Promise<StoredObject> {
    const file = this.file(location);
    checkPreconditionValue(options.ifGenerationMatch, 'ifGenerationMatch', location);
    checkUploadMetadata(options.metadata, location);
    return uploadToGcs(file, location, await openUploadSource(source), options, this.simpleUploadMaxBytes);
  }

  /** @inheritDoc */
  createReadStream(location: string, options: DownloadOptions = {}): Readable {
    const file = this.file(location);
    return gcsReadStream(file, location, options);
  }

  /** @inheritDoc */
  async downloadToFile(location: string, localPath: string, options: DownloadOptions = {}): Promise<StoredObject> {
    const stored = await this.getMetadata(location);
    // Read exactly the generation described, so the bytes and the returned metadata belong together.
    const file = this.bucket(stored.bucket).file(stored.name, { generation: Number(stored.generation) });
    await writeStreamToFile(gcsReadStream(file, location, options, stored.size), localPath, location);
    return stored;
  }

  /** @inheritDoc */
  async read(location: string): Promise<Buffer> {
    return readAll(this.createReadStream(location));
  }

  /** @inheritDoc */
  async getMetadata(location: string): Promise<StoredObject> {
    const file = this.file(location);
    try {
      const [metadata] = await file.getMetadata();
      return toStoredObject(metadata);
    } catch (error) {
      throw toStorageError(error, location, 'get the metadata of');
    }
  }

  /** @inheritDoc */
  async setCustomMetadata(
    location: string,
    metadata: Record<string, string | null>,
    options: { ifMetagenerationMatch?: number } = {},
  ): Promise<StoredObject> {
    const file = this.file(location);
    checkMetadataChanges(metadata, location);
    checkPreconditionValue(options.ifMetagenerationMatch, 'ifMetagenerationMatch', location);
    const query =
      options.ifMetagenerationMatch === undefined ? {} : { ifMetagenerationMatch: options.ifMetagenerationMatch };
    try {
      // GCS merges custom metadata on PATCH and deletes keys set to null.
      const [updated] = await file.setMetadata({ metadata }, query);
      return toStoredObject(updated);
    } catch (error) {
      throw toStorageError(error, location, 'update the metadata of');
    }
  }

  /** @inheritDoc */
  async exists(location: string): Promise<boolean> {
    const file = this.file(location);
    try {
      const [exists] = await file.exists();
      return exists;
    } catch (error) {
      throw toStorageError(error, location, 'check');
    }
  }

  /** @inheritDoc */
  async delete(location: string, options: { ignoreMissing?: boolean } = {}): Promise<void> {
    const file = this.file(location);
    try {
      await file.delete({ ignoreNotFound: options.ignoreMissing === true });
    } catch (error) {
      throw toStorageError(error, location, 'delete');
    }
  }

  /** @inheritDoc */
  async list(prefixLocation: string, options: ListOptions = {}): Promise<ListResult> {
    const { bucket, name: prefix } = parseCloudPath(prefixLocation);
    const objects: StoredObject[] = [];
    const prefixes = new Set<string>();
    // Pages are fetched by hand: the client's auto-pagination drops the prefixes of all but the last page.
    let query: GetFilesOptions | null = {
      prefix,
      autoPaginate: false,
      ...(options.delimiter ? { delimiter: options.delimiter } : {}),
      ...(this.listPageSize ? { maxResults: this.listPageSize } : {}),
    };
    while (query) {
      let page: [File[], GetFilesOptions | null, unknown];
      try {
        page = (await this.bucket(bucket).getFiles(query)) as [File[], GetFilesOptions | null, unknown];
      } catch (error) {
        throw toStorageError(error, prefixLocation, 'list');
      }
      const [files, next, response] = page;
      files.forEach((file) => objects.push(toStoredObject(file.metadata)));
      ((response as { prefixes?: string[] } | undefined)?.prefixes ?? []).forEach((p) => prefixes.add(p));
      query = next;
    }
    return {
      objects: objects.sort((a, b) => compareNames(a.name, b.name)),
      prefixes: [...prefixes].sort(compareNames).map((p) => formatCloudPath(bucket, p)),
    };
  }

  /** @inheritDoc */
  async createIfAbsent(
    location: string,
    data: Buffer | string,
    options: Omit<UploadOptions, 'ifGenerationMatch'> = {},
  ): Promise<boolean> {
    return createIfAbsentVia(this, location, data, options);
  }

  /**
   * @inheritDoc
   * @throws UrlSigningFailed when the client has no credentials with a private key, or the lifetime is out of range.
   */
  async signUrl(location: string, options: SignUrlOptions = {}): Promise<string> {
    const file = this.file(location);
    const lifetime = signedUrlLifetime(options.expiresInSeconds, location);
    try {
      const [url] = await file.getSignedUrl({
        version: 'v4',
        action: options.action ?? 'read',
        expires: Date.now() + lifetime * 1000,
        ...(options.contentType ? { contentType: options.contentType } : {}),
      });
      return url;
    } catch (error) {
      throw new UrlSigningFailed(
        `Cannot sign a URL for ${location}: ${gcsErrorMessage(error)}. Signing needs service-account credentials ` +
          'with a private key (keyFilename or credentials).',
        { location, cause: error },
      );
    }
  }

  private bucket(name: string): Bucket {
    // Set per bucket too, so a client passed in by the caller also validates with the native hasher.
    return this.storage.bucket(name, { crc32cGenerator });
  }

  private file(location: string): File {
    const { bucket, name } = parseCloudPath(location);
    if (name === '') {
      throw new InvalidCloudPath(`'${location}' names a bucket, not an object: expected gs://<bucket>/<object name>.`, {
        location,
      });
    }
    return this.bucket(bucket).file(name);
  }
}
