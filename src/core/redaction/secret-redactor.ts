import { isPlainObject } from '../json/plain-object';
import { pythonJsonDumps, pythonJsonString } from '../json/python-json';
import type { JsonValue, PythonJsonOptions } from '../json/python-json';

/** What a secret is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Secrets shorter than this are not redacted. A 1–3 character value (`1`, `abc`, `yes`) occurs by chance in ordinary
 * text, so redacting it would mangle logs, tracebacks and results, and every `[REDACTED]` would then point at the
 * places the value occurs: an oracle for a value that short, which is guessable anyway. The Runner warns about them.
 */
export const MIN_SECRET_LENGTH = 4;

// The text of a string inside JSON.stringify's output, and inside Python's `json.dumps` output (ensure_ascii: non-ASCII
// as \uXXXX), which is how Skein serialises events, diagnostics and recordings.
function jsonInner(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

function pythonInner(text: string): string {
  return pythonJsonString(text).slice(1, -1);
}

function urlEncoded(text: string): string | undefined {
  try {
    return encodeURIComponent(text);
  } catch {
    // A lone surrogate cannot be URL-encoded, so it cannot occur in that form either.
    return undefined;
  }
}

/**
 * Every form a secret is searched for: as it is; JSON-escaped once (an app logging `JSON.stringify(config)`, or the
 * secret inside serialised JSON) and twice (that log line inside a serialised event), in JSON.stringify's and Python's
 * escaping; and URL-encoded (a URL with the secret in its query, as HTTP clients put in their error messages).
 */
function formsOf(secret: string): string[] {
  const json = jsonInner(secret);
  const python = pythonInner(secret);
  const forms = [secret, json, python, jsonInner(json), pythonInner(json), pythonInner(python), urlEncoded(secret)];
  return forms.filter((form): form is string => form !== undefined);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function isErrorLike(value: object): value is Error {
  if (value instanceof Error) return true;
  const candidate = value as { name?: unknown; message?: unknown };
  return typeof candidate.name === 'string' && typeof candidate.message === 'string';
}

/**
 * Removes secret values from text and data before Skein emits them (forwarded logs, local log sinks, events sent to
 * the parent, crash diagnostics, recordings). It holds the set of secrets of one analysis, compiled into one regular
 * expression when secrets are added, so each text costs one search and nothing at all while there are no secrets
 * (`empty`). Values shorter than {@link MIN_SECRET_LENGTH} are ignored. Data is copied only where a secret was found,
 * so clean data comes back as the same object. Object keys are left as they are: they are the data's structure (the
 * wire format's own keys among them), and a secret in a key is not a slip an app makes by mistake.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  /** @param secrets - Initial secret values; more can be added later with {@link SecretRedactor.add}. */
  constructor(secrets: Iterable<unknown> = []) {
    this.add(secrets);
  }

  /** Whether there is nothing to redact (no secret long enough has been added). */
  get empty(): boolean {
    return this.pattern === undefined;
  }

  /** The secret values being redacted. */
  get values(): readonly string[] {
    return [...this.secrets];
  }

  /**
   * Adds secret values; non-strings and values shorter than {@link MIN_SECRET_LENGTH} are ignored.
   * @param values - The values, e.g. an analysis's credentials.
   * @returns How many new secrets were added.
   */
  add(values: Iterable<unknown>): number {
    const before = this.secrets.size;
    for (const value of values) {
      if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) this.secrets.add(value);
    }
    if (this.secrets.size === before) return 0;
    const forms = new Set([...this.secrets].flatMap(formsOf));
    // Longest first, so a secret containing another is replaced whole rather than leaving its remainder behind.
    const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = new RegExp(alternatives.join('|'), 'g');
    return this.secrets.size - before;
  }

  /**
   * Whether a text contains a secret in any searched form.
   * @param text - Any text.
   * @returns True when it does.
   */
  matches(text: string): boolean {
    // `search` ignores and keeps `lastIndex`, so the shared global pattern is safe here.
    return this.pattern !== undefined && text.search(this.pattern) !== -1;
  }

  /**
   * Replaces every occurrence of a secret (in any searched form) with {@link REDACTED}.
   * @param text - Any text.
   * @returns The text without secrets (the same text when it had none).
   */
  redact(text: string): string {
    if (this.pattern === undefined || text.search(this.pattern) === -1) return text;
    return text.replace(this.pattern, REDACTED);
  }

  /**
   * Redacts strings anywhere inside a value: arrays, plain objects, Sets, Maps and errors (message, stack, `cause` and
   * their other fields, keeping their class) are copied where they hold a secret; a number whose digits contain a
   * secret becomes {@link REDACTED}. Other objects (class instances, Dates, Buffers) are returned as they are.
   * @param value - Any value.
   * @returns The value without secrets (the same value when it had none).
   */
  redactValue(value: unknown): unknown {
    return this.pattern === undefined ? value : this.walk(value, new WeakSet());
  }

  /**
   * Redacts a JSON document: when it contains a secret, it is parsed, redacted with {@link redactValue} and written
   * again in Skein's (Python-compatible) JSON layout, so the result is still valid JSON with the same shape. Text that
   * does not parse (e.g. with Python's `NaN`) is redacted as text.
   * @param text - JSON text, as `encodeOctueJson` writes it.
   * @param options - The layout to write a redacted document in (the one the text was written with).
   * @returns The text, unchanged when it held no secret.
   */
  redactJson(text: string, options: PythonJsonOptions = {}): string {
    if (!this.matches(text)) return text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.redact(text);
    }
    return pythonJsonDumps(this.redactValue(parsed) as JsonValue, options);
  }

  private walk(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (typeof value === 'number' || typeof value === 'bigint') return this.matches(String(value)) ? REDACTED : value;
    if (typeof value !== 'object' || value === null || seen.has(value)) return value;
    seen.add(value);
    if (Array.isArray(value)) return this.walkArray(value, seen);
    if (value instanceof Set) {
      const items = [...value];
      const redacted = this.walkArray(items, seen);
      return redacted === items ? value : new Set(redacted);
    }
    if (value instanceof Map) {
      const keys = [...value.keys()];
      const items = [...value.values()];
      const redacted = this.walkArray(items, seen);
      return redacted === items ? value : new Map(keys.map((key, index) => [key, redacted[index]]));
    }
    if (isErrorLike(value)) return this.walkError(value, seen);
    if (!isPlainObject(value)) return value;
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const redacted = this.walk(item, seen);
      if (redacted !== item) changed = true;
      return [key, redacted] as const;
    });
    // fromEntries defines properties, so a `__proto__` key stays a key instead of setting the copy's prototype.
    return changed ? Object.fromEntries(entries) : value;
  }

  private walkArray(items: readonly unknown[], seen: WeakSet<object>): unknown[] {
    let copy: unknown[] | undefined;
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      const redacted = this.walk(item, seen);
      if (redacted !== item) {
        copy ??= items.slice();
        copy[index] = redacted;
      }
    }
    return copy ?? (items as unknown[]);
  }

  // A copy with the same prototype (so `instanceof`, its wire name and Python type name are kept) and every own field
  // redacted; the message and stack are read through the error, as V8 may compute the stack lazily.
  private walkError(error: Error, seen: WeakSet<object>): Error {
    const message = this.redact(String(error.message));
    const stack = typeof error.stack === 'string' ? this.redact(error.stack) : error.stack;
    let changed = message !== error.message || stack !== error.stack;
    const fields = new Map<PropertyKey, PropertyDescriptor>();
    for (const key of Reflect.ownKeys(error)) {
      if (key === 'message' || key === 'stack') continue;
      const descriptor = Object.getOwnPropertyDescriptor(error, key);
      if (descriptor === undefined) continue;
      if ('value' in descriptor) {
        const redacted = this.walk(descriptor.value, seen);
        if (redacted !== descriptor.value) changed = true;
        descriptor.value = redacted;
      }
      fields.set(key, descriptor);
    }
    if (!changed) return error;
    const copy = Object.create(Object.getPrototypeOf(error) as object | null) as Error;
    for (const [key, descriptor] of fields) Object.defineProperty(copy, key, descriptor);
    const hidden = { writable: true, enumerable: false, configurable: true } as const;
    Object.defineProperty(copy, 'message', { ...hidden, value: message });
    Object.defineProperty(copy, 'stack', { ...hidden, value: stack });
    return copy;
  }
}
