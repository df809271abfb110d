import { InvalidDeploySetting } from '../errors';

/**
 * Readers for raw `serverless.yml` values (after Serverless has resolved its variables): each returns a typed value or
 * throws `InvalidDeploySetting` naming the setting, so a bad value fails before any request is made.
 */

/** A plain object, as YAML mappings arrive. */
export type RawObject = Readonly<Record<string, unknown>>;

/**
 * Whether a value is a plain object (a YAML mapping).
 * @param value - Anything.
 * @returns `true` for non-null, non-array objects.
 */
export function isRawObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads an optional mapping.
 * @param value - The raw value.
 * @param setting - Its path, for the error.
 * @returns The mapping, or an empty one when the value is absent.
 * @throws InvalidDeploySetting when the value is present but not a mapping.
 */
export function readObject(value: unknown, setting: string): RawObject {
  if (value === undefined || value === null) return {};
  if (!isRawObject(value)) throw new InvalidDeploySetting(setting, value, `${setting} must be a mapping.`);
  return value;
}

/**
 * Reads an optional string; an empty string (what `${env:X, ''}` gives when X is unset) counts as absent.
 * @param value - The raw value.
 * @param setting - Its path, for the error.
 * @returns The trimmed string, or `undefined`.
 * @throws InvalidDeploySetting when the value is not a string.
 */
export function readOptionalString(value: unknown, setting: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new InvalidDeploySetting(setting, value, `${setting} must be a string; got ${JSON.stringify(value)}.`);
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * Reads an optional whole number within bounds.
 * @param value - The raw value (a number, or a string of digits as YAML variables may give).
 * @param setting - Its path, for the error.
 * @param bounds - The inclusive range and what the unit is, for the message.
 * @returns The number, or `undefined` when absent.
 * @throws InvalidDeploySetting when the value is not a whole number in range.
 */
export function readOptionalInteger(
  value: unknown,
  setting: string,
  bounds: { min: number; max: number; unit: string; why?: string },
): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < bounds.min || number > bounds.max) {
    throw new InvalidDeploySetting(
      setting,
      value,
      `${setting} must be a whole number of ${bounds.unit} from ${bounds.min} to ${bounds.max}; got ` +
        `${JSON.stringify(value)}.${bounds.why === undefined ? '' : ` ${bounds.why}`}`,
    );
  }
  return number;
}

/**
 * Reads an optional boolean.
 * @param value - The raw value (`true`/`false`, or the strings `'true'`/`'false'` that variables give).
 * @param setting - Its path, for the error.
 * @returns The boolean, or `undefined` when absent.
 * @throws InvalidDeploySetting for anything else.
 */
export function readOptionalBoolean(value: unknown, setting: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidDeploySetting(setting, value, `${setting} must be true or false; got ${JSON.stringify(value)}.`);
}

/**
 * Reads a mapping of strings (environment variables, labels). Numbers and booleans are turned into strings, as YAML
 * writes `PORT: 8080` for what is meant as text.
 * @param value - The raw value.
 * @param setting - Its path, for the error.
 * @returns The mapping (empty when absent).
 * @throws InvalidDeploySetting when it is not a mapping or a value is an object, list or null.
 */
export function readStringMap(value: unknown, setting: string): Record<string, string> {
  const raw = readObject(value, setting);
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(raw)) {
    if (typeof item === 'string') result[key] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') result[key] = String(item);
    else {
      throw new InvalidDeploySetting(
        `${setting}.${key}`,
        item,
        `${setting}.${key} must be a string, number or boolean; got ${JSON.stringify(item)}.`,
      );
    }
  }
  return result;
}

/**
 * Reads an optional list of strings.
 * @param value - The raw value.
 * @param setting - Its path, for the error.
 * @returns The list, or `undefined` when absent.
 * @throws InvalidDeploySetting when it is not a non-empty list of non-empty strings.
 */
export function readOptionalStringList(value: unknown, setting: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.trim() !== '')) {
    throw new InvalidDeploySetting(setting, value, `${setting} must be a non-empty list of paths.`);
  }
  return value.map((v: string) => v.trim());
}
