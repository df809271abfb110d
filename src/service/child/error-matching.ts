import type { ErrorMatcher } from './types';

/**
 * Whether an error matches one of `matchers` (a `preventRetriesWhen` list): a class matches its instances (subclasses
 * included), a string matches the error's `name`, which for a re-created remote error is the remote type's name
 * (e.g. `'ValueError'`, `'InvalidValuesContents'`).
 * @param error - The error of a failed question.
 * @param matchers - Classes and names.
 * @returns `true` when any matches.
 */
export function matchesAnyError(error: unknown, matchers: readonly ErrorMatcher[] | undefined): boolean {
  if (matchers === undefined || matchers.length === 0) return false;
  const name = error instanceof Error ? error.name : undefined;
  return matchers.some((matcher) => (typeof matcher === 'string' ? matcher === name : error instanceof matcher));
}

/**
 * Describes a matcher list entry's type for log messages.
 * @param error - The error.
 * @returns Its name, e.g. `ValueError`.
 */
export function errorTypeName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
