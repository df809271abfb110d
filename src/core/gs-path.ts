import { InvalidCloudPath } from '../errors';

/** The parts of a `gs://bucket/name` path. */
export interface CloudPathParts {
  readonly bucket: string;
  /** Object name (may be empty for a bucket root, or end in `/` for a prefix). */
  readonly name: string;
}

const CLOUD_PATH = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])(?:\/(.*))?$/;

/** Whether `path` is a `gs://` cloud path. */
export function isCloudPath(path: string): boolean {
  return path.startsWith('gs://');
}

/**
 * Splits `gs://bucket/name` into bucket and object name.
 * @throws InvalidCloudPath when the path is not a `gs://` path with a valid bucket name.
 */
export function parseCloudPath(path: string): CloudPathParts {
  const match = CLOUD_PATH.exec(path);
  if (!match) {
    throw new InvalidCloudPath(`'${path}' is not a cloud path: expected gs://<bucket>/<object name>.`, {
      location: path,
    });
  }
  return { bucket: match[1] as string, name: match[2] ?? '' };
}

/** Builds `gs://bucket/name`. */
export function formatCloudPath(bucket: string, name: string): string {
  return `gs://${bucket}/${name}`;
}

/** Joins path segments onto a cloud path with single slashes, e.g. `joinCloudPath('gs://b/a/', 'c')` → `gs://b/a/c`. */
export function joinCloudPath(base: string, ...segments: string[]): string {
  return [base.replace(/\/+$/, ''), ...segments.map((s) => s.replace(/^\/+|\/+$/g, ''))].filter(Boolean).join('/');
}

/** The last path segment of a cloud path (`gs://b/dir/file.csv` → `file.csv`). */
export function cloudPathBasename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
