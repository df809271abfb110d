import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';

import { cloudPathBasename, parseCloudPath } from '../core/gs-path';
import { setOwnProperty } from '../core/json/own-property';
import type { ObjectStore, ProgressCallback, StoredObject } from '../core/ports/object-store';
import { InvalidCloudPath, ObjectNotFound } from '../errors';

/** The data files of a diagnostics directory, downloaded even without the datasets (as Octue's CLI does). */
export const DIAGNOSTICS_DATA_FILES = [
  'configuration_values.json',
  'configuration_manifest.json',
  'input_values.json',
  'input_manifest.json',
  'questions.json',
] as const;

/** Follows one file's download: a progress callback and a call when it is done. */
export interface DownloadTracker {
  readonly onProgress?: ProgressCallback;
  done?(): void;
}

/** What {@link downloadDiagnostics} needs. */
export interface DownloadDiagnosticsParams {
  /** The store the diagnostics are in. */
  readonly objectStore: ObjectStore;
  /** The question's diagnostics directory, `<diagnostics cloud path>/<question uuid>`. */
  readonly cloudPath: string;
  /** The local directory to put the `<question uuid>` directory in. */
  readonly localPath: string;
  /** Download the manifests' datasets too, and point the local manifests at the copies (default false). */
  readonly downloadDatasets?: boolean;
  /** Called as each file starts downloading, to follow its progress. */
  readonly onDownload?: (object: StoredObject, localPath: string) => DownloadTracker | undefined;
  /** How many files download at once (default 4). */
  readonly concurrency?: number;
}

/** What was downloaded. */
export interface DownloadedDiagnostics {
  /** The local `<local path>/<question uuid>` directory. */
  readonly directory: string;
  /** The files written, in cloud name order. */
  readonly files: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Skein and Octue upload each dataset to `<kind>_manifest_datasets/<dataset directory>`; the manifest names that
// directory (as a path string, or a primitive's `path`), so its last segment is where the copy now lives locally.
function localDatasetPath(directory: string, kind: string, key: string, entry: unknown): string {
  const path = typeof entry === 'string' ? entry : isRecord(entry) && typeof entry.path === 'string' ? entry.path : '';
  const name = path === '' ? key : cloudPathBasename(path) || key;
  return join(directory, `${kind}_manifest_datasets`, name);
}

async function pointManifestsAtLocalDatasets(directory: string): Promise<void> {
  for (const kind of ['configuration', 'input']) {
    const file = join(directory, `${kind}_manifest.json`);
    let manifest: unknown;
    try {
      manifest = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      continue; // No such manifest (or not JSON): nothing to point anywhere.
    }
    if (!isRecord(manifest) || !isRecord(manifest.datasets)) continue;
    const datasets: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(manifest.datasets)) {
      const local = localDatasetPath(directory, kind, key, entry);
      if (isRecord(entry)) {
        // The listed files are cloud paths; without them the dataset is read from its local directory.
        const { files: _files, ...rest } = entry;
        setOwnProperty(datasets, key, { ...rest, path: local });
      } else {
        setOwnProperty(datasets, key, local);
      }
    }
    await writeFile(file, `${JSON.stringify({ ...manifest, datasets }, null, 2)}\n`);
  }
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}

/**
 * Downloads a question's crash diagnostics (the layout `Diagnostics` and Octue write) into
 * `<localPath>/<question uuid>/`, as `octue twined question diagnostics` does: the five JSON files, or with
 * `downloadDatasets` everything, the manifests then pointing at the local copies of their datasets.
 * @param params - The store, the cloud directory, the local directory and what to download.
 * @returns The local directory and the files written.
 * @throws InvalidCloudPath when `cloudPath` is not a `gs://bucket/…/<question uuid>` path; ObjectNotFound when
 *   nothing is there; the store's errors.
 */
export async function downloadDiagnostics(params: DownloadDiagnosticsParams): Promise<DownloadedDiagnostics> {
  const cloudPath = params.cloudPath.replace(/\/+$/, '');
  const { name } = parseCloudPath(cloudPath);
  if (name === '') {
    throw new InvalidCloudPath(
      `'${params.cloudPath}' names a bucket, not a diagnostics directory: give gs://<bucket>/<path>/<question uuid>.`,
      { location: params.cloudPath },
    );
  }
  const questionUuid = cloudPathBasename(cloudPath);
  const directory = join(params.localPath, questionUuid);
  const { objects } = await params.objectStore.list(`${cloudPath}/`);
  const prefix = `${name}/`;
  const wanted = objects.filter((object) => {
    const relative = object.name.slice(prefix.length);
    return params.downloadDatasets === true || (DIAGNOSTICS_DATA_FILES as readonly string[]).includes(relative);
  });
  if (wanted.length === 0) {
    throw new ObjectNotFound(
      `No diagnostics were found at '${cloudPath}': check the path (it ends in the question uuid) and that the ` +
        'service saves diagnostics there (diagnostics_cloud_path).',
      { location: cloudPath },
    );
  }
  await mkdir(directory, { recursive: true });
  const files: string[] = [];
  await inBatches(wanted, params.concurrency ?? 4, async (object) => {
    const local = join(directory, ...object.name.slice(prefix.length).split('/'));
    if (!local.startsWith(directory + sep)) return; // Never write outside the directory (names with `..`).
    const tracker = params.onDownload?.(object, local);
    await params.objectStore.downloadToFile(
      object.location,
      local,
      tracker?.onProgress === undefined ? {} : { onProgress: tracker.onProgress },
    );
    tracker?.done?.();
    files.push(local);
  });
  if (params.downloadDatasets === true) await pointManifestsAtLocalDatasets(directory);
  return { directory, files: files.sort() };
}
