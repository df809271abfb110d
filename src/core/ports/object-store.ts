import type { Readable } from 'node:stream';

/**
 * The object-store port. Skein's resources and runtime see only this interface; `GcsObjectStore` (Google Cloud
 * Storage through the official client) and `LocalObjectStore` (a directory on disk, the embedded default) implement it.
 *
 * Every location is a cloud path `gs://<bucket>/<object name>`, whichever adapter serves it, so code and recorded
 * manifests are the same locally and in the cloud.
 */
export interface ObjectStore {
  /** A short name for messages and diagnostics, e.g. `gcs` or `local`. */
  readonly kind: string;

  /**
   * Uploads bytes to `location` from a buffer, a string, a readable stream, or (with `fromFile`) a local file.
   * A failed or truncated upload leaves no object behind.
   * @returns The stored object's metadata (including its `crc32c`).
   * @throws PreconditionFailed when `ifGenerationMatch` does not hold (e.g. `0` and the object exists).
   */
  upload(location: string, source: UploadSource, options?: UploadOptions): Promise<StoredObject>;

  /**
   * Opens a stream of the object's bytes. The stream errors with `ChecksumMismatch` if the bytes do not match the
   * stored CRC32C, and with `ObjectNotFound` if there is no such object.
   */
  createReadStream(location: string, options?: DownloadOptions): Readable;

  /**
   * Downloads the object to a local file (written to a temporary name and renamed, so a failed download leaves no
   * partial file). Parent directories are created.
   */
  downloadToFile(location: string, localPath: string, options?: DownloadOptions): Promise<StoredObject>;

  /** Reads a whole (small) object into memory. */
  read(location: string): Promise<Buffer>;

  /** The object's metadata. @throws ObjectNotFound */
  getMetadata(location: string): Promise<StoredObject>;

  /**
   * Merges custom metadata into the object's; a `null` value deletes that key.
   * @throws ObjectNotFound, PreconditionFailed (when `ifMetagenerationMatch` does not hold)
   */
  setCustomMetadata(
    location: string,
    metadata: Record<string, string | null>,
    options?: { ifMetagenerationMatch?: number },
  ): Promise<StoredObject>;

  /** Whether the object exists. */
  exists(location: string): Promise<boolean>;

  /** Deletes the object. @throws ObjectNotFound unless `ignoreMissing` */
  delete(location: string, options?: { ignoreMissing?: boolean }): Promise<void>;

  /**
   * Lists objects whose names start with the location's prefix (`gs://bucket/dir/`), sorted by name, across every
   * page. With a `delimiter`, names that continue past it after the prefix are collapsed into `prefixes`.
   */
  list(prefixLocation: string, options?: ListOptions): Promise<ListResult>;

  /**
   * Creates the object only if no object exists there (`ifGenerationMatch: 0`): exactly one of several concurrent
   * callers wins.
   * @returns `true` if this call created it, `false` if it already existed.
   */
  createIfAbsent(
    location: string,
    data: Buffer | string,
    options?: Omit<UploadOptions, 'ifGenerationMatch'>,
  ): Promise<boolean>;

  /** A V4 signed URL for reading (GET) or writing (PUT) the object, valid for `expiresInSeconds` (default 7 days). */
  signUrl(location: string, options?: SignUrlOptions): Promise<string>;

  /**
   * Where the URLs `signUrl` returns point: an `http(s)` origin (`https://storage.googleapis.com`, or a GCS-compatible
   * server's) or a `file://` directory URL. A service accepts signed URLs there in the manifests it receives, so an
   * in-process tree or one on a GCS-compatible server works without allowing any other host. Optional.
   */
  readonly signedUrlBase?: string;
}

/** What `upload` accepts. */
export type UploadSource = Buffer | string | Readable | { fromFile: string };

/** Progress of a transfer, reported as bytes move. */
export interface TransferProgress {
  /** Bytes transferred so far. */
  readonly bytes: number;
  /** Total bytes, when known. */
  readonly totalBytes?: number;
}

/** Called as a transfer progresses. */
export type ProgressCallback = (progress: TransferProgress) => void;

/** Options for `upload`. */
export interface UploadOptions {
  /** MIME type; default `application/octet-stream`. */
  readonly contentType?: string;
  /** Custom metadata (string values). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Only write if the object's current generation is this (`0` = only if absent). */
  readonly ifGenerationMatch?: number;
  /** Progress reports during the upload. */
  readonly onProgress?: ProgressCallback;
}

/** Options for downloads. */
export interface DownloadOptions {
  /** Progress reports during the download. */
  readonly onProgress?: ProgressCallback;
  /** Verify the CRC32C of the bytes against the stored value (default true). */
  readonly validate?: boolean;
}

/** Options for `list`. */
export interface ListOptions {
  /** Collapse names continuing past this delimiter into `prefixes` (e.g. `/` for one directory level). */
  readonly delimiter?: string;
}

/** Result of `list`. */
export interface ListResult {
  /** Objects found, sorted by name. */
  readonly objects: readonly StoredObject[];
  /** Collapsed prefixes as cloud paths (`gs://bucket/dir/sub/`), when a delimiter was given. */
  readonly prefixes: readonly string[];
}

/** Options for `signUrl`. */
export interface SignUrlOptions {
  /** `read` (GET, the default) or `write` (PUT). */
  readonly action?: 'read' | 'write';
  /** Lifetime in seconds; default 7 days (604 800 s, the V4 maximum). */
  readonly expiresInSeconds?: number;
  /** Content type a signed PUT must send. */
  readonly contentType?: string;
}

/** An object's metadata as the store reports it. */
export interface StoredObject {
  /** `gs://bucket/name`. */
  readonly location: string;
  readonly bucket: string;
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /** Base64 big-endian CRC32C, as GCS reports it. */
  readonly crc32c: string;
  /** Base64 MD5, when the store computes it. */
  readonly md5Hash?: string;
  /** Object generation; changes on every write. */
  readonly generation: string;
  /** Metadata generation; changes on every metadata update. */
  readonly metageneration: string;
  readonly contentType: string;
  readonly timeCreated?: string;
  readonly updated?: string;
  /** Custom metadata (`x-goog-meta-*`). */
  readonly metadata: Readonly<Record<string, string>>;
}
