import { registerCollection } from './collection-kinds';
import { FilterList } from './filter-list';
import { orderEntries } from './ordering';
import { exactlyOne, selectMatching } from './selection';
import type { FilterOptions, Filters, OrderByOptions } from './types';

const self = <T>(item: T): T => item;

/**
 * An unordered, filterable set (Octue's `FilterSet`; `dataset.files` is one). It wraps a `Set` (so members are
 * unique by identity, and iteration follows insertion order) instead of extending a built-in whose `filter` would
 * clash.
 * @typeParam T - The members, usually resources such as datafiles.
 * @example
 * ```ts
 * const csvFiles = dataset.files.filter({ name__ends_with: '.csv' });
 * const file = dataset.files.one({ name: 'a.csv' });
 * ```
 */
export class FilterSet<T> implements Iterable<T> {
  readonly #items: Set<T>;

  /**
   * @param items - The members (any iterable; duplicates collapse).
   */
  constructor(items: Iterable<T> = []) {
    this.#items = new Set(items);
    // Lets equality and `contains` treat a FilterSet attribute like a Python set.
    registerCollection(this, 'set');
  }

  /** The number of members. */
  get size(): number {
    return this.#items.size;
  }

  /**
   * @param item - A possible member.
   * @returns Whether it is a member (by identity).
   */
  has(item: T): boolean {
    return this.#items.has(item);
  }

  /**
   * Adds a member.
   * @param item - The new member.
   * @returns This set.
   */
  add(item: T): this {
    this.#items.add(item);
    return this;
  }

  /**
   * Removes a member.
   * @param item - The member.
   * @returns Whether it was a member.
   */
  delete(item: T): boolean {
    return this.#items.delete(item);
  }

  /** @returns A new array of the members, in insertion order. */
  toArray(): T[] {
    return [...this.#items];
  }

  /** Iterates over the members in insertion order. */
  [Symbol.iterator](): Iterator<T> {
    return this.#items[Symbol.iterator]();
  }

  /**
   * Keeps the members that satisfy every filter.
   * @param filters - Filters by name (see `Filters`), e.g. `{ name__ends_with: '.csv', tags__cluster: 0 }`.
   * @param options - `ignoreItemsWithoutAttribute` (default `true`).
   * @returns A new `FilterSet`.
   * @throws InvalidFilterException (or a leaf: InvalidFilterAction, InvalidFilterValue) for a bad filter;
   * FilterAttributeNotFound for a member lacking an attribute when `ignoreItemsWithoutAttribute` is `false`.
   */
  filter(filters: Filters, options?: FilterOptions): FilterSet<T> {
    return new FilterSet(selectMatching(this.#items, filters, options, self));
  }

  /**
   * Returns the one member that satisfies the filters (with no filters, the set's only member).
   * @param filters - Filters by name.
   * @param options - As for {@link FilterSet.filter}.
   * @returns The member.
   * @throws UnexpectedNumberOfResultsException when no member or more than one matches; filter errors as for
   * `filter`.
   */
  one(filters: Filters = {}, options?: FilterOptions): T {
    return exactlyOne(selectMatching(this.#items, filters, options, self), filters);
  }

  /**
   * Orders the members by an attribute into a list (a set has no order of its own).
   * @param attributeName - The attribute, nested with `__` (e.g. `tags__sequence`).
   * @param options - `reverse`, `checkStartValue`, `checkConstantIncrement`.
   * @returns A new `FilterList`.
   * @throws FilterAttributeNotFound when a member lacks the attribute; InvalidInputException when its values cannot
   * be compared; BrokenSequenceException when a check fails.
   */
  orderBy(attributeName: string, options: OrderByOptions = {}): FilterList<T> {
    return new FilterList(orderEntries(this.#items, attributeName, options, self));
  }
}
