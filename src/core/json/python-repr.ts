/**
 * Python-compatible text forms. Octue hashes datasets and manifests by CRC32C-ing `str(sorted(...))` of Python lists
 * and tuples, so reproducing those hash strings byte for byte needs CPython's `repr` rules for strings, numbers, lists
 * and tuples, and Python's ordering for `sorted`.
 */

/** A Python tuple, so `pythonRepr` prints `('a', 'b')` rather than a list. */
export class PythonTuple {
  /**
   * @param items - The tuple's items, in order.
   */
  constructor(readonly items: readonly PythonReprValue[]) {}
}

/** Values `pythonRepr` can print: `None`, `True`/`False`, numbers, strings, lists (arrays) and tuples. */
export type PythonReprValue = null | boolean | number | bigint | string | readonly PythonReprValue[] | PythonTuple;

// Python's `str.isprintable()` is false for the Unicode "Other" (C*) and "Separator" (Z*) categories, except the
// ASCII space; `repr` escapes exactly those characters.
const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

/**
 * Formats a string as CPython's `repr(str)` does: single quotes unless the string contains a single quote and no
 * double quote; backslashes, the quote in use, `\t`, `\n`, `\r` and non-printable characters escaped.
 *
 * @param value - The string.
 * @returns The Python literal, e.g. `pythonStringRepr("it's")` → `"it's"`.
 */
export function pythonStringRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of value) {
    out += escapeCharacter(char, quote);
  }
  return out + quote;
}

function escapeCharacter(char: string, quote: string): string {
  if (char === quote || char === '\\') return `\\${char}`;
  if (char === '\t') return '\\t';
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === ' ' || !NON_PRINTABLE.test(char)) return char;
  const code = char.codePointAt(0) as number;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

/**
 * Formats a number as Python's `repr` does. Integral values print as Python `int`s (JavaScript cannot tell `1.0` from
 * `1`); other values use Python's float repr: the shortest round-trip digits, positional for exponents -4 to 15 and
 * `1e-05` / `1.5e+16` style otherwise; `nan`, `inf`, `-inf` for the special values.
 *
 * @param value - The number.
 * @returns The Python literal.
 */
export function pythonNumberRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(0);
  return pythonFloatRepr(value);
}

/**
 * Formats a finite number as Python's `float.__repr__` does (`1.0`, `0.0001`, `1e-05`, `1e+16`).
 *
 * @param value - A finite number.
 * @returns The Python float literal.
 */
export function pythonFloatRepr(value: number): string {
  // `toExponential()` without an argument gives the shortest digits that round-trip, as Python's repr does.
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}

/**
 * Formats a value as CPython's `repr` (and `str`, for containers) does.
 *
 * @param value - `null`, a boolean, number, bigint, string, array (a Python list) or {@link PythonTuple}.
 * @returns The Python text, e.g. `pythonRepr([new PythonTuple(['a', 'x'])])` → `[('a', 'x')]`.
 * @example
 * ```ts
 * pythonRepr(['AAAAAA==', 'mnG7TA==']); // "['AAAAAA==', 'mnG7TA==']"
 * ```
 */
export function pythonRepr(value: PythonReprValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumberRepr(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return pythonStringRepr(value);
  if (value instanceof PythonTuple) {
    const items = value.items.map(pythonRepr);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  return `[${value.map(pythonRepr).join(', ')}]`;
}

/**
 * Compares two values in Python's `sorted` order: numbers numerically, strings by code point, lists and tuples item
 * by item. Python refuses to order values of different kinds; here they are ordered by kind (None, booleans, numbers,
 * strings, sequences) so sorting never fails.
 *
 * @returns A negative number, zero or a positive number, as `Array.prototype.sort` expects.
 */
export function comparePython(a: PythonReprValue, b: PythonReprValue): number {
  const rankA = kindRank(a);
  const rankB = kindRank(b);
  if (rankA !== rankB) return rankA - rankB;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePointStrings(a, b);
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a === null || b === null) return 0;
  const itemsA = a instanceof PythonTuple ? a.items : (a as readonly PythonReprValue[]);
  const itemsB = b instanceof PythonTuple ? b.items : (b as readonly PythonReprValue[]);
  for (let i = 0; i < Math.min(itemsA.length, itemsB.length); i += 1) {
    const order = comparePython(itemsA[i] as PythonReprValue, itemsB[i] as PythonReprValue);
    if (order !== 0) return order;
  }
  return itemsA.length - itemsB.length;
}

/**
 * Returns a sorted copy of `values` in Python's `sorted` order (see {@link comparePython}).
 *
 * @param values - The values to sort.
 * @returns A new sorted array.
 */
export function pythonSorted<T extends PythonReprValue>(values: Iterable<T>): T[] {
  return [...values].sort(comparePython);
}

function kindRank(value: PythonReprValue): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number' || typeof value === 'bigint') return 2;
  if (typeof value === 'string') return 3;
  return 4;
}

/**
 * Compares two strings by Unicode code point, as Python does. (JavaScript's `<` compares UTF-16 code units; the two
 * differ only around astral characters.)
 *
 * @returns A negative number, zero or a positive number.
 */
export function compareCodePointStrings(a: string, b: string): number {
  if (a === b) return 0;
  const pointsA = Array.from(a, (c) => c.codePointAt(0) as number);
  const pointsB = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(pointsA.length, pointsB.length); i += 1) {
    const diff = (pointsA[i] as number) - (pointsB[i] as number);
    if (diff !== 0) return diff;
  }
  return pointsA.length - pointsB.length;
}
