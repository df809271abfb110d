import { isCloudPath, joinCloudPath } from '../gs-path';
import { FilterSet } from '../filters';
import { crc32cHash } from '../hashing/crc32c';
import { compareCodePointStrings, pythonRepr, pythonSorted } from '../json/python-repr';
import type { Datafile } from './datafile';
import type { CloudAccessOptions, SignedUrlOptions } from './datafile-types';
import * as io from './dataset-io';
import {
  loadCloudDatasetInit,
  loadDatasetInit,
  loadDatasetInitFromFiles,
  loadDatasetInitFromPrimitive,
  loadLocalDatasetInit,
  loadUrlDatasetInit,
} from './dataset-loaders';
import type {
  DatasetDownloadOptions,
  DatasetFromFilesOptions,
  DatasetInit,
  DatasetLoadOptions,
  DatasetPrimitive,
  DatasetUploadOptions,
} from './dataset-types';
import { localMetadataPath } from './local-metadata';
import { RESOURCE_CONCURRENCY, isRemotePath, lastPathSegment, mapConcurrently } from './paths';
import { TaggedResource } from './resource';
import { METADATA_FILENAME } from './resource-values';

/**
 * A set of datafiles with metadata (Octue's `Dataset`): an id, a name, tags and labels, stored in a `.octue` file in
 * the dataset's folder (local directory or `gs://` prefix). `files` is a `FilterSet` of `Datafile`s.
 *
 * `new Dataset({...})` does no I/O; the async loaders read the folder and its stored metadata, which wins over
 * metadata passed in unless `ignoreStoredMetadata` is set.
 *
 * @example
 * ```ts
 * const local = await Dataset.fromLocalDirectory('data/readings', { recursive: true });
 * await local.upload({ store, cloudPath: 'gs://my-bucket/readings' });
 * const remote = await Dataset.fromCloud('gs://my-bucket/readings', { store });
 * const csv = remote.files.filter({ name__ends_with: '.csv' });
 * const url = await remote.generateSignedUrl(); // shareable; `Dataset.fromUrl(url)` reads it back
 * ```
 */
export class Dataset extends TaggedResource implements Iterable<Datafile> {
  private _path: string;
  private _files: FilterSet<Datafile>;
  private readonly _instantiatedFromFiles: boolean;

  /**
   * @param init - Path, files and metadata (see {@link DatasetInit}).
   * @throws InvalidInputException for a bad id; InvalidTagException / InvalidLabelException.
   */
  constructor(init: DatasetInit = {}) {
    super(init);
    this._path = init.path ?? process.cwd();
    this._files = new FilterSet(init.files ?? []);
    this._instantiatedFromFiles = init.instantiatedFromFiles ?? this._files.size > 0;
  }

  /**
   * Loads a dataset from a local directory: every file in it (recursively by default; `.octue` files and
   * `.signed_metadata_files/` skipped) with their `.octue` metadata, and the dataset's own `.octue` metadata.
   * @throws FolderNotFoundException when the directory does not exist (unless `allowMissing`).
   */
  static async fromLocalDirectory(directory: string, options: DatasetLoadOptions = {}): Promise<Dataset> {
    return new Dataset(await loadLocalDatasetInit(directory, options));
  }

  /**
   * Loads a dataset from a `gs://` prefix through `options.store`: its `<prefix>/.octue` metadata (whose `files`
   * list, if any, defines the files) or else the objects under the prefix.
   * @throws FolderNotFoundException when nothing is stored there (unless `allowMissing`).
   */
  static async fromCloud(cloudPath: string, options: DatasetLoadOptions = {}): Promise<Dataset> {
    return new Dataset(await loadCloudDatasetInit(cloudPath, options));
  }

  /**
   * Loads a dataset from a signed URL (or `file://` URL) to its signed metadata file (see `generateSignedUrl`).
   * @throws FileNotFoundException when the URL cannot be read.
   */
  static async fromUrl(url: string, options: DatasetLoadOptions = {}): Promise<Dataset> {
    return new Dataset(await loadUrlDatasetInit(url, options));
  }

  /** Builds a dataset from a list of `Datafile`s, paths/URLs (loaded) or datafile primitives. */
  static async fromFiles(files: Iterable<unknown>, options: DatasetFromFilesOptions = {}): Promise<Dataset> {
    return new Dataset(await loadDatasetInitFromFiles(files, options));
  }

  /** Loads a dataset from a local directory, `gs://` prefix or URL. */
  static async load(location: string, options: DatasetLoadOptions = {}): Promise<Dataset> {
    return new Dataset(await loadDatasetInit(location, options));
  }

  /**
   * Builds a dataset from its primitive (or a path, or `{path, files?}`), loading its files: a non-empty `files`
   * list defines the dataset; otherwise it is loaded from `path`.
   */
  static async fromPrimitive(primitive: unknown, options: DatasetLoadOptions = {}): Promise<Dataset> {
    return new Dataset(await loadDatasetInitFromPrimitive(primitive, options));
  }

  /** The default name: the last segment of the path (without a URL's query). */
  protected defaultName(): string {
    return lastPathSegment(this._path);
  }

