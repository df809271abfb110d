import { FilterList } from '../../../../src/core/filters';

/**
 * Whether an item whose `attribute` is `attribute` passes the filter `attribute__<filter>` (or `attribute` itself
 * when `filter` is empty), going through the public `filter` method.
 */
export function matches(attribute: unknown, filter: string, value: unknown): boolean {
  const name = filter === '' ? 'attribute' : `attribute__${filter}`;
  return new FilterList([{ attribute }]).filter({ [name]: value }).length === 1;
}

/** Runs a filter on a one-item list and returns what it throws. */
export function errorFrom(attribute: unknown, filter: string, value: unknown): unknown {
  try {
    matches(attribute, filter, value);
  } catch (error) {
    return error;
  }
  throw new Error(`Filter attribute__${filter} did not throw.`);
}
