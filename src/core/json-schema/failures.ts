import type { ErrorObject } from 'ajv';

import type { ValidationFailure } from '../../errors';

/**
 * Escapes one reference token for a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`).
 * @param token - A property name or array index.
 * @returns The escaped token.
 */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Joins reference tokens onto a JSON pointer.
 * @param base - A JSON pointer (`""` for the document root).
 * @param tokens - Unescaped tokens to append.
 * @returns The combined pointer, e.g. `joinPointer('/datasets', 'a/b')` → `/datasets/a~1b`.
 */
export function joinPointer(base: string, ...tokens: (string | number)[]): string {
  return base + tokens.map((token) => `/${escapePointerToken(token)}`).join('');
}

// Keywords whose failure is about a property that is absent or unwanted; Ajv reports them at the parent object, but
// the failing value is the property itself, so the pointer moves down to it.
const PROPERTY_PARAMS: Readonly<Record<string, string>> = {
  required: 'missingProperty',
  dependentRequired: 'missingProperty',
  dependencies: 'missingProperty',
  additionalProperties: 'additionalProperty',
  unevaluatedProperties: 'unevaluatedProperty',
  propertyNames: 'propertyName',
};

function pointerOf(error: ErrorObject): string {
  const param = PROPERTY_PARAMS[error.keyword];
  const property = param === undefined ? undefined : (error.params as Record<string, unknown>)[param];
  return typeof property === 'string' ? joinPointer(error.instancePath, property) : error.instancePath;
}

function messageOf(error: ErrorObject): string {
  const message = error.message ?? `fails the "${error.keyword}" keyword`;
  if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
    return `is not allowed (${message})`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
    return allowed === undefined ? message : `${message}: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return message;
}

/**
 * Converts Ajv's errors into Skein validation failures, one per failing value, with JSON pointers into the
 * validated document. A `required` failure points at the missing property (e.g. `/height`), not at its parent.
 * Identical failures (same pointer and message) are reported once, and `if` failures, which only summarise the
 * failures of their `then`/`else` branch, are left out.
 * @param errors - Ajv's `errors` after a failed validation (`null`/`undefined` gives no failures).
 * @param basePointer - Pointer of the validated document inside a larger one, prefixed to every pointer.
 * @returns The failures, in Ajv's order.
 */
export function toValidationFailures(
  errors: readonly ErrorObject[] | null | undefined,
  basePointer = '',
): ValidationFailure[] {
  const seen = new Set<string>();
  const failures: ValidationFailure[] = [];
  for (const error of errors ?? []) {
    // An `if` failure ("must match \"then\" schema") only repeats the failures of the branch, which are listed too.
    if (error.keyword === 'if') {
      continue;
    }
    const failure = { pointer: basePointer + pointerOf(error), message: messageOf(error), keyword: error.keyword };
    const key = `${failure.pointer}\u0000${failure.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      failures.push(failure);
    }
  }
  return failures;
}
