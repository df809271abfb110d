import { resolve } from 'node:path';
import type { Readable } from 'node:stream';

import type {
  DownloadOptions,
  ListOptions,
  ListResult,
  ObjectStore,
  SignUrlOptions,
  StoredObject,
  UploadOptions,
  UploadSource,
} from '../core/ports/object-store';

/**
 * An object store that reports every file downloaded through it and otherwise passes each call to the store it wraps.
 * The Runner gives one to each analysis when `deleteLocalFiles` is on, so that the files the analysis downloads
 * (its manifests' datafiles and any datafile the app loads with `analysis.objectStore`) can be deleted afterwards.
 */
export class DownloadTrackingStore implements ObjectStore {
  /**
   * @param store - The store every call goes to.
   * @param onDownload - Told the absolute local path of each completed download.
   */
  constructor(
    private readonly store: ObjectStore,
    private readonly onDownload: (localPath: string) => void,
  ) {}

  /** @inheritDoc */
  get kind(): string {
    return this.store.kind;
  }

  /** @inheritDoc */
  async downloadToFile(location: string, localPath: string, options?: DownloadOptions): Promise<StoredObject> {
    const stored = await this.store.downloadToFile(location, localPath, options);
    this.onDownload(resolve(localPath));
    return stored;
  }

  /** @inheritDoc */
  upload(location: string, source: UploadSource, options?: UploadOptions): Promise<StoredObject> {
    return this.store.upload(location, source, options);
  }

  /** @inheritDoc */
  createReadStream(location: string, options?: DownloadOptions): Readable {
    return this.store.createReadStream(location, options);
  }

  /** @inheritDoc */
  read(location: string): Promise<Buffer> {
    return this.store.read(location);
  }

  /** @inheritDoc */
  getMetadata(location: string): Promise<StoredObject> {
    return this.store.getMetadata(location);
  }

  /** @inheritDoc */
  setCustomMetadata(
    location: string,
    metadata: Record<string, string | null>,
    options?: { ifMetagenerationMatch?: number },
  ): Promise<StoredObject> {
    return this.store.setCustomMetadata(location, metadata, options);
  }

  /** @inheritDoc */
  exists(location: string): Promise<boolean> {
    return this.store.exists(location);
  }

  /** @inheritDoc */
  delete(location: string, options?: { ignoreMissing?: boolean }): Promise<void> {
    return this.store.delete(location, options);
  }

  /** @inheritDoc */
  list(prefixLocation: string, options?: ListOptions): Promise<ListResult> {
    return this.store.list(prefixLocation, options);
  }

  /** @inheritDoc */
  createIfAbsent(
    location: string,
    data: Buffer | string,
    options?: Omit<UploadOptions, 'ifGenerationMatch'>,
  ): Promise<boolean> {
    return this.store.createIfAbsent(location, data, options);
  }

  /** @inheritDoc */
  signUrl(location: string, options?: SignUrlOptions): Promise<string> {
    return this.store.signUrl(location, options);
  }
}
