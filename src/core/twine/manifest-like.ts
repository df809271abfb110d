/**
 * The parts of a Manifest resource that twine validation needs, described structurally so that core/twine does not
 * depend on the resources module: anything with a `toPrimitive()` method is treated as a manifest instance.
 */
export interface ManifestLike {
  /** The manifest as JSON data (Octue manifest 0.1.0 shape); datasets may appear as path strings only. */
  toPrimitive(): unknown;
  /** The manifest's datasets by key. */
  readonly datasets: Readonly<Record<string, DatasetLike | undefined>> | ReadonlyMap<string, DatasetLike>;
}

/** The parts of a Dataset that twine validation needs. */
export interface DatasetLike {
  /** The dataset's files. */
  readonly files: Iterable<DatafileLike>;
}

/** The parts of a Datafile that twine validation needs. */
export interface DatafileLike {
  /** The file's name (the last segment of its path). */
  readonly name: string;
  /** The file's tags. */
  readonly tags: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>;
}

/**
 * Whether a value is a manifest instance rather than manifest data.
 * @param value - A manifest source.
 * @returns `true` when the value has a `toPrimitive` method.
 */
export function isManifestLike(value: unknown): value is ManifestLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toPrimitive?: unknown }).toPrimitive === 'function'
  );
}

/**
 * One dataset of a manifest instance.
 * @param manifest - The manifest instance.
 * @param key - The dataset's key.
 * @returns The dataset, or `undefined` when the manifest has none by that key.
 */
export function datasetOf(manifest: ManifestLike, key: string): DatasetLike | undefined {
  const { datasets } = manifest;
  if (datasets instanceof Map) {
    return (datasets as ReadonlyMap<string, DatasetLike>).get(key);
  }
  const record = datasets as Readonly<Record<string, DatasetLike | undefined>>;
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/**
 * A datafile's tags as a plain object, the form tag templates are validated against.
 * @param tags - The tags, as a record or a map.
 * @returns A plain object copy.
 */
export function plainTags(tags: DatafileLike['tags'] | undefined): Record<string, unknown> {
  if (tags instanceof Map) {
    return Object.fromEntries(tags as ReadonlyMap<string, unknown>);
  }
  return { ...(tags as Readonly<Record<string, unknown>> | undefined) };
}
