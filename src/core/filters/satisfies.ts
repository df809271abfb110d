import { FilterAttributeNotFound, InvalidFilterAction, InvalidFilterException } from '../../errors';
import { findAction, actionsFor } from './actions/dispatch';
import type { ActionTable } from './actions/define';
import { canHaveKey, lookupKey, lookupPath } from './attributes';
import { asMapLike, isPlainObject, typeNameOf } from './collection-kinds';

const SEPARATOR = '__';

/**
 * Splits a filter name into its `__`-separated segments.
 * @param filterName - E.g. `tags__cluster__gt`.
 * @returns The segments, e.g. `['tags', 'cluster', 'gt']`.
 * @throws InvalidFilterException when the name is empty or has an empty segment (stray or doubled underscores).
 */
export function splitFilterName(filterName: string): string[] {
  const segments = filterName.split(SEPARATOR);
  if (segments.some((segment) => segment === '')) {
    throw new InvalidFilterException(
      `Invalid filter name '${filterName}': use '<attribute>[__<nested attribute or key>…]__<action>' with no ` +
        `empty parts (check for leading, trailing or tripled underscores).`,
    );
  }
  return segments;
}

function invalidAction(
  filterName: string,
  actionName: string,
  value: unknown,
  table: ActionTable<unknown> | undefined,
) {
  const valueType = typeNameOf(value);
  const validActions = table ? Object.keys(table) : [];
  const message = table
    ? `There is no filter action '${actionName}' for values of type ${valueType} (filter '${filterName}'). ` +
      `Valid actions: ${validActions.join(', ')}.`
    : `Filter '${filterName}' reached a value of type ${valueType}, which cannot be filtered.`;
  return new InvalidFilterAction(message, { filterName, action: actionName, valueType, validActions });
}

function missing(item: unknown, path: readonly string[], filterName: string, ignoreMissing: boolean, note = '') {
  if (ignoreMissing) return false;
  const attributeName = path.join(SEPARATOR);
  throw new FilterAttributeNotFound(
    `An item of type ${typeNameOf(item)} has no attribute or key '${attributeName}', named by filter ` +
      `'${filterName}'${note}. Pass ignoreItemsWithoutAttribute: true to skip such items.`,
    { attributeName, filterName },
  );
}

/** Runs the `equals` action for a value's type: the shortcut for names without an action (`name`, `tags__a`). */
function runEquals(attribute: unknown, value: unknown, filterName: string): boolean {
  const table = actionsFor(attribute);
  const equals = table && findAction(table, 'equals');
  if (!equals) throw invalidAction(filterName, 'equals', attribute, table);
  return equals.run(attribute, value, { filterName, action: 'equals' });
}

/**
 * Tests one item against one filter, as Octue's `Filterable.satisfies` does: the last segment of the name is the
 * action when it is one for the type of the attribute the other segments reach; otherwise the whole name is taken as
 * an attribute path compared with `equals`.
 *
 * Deliberate differences from Octue, so that items lacking an attribute are handled one way everywhere: a single-
 * segment name an item lacks (`name` on an item without `name`), and a shortcut key that a dict or array lacks
 * (`tags__cluster` on a file without a `cluster` tag), count as a missing attribute (skipped, or
 * `FilterAttributeNotFound`) rather than an invalid filter. An unknown action on any other type (a string, a Date, a
 * class instance without such a property, …) raises `InvalidFilterAction`.
 * @param item - The item (a `FilterDict`'s value).
 * @param filterName - The filter name.
 * @param value - The filter value.
 * @param ignoreMissing - Whether an item lacking the attribute fails the filter (`true`) or raises (`false`).
 * @returns Whether the item satisfies the filter.
 * @throws InvalidFilterException for a malformed name; InvalidFilterAction for an action its attribute's type lacks;
 * InvalidFilterValue for a value of the wrong shape; FilterAttributeNotFound for a missing attribute when
 * `ignoreMissing` is false.
 */
export function satisfiesFilter(item: unknown, filterName: string, value: unknown, ignoreMissing: boolean): boolean {
  const segments = splitFilterName(filterName);
  if (segments.length === 1) {
    const attribute = lookupPath(item, segments);
    return attribute.found
      ? runEquals(attribute.value, value, filterName)
      : missing(item, segments, filterName, ignoreMissing);
  }

  const path = segments.slice(0, -1);
  const actionName = segments[segments.length - 1] as string;
  const attribute = lookupPath(item, path);
  if (!attribute.found) return missing(item, path, filterName, ignoreMissing);

  const table = actionsFor(attribute.value);
  const filterAction = table && findAction(table, actionName);
  if (filterAction) return filterAction.run(attribute.value, value, { filterName, action: actionName });

  const nested = lookupKey(attribute.value, actionName);
  if (nested.found) return runEquals(nested.value, value, filterName);
  // Dicts and arrays hold different keys per item (one file has a `cluster` tag, another not), so there a missing
  // key is a missing attribute; any other type has a fixed shape, so an unknown action there is a mistake.
  if (!holdsVaryingKeys(attribute.value, actionName)) {
    throw invalidAction(filterName, actionName, attribute.value, table);
  }
  const valid = table ? `; its actions are ${Object.keys(table).join(', ')}` : '';
  const note = ` (nor is '${actionName}' a filter action for ${typeNameOf(attribute.value)} values${valid})`;
  return missing(item, segments, filterName, ignoreMissing, note);
}

function holdsVaryingKeys(container: unknown, key: string): boolean {
  const keyed = Array.isArray(container) || isPlainObject(container) || asMapLike(container) !== undefined;
  return keyed && canHaveKey(container, key);
}
