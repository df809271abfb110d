/**
 * Octue's filter containers: sets, lists and dicts of resources that can be filtered (`filter`, `one`) and ordered
 * (`orderBy`) by their members' attributes with filter names such as `name__ends_with` or `tags__cluster__gt`.
 *
 * Choices where JavaScript and Python differ (each documented where it is made):
 * - Actions are chosen by the attribute's runtime type: `null`/`undefined`, boolean, string, number/bigint, `Date`,
 *   any `Set` (label sets), iterables and dicts (arrays, `Map`, `FilterDict`, plain objects), other objects.
 * - `equals` is Python's `==` (deep for arrays, sets, dicts, dates); `is` is `===`.
 * - `i*` actions compare with a locale-independent casefold (NFC, upper- then lower-case, `ς`→`σ`).
 * - Date parts are read in UTC (Octue timestamps are UTC); times of day are `'HH:MM[:SS[.mmm]]'` or
 *   `{ hour, minute?, second?, millisecond? }`; calendar dates `'YYYY-MM-DD'`, `{ year, month, day }` or a `Date`.
 * - An item lacking a named attribute (or a dict lacking a named key) is skipped, or raises
 *   `FilterAttributeNotFound` when `ignoreItemsWithoutAttribute` is `false`; the option applies to every filter.
 * @module
 */
export { FilterSet } from './filter-set';
export { FilterList } from './filter-list';
export { FilterDict } from './filter-dict';
export type { FilterDictSource } from './filter-dict';
export type { Filters, FilterOptions, OrderByOptions } from './types';
