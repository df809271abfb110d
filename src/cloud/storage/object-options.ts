import type { ObjectStore, StoredObject, UploadOptions } from '../../core/ports/object-store';
import { setOwnProperty } from '../../core/json/own-property';
import { InvalidInputException, PreconditionFailed } from '../../errors';

/**
 * Checks a generation or metageneration precondition value.
 * @param value - The value given, if any.
 * @param option - The option's name, for the message.
 * @param location - The object's location, for the message.
 * @throws InvalidInputException when the value is not a non-negative whole number.
 */
export function checkPreconditionValue(value: number | undefined, option: string, location: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new InvalidInputException(
      `${option} for ${location} must be a non-negative whole number (a generation number, or 0 for "no object"); ` +
        `got ${String(value)}.`,
    );
  }
}

/**
 * Checks custom metadata given to an upload: every value must be a string.
 * @throws InvalidInputException naming the first key whose value is not a string.
 */
export function checkUploadMetadata(metadata: Readonly<Record<string, unknown>> | undefined, location: string): void {
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (key === '' || typeof value !== 'string') {
      throw new InvalidInputException(
        `Custom metadata for ${location} must map non-empty keys to strings; key '${key}' has a ${typeof value} value.`,
      );
    }
  }
}

/**
 * Checks a custom metadata change: every value must be a string (set) or `null` (delete).
 * @throws InvalidInputException naming the first key whose value is neither.
 */
export function checkMetadataChanges(changes: Readonly<Record<string, unknown>>, location: string): void {
  for (const [key, value] of Object.entries(changes)) {
    if (key === '' || (typeof value !== 'string' && value !== null)) {
      throw new InvalidInputException(
        `A custom metadata change for ${location} must map non-empty keys to strings or null (to delete the key); ` +
          `key '${key}' has a ${value === undefined ? 'undefined' : typeof value} value.`,
      );
    }
  }
}

/** Applies a metadata change: string values are set, `null` values delete their key. */
export function mergeCustomMetadata(
  current: Readonly<Record<string, string>>,
  changes: Readonly<Record<string, string | null>>,
): Record<string, string> {
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) {
      delete merged[key];
    } else {
      setOwnProperty(merged, key, value);
    }
  }
  return merged;
}

/**
 * Enforces an `ifGenerationMatch` precondition against the object's current state.
 * @param expected - The required generation (`0` = the object must not exist), or `undefined` for no precondition.
 * @param current - The object as it is now, or `undefined` if there is none.
 * @param location - The object's location, for the message.
 * @throws PreconditionFailed when the precondition does not hold.
 */
export function enforceGenerationMatch(
  expected: number | undefined,
  current: StoredObject | undefined,
  location: string,
): void {
  if (expected === undefined) {
    return;
  }
  const holds = expected === 0 ? current === undefined : current?.generation === String(expected);
  if (!holds) {
    const state = current ? `its generation is ${current.generation}` : 'it does not exist';
    throw new PreconditionFailed(
      `Precondition ifGenerationMatch=${expected} failed for ${location}: ${state}.` +
        (expected === 0 ? ' The object already exists.' : ' Someone else wrote it; re-read it and try again.'),
      { location },
    );
  }
}

/**
 * Create-if-absent on top of an upload with `ifGenerationMatch: 0`, the precondition both stores enforce atomically:
 * exactly one of several concurrent callers gets `true`.
 * @param store - The store whose `upload` applies the precondition.
 * @returns `true` if this call created the object, `false` if one already existed.
 */
export async function createIfAbsentVia(
  store: Pick<ObjectStore, 'upload'>,
  location: string,
  data: Buffer | string,
  options: Omit<UploadOptions, 'ifGenerationMatch'>,
): Promise<boolean> {
  try {
    await store.upload(location, data, { ...options, ifGenerationMatch: 0 });
    return true;
  } catch (error) {
    if (error instanceof PreconditionFailed) return false;
    throw error;
  }
}
