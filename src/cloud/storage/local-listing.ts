import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { formatCloudPath } from '../../core/gs-path';
import type { ListResult, StoredObject } from '../../core/ports/object-store';
import { CloudStorageBucketNotFound, StorageRequestFailed } from '../../errors';
import type { LocalLayout } from './local-layout';
import type { LocalReader } from './local-reader';
import { isMissing } from './local-reader';
import { compareNames } from './transfer';

// Describing an object reads its sidecar (and stats its file); bound how many run at once so large listings do not
// exhaust file descriptors.
const DESCRIBE_CONCURRENCY = 32;

/**
 * Lists a local store's objects under a prefix, sorted by name (UTF-8 byte order, as GCS sorts).
 * @param layout - Where things are.
 * @param reader - Describes each object.
 * @param prefixLocation - `gs://bucket/`, `gs://bucket/dir/` or a partial name (`gs://bucket/dir/da`).
 * @param delimiter - If given, names continuing past it after the prefix are collapsed into `prefixes`.
 * @returns The objects and collapsed prefixes.
 * @throws InvalidCloudPath for a malformed prefix; CloudStorageBucketNotFound when the bucket directory is missing.
 */
export async function listLocalObjects(
  layout: LocalLayout,
  reader: LocalReader,
  prefixLocation: string,
  delimiter?: string,
): Promise<ListResult> {
  const { bucket, name: prefix } = layout.parsePrefix(prefixLocation);
  const bucketExists = await stat(layout.bucketPath(bucket)).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!bucketExists) {
    throw new CloudStorageBucketNotFound(
      `Cannot list ${prefixLocation}: bucket '${bucket}' does not exist in the local object store at '${layout.root}'.`,
      { location: prefixLocation },
    );
  }
  // Only the directory named by the prefix's complete segments can hold matching files.
  const directory = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  const names = (await walk(layout.bucketPath(bucket), directory, prefixLocation))
    .filter((name) => name.startsWith(prefix))
    .sort(compareNames);

  const objectNames: string[] = [];
  const prefixes = new Set<string>();
  for (const name of names) {
    const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
    if (delimiter && cut >= 0) {
      prefixes.add(name.slice(0, cut + delimiter.length));
    } else {
      objectNames.push(name);
    }
  }

  const objects: StoredObject[] = [];
  for (let start = 0; start < objectNames.length; start += DESCRIBE_CONCURRENCY) {
    const batch = objectNames.slice(start, start + DESCRIBE_CONCURRENCY);
    const described = await Promise.all(
      batch.map((name) => reader.describe({ bucket, name }, formatCloudPath(bucket, name))),
    );
    // An object deleted while the listing ran is simply left out.
    described.forEach((entry) => entry && objects.push(entry.object));
  }
  return { objects, prefixes: [...prefixes].sort(compareNames).map((p) => formatCloudPath(bucket, p)) };
}

/** Names (relative to the bucket, `/`-separated) of every regular file under `directory` of the bucket. */
async function walk(bucketPath: string, directory: string, location: string): Promise<string[]> {
  const names: string[] = [];
  const pending = [directory];
  while (pending.length > 0) {
    const relative = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(join(bucketPath, ...relative.split('/')), { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) {
        continue;
      }
      throw new StorageRequestFailed(
        `Cannot list ${location} in the local object store: ${(error as Error).message}.`,
        {
          location,
          cause: error,
        },
      );
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        pending.push(`${relative}${entry.name}/`);
      } else if (entry.isFile()) {
        names.push(`${relative}${entry.name}`);
      }
    }
  }
  return names;
}
