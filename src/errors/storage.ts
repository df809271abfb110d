import { SkeinError } from './base';

/** Context carried by every storage error. */
export interface StorageErrorContext {
  /** The object's location, `gs://bucket/name` or a local path. */
  readonly location?: string;
  /** The underlying client or filesystem error. */
  readonly cause?: unknown;
}

/** Base for object-store failures; wraps the client's error as `cause`. */
export class StorageError extends SkeinError {
  /** The object's location, `gs://bucket/name` or a local path. */
  readonly location: string | undefined;

  /**
   * @param message - What failed.
   * @param context - Location and cause.
   */
  constructor(message: string, context: StorageErrorContext = {}) {
    super(message, { cause: context.cause });
    this.location = context.location;
  }
}

/** The object does not exist. */
export class ObjectNotFound extends StorageError {}

/** The bucket does not exist (Octue's `CloudStorageBucketNotFound`). */
export class CloudStorageBucketNotFound extends StorageError {}

/** A generation precondition failed, e.g. a create-if-absent found the object already there. */
export class PreconditionFailed extends StorageError {}

/** The bytes received do not match the checksum the store reported. */
export class ChecksumMismatch extends StorageError {}

/** An upload ended before all its bytes arrived; nothing was left behind. */
export class IncompleteUpload extends StorageError {}

/** A path is not a valid `gs://bucket/name` path. */
export class InvalidCloudPath extends StorageError {}

/** A signed URL could not be made: no signing credentials, a lifetime out of range, or an action the store cannot sign. */
export class UrlSigningFailed extends StorageError {}

/** A storage request failed for a reason no narrower error covers (permissions, network, server or filesystem errors). */
export class StorageRequestFailed extends StorageError {}
