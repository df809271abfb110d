/**
 * Filters for a filter container's `filter`/`one`: each key is a filter name, each value the value to test against.
 * A filter name is `<attribute>[__<nested attribute or key>…]__<action>` (e.g. `name__ends_with`,
 * `tags__cluster__gt`); a name without a valid action that still names an attribute means `equals` (`name`,
 * `tags__cluster`). Several filters must all hold (AND).
 */
export type Filters = Readonly<Record<string, unknown>>;

/** Options for `filter` and `one`. */
export interface FilterOptions {
  /**
   * When `true` (the default), items lacking an attribute or key that a filter names are left out of the result;
   * when `false`, such an item makes the call throw `FilterAttributeNotFound`.
   */
  readonly ignoreItemsWithoutAttribute?: boolean;
}

/** Options for `orderBy`. */
export interface OrderByOptions {
  /** When given (not `undefined`), the first ordered item's attribute must equal this, else `BrokenSequenceException`. */
  readonly checkStartValue?: unknown;
  /** When given, each ordered item's attribute must exceed the previous one's by exactly this, else `BrokenSequenceException`. */
  readonly checkConstantIncrement?: number | bigint;
  /** Order from largest to smallest; items with equal attributes keep their original relative order either way. */
  readonly reverse?: boolean;
}
