import { InvalidSchema } from '../../errors';

/** The JSON Schema dialects Skein validates with; each has its own Ajv instance. */
export const SCHEMA_DIALECTS = ['draft-07', 'draft-2019-09', 'draft-2020-12'] as const;

/** One of {@link SCHEMA_DIALECTS}. */
export type SchemaDialect = (typeof SCHEMA_DIALECTS)[number];

/**
 * The dialect used when a schema has no `$schema`.
 *
 * Draft-07 because it is the dialect that accepts the twines found in the wild: Octue's templates and tests write
 * draft-07 idioms without declaring a dialect (tuple `items: […]` with `additionalItems`), which Ajv's 2020-12
 * vocabulary rejects as an invalid schema, while Ajv's draft-07 vocabulary still resolves `#/$defs/…` references
 * (references are plain JSON pointers) and honours keywords beside `$ref`. Authors who need 2019-09/2020-12-only
 * keywords (`prefixItems`, `unevaluatedProperties`, `dependentRequired`, …) declare `$schema`, as Octue's own
 * schemas do.
 */
export const DEFAULT_SCHEMA_DIALECT: SchemaDialect = 'draft-07';

/** The canonical `$schema` URI Ajv registers for each dialect's meta-schema. */
export const DIALECT_URIS: Readonly<Record<SchemaDialect, string>> = {
  'draft-07': 'http://json-schema.org/draft-07/schema#',
  'draft-2019-09': 'https://json-schema.org/draft/2019-09/schema',
  'draft-2020-12': 'https://json-schema.org/draft/2020-12/schema',
};

/** The meta-schema URI of draft-06, which the draft-07 instance also serves (the two differ only in additions). */
export const DRAFT_06_URI = 'http://json-schema.org/draft-06/schema#';

// `$schema` values are compared without scheme, trailing `#` or trailing slash, so `https://…/draft-07/schema` and
// `http://…/draft-07/schema#` name the same dialect.
const DIALECT_BY_KEY: ReadonlyMap<string, SchemaDialect> = new Map([
  ['json-schema.org/draft-07/schema', 'draft-07'],
  ['json-schema.org/draft-06/schema', 'draft-07'],
  ['json-schema.org/draft/2019-09/schema', 'draft-2019-09'],
  ['json-schema.org/draft/2020-12/schema', 'draft-2020-12'],
]);

function dialectKey(uri: string): string {
  return uri
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/#$/, '')
    .replace(/\/$/, '');
}

/**
 * Finds the dialect a schema is written in from its `$schema`.
 * @param schema - A JSON Schema (object or boolean).
 * @returns The declared dialect, or {@link DEFAULT_SCHEMA_DIALECT} when `$schema` is absent.
 * @throws InvalidSchema when `$schema` is not a string or names a dialect Skein does not support (e.g. draft-04).
 */
export function schemaDialectOf(schema: unknown): SchemaDialect {
  if (typeof schema !== 'object' || schema === null || !('$schema' in schema)) {
    return DEFAULT_SCHEMA_DIALECT;
  }
  const declared = (schema as { $schema: unknown }).$schema;
  const dialect = typeof declared === 'string' ? DIALECT_BY_KEY.get(dialectKey(declared)) : undefined;
  if (dialect === undefined) {
    throw new InvalidSchema(
      `Unsupported JSON Schema dialect ${JSON.stringify(declared)}: use draft-07, draft 2019-09 or draft 2020-12 ` +
        `(e.g. "${DIALECT_URIS['draft-2020-12']}"), or leave "$schema" out for draft-07.`,
      { failures: [{ pointer: '/$schema', message: 'must name a supported dialect', keyword: '$schema' }] },
    );
  }
  return dialect;
}

/**
 * The URI Ajv knows the schema's meta-schema by, so spelling variants (`https`, missing `#`) still compile.
 * @param schema - A JSON Schema with a supported `$schema`.
 * @returns The `$schema` value to compile with, or `undefined` when the schema declares none.
 */
export function canonicalSchemaUri(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null || !('$schema' in schema)) {
    return undefined;
  }
  const declared = (schema as { $schema: unknown }).$schema;
  if (typeof declared === 'string' && dialectKey(declared) === 'json-schema.org/draft-06/schema') {
    return DRAFT_06_URI;
  }
  return DIALECT_URIS[schemaDialectOf(schema)];
}
