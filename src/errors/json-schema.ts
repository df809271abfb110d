import { SkeinValidationError } from './base';

/**
 * A JSON Schema cannot be used: it breaks its dialect's meta-schema, declares a `$schema` dialect Skein does not
 * support, or has a `$ref` that cannot be resolved offline. `failures` point into the schema itself.
 */
export class InvalidSchema extends SkeinValidationError {}
