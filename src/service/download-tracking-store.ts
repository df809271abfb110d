import { resolve } from 'node:path';
import type { Readable } from 'node:stream';

import type {
  DownloadOptions,
  ProgressCallback,
  ListOptions,
  ListResult,
  ObjectStore,
  SignUrlOptions,
  StoredObject,
  UploadOptions,
  UploadSource,
} from '../core/ports/object-store';

/** Hooks of a {@link DownloadTrackingStore}. */
export interface TransferHooks {
  /** Told the absolute local path of each completed download. */
  readonly onDownload?: (localPath: string) => void;
  /**
   * Called as each upload or download starts, e.g. to add a progress bar.
   * @returns The progress callback for the transfer and a function called when it ends (also on failure).
   */
  readonly onTransfer?: (
    location: string,
    direction: 'upload' | 'download',
  ) => { readonly onProgress: ProgressCallback; done(): void };
}

/**
 * An object store that reports the files downloaded through it (and, when asked, the progress of every upload and
 * download) and otherwise passes each call to the store it wraps. The Runner gives one to each analysis when
 * `deleteLocalFiles` is on, so that the files the analysis downloads (its manifests' datafiles and any datafile the
 * app loads with `analysis.objectStore`) can be deleted afterwards; the CLI uses one for progress bars.
 */
export class DownloadTrackingStore implements ObjectStore {
  private readonly hooks: TransferHooks;

  /**
   * @param store - The store every call goes to.
   * @param hooks - What to tell about transfers (a function is taken as `onDownload`).
   */
  constructor(
    private readonly store: ObjectStore,
    hooks: TransferHooks | ((localPath: string) => void),
  ) {
    this.hooks = typeof hooks === 'function' ? { onDownload: hooks } : hooks;
  }

  /** @inheritDoc */
  get kind(): string {
    return this.store.kind;
  }

  /** @inheritDoc */
  async downloadToFile(location: string, localPath: string, options?: DownloadOptions): Promise<StoredObject> {
    const stored = await this.observed(location, 'download', options, (observed) =>
      this.store.downloadToFile(location, localPath, observed),
    );
    this.hooks.onDownload?.(resolve(localPath));
    return stored;
  }

  /** @inheritDoc */
  upload(location: string, source: UploadSource, options?: UploadOptions): Promise<StoredObject> {
    return this.observed(location, 'upload', options, (observed) => this.store.upload(location, source, observed));
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

  // Runs a transfer with the transfer hook's progress callback added to the caller's (both are told).
  private async observed<Options extends { readonly onProgress?: ProgressCallback }, Result>(
    location: string,
    direction: 'upload' | 'download',
    options: Options | undefined,
    transfer: (options: Options | undefined) => Promise<Result>,
  ): Promise<Result> {
    const observer = this.hooks.onTransfer?.(location, direction);
    if (observer === undefined) return transfer(options);
    const callerProgress = options?.onProgress;
    try {
      return await transfer({
        ...options,
        onProgress: (progress) => {
          observer.onProgress(progress);
          callerProgress?.(progress);
        },
      } as Options);
    } finally {
      observer.done();
    }
  }

  /** @inheritDoc */
  signUrl(location: string, options?: SignUrlOptions): Promise<string> {
    return this.store.signUrl(location, options);
  }
}
