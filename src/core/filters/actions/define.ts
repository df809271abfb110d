import { InvalidFilterValue } from '../../../errors';
import { deepEqual } from '../equality';
import { INVALID, anyValue, rangeOf, type ValueParser } from '../values';

/** Where an action is being run, for error messages. */
export interface FilterSite {
  /** The whole filter name, e.g. `tags__cluster__gt`. */
  readonly filterName: string;
  /** The action, e.g. `gt`. */
  readonly action: string;
}

/** One filter action on attributes of type `I`. */
export interface FilterAction<I> {
  /**
   * Tests one attribute against the filter value.
   * @throws InvalidFilterValue when the filter value has the wrong shape for this action.
   */
  // Method syntax on purpose: it lets a table for `string` items sit in a registry of tables for `unknown` items.
  run(item: I, value: unknown, site: FilterSite): boolean;
}

/** The actions available for one family of attribute types, by action name. */
export type ActionTable<I> = Readonly<Record<string, FilterAction<I>>>;

/**
 * Declares an action: the shape of value it takes and the test it applies.
 * @param parser - Checks and converts the filter value.
 * @param test - The test, given the attribute and the parsed value.
 * @returns The action.
 */
export function action<I, V>(parser: ValueParser<V>, test: (item: I, value: V) => boolean): FilterAction<I> {
  return {
    run(item, value, site) {
      const parsed = parser.parse(value);
      if (parsed === INVALID) {
        throw new InvalidFilterValue(
          `Filter '${site.filterName}' needs ${parser.expects} for its '${site.action}' action.`,
          { ...site, expected: parser.expects },
        );
      }
      return test(item, parsed);
    },
  };
}

/** The name of an action's complement: `is` → `is_not`, anything else → `not_<name>` (as Octue names them). */
export function complementName(name: string): string {
  return name === 'is' ? 'is_not' : `not_${name}`;
}

/**
 * Adds each action's complement (`not_contains` for `contains`, …) to a table.
 * @param positives - The actions to complement.
 * @returns The actions and their complements.
 */
export function complemented<I>(positives: Readonly<Record<string, FilterAction<I>>>): ActionTable<I> {
  const table: Record<string, FilterAction<I>> = { ...positives };
  for (const [name, positive] of Object.entries(positives)) {
    table[complementName(name)] = { run: (item, value, site) => !positive.run(item, value, site) };
  }
  return table;
}

/** `is` / `is_not`: identity (`===`), Python's `is`. */
export const IDENTITY_ACTIONS: ActionTable<unknown> = complemented({
  is: action(anyValue, (item, value) => item === value),
});

/** `equals` / `not_equals`: Python's `==` (see `deepEqual`). */
export const EQUALITY_ACTIONS: ActionTable<unknown> = complemented({
  equals: action(anyValue, (item, value) => deepEqual(item, value)),
});

/**
 * `lt`, `lte`, `gt`, `gte`, `in_range` (inclusive `[low, high]`) and `not_in_range` for an ordered type.
 * @param parser - Parses a comparison value (and each range bound).
 * @param compare - Negative, zero or positive as `item` is below, at or above `value`; `NaN` makes every test false.
 * @returns The comparison actions.
 */
export function comparisonActions<I, V>(
  parser: ValueParser<V>,
  compare: (item: I, value: V) => number,
): ActionTable<I> {
  return {
    lt: action(parser, (item, value) => compare(item, value) < 0),
    lte: action(parser, (item, value) => compare(item, value) <= 0),
    gt: action(parser, (item, value) => compare(item, value) > 0),
    gte: action(parser, (item, value) => compare(item, value) >= 0),
    ...complemented<I>({
      in_range: action(rangeOf(parser), (item, [low, high]) => compare(item, low) >= 0 && compare(item, high) <= 0),
    }),
  };
}
