import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { InvalidInputException, InvalidManifestException, ManifestNotFoundException } from '../../errors';
import { isCloudPath } from '../gs-path';
import { crc32cHash } from '../hashing/crc32c';
import { decodeOctueJson, encodeOctueJson } from '../json/octue-json';
import { setOwnProperty } from '../json/own-property';
import { PythonTuple, pythonRepr, pythonSorted } from '../json/python-repr';
import type { CloudAccessOptions, SignedUrlOptions } from './datafile-types';
import { Dataset } from './dataset';
import type { DatasetLoadOptions, DatasetPrimitive } from './dataset-types';
import { normaliseId } from './resource-values';
import { requireStore } from './store-access';

/** Everything a `Manifest` is built from; building one does no I/O. */
export interface ManifestInit {
  /** A UUID; a new one is generated when missing. */
  readonly id?: string | null;
  readonly name?: string | null;
  /** The datasets by key (the keys a twine's manifest strand names). */
  readonly datasets?: Readonly<Record<string, Dataset>>;
}

/** A manifest's primitive: exactly Octue's `Manifest.to_primitive()`. */
export interface ManifestPrimitive {
  id: string;
  name: string | null;
  /** Each dataset as its path, or as its full primitive when it was defined by a list of files. */
  datasets: Record<string, string | DatasetPrimitive>;
}

/** Options for loading a manifest's datasets (applied to every dataset and its files). */
export type ManifestLoadOptions = Omit<DatasetLoadOptions, 'id' | 'name' | 'tags' | 'labels'>;

/** Options of `Manifest.download()`. */
export interface ManifestDownloadOptions extends CloudAccessOptions {
  /** Where to put particular datasets, by key. */
  readonly paths?: Readonly<Record<string, string>>;
  /** Where the other datasets go, each in a subdirectory named by its key (default: a new temporary directory). */
  readonly directory?: string;
  /** With `paths`: whether to download the datasets not named there too (default true). */
  readonly downloadAll?: boolean;
}

/**
 * A set of named datasets going into or out of an analysis (Octue's `Manifest`).
 *
 * @example
 * ```ts
 * const manifest = await Manifest.fromPrimitive(
 *   { id: '6b47f41a-9d6f-41de-bc92-54ce8ecf5bed', datasets: { met_mast_data: 'gs://my-bucket/met-mast' } },
 *   { store },
 * );
 * const dataset = manifest.getDataset('met_mast_data');
 * await manifest.useSignedUrlsForDatasets({ store }); // before sending it to another service
 * ```
 */
export class Manifest {
  /** The manifest's UUID. */
  readonly id: string;
  /** An optional name. */
  name: string | null;
  /** The datasets by key. */
  readonly datasets: Record<string, Dataset>;
  // Serialises changes of dataset paths, so concurrent `useSignedUrlsForDatasets` calls sign each dataset once.
  private pathUpdates: Promise<void> = Promise.resolve();

  /**
   * @param init - Id, name and datasets.
   * @throws InvalidInputException for a bad id.
   */
  constructor(init: ManifestInit = {}) {
    this.id = normaliseId(init.id);
    this.name = init.name ?? null;
    this.datasets = Object.fromEntries(Object.entries(init.datasets ?? {}));
  }

  /**
   * Builds a manifest from its primitive, loading its datasets: each one may be a path (local directory, `gs://`
   * prefix or signed URL), a `Dataset`, or an object with `path` (and `files`).
   * @throws InvalidManifestException when the primitive is malformed; dataset loading errors as for `Dataset.load`.
   */
  static async fromPrimitive(primitive: unknown, options: ManifestLoadOptions = {}): Promise<Manifest> {
    if (primitive === null || typeof primitive !== 'object' || Array.isArray(primitive)) {
      throw new InvalidManifestException('A manifest must be a JSON object with "id" and "datasets".');
    }
    const record = primitive as { id?: unknown; name?: unknown; datasets?: unknown };
    const datasets = record.datasets ?? {};
    if (typeof datasets !== 'object' || Array.isArray(datasets)) {
      throw new InvalidManifestException(
        'A manifest\'s "datasets" must be an object mapping dataset keys to datasets.',
      );
    }
    if (record.name !== undefined && record.name !== null && typeof record.name !== 'string') {
      throw new InvalidManifestException('A manifest\'s "name" must be a string or null.');
    }
    const loaded = await Promise.all(
      Object.entries(datasets as Record<string, unknown>).map(async ([key, value]) => {
        const dataset = value instanceof Dataset ? value : await Dataset.fromPrimitive(value, options);
        return [key, dataset] as const;
      }),
    );
    return new Manifest({
      id: record.id as string | null | undefined,
      name: record.name ?? null,
      datasets: Object.fromEntries(loaded),
    });
  }

  /**
   * Loads a manifest serialised as JSON at a `gs://` location.
   * @throws ManifestNotFoundException when there is no object there; InvalidManifestException for bad JSON.
   */
  static async fromCloud(cloudPath: string, options: ManifestLoadOptions = {}): Promise<Manifest> {
    const store = requireStore(options.store, cloudPath);
    const bytes = await store.read(cloudPath).catch((error: unknown) => {
      throw new ManifestNotFoundException(`No manifest could be read from '${cloudPath}'.`, { cause: error });
    });
    return Manifest.fromPrimitive(parseManifestJson(bytes.toString('utf8'), cloudPath), { ...options, store });
  }

