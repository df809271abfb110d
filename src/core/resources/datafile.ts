import path from 'node:path';
import type { Readable } from 'node:stream';

import { InvalidInputException } from '../../errors';
import { isCloudPath } from '../gs-path';
import type { CloudMetadataRecord } from './cloud-metadata';
import * as io from './datafile-io';
import * as loaders from './datafile-loaders';
import type {
  CloudAccessOptions,
  DatafileDownloadOptions,
  DatafileInit,
  DatafileLoadOptions,
  DatafileMetadata,
  DatafileMetadataOptions,
  DatafilePrimitive,
  DatafileUploadOptions,
  SignedUrlOptions,
} from './datafile-types';
import { isRemotePath, lastPathSegment } from './paths';
import { TaggedResource } from './resource';
import { RESOURCE_SDK_VERSION, type TimestampInput, normaliseTimestamp, shapeMetadata } from './resource-values';

/**
 * A data file with metadata (Octue's `Datafile`): an id, a timestamp, tags and labels, stored with the file in a
 * local `.octue` file or as the cloud object's custom metadata. The file may be local, in the cloud (`gs://`), at a
 * URL, or both local and in the cloud.
 *
 * Building one with `new Datafile({...})` or `Datafile.fromPrimitive(...)` does no I/O. The async loaders read the
 * stored metadata, which wins over metadata passed in unless `ignoreStoredMetadata` is set.
 *
 * @example
 * ```ts
 * const local = await Datafile.fromLocalFile('data/readings.csv', { labels: 'raw' });
 * await local.upload({ store, cloudPath: 'gs://my-bucket/readings.csv' });
 * const remote = await Datafile.fromCloud('gs://my-bucket/readings.csv', { store });
 * const stream = await remote.openReadStream();
 * ```
 */
export class Datafile extends TaggedResource {
  private _localPath: string | null;
  private _cloudPath: string | null;
  private _timestamp: Date | null;
  private _cloudMetadata: CloudMetadataRecord | null;

  /**
   * @param init - Path, metadata and known locations (see {@link DatafileInit}).
   * @throws InvalidInputException for a bad id or timestamp; InvalidTagException / InvalidLabelException.
   */
  constructor(init: DatafileInit) {
    super(init);
    if (typeof init.path !== 'string' || init.path === '') {
      throw new InvalidInputException('A datafile needs a non-empty path.');
    }
    this._timestamp = normaliseTimestamp(init.timestamp);
    this._cloudMetadata = init.cloudMetadata ?? null;
    if (isRemotePath(init.path)) {
      this._cloudPath = init.path;
      this._localPath = init.localPath ? path.resolve(init.localPath) : null;
    } else {
      this._localPath = path.resolve(init.path);
      this._cloudPath = init.cloudPath ?? null;
    }
  }

  /**
   * Builds a datafile from its primitive (Octue's `to_primitive()` output, decoded or not), without I/O.
   * @throws InvalidInputException when the primitive has no `path` or holds bad values.
   */
  static fromPrimitive(primitive: unknown): Datafile {
    return new Datafile(loaders.datafileInitFromPrimitive(primitive));
  }

  /** Loads a local file with its `.octue` metadata. @throws FileNotFoundException unless it exists or `allowMissing`. */
  static async fromLocalFile(filePath: string, options: DatafileLoadOptions = {}): Promise<Datafile> {
    return new Datafile(await loaders.loadLocalDatafileInit(filePath, options));
  }

  /**
   * Loads a cloud object (`gs://`) with its custom metadata through `options.store`. With `localPath`, that file is
   * used as the local copy when it holds the same bytes, and the object is downloaded there otherwise.
   * @throws FileNotFoundException when the object does not exist (unless `allowMissing`).
   */
  static async fromCloud(cloudPath: string, options: DatafileLoadOptions = {}): Promise<Datafile> {
    return Datafile.withLocalCopy(new Datafile(await loaders.loadCloudDatafileInit(cloudPath, options)), options);
  }

  /** Loads a file from a URL (signed or `file://`) with what metadata it exposes. @throws FileNotFoundException */
  static async fromUrl(url: string, options: DatafileLoadOptions = {}): Promise<Datafile> {
    return Datafile.withLocalCopy(new Datafile(await loaders.loadUrlDatafileInit(url, options)), options);
  }

  /** Loads a datafile from a local path, `gs://` path or URL (dispatching to the loaders above). */
  static async load(location: string, options: DatafileLoadOptions = {}): Promise<Datafile> {
    return Datafile.withLocalCopy(new Datafile(await loaders.loadDatafileInit(location, options)), options);
  }

  private static async withLocalCopy(datafile: Datafile, options: DatafileLoadOptions): Promise<Datafile> {
    if (options.localPath && datafile._cloudPath && !datafile._localPath) {
      datafile._localPath = await io.adoptLocalCopy(datafile, { ...options, localPath: options.localPath });
    }
    return datafile;
  }

  /** The default name: the last segment of the cloud path (without a URL's query), else of the local path. */
  protected defaultName(): string {
    return lastPathSegment(this._cloudPath ?? (this._localPath as string));
  }

  /** The extension of the name, without the dot (`csv`). */
  get extension(): string {
    return path.extname(this.name).replace(/^\./, '');
  }

