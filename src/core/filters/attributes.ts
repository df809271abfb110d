import { asMapLike, asSetLike, isPlainObject } from './collection-kinds';

/** The result of looking up an attribute or key: found (with its value, which may be `undefined`) or not. */
export type Lookup = { readonly found: true; readonly value: unknown } | { readonly found: false };

const NOT_FOUND: Lookup = { found: false };
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * Whether `key` could name an entry of `container`, i.e. whether a lookup of it is meaningful. Dict-likes, plain
 * objects and other objects can hold any key; arrays only non-negative integer indices; strings, numbers, sets,
 * dates and other primitives none. The filter machinery uses this to tell an unknown action (an error) from a key
 * that a particular item simply lacks (`tags__cluster` on a file without a `cluster` tag).
 * @param container - The value that would be looked into.
 * @param key - One segment of a filter name.
 * @returns `true` when the key is a possible entry of the container.
 */
export function canHaveKey(container: unknown, key: string): boolean {
  if (typeof container !== 'object' || container === null) return false;
  if (Array.isArray(container)) return ARRAY_INDEX.test(key);
  if (asMapLike(container)) return true;
  return !(asSetLike(container) || container instanceof Date);
}

/**
 * Looks up one attribute or key, the way Octue's nested attribute lookup does: dict-likes (`Map`, `FilterDict`) by
 * key only (never their methods, as Python dicts are read by key); arrays by index; plain objects by own property;
 * other objects by property on the instance or its class (so getters work), but not by properties every object
 * inherits from `Object.prototype` (`toString`, …) nor a class's `constructor`.
 * @param container - The value to look into.
 * @param key - The attribute name, key or index.
 * @returns The value found, or `{ found: false }`.
 */
export function lookupKey(container: unknown, key: string): Lookup {
  if (!canHaveKey(container, key)) return NOT_FOUND;
  const object = container as object;
  const map = asMapLike(object);
  if (map) return map.has(key) ? { found: true, value: map.get(key) } : NOT_FOUND;
  if (Array.isArray(object)) {
    const index = Number(key);
    return index < object.length ? { found: true, value: object[index] } : NOT_FOUND;
  }
  if (isPlainObject(object)) return Object.hasOwn(object, key) ? { found: true, value: object[key] } : NOT_FOUND;
  // Every class prototype has a `constructor`; it is plumbing, not an attribute.
  if (key === 'constructor') return NOT_FOUND;
  for (let owner: object | null = object; owner && owner !== Object.prototype; owner = Object.getPrototypeOf(owner)) {
    if (Object.hasOwn(owner, key)) return { found: true, value: Reflect.get(object, key) };
  }
  return NOT_FOUND;
}

/**
 * Follows a path of attribute names and keys (`['tags', 'cluster']`) from `item`, in any mix of objects and dicts.
 * @param item - Where to start.
 * @param path - The segments to follow, outermost first.
 * @returns The value at the end of the path, or `{ found: false }` when any step is missing.
 */
export function lookupPath(item: unknown, path: readonly string[]): Lookup {
  let current: Lookup = { found: true, value: item };
  for (const key of path) {
    if (!current.found) return current;
    current = lookupKey(current.value, key);
  }
  return current;
}
