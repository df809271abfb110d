import type { ErrorObject } from 'ajv';

import type { SchemaValidationResult } from './compile';
import { toValidationFailures } from './failures';

/**
 * A validator generated ahead of time by Ajv's standalone code generation (see scripts/generate-validators.mjs), for
 * a schema that never changes. It behaves as a validator compiled at run time, without loading or running Ajv.
 */
export interface PrecompiledValidator {
  /**
   * Validates data.
   * @param data - The data to check (never modified: the precompiled schemas fill in no defaults).
   * @returns Whether the data is valid; {@link PrecompiledValidator.errors} then holds Ajv's errors.
   */
  (data: unknown): boolean;
  /** Ajv's errors after a failed call, `null` after a successful one. */
  errors?: ErrorObject[] | null;
}

/**
 * Validates data with a precompiled validator, reporting as {@link validateWithSchema} does.
 * @param validator - The precompiled validator.
 * @param data - The data.
 * @returns Whether the data is valid, every failure with its JSON pointer, and Ajv's errors.
 */
export function validateWithPrecompiled(validator: PrecompiledValidator, data: unknown): SchemaValidationResult {
  if (validator(data)) {
    return { valid: true, failures: [], errors: [] };
  }
  const errors = [...(validator.errors ?? [])];
  return { valid: false, failures: toValidationFailures(errors), errors };
}