  /** The local path if there is one, otherwise the cloud path. */
  get path(): string {
    return (this._localPath ?? this._cloudPath) as string;
  }

  /** The absolute local path, or `null` for a file only in the cloud (see `download`). */
  get localPath(): string | null {
    return this._localPath;
  }

  /** The cloud path (`gs://…` or a URL), or `null` for a local-only file. */
  get cloudPath(): string | null {
    return this._cloudPath;
  }

  /** Whether the file has a local path. */
  get existsLocally(): boolean {
    return this._localPath !== null;
  }

  /** Whether the file has a cloud path or URL. */
  get existsInCloud(): boolean {
    return this._cloudPath !== null;
  }

  /** The cloud location (`gs://` path or URL), if any. */
  protected remoteLocation(): string | null {
    return this._cloudPath;
  }

  /** The datafile's timestamp, or `null`. Set it with a Date, POSIX seconds, an ISO string or `null`. */
  get timestamp(): Date | null {
    return this._timestamp;
  }

  set timestamp(value: TimestampInput) {
    this._timestamp = normaliseTimestamp(value);
  }

  /** The timestamp as POSIX seconds, or `null`. */
  get posixTimestamp(): number | null {
    return this._timestamp === null ? null : this._timestamp.getTime() / 1000;
  }

  /** What is known about the cloud object (Octue's `_cloud_metadata`), or `null`. */
  get cloudMetadata(): CloudMetadataRecord | null {
    return this._cloudMetadata;
  }

  /**
   * The metadata stored with the file, in Octue's form: `id`, `timestamp`, `tags`, `labels`, `sdk_version`, keys
   * prefixed with `octue__` unless `useOctueNamespace` is false.
   */
  metadata(options: DatafileMetadataOptions = {}): Record<string, unknown> {
    const metadata: DatafileMetadata = {
      id: this.id,
      timestamp: this._timestamp,
      tags: this.tags.toPrimitive(),
      labels: new Set(this.labels.sorted()),
      sdk_version: RESOURCE_SDK_VERSION,
    };
    return shapeMetadata(metadata, options);
  }

  /** The primitive form, with exactly Octue's keys (see {@link DatafilePrimitive}). */
  toPrimitive(): DatafilePrimitive {
    return {
      id: this.id,
      timestamp: this._timestamp,
      tags: this.tags.toPrimitive(),
      labels: this.labels.sorted(),
      name: this.name,
      local_path: this._localPath,
      cloud_path: this._cloudPath,
      _cloud_metadata: this._cloudMetadata ?? {},
      path: this.path,
    };
  }

  /** CRC32C (base64, as GCS reports it) of the bytes: streamed from the local file, else the object's `crc32c`. */
  hash(options: CloudAccessOptions = {}): Promise<string> {
    return io.hashDatafile(this, this.withStore(options));
  }

  /**
   * Uploads the local file (or copies the cloud object) to `cloudPath` with the datafile's metadata, skipping the
   * upload when the cloud object already holds the same bytes.
   * @returns The cloud path.
   * @throws CloudLocationNotSpecified when no cloud path is given or known.
   */
  async upload(options: DatafileUploadOptions = {}): Promise<string> {
    const result = await io.uploadDatafile(this, this.withStore(options));
    this._cloudPath = result.cloudPath;
    this._cloudMetadata = result.cloudMetadata;
    this._store = options.store ?? this._store;
    return result.cloudPath;
  }

  /**
   * Downloads the cloud file to `localPath` (or a temporary file), streamed; the datafile then has both paths.
   * @returns The absolute local path.
   * @throws CloudLocationNotSpecified for a local-only datafile; FileNotFoundException when the object is missing.
   */
  async download(options: DatafileDownloadOptions = {}): Promise<string> {
    this._localPath = await io.downloadDatafile(this, this.withStore(options));
    return this._localPath;
  }

  /** Opens a stream of the file's bytes (local file first, else the cloud object or URL). */
  openReadStream(options: CloudAccessOptions = {}): Promise<Readable> {
    return io.openDatafileReadStream(this, this.withStore(options));
  }

  /** Writes the datafile's metadata to its cloud object's custom metadata. */
  async updateCloudMetadata(options: CloudAccessOptions = {}): Promise<void> {
    this._cloudMetadata = await io.updateDatafileCloudMetadata(this, this.withStore(options));
  }

  /** Writes the datafile's metadata into the `.octue` file of its directory. */
  updateLocalMetadata(): Promise<void> {
    return io.updateDatafileLocalMetadata(this);
  }

  /** Writes the metadata to the cloud object if the file is in the cloud (`gs://`), else to the local `.octue` file. */
  async updateMetadata(options: CloudAccessOptions = {}): Promise<void> {
    if (this._cloudPath && isCloudPath(this._cloudPath)) await this.updateCloudMetadata(options);
    else await this.updateLocalMetadata();
  }

  /** A signed URL for reading the cloud object. @throws CloudLocationNotSpecified for a non-`gs://` datafile. */
  generateSignedUrl(options: SignedUrlOptions = {}): Promise<string> {
    return io.signDatafile(this, this.withStore(options));
  }
}
