import { isAbsolute, resolve } from 'node:path';

/**
 * Value parsers for configuration options. Each takes a raw value from a file (typed YAML), the environment (always a
 * string) or code, and either returns the typed value or says in one sentence what is wrong with it.
 */

/** Where a raw option value came from. */
export type OptionOrigin = 'file' | 'env' | 'code';

/** What a parser knows about the value it parses. */
export interface ParseContext {
  /** Where the value came from; environment values are always strings. */
  readonly origin: OptionOrigin;
  /** The directory relative paths are resolved against (the file's directory, or the working directory). */
  readonly directory: string;
}

/** A parse outcome: the typed value, or the reason it was refused. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** Parses one raw option value. */
export type OptionParser<T> = (raw: unknown, context: ParseContext) => Parsed<T>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

function show(raw: unknown): string {
  return typeof raw === 'string' ? `'${raw}'` : (JSON.stringify(raw) ?? String(raw));
}

/** A non-empty string, trimmed. */
export const stringValue: OptionParser<string> = (raw) =>
  typeof raw === 'string' && raw.trim() !== ''
    ? ok(raw.trim())
    : fail(`must be a non-empty string; received ${show(raw)}`);

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Lower kebab case, as service namespaces and names must be. */
export const kebabValue: OptionParser<string> = (raw, context) => {
  const parsed = stringValue(raw, context);
  if (!parsed.ok) return parsed;
  return KEBAB.test(parsed.value)
    ? parsed
    : fail(`must be lower kebab case (a-z, 0-9 and inner hyphens); received ${show(raw)}`);
};

/** Namespaces Octue refuses in a service configuration (`DISALLOWED_SERVICE_NAMESPACES`). */
export const DISALLOWED_NAMESPACES: readonly string[] = ['example'];

/** A namespace: lower kebab case and not one of {@link DISALLOWED_NAMESPACES}. */
export const namespaceValue: OptionParser<string> = (raw, context) => {
  const parsed = kebabValue(raw, context);
  if (parsed.ok && DISALLOWED_NAMESPACES.includes(parsed.value)) {
    return fail(`'${parsed.value}' is not an allowed service namespace`);
  }
  return parsed;
};

const TRUE_TEXT = new Set(['1', 'true', 'yes', 'on']);
const FALSE_TEXT = new Set(['0', 'false', 'no', 'off']);

/** A boolean; from text, `1/true/yes/on` or `0/false/no/off` (any case). */
export const booleanValue: OptionParser<boolean> = (raw) => {
  if (typeof raw === 'boolean') return ok(raw);
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (TRUE_TEXT.has(text)) return ok(true);
    if (FALSE_TEXT.has(text)) return ok(false);
  }
  return fail(`must be a boolean (true/false or 1/0); received ${show(raw)}`);
};

/** A finite number greater than zero; from text, its decimal form. */
export const positiveNumberValue: OptionParser<number> = (raw) => {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : raw;
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? ok(value)
    : fail(`must be a number greater than 0; received ${show(raw)}`);
};

// An integer at least `minimum`; from text, its decimal form.
function integerAtLeast(minimum: number): OptionParser<number> {
  return (raw) => {
    const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw.trim()) : raw;
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= minimum
      ? ok(value)
      : fail(`must be an integer >= ${minimum}; received ${show(raw)}`);
  };
}

/** An integer >= 1; from text, its decimal form. */
export const positiveIntegerValue: OptionParser<number> = integerAtLeast(1);

/** An integer >= 0; from text, its decimal form. */
export const nonNegativeIntegerValue: OptionParser<number> = integerAtLeast(0);

/** A path, resolved to an absolute path against the context's directory. */
export const pathValue: OptionParser<string> = (raw, context) => {
  const parsed = stringValue(raw, context);
  if (!parsed.ok) return parsed;
  return ok(isAbsolute(parsed.value) ? resolve(parsed.value) : resolve(context.directory, parsed.value));
};

/** The pattern Octue requires of output locations (and Skein of every cloud directory option). */
export const CLOUD_DIRECTORY_PATTERN = /^gs:\/\/[a-z\d][a-z\d_./-]*$/;

/** A cloud directory, `gs://bucket/dir`, matching {@link CLOUD_DIRECTORY_PATTERN}; a trailing slash is removed. */
export const cloudDirectoryValue: OptionParser<string> = (raw, context) => {
  const parsed = stringValue(raw, context);
  if (!parsed.ok) return parsed;
  return CLOUD_DIRECTORY_PATTERN.test(parsed.value)
    ? ok(parsed.value.replace(/\/+$/, ''))
    : fail(`must be a Google Cloud Storage path such as 'gs://bucket-name/directory'; received ${show(raw)}`);
};

