import { exactlyOne, selectMatching } from './selection';
import { orderEntries } from './ordering';
import type { FilterOptions, Filters, OrderByOptions } from './types';

const self = <T>(item: T): T => item;

/**
 * An ordered, filterable list (Octue's `FilterList`). It wraps an array rather than extending `Array`, whose own
 * `filter` means something else; it is iterable and reads like a read-only array (`length`, `at`, `toArray`).
 * @typeParam T - The items, usually resources such as datafiles.
 * @example
 * ```ts
 * const ordered = new FilterList(files).filter({ name__ends_with: '.csv' }).orderBy('tags__sequence');
 * ```
 */
export class FilterList<T> implements Iterable<T> {
  readonly #items: readonly T[];

  /**
   * @param items - The items, in order (any iterable; it is copied).
   */
  constructor(items: Iterable<T> = []) {
    this.#items = [...items];
  }

  /** The number of items. */
  get length(): number {
    return this.#items.length;
  }

  /**
   * The item at an index; negative indices count from the end, as with `Array.prototype.at`.
   * @param index - The index.
   * @returns The item, or `undefined` when out of range.
   */
  at(index: number): T | undefined {
    return this.#items.at(index);
  }

  /** @returns A new array of the items, in order. */
  toArray(): T[] {
    return [...this.#items];
  }

  /** Iterates over the items in order. */
  [Symbol.iterator](): Iterator<T> {
    return this.#items[Symbol.iterator]();
  }

  /**
   * Keeps the items that satisfy every filter, in their original order.
   * @param filters - Filters by name (see `Filters`), e.g. `{ name__ends_with: '.csv', tags__cluster__gt: 1 }`.
   * @param options - `ignoreItemsWithoutAttribute` (default `true`).
   * @returns A new `FilterList`.
   * @throws InvalidFilterException (or a leaf: InvalidFilterAction, InvalidFilterValue) for a bad filter;
   * FilterAttributeNotFound for an item lacking an attribute when `ignoreItemsWithoutAttribute` is `false`.
   */
  filter(filters: Filters, options?: FilterOptions): FilterList<T> {
    return new FilterList(selectMatching(this.#items, filters, options, self));
  }

  /**
   * Returns the one item that satisfies the filters (with no filters, the list's only item).
   * @param filters - Filters by name.
   * @param options - As for {@link FilterList.filter}.
   * @returns The item.
   * @throws UnexpectedNumberOfResultsException when no item or more than one matches; filter errors as for `filter`.
   */
  one(filters: Filters = {}, options?: FilterOptions): T {
    return exactlyOne(selectMatching(this.#items, filters, options, self), filters);
  }

  /**
   * Orders the items by an attribute.
   * @param attributeName - The attribute, nested with `__` (e.g. `tags__sequence`).
   * @param options - `reverse`, `checkStartValue`, `checkConstantIncrement`.
   * @returns A new `FilterList`.
   * @throws FilterAttributeNotFound when an item lacks the attribute; InvalidInputException when its values cannot
   * be compared; BrokenSequenceException when a check fails.
   */
  orderBy(attributeName: string, options: OrderByOptions = {}): FilterList<T> {
    return new FilterList(orderEntries(this.#items, attributeName, options, self));
  }
}
