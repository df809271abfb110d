/**
 * Safe copies of keys that come from received data. JSON allows any key, and `JSON.parse` makes each one an own data
 * property, but copying with `target[key] = value` does not: for the key `__proto__` it runs `Object.prototype`'s
 * setter and makes `value` (chosen by the sender) the target's prototype. The key then vanishes from the data, so schema
 * checks such as `additionalProperties: false` never see it, and every read of a missing key falls through to the
 * sender's object. These helpers keep such keys as ordinary own data.
 * @module
 */

/**
 * The keys that name prototype machinery rather than data in JavaScript. Received data may use them (Python peers
 * know nothing of them); Skein keeps them as own data properties and never reads them as anything else.
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Sets `target[key] = value` as an own, enumerable, writable data property, whatever the key: `__proto__` becomes
 * data, never the target's prototype. (`constructor` and `prototype` already become own data by assignment on a plain
 * object; only `__proto__` has an inherited setter.)
 * @param target - The object being built (a plain object).
 * @param key - The key, as received.
 * @param value - The value.
 */
export function setOwnProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  // Assignment is much faster than defineProperty, and safe for every other key.
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * Copies an object's own enumerable string-keyed properties into a new plain object, each as own data (see
 * {@link setOwnProperty}), optionally converting each value.
 * @param source - The object to copy (e.g. parsed JSON).
 * @param convert - Converts each value; the identity when left out.
 * @returns The copy, whose prototype is `Object.prototype`.
 */
export function copyOwnProperties<T = unknown>(
  source: object,
  convert: (value: unknown, key: string) => T = (value) => value as T,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(source)) setOwnProperty(out, key, convert(value, key));
  return out;
}
