import { isCloudPath, parseCloudPath } from '../gs-path';
import type { ObjectStore } from '../ports/object-store';
import type { CloudAccessOptions } from './datafile-types';
import type { LabelsInput } from './labels';
import { LabelSet } from './labels';
import { normaliseId } from './resource-values';
import type { TagsInput } from './tags';
import { TagDict } from './tags';

/** The identity and metadata every resource starts from. */
export interface ResourceInit {
  /** A UUID; a new one is generated when missing. */
  readonly id?: string | null;
  /** A name overriding the resource's default name. */
  readonly name?: string | null;
  readonly tags?: TagsInput;
  readonly labels?: LabelsInput;
  /** The store to use for later cloud I/O when a method is not given one. */
  readonly store?: ObjectStore;
}

/**
 * What datafiles and datasets share (Octue's `Identifiable`, `Taggable` and `Labelable` mixins): a fixed UUID, a
 * name, checked tags and labels, and the object store they were loaded with.
 */
export abstract class TaggedResource {
  private readonly _id: string;
  private _name: string | null;
  private _tags: TagDict;
  private _labels: LabelSet;
  /** The store used for cloud I/O when a method is not given one. */
  protected _store: ObjectStore | undefined;

  /**
   * @param init - Id, name, tags, labels and store.
   * @throws InvalidInputException for a bad id; InvalidTagException / InvalidLabelException.
   */
  protected constructor(init: ResourceInit) {
    this._id = normaliseId(init.id);
    this._name = init.name ?? null;
    this._tags = new TagDict(init.tags);
    this._labels = new LabelSet(init.labels);
    this._store = init.store;
  }

  /** The resource's UUID (fixed at construction). */
  get id(): string {
    return this._id;
  }

  /** The given name, else a default derived from the resource's path. Assign `null` to go back to the default. */
  get name(): string {
    return this._name ?? this.defaultName();
  }

  set name(name: string | null) {
    this._name = name;
  }

  /** The tags. Assigning replaces them (names are checked). */
  get tags(): TagDict {
    return this._tags;
  }

  set tags(tags: TagsInput) {
    this._tags = new TagDict(tags);
  }

  /** The labels. Assigning replaces them (labels are checked). */
  get labels(): LabelSet {
    return this._labels;
  }

  set labels(labels: LabelsInput) {
    this._labels = new LabelSet(labels);
  }

  /** The store this resource uses for cloud I/O when a method is not given one. */
  get store(): ObjectStore | undefined {
    return this._store;
  }

  /** `<Datafile('name')>` / `<Dataset('name')>`, as Octue's repr. */
  toString(): string {
    return `<${this.constructor.name}('${this.name}')>`;
  }

  /** The bucket, when the resource is in `gs://`; else `null`. */
  get bucketName(): string | null {
    const location = this.remoteLocation();
    return location && isCloudPath(location) ? parseCloudPath(location).bucket : null;
  }

  /** The object name (or prefix) inside the bucket, when the resource is in `gs://`; else `null`. */
  get pathInBucket(): string | null {
    const location = this.remoteLocation();
    return location && isCloudPath(location) ? parseCloudPath(location).name : null;
  }

  /** The resource's remote location (`gs://` path or URL), or `null` when it is local. */
  protected abstract remoteLocation(): string | null;

  /** The name used when none was given. */
  protected abstract defaultName(): string;

  /** `options` with this resource's store filled in when the caller gave none. */
  protected withStore<T extends CloudAccessOptions>(options: T): T {
    return options.store || !this._store ? options : { ...options, store: this._store };
  }
}
