import { asMapLike, isIterable, isPlainObject } from '../collection-kinds';
import { LABEL_SET_ACTIONS, ITERABLE_ACTIONS, OBJECT_ACTIONS } from './collections';
import { DATETIME_ACTIONS } from './datetime';
import type { ActionTable, FilterAction } from './define';
import { BOOLEAN_ACTIONS, NULL_ACTIONS, NUMBER_ACTIONS, STRING_ACTIONS } from './scalars';

/** The families of attribute types that filters know, each with its own action table. */
export type ActionFamily = 'null' | 'boolean' | 'string' | 'number' | 'datetime' | 'labelSet' | 'iterable' | 'object';

// As in Octue, the most specific family wins: concrete types first, then the iterable "interface", then any object.
const TABLES: Readonly<Record<ActionFamily, ActionTable<never>>> = {
  null: NULL_ACTIONS,
  boolean: BOOLEAN_ACTIONS,
  string: STRING_ACTIONS,
  number: NUMBER_ACTIONS,
  datetime: DATETIME_ACTIONS,
  labelSet: LABEL_SET_ACTIONS,
  iterable: ITERABLE_ACTIONS,
  object: OBJECT_ACTIONS,
};

/**
 * The action family of an attribute value: `null`/`undefined`, booleans, strings, numbers and bigints, `Date`s, any
 * `Set` (label sets), iterables and dicts (arrays, `Map`s, `FilterDict`s, plain objects, other iterables), and other
 * objects. Functions and symbols belong to none and cannot be filtered.
 * @param value - The attribute value.
 * @returns Its family, or `undefined`.
 */
export function actionFamilyOf(value: unknown): ActionFamily | undefined {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'object':
      if (value instanceof Date) return 'datetime';
      if (value instanceof Set) return 'labelSet';
      return isIterable(value) || isPlainObject(value) || asMapLike(value) ? 'iterable' : 'object';
    default:
      return undefined;
  }
}

/**
 * The action table for an attribute value.
 * @param value - The attribute value.
 * @returns The table, or `undefined` when values of its type cannot be filtered.
 */
export function actionsFor(value: unknown): ActionTable<unknown> | undefined {
  const family = actionFamilyOf(value);
  // The family was chosen from the value's runtime type, so the table's item type is the value's type.
  return family === undefined ? undefined : (TABLES[family] as ActionTable<unknown>);
}

/**
 * Finds an action by name in a table, ignoring inherited properties (`constructor`, `toString`, …).
 * @param table - The table.
 * @param name - The action name.
 * @returns The action, or `undefined`.
 */
export function findAction(table: ActionTable<unknown>, name: string): FilterAction<unknown> | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
