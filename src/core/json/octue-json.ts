import { types } from 'node:util';

import { InvalidInputException } from '../../errors';
import { setOwnProperty } from './own-property';
import type { JsonValue, PythonJsonOptions } from './python-json';
import { isPlainObject } from './plain-object';
import { pythonJsonDumps } from './python-json';
import type { PythonReprValue } from './python-repr';
import { comparePython } from './python-repr';

/**
 * The Octue JSON codec: the JSON extras Octue's `OctueJSONEncoder` / `OctueJSONDecoder` add, so values cross to and
 * from Python peers unchanged.
 *
 * - an object with a `toPrimitive()` method is written as what that method returns;
 * - a `Set` is written as `{"_type": "set", "items": [<sorted items>]}`;
 * - a `Date` is written as `{"_type": "datetime", "value": "<Python isoformat, e.g. 2025-05-13T15:39:34.123000+00:00>"}`;
 * - a `Map` is written as an object; a bigint as an integer.
 *
 * Decoding turns the `_type` objects back into `Set`s and `Date`s; everything else is plain JSON, so both forms are
 * accepted.
 */

/** An object that controls its own JSON form, as Octue's `to_primitive()` objects do. */
export interface HasPrimitive {
  /** Returns a JSON-compatible form of the object. */
  toPrimitive(): unknown;
}

/**
 * Converts a value into plain JSON values, applying the Octue extras (see the module summary). Object keys whose
 * value is `undefined` are left out and `undefined` array items become `null`, as `JSON.stringify` does.
 *
 * @param value - Any value made of JSON values, Sets, Dates, Maps, bigints and objects with `toPrimitive()`.
 * @returns The plain JSON value.
 * @throws InvalidInputException for functions, symbols and class instances with no `toPrimitive()`/`toJSON()`.
 */
export function toOctuePrimitive(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return value;
    case 'object':
      return objectToPrimitive(value);
    default:
      throw new InvalidInputException(`A ${typeof value} cannot be encoded as Octue JSON.`);
  }
}

function objectToPrimitive(value: object): JsonValue {
  if (typeof (value as Partial<HasPrimitive>).toPrimitive === 'function') {
    return toOctuePrimitive((value as HasPrimitive).toPrimitive());
  }
  if (types.isDate(value)) return { _type: 'datetime', value: formatPythonIsoformat(value) };
  if (types.isSet(value)) return { _type: 'set', items: sortedSetItems([...(value as Set<unknown>)]) };
  if (types.isMap(value)) {
    return objectToPrimitive(Object.fromEntries([...(value as Map<unknown, unknown>)].map(([k, v]) => [String(k), v])));
  }
  if (Array.isArray(value)) return value.map((item) => toOctuePrimitive(item));
  if (isPlainObject(value)) {
    const out: { [key: string]: JsonValue } = {};
    // An own `__proto__` key (e.g. from received values sent back) is written as data, not lost to the setter.
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) setOwnProperty(out, key, toOctuePrimitive(item));
    }
    return out;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return toOctuePrimitive((value as { toJSON(): unknown }).toJSON());
  }
  throw new InvalidInputException(
    `A ${value.constructor.name} cannot be encoded as Octue JSON: give it a toPrimitive() method or convert it first.`,
  );
}

function sortedSetItems(items: unknown[]): JsonValue[] {
  const converted = items.map((item) => toOctuePrimitive(item));
  // Python sorts the set's items; items that are not orderable scalars keep their insertion order.
  if (converted.every((item) => item === null || typeof item !== 'object')) {
    converted.sort((a, b) => comparePython(a as PythonReprValue, b as PythonReprValue));
  }
  return converted;
}

/**
 * Reverses the Octue extras in an already-parsed JSON value: `{"_type": "set"}` objects become `Set`s and
 * `{"_type": "datetime"}` objects become `Date`s, at any depth. Other objects are copied into plain objects whose keys
 * are all own data (`__proto__`, `constructor` and `prototype` included), so the sender never chooses a prototype.
 *
 * @param value - A parsed JSON value.
 * @returns The value with Sets and Dates restored.
 * @throws InvalidInputException when a `datetime` value is not an ISO 8601 date-time.
 */
