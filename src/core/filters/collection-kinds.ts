/**
 * How the filter machinery recognises dict-like and set-like values. `Map` and `Set` (including subclasses such as a
 * `LabelSet`) are recognised natively; Skein's own wrappers (`FilterDict`, `FilterSet`) register themselves here so
 * that equality, `contains` and nested key lookup treat them like the Python dict and set they stand for, without
 * this module importing them (which would create an import cycle).
 */

/** A read-only, `Map`-like view: what attribute lookup and `contains` need from a dict. */
export interface MapLike {
  get(key: unknown): unknown;
  has(key: unknown): boolean;
  keys(): Iterable<unknown>;
  readonly size: number;
}

/** A read-only, `Set`-like view: what equality and `contains` need from a set. */
export interface SetLike extends Iterable<unknown> {
  has(value: unknown): boolean;
  readonly size: number;
}

const registered = new WeakMap<object, 'map' | 'set'>();

/**
 * Marks an object as behaving like a `Map` or a `Set` for filtering purposes.
 * @param collection - The wrapper instance (it must implement {@link MapLike} or {@link SetLike}).
 * @param kind - Which of the two it behaves like.
 */
export function registerCollection(collection: MapLike | SetLike, kind: 'map' | 'set'): void {
  registered.set(collection, kind);
}

/** Returns `value` as a {@link MapLike} when it is a `Map` or a registered map-like wrapper, else `undefined`. */
export function asMapLike(value: unknown): MapLike | undefined {
  if (value instanceof Map) return value;
  return typeof value === 'object' && value !== null && registered.get(value) === 'map'
    ? (value as MapLike)
    : undefined;
}

/** Returns `value` as a {@link SetLike} when it is a `Set` or a registered set-like wrapper, else `undefined`. */
export function asSetLike(value: unknown): SetLike | undefined {
  if (value instanceof Set) return value;
  return typeof value === 'object' && value !== null && registered.get(value) === 'set'
    ? (value as SetLike)
    : undefined;
}

/** Whether `value` is a plain object (an object literal, `JSON.parse` output or `Object.create(null)`). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Whether `value` is iterable (strings included). */
export function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    typeof value === 'string' ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function')
  );
}

/**
 * A short type name for messages: `null`, `undefined`, `string`, `number`, `bigint`, `boolean`, `function`,
 * `symbol`, or an object's constructor name (`Date`, `Array`, `Object`, `Map`, `LabelSet`, `Datafile`, …).
 */
export function typeNameOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === null) return 'Object';
  const name = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'Object';
}
