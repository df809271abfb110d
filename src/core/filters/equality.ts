import { asMapLike, asSetLike, isPlainObject, type SetLike } from './collection-kinds';

/** A JavaScript number or bigint: the values Octue's `numbers.Number` filters cover. */
export type Numeric = number | bigint;

/** Whether `value` is a number or a bigint. */
export function isNumeric(value: unknown): value is Numeric {
  return typeof value === 'number' || typeof value === 'bigint';
}

/**
 * Compares two numbers or bigints exactly (mixing the two is fine, as in Python where ints and floats compare).
 * @returns Negative, zero or positive; `NaN` when either side is `NaN`, so every ordering test on it is false as in
 * Python.
 */
export function compareNumeric(a: Numeric, b: Numeric): number {
  if (a < b) return -1;
  if (a > b) return 1;
  // Loose equality is deliberate: it compares a bigint and a number by value, and is false for NaN.
  return a == b ? 0 : NaN;
}

/** Maps a UTF-16 code unit so that code-unit order matches code-point order (surrogates sort above U+FFFF). */
function codePointOrderUnit(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}

/**
 * Compares strings by Unicode code point, as Python does (JavaScript's `<` compares UTF-16 code units, which orders
 * astral characters below U+E000–U+FFFF).
 * @returns Negative, zero or positive.
 */
export function compareStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointOrderUnit(x) - codePointOrderUnit(y);
  }
  return a.length - b.length;
}

/**
 * A locale-independent stand-in for Python's `str.casefold`: NFC-normalise, upper-case then lower-case (which folds
 * `ß`→`ss` and `ﬁ`→`fi` like casefold), map final sigma `ς` to `σ` (JavaScript's lower-casing re-creates `ς` at word
 * ends; casefold never yields it), and NFC-normalise again so composed and decomposed accents match. Unlike Python,
 * which does not normalise, `'café'` (composed) and `'cafe\u0301'` therefore compare equal.
 */
export function casefold(text: string): string {
  return text.normalize('NFC').toUpperCase().toLowerCase().replace(/ς/g, 'σ').normalize('NFC');
}

function setsEqual(a: SetLike, b: SetLike): boolean {
  if (a.size !== b.size) return false;
  for (const member of a) {
    if (!b.has(member) && ![...b].some((other) => deepEqual(member, other))) return false;
  }
  return true;
}

type Entries = ReadonlyMap<unknown, unknown>;

/** Dict-likes (maps, registered wrappers, plain objects) as a Map, so a plain object equals a Map with its entries. */
function dictEntries(value: object): Entries | undefined {
  const map = asMapLike(value);
  if (map) return new Map([...map.keys()].map((key) => [key, map.get(key)]));
  return isPlainObject(value) ? new Map(Object.entries(value)) : undefined;
}

function dictsEqual(a: Entries, b: Entries): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) {
    if (!b.has(key) || !deepEqual(value, b.get(key))) return false;
  }
  return true;
}

/**
 * Python-style `==` for filter values: primitives by value (a bigint equals the same number), dates by instant,
 * arrays element-wise, sets by membership, dicts (`Map`s, `FilterDict`s and plain objects, interchangeably) by
 * entries, other iterables element-wise in order, and other objects of the same class by own enumerable properties.
 * @param a - One value.
 * @param b - The other.
 * @returns Whether they are equal.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) return compareNumeric(a, b) === 0;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  const [setA, setB] = [asSetLike(a), asSetLike(b)];
  if (setA || setB) return setA !== undefined && setB !== undefined && setsEqual(setA, setB);
  const [dictA, dictB] = [dictEntries(a), dictEntries(b)];
  if (dictA || dictB) return dictA !== undefined && dictB !== undefined && dictsEqual(dictA, dictB);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Symbol.iterator in a && Symbol.iterator in b) {
    return deepEqual([...(a as Iterable<unknown>)], [...(b as Iterable<unknown>)]);
  }
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && deepEqual(Reflect.get(a, key), Reflect.get(b, key)))
  );
}
