import { inspect } from 'node:util';

import { InvalidFilterException, UnexpectedNumberOfResultsException } from '../../errors';
import { satisfiesFilter, splitFilterName } from './satisfies';
import type { FilterOptions, Filters } from './types';

/** Renders filters for messages, e.g. `{ name__ends_with: '.csv', tags__cluster: 0 }`. */
export function describeFilters(filters: Filters): string {
  return Object.keys(filters).length === 0 ? 'no filters' : `filters ${inspect(filters, { breakLength: Infinity })}`;
}

/**
 * Keeps the entries whose subject satisfies every filter (AND). Unlike Octue, whose chained filtering applies
 * `ignore_items_without_attribute` to the first filter only (and inverted), the option here applies to every filter.
 * @param entries - The container's entries.
 * @param filters - The filters; none keeps every entry.
 * @param options - See {@link FilterOptions}.
 * @param subjectOf - The part of an entry the filters look at (a `FilterDict` filters its values).
 * @returns The matching entries, in their original order.
 * @throws InvalidFilterException (and its leaves) for bad filters; FilterAttributeNotFound, see {@link FilterOptions}.
 */
export function selectMatching<E>(
  entries: Iterable<E>,
  filters: Filters,
  options: FilterOptions | undefined,
  subjectOf: (entry: E) => unknown,
): E[] {
  if (typeof filters !== 'object' || filters === null) {
    throw new InvalidFilterException(`Filters must be an object of { filterName: value }, not ${String(filters)}.`);
  }
  const named = Object.entries(filters);
  // Check every name up front so a malformed one fails even when no item reaches it.
  named.forEach(([name]) => splitFilterName(name));
  const ignoreMissing = options?.ignoreItemsWithoutAttribute ?? true;
  return [...entries].filter((entry) =>
    named.every(([name, value]) => satisfiesFilter(subjectOf(entry), name, value, ignoreMissing)),
  );
}

/**
 * Returns the only match.
 * @param matches - What the filters selected.
 * @param filters - The filters, for the message.
 * @returns The single match.
 * @throws UnexpectedNumberOfResultsException when there are no matches or more than one, saying how many.
 */
export function exactlyOne<E>(matches: readonly E[], filters: Filters): E {
  const [first] = matches;
  if (matches.length === 1) return first as E;
  const found = matches.length === 0 ? 'none matched' : `${matches.length} matched`;
  throw new UnexpectedNumberOfResultsException(
    `Expected exactly one result for ${describeFilters(filters)}, but ${found}.`,
  );
}
