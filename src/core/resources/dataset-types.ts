import type { ObjectStore } from '../ports/object-store';
import type { Datafile } from './datafile';
import type { CloudAccessOptions } from './datafile-types';
import type { LabelsInput } from './labels';
import type { LocationPolicy } from './location-policy';
import type { TagsInput } from './tags';

/** Everything a `Dataset` is built from; building one does no I/O. */
export interface DatasetInit {
  /** The dataset's folder: a local directory, a `gs://` prefix or a signed URL (default: the working directory). */
  readonly path?: string | null;
  /** The dataset's files. */
  readonly files?: Iterable<Datafile> | null;
  /** A UUID; a new one is generated when missing. */
  readonly id?: string | null;
  /** A name overriding the default (the last segment of the path). */
  readonly name?: string | null;
  readonly tags?: TagsInput;
  readonly labels?: LabelsInput;
  /**
   * Whether the dataset was defined by an explicit list of files (Octue serialises such datasets in full inside a
   * manifest). Default: `true` when `files` is given and not empty.
   */
  readonly instantiatedFromFiles?: boolean;
  /** The store to use for later cloud I/O when a method is not given one. */
  readonly store?: ObjectStore;
}

/** A dataset's primitive: exactly the keys of Octue's `Dataset.to_primitive()`. */
export interface DatasetPrimitive {
  id: string;
  name: string;
  tags: Record<string, unknown>;
  /** Sorted. */
  labels: string[];
  path: string;
  /** Sorted paths of the files (their cloud paths when in the cloud); left out with `includeFiles: false`. */
  files?: string[];
}

/** Options for loading a dataset from where it is stored. */
export interface DatasetLoadOptions extends CloudAccessOptions {
  /** Include files in subdirectories (default true). */
  readonly recursive?: boolean;
  /** Use only the metadata given here, not what is stored with the dataset and its files (default false). */
  readonly ignoreStoredMetadata?: boolean;
  /** Include `.octue` metadata files as datafiles (default false). */
  readonly includeOctueMetadataFiles?: boolean;
  /**
   * Load a dataset (or files) that do not exist yet as empty instead of throwing `FolderNotFoundException` /
   * `FileNotFoundException` (default false).
   */
  readonly allowMissing?: boolean;
  /** Metadata to use where none is stored. */
  readonly id?: string | null;
  readonly name?: string | null;
  readonly tags?: TagsInput;
  readonly labels?: LabelsInput;
  /**
   * What the dataset's and its files' locations may be, each checked before it is read (for manifests received over
   * the wire, including files listed by stored or signed metadata); default: no check.
   */
  readonly locationPolicy?: LocationPolicy;
}

/** Options of `Dataset.fromFiles()`. */
export interface DatasetFromFilesOptions extends DatasetLoadOptions {
  /** The dataset's folder (default: the working directory, as in Octue). */
  readonly path?: string;
}

/** Options of `Dataset.upload()`. */
export interface DatasetUploadOptions extends CloudAccessOptions {
  /** The cloud prefix to upload to (`gs://bucket/datasets/my-dataset`); default: the dataset's own cloud path. */
  readonly cloudPath?: string;
  /** Write the dataset's `.octue` metadata file next to its files (default true). */
  readonly updateCloudMetadata?: boolean;
}

/** Options of `Dataset.download()`. */
export interface DatasetDownloadOptions extends CloudAccessOptions {
  /** The local directory to download into; default: a new temporary directory. */
  readonly directory?: string;
}
