import path from 'node:path';

import { isCloudPath } from '../gs-path';

/** The folder (inside a cloud dataset) holding the JSON files that signed dataset URLs point at. */
export const SIGNED_METADATA_DIRECTORY = '.signed_metadata_files';

/** Whether `location` is a URL a resource can be read from: `http(s)://` (e.g. a signed URL) or `file://`. */
export function isUrl(location: string): boolean {
  return /^(https?|file):\/\//i.test(location);
}

/**
 * Whether `location` is remote, i.e. a `gs://` path or a URL (Octue's `is_cloud_path`), for how a resource is read. A
 * `file://` URL counts as remote here (it is read like a URL), but as local for every check of what a question may
 * name or send: those use `isLocalLocation` (location-policy.ts).
 */
export function isRemotePath(location: string): boolean {
  return isCloudPath(location) || isUrl(location);
}

/**
 * The last segment of a local path, `gs://` path or URL, without a URL's query string or trailing slashes.
 *
 * @param location - A path or URL.
 * @returns e.g. `file.csv` for `https://host/b/dir/file.csv?X-Goog-Signature=…`.
 */
export function lastPathSegment(location: string): string {
  if (isUrl(location)) {
    const pathname = urlPathname(location).replace(/\/+$/, '');
    return pathname.slice(pathname.lastIndexOf('/') + 1);
  }
  if (isCloudPath(location)) {
    const trimmed = location.split('?')[0]?.replace(/\/+$/, '') ?? '';
    return trimmed.slice(trimmed.lastIndexOf('/') + 1);
  }
  return path.basename(path.resolve(location));
}

/**
 * The path of a remote object relative to a remote folder, with `/` separators. For URLs the comparison uses the URL
 * paths (query strings dropped), and a dataset URL's `/.signed_metadata_files/…` tail is removed first, so the files
 * of a signed dataset resolve relative to the dataset folder they were signed from.
 *
 * @param location - The object's `gs://` path or URL.
 * @param folder - The folder's `gs://` path or URL.
 * @returns The relative path, e.g. `sub/file.csv`; starts with `..` when the object is outside the folder.
 */
export function relativeRemotePath(location: string, folder: string): string {
  return path.posix.relative(remotePathname(folder, true), remotePathname(location, false));
}

function remotePathname(location: string, isFolder: boolean): string {
  let pathname: string;
  if (isUrl(location)) {
    pathname = urlPathname(location);
    if (isFolder) pathname = pathname.split(`/${SIGNED_METADATA_DIRECTORY}`)[0] ?? pathname;
  } else {
    pathname = '/' + location.replace(/^gs:\/\//, '');
  }
  return path.posix.normalize(pathname).replace(/\/+$/, '') || '/';
}

/** A URL's decoded path; for text that does not parse as a URL, what follows the scheme and host, without a query. */
function urlPathname(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    const afterScheme = url.replace(/^[a-z]+:\/\/[^/]*/i, '');
    return afterScheme.split(/[?#]/)[0] ?? '';
  }
}

/**
 * The path of a local file relative to a local folder, with `/` separators.
 *
 * @param file - The file's path.
 * @param folder - The folder's path.
 * @returns The relative path; starts with `..` when the file is outside the folder.
 */
export function relativeLocalPath(file: string, folder: string): string {
  return path.relative(path.resolve(folder), path.resolve(file)).split(path.sep).join('/');
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight, keeping results in input order. Datasets can hold
 * thousands of files, so loads and transfers are bounded rather than all started at once.
 *
 * @param items - The inputs.
 * @param limit - Most calls at once.
 * @param fn - The async function to apply.
 * @returns The results, in the order of `items`.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** How many transfers or metadata reads a dataset runs at once. */
export const RESOURCE_CONCURRENCY = 16;
