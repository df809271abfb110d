import { Storage } from '@google-cloud/storage';
import type { StorageOptions } from '@google-cloud/storage';

import { errorStatus, isNotFound, requestFailed } from './request-errors';

/** Options for {@link GoogleBucketAdmin}. */
export interface GoogleBucketAdminOptions {
  /** The project new buckets are created in. */
  readonly projectId: string;
  /** API endpoint, e.g. a GCS-compatible server's `http://127.0.0.1:PORT`. */
  readonly apiEndpoint?: string;
  /** Further client settings (credentials). */
  readonly storageOptions?: Omit<StorageOptions, 'projectId' | 'apiEndpoint'>;
}

/**
 * Bucket administration through `@google-cloud/storage`. New buckets get uniform bucket-level access and enforced
 * public access prevention (Skein's outputs and diagnostics are never meant to be public). Client errors become
 * `DeployRequestFailed`; "not found" becomes `false`.
 */
export class GoogleBucketAdmin {
  private readonly storage: Storage;

  /** @param options - The project, endpoint and client settings. */
  constructor(options: GoogleBucketAdminOptions) {
    this.storage = new Storage({
      ...options.storageOptions,
      projectId: options.projectId,
      ...(options.apiEndpoint === undefined ? {} : { apiEndpoint: options.apiEndpoint }),
    });
  }

  /** Whether the bucket exists. */
  async bucketExists(bucket: string): Promise<boolean> {
    try {
      await this.storage.bucket(bucket).getMetadata();
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw requestFailed('storage', 'buckets.get', bucket, error);
    }
  }

  /** Creates the bucket in `location`. */
  async createBucket(bucket: string, location: string): Promise<void> {
    try {
      await this.storage.createBucket(bucket, {
        location,
        iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
      });
    } catch (error) {
      // 409: it exists already. Someone (maybe a parallel deploy) created it: that is what was wanted.
      if (errorStatus(error) === 409) return;
      throw requestFailed('storage', 'buckets.insert', bucket, error);
    }
  }

  /** Deletes the (empty) bucket; `false` when it did not exist. */
  async deleteBucket(bucket: string): Promise<boolean> {
    try {
      await this.storage.bucket(bucket).delete();
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw requestFailed('storage', 'buckets.delete', bucket, error);
    }
  }

  /** Nothing to release: the storage client holds no connections open. */
  async close(): Promise<void> {}
}
