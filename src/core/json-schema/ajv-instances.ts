import type { Options } from 'ajv';
import type AjvDraft07 from 'ajv';
import type Ajv2019 from 'ajv/dist/2019';
import type Ajv2020 from 'ajv/dist/2020';
import type AjvCore from 'ajv/dist/core';
import type addFormats from 'ajv-formats';

import { InvalidSchema } from '../../errors';
import { schemaDialectOf } from './dialects';
import type { SchemaDialect } from './dialects';

/** How an Ajv instance treats the data it validates. */
export interface InstanceOptions {
  /** Fill in `default`s from the schema (Ajv mutates the validated data in place). */
  readonly useDefaults: boolean;
}

/** A JSON Schema object with an `$id`, so other schemas can `$ref` it by URI. */
export type IdentifiedSchema = { readonly $id: string } & Record<string, unknown>;

type AjvClass = typeof AjvDraft07 | typeof Ajv2019 | typeof Ajv2020;

// Ajv, its dialects and ajv-formats take about 100 ms to load, and Skein's own schemas are precompiled
// (src/core/generated), so they are loaded on first use: a cold start that only checks events and an empty twine
// never loads them. `require` keeps the load synchronous, as compiling is.
/* eslint-disable @typescript-eslint/no-require-imports */
function ajvClassFor(dialect: SchemaDialect): AjvClass {
  if (dialect === 'draft-2020-12') {
    return (require('ajv/dist/2020') as { default: typeof Ajv2020 }).default;
  }
  if (dialect === 'draft-2019-09') {
    return (require('ajv/dist/2019') as { default: typeof Ajv2019 }).default;
  }
  return (require('ajv') as { default: typeof AjvDraft07 }).default;
}

function loadDraft06MetaSchema(): Record<string, unknown> {
  return require('ajv/dist/refs/json-schema-draft-06.json') as Record<string, unknown>;
}

function loadAddFormats(): typeof addFormats {
  return (require('ajv-formats') as { default: typeof addFormats }).default;
}
/* eslint-enable @typescript-eslint/no-require-imports */

// Every instance shares these options: report every failure (callers list them all), accept third-party keywords
// such as Octue's `optional` and `title`-style annotations (`strict: false`), and check formats (`ajv-formats`).
// scripts/generate-validators.mjs precompiles Skein's own schemas with the same options, so both report the same
// failures (a unit test compares them).
function createInstance(dialect: SchemaDialect, options: InstanceOptions): AjvCore {
  const shared: Options = { allErrors: true, strict: false, useDefaults: options.useDefaults };
  const ajv: AjvCore = new (ajvClassFor(dialect))(shared);
  if (dialect === 'draft-07') {
    // Draft-06 schemas are draft-07 schemas minus a few additions, so the draft-07 instance serves them too.
    ajv.addMetaSchema(loadDraft06MetaSchema());
  }
  loadAddFormats()(ajv);
  return ajv;
}

const instances = new Map<string, AjvCore>();
const registered = new Map<string, { schema: IdentifiedSchema; json: string }>();

function instanceKey(dialect: SchemaDialect, options: InstanceOptions): string {
  return `${dialect}|${options.useDefaults ? 'defaults' : 'plain'}`;
}

// A registered schema goes into the instances of its own dialect; one without `$schema` fits every instance.
function fitsInstance(schema: IdentifiedSchema, dialect: SchemaDialect): boolean {
  return !('$schema' in schema) || schemaDialectOf(schema) === dialect;
}

/**
 * The shared Ajv instance for a dialect, created on first use with every registered schema added.
 * @param dialect - The JSON Schema dialect.
 * @param options - Whether the instance fills in defaults.
 * @returns The instance; the same object for the same dialect and options.
 */
export function ajvFor(dialect: SchemaDialect, options: InstanceOptions): AjvCore {
  const key = instanceKey(dialect, options);
  let ajv = instances.get(key);
  if (ajv === undefined) {
    ajv = createInstance(dialect, options);
    for (const { schema } of registered.values()) {
      if (fitsInstance(schema, dialect)) {
        ajv.addSchema(schema);
      }
    }
    instances.set(key, ajv);
  }
  return ajv;
}

// The `$id` and JSON of a schema about to be registered, or `undefined` when the same content is already registered.
function newRegistration(schema: IdentifiedSchema): { id: string; json: string } | undefined {
  const id = (schema as { $id?: unknown }).$id;
  if (typeof id !== 'string' || id === '') {
    throw new InvalidSchema('Only a schema with a string "$id" can be registered, so others can "$ref" it by URI.', {
      failures: [{ pointer: '/$id', message: 'must be a non-empty string', keyword: '$id' }],
    });
  }
  const json = JSON.stringify(schema);
  const existing = registered.get(id);
  if (existing !== undefined) {
    if (existing.json === json) {
      return undefined;
    }
    throw new InvalidSchema(`A different schema is already registered with the $id '${id}'.`, {
      failures: [{ pointer: '/$id', message: 'is already registered with different content', keyword: '$id' }],
    });
  }
  return { id, json };
}

function addToExistingInstances(schema: IdentifiedSchema, id: string): void {
  const dialect = schemaDialectOf(schema);
  for (const [key, ajv] of instances) {
    if (key.startsWith(`${dialect}|`) || !('$schema' in schema)) {
      addToInstance(ajv, schema, id);
    }
  }
}

/**
 * Makes a schema available by its `$id` to every schema compiled afterwards (and to already-compiled ones that
 * reference it lazily), so `$ref`s to well-known URIs resolve offline. Registering the same content again is a no-op.
 * @param schema - A schema object with an `$id`.
 * @throws InvalidSchema when the schema has no string `$id`, when a different schema is already registered under
 *   the same `$id`, or when it breaks its dialect's meta-schema.
 */
export function registerSchema(schema: IdentifiedSchema): void {
  const registration = newRegistration(schema);
  if (registration === undefined) {
    return;
  }
  // Make sure at least one instance checks the schema now, so a broken schema fails here and not on later use.
  ajvFor(schemaDialectOf(schema), { useDefaults: false });
  addToExistingInstances(schema, registration.id);
  registered.set(registration.id, { schema, json: registration.json });
}

/**
 * Registers one of Skein's own schemas, known to satisfy its meta-schema (its unit tests check it), like
 * {@link registerSchema} but without checking it now: it goes into each Ajv instance when that instance is created.
 * So registering it costs nothing until a schema is compiled at run time (Ajv is not even loaded until then).
 * @param schema - A well-formed schema object with an `$id`.
 * @throws InvalidSchema when the schema has no string `$id`, or when a different schema is already registered under
 *   the same `$id`.
 */
export function registerTrustedSchema(schema: IdentifiedSchema): void {
  const registration = newRegistration(schema);
  if (registration === undefined) {
    return;
  }
  addToExistingInstances(schema, registration.id);
  registered.set(registration.id, { schema, json: registration.json });
}

function addToInstance(ajv: AjvCore, schema: IdentifiedSchema, id: string): void {
  try {
    // The instance may already hold the schema because it was compiled by itself before being registered.
    const held = ajv.getSchema(id);
    if (held !== undefined) {
      if (JSON.stringify(held.schema) === JSON.stringify(schema)) {
        return;
      }
      ajv.removeSchema(id);
    }
    ajv.addSchema(schema);
  } catch (error) {
    throw new InvalidSchema(`The schema '${id}' cannot be registered: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Whether a schema with this `$id` has been registered with {@link registerSchema}.
 * @param id - The `$id` URI.
 * @returns `true` when registered.
 */
export function isSchemaRegistered(id: string): boolean {
  return registered.has(id);
}