  /**
   * Loads a manifest serialised as JSON in a local file.
   * @throws ManifestNotFoundException when the file does not exist; InvalidManifestException for bad JSON.
   */
  static async fromFile(filePath: string, options: ManifestLoadOptions = {}): Promise<Manifest> {
    const text = await fs.readFile(filePath, 'utf8').catch((error: unknown) => {
      throw new ManifestNotFoundException(`No manifest could be read from '${filePath}'.`, { cause: error });
    });
    return Manifest.fromPrimitive(parseManifestJson(text, filePath), options);
  }

  /**
   * The dataset with the given key.
   * @throws InvalidInputException when there is no such key (the message lists the keys there are).
   */
  getDataset(key: string): Dataset {
    if (!Object.hasOwn(this.datasets, key)) {
      throw new InvalidInputException(
        `Attempted to fetch unknown dataset '${key}' from the manifest. Allowable keys are: ` +
          `[${Object.keys(this.datasets)
            .map((k) => `'${k}'`)
            .join(', ')}]`,
      );
    }
    return this.datasets[key] as Dataset;
  }

  /** Whether every file of every dataset is in the cloud. */
  get allDatasetsAreInCloud(): boolean {
    return Object.values(this.datasets).every((dataset) => dataset.allFilesAreInCloud);
  }

  /** CRC32C (base64) of Python's `str(sorted((key, dataset_hash), …))`, as Octue hashes manifests. */
  async hash(options: CloudAccessOptions = {}): Promise<string> {
    const entries = await Promise.all(
      Object.entries(this.datasets).map(async ([key, dataset]) => new PythonTuple([key, await dataset.hash(options)])),
    );
    return crc32cHash(pythonRepr(pythonSorted(entries)));
  }

  /** The primitive form: `{id, name, datasets}` with each dataset as its path, or in full if built from files. */
  toPrimitive(): ManifestPrimitive {
    const datasets = Object.entries(this.datasets).map(([key, dataset]) => {
      return [key, dataset.instantiatedFromFiles ? dataset.toPrimitive() : dataset.path] as const;
    });
    return { id: this.id, name: this.name, datasets: Object.fromEntries(datasets) };
  }

  /** The manifest as JSON, as Octue serialises it (sorted keys, indented by 4). */
  serialise(): string {
    return encodeOctueJson(this.toPrimitive(), { indent: 4, sortKeys: true });
  }

  /** Uploads the serialised manifest to a `gs://` location. */
  async toCloud(cloudPath: string, options: CloudAccessOptions = {}): Promise<void> {
    await requireStore(options.store, cloudPath).upload(cloudPath, this.serialise(), {
      contentType: 'application/json',
    });
  }

  /**
   * Downloads the cloud datasets: those named in `paths` there, the rest (unless `downloadAll` is false) into
   * `<directory>/<key>`.
   * @returns The directory each downloaded dataset is in, by key.
   */
  async download(options: ManifestDownloadOptions = {}): Promise<Record<string, string>> {
    const paths: Record<string, string> = { ...(options.paths ?? {}) };
    const downloadAll = options.paths === undefined || options.downloadAll !== false;
    let directory = options.directory;
    const result: Record<string, string> = {};
    for (const [key, dataset] of Object.entries(this.datasets)) {
      // Own keys only: a dataset named `constructor` or `__proto__` must not find Object.prototype's members.
      const chosen = Object.hasOwn(paths, key) ? paths[key] : undefined;
      if (!chosen && !downloadAll) continue;
      directory ??= await fs.mkdtemp(path.join(os.tmpdir(), 'skein-manifest-'));
      setOwnProperty(
        result,
        key,
        await dataset.download({ ...options, directory: chosen ?? path.join(directory, key) }),
      );
    }
    return result;
  }

  /**
   * Sets each dataset's path to what `generator` returns for it. Calls are serialised.
   * @param generator - Returns the new path of a dataset.
   */
  updateDatasetPaths(generator: (dataset: Dataset) => string | Promise<string>): Promise<void> {
    const run = this.pathUpdates.then(async () => {
      for (const dataset of Object.values(this.datasets)) dataset.path = await generator(dataset);
    });
    this.pathUpdates = run.catch(() => undefined);
    return run;
  }

  /**
   * Replaces the `gs://` path of every cloud dataset with a signed URL (see `Dataset.generateSignedUrl`), so
   * services without access to the bucket can read it. Local datasets and datasets already at URLs are left as they
   * are, so calling this again changes nothing.
   */
  useSignedUrlsForDatasets(options: SignedUrlOptions = {}): Promise<void> {
    return this.updateDatasetPaths((dataset) =>
      isCloudPath(dataset.path) ? dataset.generateSignedUrl(options) : dataset.path,
    );
  }
}

function parseManifestJson(text: string, location: string): unknown {
  try {
    return decodeOctueJson(text);
  } catch (error) {
    throw new InvalidManifestException(`The manifest at '${location}' is not valid JSON.`, { cause: error });
  }
}
