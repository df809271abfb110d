import { registerTrustedSchema } from '../../json-schema';
import type { IdentifiedSchema } from '../../json-schema';
import childrenSchema from './children.schema.json';
import manifestSchema from './manifest.schema.json';
import twineSchema from './twine.schema.json';

/** The twine meta-schema: what a well-formed `twine.json` looks like. */
export const TWINE_META_SCHEMA: Readonly<Record<string, unknown>> = twineSchema;

/** The manifest schema (Octue manifest 0.1.0 shape) that every manifest strand's data must satisfy. */
export const MANIFEST_SCHEMA: IdentifiedSchema = manifestSchema;

/** The children schema (Octue children 0.2.0 shape) that the children given to a service must satisfy. */
export const CHILDREN_SCHEMA: IdentifiedSchema = childrenSchema;

/** The `$id` of {@link MANIFEST_SCHEMA}; other schemas (such as the event schema) `$ref` manifests by it. */
export const MANIFEST_SCHEMA_ID = manifestSchema.$id;

/** The `$id` of {@link CHILDREN_SCHEMA}. */
export const CHILDREN_SCHEMA_ID = childrenSchema.$id;

/**
 * Registers the manifest and children schemas by their `$id`s so that any schema can `$ref` them offline.
 * Idempotent and cheap (nothing is compiled until a schema that needs them is); Twine calls it before compiling the
 * schemas a twine holds.
 */
export function registerTwineSchemas(): void {
  // Trusted: both are Skein's own, checked against their meta-schema by the unit tests, so no Ajv is loaded here.
  registerTrustedSchema(MANIFEST_SCHEMA);
  registerTrustedSchema(CHILDREN_SCHEMA);
}
