import { InvalidInputException } from '../../errors';
import { isPlainObject } from './plain-object';
import { pythonNumberRepr } from './python-repr';

/** A JSON value: what `pythonJsonDumps` can write. */
export type JsonValue = null | boolean | number | bigint | string | readonly JsonValue[] | { [key: string]: JsonValue };

/** Options for {@link pythonJsonDumps}. */
export interface PythonJsonOptions {
  /** Spaces per indentation level; without it the output is on one line (Python's `indent=None`). */
  readonly indent?: number;
  /** Sort object keys by code point (Python's `sort_keys=True`). */
  readonly sortKeys?: boolean;
}

/**
 * Writes JSON text exactly as Python's `json.dumps` does with its defaults: `", "` and `": "` separators on one line
 * (`","` and `": "` when indented), non-ASCII characters escaped as `\uXXXX` (`ensure_ascii=True`), floats in Python's
 * repr form. Octue stores JSON written this way in GCS custom metadata and `.octue` files, so Skein writes the same
 * bytes.
 *
 * @param value - The JSON value (convert Octue extras first with `toOctuePrimitive`).
 * @param options - Indentation and key sorting.
 * @returns The JSON text.
 * @throws InvalidInputException when the value holds something JSON cannot express (a function, a symbol, a
 *   non-plain object).
 * @example
 * ```ts
 * pythonJsonDumps({ a: [1, 'é'] }); // '{"a": [1, "\\u00e9"]}'
 * ```
 */
export function pythonJsonDumps(value: JsonValue, options: PythonJsonOptions = {}): string {
  return write(value, options, 0);
}

function write(value: JsonValue, options: PythonJsonOptions, level: number): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return writeNumber(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return pythonJsonString(value);
  if (Array.isArray(value)) {
    return writeContainer(
      (value as readonly JsonValue[]).map((item) => write(item, options, level + 1)),
      '[',
      ']',
      options,
      level,
    );
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    const record = value as { [key: string]: JsonValue };
    let keys = Object.keys(record).filter((key) => record[key] !== undefined);
    if (options.sortKeys) keys = keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const entries = keys.map(
      (key) => `${pythonJsonString(key)}: ${write(record[key] as JsonValue, options, level + 1)}`,
    );
    return writeContainer(entries, '{', '}', options, level);
  }
  throw new InvalidInputException(`A value of type ${describeType(value)} cannot be written as JSON.`);
}

function writeContainer(items: string[], open: string, close: string, options: PythonJsonOptions, level: number) {
  if (items.length === 0) return `${open}${close}`;
  if (options.indent === undefined) return `${open}${items.join(', ')}${close}`;
  const inner = '\n' + ' '.repeat(options.indent * (level + 1));
  const outer = '\n' + ' '.repeat(options.indent * level);
  return `${open}${inner}${items.join(`,${inner}`)}${outer}${close}`;
}

function writeNumber(value: number): string {
  // Python writes the special floats as JavaScript literals (allow_nan=True by default).
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return pythonNumberRepr(value);
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/**
 * Writes a JSON string literal as Python's `json.dumps` does with `ensure_ascii=True`: everything outside printable
 * ASCII is escaped as `\uXXXX` (astral characters as a surrogate pair, lowercase hex).
 *
 * @param value - The string.
 * @returns The quoted, escaped literal.
 */
export function pythonJsonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i] as string;
    const code = value.charCodeAt(i);
    const short = SHORT_ESCAPES[char];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return out + '"';
}

function describeType(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return (value as object).constructor?.name ?? 'object';
}
