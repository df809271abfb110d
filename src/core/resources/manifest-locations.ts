import type { LocationPolicy } from './location-policy';

// What a manifest received over the wire names, read from its primitive without any I/O, so a question can be
// refused as a whole before any of its datasets is loaded.

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The locations a datafile primitive names: its `path`, `local_path` and `cloud_path` (a datafile reads its local
 * path first, so a cloud `path` with a hostile `local_path` would still read the local file).
 * @param primitive - A datafile primitive (anything else names nothing).
 * @returns The string locations it holds.
 */
export function datafilePrimitiveLocations(primitive: unknown): string[] {
  if (!isRecord(primitive)) return [];
  return ['path', 'local_path', 'cloud_path'].flatMap((key) => {
    const value = primitive[key];
    return typeof value === 'string' ? [value] : [];
  });
}

/**
 * The locations a dataset primitive makes Skein read: its files when a non-empty `files` list defines it, otherwise
 * its `path` (the working directory when it has none, which is what loading it would read).
 * @param primitive - A dataset as a manifest carries it: a path, or an object with `path` and `files`.
 * @returns The string locations.
 */
export function datasetPrimitiveLocations(primitive: unknown): string[] {
  if (typeof primitive === 'string') return [primitive];
  if (!isRecord(primitive)) return [];
  const files = primitive.files;
  if (Array.isArray(files) && files.length > 0) {
    return files.flatMap((file: unknown) => (typeof file === 'string' ? [file] : datafilePrimitiveLocations(file)));
  }
  const location = primitive.path;
  if (location === undefined || location === null) return [process.cwd()];
  return typeof location === 'string' ? [location] : [];
}

/**
 * The locations a manifest primitive names, dataset by dataset.
 * @param primitive - A manifest primitive (`{id, name, datasets}`); anything else names nothing.
 * @returns `[datasetKey, location]` pairs.
 */
export function manifestPrimitiveLocations(primitive: unknown): Array<readonly [string, string]> {
  if (!isRecord(primitive) || !isRecord(primitive.datasets)) return [];
  return Object.entries(primitive.datasets).flatMap(([key, dataset]) =>
    datasetPrimitiveLocations(dataset).map((location) => [key, location] as const),
  );
}

/**
 * Checks every location a manifest primitive names against a policy, before anything is read.
 * @param primitive - The manifest primitive received over the wire.
 * @param policy - What the service may read.
 * @throws LocalPathNotAllowed, UrlHostNotAllowed or BucketNotAllowed for the first refused location.
 */
export async function checkManifestLocations(primitive: unknown, policy: LocationPolicy): Promise<void> {
  for (const [, location] of manifestPrimitiveLocations(primitive)) await policy.check(location);
}
