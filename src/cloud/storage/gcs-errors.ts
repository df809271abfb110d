import {
  ChecksumMismatch,
  CloudStorageBucketNotFound,
  ObjectNotFound,
  PreconditionFailed,
  SkeinError,
  StorageRequestFailed,
} from '../../errors';

// Codes the storage client puts on the errors it raises itself when bytes fail validation.
const CHECKSUM_CODES = new Set(['CONTENT_DOWNLOAD_MISMATCH', 'FILE_NO_UPLOAD', 'FILE_NO_UPLOAD_DELETE']);

/** The HTTP status of a storage client error, wherever the client put it (`code`, `status` or `response.status`). */
export function httpStatusOf(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') {
    return undefined;
  }
  const candidate = error as { code?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const value of [candidate.code, candidate.status, candidate.response?.status]) {
    if (typeof value === 'number' && value >= 100 && value < 600) {
      return value;
    }
  }
  return undefined;
}

/**
 * The human-readable message of a storage client error. Errors from read streams carry the raw JSON response body
 * as their message; the `error.message` inside it is extracted.
 */
export function gcsErrorMessage(error: unknown): string {
  const message =
    error !== null && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string'
      ? (error as { message: string }).message
      : String(error);
  if (message.trimStart().startsWith('{')) {
    try {
      const body = JSON.parse(message) as { error?: { message?: unknown } };
      if (typeof body.error?.message === 'string') {
        return body.error.message;
      }
    } catch {
      // Not JSON after all: use the message as it is.
    }
  }
  return message;
}

/**
 * Turns a storage client error into one of Skein's storage errors, keeping the original as `cause`:
 * 404 → `ObjectNotFound` or `CloudStorageBucketNotFound` (from GCS's message), 412 → `PreconditionFailed`, a failed
 * CRC32C/MD5 check → `ChecksumMismatch`, anything else → `StorageRequestFailed`. Skein errors pass through unchanged.
 *
 * @param error - What the client threw or emitted.
 * @param location - The object (or prefix) the request was about.
 * @param action - What was being done, for the message, e.g. `read`.
 * @returns The error to throw.
 */
export function toStorageError(error: unknown, location: string, action: string): SkeinError {
  if (error instanceof SkeinError) {
    return error;
  }
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  const status = httpStatusOf(error);
  const message = gcsErrorMessage(error);
  const context = { location, cause: error };
  if (typeof code === 'string' && CHECKSUM_CODES.has(code)) {
    return new ChecksumMismatch(
      `The bytes of ${location} failed CRC32C validation during ${action}: ${message.split('\n')[0]} ` +
        'Retry the transfer.',
      context,
    );
  }
  if (status === 404) {
    return isBucketMissing(message)
      ? new CloudStorageBucketNotFound(`Cannot ${action} ${location}: its bucket does not exist (${message}).`, context)
      : new ObjectNotFound(`Cannot ${action} ${location}: no such object (${message}).`, context);
  }
  if (status === 412) {
    return new PreconditionFailed(
      `Cannot ${action} ${location}: a generation precondition does not hold (${message}). The object was created, ` +
        'changed or deleted by someone else; re-read it and try again.',
      context,
    );
  }
  return new StorageRequestFailed(
    `Cannot ${action} ${location}: ${status === undefined ? '' : `HTTP ${status}: `}${message}`,
    context,
  );
}

function isBucketMissing(message: string): boolean {
  // GCS says "No such object: <bucket>/<name>" for objects (bucket names may contain "bucket"), and "The specified
  // bucket does not exist." for buckets.
  return !/no such object/i.test(message) && /bucket/i.test(message);
}
