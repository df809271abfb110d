import { copyOwnProperties } from '../core/json';

/**
 * Parses received bytes as a JSON object. `JSON.parse` makes every key an own data property (a `__proto__` key stays
 * data); the copy keeps it so for the top level, which the engine later writes into.
 * @param bytes - UTF-8 JSON.
 * @returns The object, or `undefined` when the bytes are not a JSON object (arrays and primitives included).
 */
export function parseJsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return copyOwnProperties(value);
}