/** A federation project: a short name (it names a directory of local intermediate data). */
export const FEDERATION_PROJECT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A federation project name, see {@link FEDERATION_PROJECT_PATTERN}. */
export const federationProjectValue: OptionParser<string> = (raw, context) => {
  const parsed = stringValue(raw, context);
  if (!parsed.ok) return parsed;
  return FEDERATION_PROJECT_PATTERN.test(parsed.value)
    ? parsed
    : fail(`must be letters, digits, '.', '_' or '-' (at most 128); received ${show(raw)}`);
};

/**
 * A list of non-empty strings: a list in a file or in code; in the environment, a JSON list or comma-separated text.
 * An empty list (or empty text) is allowed and means none.
 */
export const stringListValue: OptionParser<readonly string[]> = (raw, context) => {
  let value = jsonText(raw, context);
  if (typeof value === 'string') value = value.trim() === '' ? [] : value.split(',').map((item) => item.trim());
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) {
    return fail(`must be a list of non-empty strings (or comma-separated text); received ${show(raw)}`);
  }
  return ok(value.map((item: string) => item.trim()));
};

/** A list of paths ({@link stringListValue}), each resolved to an absolute path against the context's directory. */
export const pathListValue: OptionParser<readonly string[]> = (raw, context) => {
  const parsed = stringListValue(raw, context);
  if (!parsed.ok) return parsed;
  return ok(parsed.value.map((item) => (isAbsolute(item) ? resolve(item) : resolve(context.directory, item))));
};

const HOST = /^[a-z\d.-]+(?::\d{1,5})?$|^\[[\da-f:.]+\](?::\d{1,5})?$/i;

/** A list of hosts (`host` or `host:port`, no scheme or path), as URL allow-lists compare them. */
export const hostListValue: OptionParser<readonly string[]> = (raw, context) => {
  const parsed = stringListValue(raw, context);
  if (!parsed.ok) return parsed;
  const bad = parsed.value.find((host) => !HOST.test(host));
  return bad === undefined
    ? ok(parsed.value.map((host) => host.toLowerCase()))
    : fail(`must list hosts as host or host:port, without a scheme or path; received ${show(bad)}`);
};

/** A service registry: where revision tags of services are looked up. */
export interface ServiceRegistry {
  /** The registry's name. */
  readonly name: string;
  /** Its HTTPS endpoint. */
  readonly endpoint: string;
}

/** A list of `{name, endpoint}` registries (in priority order); from text, its JSON form. */
export const registriesValue: OptionParser<readonly ServiceRegistry[]> = (raw, context) => {
  const value = jsonText(raw, context);
  if (!Array.isArray(value)) {
    return fail(`must be a list of {name, endpoint} registries; received ${show(raw)}`);
  }
  for (const [index, entry] of value.entries()) {
    const record = entry as Record<string, unknown> | null;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      return fail(`entry ${index} must be an object with a name and an endpoint`);
    }
    for (const field of ['name', 'endpoint']) {
      if (typeof record[field] !== 'string' || record[field] === '') {
        return fail(`entry ${index} must have a non-empty string '${field}'`);
      }
    }
    if (!/^https?:\/\//.test(record.endpoint as string)) {
      return fail(`entry ${index}'s endpoint must be an http(s) URL; received ${show(record.endpoint)}`);
    }
  }
  return ok(value.map((entry: Record<string, string>) => ({ ...entry }) as unknown as ServiceRegistry));
};

/**
 * Strand data (configuration values, a configuration manifest, children): any value is kept as it is, except that a
 * relative `.json` path is resolved against the context's directory, so the data files can sit beside `octue.yaml`.
 * Environment text that is JSON is parsed; the twine validates the contents later.
 */
export const strandDataValue: OptionParser<unknown> = (raw, context) => {
  if (typeof raw === 'string' && raw.trim().toLowerCase().endsWith('.json') && !raw.trim().startsWith('{')) {
    return pathValue(raw, context);
  }
  return ok(jsonText(raw, context));
};

// Environment variables carry JSON for structured options; file and code values are already structured.
function jsonText(raw: unknown, context: ParseContext): unknown {
  if (context.origin === 'env' && typeof raw === 'string') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}