  /** The dataset's path when it is remote (`gs://` or a URL), else `null`. */
  protected remoteLocation(): string | null {
    return this.existsInCloud ? this._path : null;
  }

  /** The dataset's folder: local directory, `gs://` prefix or URL. */
  get path(): string {
    return this._path;
  }

  set path(location: string) {
    this._path = location;
  }

  /** The dataset's datafiles. */
  get files(): FilterSet<Datafile> {
    return this._files;
  }

  set files(files: Iterable<Datafile>) {
    this._files = new FilterSet(files);
  }

  /** The number of files. */
  get size(): number {
    return this._files.size;
  }

  /** Whether the dataset was defined by an explicit list of files (so manifests carry it in full). */
  get instantiatedFromFiles(): boolean {
    return this._instantiatedFromFiles;
  }

  /** Whether the dataset's path is remote (`gs://` or a URL). */
  get existsInCloud(): boolean {
    return isRemotePath(this._path);
  }

  /** Whether the dataset's path is local. */
  get existsLocally(): boolean {
    return !this.existsInCloud;
  }

  /** Whether every file is in the cloud. */
  get allFilesAreInCloud(): boolean {
    return this._files.toArray().every((datafile) => datafile.existsInCloud);
  }

  /** Where the dataset's `.octue` metadata lives (the URL itself for a URL dataset). */
  get metadataPath(): string {
    if (isCloudPath(this._path)) return joinCloudPath(this._path, METADATA_FILENAME);
    return this.existsInCloud ? this._path : localMetadataPath(this._path);
  }

  /** Iterates over the files. */
  [Symbol.iterator](): Iterator<Datafile> {
    return this._files[Symbol.iterator]();
  }

  /** The file with the given label. @throws UnexpectedNumberOfResultsException unless exactly one file has it. */
  getFileByLabel(label: string): Datafile {
    return this._files.one({ labels__contains: label });
  }

  /**
   * The primitive form, with exactly Octue's keys: `{id, name, tags, labels, path, files}` where `files` are sorted
   * paths (cloud paths for files in the cloud).
   */
  toPrimitive(options: { includeFiles?: boolean } = {}): DatasetPrimitive {
    const primitive: DatasetPrimitive = {
      id: this.id,
      name: this.name,
      tags: this.tags.toPrimitive(),
      labels: this.labels.sorted(),
      path: this._path,
    };
    if (options.includeFiles !== false) {
      primitive.files = this._files
        .toArray()
        .map((datafile) => (datafile.existsInCloud ? datafile.cloudPath : datafile.localPath) as string)
        .sort(compareCodePointStrings);
    }
    return primitive;
  }

  /** CRC32C (base64) of Python's `str(sorted(<file hashes>))`, as Octue hashes datasets. */
  async hash(options: CloudAccessOptions = {}): Promise<string> {
    const hashes = await mapConcurrently(this._files.toArray(), RESOURCE_CONCURRENCY, (datafile) =>
      datafile.hash(this.withStore(options)),
    );
    return crc32cHash(pythonRepr(pythonSorted(hashes)));
  }

  /**
   * Uploads every file under `cloudPath` (keeping their relative paths) with their metadata, writes the dataset's
   * `.octue` metadata there, and makes `cloudPath` the dataset's path.
   * @returns The cloud path. @throws CloudLocationNotSpecified when no cloud path is given or known.
   */
  async upload(options: DatasetUploadOptions = {}): Promise<string> {
    this._path = await io.uploadDataset(this, this.withStore(options));
    this._store = options.store ?? this._store;
    return this._path;
  }

  /**
   * Downloads every cloud file into `directory` (or a temporary directory), keeping their relative paths.
   * @returns The absolute directory. @throws CloudLocationNotSpecified for a local dataset.
   */
  download(options: DatasetDownloadOptions = {}): Promise<string> {
    return io.downloadDataset(this, this.withStore(options));
  }

  /** Writes `<dataset>/.octue` in the cloud with the dataset's metadata. */
  updateCloudMetadata(options: CloudAccessOptions = {}): Promise<void> {
    return io.updateDatasetCloudMetadata(this, this.withStore(options));
  }

  /** Writes the dataset's metadata into `<dataset>/.octue` locally. */
  updateLocalMetadata(): Promise<void> {
    return io.updateDatasetLocalMetadata(this);
  }

  /** Writes the metadata to the cloud for a `gs://` dataset, else locally. */
  updateMetadata(options: CloudAccessOptions = {}): Promise<void> {
    return isCloudPath(this._path) ? this.updateCloudMetadata(options) : this.updateLocalMetadata();
  }

  /**
   * A signed URL for the whole dataset (Octue's scheme): a signed metadata file listing signed URLs of the files is
   * uploaded under `<dataset>/.signed_metadata_files/` and signed.
   * @throws CloudLocationNotSpecified for a dataset not in `gs://`.
   */
  generateSignedUrl(options: SignedUrlOptions = {}): Promise<string> {
    return io.signDataset(this, this.withStore(options));
  }
}
