import type { Readable } from 'node:stream';

/** A stored bucket. */
export interface BucketRecord {
  /** Bucket name. */
  readonly name: string;
  /** RFC 3339 creation time. */
  readonly timeCreated: string;
  /** Location reported in the resource (`US` unless the create request named one). */
  readonly location: string;
  /** Storage class (`STANDARD` unless the create request named one). */
  readonly storageClass: string;
}

/** Optional HTTP-ish object properties GCS stores beside the bytes. */
export interface ObjectProperties {
  /** MIME type; `application/octet-stream` when the uploader gave none. */
  readonly contentType: string;
  /** `Content-Encoding` the bytes are stored with (e.g. `gzip`), when set. */
  readonly contentEncoding?: string;
  /** `Content-Disposition`, when set. */
  readonly contentDisposition?: string;
  /** `Content-Language`, when set. */
  readonly contentLanguage?: string;
  /** `Cache-Control`, when set. */
  readonly cacheControl?: string;
  /** Custom metadata (string values only). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** A stored object's metadata (the bytes live in the backend). */
export interface ObjectRecord extends ObjectProperties {
  /** Bucket name. */
  readonly bucket: string;
  /** Object name. */
  readonly name: string;
  /** Generation: a strictly increasing microsecond timestamp, changed by every write of the bytes. */
  readonly generation: number;
  /** Metageneration: 1 for new bytes, +1 for every metadata update. */
  readonly metageneration: number;
  /** Size in bytes. */
  readonly size: number;
  /** Base64 MD5 of the bytes. */
  readonly md5Hash: string;
  /** Base64 of the big-endian CRC32C of the bytes. */
  readonly crc32c: string;
  /** RFC 3339 time this generation was created. */
  readonly timeCreated: string;
  /** RFC 3339 time of the last change (bytes or metadata). */
  readonly updated: string;
}

/** An inclusive byte range. */
export interface ByteRange {
  /** First byte. */
  readonly start: number;
  /** Last byte (inclusive). */
  readonly end: number;
}

/**
 * Bytes being uploaded, held apart from stored objects until the upload is finalized (the directory backend keeps
 * them in a temporary file). Writes append; nothing is visible as an object until {@link StorageBackend.commitObject}.
 */
export interface StagedBytes {
  /** Appends chunks, resolving once they are stored (so counts and hashes taken afterwards are exact). */
  write(chunks: readonly Buffer[]): Promise<void>;
  /** Throws the staged bytes away. Safe to call more than once, and after a commit (then it does nothing). */
  discard(): Promise<void>;
}

/**
 * Where the server keeps buckets and objects. Implementations: {@link MemoryBackend} (everything in memory) and
 * {@link DirectoryBackend} (objects as files, metadata in JSON sidecars, bytes always streamed).
 *
 * Backends do no locking or precondition checks; the object service serialises writes per object and only calls a
 * backend when the write is allowed.
 */
export interface StorageBackend {
  /** `memory` or `directory`, for diagnostics. */
  readonly kind: string;
  /** Loads existing state and removes leftovers of interrupted uploads. */
  init(): Promise<void>;
  /** The bucket, or undefined. */
  getBucket(name: string): Promise<BucketRecord | undefined>;
  /** Every bucket, sorted by name. */
  listBuckets(): Promise<BucketRecord[]>;
  /** Creates or replaces a bucket record. */
  putBucket(record: BucketRecord): Promise<void>;
  /** Removes a bucket (the caller checked it is empty). */
  deleteBucket(name: string): Promise<void>;
  /** The object's metadata, or undefined. */
  getObject(bucket: string, name: string): Promise<ObjectRecord | undefined>;
  /** Every object in the bucket, sorted by name. */
  listObjects(bucket: string): Promise<ObjectRecord[]>;
  /** Starts a new staging area for an upload. */
  createStaging(): Promise<StagedBytes>;
  /** Makes staged bytes the object's content with this record, replacing any previous generation. */
  commitObject(record: ObjectRecord, staged: StagedBytes): Promise<void>;
  /** Replaces the stored metadata of an existing object (bytes unchanged). */
  putObjectMetadata(record: ObjectRecord): Promise<void>;
  /** Removes an object. */
  deleteObject(bucket: string, name: string): Promise<void>;
  /** Opens the bytes of exactly this generation (or the given inclusive range of them) as a stream. */
  openRead(record: ObjectRecord, range?: ByteRange): Promise<Readable>;
}
