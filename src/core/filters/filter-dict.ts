import { InvalidInputException } from '../../errors';
import { registerCollection } from './collection-kinds';
import { FilterList } from './filter-list';
import { orderEntries } from './ordering';
import { exactlyOne, selectMatching } from './selection';
import type { FilterOptions, Filters, OrderByOptions } from './types';

/** What a `FilterDict` can be built from: a plain object, a `Map`, another `FilterDict`, or `[key, value]` pairs. */
export type FilterDictSource<V> = Readonly<Record<string, V>> | Iterable<readonly [string, V]>;

const valueOf = <V>([, value]: readonly [string, V]): V => value;

function entriesOf<V>(source: FilterDictSource<V>): [string, V][] {
  if (typeof source !== 'object' || source === null) {
    throw new InvalidInputException(
      `A FilterDict needs an object, a Map or [key, value] pairs, not ${String(source)}.`,
    );
  }
  if (!(Symbol.iterator in source)) return Object.entries(source);
  return [...(source as Iterable<unknown>)].map((entry) => {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      throw new InvalidInputException('A FilterDict needs [key, value] pairs with string keys.');
    }
    return [entry[0], entry[1] as V];
  });
}

/**
 * A filterable, string-keyed dictionary (Octue's `FilterDict`, e.g. a manifest's datasets). Filters, `one` and
 * `orderBy` look at the values; results keep their keys. Iterating yields `[key, value]` pairs in insertion order.
 * @typeParam V - The values, usually resources such as datasets.
 * @example
 * ```ts
 * const [key, dataset] = manifest.datasets.one({ name__starts_with: 'met-mast' });
 * ```
 */
export class FilterDict<V> implements Iterable<[string, V]> {
  readonly #entries: Map<string, V>;

  /**
   * @param source - The entries: a plain object (own enumerable keys), a `Map`, another `FilterDict`, or
   * `[key, value]` pairs; later duplicates of a key win.
   * @throws InvalidInputException when the source is not one of those.
   */
  constructor(source: FilterDictSource<V> = {}) {
    this.#entries = new Map(entriesOf(source));
    // Lets nested lookups (`datasets__<key>__name`), equality and `contains` treat a FilterDict like a Python dict.
    registerCollection(this, 'map');
  }

  /** The number of entries. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * @param key - A key.
   * @returns Whether the key is present.
   */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /**
   * @param key - A key.
   * @returns Its value, or `undefined` when absent.
   */
  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  /** @returns The keys, in insertion order. */
  keys(): IterableIterator<string> {
    return this.#entries.keys();
  }

  /** @returns The values, in insertion order. */
  values(): IterableIterator<V> {
    return this.#entries.values();
  }

  /** @returns The `[key, value]` pairs, in insertion order. */
  entries(): IterableIterator<[string, V]> {
    return this.#entries.entries();
  }

  /** Iterates over the `[key, value]` pairs in insertion order. */
  [Symbol.iterator](): Iterator<[string, V]> {
    return this.#entries.entries();
  }

  /** @returns A new plain object of the entries. */
  toObject(): Record<string, V> {
    return Object.fromEntries(this.#entries);
  }

  /**
   * Keeps the entries whose values satisfy every filter.
   * @param filters - Filters by name, applied to the values (see `Filters`).
   * @param options - `ignoreItemsWithoutAttribute` (default `true`).
   * @returns A new `FilterDict` with the same keys for the entries kept.
   * @throws InvalidFilterException (or a leaf: InvalidFilterAction, InvalidFilterValue) for a bad filter;
   * FilterAttributeNotFound for a value lacking an attribute when `ignoreItemsWithoutAttribute` is `false`.
   */
  filter(filters: Filters, options?: FilterOptions): FilterDict<V> {
    return new FilterDict(selectMatching(this.#entries, filters, options, valueOf));
  }

  /**
   * Returns the one entry whose value satisfies the filters (with no filters, the dict's only entry), as Octue does.
   * @param filters - Filters by name, applied to the values.
   * @param options - As for {@link FilterDict.filter}.
   * @returns The `[key, value]` pair.
   * @throws UnexpectedNumberOfResultsException when no entry or more than one matches; filter errors as for
   * `filter`.
   */
  one(filters: Filters = {}, options?: FilterOptions): [string, V] {
    return exactlyOne(selectMatching(this.#entries, filters, options, valueOf), filters);
  }

  /**
   * Orders the entries by an attribute of their values into a list of `[key, value]` pairs.
   * @param attributeName - The attribute of the values, nested with `__`.
   * @param options - `reverse`, `checkStartValue`, `checkConstantIncrement` (checked on the values' attributes).
   * @returns A new `FilterList` of `[key, value]` pairs.
   * @throws FilterAttributeNotFound when a value lacks the attribute; InvalidInputException when its values cannot
   * be compared; BrokenSequenceException when a check fails.
   */
  orderBy(attributeName: string, options: OrderByOptions = {}): FilterList<[string, V]> {
    return new FilterList(orderEntries(this.#entries, attributeName, options, valueOf));
  }
}
