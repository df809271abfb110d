import type { AnySchema, ErrorObject, ValidateFunction } from 'ajv';
import type AjvCore from 'ajv/dist/core';

import { InvalidSchema } from '../../errors';
import type { ValidationFailure } from '../../errors';
import { ajvFor } from './ajv-instances';
import type { InstanceOptions } from './ajv-instances';
import { canonicalSchemaUri, schemaDialectOf } from './dialects';
import { joinPointer, toValidationFailures } from './failures';

/** Options for compiling or validating with a schema. */
export interface SchemaOptions {
  /**
   * Fill in the schema's `default`s while validating. Ajv writes them into the validated data in place, so pass a
   * copy when the caller's object must not change. Default `false`.
   */
  readonly useDefaults?: boolean;
}

/** The outcome of validating data against a schema. */
export interface SchemaValidationResult {
  /** Whether the data satisfies the schema. */
  readonly valid: boolean;
  /** Every failing value, with its JSON pointer into the data; empty when valid. */
  readonly failures: readonly ValidationFailure[];
  /** Ajv's own errors, kept to be attached as `cause`. */
  readonly errors: readonly ErrorObject[];
}

/** A compiled validator: Ajv's validate function (`errors` is set after a failed call). */
export type SchemaValidator = ValidateFunction;

// Compiled validators are cached per schema object (the common case: a twine's strands are compiled once and used
// for every question) and, for schemas with an `$id`, by `$id` + content, because Ajv refuses to compile a second
// object with an `$id` it already holds.
const byObject = new WeakMap<object, Map<string, SchemaValidator>>();
const byId = new Map<string, { json: string; validator: SchemaValidator }>();

function instanceOptions(options: SchemaOptions | undefined): InstanceOptions {
  return { useDefaults: options?.useDefaults === true };
}

// Ajv knows each meta-schema by one spelling of its URI; compile a shallow copy when the schema uses another one.
function withCanonicalDialect(schema: AnySchema): AnySchema {
  if (typeof schema !== 'object') {
    return schema;
  }
  const canonical = canonicalSchemaUri(schema);
  return canonical === undefined || canonical === schema.$schema ? schema : { ...schema, $schema: canonical };
}

/**
 * Checks a schema against its dialect's meta-schema.
 * @param schema - The schema (its `$schema` picks the dialect; draft-07 when absent).
 * @returns One failure per problem, with JSON pointers into the schema; empty when the schema is well-formed.
 * @throws InvalidSchema when the schema declares an unsupported dialect.
 */
export function checkSchema(schema: unknown): ValidationFailure[] {
  if (typeof schema === 'boolean') {
    return [];
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return [{ pointer: '', message: 'must be a JSON Schema (an object or a boolean)', keyword: 'type' }];
  }
  const ajv = ajvFor(schemaDialectOf(schema), instanceOptions(undefined));
  const valid = ajv.validateSchema(withCanonicalDialect(schema as AnySchema));
  return valid === true ? [] : toValidationFailures(ajv.errors);
}

function findRefPointer(node: unknown, missingRef: string, pointer = ''): string | undefined {
  if (typeof node !== 'object' || node === null) {
    return undefined;
  }
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref !== '' && (ref === missingRef || missingRef.endsWith(ref))) {
    return joinPointer(pointer, '$ref');
  }
  for (const [key, child] of Object.entries(node)) {
    const found = findRefPointer(child, missingRef, joinPointer(pointer, key));
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

function compileWith(ajv: AjvCore, original: AnySchema, schema: AnySchema): SchemaValidator {
  try {
    return ajv.compile(schema);
  } catch (error) {
    const missingRef = (error as { missingRef?: unknown }).missingRef;
    if (typeof missingRef === 'string') {
      throw new InvalidSchema(
        `The schema's $ref '${missingRef}' cannot be resolved: register the referenced schema with registerSchema() ` +
          'first (Skein never fetches schemas over the network).',
        {
          failures: [
            {
              pointer: findRefPointer(original, missingRef) ?? '',
              message: `cannot be resolved: register '${missingRef}' with registerSchema() first`,
              keyword: '$ref',
            },
          ],
          cause: error,
        },
      );
    }
    throw new InvalidSchema(`The schema cannot be compiled: ${(error as Error).message}`, { cause: error });
  }
}

function compileIdentified(ajv: AjvCore, key: string, original: AnySchema, schema: AnySchema, id: string) {
  const json = JSON.stringify(schema);
  const cached = byId.get(`${key}|${id}`);
  if (cached !== undefined && cached.json === json) {
    return cached.validator;
  }
  const held = ajv.getSchema(id);
  if (held !== undefined) {
    if (JSON.stringify(held.schema) === json) {
      return held;
    }
    // An earlier, different schema with the same `$id` was compiled here; the newer one replaces it.
    ajv.removeSchema(id);
  }
  const validator = compileWith(ajv, original, schema);
  byId.set(`${key}|${id}`, { json, validator });
  return validator;
}

/**
 * Compiles a schema with the shared Ajv instance of its dialect, caching the result.
 * @param schema - The schema (its `$schema` picks the dialect; draft-07 when absent).
 * @param options - Whether validation fills in defaults.
 * @returns The compiled validator.
 * @throws InvalidSchema when the schema breaks its meta-schema (failures point into the schema), declares an
 *   unsupported dialect, or has a `$ref` that is not registered.
 */
export function compileSchema(schema: unknown, options?: SchemaOptions): SchemaValidator {
  const dialect = schemaDialectOf(schema);
  const instance = instanceOptions(options);
  const key = `${dialect}|${instance.useDefaults}`;
  const isObject = typeof schema === 'object' && schema !== null;
  const cached = isObject ? byObject.get(schema)?.get(key) : undefined;
  if (cached !== undefined) {
    return cached;
  }
  const problems = checkSchema(schema);
  if (problems.length > 0) {
    throw new InvalidSchema('The schema is not a valid JSON Schema.', { failures: problems });
  }
  const anySchema = schema as AnySchema;
  const ajv = ajvFor(dialect, instance);
  if (typeof anySchema === 'boolean') {
    return compileWith(ajv, anySchema, anySchema);
  }
  const compilable = withCanonicalDialect(anySchema);
  const id = (anySchema as { $id?: unknown }).$id;
  const validator =
    typeof id === 'string' && id !== ''
      ? compileIdentified(ajv, key, anySchema, compilable, id)
      : compileWith(ajv, anySchema, compilable);
  const perObject = byObject.get(anySchema) ?? new Map<string, SchemaValidator>();
  perObject.set(key, validator);
  byObject.set(anySchema, perObject);
  return validator;
}

/**
 * Validates data against a schema.
 * @param schema - The schema (compiled once and cached).
 * @param data - The data; with `useDefaults` it is filled in place.
 * @param options - Whether to fill in defaults.
 * @returns Whether the data is valid, every failure with its JSON pointer, and Ajv's errors.
 * @throws InvalidSchema when the schema itself is unusable (see {@link compileSchema}).
 */
export function validateWithSchema(schema: unknown, data: unknown, options?: SchemaOptions): SchemaValidationResult {
  const validator = compileSchema(schema, options);
  if (validator(data) === true) {
    return { valid: true, failures: [], errors: [] };
  }
  const errors = [...(validator.errors ?? [])];
  return { valid: false, failures: toValidationFailures(errors), errors };
}
