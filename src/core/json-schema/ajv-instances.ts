import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import type AjvCore from 'ajv/dist/core';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json';
import addFormats from 'ajv-formats';

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

// Every instance shares these options: report every failure (callers list them all), accept third-party keywords
// such as Octue's `optional` and `title`-style annotations (`strict: false`), and check formats (`ajv-formats`).
function createInstance(dialect: SchemaDialect, options: InstanceOptions): AjvCore {
  const shared = { allErrors: true, strict: false, useDefaults: options.useDefaults };
  let ajv: AjvCore;
  if (dialect === 'draft-2020-12') {
    ajv = new Ajv2020(shared);
  } else if (dialect === 'draft-2019-09') {
    ajv = new Ajv2019(shared);
  } else {
    ajv = new Ajv(shared);
    // Draft-06 schemas are draft-07 schemas minus a few additions, so the draft-07 instance serves them too.
    ajv.addMetaSchema(draft06MetaSchema);
  }
  addFormats(ajv);
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

/**
 * Makes a schema available by its `$id` to every schema compiled afterwards (and to already-compiled ones that
 * reference it lazily), so `$ref`s to well-known URIs resolve offline. Registering the same content again is a no-op.
 * @param schema - A schema object with an `$id`.
 * @throws InvalidSchema when the schema has no string `$id`, when a different schema is already registered under
 *   the same `$id`, or when it breaks its dialect's meta-schema.
 */
export function registerSchema(schema: IdentifiedSchema): void {
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
      return;
    }
    throw new InvalidSchema(`A different schema is already registered with the $id '${id}'.`, {
      failures: [{ pointer: '/$id', message: 'is already registered with different content', keyword: '$id' }],
    });
  }
  const dialect = schemaDialectOf(schema);
  // Make sure at least one instance checks the schema now, so a broken schema fails here and not on later use.
  ajvFor(dialect, { useDefaults: false });
  for (const [key, ajv] of instances) {
    if (key.startsWith(`${dialect}|`) || !('$schema' in schema)) {
      addToInstance(ajv, schema, id);
    }
  }
  registered.set(id, { schema, json });
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
