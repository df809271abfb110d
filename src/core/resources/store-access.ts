import { CloudStorageBucketNotFound, FileNotFoundException, InvalidInputException, ObjectNotFound } from '../../errors';
import type { ObjectStore, StoredObject } from '../ports/object-store';

/**
 * The store to use for a `gs://` location.
 *
 * @param store - The store given (or remembered), if any.
 * @param location - The location that needs it, for the message.
 * @returns The store.
 * @throws InvalidInputException when there is none.
 */
export function requireStore(store: ObjectStore | undefined, location: string): ObjectStore {
  if (!store) {
    throw new InvalidInputException(`No object store was given to reach '${location}'; pass { store } to the call.`);
  }
  return store;
}

/**
 * An object's metadata, or `null` when there is no such object (or, as in Octue, no such bucket).
 *
 * @param store - The store.
 * @param location - `gs://bucket/name`.
 * @returns The metadata or `null`.
 * @throws StorageError for failures other than a missing object.
 */
export async function getObjectOrNull(store: ObjectStore, location: string): Promise<StoredObject | null> {
  try {
    return await store.getMetadata(location);
  } catch (error) {
    if (error instanceof ObjectNotFound || error instanceof CloudStorageBucketNotFound) return null;
    throw error;
  }
}

/**
 * Turns the store's `ObjectNotFound` into Octue's `FileNotFoundException` (other errors pass through unchanged).
 *
 * @param error - The caught error.
 * @param location - The object's location.
 * @returns The error to throw.
 */
export function asFileNotFound(error: unknown, location: string): unknown {
  if (error instanceof ObjectNotFound || error instanceof CloudStorageBucketNotFound) {
    return new FileNotFoundException(`No cloud object exists at '${location}'.`, { path: location, cause: error });
  }
  return error;
}