export function fromOctuePrimitive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => fromOctuePrimitive(item));
  if (value === null || typeof value !== 'object' || types.isDate(value) || types.isSet(value)) return value;
  const record = value as Record<string, unknown>;
  if (record._type === 'set' && Array.isArray(record.items)) {
    return new Set(record.items.map((item) => fromOctuePrimitive(item)));
  }
  if (record._type === 'datetime' && typeof record.value === 'string') return parseIsoDatetime(record.value);
  // Received keys stay own data: a `__proto__` key must never become the decoded object's prototype.
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) setOwnProperty(out, key, fromOctuePrimitive(item));
  return out;
}

/**
 * Writes a value as Octue JSON, byte-compatible with Python's `json.dumps(value, cls=OctueJSONEncoder)`.
 *
 * @param value - The value (see {@link toOctuePrimitive}).
 * @param options - `indent` and `sortKeys`, as Python's `indent` and `sort_keys`.
 * @returns The JSON text.
 * @throws InvalidInputException when the value cannot be encoded.
 * @example
 * ```ts
 * encodeOctueJson(new Set(['b', 'a'])); // '{"_type": "set", "items": ["a", "b"]}'
 * ```
 */
export function encodeOctueJson(value: unknown, options: PythonJsonOptions = {}): string {
  return pythonJsonDumps(toOctuePrimitive(value), options);
}

/**
 * Parses Octue JSON text, restoring `Set`s and `Date`s from their `_type` objects.
 *
 * @param text - The JSON text.
 * @returns The decoded value.
 * @throws InvalidInputException when the text is not valid JSON or holds a malformed `datetime`.
 * @example
 * ```ts
 * decodeOctueJson('{"_type": "set", "items": ["a"]}'); // Set { 'a' }
 * ```
 */
export function decodeOctueJson(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputException(`The text is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return fromOctuePrimitive(parsed);
}

/**
 * Formats a date as Python's `datetime.isoformat()` does for a timezone-aware UTC datetime: microseconds only when
 * non-zero, and a `+00:00` offset, e.g. `2025-05-13T15:39:34.123000+00:00`.
 *
 * @param date - The date.
 * @returns The Python ISO 8601 text.
 * @throws InvalidInputException when the date is invalid.
 */
export function formatPythonIsoformat(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new InvalidInputException('An invalid Date cannot be encoded.');
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const milliseconds = date.getUTCMilliseconds();
  const fraction = milliseconds === 0 ? '' : `.${String(milliseconds).padStart(3, '0')}000`;
  return `${iso.slice(0, 19)}${fraction}+00:00`;
}

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses an ISO 8601 date or date-time as Python's `dateutil` reads Octue datetimes. A value without an offset is
 * read as UTC (Python would treat it as local time) so results do not depend on the machine's time zone; fractions
 * finer than a millisecond are truncated.
 *
 * @param text - e.g. `2025-05-13T15:39:34.123456+00:00`, `2021-01-01T00:00:00Z` or `2021-01-01`.
 * @returns The date.
 * @throws InvalidInputException when the text is not an ISO 8601 date-time.
 */
export function parseIsoDatetime(text: string): Date {
  const match = ISO_DATETIME.exec(text.trim());
  if (!match) throw new InvalidInputException(`'${text}' is not an ISO 8601 date-time.`);
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  const milliseconds = Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
  let time = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour ?? 0),
    Number(minute ?? 0),
    Number(second ?? 0),
    milliseconds,
  );
  if (offset && offset.toUpperCase() !== 'Z') {
    const digits = offset.replace(':', '');
    const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0);
    time -= (offset.startsWith('-') ? -1 : 1) * minutes * 60_000;
  }
  const calendarDay = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const valid =
    calendarDay.getUTCMonth() === Number(month) - 1 &&
    calendarDay.getUTCDate() === Number(day) &&
    Number(hour ?? 0) < 24 &&
    Number(minute ?? 0) < 60 &&
    Number(second ?? 0) < 60;
  if (!valid || Number.isNaN(time)) throw new InvalidInputException(`'${text}' is not a valid date-time.`);
  const date = new Date(time);
  return date;
}
