import type { ObjectStore } from '../ports/object-store';
import type { CloudMetadataRecord } from './cloud-metadata';
import type { LabelsInput } from './labels';
import type { LocationPolicy } from './location-policy';
import type { TimestampInput } from './resource-values';
import type { TagsInput } from './tags';
import type { UrlAccessOptions } from './url-access';

/** Everything a `Datafile` is built from; building one does no I/O. */
export interface DatafileInit {
  /** A local path, a `gs://bucket/name` path, or a URL (a signed URL or a `file://` URL). */
  readonly path: string;
  /** With a remote `path`: a local file known to hold the same bytes. */
  readonly localPath?: string | null;
  /** With a local `path`: the cloud object known to hold the same bytes. */
  readonly cloudPath?: string | null;
  /** A UUID; a new one is generated when missing. */
  readonly id?: string | null;
  /** A name overriding the default (the last segment of the path). */
  readonly name?: string | null;
  /** A time associated with the data (Date, POSIX seconds, ISO 8601 string) or `null`. */
  readonly timestamp?: TimestampInput;
  /** Tags (names follow Octue's tag rule). */
  readonly tags?: TagsInput;
  /** Labels (follow Octue's label rule). */
  readonly labels?: LabelsInput;
  /** What is known about the cloud object (Octue's `_cloud_metadata`). */
  readonly cloudMetadata?: CloudMetadataRecord | null;
  /** The store to use for later cloud I/O when a method is not given one. */
  readonly store?: ObjectStore;
}

/** A datafile's primitive: exactly the keys and shapes of Octue's `Datafile.to_primitive()`. */
export interface DatafilePrimitive {
  id: string;
  /** Encoded by the Octue codec as `{"_type": "datetime", …}`. */
  timestamp: Date | null;
  tags: Record<string, unknown>;
  /** Sorted. */
  labels: string[];
  name: string;
  local_path: string | null;
  cloud_path: string | null;
  /** `{}` when nothing is known about a cloud object. */
  _cloud_metadata: CloudMetadataRecord | Record<string, never>;
  /** The local path if there is one, otherwise the cloud path. */
  path: string;
}

/** A datafile's metadata in Octue's form (`Datafile.metadata()`), with or without the `octue__` key prefix. */
export type DatafileMetadata = {
  id?: string;
  timestamp: Date | null;
  tags: Record<string, unknown>;
  labels: Set<string>;
  sdk_version?: string;
};

/** Options of `Datafile.metadata()`. */
export interface DatafileMetadataOptions {
  /** Include `id` (default true). */
  readonly includeId?: boolean;
  /** Include `sdk_version` (default true). */
  readonly includeSdkVersion?: boolean;
  /** Prefix every key with `octue__`, as in GCS custom metadata (default true). */
  readonly useOctueNamespace?: boolean;
}

/** Options for I/O that may reach the cloud. */
export interface CloudAccessOptions extends UrlAccessOptions {
  /** The object store for `gs://` locations; default: the store the resource was loaded with. */
  readonly store?: ObjectStore;
}

/** Options for loading a datafile from where it is stored. */
export interface DatafileLoadOptions extends CloudAccessOptions {
  /** Use only the metadata given here, not what is stored with the file (default false: stored metadata wins). */
  readonly ignoreStoredMetadata?: boolean;
  /** Load a file that does not exist (yet) instead of throwing `FileNotFoundException` (default false). */
  readonly allowMissing?: boolean;
  /** Metadata to use where none is stored. */
  readonly id?: string | null;
  readonly name?: string | null;
  readonly timestamp?: TimestampInput;
  readonly tags?: TagsInput;
  readonly labels?: LabelsInput;
  /** For cloud files: a local copy to use; downloaded there unless it already holds the same bytes. */
  readonly localPath?: string;
  /**
   * What the file's location may be, checked before it is read (for manifests received over the wire); default: no
   * check, as for data the caller chose itself.
   */
  readonly locationPolicy?: LocationPolicy;
}

/** Options of `Datafile.upload()`. */
export interface DatafileUploadOptions extends CloudAccessOptions {
  /** Where to upload; default: the datafile's current cloud path. */
  readonly cloudPath?: string;
  /** Write the datafile's metadata to the cloud object (default true). */
  readonly updateCloudMetadata?: boolean;
}

/** Options of `Datafile.download()`. */
export interface DatafileDownloadOptions extends CloudAccessOptions {
  /** Where to download to; default: a new temporary file (or the existing local copy, if there is one). */
  readonly localPath?: string;
}

/** Options of `generateSignedUrl()`. */
export interface SignedUrlOptions extends CloudAccessOptions {
  /** Lifetime in seconds (default 7 days). */
  readonly expiresInSeconds?: number;
}
